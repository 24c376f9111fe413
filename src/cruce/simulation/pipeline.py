"""One replicate of the enforcement pipeline, month by month, at cohort level, in named
stages: ``intake`` (encounters to pathways), ``workforce`` (headcount, arrest rate), then each
month ``arrivals`` (interior arrests, detention sought), ``detention`` and ``courts``.

encounters (nationality × group) → Title 42 expulsions (``expulsions``) and parole at the
ports (OFO parole; CBP One appointments from 2023-01) → pathway (shares from the rules, see
``pathways``) → custody (expedited removals and reinstatements of Mexicans leave from CBP custody
across the land border; everyone else bound for a summary removal, every credible fear case and
the detained section 240 cases need an ICE bed; funded beds × occupancy limit, releases at the
length of stay; admissions beyond the beds are released — CBP releases with a notice to appear
or on parole with ATD when custody is full) → immigration court (judges × completions per
judge; three dockets served in priority order — detained, then MPP, then non-detained — each
first in, first out) → removal (ICE removes up to its removal capacity — officers, flights,
countries that accept returns — and releases the rest on orders of supervision) → outcomes
(removals, in-absentia orders, relief, removal orders, still pending). Interior arrests come
from ICE headcount (``workforce``) and local cooperation.

Cohort level, not per person: flows between stocks are drawn as binomial and multinomial
counts, so a replicate costs the same for 10 thousand or 10 million encounters a year and every
step is a NumPy operation over arrays (see docs/methods.md for why).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from enum import IntEnum
from functools import cached_property

import numpy as np

from cruce.simulation.expulsions import allocate
from cruce.simulation.inputs import NATIONALITIES, MonthlyInputs
from cruce.simulation.mpp import Returns, uptake
from cruce.simulation.operations import LAWFUL_PATHWAYS, PANDEMIC_REMOVALS
from cruce.simulation.pathways import PATHWAYS, BorderLaw, InteriorLaw, Shares, pathway_shares
from cruce.simulation.workforce import METRICS as WORKFORCE_METRICS
from cruce.simulation.workforce import (
    REFERENCE_SANCTUARY_SHARE,
    Agency,
    Plan,
    cooperation,
    headcount,
)

METRICS = (
    "encounters",
    "title42_expulsions",
    *(f"pathway_{p}" for p in PATHWAYS),
    "returns_to_mexico_non_mexican",
    *(f"returns_to_mexico_{n}" for n in NATIONALITIES),
    "paroled_at_ports",
    "interior_arrests",
    "interior_vwp_removed_without_hearing",
    "removals",
    "removals_by_cbp",
    "removals_by_ice",
    "removal_orders_not_executed",
    "released_by_cbp_custody_full",
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
    *WORKFORCE_METRICS,
    "detention_cost_usd",
)


@dataclass(frozen=True)
class Prepared:
    """Everything a replicate reads that does not change between replicates."""

    inputs: MonthlyInputs
    border: BorderLaw
    returns_open: np.ndarray  # grid cells a return to Mexico is open to
    returns: Returns  # how many of them the return programs could take (``mpp``)
    expelled_share: np.ndarray  # by month: encounters expelled under Title 42 (``expulsions``)
    interior: InteriorLaw
    agencies: dict[str, Agency]
    directives: dict[str, Plan]
    arrests_per_officer_month: float
    polygraph_in_data: float
    cbp_one: np.ndarray  # by month: 1 while CBP One appointments are given (``operations``)
    pandemic_detention: np.ndarray  # by month: 1 while ICE holds detention below capacity
    pandemic_removals: np.ndarray  # by month: 1 while the pandemic limits removal flights
    pandemic_hearings: np.ndarray  # by month: 1 while non-detained hearings are postponed
    broad_priorities: np.ndarray  # by month: 1 while every removable person is a priority

    @cached_property
    def removals_recovering(self) -> np.ndarray:
        """By month: months since the pandemic's limits on removal flights ended (0 before)."""
        return PANDEMIC_REMOVALS.months_after(self.inputs.months)

    @cached_property
    def lawful_pathways(self) -> np.ndarray:
        """By month: 1 while the Circumvention of Lawful Pathways rule applies to arrivals."""
        return LAWFUL_PATHWAYS.months_in(self.inputs.months)


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
    pathway (month × group × nationality × PATHWAYS, summing to 1). Returns to Mexico run at
    the rate the return stage allows (``mpp.uptake``).

    The share claiming fear is set so that the simulated credible fear referrals — a fear claim
    by someone expedited removal reaches and DHS processes by it — reproduce the published
    credible fear cases per encounter of each year (capped at everyone)."""
    inputs = prepared.inputs
    use = expedited_use(prepared, draw)

    def shares(fear: np.ndarray) -> Shares:
        return Shares(
            at_port=inputs.at_port_share,
            fear=fear,
            prior_order=draw["prior_removal_order_share"],
            screen_cleared=draw["tvpra_screen_cleared_share"],
            family_child=draw["family_child_share"],
            outside_hemisphere=draw["other_outside_western_hemisphere_share"],
            stowaway=draw["border_stowaway_share"],
        )

    def by_pathway(fear: np.ndarray, used: np.ndarray, rate: np.ndarray | float) -> np.ndarray:
        return pathway_shares(prepared.border, shares(fear), used, rate, prepared.returns_open)

    # With no fear claims and full use, the expedited pathway holds everyone ER can reach.
    reach = by_pathway(np.zeros(len(inputs.months)), np.ones(len(inputs.months)), 0.0)[
        ..., PATHWAYS.index("expedited_removal")
    ]
    reached = (reach * inputs.composition).sum(axis=(1, 2))
    referred = inputs.fear_share * draw["fear_share_multiplier"]
    fear = np.clip(referred / np.maximum(reached * use, 1e-12), 0.0, 1.0)
    # the month's expected encounters a return is open to, for the ports' capacity to cap
    open_to_return = by_pathway(fear, use, 1.0)[..., PATHWAYS.index("returned_to_mexico")]
    kept = inputs.encounters * (1.0 - prepared.expelled_share)
    eligible = (open_to_return * inputs.composition).sum(axis=(1, 2)) * kept
    rate = uptake(prepared.returns, draw, eligible)
    probabilities = np.clip(by_pathway(fear, use, rate), 0, None)
    return probabilities / probabilities.sum(-1, keepdims=True)


def expedited_use(prepared: Prepared, draw: dict[str, float]) -> np.ndarray:
    """By month: the share of border cases expedited removal can reach that DHS processes by
    it — the fitted share, and while the Circumvention of Lawful Pathways rule applies the
    share DHS reached after Title 42 ended, when it returned most Title 8 encounters (families
    included) to expedited removal (never below the fitted share)."""
    base = draw["expedited_removal_use"]
    after = max(draw["expedited_removal_use_lawful_pathways"], base)
    return base + prepared.lawful_pathways * (after - base)


def fear_found_rate(prepared: Prepared, draw: dict[str, float]) -> np.ndarray:
    """By month: the share of credible fear cases found — the published rate of the year, and
    under the Circumvention of Lawful Pathways rule (its presumption of ineligibility, screened
    at a higher standard) the rule's rate, never above the published one."""
    published = prepared.inputs.fear_found_rate
    under_rule = np.minimum(draw["fear_found_rate_lawful_pathways"], published)
    return published + prepared.lawful_pathways * (under_rule - published)


