"""The hiring funnel of Border Patrol agents and ICE deportation officers, month by month:

applicants → polygraph (Border Patrol: the shipped data give no ICE figure) → the other stages
(entrance test, medical, fitness, background) → cleared, entering on duty after the time to
hire → hired while the agency is below its target → on board, less attrition each month.

A hiring directive in force (a ``resourcing`` row of the timeline, docs/law/resourcing.md#r8)
adds its ``additional_officers`` to the target. As applied, a directive in force draws more
applicants (``applicant_multiplier_under_directive``, the FY2018 surge). Funded as directed
(a scenario's ``hiring.funded_from``), the target is held from that month to the horizon and
the applicants drawn are ``applicant_multiplier_funded_<agency>`` times the intake before
2017. The Accenture contract (Border Patrol) adds the applicants its delivered or promised hires
need while it runs, and costs its payments.

The stages pass expected counts (applicants × pass rates), so hires can never exceed what the
applicants yield; the applicants (Poisson) and the losses (binomial) are drawn. Net headcount
and local cooperation give interior arrest capacity.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from cruce.law.timeline import Timeline
from cruce.simulation.data import Datum, Evidence, dated, one

AGENCIES = ("border_patrol", "ice")
# What the funnel gives per agency and month (each a pipeline metric "<stage>_<agency>").
FUNNEL = (
    "headcount",
    "target",
    "applicants",
    "passed_polygraph",
    "cleared",
    "hires",
    "losses",
    "losses_to_other_agencies",
    "salary_cost_usd",
    "recruitment_cost_usd",
    "contract_cost_usd",
    "contract_hires",
)
METRICS = tuple(f"{stage}_{agency}" for stage in FUNNEL for agency in AGENCIES)
# Arrests per officer are calibrated with this share of arrests in non-cooperating places.
REFERENCE_SANCTUARY_SHARE = 0.3
DAYS_PER_MONTH = 30.44
# The Accenture contract (data/cbp_hiring_metrics.csv, accenture_* rows): awarded in November
# 2017 for five years ("Nov 2017 award", DHS OIG-19-13); CBP ended it in April 2019 ("at
# termination (Apr 2019)", FAIR). Months from the award to the end, the end excluded.
CONTRACT_AWARD = dt.date(2017, 11, 1)
CONTRACT_END = {"as_delivered": dt.date(2019, 4, 1), "as_promised": dt.date(2022, 11, 1)}


def _staffing(agency: str, metric: str) -> list[tuple[dt.date, Datum]]:
    return dated(
        "enforcement_staffing",
        f"{agency} {metric.replace('_', ' ')}",
        lambda r: r["agency"] == agency and r["metric"] == metric,
    )


@dataclass(frozen=True)
class Agency:
    """One agency at the start: on board, its target before any directive, and the hires a
    year that replaced losses (NaN: hires replace the agency's attrition)."""

    name: str
    headcount_at_start: float
    baseline_target: float
    baseline_hires_per_year: float


@dataclass(frozen=True)
class Plan:
    """One agency's hiring month by month, from the law and the scenario's ``hiring``."""

    added: np.ndarray  # officers the directives add to the target
    directive: np.ndarray  # a directive for the agency in force (as applied: more applicants)
    funded: np.ndarray  # the target funded as directed
    contract: np.ndarray  # the Accenture contract runs (Border Patrol only)
    terms: str  # "delivered" or "promised": which of the contract's parameters apply
    officers: float  # the directive's additional officers (0: no directive in the horizon)
    origin: int | None  # the month years to target count from (None: no directive)


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
    officers = one(
        "enforcement_staffing",
        "ICE deportation officers and immigration enforcement agents",
        lambda r: r["metric"] == "deportation_officers_and_ieas",
    )
    ice_start = evidence.use(officers)
    return {
        "border_patrol": Agency(
            "border_patrol", agents, evidence.use(minimum), evidence.use(hires)
        ),
        # No ICE hiring series is shipped: ICE is taken to replace its attrition at the start.
        "ice": Agency("ice", ice_start, ice_start, float("nan")),
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


def plans(
    timeline: Timeline,
    instants: list[dt.datetime],
    months: list[dt.date],
    funded_from: dt.date | None,
    contract: str,
) -> dict[str, Plan]:
    """Each agency's plan: the directives as applied, or — from ``funded_from`` — their
    targets funded to the horizon; and the months the contract on ``contract`` terms runs."""
    funding = np.array([funded_from is not None and m >= funded_from for m in months])
    end = CONTRACT_END[contract]
    running = np.array([CONTRACT_AWARD <= m < end for m in months])
    out = {}
    for agency, (added, in_force) in directives(timeline, instants).items():
        officers = float(added.max(initial=0.0))
        funded = funding & (officers > 0)
        added = np.where(funded, officers, added)
        starts = np.flatnonzero(funded if funded.any() else added > 0)
        out[agency] = Plan(
            added=added,
            directive=in_force,
            funded=funded,
            contract=running & (agency == "border_patrol"),
            terms=contract.removeprefix("as_"),
            officers=officers,
            origin=int(starts[0]) if len(starts) else None,
        )
    return out


def headcount(
    agency: Agency,
    plan: Plan,
    draw: dict[str, float],
    polygraph_in_data: float,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """One replicate's funnel for ``agency`` under ``plan``: each of ``FUNNEL`` by month."""
    months = len(plan.added)
    delay = round(draw["time_to_hire_days"] / DAYS_PER_MONTH)
    leave = 1 - (1 - draw["attrition_rate_year"]) ** (1 / 12)
    replacing = agency.baseline_hires_per_year / 12
    if np.isnan(replacing):
        replacing = agency.headcount_at_start * leave
    per_hire = draw[f"applicants_per_hire_{agency.name}"]
    # applicants per hire in the data embed the data's polygraph pass rate (Border Patrol)
    in_data = polygraph_in_data if agency.name == "border_patrol" else 1.0
    polygraph = draw["polygraph_pass_rate"] if agency.name == "border_patrol" else 1.0
    other_stages = min(1 / (per_hire * in_data), 1.0)
    multiplier = np.where(
        plan.funded,
        draw[f"applicant_multiplier_funded_{agency.name}"],
        np.where(plan.directive, draw["applicant_multiplier_under_directive"], 1.0),
    )
    contract_hires = plan.contract * draw[f"contract_hires_per_month_{plan.terms}"]
    expected = replacing * per_hire * multiplier + contract_hires / (polygraph * other_stages)
    applicants = rng.poisson(expected).astype(float)
    passed = applicants * polygraph
    cleared = passed * other_stages
    arriving = np.concatenate([np.full(delay, replacing), cleared])  # cleared before the start
    target = agency.baseline_target + plan.added
    staff, hires, losses = np.zeros(months), np.zeros(months), np.zeros(months)
    now = agency.headcount_at_start
    for m in range(months):
        losses[m] = rng.binomial(round(now), leave)
        now -= losses[m]
        # cleared candidates with no post open are not hired (they go elsewhere)
        hires[m] = min(arriving[m], max(target[m] - now, 0.0))
        now += hires[m]
        staff[m] = now
    quits_elsewhere = draw["quit_share_of_losses"] * draw["to_other_agency_share_of_quits"]
    return {
        "headcount": staff,
        "target": target,
        "applicants": applicants,
        "passed_polygraph": passed,
        "cleared": cleared,
        "hires": hires,
        "losses": losses,
        "losses_to_other_agencies": losses * quits_elsewhere,
        "salary_cost_usd": staff * draw["salary_per_officer_year"] / 12,
        "recruitment_cost_usd": applicants * draw["recruitment_cost_per_applicant"],
        "contract_cost_usd": plan.contract * draw[f"contract_cost_per_month_{plan.terms}"],
        # on expectation: the contract's applicants pass the same funnel
        "contract_hires": contract_hires,
    }


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
