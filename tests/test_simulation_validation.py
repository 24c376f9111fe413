"""The validation text in docs/validation.md is what the pipeline gives today (FY2014–FY2024,
fitted on FY2014–FY2018), each fit is what the document says it is against the tolerance it
states, and every row outside its tolerance has its year explained."""

from pathlib import Path

import numpy as np
import pytest

from cruce.simulation.validation import (
    EXPLAIN,
    TOLERANCE,
    Check,
    checks,
    markdown,
    run_history,
    sector_markdown,
)

DOC = Path(__file__).parents[1] / "docs" / "validation.md"
START, END = "<!-- validation-table:start -->\n", "<!-- validation-table:end -->"
# The run is seeded; this leaves room for floating-point differences between platforms only.
SNAPSHOT = 0.005


def _committed() -> dict[tuple[str, str], dict[str, str]]:
    text = DOC.read_text(encoding="utf-8")
    block = text[text.index(START) + len(START) : text.index(END)]
    table = block.split("\n\n")[0].splitlines()
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
        assert row["Years"] == check.period, row
        if not within:
            assert check.when in EXPLAIN[check.measure], (
                f"{check.measure} {check.when} misses its tolerance ({check.error:+.0%}): "
                "explain that year in validation.EXPLAIN and regenerate the document"
            )


def test_the_explanations_in_the_document_are_the_generated_ones(fresh: list[Check]) -> None:
    text = DOC.read_text(encoding="utf-8")
    for measure, explanation in EXPLAIN.items():
        assert explanation in text, f"docs/validation.md lacks the explanation of {measure}"
    generated = markdown(fresh)
    assert [line.split(" (")[0] for line in generated.splitlines() if line.startswith("- **")] == [
        line.split(" (")[0] for line in text.splitlines() if line.startswith("- **")
    ][-len(EXPLAIN) :]


def test_every_year_fitted_is_before_fy2019_and_every_headline_year_is_checked(
    fresh: list[Check],
) -> None:
    fitted = {c.when for c in fresh if c.period == "fit" and c.when.startswith("FY")}
    assert fitted and all(int(when[2:]) <= 2018 for when in fitted)
    removals = {c.when for c in fresh if c.measure == "DHS removals"}
    assert removals == {f"FY{y}" for y in range(2017, 2025)}


def test_the_shipped_scenario_meets_the_removals_and_backlog_bar_or_is_explained() -> None:
    """kelly-2017-as-applied as shipped (from October 2016): DHS removals and EOIR pending within
    ±25% each year FY2017–FY2024 the data give, or that year explained in the document."""
    from cruce.simulation import montecarlo as mc
    from cruce.simulation.data import fiscal_year
    from cruce.simulation.fit import dhs_removals
    from cruce.simulation.inputs import TABLES
    from cruce.simulation.pipeline import METRICS
    from cruce.simulation.scenario import load_scenario

    scenario = load_scenario("kelly-2017-as-applied").model_copy(update={"replicates": 40})
    prepared, _ = mc.prepare(scenario)
    results = mc.run_replicates(prepared, scenario)
    years = np.array([fiscal_year(m) for m in prepared.inputs.months])
    series = {
        "DHS removals": (dhs_removals(), "removals", "sum"),
        "court cases pending, end of fiscal year": (TABLES.COURT_PENDING, "court_backlog", "last"),
    }
    for measure, (published, metric, how) in series.items():
        for year in range(2017, 2025):
            if year not in published.by_year:
                continue
            values = results[:, METRICS.index(metric), years == year]
            simulated = np.median(values.sum(axis=1) if how == "sum" else values[:, -1])
            error = simulated / published.by_year[year].value - 1
            assert abs(error) <= 0.25 or f"FY{year}" in EXPLAIN[measure], (measure, year, error)


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
