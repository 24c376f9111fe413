"""Benchmark of the rights audit: a caseload of about 1,000,000 recorded actions, read from CSV,
validated cell by cell, every action decided at its own instant, findings and needs-review facts
computed. Budget (issue 7): under 10 s on 2 cores.

The caseload repeats the example templates (clean actions of every kind, planted violations of
every kind, a needs-review case), so about 62% of rows produce a finding. Run
``.venv/bin/python benchmarks/bench_audit.py`` (``make bench``); results are printed and saved to
``benchmarks/results/audit.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

from _common import environment
from cruce.audit.checks import audit_frame, caseload_columns
from cruce.audit.examples import TEMPLATES, write_example_caseload
from cruce.tables.reader import read_table

RESULTS_PATH = Path(__file__).resolve().parent / "results" / "audit.json"
BUDGET_S = 10.0
RUNS = 3


def run_once(path: Path) -> dict[str, float | int]:
    start, cpu = time.perf_counter(), time.process_time()
    table, _ = read_table(path, caseload_columns())
    read_s, read_cpu_s = time.perf_counter() - start, time.process_time() - cpu
    findings = audit_frame(table)
    total_s = time.perf_counter() - start
    return {
        # CPU seconds too: on a shared machine the wall time says more about the others' load.
        "read_and_validate_cpu_s": round(read_cpu_s, 3),
        "total_cpu_s": round(time.process_time() - cpu, 3),
        "read_and_validate_s": round(read_s, 3),
        "audit_s": round(total_s - read_s, 3),
        "total_s": round(total_s, 3),
        "rows": table.height,
        "findings": findings.height,
        "violations": findings.filter(pl.col("status") == "VIOLATION").height,
        "needs_review": findings.filter(pl.col("status") == "NEEDS_REVIEW").height,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--output", type=Path, default=RESULTS_PATH)
    args = parser.parse_args(argv)
    copies = max(1, args.rows // len(TEMPLATES))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "caseload.csv"
        write_example_caseload(path, copies=copies)
        size_mib = path.stat().st_size / 2**20
        runs = [run_once(path) for _ in range(RUNS)]
    best = min(runs, key=lambda r: r["total_s"])
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "environment": environment(),
        "csv_mib": round(size_mib, 1),
        "runs": runs,
        "best": best,
        "peak_rss_mib": round(peak_mib),
        "budget_s": BUDGET_S,
        "pass": best["total_s"] < BUDGET_S,
    }
    print(f"Audit of {best['rows']:,} recorded actions ({size_mib:.0f} MiB CSV), best of {RUNS}:")
    print(
        f"  read and validate {best['read_and_validate_s']} s, audit {best['audit_s']} s, "
        f"total {best['total_s']} s (budget {BUDGET_S} s: {'PASS' if result['pass'] else 'FAIL'})"
    )
    print(
        f"  {best['violations']:,} violations, {best['needs_review']:,} needs-review findings; "
        f"peak RSS {peak_mib:,.0f} MiB"
    )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"Saved {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
