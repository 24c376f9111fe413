"""The validation table in docs/validation.md is what the pipeline gives today."""

from pathlib import Path

from cruce.simulation.validation import checks, markdown, run_history

DOC = Path(__file__).parents[1] / "docs" / "validation.md"
START, END = "<!-- validation-table:start -->\n", "<!-- validation-table:end -->"


def test_the_committed_validation_table_is_current() -> None:
    text = DOC.read_text(encoding="utf-8")
    committed = text[text.index(START) + len(START) : text.index(END)]
    assert committed == markdown(checks(*run_history())), (
        "docs/validation.md is stale: paste `python -m cruce.simulation.validation` "
        "between the markers"
    )
