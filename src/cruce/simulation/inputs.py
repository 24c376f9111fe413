"""Monthly inputs of the pipeline from the shipped tables: who is encountered at the southwest
land border (by nationality and group), how many ask for protection, the detention beds, the
immigration judges and the court backlog at the start.

A fiscal year's total is spread evenly over its months (the tables are annual; seasonality is
not modelled). Compositions come from Border Patrol apprehension tables and are applied to all
southwest land border encounters (Border Patrol and OFO). Every value records its row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from cruce.simulation.data import Evidence, Series, dated, fiscal_year, leading_year, yearly

NATIONALITIES = ("MX", "GT", "HN", "SV", "OTHER")
COUNTRY_NAMES = {
    "MX": "Mexico",
    "GT": "Guatemala",
    "HN": "Honduras",
    "SV": "El Salvador",
    "OTHER": "Other",
}
CENTRAL = ("GT", "HN", "SV")
GROUPS = ("single_adult", "family_unit", "uac")
_BY_NAME = {name: code for code, name in COUNTRY_NAMES.items() if code != "OTHER"}


class MissingInput(ValueError):
    """A month the shipped tables do not cover and the scenario does not fill."""


def _southwest(component: str) -> Series:
    return yearly(
        "swb_encounters",
        f"southwest land border encounters ({component})",
        lambda r: r["scope"] == "southwest_land_border" and r["component"] == component,
        lambda r: r["encounters"],
        prefer=lambda r: r["is_approximate"],  # the unrounded figure when there are two
    )


def _by_nationality(country: str) -> Series:
    """Nationality breakdowns: FY2017, the first half of FY2016 (both full), and FY2019 (Mexico
    and Guatemala only: a country it lacks reads the nearest year that has it)."""
    return yearly(
        "swb_usbp_apprehensions_by_nationality",
        f"southwest border apprehensions, {country}",
        lambda r: r["country"] == country and r["period"] in (*_FULL_YEARS, _FY2016_HALF),
        lambda r: r["apprehensions"],
        year=lambda r: 2016 if r["period"] == _FY2016_HALF else int(r["period"][2:]),
    )


_FULL_YEARS = ("FY2017", "FY2019")


_FY2016_HALF = "2016 first six months (as reported Jul 2016)"


def _group(demographic: str, country: str = "All") -> Series:
    return yearly(
        "swb_uac_family_units",
        f"southwest border apprehensions, {demographic}, {country}",
        lambda r: r["demographic"] == demographic and r["country"] == country,
        lambda r: r["apprehensions"],
    )


def _credible_fear(column: str, what: str) -> Series:
    """Full fiscal years only (FY2018's row covers October to April)."""
    return yearly("credible_fear", what, lambda r: not r["partial_year"], lambda r: r[column])


def _detention(metric: str, what: str) -> Series:
    return yearly(
        "ice_detention",
        what,
        lambda r: r["metric"] == metric,
        lambda r: r["value"],
        year=lambda r: leading_year(str(r["fiscal_year"])),
    )


class Tables:
    """The shipped tables' series the inputs read, each read on first use and then kept:
    importing this module reads no table."""

    @cached_property
    def ENCOUNTERS(self) -> Any:
        return _southwest("USBP+OFO")

    @cached_property
    def OFO_INADMISSIBLES(self) -> Any:
        return _southwest("OFO inadmissibles")

    @cached_property
    def APPREHENSIONS(self) -> Any:
        return yearly(
            "swb_usbp_apprehensions_by_year",
            "southwest border Border Patrol apprehensions",
            lambda r: (
                r["scope"] == "southwest_border_usbp" and r["apprehensions_mexico"] is not None
            ),
            lambda r: r["apprehensions_total"],
        )

    @cached_property
    def APPREHENSIONS_MEXICO(self) -> Any:
        return yearly(
            "swb_usbp_apprehensions_by_year",
            "southwest border Border Patrol apprehensions of Mexicans",
            lambda r: r["scope"] == "southwest_border_usbp",
            lambda r: r["apprehensions_mexico"],
        )

    @cached_property
    def BREAKDOWN(self) -> Any:
        return {c: _by_nationality(c) for c in ("All", "Mexico", *_BY_NAME)}

    @cached_property
    def GROUP_TOTAL(self) -> Any:
        return _group("total")

    @cached_property
    def GROUP_UAC(self) -> Any:
        return _group("unaccompanied_alien_children")

    @cached_property
    def GROUP_FAMILY(self) -> Any:
        return _group("family_unit_individuals")

    @cached_property
    def UAC_BY_COUNTRY(self) -> Any:
        return {c: _group("unaccompanied_alien_children", n) for n, c in _BY_NAME.items()}

    @cached_property
    def FAMILY_BY_COUNTRY(self) -> Any:
        return {c: _group("family_unit_individuals", n) for n, c in _BY_NAME.items()}

    @cached_property
    def CREDIBLE_FEAR_CASES(self) -> Any:
        return _credible_fear("cf_total", "credible fear cases received")

    @cached_property
    def CREDIBLE_FEAR_POSITIVE(self) -> Any:
        return _credible_fear("cf_positive", "credible fear found")

    @cached_property
    def CREDIBLE_FEAR_NEGATIVE(self) -> Any:
        return _credible_fear("cf_negative", "credible fear not found")

    @cached_property
    def FUNDED_BEDS(self) -> Any:
        return {
            metric: _detention(metric, f"ICE detention {metric.replace('_', ' ')}")
            for metric in ("funded_beds", "funded_average_daily_population", "funded_beds_mandate")
        }

    @cached_property
    def LENGTH_OF_STAY(self) -> Any:
        return _detention("average_length_of_stay", "ICE average length of stay (days)")

    @cached_property
    def BED_DAY_COST(self) -> Any:
        return _detention("adult_bed_rate", "ICE adult bed rate (USD per bed-day)")

    @cached_property
    def DETAINED_POPULATION(self) -> Any:
        return _detention("average_daily_population", "ICE average daily population")

    @cached_property
    def COURT_PENDING(self) -> Any:
        return yearly(
            "eoir_caseload",
            "immigration court cases pending at the end of the fiscal year",
            lambda r: True,
            lambda r: r["pending_end_of_fy"],
        )

    @cached_property
    def JUDGES(self) -> Any:
        return dated(
            "immigration_judges",
            "immigration judges on the bench",
            lambda r: r["metric"] == "immigration_judges_on_bench",
        )

    @cached_property
    def DAYS_PENDING(self) -> Any:
        return yearly(
            "immigration_court_wait_times",
            "average days pending cases have waited",
            lambda r: r["average_days_pending"] is not None,
            lambda r: r["average_days_pending"],
            year=lambda r: fiscal_year(dt.date.fromisoformat(str(r["as_of"])[:7] + "-01")),
        )


TABLES = Tables()


def _ratio(
    top: Series,
    bottom: Series,
    year: int,
    evidence: Evidence,
    own_only: frozenset[int] = frozenset(),
) -> float:
    """top/bottom in the year nearest ``year`` that has both (both rows recorded); a year in
    ``own_only`` stands for itself, never for another year."""
    common = (set(top.by_year) & set(bottom.by_year)) - (own_only - {year})
    nearest = min(common, key=lambda y: (abs(y - year), -y))
    if nearest != year:
        evidence.stand_ins.add(f"{top.what} / {bottom.what}: FY{year} read from FY{nearest}")
    return top.at(nearest, evidence) / bottom.at(nearest, evidence)


def _country_shares(counts: dict[str, Series], total: Series, year: int, ev: Evidence):
    """Shares by nationality within a group; OTHER is the group total less the four named."""
    shares = np.array([_ratio(counts[c], total, year, ev) for c in NATIONALITIES[:-1]])
    return np.append(shares, max(0.0, 1.0 - shares.sum()))


# FY2020's mix — Mexicans 63% (Pew), families 13% — came from the pandemic: Central American
# governments closed their borders from March 2020 and Title 42 expulsions brought single
# Mexicans back to cross again. It is FY2020's own, so it stands in for no other year (FY2021
# on keep FY2019's, the nearest other).
_OWN_YEAR_ONLY = frozenset({2020})


def composition(year: int, evidence: Evidence) -> np.ndarray:
    """Shares of the fiscal year's encounters by group × nationality (sums to 1)."""
    mexican = _ratio(
        TABLES.APPREHENSIONS_MEXICO, TABLES.APPREHENSIONS, year, evidence, _OWN_YEAR_ONLY
    )
    # the breakdown's non-Mexican composition: GT, HN, SV and what remains (OTHER)
    named = np.array(
        [
            _ratio(TABLES.BREAKDOWN[COUNTRY_NAMES[c]], TABLES.BREAKDOWN["All"], year, evidence)
            for c in CENTRAL
        ]
    )
    in_breakdown = _ratio(TABLES.BREAKDOWN["Mexico"], TABLES.BREAKDOWN["All"], year, evidence)
    non_mexican = np.append(named, 1.0 - named.sum() - in_breakdown) / (1.0 - in_breakdown)
    overall = np.concatenate([[mexican], (1.0 - mexican) * non_mexican])
    uac = _ratio(TABLES.GROUP_UAC, TABLES.GROUP_TOTAL, year, evidence, _OWN_YEAR_ONLY)
    family = _ratio(TABLES.GROUP_FAMILY, TABLES.GROUP_TOTAL, year, evidence, _OWN_YEAR_ONLY)
    cells = np.zeros((len(GROUPS), len(NATIONALITIES)))
    cells[2] = uac * _country_shares(TABLES.UAC_BY_COUNTRY, TABLES.GROUP_UAC, year, evidence)
    cells[1] = family * _country_shares(
        TABLES.FAMILY_BY_COUNTRY, TABLES.GROUP_FAMILY, year, evidence
    )
    single = np.clip(overall - cells[1] - cells[2], 0.0, None)
    cells[0] = (1.0 - uac - family) * single / single.sum()
    return cells


def beds(year: int, evidence: Evidence) -> float:
    """Funded detention beds in force in the fiscal year: the latest appropriation's figure at
    or before it — its bed figure, else its funded ADP, else the statutory bed mandate — since an
    appropriation or a mandate holds until the next one changes it (before the first, the
    first)."""
    figures: dict[int, Any] = {}
    for series in reversed(TABLES.FUNDED_BEDS.values()):  # the bed figure wins a shared year
        figures.update(series.by_year)
    earlier = [y for y in figures if y <= year]
    in_force = max(earlier) if earlier else min(figures)
    if in_force != year:
        evidence.stand_ins.add(f"ICE funded beds: FY{year} read from FY{in_force}, in force")
    return evidence.use(figures[in_force])


def judges_on(day: dt.date, evidence: Evidence) -> float:
    """Judges on the bench, linear between dated counts, flat beyond the first and last."""
    dates = [d for d, _ in TABLES.JUDGES]
    if day <= dates[0] or day >= dates[-1]:
        end = TABLES.JUDGES[0] if day <= dates[0] else TABLES.JUDGES[-1]
        evidence.stand_ins.add(f"immigration judges: {day} held at the count of {end[0]}")
        return evidence.use(end[1])
    after = next(i for i, d in enumerate(dates) if d >= day)
    (d0, v0), (d1, v1) = TABLES.JUDGES[after - 1], TABLES.JUDGES[after]
    weight = (day - d0).days / max((d1 - d0).days, 1)
    return evidence.use(v0) * (1 - weight) + evidence.use(v1) * weight


@dataclass(frozen=True)
class MonthlyInputs:
    """The pipeline's inputs, one entry per month (arrays indexed by month)."""

    months: list[dt.date]
    encounters: np.ndarray  # persons per month
    composition: np.ndarray  # month × group × nationality shares
    at_port_share: np.ndarray  # share encountered at a port of entry (OFO)
    fear_share: np.ndarray  # credible fear cases / encounters (referrals the pipeline reproduces)
    fear_found_rate: np.ndarray  # share of decided credible fear cases found
    beds: np.ndarray
    length_of_stay_days: np.ndarray
    bed_day_cost: np.ndarray
    judges: np.ndarray
    pending_at_start: float
    days_pending_at_start: float
    detained_at_start: float


def month_range(start: dt.date, months: int) -> list[dt.date]:
    first = dt.date(start.year, start.month, 1)
    return [
        dt.date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1)
        for i in range(months)
    ]


