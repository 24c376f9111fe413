"""The enforcement pipeline of ``cruce.simulation.pipeline`` as a per-person discrete-event model in
SimPy (the peer of ``bench_simulation.py``; SimPy is a benchmark-only dependency).

Same inputs (a ``Prepared`` and one replicate's parameter ``draw``), same monthly structure,
but every person is an entity with its own SimPy process and events:

- **Encounters.** Each month, each group × nationality cell has a Poisson number of people
  processed under Title 8 (mean: ``pipeline.processed_at_border``, the month's encounters ×
  the cell's share, less the Title 42 expulsions and the paroles at the ports), each arriving
  at a uniform instant of the month as its own process, and routed to a pathway with the
  probabilities ``pipeline.pathway_probabilities`` gives for the cell that month. Expulsions
  count as encounters and leave; each person paroled at a port (a Poisson count a month) gets
  a notice to appear.
- **Pathways.** Expedited removal and reinstatement: CBP removes a Mexican across the land
  border unless ICE books them in (``border_removals_booked_by_ice``); everyone else seeks an
  ICE bed and is removed by ICE from it, or, with no bed free, is released with a notice to
  appear. Credible fear: seeks a bed; fear found (the month's rate, lower under the Lawful
  Pathways rule) → a notice to appear; not found → removed by ICE if held, else a notice.
  Notice to appear: ICE seeks to detain a share (``detained_share_240``); held → the detained
  docket, else a notice. Return to Mexico: the MPP docket. To HHS: a notice. Repatriated
  (Mexican children): leaves.
- **Notices to appear.** Each is filed with the court with probability ``nta_filed_share``,
  after an exponential delay of mean ``nta_filing_lag_months``, on the non-detained docket.
- **Interior arrests.** A Poisson number each month, ICE headcount (``workforce.headcount`` —
  hiring is not per person) × arrests per officer × local cooperation × the priority scheme's
  factor; each arrestee seeks a bed; expedited removal where available and used, else an
  earlier order (``interior_prior_order_share``): removed by ICE if held; else a case on the
  detained docket (a notice if no bed was free).
- **Removal.** ICE removes up to the month's removal capacity (``ice_removal_capacity_year``
  / 12 × the pandemic's share, recovering after it, ``pipeline.removal_capacity_share``);
  an order beyond it is not executed (an order of supervision).
- **Detention.** A ``simpy.Container`` of beds. Admission takes a bed if the month's capacity
  (funded beds × ``bed_occupancy_limit``, × ``pandemic_detention_share`` in the pandemic) is not
  reached, else the person is released (the overflow); the stay is exponential with the month's
  mean length of stay, then the bed is given back.
- **Immigration court.** One ``simpy.PriorityStore`` of hearings ordered by (docket, filing
  instant, filing number): detained before MPP before non-detained, each first in, first out.
  The court holds the month's capacity of hearings (judges × completions per judge), spread
  evenly over the month (a fractional slot carries over); each hearing completes the case that
  is first in line (while the pandemic postpones hearings, a slot past the detained docket is
  held with probability ``pandemic_hearing_share``). The pending cases at the start are
  entities on the non-detained docket, their filing instants spread evenly over twice the
  average days pending. A completed case draws its own outcome: in absentia (MPP and
  non-detained dockets, by rate), relief (by rate, if present), else a removal order; orders
  on the detained docket go to ICE for removal.

Outputs are monthly counts (``METRICS`` here; the same names and meanings as in
``pipeline.METRICS``). Stocks (``court_backlog``, ``detention_population``) are read at the end
of each month. Random numbers: NumPy for the monthly Poisson counts and the workforce, Python's
``random.Random`` (same seed) for every person's own draws.
"""

from __future__ import annotations

import bisect
import calendar
import itertools
import math
import random
from dataclasses import dataclass, field

import numpy as np
import simpy

from cruce.simulation.inputs import GROUPS, NATIONALITIES
from cruce.simulation.pathways import PATHWAYS
from cruce.simulation.pipeline import (
    Prepared,
    fear_found_rate,
    pathway_probabilities,
    processed_at_border,
    removal_capacity_share,
)
from cruce.simulation.workforce import REFERENCE_SANCTUARY_SHARE, cooperation, headcount

