"""Benchmark of the rights audit: a caseload of about 1,000,000 recorded actions audited by
``cruce audit`` as a user runs it (read in batches, validated cell by cell, every action decided
at its own instant, findings written as CSV, Parquet and JSON, and the report). Budget (issue
18): under 20 s and under 1.5 GB peak memory on 2 cores.

The caseload repeats the example templates (clean actions of every kind, planted violations of
every kind, a needs-review case), so about 62% of rows produce a finding. Each run is its own
process, so its peak RSS is its own; wall and CPU seconds are both recorded, with the load
average before and after, because on a shared machine the wall time says more about the others'
load than about the audit. Run ``.venv/bin/python benchmarks/bench_audit.py`` (``make bench``);
results are printed and saved to ``benchmarks/results/audit.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

from _common import environment, print_checks, save
from cruce.audit.examples import TEMPLATES, write_example_caseload

RESULTS_PATH = Path(__file__).resolve().parent / "results" / "audit.json"
BUDGET_S = 20.0
BUDGET_MIB = 1536
RUNS = 3


def run_once(path: Path, out: Path, batch_mib: float | None) -> dict[str, float | int]:
    """One ``cruce audit`` in its own process: wall and CPU seconds, peak RSS, the counts."""
    command = [sys.executable, "-m", "cruce.cli.app", "audit", str(path), "--out", str(out)]
    if batch_mib is not None:
        command += ["--batch-mib", str(batch_mib)]
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert child.stderr is not None
    said = child.stderr.read().decode()  # the progress lines, and any error
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{' '.join(command)} failed ({status}):\n{said}")
    findings = pl.scan_parquet(out / "findings.parquet")
    statuses = dict(findings.group_by("status").len().collect().iter_rows())
    return {
        "wall_s": round(wall, 3),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "user_s": round(usage.ru_utime, 3),
        "system_s": round(usage.ru_stime, 3),
        "peak_rss_mib": round(usage.ru_maxrss / 1024),  # KiB on Linux
        "load_average_1m_before": round(load_before, 2),
        "load_average_1m_after": round(os.getloadavg()[0], 2),
        "findings": sum(statuses.values()),
        "violations": statuses.get("VIOLATION", 0),
        "needs_review": statuses.get("NEEDS_REVIEW", 0),
        "output_mib": round(sum(p.stat().st_size for p in out.iterdir()) / 2**20, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--batch-mib", type=float, default=None, help="cruce audit --batch-mib")
    parser.add_argument("--output", type=Path, default=RESULTS_PATH)
    args = parser.parse_args(argv)
    copies = max(1, args.rows // len(TEMPLATES))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "caseload.csv"
        write_example_caseload(path, copies=copies)
        size_mib = path.stat().st_size / 2**20
        runs = [run_once(path, Path(folder) / f"out-{i}", args.batch_mib) for i in range(RUNS)]
    best = min(runs, key=lambda r: r["wall_s"])
    peak = max(r["peak_rss_mib"] for r in runs)
    checks = [
        {"what": "wall seconds (best run)", "value": best["wall_s"], "budget": BUDGET_S},
        {"what": "peak RSS MiB (worst run)", "value": peak, "budget": BUDGET_MIB},
    ]
    checks[0]["pass"] = best["wall_s"] < BUDGET_S
    checks[1]["pass"] = peak < BUDGET_MIB
    result = {
        "timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "environment": environment(),
        "rows": copies * len(TEMPLATES),
        "csv_mib": round(size_mib, 1),
        "batch_mib": args.batch_mib,
        "runs": runs,
        "best": best,
        "checks": checks,
        "pass": all(c["pass"] for c in checks),
    }
    print(
        f"cruce audit of {result['rows']:,} recorded actions ({size_mib:.0f} MiB CSV), "
        f"{RUNS} runs: best {best['wall_s']} s wall, {best['cpu_s']} s CPU; peak RSS {peak:,} MiB"
    )
    print(f"  {best['violations']:,} violations, {best['needs_review']:,} needs-review findings")
    print_checks(checks)
    save(result, args.output)
    print(f"Saved {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
