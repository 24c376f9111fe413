"""The validation table in docs/validation.md is what the pipeline gives today, and each fit is
what the document says it is against the tolerance it states."""

import re
from pathlib import Path

import numpy as np
import pytest

from cruce.simulation.validation import TOLERANCE, Check, checks, run_history, sector_markdown

DOC = Path(__file__).parents[1] / "docs" / "validation.md"
START, END = "<!-- validation-table:start -->\n", "<!-- validation-table:end -->"
# The run is seeded; this leaves room for floating-point differences between platforms only.
SNAPSHOT = 0.005


def _committed() -> dict[tuple[str, str], dict[str, str]]:
    text = DOC.read_text(encoding="utf-8")
    table = text[text.index(START) + len(START) : text.index(END)].splitlines()
    header = [c.strip() for c in table[0].strip("|").split("|")]
    rows = [
        dict(zip(header, (c.strip() for c in line.strip("|").split("|")), strict=True))
        for line in table[2:]
    ]
    return {(r["Measure"], r["When"]): r for r in rows}


def _number(text: str) -> float:
    return float(text.replace(",", "").replace("±", "").rstrip("%"))


@pytest.fixture(scope="module")
def history() -> tuple[np.ndarray, list]:
    return run_history()


@pytest.fixture(scope="module")
def fresh(history: tuple[np.ndarray, list]) -> list[Check]:
    return checks(*history)


def test_the_committed_table_has_the_rows_of_a_run(fresh: list[Check]) -> None:
    assert list(_committed()) == [(c.measure, c.when) for c in fresh], (
        "docs/validation.md is stale: paste `python -m cruce.simulation.validation` "
        "between the markers"
    )


def test_the_committed_medians_are_a_run_s_within_the_snapshot_tolerance(
    fresh: list[Check],
) -> None:
    committed = _committed()
    for check in fresh:
        row = committed[(check.measure, check.when)]
        median = _number(row["Simulated: median [5% – 95%]"].split(" [")[0])
        assert median == pytest.approx(float(np.median(check.simulated)), rel=SNAPSHOT, abs=1), row
        assert _number(row["Published"]) == round(check.published.value), row
        assert row["Row"] == check.published.ref


def test_each_fit_is_what_the_document_states_against_its_tolerance(fresh: list[Check]) -> None:
    committed = _committed()
    for check in fresh:
        row = committed[(check.measure, check.when)]
        stated = _number(row["Tolerance"]) / 100
        assert stated == TOLERANCE[check.measure], row
        within = abs(check.error) <= stated
        assert row["Fit"].startswith("within") == within, (row, check.error)
        if not within:
            assert re.search(re.escape(check.measure.split(",")[0]), _explanations(), re.I), (
                f"{check.measure} {check.when} misses its tolerance: explain it below the table"
            )


def _explanations() -> str:
    text = DOC.read_text(encoding="utf-8")
    return text[text.index(END) :]


def test_the_committed_sector_table_is_a_run_s(history: tuple[np.ndarray, list]) -> None:
    text = DOC.read_text(encoding="utf-8")
    start, end = "<!-- validation-sectors:start -->\n", "<!-- validation-sectors:end -->"
    committed = text[text.index(start) + len(start) : text.index(end)].splitlines()
    generated = sector_markdown(*history).splitlines()
    assert len(committed) == len(generated), "paste `python -m cruce.simulation.validation sectors`"
    for old, new in zip(committed[2:], generated[2:], strict=True):
        old_cells, new_cells = old.strip("|").split("|"), new.strip("|").split("|")
        assert old_cells[:2] == new_cells[:2]  # sector and its FY2016 share
        for year in range(3):  # published, simulated, error of each year
            published, simulated = 2 + 3 * year, 3 + 3 * year
            assert old_cells[published] == new_cells[published]
            assert _number(old_cells[simulated]) == pytest.approx(
                _number(new_cells[simulated]), rel=SNAPSHOT, abs=1
            )
