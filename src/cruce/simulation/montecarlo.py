"""Monte Carlo replicates of a scenario, in process or on Dask, and their quantile bands.

Replicate ``i`` of a scenario with seed ``s`` draws every random number from its own stream,
``numpy.random.default_rng([s, i])``: the same seed gives the same numbers whatever the number
of workers, the order replicates finish in, or a worker lost and its replicates run again.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import logging
import os
import pickle
from collections.abc import Callable
from pathlib import Path

import numpy as np
import polars as pl

from cruce import __version__
from cruce.law.timeline import timeline_named
from cruce.simulation.data import Evidence, fiscal_year
from cruce.simulation.expulsions import expelled_share
from cruce.simulation.inputs import month_range, monthly_inputs
from cruce.simulation.mpp import prepare_returns
from cruce.simulation.operations import (
    CBP_ONE,
    PANDEMIC_DETENTION,
    PANDEMIC_HEARINGS,
    PANDEMIC_REMOVALS,
    broad_priorities,
)
from cruce.simulation.parameters import parameters
from cruce.simulation.pathways import border_law, interior_law, returnable
from cruce.simulation.pipeline import METRICS, Prepared, run
from cruce.simulation.scenario import Scenario
from cruce.simulation.workforce import agencies, arrests_per_officer_month, plans

LOG = logging.getLogger(__name__)

QUANTILES = {"p05": 0.05, "p50": 0.5, "p95": 0.95}


def prepare(scenario: Scenario) -> tuple[Prepared, Evidence]:
    """Inputs and the rules' answers for every month of the scenario (shared by replicates)."""
    evidence = Evidence()
    months = month_range(scenario.first_month, scenario.months)
    given = {
        year: value.distribution.mean()
        for year, value in scenario.inputs.encounters_by_year.items()
    }
    inputs = monthly_inputs(months, evidence, given)
    timeline = timeline_named(scenario.timeline)
    instants = scenario.instants(months)
    border = border_law(instants, timeline)
    part_h = next(row for row in timeline.events if row.id == "KELLY-2017-PART-H")
    staff = agencies(scenario.first_month, evidence)
    polygraph = parameters()["polygraph_pass_rate"]
    for datum in polygraph.rows:
        evidence.use(datum)
    prepared = Prepared(
        inputs=inputs,
        border=border,
        returns_open=returnable(border, scenario.returns_to_mexico, instants, part_h),
        returns=prepare_returns(
            months,
            instants,
            timeline,
            scenario.returns_to_mexico == "part_h_as_directed",
            scenario.mexico_acceptance,
            scenario.port_capacity,
            evidence,
        ),
        expelled_share=expelled_share(timeline, months, evidence, scenario.rules_frozen_at),
        interior=interior_law(instants, timeline),
        agencies=staff,
        directives=plans(
            timeline,
            instants,
            months,
            scenario.hiring.funded_month,
            scenario.hiring.contract,
        ),
        arrests_per_officer_month=arrests_per_officer_month(staff["ice"], evidence),
        polygraph_in_data=polygraph.default.mean(),
        # CBP One is a program (frozen rules freeze it too); the pandemic is not
        cbp_one=CBP_ONE.months_in(frozen(months, scenario.rules_frozen_at)),
        pandemic_detention=PANDEMIC_DETENTION.months_in(months),
        pandemic_removals=PANDEMIC_REMOVALS.months_in(months),
        pandemic_hearings=PANDEMIC_HEARINGS.months_in(months),
        broad_priorities=broad_priorities(timeline, instants),
    )
    for parameter in parameters().values():
        if parameter.name not in scenario.parameters:
            for datum in parameter.rows:
                evidence.use(datum)
    return prepared, evidence


# Fields of a scenario that ``prepare`` does not read: another seed or replicate count reuses
# the prepared inputs.
_NOT_PREPARED = {"seed", "replicates"}