class Docket(IntEnum):
    """The immigration court's three dockets, in the order judges serve them."""

    DETAINED = 0
    MPP = 1
    RELEASED = 2


@dataclass(frozen=True)
class Intake:
    """The border's month × nationality × pathway flows, the month × nationality returns to
    Mexico, and by month those expelled and those paroled at the ports before any pathway."""

    by_nationality: np.ndarray
    returned: np.ndarray
    expelled: np.ndarray  # the expected count (published)
    paroled: np.ndarray

    @property
    def by_pathway(self) -> np.ndarray:
        return self.by_nationality.sum(axis=1)

    def __call__(self, m: int, pathway: str) -> float:
        return self.by_nationality[m, :, PATHWAYS.index(pathway)].sum()

    def mexican(self, m: int, pathway: str) -> float:
        return self.by_nationality[m, NATIONALITIES.index("MX"), PATHWAYS.index(pathway)]


@dataclass(frozen=True)
class Staff:
    """Headcount and hires by agency (each month × 2), and interior arrests per ICE officer."""

    by_agency: dict[str, dict[str, np.ndarray]]  # agency → funnel stage → by month
    arrest_rate: float


@dataclass(frozen=True)
class Arrivals:
    """One month's draws ahead of detention: interior arrests (those ICE removes by expedited
    removal, those with an order already, those for the court), border notices to appear ICE
    seeks to detain, fear found, and the summary removals CBP carries out itself."""

    arrests: int
    interior_er: int
    interior_prior_order: int
    seek_detention: int
    fear_found: int
    removed_by_cbp: int  # Mexican expedited removals and reinstatements, across the land border
    interior_vwp: int = 0  # Visa Waiver Program overstays, removed with no hearing

    @property
    def interior_summary(self) -> int:
        """Interior arrests removed with no court hearing: expedited removal, an earlier
        order, or the Visa Waiver Program's removal (8 CFR 217.4(b))."""
        return self.interior_er + self.interior_prior_order + self.interior_vwp

    @property
    def interior_to_court(self) -> int:
        return self.arrests - self.interior_summary


