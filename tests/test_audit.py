"""The rights audit: planted violations found with citations, no false alarm, bad input
reported cell by cell, and the report rendered by a real browser."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from cruce.audit.checks import CHECKS, audit_file, caseload_columns
from cruce.audit.examples import TEMPLATES, example_caseload, write_example_caseload
from cruce.cli.app import app
from cruce.tables.reader import TableError, read_table
from cruce.web import browser


def _found(findings: pl.DataFrame) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for case_id, finding in findings.select("case_id", "finding").iter_rows():
        found.setdefault(case_id, set()).add(finding)
    return found


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_every_planted_violation_is_found_and_no_clean_case_flagged(
    tmp_path: Path, suffix: str
) -> None:
    expected = write_example_caseload(tmp_path / f"caseload{suffix}", copies=2)
    findings, _ = audit_file(tmp_path / f"caseload{suffix}")
    found = _found(findings)
    for case_id, finding in expected.items():
        assert found.get(case_id, set()) == ({finding} if finding else set()), case_id


def test_every_check_is_planted_at_least_once() -> None:
    planted = {finding for *_, finding in TEMPLATES if finding}
    assert {check.code for check in CHECKS} | {"NEEDS_REVIEW"} == planted


def test_violations_carry_their_citations_and_context(tmp_path: Path) -> None:
    write_example_caseload(tmp_path / "c.csv")
    findings, absent = audit_file(tmp_path / "c.csv")
    violations = findings.filter(pl.col("status") == "VIOLATION")
    assert violations.get_column("citations").str.contains(r"S\d").all()
    assert violations.get_column("explanation").str.len_chars().min() > 20
    row = findings.filter(pl.col("case_id") == "er-injunction").row(0, named=True)
    assert (row["regime"], row["nationality"], row["outcome"]) == (
        "R-2019-PI",
        "GT",
        "ER_NOT_AVAILABLE",
    )
    assert "last_entry_date" in absent


def test_needs_review_names_the_facts_never_guesses(tmp_path: Path) -> None:
    write_example_caseload(tmp_path / "c.csv")
    findings, _ = audit_file(tmp_path / "c.csv")
    review = findings.filter(pl.col("case_id") == "er-distance-unknown")
    assert set(review.get_column("status")) == {"NEEDS_REVIEW"}
    assert set(review.get_column("needs_review_facts")) == {
        "encounter_distance_to_land_border_air_miles"
    }


def test_bad_cells_are_reported_row_by_row(tmp_path: Path) -> None:
    frame, _ = example_caseload()
    frame = frame.with_columns(
        pl.when(pl.int_range(pl.len()) == 2)
        .then(pl.lit("WALKED"))
        .otherwise("entry_mode")
        .alias("entry_mode"),
        pl.when(pl.int_range(pl.len()) == 5)
        .then(pl.lit("2019-08-15T10:00:00"))
        .otherwise("action_instant")
        .alias("action_instant"),
    )
    frame.write_csv(tmp_path / "bad.csv")
    with pytest.raises(TableError) as error:
        read_table(tmp_path / "bad.csv", caseload_columns())
    cells = {(e.row, e.column) for e in error.value.errors}
    # CSV line numbers: the header is line 1, data row i is line i + 2.
    assert cells == {(4, "entry_mode"), (7, "action_instant")}
    assert "LAND_BETWEEN_POES" in str(error.value) and "UTC offset" in str(error.value)


def test_unknown_and_missing_columns_are_refused(tmp_path: Path) -> None:
    frame, _ = example_caseload()
    frame.rename({"entry_mode": "entrymode"}).write_csv(tmp_path / "typo.csv")
    with pytest.raises(TableError, match="'entrymode' \\(did you mean 'entry_mode'\\?\\)"):
        read_table(tmp_path / "typo.csv", caseload_columns())
    frame.drop("action").write_csv(tmp_path / "missing.csv")
    with pytest.raises(TableError, match="required columns missing: action"):
        read_table(tmp_path / "missing.csv", caseload_columns())


def test_cli_audit_writes_findings_and_report(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["audit", "--example", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for name in ("findings.csv", "findings.parquet", "findings.json", "report.html"):
        assert (tmp_path / name).stat().st_size > 0
    assert "ER_DURING_COURT_ORDER" in result.output


def test_cli_audit_bad_file_exits_with_the_error_report(tmp_path: Path) -> None:
    (tmp_path / "bad.csv").write_text(
        "case_id,action,action_instant\nA,DEPORTED,2019-08-15\n", encoding="utf-8"
    )
    result = CliRunner().invoke(app, ["audit", str(tmp_path / "bad.csv"), "--out", str(tmp_path)])
    assert result.exit_code == 2
    report = pl.read_csv(tmp_path / "errors.csv")
    assert report.row(0, named=True)["column"] == "action"


def test_report_renders_in_chromium(tmp_path: Path) -> None:
    """The report's charts are drawn by its embedded JavaScript in a real browser."""
    result = CliRunner().invoke(app, ["audit", "--example", "--out", str(tmp_path)])
    assert result.exit_code == 0
    report = tmp_path / "report.html"
    assert browser.rendered_dom(report).count('class="main-svg"') >= 2  # both charts drawn
    shot = tmp_path / "report.png"
    browser.screenshot(report, shot)
    assert shot.stat().st_size > 50_000