def _code_digest() -> str:
    """A digest of every file of the installed ``cruce`` package: its code, its law and its
    data. Any change to any of them makes every cached preparation stale."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(f"{__version__} numpy {np.__version__}".encode())
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix not in {".pyc", ".pyo"}:
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def preparation_key(scenario: Scenario) -> str:
    """What a preparation depends on: the scenario (less seed and replicates), and the code,
    law and data it was computed with."""
    fields = scenario.model_dump(mode="json", by_alias=True, exclude=_NOT_PREPARED)
    text = json.dumps(fields, sort_keys=True, default=str) + _code_digest()
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def cache_folder() -> Path:
    """Where prepared inputs are kept: ``$CRUCE_CACHE``, else ``$XDG_CACHE_HOME/cruce`` (by
    default ``~/.cache/cruce``). A private folder, never the run's store: the store is a result
    people pass around, and a pickle runs code when it is loaded."""
    if os.environ.get("CRUCE_CACHE"):
        return Path(os.environ["CRUCE_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "cruce"


def prepare_cached(scenario: Scenario, folder: Path | None = None) -> tuple[Prepared, Evidence]:
    """``prepare``, computed once per scenario, code, law and data, then read back (the rules
    for every month take seconds; reading them back, milliseconds). Unreadable or stale files
    are recomputed."""
    folder = folder or cache_folder()
    path = folder / f"prepared-{preparation_key(scenario)}.pickle"
    with (
        contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, AttributeError),
        path.open("rb") as stream,
    ):
        return pickle.load(stream)
    found = prepare(scenario)
    with contextlib.suppress(OSError):
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        # written aside, then renamed: a concurrent run never reads half a file
        staged = path.with_suffix(f".{os.getpid()}.tmp")
        staged.write_bytes(pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL))
        staged.replace(path)
    return found


def frozen(months: list[dt.date], at: dt.datetime | None) -> list[dt.date]:
    """The month a program is looked up at: each month, or the frozen instant's month."""
    return months if at is None else [at.date().replace(day=1)] * len(months)


def replicate(prepared: Prepared, scenario: Scenario, index: int) -> np.ndarray:
    """Replicate ``index``: metric × month."""
    rng = np.random.default_rng([scenario.seed, index])
    draw = {name: d.draw(rng) for name, d in sorted(scenario.distributions().items())}
    inputs = prepared.inputs
    if scenario.inputs.encounters_by_year:
        scale = {
            year: value.distribution.draw(rng) / value.distribution.mean()
            for year, value in sorted(scenario.inputs.encounters_by_year.items())
        }
        factor = np.array([scale.get(fiscal_year(m), 1.0) for m in inputs.months])
        inputs = dataclasses.replace(inputs, encounters=inputs.encounters * factor)
        prepared = dataclasses.replace(prepared, inputs=inputs)
    return run(prepared, draw, rng)


# Replicates per Dask task: a replicate takes about 10 ms, too little to pay a task's overhead
# (1 -> 2 workers: 1.6x one per task, 1.9x ten per task; benchmarks/bench_simulation.py).
BATCH = 10


def replicate_batch(prepared: Prepared, scenario: Scenario, indices: range) -> list[np.ndarray]:
    """Replicates ``indices`` (each with its own random stream, as ``replicate``)."""
    return [replicate(prepared, scenario, index) for index in indices]


def run_replicates(
    prepared: Prepared,
    scenario: Scenario,
    client=None,
    progress: Callable[[int], None] | None = None,
    replicates: int | None = None,
) -> np.ndarray:
    """All replicates (replicate × metric × month), on a Dask ``client`` if given.

    Work lost with a worker is run again; what the cluster still cannot run after
    ``DASK_ROUNDS`` rounds is run in process, so a run always finishes with the numbers of an
    undisturbed run (each replicate owns its random stream).
    """
    count = replicates or scenario.replicates
    results: list[np.ndarray | None] = [None] * count

    def keep(batch: range, values: list[np.ndarray]) -> None:
        for index, result in zip(batch, values, strict=True):
            results[index] = result
        if progress:
            progress(len(batch))

    batches = [range(i, min(i + BATCH, count)) for i in range(0, count, BATCH)]
    if client is not None:
        batches = _run_on_dask(client, prepared, scenario, batches, keep)
    for batch in batches:
        keep(batch, replicate_batch(prepared, scenario, batch))
    return np.stack(results)


# Rounds of resubmission after lost work, and how long a round waits for a worker to take the
# shared inputs (a LocalCluster's nanny restarts a killed worker in a few seconds).
DASK_ROUNDS = 3
WORKER_WAIT_S = 30.0


def _lost_work() -> tuple[type[BaseException], ...]:
    """Exceptions that mean a worker (or its copy of the inputs) is gone, not a failed replicate."""
    from concurrent.futures import CancelledError

    from distributed import KilledWorker
    from distributed.comm.core import CommClosedError

    return (KilledWorker, CancelledError, CommClosedError, OSError, TimeoutError)


def _run_on_dask(
    client,
    prepared: Prepared,
    scenario: Scenario,
    batches: list[range],
    keep: Callable[[range, list[np.ndarray]], None],
) -> list[range]:
    """Run ``batches`` on the cluster, resubmitting lost ones; return those still lost."""
    from distributed import as_completed

    lost_work = _lost_work()
    for round_ in range(DASK_ROUNDS):
        if not batches:
            break
        if round_:
            LOG.warning(
                "%d replicate batches were lost with a Dask worker; running them again "
                "(round %d of %d, then in process)",
                len(batches),
                round_ + 1,
                DASK_ROUNDS,
            )
        try:
            # hash=False: a fresh key per call, so releasing an earlier copy cannot race this one
            shared = client.scatter(prepared, broadcast=True, hash=False, timeout=WORKER_WAIT_S)
        except lost_work:
            continue
        futures = client.map(
            replicate_batch,
            [shared] * len(batches),
            [scenario] * len(batches),
            batches,
            pure=False,
            retries=1,
        )
        where = {future.key: batch for future, batch in zip(futures, batches, strict=True)}
        lost = []
        for future in as_completed(futures):
            try:
                values = future.result()
            except lost_work:
                lost.append(where[future.key])
                continue
            keep(where[future.key], values)
        batches = lost
    if batches:
        LOG.warning(
            "the Dask cluster lost work %d times; running the %d remaining batches in process",
            DASK_ROUNDS,
            len(batches),
        )
    return batches