METRICS = (
    "encounters",
    "returns_to_mexico_non_mexican",
    "interior_arrests",
    "removals",
    "removal_orders_not_executed",
    "detention_population",
    "released_for_lack_of_beds",
    "court_receipts",
    "court_completions",
    "court_backlog",
    "in_absentia_orders",
    "relief_granted",
    "removal_orders",
)
DETAINED, MPP, RELEASED = 0, 1, 2  # docket ranks: served in this order
DAYS_PER_MONTH = 30.44
_PATHWAY = {name: i for i, name in enumerate(PATHWAYS)}


@dataclass
class Counts:
    """Monthly tallies (metric → one counter per month)."""

    months: int
    values: dict[str, list[float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.values = {name: [0.0] * self.months for name in METRICS}

    def add(self, metric: str, month: int, value: float = 1.0) -> None:
        self.values[metric][month] += value

    def array(self) -> dict[str, np.ndarray]:
        return {name: np.array(series) for name, series in self.values.items()}


class Pipeline:
    """One replicate as a SimPy environment: build it, then ``run()``."""

    def __init__(self, prepared: Prepared, draw: dict[str, float], seed: int) -> None:
        self.prepared = prepared
        self.draw = draw
        self.inputs = inputs = prepared.inputs
        self.n_months = len(inputs.months)
        self.np_rng = np.random.default_rng(seed)
        self.rand = random.Random(seed)
        self.env = simpy.Environment()
        self.counts = Counts(self.n_months)
        self.month = 0  # the month the clock is in (advanced by the month-end monitor)
        self.people = 0  # entities created (encounters, arrests, pending cases)
        days = [calendar.monthrange(m.year, m.month)[1] for m in inputs.months]
        self.days = days
        self.starts = list(itertools.accumulate([0, *days[:-1]]))
        # Routing: the same pathway shares as pipeline.run, as cumulative probabilities.
        probabilities = pathway_probabilities(prepared, draw)
        self.cumulative = np.cumsum(probabilities, axis=-1).tolist()  # month × g × n × pathway
        processed, self.expelled, paroled = processed_at_border(prepared, draw)
        self.expected = processed.tolist()
        self.paroled = paroled.tolist()
        # Detention: one container of beds; the month's capacity is enforced at admission.
        usable = 1.0 - prepared.pandemic_detention * (1.0 - draw["pandemic_detention_share"])
        self.capacity = (inputs.beds * draw["bed_occupancy_limit"] * usable).tolist()
        self.beds = simpy.Container(self.env, capacity=math.ceil(max(self.capacity)) + 1)
        self.stay = inputs.length_of_stay_days.tolist()
        self.fear_found = fear_found_rate(prepared, draw).tolist()
        self.booked = draw.get("border_removals_booked_by_ice", 0.0)
        # Removal: ICE's capacity a month, and what it has used of it.
        self.removal_capacity = [
            draw["ice_removal_capacity_year"] / 12 * removal_capacity_share(prepared, draw, m)
            for m in range(self.n_months)
        ]
        self.removed_by_ice = [0.0] * self.n_months
        self.filing_lag_days = draw["nta_filing_lag_months"] * DAYS_PER_MONTH
        self.issued = 0  # notices to be filed issued in the first month
        self.heard = (
            1.0 - prepared.pandemic_hearings * (1.0 - draw["pandemic_hearing_share"])
        ).tolist()
        # Court.
        self.dockets = simpy.PriorityStore(self.env)
        self.filed = itertools.count()
        self.court_capacity = [
            (inputs.judges[m] + draw["judges_added_per_year"] * (m + 1) / 12)
            * draw["completions_per_judge_year"]
            / 12
            for m in range(self.n_months)
        ]
        self.absent_rate = (0.0, draw["in_absentia_rate_mpp"], draw["in_absentia_rate_released"])
        self.relief_rate = (draw["relief_rate"], draw["relief_rate_mpp"], draw["relief_rate"])
        # Interior arrests: ICE headcount (the hiring funnel is not per person) × rate.
        ice = headcount(
            prepared.agencies["ice"],
            prepared.directives["ice"],
            draw,
            prepared.polygraph_in_data,
            self.np_rng,
        )["headcount"]
        reach = cooperation(draw["sanctuary_share"], draw["arrest_efficiency_without_cooperation"])
        reference = cooperation(
            REFERENCE_SANCTUARY_SHARE, draw["arrest_efficiency_without_cooperation"]
        )
        rate = (
            prepared.arrests_per_officer_month
            * draw["interior_arrest_multiplier"]
            * reach
            / reference
        )
        broad = prepared.broad_priorities
        targeted = broad + (1.0 - broad) * draw["arrests_under_category_priorities"]
        self.arrests_expected = (ice * rate * targeted).tolist()
        self.interior_er = (
            prepared.interior.expedited_available * draw["expedited_removal_use_interior"]
        ).tolist()

    # -- entities ------------------------------------------------------------------------------

    def encounter(self, month: int, nationality: int, cumulative: list[float]):
        """One person processed at the border, from arrival to leaving the pipeline."""
        rand = self.rand.random
        self.counts.add("encounters", month)
        pathway = min(bisect.bisect_right(cumulative, rand() * cumulative[-1]), len(PATHWAYS) - 1)
        if pathway in (_PATHWAY["expedited_removal"], _PATHWAY["reinstated"]):
            if nationality == 0 and rand() >= self.booked:  # CBP, across the land border
                self.counts.add("removals", month)
            elif self.admit(month):
                self.remove_by_ice(month)
            else:
                yield from self.notice()
        elif pathway == _PATHWAY["credible_fear"]:
            held = self.admit(month)
            if rand() < self.fear_found[month]:
                yield from self.notice()
            elif held:
                self.remove_by_ice(month)
            else:
                yield from self.notice()
        elif pathway == _PATHWAY["notice_to_appear"]:
            detained = rand() < self.draw["detained_share_240"] and self.admit(month)
            yield from self.court_case(DETAINED) if detained else self.notice()
        elif pathway == _PATHWAY["returned_to_mexico"]:
            if nationality:  # not Mexican
                self.counts.add("returns_to_mexico_non_mexican", month)
            yield from self.court_case(MPP)
        elif pathway == _PATHWAY["to_hhs"]:
            yield from self.notice()
        # repatriated: leaves

    def paroled_at_port(self, month: int):
        """One person paroled at a port (OFO parole, a CBP One appointment): a notice."""
        self.counts.add("encounters", month)
        yield from self.notice()

    def notice(self):
        """A notice to appear for the non-detained docket: filed with the court (a share of
        them) after an exponential delay."""
        if self.rand.random() >= self.draw["nta_filed_share"]:
            return
        self.issued += self.month == 0
        yield self.env.timeout(self.rand.expovariate(1.0 / self.filing_lag_days))
        yield from self.court_case(RELEASED)

    def unfiled(self):
        """A notice issued before the start, filed after the rest of its (memoryless) delay."""
        yield self.env.timeout(self.rand.expovariate(1.0 / self.filing_lag_days))
        yield from self.court_case(RELEASED)

    def remove_by_ice(self, month: int) -> None:
        """ICE removes a person held with an order, if the month's capacity has room."""
        if self.removed_by_ice[month] + 1 <= self.removal_capacity[month]:
            self.removed_by_ice[month] += 1
            self.counts.add("removals", month)
        else:
            self.counts.add("removal_orders_not_executed", month)

    def arrest(self, month: int):
        """One interior arrest."""
        self.counts.add("interior_arrests", month)
        held = self.admit(month)
        rand = self.rand.random
        if rand() < self.interior_er[month] or rand() < self.draw["interior_prior_order_share"]:
            if held:
                self.remove_by_ice(month)
            return
        yield from self.court_case(DETAINED) if held else self.notice()

    def admit(self, month: int) -> bool:
        """Seek an ICE bed: held (a detention process starts) or released for lack of beds."""
        if self.beds.level + 1 > self.capacity[month]:
            self.counts.add("released_for_lack_of_beds", month)
            return False
        self.env.process(self.detention(month, self.beds.put(1)))
        return True

    def detention(self, month: int, bed: simpy.events.Event):
        """A bed from admission to release, an exponential stay with the month's mean."""
        yield bed  # taken at admission (the container's level counts it at once)
        yield self.env.timeout(self.rand.expovariate(1.0 / self.stay[month]))
        yield self.beds.get(1)

    def court_case(self, docket: int, filed_at: float | None = None):
        """A case from filing to completion and its outcome."""
        hearing = self.env.event()
        at = self.env.now if filed_at is None else filed_at
        if filed_at is None:
            self.counts.add("court_receipts", self.month)
        yield self.dockets.put(simpy.PriorityItem((docket, at, next(self.filed)), hearing))
        yield hearing  # a judge hears it (the court process succeeds the event)
        month, rand, count = self.month, self.rand.random, self.counts.add
        count("court_completions", month)
        if rand() < self.absent_rate[docket]:
            count("in_absentia_orders", month)
        elif rand() < self.relief_rate[docket]:
            count("relief_granted", month)
        else:
            count("removal_orders", month)
            if docket == DETAINED:
                self.remove_by_ice(month)

    def pending_case(self, filed_at: float):
        yield from self.court_case(RELEASED, filed_at)

    # -- sources and the court ------------------------------------------------------------------

    def arrivals(self, group: int, nationality: int):
        """Encounters of one group × nationality cell: a Poisson count a month, uniform times."""
        env, uniform = self.env, self.rand.random
        for m in range(self.n_months):
            count = self.np_rng.poisson(self.expected[m][group][nationality])
            start, days = self.starts[m], self.days[m]
            cumulative = self.cumulative[m][group][nationality]
            for at in sorted(start + days * uniform() for _ in range(count)):
                yield env.timeout(at - env.now)
                self.people += 1
                env.process(self.encounter(m, nationality, cumulative))
            yield env.timeout(start + days - env.now)

    def ports(self):
        """Paroles at the ports: a Poisson count a month, uniform times; the month's Title 42
        expulsions count as encounters (their expected number, as in the cohort model)."""
        env, uniform = self.env, self.rand.random
        for m in range(self.n_months):
            self.counts.add("encounters", m, float(self.expelled[m]))
            count = self.np_rng.poisson(self.paroled[m])
            start, days = self.starts[m], self.days[m]
            for at in sorted(start + days * uniform() for _ in range(count)):
                yield env.timeout(at - env.now)
                self.people += 1
                env.process(self.paroled_at_port(m))
            yield env.timeout(start + days - env.now)

    def interior(self):
        """Interior arrests: a Poisson count a month, uniform times."""
        env, uniform = self.env, self.rand.random
        for m in range(self.n_months):
            count = self.np_rng.poisson(self.arrests_expected[m])
            start, days = self.starts[m], self.days[m]
            for at in sorted(start + days * uniform() for _ in range(count)):
                yield env.timeout(at - env.now)
                self.people += 1
                env.process(self.arrest(m))
            yield env.timeout(start + days - env.now)

    def court(self):
        """The month's hearings, evenly spaced; each completes the first case in line."""
        env, carry = self.env, 0.0
        for m in range(self.n_months):
            slots = self.court_capacity[m] + carry
            hearings = math.floor(slots)
            carry = slots - hearings
            start, gap = self.starts[m], self.days[m] / max(hearings, 1)
            for k in range(hearings):
                yield env.timeout(start + (k + 0.5) * gap - env.now)
                if not self.dockets.items:  # an idle slot is lost, as in the cohort model
                    continue
                postponed = self.dockets.items[0].priority[0] != DETAINED
                if postponed and self.rand.random() >= self.heard[m]:
                    continue
                item = yield self.dockets.get()
                item.item.succeed()
            yield env.timeout(start + self.days[m] - env.now)

    def monitor(self):
        """Stocks at the end of each month."""
        counts = self.counts.values
        for m in range(self.n_months):
            yield self.env.timeout(self.starts[m] + self.days[m] - self.env.now)
            counts["detention_population"][m] = self.beds.level
            counts["court_backlog"][m] = len(self.dockets.items)
            if m == 0:  # notices issued before the start and not yet filed (as the cohort's)
                before = self.np_rng.poisson(self.issued * self.draw["nta_filing_lag_months"])
                for _ in range(before):
                    self.env.process(self.unfiled())
            self.month = min(m + 1, self.n_months - 1)

    def run(self) -> dict[str, np.ndarray]:
        env, inputs = self.env, self.inputs
        age_bins = max(1, round(2 * inputs.days_pending_at_start / DAYS_PER_MONTH))
        pending = round(inputs.pending_at_start)
        span = age_bins * DAYS_PER_MONTH
        for i in range(pending):
            self.people += 1
            env.process(self.pending_case(-span + span * (i + 0.5) / pending))
        for _ in range(round(inputs.detained_at_start)):  # in detention at the start
            self.people += 1
            self.env.process(self.detention(0, self.beds.put(1)))
        for group in range(len(GROUPS)):
            for nationality in range(len(NATIONALITIES)):
                env.process(self.arrivals(group, nationality))
        env.process(self.ports())
        env.process(self.interior())
        env.process(self.court())
        env.process(self.monitor())
        env.run(until=self.starts[-1] + self.days[-1] + 1e-9)
        return self.counts.array()


def simulate(prepared: Prepared, draw: dict[str, float], seed: int) -> dict[str, np.ndarray]:
    """One replicate, per person: metric → monthly values (``METRICS``)."""
    return Pipeline(prepared, draw, seed).run()
