"""Benchmark of population exposure: every rule over 11,400,000 synthetic persons at one instant.

Builds the raked synthetic population (11.4M persons, weight 1 each), turns it into Case facts at
the instant, and times ``determine_frame`` (all five questions) alone, best of 3; reports the
peak memory of the process. Budget (design doc, issue 4): under 3 s on 2 cores. The side-by-side
comparison with openfisca-core on the same rule is ``bench_openfisca.py``.
Results: ``benchmarks/results/exposure.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

from cruce.decide.determination import determine_frame
from cruce.facts.case import coded_frame_schema
from cruce.population.synthetic import build_population, cases_at

RESULTS_PATH = Path(__file__).resolve().parent / "results" / "exposure.json"
BUDGET_S = 3.0
CLI_BUDGET_S = 3.0  # `cruce exposure` with defaults, wall, a fresh process (issue 17)
RUNS = 3


def cli_runs(count: int = 3) -> list[float]:
    """Wall seconds of `cruce exposure` with its defaults (1,000,000 persons, two instants),
    each a fresh process writing to a fresh folder: the first is the cold run a new user sees."""
    # The module of this checkout (not whatever `cruce` script is installed), as `cruce` runs it.
    command = [sys.executable, "-m", "cruce.cli.app", "exposure"]
    times = []
    for _ in range(count):
        with tempfile.TemporaryDirectory() as folder:
            start = time.perf_counter()
            subprocess.run([*command, "--out", folder], check=True, capture_output=True)
            times.append(round(time.perf_counter() - start, 2))
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=11_400_000)
    parser.add_argument("--at", default="2019-08-15T12:00:00-04:00")
    parser.add_argument("--output", type=Path, default=RESULTS_PATH)
    args = parser.parse_args(argv)
    at = dt.datetime.fromisoformat(args.at)
    cli = cli_runs()
    print(f"cruce exposure (defaults), fresh processes: {cli} s (budget {CLI_BUDGET_S} s)")
    start = time.perf_counter()
    population, report = build_population(size=args.size, seed=2017)
    build_s = time.perf_counter() - start
    start = time.perf_counter()
    frame = cases_at(population, at, coded_frame_schema())  # as `cruce exposure` builds them
    facts_s = time.perf_counter() - start
    del population
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        result = determine_frame(frame, at)
        times.append(round(time.perf_counter() - start, 3))
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    best = min(times)
    exposed = (
        frame.get_column("weight")
        .filter(result.get_column("expedited_removal") == "ER_AVAILABLE")
        .sum()
    )
    payload = {
        "timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "environment": {
            "cpu_count": os.cpu_count(),
            "polars_threads": pl.thread_pool_size(),
            "python": platform.python_version(),
            "polars": pl.__version__,
        },
        "persons": args.size,
        "at": at.isoformat(),
        "build_population_s": round(build_s, 2),
        "case_facts_s": round(facts_s, 2),
        "determine_frame_runs_s": times,
        "best_s": best,
        "rows_per_s": round(args.size / best),
        "peak_rss_mib": round(peak_mib),
        "largest_control_error": float(report.get_column("relative_error").abs().max()),
        "exposed_to_expedited_removal": round(exposed),
        "budget_s": BUDGET_S,
        "pass": best < BUDGET_S,
        "cli_exposure_defaults_wall_s": {"cold": cli[0], "later": cli[1:]},
        "cli_budget_s": CLI_BUDGET_S,
        "cli_pass": cli[0] < CLI_BUDGET_S,
    }
    print(
        f"{args.size:,} synthetic persons at {at.isoformat()}: built in {build_s:.1f} s, "
        f"facts in {facts_s:.1f} s; determine_frame best of {RUNS}: {best} s "
        f"({payload['rows_per_s']:,} rows/s; budget {BUDGET_S} s: "
        f"{'PASS' if payload['pass'] else 'FAIL'}); peak RSS {peak_mib:,.0f} MiB"
    )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"Saved {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