def monthly_inputs(
    months: list[dt.date], evidence: Evidence, encounters_by_year: dict[int, float] | None = None
) -> MonthlyInputs:
    """The inputs for ``months``; ``encounters_by_year`` (a scenario's) replaces the table's
    southwest border encounters for the fiscal years it names."""
    given = encounters_by_year or {}
    years = [fiscal_year(m) for m in months]
    missing = sorted({y for y in years if y not in given and y not in TABLES.ENCOUNTERS.by_year})
    if missing:
        raise MissingInput(
            f"no southwest border encounters for FY{', FY'.join(map(str, missing))} in "
            f"data/swb_encounters.csv (it covers FY{min(TABLES.ENCOUNTERS.by_year)}–"
            f"FY{max(TABLES.ENCOUNTERS.by_year)}); give them in the scenario's "
            "inputs.encounters_by_year"
        )

    def per_year(read) -> np.ndarray:
        cache = {y: read(y) for y in set(years)}
        return np.array([cache[y] for y in years], dtype=float)

    before = fiscal_year(months[0]) - 1
    return MonthlyInputs(
        months=months,
        encounters=per_year(lambda y: given[y] if y in given else TABLES.ENCOUNTERS.at(y, evidence))
        / 12,
        composition=np.stack([composition(y, evidence) for y in years]),
        at_port_share=per_year(
            lambda y: _ratio(TABLES.OFO_INADMISSIBLES, TABLES.ENCOUNTERS, y, evidence)
        ),
        fear_share=per_year(
            lambda y: _ratio(TABLES.CREDIBLE_FEAR_CASES, TABLES.ENCOUNTERS, y, evidence)
        ),
        fear_found_rate=per_year(
            lambda y: (
                1.0
                / (
                    1.0
                    + _ratio(
                        TABLES.CREDIBLE_FEAR_NEGATIVE, TABLES.CREDIBLE_FEAR_POSITIVE, y, evidence
                    )
                )
            )
        ),
        beds=per_year(lambda y: beds(y, evidence)),
        length_of_stay_days=per_year(lambda y: TABLES.LENGTH_OF_STAY.at(y, evidence)),
        bed_day_cost=per_year(lambda y: TABLES.BED_DAY_COST.at(y, evidence)),
        judges=np.array([judges_on(m, evidence) for m in months]),
        pending_at_start=TABLES.COURT_PENDING.at(before, evidence),
        days_pending_at_start=TABLES.DAYS_PENDING.at(before, evidence),
        detained_at_start=TABLES.DETAINED_POPULATION.at(before, evidence),
    )
