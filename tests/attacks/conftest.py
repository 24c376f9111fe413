"""The attack regression suite: each test rebuilds one input from the attack on the release
(issue 18) and asserts the defect is gone. Every test is bounded in time by its inputs' size."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from cruce.audit.examples import example_caseload


@pytest.fixture
def caseload() -> pl.DataFrame:
    """The shipped example caseload (planted violations and clean cases)."""
    return example_caseload()[0]


def write(frame: pl.DataFrame, path: Path) -> Path:
    frame.write_csv(path)
    return path
