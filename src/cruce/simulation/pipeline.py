"""One replicate of the enforcement pipeline, month by month, at cohort level.

encounters (nationality × group) → pathway (shares from the rules, see ``pathways``) →
detention (funded beds × occupancy limit; releases at the length of stay; overflow released)
→ immigration court (judges × completions per judge; three dockets served in priority order —
detained, then MPP, then non-detained — each first in, first out) → outcomes (removals,
in-absentia orders, relief, removal orders, still pending). Interior arrests come from ICE
headcount (``workforce``) and local cooperation.

Cohort level, not per person: flows between stocks are drawn as binomial and multinomial
counts, so a replicate costs the same for 10 thousand or 10 million encounters a year and every
step is a NumPy operation over arrays (see docs/methods.md for why).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass

import numpy as np

from cruce.simulation.inputs import NATIONALITIES, MonthlyInputs
from cruce.simulation.pathways import PATHWAYS, BorderLaw, InteriorLaw, Shares, pathway_shares
from cruce.simulation.workforce import REFERENCE_SANCTUARY_SHARE, Agency, cooperation, headcount

DOCKETS = ("detained", "mpp", "released")
METRICS = (
    "encounters",
    *(f"pathway_{p}" for p in PATHWAYS),
    "returns_to_mexico_non_mexican",
    *(f"returns_to_mexico_{n}" for n in NATIONALITIES),
    "interior_arrests",
    "removals",
    "detention_population",
    "detention_capacity",
    "released_for_lack_of_beds",
    "court_receipts",
    "court_completions",
    "court_backlog",
    "median_wait_months",
    "median_pending_age_months",
    "in_absentia_orders",
    "relief_granted",
    "removal_orders",
    "headcount_border_patrol",
    "headcount_ice",
    "hires_border_patrol",
    "hires_ice",
    "detention_cost_usd",
)


@dataclass(frozen=True)
class Prepared:
    """Everything a replicate reads that does not change between replicates."""

    inputs: MonthlyInputs
    border: BorderLaw
    returns_open: np.ndarray  # grid cells a return to Mexico is open to
    interior: InteriorLaw
    agencies: dict[str, Agency]
    directives: dict[str, tuple[np.ndarray, np.ndarray]]
    arrests_per_officer_month: float
    polygraph_in_data: float


def _serve(queue: np.ndarray, capacity: float) -> np.ndarray:
    """First in, first out: take ``capacity`` cases from the oldest filing months."""
    before = np.cumsum(queue) - queue
    return np.clip(capacity - before, 0.0, queue)


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    total = weights.sum()
    if total <= 0:
        return float("nan")
    return float(values[np.searchsorted(np.cumsum(weights), total / 2)])


def pathway_probabilities(prepared: Prepared, draw: dict[str, float]) -> np.ndarray:
    """For one replicate's draw: each month's, group's and nationality's chances of each
    pathway (month × group × nationality × PATHWAYS, summing to 1).

    The share claiming fear is set so that the simulated credible fear referrals — a fear claim
    by someone expedited removal reaches and DHS processes by it — reproduce the published
    credible fear cases per encounter of each year (capped at everyone)."""
    inputs = prepared.inputs
    use = draw["expedited_removal_use"]

    def shares(fear: np.ndarray) -> Shares:
        return Shares(
            at_port=inputs.at_port_share,
            fear=fear,
            prior_order=draw["prior_removal_order_share"],
            screen_cleared=draw["tvpra_screen_cleared_share"],
            family_child=draw["family_child_share"],
        )

    def by_pathway(fear: np.ndarray, expedited_use: float, uptake: float) -> np.ndarray:
        return pathway_shares(
            prepared.border, shares(fear), expedited_use, uptake, prepared.returns_open
        )

    # With no fear claims and full use, the expedited pathway holds everyone ER can reach.
    reach = by_pathway(np.zeros(len(inputs.months)), 1.0, 0.0)[
        ..., PATHWAYS.index("expedited_removal")
    ]
    reached = (reach * inputs.composition).sum(axis=(1, 2))
    referred = inputs.fear_share * draw["fear_share_multiplier"]
    fear = np.clip(referred / np.maximum(reached * use, 1e-12), 0.0, 1.0)
    probabilities = np.clip(by_pathway(fear, use, draw["return_uptake"]), 0, None)
    return probabilities / probabilities.sum(-1, keepdims=True)


def run(prepared: Prepared, draw: dict[str, float], rng: np.random.Generator) -> np.ndarray:
    """One replicate: an array metric × month (rows in ``METRICS`` order)."""
    inputs = prepared.inputs
    months = len(inputs.months)
    expected = inputs.encounters[:, None, None] * inputs.composition
    people = rng.poisson(expected)
    flows = rng.multinomial(people, pathway_probabilities(prepared, draw))
    k = {p: i for i, p in enumerate(PATHWAYS)}
    total = flows.sum(axis=(1, 2))  # month × pathway

    staff = {
        name: headcount(
            agency,
            *prepared.directives[name],
            draw,
            prepared.polygraph_in_data,
            rng,
        )
        for name, agency in prepared.agencies.items()
    }
    reach = cooperation(draw["sanctuary_share"], draw["arrest_efficiency_without_cooperation"])
    reference = cooperation(
        REFERENCE_SANCTUARY_SHARE, draw["arrest_efficiency_without_cooperation"]
    )
    arrest_rate = (
        prepared.arrests_per_officer_month * draw["interior_arrest_multiplier"] * reach / reference
    )

    out = np.zeros((len(METRICS), months))
    row = {name: i for i, name in enumerate(METRICS)}
    out[row["encounters"]] = flows.sum(axis=(1, 2, 3))
    for pathway in PATHWAYS:
        out[row[f"pathway_{pathway}"]] = total[:, k[pathway]]
    returned = flows[:, :, :, k["returned_to_mexico"]].sum(axis=1)  # month × nationality
    for n, nationality in enumerate(NATIONALITIES):
        out[row[f"returns_to_mexico_{nationality}"]] = returned[:, n]
    out[row["returns_to_mexico_non_mexican"]] = returned[:, 1:].sum(axis=1)
    out[row["headcount_border_patrol"]], out[row["hires_border_patrol"]] = staff["border_patrol"]
    out[row["headcount_ice"]], out[row["hires_ice"]] = staff["ice"]

    age_bins = max(1, round(2 * inputs.days_pending_at_start / 30.44))
    queues = np.zeros((len(DOCKETS), age_bins + months))
    queues[2, :age_bins] = inputs.pending_at_start / age_bins  # ages spread evenly
    filed = np.arange(-age_bins, months, dtype=float)
    detained = inputs.detained_at_start  # the previous fiscal year's average population
    for m in range(months):
        days = calendar.monthrange(inputs.months[m].year, inputs.months[m].month)[1]
        arrests = rng.poisson(staff["ice"][0][m] * arrest_rate)
        interior_er = rng.binomial(
            arrests,
            prepared.interior.expedited_available[m] * draw["expedited_removal_use_interior"],
        )
        border_240 = total[m, k["notice_to_appear"]]
        seek_detention = rng.binomial(border_240, draw["detained_share_240"])
        fear_found = rng.binomial(total[m, k["credible_fear"]], inputs.fear_found_rate[m])
        # ICE beds hold credible fear cases, detained section 240 cases, interior arrests and
        # the share of border removals ICE books in (the rest leave from CBP custody).
        booked = rng.binomial(
            total[m, k["expedited_removal"]] + total[m, k["reinstated"]],
            draw["border_removals_booked_by_ice"],
        )
        admissions = total[m, k["credible_fear"]] + seek_detention + arrests + booked
        released = detained * min(days / inputs.length_of_stay_days[m], 1.0)
        capacity = inputs.beds[m] * draw["bed_occupancy_limit"]
        overflow = max(detained - released + admissions - capacity, 0.0)
        detained = detained - released + admissions - overflow
        docket_detained = seek_detention + arrests - interior_er
        kept = max(0.0, 1.0 - overflow / admissions) if admissions else 1.0
        receipts = np.array(
            [
                docket_detained * kept,
                total[m, k["returned_to_mexico"]],
                border_240
                - seek_detention
                + docket_detained * (1 - kept)
                + fear_found
                + total[m, k["to_hhs"]],
            ]
        )
        queues[:, age_bins + m] += receipts
        capacity_court = (
            (inputs.judges[m] + draw["judges_added_per_year"] * (m + 1) / 12)
            * draw["completions_per_judge_year"]
            / 12
        )
        served = np.zeros_like(queues)
        for d in range(len(DOCKETS)):
            served[d] = _serve(queues[d], capacity_court - served.sum())
        queues -= served
        done = served.sum(axis=1)
        absent = (
            np.array([0.0, draw["in_absentia_rate_mpp"], draw["in_absentia_rate_released"]]) * done
        )
        relief = np.array([draw["relief_rate"], draw["relief_rate_mpp"], draw["relief_rate"]]) * (
            done - absent
        )
        orders = done - absent - relief
        out[row["interior_arrests"], m] = arrests
        out[row["removals"], m] = (
            total[m, k["expedited_removal"]]
            + total[m, k["credible_fear"]]
            - fear_found
            + total[m, k["reinstated"]]
            + interior_er
            + orders[0]
        )
        out[row["detention_population"], m] = detained
        out[row["detention_capacity"], m] = capacity
        out[row["released_for_lack_of_beds"], m] = overflow
        out[row["court_receipts"], m] = receipts.sum()
        out[row["court_completions"], m] = done.sum()
        out[row["court_backlog"], m] = queues.sum()
        waited = m - filed
        # the wait that grows: filing to completion on the non-detained docket
        out[row["median_wait_months"], m] = _weighted_median(waited, served[2])
        out[row["median_pending_age_months"], m] = _weighted_median(
            np.tile(waited, len(DOCKETS)), queues.reshape(-1)
        )
        out[row["in_absentia_orders"], m] = absent.sum()
        out[row["relief_granted"], m] = relief.sum()
        out[row["removal_orders"], m] = orders.sum()
        out[row["detention_cost_usd"], m] = detained * days * inputs.bed_day_cost[m]
    _hold_last(out[row["median_wait_months"]])
    return out


def _hold_last(values: np.ndarray) -> None:
    """A month with no completion on the docket keeps the last wait seen (in place)."""
    for m in range(1, len(values)):
        if np.isnan(values[m]):
            values[m] = values[m - 1]
