"""Cold start: `import cruce` and `cruce --help` in a fresh interpreter, against 0.5 s each.

Each command runs in a new process (so nothing is cached in memory; the OS file cache is warm
after the first run, as it is for a user who runs the tool twice). A plain `python -c pass` is
measured beside them: it is the floor no Python tool can go under on this machine. Loaders are
lazy, so neither command should read the law or the data; the test suite checks that behaviour
(tests/test_layers.py), this file only times it.

    .venv/bin/python benchmarks/bench_cold_start.py [--runs 15]

Writes benchmarks/results/cold_start.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _common import print_checks, save

BUDGET_S = 0.5
RESULTS_PATH = Path(__file__).parent / "results" / "cold_start.json"


def commands() -> dict[str, list[str]]:
    """What is timed: the interpreter floor, the import, and the installed console script."""
    script = shutil.which("cruce", path=str(Path(sys.executable).parent)) or "cruce"
    return {
        "python -c pass (floor)": [sys.executable, "-c", "pass"],
        "import cruce": [sys.executable, "-c", "import cruce"],
        "cruce --help": [script, "--help"],
    }


def median_wall_s(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return round(statistics.median(times), 3)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--strict", action="store_true", help="exit 1 if a budget fails")
    args = parser.parse_args()
    medians = {name: median_wall_s(cmd, args.runs) for name, cmd in commands().items()}
    print(f"Cold start, median wall time of {args.runs} fresh processes")
    for name, value in medians.items():
        print(f"  {name:<24}{value:>7.3f} s")
    checks = [
        {
            "what": f"{name} (median s)",
            "value": medians[name],
            "budget": BUDGET_S,
            "pass": medians[name] < BUDGET_S,
        }
        for name in ("import cruce", "cruce --help")
    ]
    print_checks(checks)
    save(
        {
            "timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "environment": {"python": platform.python_version(), "platform": platform.platform()},
            "runs": args.runs,
            "median_wall_s": medians,
            "budgets": checks,
            "all_budgets_pass": all(check["pass"] for check in checks),
        },
        RESULTS_PATH,
    )
    print(f"Saved {RESULTS_PATH}")
    return 1 if args.strict and not all(check["pass"] for check in checks) else 0


if __name__ == "__main__":
    sys.exit(main())
