"""What every benchmark does the same way: print its budget checks and save its results."""

from __future__ import annotations

import json
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
