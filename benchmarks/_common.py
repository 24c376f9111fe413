"""What every benchmark does the same way: print its budget checks and save its results."""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path
from typing import Any


def print_checks(checks: list[dict[str, Any]], word: str = "budget") -> None:
    """Each check as PASS or FAIL with the value measured and the budget (or goal)."""
    for check in checks:
        verdict = "PASS" if check["pass"] else "FAIL"
        print(f"  {verdict}  {check['what']}: {check['value']} ({word} {check['budget']})")


def save(payload: dict[str, Any], path: Path) -> None:
    """The results as indented JSON (committed under benchmarks/results/)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", "utf-8")


def environment() -> dict[str, Any]:
    """The machine a result was measured on, with its load (a shared machine skews times)."""
    import polars as pl

    return {
        "cpu_count": os.cpu_count(),
        "polars_threads": pl.thread_pool_size(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "polars": pl.__version__,
        "load_average_1m": round(os.getloadavg()[0], 2),
    }