@dataclass
class Stocks:
    """What carries from month to month: ICE's detained population and the court's queues
    (docket × filing month, oldest first)."""

    detained: float
    queues: np.ndarray
    age_bins: int
    unfiled: float = 0.0  # notices to appear issued for the non-detained docket, not yet filed


@dataclass(frozen=True)
class Detention:
    population: float
    capacity: float
    overflow: float  # admissions released for lack of beds
    kept: float  # the share of admissions the beds held
    summary_booked: float  # border summary removals (and fear not found) booked into a bed


@dataclass(frozen=True)
class Court:
    receipts: np.ndarray  # by docket
    served: np.ndarray  # docket × filing month
    done: np.ndarray  # completions by docket
    absent: np.ndarray  # in-absentia orders by docket
    relief: np.ndarray
    orders: np.ndarray


def paroled_at_ports(prepared: Prepared, draw: dict[str, float], processed: np.ndarray):
    """Expected paroles at the southwest border ports by month: OFO's share of the non-Mexican
    arrivals at a port, or once CBP One gives appointments, the appointments a month if more
    (capped at the arrivals at ports)."""
    inputs = prepared.inputs
    at_ports = processed[:, :, 1:].sum(axis=(1, 2)) * inputs.at_port_share
    days = np.array([calendar.monthrange(m.year, m.month)[1] for m in inputs.months])
    appointments = prepared.cbp_one * draw["cbp_one_appointments_per_day"] * days
    wanted = np.maximum(at_ports * draw["ofo_parole_share"], appointments)
    return np.minimum(wanted, at_ports)


