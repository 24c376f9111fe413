"""How many of the people a return to Mexico is open to were returned: the law says who may be
(``pathways.returnable``); this stage says how many, month by month, from four mechanisms.

- **Ports.** A program returns people only through the ports it operates at
  (data/mpp_sites.csv, each port's first reported day); a port's monthly capacity grows over
  ``mpp_site_ramp_months`` to ``mpp_site_capacity`` (hearing dockets, escorts, shelters).
- **Mexico's acceptance.** Before the US–Mexico Joint Declaration of 2019-06-07 Mexico took
  returns at its own pace: a port then takes at most ``mpp_site_capacity_before_agreement`` a
  month (fitted). After its independent decision of December 2021 to accept the court-ordered
  reimplementation, Mexico took at most 30 a day at a port (``MEXICO_LIMITS``, data/mpp.csv).
  In February 2017 Mexico refused to take non-Mexicans at all (S24): the Kelly memo's Part H
  as directed is bounded by that refusal at one end (``refused``) and by the 2019 terms or no
  limit at the other (``Scenario``).
- **Uptake.** Where capacity does not bind, a program enrols ``return_uptake`` of those it may
  return, following the month's published encounters (data/cbp_swb_title42_expulsions.csv: the
  pipeline spreads a fiscal year evenly, but MPP's scale tracked the 2019 surge and its fall).
- **Title 42** expels its share before anyone reaches a program (``expulsions``).

The three capacity parameters and the uptake are fitted on 2019 alone (``fit_2019``); 2020,
the program's total and the 2021–22 reimplementation are checks (docs/validation.md).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

import numpy as np

from cruce.engine.logic import EASTERN
from cruce.law.timeline import Timeline
from cruce.simulation.data import Datum, Evidence, datum, fiscal_year, one, rows

SITES_TABLE = "mpp_sites"
ENCOUNTERS_TABLE = "cbp_swb_title42_expulsions"
# The US–Mexico Joint Declaration of 2019-06-07: Mexico agreed to take MPP returns along the
# whole border (DHS, Eagle Pass release of 2019-10-28; MPI, "One Year after the U.S.-Mexico
# Agreement", June 2020; reported).
JOINT_DECLARATION = dt.date(2019, 6, 7)
_DAYS_PER_MONTH = 365.25 / 12
_MONTHS = ("October", "November", "December", "January", "February", "March", "April")
_MONTHS += ("May", "June", "July", "August", "September")


@dataclass(frozen=True)
class Site:
    """A port a program returned people through, from its first reported day."""

    program: str
    port: str
    returns_to: str
    start: dt.date
    row: Datum


def sites(program: str | None = None) -> list[Site]:
    """The ports of data/mpp_sites.csv (of one program if named), in order of opening."""
    found = [
        Site(
            r["program"],
            r["port"],
            r["returns_to"],
            r["start"],
            datum(SITES_TABLE, r, 0, f"MPP port {r['port']} ({r['program']}) from {r['start']}"),
        )
        for r in rows(SITES_TABLE, lambda r: program is None or r["program"] == program)
    ]
    return sorted(found, key=lambda s: s.start)


@dataclass(frozen=True)
class Ports:
    """Each port's operation by month (arrays port × month): the share of the month it
    operated, its age in months at the month's end, and whether an agreement bound Mexico to
    take returns there (else it takes them at its own, pre-agreement pace); ``limited`` (by
    port): its processing capacity binds (else only Mexico's pace does); ``unlimited``: months
    nothing limits."""

    operating: np.ndarray
    age_months: np.ndarray
    agreed: np.ndarray
    limited: np.ndarray
    unlimited: np.ndarray
    published_pace: np.ndarray  # port × month: Mexico's published monthly limit, else NaN

    def capacity(self, draw: dict[str, float]) -> np.ndarray:
        """Returns the ports can make each month (infinite where nothing limits them)."""
        fitted = draw["mpp_site_capacity_before_agreement"]
        own_pace = np.where(np.isnan(self.published_pace), fitted, self.published_pace)
        ramp = np.clip(self.age_months / max(draw["mpp_site_ramp_months"], 1e-9), 0, 1)
        full = draw["mpp_site_capacity"]
        built = ramp * np.where(self.agreed, full, np.minimum(full, own_pace))
        free = np.where(self.agreed, np.inf, own_pace)
        per_port = np.where(self.limited[:, None], built, free)
        with np.errstate(invalid="ignore"):  # a closed port (0) times no limit (inf) is 0
            total = np.where(self.operating > 0, self.operating * per_port, 0.0).sum(axis=0)
        return np.where(self.unlimited, np.inf, total)


# Mexico's own limit on the reimplementation's returns, where one is published: the 2021–22
# program took at most 30 a day at a port (data/mpp.csv); the 2019 program's pace before the
# Joint Declaration was never published and is fitted (``mpp_site_capacity_before_agreement``).
MEXICO_LIMITS = {"mpp_2021_policy": "mexico_daily_returns_per_port"}


def _daily_limit(program: str, evidence: Evidence) -> float | None:
    metric = MEXICO_LIMITS.get(program)
    if metric is None:
        return None
    row = one("mpp", f"Mexico's daily limit on returns, {program}", lambda r: r["metric"] == metric)
    return evidence.use(row)


def _month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def ports(
    months: list[dt.date],
    evidence: Evidence,
    *,
    shift: dt.timedelta | None = None,
    always_agreed: bool = False,
    limited: bool = True,
    unlimited: np.ndarray | None = None,
    ends: dict[str, dt.date] | None = None,
) -> Ports:
    """The ports' months for a scenario. ``shift`` moves the 2019 program's opening days and
    its agreement with Mexico (Part H on the 2019 terms opens the 2019 ports from
    2017-02-20); ``always_agreed``: Mexico takes returns without limit wherever a 2019 port
    operates; ``limited``: the 2019 ports' processing capacity binds (the later programs'
    always does); ``unlimited`` marks the
    months nothing limits (months × bool); ``ends``: the day each program stopped enrolling."""
    ends = ends or {}
    found = sites()
    operating = np.zeros((len(found), len(months)))
    age = np.zeros_like(operating)
    agreed = np.zeros(operating.shape, dtype=bool)
    bound = np.ones(len(found), dtype=bool)
    pace = np.full(operating.shape, np.nan)
    for i, site in enumerate(found):
        evidence.use(site.row)
        daily = _daily_limit(site.program, evidence)
        first = site.program == "mpp_2019_policy"
        offset = shift if shift is not None and first else dt.timedelta(0)
        start, declaration = site.start + offset, JOINT_DECLARATION + offset
        bound[i] = limited or not first
        stop = ends.get(site.program, dt.date.max)
        for m, month in enumerate(months):
            end = _month_end(month)
            days = (min(end, stop - dt.timedelta(days=1)) - max(start, month)).days + 1
            operating[i, m] = np.clip(days / end.day, 0.0, 1.0)
            age[i, m] = max((end - start).days + 1, 0) / _DAYS_PER_MONTH
            agreed[i, m] = first and (always_agreed or month >= declaration)
            if daily is not None:
                pace[i, m] = daily * end.day
    free = np.zeros(len(months), dtype=bool) if unlimited is None else unlimited
    return Ports(operating, age, agreed, bound, free, pace)


def monthly_profile(months: list[dt.date], evidence: Evidence) -> np.ndarray:
    """Each month's published southwest border encounters over its fiscal year's monthly
    mean (1 where the table has no full fiscal year for it)."""
    published: dict[dt.date, tuple[float, dict]] = {}
    for r in rows(ENCOUNTERS_TABLE, lambda r: True):
        index = _MONTHS.index(r["month"])
        year = r["fiscal_year"] - 1 if index < 3 else r["fiscal_year"]
        published[dt.date(year, (index + 9) % 12 + 1, 1)] = (r["swb_encounters"], r)
    by_year: dict[int, list[float]] = {}
    for month, (value, _) in published.items():
        by_year.setdefault(fiscal_year(month), []).append(value)
    profile = np.ones(len(months))
    for m, month in enumerate(months):
        year = by_year.get(fiscal_year(month), [])
        if month in published and len(year) == 12:
            value, row = published[month]
            what = f"southwest border encounters, {month:%Y-%m}"
            evidence.use(datum(ENCOUNTERS_TABLE, row, value, what))
            profile[m] = value / (sum(year) / 12)
    return profile


@dataclass(frozen=True)
class Returns:
    """What the return stage reads for every replicate of a scenario."""

    ports: Ports
    profile: np.ndarray  # by month: encounters relative to the fiscal year's mean
    directed: np.ndarray  # by month: Part H directs returns of everyone the statute permits


def uptake(returns: Returns, draw: dict[str, float], eligible: np.ndarray) -> np.ndarray:
    """The share of each month's returnable encounters returned: the program's uptake (all
    of them where Part H directs it) following the month's encounters, capped where the
    ports' capacity binds (``eligible``: the month's expected returnable encounters)."""
    wanted = np.where(returns.directed, 1.0, draw["return_uptake"] * returns.profile)
    capacity = returns.ports.capacity(draw)
    with np.errstate(divide="ignore", invalid="ignore"):
        cap = np.where(eligible > 0, capacity / eligible, 0.0)
    return np.clip(np.minimum(wanted, cap), 0.0, 1.0)


ACCEPTANCE = ("refused", "2019_terms", "unlimited")
PORT_CAPACITY = ("2019_ports", "unlimited")


def prepare_returns(
    months: list[dt.date],
    instants: list[dt.datetime],
    timeline: Timeline,
    part_h_directed: bool,
    acceptance: str,
    port_capacity: str,
    evidence: Evidence,
) -> Returns:
    """The return stage of a scenario. Under Part H as directed, Mexico either refuses
    non-Mexicans (S24: no port takes anyone until MPP's own ports open in 2019), takes them on
    the 2019 terms from Part H's first day (the 2019 ports, in the same order and at the same
    intervals, and the same wait for an agreement), or takes everyone; and the ports either
    process at their fitted 2019 capacity or without limit. A program without ports in the
    table (the 2025 restart) is limited by its uptake alone."""
    part_h = next(row for row in timeline.events if row.id == "KELLY-2017-PART-H")
    directed = np.array([part_h_directed and part_h.contains(at) for at in instants])
    restart = [row for row in timeline.instruments if row.key == "mpp_2025_restart"]
    uncapped = np.array([any(row.contains(at) for row in restart) for at in instants])
    # the programs' own rows (instruments), not events that share their key
    ends = {
        row.key: row.end.astimezone(EASTERN).date()
        for row in timeline.instruments
        if row.key in ("mpp_2019_policy", "mpp_2021_policy") and row.end is not None
    }
    shift = None
    if part_h_directed and acceptance != "refused":
        shift = part_h.start.date() - sites("mpp_2019_policy")[0].start
        if acceptance == "unlimited" and port_capacity == "unlimited":
            uncapped |= directed
    found = ports(
        months,
        evidence,
        shift=shift,
        always_agreed=part_h_directed and acceptance == "unlimited",
        limited=not (part_h_directed and port_capacity == "unlimited"),
        unlimited=uncapped,
        ends=ends,
    )
    return Returns(found, monthly_profile(months, evidence), directed)
