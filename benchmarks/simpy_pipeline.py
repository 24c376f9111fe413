"""The enforcement pipeline of ``cruce.simulation.pipeline`` as a per-person discrete-event model in
SimPy (the peer of ``bench_simulation.py``; SimPy is a benchmark-only dependency).

Same inputs (a ``Prepared`` and one replicate's parameter ``draw``), same monthly structure,
but every person is an entity with its own SimPy process and events:

- **Encounters.** Each month, each group × nationality cell has a Poisson number of encounters
  (mean: the month's encounters × the cell's share), each arriving at a uniform instant of the
  month as its own process. The person is routed to a pathway with the probabilities
  ``pipeline.pathway_probabilities`` gives for the cell that month (as ``pipeline.run`` uses them).
- **Pathways.** Expedited removal and reinstatement: removed in the month; a share
  (``border_removals_booked_by_ice``) is booked into an ICE bed first, the rest leave from CBP
  custody.
  Credible fear: held in an ICE bed if one is free; fear found (the month's rate) → the
  non-detained docket, else removed. Notice to appear: ICE seeks to detain a share
  (``detained_share_240``); if a bed is free the case goes on the detained docket, else the
  person is released and the case goes on the non-detained docket. Return to Mexico: the MPP
  docket. To HHS: the non-detained docket. Repatriated (Mexican children): leaves.
- **Interior arrests.** A Poisson number each month, ICE headcount (``workforce.headcount`` —
  hiring is not per person) × arrests per officer × local cooperation; each arrestee is an
  entity held in an ICE bed if one is free, removed by expedited removal where it is available
  and used, else a case on the detained docket (non-detained if no bed was free).
- **Detention.** A ``simpy.Container`` of beds. Admission takes a bed if the month's capacity
  (funded beds × ``bed_occupancy_limit``) is not reached, else the person is released (the
  overflow); the stay is exponential with the month's mean length of stay, then the bed is given
  back.
- **Immigration court.** One ``simpy.PriorityStore`` of hearings ordered by (docket, filing
  instant, filing number): detained before MPP before non-detained, each first in, first out.
  The court holds the month's capacity of hearings (judges × completions per judge), spread
  evenly over the month (a fractional slot carries over); each hearing completes the case that
  is first in line. The pending cases at the start are entities on the non-detained docket,
  their filing instants spread evenly over twice the average days pending. A completed case
  draws its own outcome: in absentia (MPP and non-detained dockets, by rate), relief (by rate,
  if present), else a removal order; orders on the detained docket are removals.

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
from cruce.simulation.pipeline import Prepared, pathway_probabilities
from cruce.simulation.workforce import REFERENCE_SANCTUARY_SHARE, cooperation, headcount

METRICS = (
    "encounters",
    "returns_to_mexico_non_mexican",
    "interior_arrests",
    "removals",
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

    def add(self, metric: str, month: int) -> None:
        self.values[metric][month] += 1

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
        self.expected = (inputs.encounters[:, None, None] * inputs.composition).tolist()
        # Detention: one container of beds; the month's capacity is enforced at admission.
        self.capacity = (inputs.beds * draw["bed_occupancy_limit"]).tolist()
        self.beds = simpy.Container(self.env, capacity=math.ceil(max(self.capacity)) + 1)
        self.stay = inputs.length_of_stay_days.tolist()
        self.fear_found = inputs.fear_found_rate.tolist()
        self.booked = draw.get("border_removals_booked_by_ice", 0.0)
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
        self.arrests_expected = (ice * rate).tolist()
        self.interior_er = (
            prepared.interior.expedited_available * draw["expedited_removal_use_interior"]
        ).tolist()

    # -- entities ------------------------------------------------------------------------------

    def encounter(self, month: int, nationality: int, cumulative: list[float]):
        """One person encountered at the border, from arrival to leaving the pipeline."""
        rand = self.rand.random
        count = self.counts.add
        count("encounters", month)
        pathway = min(bisect.bisect_right(cumulative, rand() * cumulative[-1]), len(PATHWAYS) - 1)
        if pathway in (_PATHWAY["expedited_removal"], _PATHWAY["reinstated"]):
            if rand() < self.booked:  # held by ICE until removed; the rest leave from CBP
                self.admit(month)
            count("removals", month)
        elif pathway == _PATHWAY["credible_fear"]:
            self.admit(month)
            if rand() < self.fear_found[month]:
                yield from self.court_case(RELEASED)
            else:
                count("removals", month)
        elif pathway == _PATHWAY["notice_to_appear"]:
            detained = rand() < self.draw["detained_share_240"] and self.admit(month)
            yield from self.court_case(DETAINED if detained else RELEASED)
        elif pathway == _PATHWAY["returned_to_mexico"]:
            if nationality:  # not Mexican
                count("returns_to_mexico_non_mexican", month)
            yield from self.court_case(MPP)
        elif pathway == _PATHWAY["to_hhs"]:
            yield from self.court_case(RELEASED)
        # repatriated: leaves

    def arrest(self, month: int):
        """One interior arrest."""
        self.counts.add("interior_arrests", month)
        held = self.admit(month)
        if self.rand.random() < self.interior_er[month]:
            self.counts.add("removals", month)
            return
        yield from self.court_case(DETAINED if held else RELEASED)

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
                count("removals", month)

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
                if self.dockets.items:  # an idle slot is lost, as in the cohort model
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
        env.process(self.interior())
        env.process(self.court())
        env.process(self.monitor())
        env.run(until=self.starts[-1] + self.days[-1] + 1e-9)
        return self.counts.array()


def simulate(prepared: Prepared, draw: dict[str, float], seed: int) -> dict[str, np.ndarray]:
    """One replicate, per person: metric → monthly values (``METRICS``)."""
    return Pipeline(prepared, draw, seed).run()
