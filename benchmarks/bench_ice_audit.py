"""Benchmark of the audit of ICE's own records: the four FOIA removal releases FY2016-FY2019
(963,972 rows, gzip as published) read, mapped, every action judged at its own instant, the
record findings and the row accounting computed. Budget (issue 16): under 20 s and under 2 GB
peak memory on 2 cores.

Run ``.venv/bin/python benchmarks/bench_ice_audit.py``; results are printed and saved to
``benchmarks/results/ice_audit.json``. The peak is the process's maximum resident set size,
taken after the runs (the first run's peak is the largest: later runs reuse its memory).
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import time
from pathlib import Path

import polars as pl

from _common import environment, print_checks, save
from cruce.audit.ice import audit_releases

RESULTS_PATH = Path(__file__).resolve().parent / "results" / "ice_audit.json"
REAL = Path(__file__).resolve().parents[1] / "../shared/data/real"
BUDGET_S = 20.0
BUDGET_MIB = 2048
RUNS = 3


def run_once(files: list[Path]) -> dict[str, float | int]:
    start, cpu = time.perf_counter(), time.process_time()
    audit = audit_releases(files)
    outcomes = dict(audit.accounting.group_by("outcome").agg(pl.col("rows").sum()).iter_rows())
    return {
        "total_s": round(time.perf_counter() - start, 3),
        "cpu_s": round(time.process_time() - cpu, 3),
        "rows": sum(outcomes.values()),
        **{name.replace(" ", "_"): int(n) for name, n in sorted(outcomes.items())},
        "findings": audit.findings.height,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=RESULTS_PATH)
    args = parser.parse_args(argv)
    files = sorted(REAL.glob("ice_removals_fy*.psv.gz"))
    runs = [run_once(files) for _ in range(RUNS)]
    best = min(runs, key=lambda r: r["total_s"])
    peak_mib = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    checks = [
        {
            "what": "seconds, best of 3",
            "value": best["total_s"],
            "budget": BUDGET_S,
            "pass": best["total_s"] < BUDGET_S,
        },
        {
            "what": "peak RSS MiB",
            "value": peak_mib,
            "budget": BUDGET_MIB,
            "pass": peak_mib < BUDGET_MIB,
        },
    ]
    print(f"ICE removals FY2016-FY2019: {best['rows']:,} rows, {len(files)} gzip files")
    print_checks(checks)
    save(
        {
            "timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "environment": environment(),
            "files": [f.name for f in files],
            "runs": runs,
            "best": best,
            "peak_rss_mib": peak_mib,
            "checks": checks,
            "pass": all(c["pass"] for c in checks),
        },
        args.output,
    )
    print(f"Saved {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