def quantiles(values: np.ndarray, axis: int = 0) -> dict[str, np.ndarray]:
    """``QUANTILES`` of ``values`` along ``axis``, NaN ignored: ``np.nanquantile``'s numbers.

    ``np.nanquantile`` takes each column apart in Python (``apply_along_axis``: a second for a
    simulation's bands); without a NaN, ``np.quantile`` computes the same interpolation over the
    whole array at once, so only an array holding a NaN takes the slow path."""
    quantile = np.nanquantile if np.isnan(values).any() else np.quantile
    return dict(zip(QUANTILES, quantile(values, list(QUANTILES.values()), axis=axis), strict=True))


def bands(results: np.ndarray, prepared: Prepared, scenario: str) -> pl.DataFrame:
    """Mean and quantiles over replicates, by metric and month (long form)."""
    months = prepared.inputs.months
    frames = []
    for i, metric in enumerate(METRICS):
        values = results[:, i, :]
        columns = {
            "scenario": [scenario] * len(months),
            "metric": [metric] * len(months),
            "month": months,
            "mean": np.nanmean(values, axis=0),
        }
        columns |= quantiles(values)
        frames.append(pl.DataFrame(columns))
    return pl.concat(frames)


# Totals over the horizon (flows) or values at its end (stocks), with bands over replicates.
SUMMARY = {
    "returns_to_mexico_non_mexican": "sum",
    "returns_to_mexico_GT": "sum",
    "returns_to_mexico_HN": "sum",
    "returns_to_mexico_SV": "sum",
    "returns_to_mexico_OTHER": "sum",
    "removals": "sum",
    "removals_by_cbp": "sum",
    "removals_by_ice": "sum",
    "removal_orders_not_executed": "sum",
    "paroled_at_ports": "sum",
    "released_by_cbp_custody_full": "sum",
    "interior_arrests": "sum",
    "interior_vwp_removed_without_hearing": "sum",
    "in_absentia_orders": "sum",
    "relief_granted": "sum",
    "court_backlog": "last",
    "median_wait_months": "last",
    "median_pending_age_months": "last",
    "detention_population": "mean",
    "detention_capacity": "mean",
    "released_for_lack_of_beds": "sum",
    "headcount_border_patrol": "last",
    "headcount_ice": "last",
    "applicants_border_patrol": "sum",
    "applicants_ice": "sum",
    "hires_border_patrol": "sum",
    "hires_ice": "sum",
    "losses_border_patrol": "sum",
    "losses_ice": "sum",
    "salary_cost_usd_border_patrol": "sum",
    "salary_cost_usd_ice": "sum",
    "recruitment_cost_usd_border_patrol": "sum",
    "recruitment_cost_usd_ice": "sum",
    "contract_cost_usd_border_patrol": "sum",
    "detention_cost_usd": "sum",
}


def summary(results: np.ndarray, scenario: str) -> pl.DataFrame:
    """One row per headline figure: its quantiles over replicates."""
    rows = []
    for metric, how in SUMMARY.items():
        values = results[:, METRICS.index(metric), :]
        per_replicate = {
            "sum": values.sum(axis=1),
            "last": values[:, -1],
            "mean": values.mean(axis=1),
        }[how]
        row = {"scenario": scenario, "metric": metric, "over_horizon": how}
        row |= {name: float(np.nanquantile(per_replicate, q)) for name, q in QUANTILES.items()}
        rows.append(row)
    return pl.DataFrame(rows)


@contextlib.contextmanager
def dask_client(workers: int, scheduler: str | None = None):
    """A Dask client: to ``scheduler`` if given, else a LocalCluster of ``workers`` processes
    (one thread each: a replicate is NumPy-bound); ``workers`` 0 means no Dask (in process)."""
    if scheduler is None and workers == 0:
        yield None
        return
    from distributed import Client, LocalCluster

    # Clients are closed, not used as context managers: ``Client.__enter__`` makes the client
    # the thread's current one, which only that thread may undo, and the CLI starts the
    # cluster in a thread while it prepares the first scenario.
    if scheduler is not None:
        client = Client(scheduler)
        try:
            yield client
        finally:
            client.close()
        return
    with LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=50,
    ) as cluster:
        client = Client(cluster)
        try:
            yield client
        finally:
            client.close()
