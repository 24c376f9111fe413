"""Benchmarks of the enforcement pipeline (``cruce.simulation``): one replicate at full scale,
against a per-person SimPy model of the same pipeline, and 200 replicates on Dask.

Three things are measured (budgets and goals from the design doc):

1. **Cruce at full scale.** The shipped scenario ``kelly-2017-as-applied`` extended to 120 months
   (FY2017–FY2026): FY2025 and FY2026 are not in the shipped tables, so the scenario gets them as
   fixed ``inputs.encounters_by_year`` (the midpoints of the assumption ranges of the shipped
   ``enforcement-2025`` scenario). The prepared inputs' encounters are then scaled by one factor
   so that the 10 years total 10,000,000 (1,000,000 a year on average, the historical shape
   kept). ``prepare`` (the rules' answers for every month; shared by replicates) and one
   replicate (``montecarlo.replicate``, and ``pipeline.run`` alone with a fixed draw) are timed
   separately. Budget: one replicate under 5 s.
2. **Cruce against SimPy** (``benchmarks/simpy_pipeline.py``, a per-person discrete-event model
   of the same pipeline). SimPy at full scale takes about 9 minutes and 4 GB on a 2-CPU machine
   (10 million encounter processes; every pending court case is a live entity), so by default
   both models run on the same prepared inputs **reduced by a factor** (``--scale``, 1/10):
   encounters, funded beds, judges, the court backlog at the start and interior arrests per
   officer are all multiplied by it, so the reduced system keeps the full one's dynamics
   (detention at capacity in the surge years, a growing court backlog). Both run with the same
   parameter draw (replicate 0's) and several seeds; the time per encounter is compared
   (goal: Cruce at least 50x faster), and the key statistics (totals over the horizon; the court
   backlog at the end; mean detention population) must agree: PASS when the difference of the
   means is within 3 standard errors (sampling: the spread over seeds of each model) or within
   ``--tolerance`` (1%, the two models' different time steps: month ends against continuous
   time). ``--simpy-full`` also runs SimPy once at full scale (one seed; its spread is taken to
   be Cruce's).
3. **Dask scaling.** ``montecarlo.run_replicates`` of 200 replicates of the full-scale scenario
   on a ``distributed.LocalCluster`` of 1 and of 2 worker processes (one thread each), best of
   ``--dask-runs``, after a warm-up (workers import Cruce and receive the scattered inputs); the
   cluster start is timed apart. Goal: 2 workers at least 1.7x faster than 1. The results must be
   identical (``np.array_equal``) with 1 worker, 2 workers and in process. A diagnostic (not
   Cruce's API) runs the same replicates one to a task (``client.map`` of
   ``montecarlo.replicate``), to show what the per-task overhead would cost without batching.

Run ``.venv/bin/python benchmarks/bench_simulation.py`` (``make bench``; SimPy is a
benchmark-only peer: ``.venv/bin/pip install -e '.[test,bench,peers]'``);
results are printed as a table and saved to ``benchmarks/results/simulation.json``. Quick:
``--scale 0.01 --simpy-seeds 3 --replicates 40 --dask-runs 1``.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import importlib.metadata
import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from _common import print_checks, save
from cruce.simulation.montecarlo import prepare, replicate, run_replicates
from cruce.simulation.pipeline import METRICS, Prepared, run
from cruce.simulation.scenario import Scenario, load_scenario, parse_scenario

try:
    import simpy_pipeline
except ModuleNotFoundError as error:  # pragma: no cover - depends on the environment
    raise SystemExit(
        "the SimPy peer needs simpy: .venv/bin/pip install -e '.[test,bench,peers]'"
    ) from error

RESULTS_PATH = Path(__file__).resolve().parent / "results" / "simulation.json"

SCENARIO = "kelly-2017-as-applied"
MONTHS = 120  # FY2017-FY2026
YEARLY_ENCOUNTERS = 1_000_000
# FY2025 and FY2026 are not in data/swb_encounters.csv: the midpoints of the ranges the shipped
# enforcement-2025 scenario assumes (uniform 150k-600k and 100k-600k). Only the shape matters:
# every year is then scaled by the same factor.
EXTRA_YEARS = {2025: 375_000.0, 2026: 350_000.0}

RUN_BUDGET_S = 5.0  # one replicate, 10 years, about 1M encounters a year
RATIO_GOAL = 50.0  # Cruce at least 50x faster than an equivalent SimPy model
SPEEDUP_GOAL = 1.7  # 200 replicates on 2 Dask workers against 1
DEFAULT_SCALE = 0.1
DEFAULT_TOLERANCE = 0.01
PREPARE_RUNS = 3
REPLICATE_RUNS = 20
CRUCE_SEEDS = 20
SIMPY_SEEDS = 4
REPLICATES = 200
DASK_RUNS = 5
CHUNK_SIZE = 1  # replicates per task in the diagnostic (run_replicates batches its own)
SEED = 2017

# The key statistics, and how each is summed up over the horizon.
KEY = {
    "encounters": "sum",
    "returns_to_mexico_non_mexican": "sum",
    "removals": "sum",
    "interior_arrests": "sum",
    "court_completions": "sum",
    "court_backlog": "last",
    "detention_population": "mean",
}
# Shown for information (not checked): where the two models' time steps differ most.
EXTRA = {
    "detention_population": "last",
    "released_for_lack_of_beds": "sum",
    "court_receipts": "sum",
    "in_absentia_orders": "sum",
    "relief_granted": "sum",
    "removal_orders": "sum",
}


def progress(message: str) -> None:
    print(f"… {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# The scenario at full scale, and reduced
# --------------------------------------------------------------------------------------------


def full_scenario(months: int = MONTHS) -> Scenario:
    """The shipped scenario over ``months``, with the fiscal years the tables lack as fixed
    inputs (validated like a scenario file)."""
    data = load_scenario(SCENARIO).model_dump(by_alias=True, mode="json")
    data["months"] = months
    data["name"] = f"{SCENARIO}-bench"
    data["inputs"] = {
        "encounters_by_year": {
            year: {
                "distribution": {"kind": "fixed", "value": value},
                "note": "benchmark: midpoint of the enforcement-2025 scenario's assumed range",
            }
            for year, value in EXTRA_YEARS.items()
        }
    }
    return parse_scenario(data, "bench_simulation.py")


def at_yearly(prepared: Prepared, yearly: float) -> tuple[Prepared, float]:
    """Encounters scaled by one factor so that they average ``yearly`` a year."""
    encounters = prepared.inputs.encounters
    factor = yearly * len(encounters) / 12 / encounters.sum()
    inputs = dataclasses.replace(prepared.inputs, encounters=encounters * factor)
    return dataclasses.replace(prepared, inputs=inputs), float(factor)


def reduced(
    prepared: Prepared, draw: dict[str, float], scale: float
) -> tuple[Prepared, dict[str, float]]:
    """The whole system times ``scale``: encounters, beds, judges, backlog, detained at the
    start, arrest rate, and the draws that are counts (removal capacity, CBP One appointments,
    the return ports' capacities)."""
    inputs = prepared.inputs
    small = dataclasses.replace(
        inputs,
        encounters=inputs.encounters * scale,
        beds=inputs.beds * scale,
        judges=inputs.judges * scale,
        pending_at_start=inputs.pending_at_start * scale,
        detained_at_start=inputs.detained_at_start * scale,
    )
    return (
        dataclasses.replace(
            prepared,
            inputs=small,
            arrests_per_officer_month=prepared.arrests_per_officer_month * scale,
        ),
        draw | {name: draw[name] * scale for name in SCALED_DRAWS},
    )


# Parameters that are counts of the whole system (the rest are shares and rates).
SCALED_DRAWS = (
    "judges_added_per_year",
    "ice_removal_capacity_year",
    "cbp_one_appointments_per_day",
    "mpp_site_capacity",
    "mpp_site_capacity_before_agreement",
)


def replicate_draw(scenario: Scenario, index: int = 0) -> dict[str, float]:
    """Replicate ``index``'s parameter draw, made as ``montecarlo.replicate`` makes it."""
    rng = np.random.default_rng([scenario.seed, index])
    return {name: d.draw(rng) for name, d in sorted(scenario.distributions().items())}


# --------------------------------------------------------------------------------------------
# Timing
# --------------------------------------------------------------------------------------------


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = call()
    return time.perf_counter() - start, value


def summary_times(times: list[float]) -> dict[str, Any]:
    return {
        "runs": len(times),
        "first_s": round(times[0], 4),
        "best_s": round(min(times), 4),
        "median_s": round(statistics.median(times), 4),
        "all_s": [round(t, 4) for t in times],
    }


def cruce_full_scale(scenario: Scenario, yearly: float) -> tuple[Prepared, dict[str, Any]]:
    progress(f"prepare: {scenario.months} months, {PREPARE_RUNS} runs")
    prepare_times, prepared = [], None
    for _ in range(PREPARE_RUNS):
        seconds, (prepared, _evidence) = timed(lambda: prepare(scenario))
        prepare_times.append(seconds)
    full, factor = at_yearly(prepared, yearly)
    progress(f"replicate: {REPLICATE_RUNS} replicates at ~{yearly:,.0f} encounters a year")
    replicate_times, encounters = [], []
    for index in range(REPLICATE_RUNS):
        seconds, out = timed(lambda index=index: replicate(full, scenario, index))
        replicate_times.append(seconds)
        encounters.append(out[METRICS.index("encounters")].sum())
    draw = replicate_draw(scenario)
    run_times = [
        timed(lambda k=k: run(full, draw, np.random.default_rng([SEED, k])))[0]
        for k in range(REPLICATE_RUNS)
    ]
    yearly_totals = full.inputs.encounters.reshape(-1, 12).sum(axis=1)
    return full, {
        "scenario": scenario.name,
        "months": scenario.months,
        "first_month": full.inputs.months[0].isoformat(),
        "last_month": full.inputs.months[-1].isoformat(),
        "encounters_scale_factor": round(factor, 4),
        "expected_encounters_total": round(float(full.inputs.encounters.sum())),
        "expected_encounters_by_year": [round(float(v)) for v in yearly_totals],
        "encounters_per_replicate_mean": round(float(np.mean(encounters))),
        "prepare": summary_times(prepare_times),
        "replicate": summary_times(replicate_times),
        "run": summary_times(run_times),
    }


# --------------------------------------------------------------------------------------------
# Cruce against SimPy
# --------------------------------------------------------------------------------------------


def reduce_metric(values: np.ndarray, how: str) -> float:
    return float({"sum": values.sum(), "last": values[-1], "mean": values.mean()}[how])


def agreement(
    cruce: list[dict[str, np.ndarray]],
    peer: list[dict[str, np.ndarray]],
    checks: dict[str, str],
    tolerance: float,
) -> list[dict[str, Any]]:
    """Per statistic: both models' means and spreads over seeds, the difference, PASS/FAIL."""
    rows = []
    for metric, how in checks.items():
        a = np.array([reduce_metric(r[metric], how) for r in cruce])
        b = np.array([reduce_metric(r[metric], how) for r in peer])
        sd_a = float(a.std(ddof=1)) if len(a) > 1 else 0.0
        # One SimPy seed: its spread is taken to be Cruce's (stated in the output).
        sd_b = float(b.std(ddof=1)) if len(b) > 1 else sd_a
        se = float(np.hypot(sd_a / np.sqrt(len(a)), sd_b / np.sqrt(len(b))))
        diff = float(b.mean() - a.mean())
        rel = diff / a.mean() if a.mean() else (0.0 if diff == 0 else None)
        # A statistic with no spread in either model (the court's completions: its capacity)
        # has no sampling error: only the tolerance applies.
        z = diff / se if se > 1e-9 * max(abs(float(a.mean())), 1.0) else None
        rows.append(
            {
                "metric": metric,
                "over_horizon": how,
                "cruce_mean": round(float(a.mean()), 2),
                "cruce_sd": round(sd_a, 2),
                "simpy_mean": round(float(b.mean()), 2),
                "simpy_sd": round(sd_b, 2),
                "relative_difference": None if rel is None else round(rel, 5),
                "z": None if z is None else round(z, 2),
                "pass": bool(
                    diff == 0
                    or (z is not None and abs(z) <= 3)
                    or (rel is not None and abs(rel) <= tolerance)
                ),
            }
        )
    return rows


def as_dict(out: np.ndarray) -> dict[str, np.ndarray]:
    return {name: out[METRICS.index(name)] for name in simpy_pipeline.METRICS}


def compare(
    full: Prepared,
    scenario: Scenario,
    scale: float,
    simpy_seeds: int,
    cruce_seeds: int,
    tolerance: float,
) -> dict[str, Any]:
    draw = replicate_draw(scenario)
    small, small_draw = reduced(full, draw, scale) if scale != 1 else (full, draw)
    cruce_runs, cruce_times = [], []
    for seed in range(max(cruce_seeds, simpy_seeds)):
        seconds, out = timed(lambda seed=seed: run(small, small_draw, np.random.default_rng(seed)))
        cruce_runs.append(as_dict(out))
        cruce_times.append(seconds)
    peer_runs, peer_times = [], []
    for seed in range(simpy_seeds):
        progress(f"SimPy at scale {scale:g}: seed {seed + 1} of {simpy_seeds}")
        seconds, out = timed(lambda seed=seed: simpy_pipeline.simulate(small, small_draw, seed))
        peer_runs.append(out)
        peer_times.append(seconds)
        progress(f"  {seconds:.1f} s, {out['encounters'].sum():,.0f} encounters")
    cruce_s, peer_s = statistics.median(cruce_times), statistics.median(peer_times)
    cruce_n = float(np.mean([r["encounters"].sum() for r in cruce_runs]))
    peer_n = float(np.mean([r["encounters"].sum() for r in peer_runs]))
    per_cruce, per_peer = cruce_s / cruce_n, peer_s / peer_n
    return {
        "scale": scale,
        "draw": "replicate 0's parameter draw (montecarlo.replicate), the same for both",
        "cruce_seeds": len(cruce_runs),
        "simpy_seeds": simpy_seeds,
        "encounters_per_run": round(peer_n),
        "interior_arrests_per_run": round(
            float(np.mean([r["interior_arrests"].sum() for r in peer_runs]))
        ),
        "pending_cases_at_start": round(small.inputs.pending_at_start),
        "cruce_run": summary_times(cruce_times),
        "simpy_run": summary_times(peer_times),
        "cruce_us_per_encounter": round(per_cruce * 1e6, 4),
        "simpy_us_per_encounter": round(per_peer * 1e6, 3),
        "ratio_per_encounter": round(per_peer / per_cruce, 1),
        "tolerance": tolerance,
        "key": agreement(cruce_runs, peer_runs, KEY, tolerance),
        "extra": agreement(cruce_runs, peer_runs, EXTRA, tolerance),
        "maxrss_kib_after_simpy": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }


# --------------------------------------------------------------------------------------------
# Dask
# --------------------------------------------------------------------------------------------


def _warm_worker() -> str:
    """Run on each worker before timing: import what the replicates need."""
    import cruce.simulation.montecarlo  # noqa: F401

    return "ready"


def _replicate_chunk(prepared: Prepared, scenario: Scenario, first: int, last: int) -> np.ndarray:
    """Replicates ``first`` to ``last - 1`` in one task (the diagnostic)."""
    return np.stack([replicate(prepared, scenario, index) for index in range(first, last)])


def chunked(client, held, scenario: Scenario, replicates: int, size: int) -> np.ndarray:
    """The same replicates as ``run_replicates``, ``size`` to a task (not Cruce's API: a
    diagnostic of what per-task overhead costs)."""
    firsts = range(0, replicates, size)
    lasts = [min(first + size, replicates) for first in firsts]
    futures = client.map(
        _replicate_chunk, [held] * len(lasts), [scenario] * len(lasts), firsts, lasts, pure=False
    )
    return np.concatenate(client.gather(futures))


def dask_replicates(
    prepared: Prepared, scenario: Scenario, workers: int, replicates: int, runs: int
) -> tuple[dict[str, Any], np.ndarray, np.ndarray]:
    from distributed import Client, LocalCluster

    progress(f"Dask: {workers} worker(s), {replicates} replicates, best of {runs}")
    start = time.perf_counter()
    with (
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        client.run(_warm_worker)
        startup = time.perf_counter() - start
        # run_replicates scatters ``prepared`` under a key hashed from its content and drops it
        # when it returns; a second call on the same client can then lose the data it just
        # scattered ("lost dependencies"). Holding one reference for the session avoids it.
        held = client.scatter(prepared, broadcast=True)
        warmup, _ = timed(
            lambda: run_replicates(prepared, scenario, client, replicates=2 * workers)
        )
        times, results = [], None
        for _ in range(runs):
            seconds, results = timed(
                lambda: run_replicates(prepared, scenario, client, replicates=replicates)
            )
            times.append(seconds)
        batched_times, batched = [], None
        for _ in range(runs):
            seconds, batched = timed(
                lambda: chunked(client, held, scenario, replicates, CHUNK_SIZE)
            )
            batched_times.append(seconds)
    return (
        {
            "workers": workers,
            "threads_per_worker": 1,
            "cluster_start_s": round(startup, 2),
            "warmup_s": round(warmup, 3),
            **summary_times(times),
            "diagnostic": summary_times(batched_times),
        },
        results,
        batched,
    )


def dask_scaling(
    prepared: Prepared, scenario: Scenario, replicates: int, runs: int
) -> dict[str, Any]:
    progress(f"in process: {replicates} replicates")
    serial_s, serial = timed(lambda: run_replicates(prepared, scenario, replicates=replicates))
    one, by_one, batched_one = dask_replicates(prepared, scenario, 1, replicates, runs)
    two, by_two, batched_two = dask_replicates(prepared, scenario, 2, replicates, runs)
    same = [
        np.array_equal(by_one, other, equal_nan=True)
        for other in (by_two, serial, batched_one, batched_two)
    ]
    return {
        "replicates": replicates,
        "in_process_s": round(serial_s, 3),
        "one_worker": one,
        "two_workers": two,
        "speedup": round(one["best_s"] / two["best_s"], 2),
        "speedup_median": round(one["median_s"] / two["median_s"], 2),
        "identical_1_vs_2_workers": bool(same[0]),
        "identical_dask_vs_in_process": bool(same[1]),
        "result_shape": list(by_one.shape),
        "diagnostic": {
            "replicates_per_task": CHUNK_SIZE,
            "speedup": round(one["diagnostic"]["best_s"] / two["diagnostic"]["best_s"], 2),
            "identical_to_run_replicates": bool(same[2] and same[3]),
        },
    }


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def environment() -> dict[str, Any]:
    versions = {}
    for package in ("numpy", "simpy", "dask", "distributed", "polars"):
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        **versions,
    }


def budgets(payload: dict[str, Any]) -> list[dict[str, Any]]:
    full = payload["cruce_full_scale"]
    checks = [
        {
            "what": "one replicate, 10 years, ~1M encounters a year (median s)",
            "budget": RUN_BUDGET_S,
            "value": full["replicate"]["median_s"],
            "pass": full["replicate"]["median_s"] < RUN_BUDGET_S,
        }
    ]
    for name in ("comparison", "comparison_full_scale"):
        comparison = payload.get(name)
        if comparison:
            scale = comparison["scale"]
            checks.append(
                {
                    "what": f"Cruce / SimPy time per encounter at scale {scale:g} (x)",
                    "budget": RATIO_GOAL,
                    "value": comparison["ratio_per_encounter"],
                    "pass": comparison["ratio_per_encounter"] >= RATIO_GOAL,
                }
            )
            failed = [row["metric"] for row in comparison["key"] if not row["pass"]]
            checks.append(
                {
                    "what": f"key statistics agree at scale {scale:g} "
                    f"(failing: {', '.join(failed) or 'none'})",
                    "budget": len(comparison["key"]),
                    "value": len(comparison["key"]) - len(failed),
                    "pass": not failed,
                }
            )
    dask = payload.get("dask")
    if dask:
        checks += [
            {
                "what": f"Dask {dask['replicates']} replicates, 2 workers against 1 (x)",
                "budget": SPEEDUP_GOAL,
                "value": dask["speedup"],
                "pass": dask["speedup"] >= SPEEDUP_GOAL,
            },
            {
                "what": "Dask results identical: 1 worker, 2 workers, in process",
                "budget": True,
                "value": dask["identical_1_vs_2_workers"] and dask["identical_dask_vs_in_process"],
                "pass": dask["identical_1_vs_2_workers"] and dask["identical_dask_vs_in_process"],
            },
        ]
    return checks


def print_agreement(rows: list[dict[str, Any]], checked: bool) -> None:
    print(
        f"  {'statistic':<32}{'over':>5}{'Cruce mean':>15}{'± sd':>10}"
        f"{'SimPy mean':>15}{'± sd':>10}{'rel diff':>10}{'z':>7}  {'check' if checked else ''}"
    )
    for row in rows:
        verdict = ("PASS" if row["pass"] else "FAIL") if checked else ""
        rel, z = row["relative_difference"], row["z"]
        print(
            f"  {row['metric']:<32}{row['over_horizon']:>5}{row['cruce_mean']:>15,.1f}"
            f"{row['cruce_sd']:>10,.1f}{row['simpy_mean']:>15,.1f}{row['simpy_sd']:>10,.1f}"
            f"{'n/a' if rel is None else format(rel, '+.2%'):>10}"
            f"{'n/a' if z is None else format(z, '.1f'):>7}  {verdict}"
        )


def print_comparison(comparison: dict[str, Any]) -> None:
    scale = comparison["scale"]
    print(
        f"\nCruce against SimPy (benchmarks/simpy_pipeline.py), same draw, at scale {scale:g} "
        f"({comparison['encounters_per_run']:,} encounters, "
        f"{comparison['interior_arrests_per_run']:,} interior arrests, "
        f"{comparison['pending_cases_at_start']:,} pending cases at the start per run)"
    )
    cruce, peer = comparison["cruce_run"], comparison["simpy_run"]
    print(f"  {'model':<8}{'runs':>6}{'median s':>12}{'best s':>12}{'µs per encounter':>20}")
    print(
        f"  {'Cruce':<8}{cruce['runs']:>6}{cruce['median_s']:>12.4f}{cruce['best_s']:>12.4f}"
        f"{comparison['cruce_us_per_encounter']:>20.4f}"
    )
    print(
        f"  {'SimPy':<8}{peer['runs']:>6}{peer['median_s']:>12.2f}{peer['best_s']:>12.2f}"
        f"{comparison['simpy_us_per_encounter']:>20.3f}"
    )
    print(f"  ratio per encounter: {comparison['ratio_per_encounter']:,.0f}x")
    print(
        f"  key statistics (PASS: |z| <= 3 or |rel diff| <= {comparison['tolerance']:.1%}; "
        f"sd over seeds, z = difference of means / its standard error)"
    )
    if comparison["simpy_seeds"] == 1:
        print("  (one SimPy seed: its spread is taken to be Cruce's)")
    print_agreement(comparison["key"], checked=True)
    print("  for information (where month-end and continuous time differ most):")
    print_agreement(comparison["extra"], checked=False)


def print_report(payload: dict[str, Any]) -> None:
    env = payload["environment"]
    print(
        f"Machine: {env['cpu_count']} CPUs, {env['platform']}; Python {env['python']}, "
        f"NumPy {env['numpy']}, SimPy {env['simpy']}, distributed {env['distributed']}"
    )
    full = payload["cruce_full_scale"]
    print(
        f"\nCruce at full scale: {full['scenario']}, {full['months']} months "
        f"({full['first_month'][:7]} to {full['last_month'][:7]}), encounters × "
        f"{full['encounters_scale_factor']} → {full['expected_encounters_total']:,} expected "
        f"({full['encounters_per_replicate_mean']:,} drawn per replicate)"
    )
    by_year = ", ".join(f"{v / 1e6:.2f}" for v in full["expected_encounters_by_year"])
    print(f"  expected encounters by fiscal year (millions): {by_year}")
    print(f"  {'step':<44}{'runs':>6}{'first s':>10}{'median s':>10}{'best s':>10}")
    for label, key in (
        ("prepare (rules for every month)", "prepare"),
        ("replicate (draw + run), montecarlo.replicate", "replicate"),
        ("run alone, pipeline.run (fixed draw)", "run"),
    ):
        row = full[key]
        print(
            f"  {label:<44}{row['runs']:>6}{row['first_s']:>10.4f}{row['median_s']:>10.4f}"
            f"{row['best_s']:>10.4f}"
        )
    for name in ("comparison", "comparison_full_scale"):
        if payload.get(name):
            print_comparison(payload[name])
    dask = payload.get("dask")
    if dask:
        print(
            f"\nDask: {dask['replicates']} replicates of the full-scale scenario "
            f"(in process: {dask['in_process_s']:.2f} s)"
        )
        batch = dask["diagnostic"]
        print(
            f"  {'workers':<10}{'start s':>9}{'warm-up s':>11}{'best s':>9}{'median s':>10}"
            f"   diagnostic: {batch['replicates_per_task']} replicate(s) a task, best s"
        )
        for row in (dask["one_worker"], dask["two_workers"]):
            print(
                f"  {row['workers']:<10}{row['cluster_start_s']:>9.2f}{row['warmup_s']:>11.3f}"
                f"{row['best_s']:>9.3f}{row['median_s']:>10.3f}{row['diagnostic']['best_s']:>16.3f}"
            )
        print(
            f"  speedup 2 workers / 1: {dask['speedup']:.2f}x "
            f"(median {dask['speedup_median']:.2f}x); identical results: "
            f"1 vs 2 workers {dask['identical_1_vs_2_workers']}, "
            f"Dask vs in process {dask['identical_dask_vs_in_process']}"
        )
        print(
            f"  diagnostic, {batch['replicates_per_task']} replicate(s) a task (client.map of "
            f"montecarlo.replicate, not run_replicates): speedup "
            f"{batch['speedup']:.2f}x, identical {batch['identical_to_run_replicates']}"
        )
    print("\nBudgets and goals")
    print_checks(payload["budgets"], "goal")


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", type=int, default=MONTHS)
    parser.add_argument("--yearly", type=float, default=YEARLY_ENCOUNTERS)
    parser.add_argument("--scale", type=float, default=DEFAULT_SCALE, help="SimPy comparison")
    parser.add_argument("--simpy-seeds", type=int, default=SIMPY_SEEDS)
    parser.add_argument("--cruce-seeds", type=int, default=CRUCE_SEEDS)
    parser.add_argument("--tolerance", type=float, default=DEFAULT_TOLERANCE)
    parser.add_argument("--simpy-full", action="store_true", help="also SimPy at full scale")
    parser.add_argument("--replicates", type=int, default=REPLICATES)
    parser.add_argument("--dask-runs", type=int, default=DASK_RUNS)
    parser.add_argument("--skip-dask", action="store_true")
    parser.add_argument("--output", type=Path, default=RESULTS_PATH)
    parser.add_argument("--strict", action="store_true", help="exit 1 if a budget fails")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    scenario = full_scenario(args.months)
    full, measured = cruce_full_scale(scenario, args.yearly)
    payload: dict[str, Any] = {
        "timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "environment": environment(),
        "settings": {
            "scenario": SCENARIO,
            "months": args.months,
            "yearly_encounters": args.yearly,
            "extra_years": EXTRA_YEARS,
            "scale": args.scale,
            "simpy_seeds": args.simpy_seeds,
            "cruce_seeds": args.cruce_seeds,
            "tolerance": args.tolerance,
            "replicates": args.replicates,
            "dask_runs": args.dask_runs,
        },
        "cruce_full_scale": measured,
    }
    # Dask before SimPy: after millions of SimPy entities the heap of this process is larger and
    # more fragmented, which slows the in-process reference run.
    if not args.skip_dask:
        payload["dask"] = dask_scaling(full, scenario, args.replicates, args.dask_runs)
    payload["comparison"] = compare(
        full, scenario, args.scale, args.simpy_seeds, args.cruce_seeds, args.tolerance
    )
    if args.simpy_full:
        payload["comparison_full_scale"] = compare(
            full, scenario, 1.0, 1, args.cruce_seeds, args.tolerance
        )
    payload["budgets"] = budgets(payload)
    payload["all_budgets_pass"] = all(check["pass"] for check in payload["budgets"])
    print_report(payload)
    save(payload, args.output)
    print(f"\nSaved {args.output}")
    return 1 if args.strict and not payload["all_budgets_pass"] else 0


if __name__ == "__main__":
    sys.exit(main())