def processed_at_border(
    prepared: Prepared, draw: dict[str, float]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Expected counts by month: those processed under Title 8 (month × group × nationality),
    those expelled under Title 42 and those paroled at the ports before any pathway."""
    inputs = prepared.inputs
    arriving = inputs.encounters[:, None, None] * inputs.composition
    expelled = inputs.encounters * prepared.expelled_share
    processed = arriving - allocate(arriving, expelled)
    paroled = paroled_at_ports(prepared, draw, processed)
    others = processed[:, :, 1:]  # parolees are non-Mexican, in proportion
    total = others.sum(axis=(1, 2))
    left = 1.0 - np.divide(paroled, total, out=np.zeros_like(total), where=total > 0)
    processed[:, :, 1:] = others * np.clip(left, 0.0, 1.0)[:, None, None]
    return processed, expelled, paroled


def intake(prepared: Prepared, draw: dict[str, float], rng: np.random.Generator) -> Intake:
    """Encounters drawn around history's counts; Title 42 expels the published count (who,
    ``expulsions.allocate``); OFO paroles some of those at the ports; the rest are each sent
    down a pathway."""
    processed, expelled, paroled = processed_at_border(prepared, draw)
    people = rng.poisson(processed)
    flows = rng.multinomial(people, pathway_probabilities(prepared, draw))
    returned = flows[:, :, :, PATHWAYS.index("returned_to_mexico")].sum(axis=1)
    return Intake(flows.sum(axis=1), returned, expelled, rng.poisson(paroled).astype(float))


def workforce(prepared: Prepared, draw: dict[str, float], rng: np.random.Generator) -> Staff:
    """Each agency's headcount under its hiring directives, and the interior arrest rate local
    cooperation allows (relative to the reference share the rate was calibrated at)."""
    staff = {
        name: headcount(agency, prepared.directives[name], draw, prepared.polygraph_in_data, rng)
        for name, agency in prepared.agencies.items()
    }
    efficiency = draw["arrest_efficiency_without_cooperation"]
    reach = cooperation(draw["sanctuary_share"], efficiency)
    reference = cooperation(REFERENCE_SANCTUARY_SHARE, efficiency)
    rate = prepared.arrests_per_officer_month * draw["interior_arrest_multiplier"] * reach
    return Staff(staff, rate / reference)


def arrivals(
    prepared: Prepared,
    draw: dict[str, float],
    rng: np.random.Generator,
    m: int,
    flows: Intake,
    staff: Staff,
) -> Arrivals:
    """Month ``m``'s interior arrests — fewer while the priority scheme in force names
    categories than while every removable person is a target — and the border cases headed
    for ICE or the court."""
    broad = prepared.broad_priorities[m]
    targeted = broad + (1.0 - broad) * draw["arrests_under_category_priorities"]
    arrests = rng.poisson(staff.by_agency["ice"]["headcount"][m] * staff.arrest_rate * targeted)
    available = prepared.interior.expedited_available[m]
    interior_er = rng.binomial(arrests, available * draw["expedited_removal_use_interior"])
    prior = rng.binomial(arrests - interior_er, draw["interior_prior_order_share"])
    vwp_rate = draw["interior_vwp_overstay_share"] * prepared.interior.vwp_removed_without_hearing(
        m
    )
    vwp = rng.binomial(arrests - interior_er - prior, vwp_rate)
    seek = rng.binomial(flows(m, "notice_to_appear"), draw["detained_share_240"])
    found = rng.binomial(flows(m, "credible_fear"), fear_found_rate(prepared, draw)[m])
    mexican = flows.mexican(m, "expedited_removal") + flows.mexican(m, "reinstated")
    by_cbp = rng.binomial(mexican, 1.0 - draw["border_removals_booked_by_ice"])
    return Arrivals(arrests, interior_er, prior, seek, found, by_cbp, vwp)


def detention(
    prepared: Prepared,
    draw: dict[str, float],
    rng: np.random.Generator,
    m: int,
    days: int,
    flows: Intake,
    came: Arrivals,
    stocks: Stocks,
) -> Detention:
    """ICE beds hold credible fear cases, detained section 240 cases, interior arrests and the
    border summary removals CBP does not carry out itself (every non-Mexican one: a removal
    flight; the Mexican share ICE books in); people leave at the length of stay, and admissions
    beyond the beds are released."""
    inputs = prepared.inputs
    summary = flows(m, "expedited_removal") + flows(m, "reinstated") - came.removed_by_cbp
    admissions = flows(m, "credible_fear") + came.seek_detention + came.arrests + summary
    released = stocks.detained * min(days / inputs.length_of_stay_days[m], 1.0)
    usable = 1.0 - prepared.pandemic_detention[m] * (1.0 - draw["pandemic_detention_share"])
    capacity = inputs.beds[m] * draw["bed_occupancy_limit"] * usable
    overflow = max(stocks.detained - released + admissions - capacity, 0.0)
    stocks.detained = stocks.detained - released + admissions - overflow
    kept = max(0.0, 1.0 - overflow / admissions) if admissions else 1.0
    return Detention(stocks.detained, capacity, overflow, kept, summary * kept)


def courts(
    prepared: Prepared,
    draw: dict[str, float],
    m: int,
    flows: Intake,
    came: Arrivals,
    held: Detention,
    stocks: Stocks,
) -> Court:
    """The month's filings join each docket; the judges' month of completions serves the
    detained docket first, then MPP, then the non-detained, each oldest first. People released
    for lack of beds — border summary cases and fear not found included — and those paroled at
    the ports are on the non-detained docket (a notice to appear) once DHS files it with the
    court, on average ``nta_filing_lag_months`` after issuing it (``nta_filed_share``: the rest
    are never filed within the horizon)."""
    docket_detained = came.seek_detention + came.interior_to_court
    unheld = flows(m, "expedited_removal") + flows(m, "reinstated") - came.removed_by_cbp
    unheld += flows(m, "credible_fear") - came.fear_found
    receipts = np.zeros(len(Docket))
    receipts[Docket.DETAINED] = docket_detained * held.kept
    receipts[Docket.MPP] = flows(m, "returned_to_mexico")
    issued = (
        flows(m, "notice_to_appear")
        - came.seek_detention
        + (docket_detained + unheld) * (1 - held.kept)
        + came.fear_found
        + flows(m, "to_hhs")
        + flows.paroled[m]
    ) * draw["nta_filed_share"]
    # DHS files a notice with the court months after issuing it: an exponential delay, which
    # starts full (the steady state at the first month's rate: notices issued before the start)
    if m == 0:
        stocks.unfiled = issued * draw["nta_filing_lag_months"]
    stocks.unfiled += issued
    filed = stocks.unfiled * min(1.0 / draw["nta_filing_lag_months"], 1.0)
    stocks.unfiled -= filed
    receipts[Docket.RELEASED] = filed
    stocks.queues[:, stocks.age_bins + m] += receipts
    judges = prepared.inputs.judges[m] + draw["judges_added_per_year"] * (m + 1) / 12
    capacity = judges * draw["completions_per_judge_year"] / 12
    # postponed non-detained hearings: the docket past the detained one is heard at a share
    heard = 1.0 - prepared.pandemic_hearings[m] * (1.0 - draw["pandemic_hearing_share"])
    served = np.zeros_like(stocks.queues)
    served[Docket.DETAINED] = _serve(stocks.queues[Docket.DETAINED], capacity)
    rest = (capacity - served.sum()) * heard
    for docket in (Docket.MPP, Docket.RELEASED):
        served[docket] = _serve(stocks.queues[docket], rest - served[Docket.MPP].sum())
    stocks.queues -= served
    done = served.sum(axis=1)
    absent = done * np.array([0.0, draw["in_absentia_rate_mpp"], draw["in_absentia_rate_released"]])
    present = done - absent
    relief = present * np.array([draw["relief_rate"], draw["relief_rate_mpp"], draw["relief_rate"]])
    return Court(receipts, served, done, absent, relief, present - relief)


@dataclass(frozen=True)
class Removal:
    by_cbp: float
    by_ice: float
    not_executed: float  # orders ICE could not carry out this month (orders of supervision)


def removal(
    prepared: Prepared,
    draw: dict[str, float],
    m: int,
    flows: Intake,
    came: Arrivals,
    held: Detention,
    court: Court,
) -> Removal:
    """CBP removes its Mexican summary cases across the land border; ICE removes those held
    with an order — border summary removals, fear not found, interior arrests with an order
    (expedited or earlier), the detained docket's removal orders — up to its removal capacity
    (officers and flights, less while the pandemic limits flights, recovering over
    ``removal_recovery_months`` once it ends), and releases the rest."""
    fear_not_found = (flows(m, "credible_fear") - came.fear_found) * held.kept
    interior = came.interior_summary * held.kept
    ready = held.summary_booked + fear_not_found + interior + court.orders[Docket.DETAINED]
    capacity = draw["ice_removal_capacity_year"] / 12 * removal_capacity_share(prepared, draw, m)
    by_ice = min(ready, capacity)
    return Removal(float(came.removed_by_cbp), by_ice, ready - by_ice)


def removal_capacity_share(prepared: Prepared, draw: dict[str, float], m: int) -> float:
    """The share of ICE's removal capacity usable in month ``m``: the pandemic's share while it
    limits flights, then rising linearly to the whole over ``removal_recovery_months`` (flights
    and countries' acceptance of returns came back over months, ``operations``)."""
    limited = 1.0 - draw["pandemic_removal_share"]
    if prepared.pandemic_removals[m]:
        return 1.0 - limited
    since = prepared.removals_recovering[m]
    if since <= 0:
        return 1.0
    return 1.0 - limited * max(1.0 - since / draw["removal_recovery_months"], 0.0)


def _opening_stocks(prepared: Prepared) -> Stocks:
    """The non-detained backlog at the start, its ages spread evenly over twice the published
    average days pending; detention at the previous fiscal year's average population."""
    inputs = prepared.inputs
    age_bins = max(1, round(2 * inputs.days_pending_at_start / 30.44))
    queues = np.zeros((len(Docket), age_bins + len(inputs.months)))
    queues[Docket.RELEASED, :age_bins] = inputs.pending_at_start / age_bins
    return Stocks(inputs.detained_at_start, queues, age_bins)


def run(prepared: Prepared, draw: dict[str, float], rng: np.random.Generator) -> np.ndarray:
    """One replicate: an array metric × month (rows in ``METRICS`` order)."""
    inputs = prepared.inputs
    months = len(inputs.months)
    flows = intake(prepared, draw, rng)
    staff = workforce(prepared, draw, rng)
    out = np.zeros((len(METRICS), months))
    row = {name: i for i, name in enumerate(METRICS)}
    out[row["encounters"]] = flows.by_pathway.sum(axis=1) + flows.expelled + flows.paroled
    out[row["title42_expulsions"]] = flows.expelled
    out[row["paroled_at_ports"]] = flows.paroled
    for pathway in PATHWAYS:
        out[row[f"pathway_{pathway}"]] = flows.by_pathway[:, PATHWAYS.index(pathway)]
    for n, nationality in enumerate(NATIONALITIES):
        out[row[f"returns_to_mexico_{nationality}"]] = flows.returned[:, n]
    out[row["returns_to_mexico_non_mexican"]] = flows.returned[:, 1:].sum(axis=1)
    for agency, funnel in staff.by_agency.items():
        for stage, values in funnel.items():
            out[row[f"{stage}_{agency}"]] = values

    stocks = _opening_stocks(prepared)
    filed = np.arange(-stocks.age_bins, months, dtype=float)
    for m in range(months):
        days = calendar.monthrange(inputs.months[m].year, inputs.months[m].month)[1]
        came = arrivals(prepared, draw, rng, m, flows, staff)
        held = detention(prepared, draw, rng, m, days, flows, came, stocks)
        court = courts(prepared, draw, m, flows, came, held, stocks)
        removed = removal(prepared, draw, m, flows, came, held, court)
        out[row["interior_arrests"], m] = came.arrests
        out[row["interior_vwp_removed_without_hearing"], m] = came.interior_vwp
        out[row["removals"], m] = removed.by_cbp + removed.by_ice
        out[row["removals_by_cbp"], m] = removed.by_cbp
        out[row["removals_by_ice"], m] = removed.by_ice
        out[row["removal_orders_not_executed"], m] = removed.not_executed
        summary = flows(m, "expedited_removal") + flows(m, "reinstated") - came.removed_by_cbp
        out[row["released_by_cbp_custody_full"], m] = summary * (1 - held.kept)
        out[row["detention_population"], m] = held.population
        out[row["detention_capacity"], m] = held.capacity
        out[row["released_for_lack_of_beds"], m] = held.overflow
        out[row["court_receipts"], m] = court.receipts.sum()
        out[row["court_completions"], m] = court.done.sum()
        out[row["court_backlog"], m] = stocks.queues.sum()
        waited = m - filed
        # the wait that grows: filing to completion on the non-detained docket
        out[row["median_wait_months"], m] = _weighted_median(waited, court.served[Docket.RELEASED])
        out[row["median_pending_age_months"], m] = _weighted_median(
            np.tile(waited, len(Docket)), stocks.queues.reshape(-1)
        )
        out[row["in_absentia_orders"], m] = court.absent.sum()
        out[row["relief_granted"], m] = court.relief.sum()
        out[row["removal_orders"], m] = court.orders.sum()
        out[row["detention_cost_usd"], m] = held.population * days * inputs.bed_day_cost[m]
    _hold_last(out[row["median_wait_months"]])
    return out


def _hold_last(values: np.ndarray) -> None:
    """A month with no completion on the docket keeps the last wait seen (in place)."""
    for m in range(1, len(values)):
        if np.isnan(values[m]):
            values[m] = values[m - 1]
