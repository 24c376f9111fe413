"""The hiring funnel: applicants → polygraph → background and the rest → entry on duty after the
time to hire; attrition each month. Two agencies: Border Patrol agents and ICE deportation
officers. A hiring directive in force (a ``resourcing`` row of the timeline, R8) raises the
target headcount by its ``additional_officers`` and the applicants by a parameter; hires never
exceed the target. Net headcount and local cooperation give interior arrest capacity.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from cruce.law.timeline import Timeline
from cruce.simulation.data import Datum, Evidence, dated, one

AGENCIES = ("border_patrol", "ice")
# Arrests per officer are calibrated with this share of arrests in non-cooperating places.
REFERENCE_SANCTUARY_SHARE = 0.3


def _staffing(agency: str, metric: str) -> list[tuple[dt.date, Datum]]:
    return dated(
        "enforcement_staffing",
        f"{agency} {metric.replace('_', ' ')}",
        lambda r: r["agency"] == agency and r["metric"] == metric,
    )


@dataclass(frozen=True)
class Agency:
    """One agency's funnel: where it starts, its target, and applicants per hire."""

    name: str
    headcount_at_start: float
    baseline_target: float
    baseline_hires_per_year: float
    applicants_per_hire: float


def _hiring(metric: str) -> Datum:
    return one("cbp_hiring_metrics", metric.replace("_", " "), lambda r: r["metric"] == metric)


def _latest_before(points: list[tuple[dt.date, Datum]], day: dt.date, ev: Evidence) -> float:
    before = [p for p in points if p[0] <= day] or points[:1]
    if before[-1][0] > day:
        ev.stand_ins.add(f"{before[-1][1].what}: {day} read from {before[-1][0]}")
    return ev.use(before[-1][1])


def agencies(start: dt.date, evidence: Evidence) -> dict[str, Agency]:
    """Both agencies at ``start``, from the staffing and hiring tables."""
    agents = _latest_before(_staffing("USBP", "agents_total"), start, evidence)
    minimum = one(
        "enforcement_staffing",
        "Border Patrol statutory minimum",
        lambda r: r["metric"] == "statutory_minimum_fte",
    )
    hires = _hiring("bpa_hires_per_year_avg")
    per_bp_hire = evidence.use(_hiring("applicants_needed_for_5000_bpa")) / 5000
    per_ice_hire = evidence.use(_hiring("applicants_needed_for_10000_ice_officers")) / 10000
    officers = one(
        "enforcement_staffing",
        "ICE deportation officers and immigration enforcement agents",
        lambda r: r["metric"] == "deportation_officers_and_ieas",
    )
    ice_start = evidence.use(officers)
    return {
        "border_patrol": Agency(
            "border_patrol", agents, evidence.use(minimum), evidence.use(hires), per_bp_hire
        ),
        # No ICE hiring series is shipped: ICE is taken to replace its attrition at the start.
        "ice": Agency("ice", ice_start, ice_start, float("nan"), per_ice_hire),
    }


def directives(
    timeline: Timeline, instants: list[dt.datetime]
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per agency and month: officers a hiring directive in force adds to the target, and
    whether a directive for the agency is in force (it draws more applicants)."""
    names = {"border_patrol": "CBP", "ice": "ICE"}
    out = {a: (np.zeros(len(instants)), np.zeros(len(instants), dtype=bool)) for a in AGENCIES}
    for m, at in enumerate(instants):
        for row in timeline.resourcing_at(at):
            agency_text = str(row.attributes.get("agency", ""))
            for agency, name in names.items():
                if name in agency_text:
                    out[agency][1][m] = True
                    added = row.attributes.get("additional_officers")
                    if isinstance(added, int | float):
                        out[agency][0][m] += added
    return out


def headcount(
    agency: Agency,
    added: np.ndarray,
    directive: np.ndarray,
    draw: dict[str, float],
    polygraph_in_data: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Net headcount and hires, month by month, for one replicate's parameters ``draw``."""
    months = len(added)
    delay = round(draw["time_to_hire_days"] / 30.44)
    leave = 1 - (1 - draw["attrition_rate_year"]) ** (1 / 12)
    replacing = agency.baseline_hires_per_year / 12
    if np.isnan(replacing):
        replacing = agency.headcount_at_start * leave
    base_applicants = replacing * agency.applicants_per_hire
    # applicants per hire in the data embed the data's polygraph pass rate
    qualify = draw["polygraph_pass_rate"] / polygraph_in_data / agency.applicants_per_hire
    pipeline = np.zeros(months + delay)
    pipeline[:delay] = base_applicants * qualify  # already in the pipeline at the start
    staff, hired = np.zeros(months), np.zeros(months)
    now = agency.headcount_at_start
    for m in range(months):
        applicants = base_applicants * (
            draw["applicant_multiplier_under_directive"] if directive[m] else 1.0
        )
        pipeline[m + delay] += rng.binomial(round(applicants), min(qualify, 1.0))
        now -= rng.binomial(round(now), leave)
        hired[m] = min(pipeline[m], max(agency.baseline_target + added[m] - now, 0.0))
        now += hired[m]
        staff[m] = now
    return staff, hired


def arrests_per_officer_month(agency: Agency, evidence: Evidence) -> float:
    """FY2017 ICE administrative arrests per officer-month at the reference cooperation."""
    arrests = one(
        "removals",
        "ICE administrative arrests",
        lambda r: r["metric"] == "administrative_arrests" and r["fiscal_year"] == 2017,
    )
    return evidence.use(arrests) / 12 / agency.headcount_at_start


def cooperation(sanctuary_share: float, efficiency_without: float) -> float:
    """Arrest capacity left when a share of arrests must be made without local cooperation."""
    return 1 - sanctuary_share * (1 - efficiency_without)
