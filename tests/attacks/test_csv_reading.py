"""The caseload CSV reader drops nothing and names the line and column of every problem."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import polars as pl
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cruce.audit.checks import caseload_columns
from cruce.cli.app import app
from cruce.tables.reader import TableError, read_table
from cruce.web.api import app as web_app

from .conftest import write

client = TestClient(web_app)


def _with_id(frame: pl.DataFrame, index: int, case_id: str) -> pl.DataFrame:
    return frame.with_columns(
        pl.when(pl.int_range(pl.len()) == index)
        .then(pl.lit(case_id))
        .otherwise(pl.col("case_id"))
        .alias("case_id")
    )


def test_hash_rows_are_cases_not_comments(tmp_path: Path, caseload: pl.DataFrame) -> None:
    frame = _with_id(caseload, 0, "#1")
    table, _ = read_table(write(frame, tmp_path / "c.csv"), caseload_columns())
    assert table.height == caseload.height
    assert table.get_column("case_id")[0] == "#1"


def test_error_after_a_hash_row_names_its_own_line(tmp_path: Path, caseload: pl.DataFrame) -> None:
    frame = _with_id(caseload, 0, "# a note").with_columns(
        pl.when(pl.int_range(pl.len()) == 3)
        .then(pl.lit("WALKED"))
        .otherwise("entry_mode")
        .alias("entry_mode")
    )
    with pytest.raises(TableError) as caught:
        read_table(write(frame, tmp_path / "c.csv"), caseload_columns())
    assert (caught.value.row, caught.value.column) == (5, "entry_mode")  # header line 1, row 3 → 5


def test_api_audit_keeps_hash_rows(tmp_path: Path, caseload: pl.DataFrame) -> None:
    path = write(_with_id(caseload, 0, "#1"), tmp_path / "c.csv")
    response = client.post("/v1/audits", files={"file": ("c.csv", path.read_bytes(), "text/csv")})
    assert response.status_code == 200, response.text
    assert response.json()["rows"] == caseload.height


HEADER = "case_id,action,action_instant\n"


@pytest.mark.parametrize(
    ("body", "line", "column", "words"),
    [
        (HEADER + "A,EXPEDITED_REMOVAL\n", 2, "action_instant", "missing cell"),
        (HEADER + "A,EXPEDITED_REMOVAL,2019-08-15,extra\n", 2, None, "extra cells"),
        ("case_id,case_id,action\nA,B,C\n", 1, "case_id", "more than once"),
        (
            HEADER + '"A\nB",EXPEDITED_REMOVAL,2019-08-15\nC,EXPEDITED_REMOVAL,bad\n',
            4,
            "action_instant",
            "UTC offset",
        ),
    ],
)
def test_shape_errors_name_line_and_column(
    tmp_path: Path, body: str, line: int, column: str | None, words: str
) -> None:
    path = tmp_path / "c.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(TableError) as caught:
        read_table(path, caseload_columns())
    assert (caught.value.row, caught.value.column) == (line, column)
    assert words in str(caught.value) and f"line {line}" in str(caught.value)


def test_latin1_names_the_encoding_and_line(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes((HEADER + "José,EXPEDITED_REMOVAL,2019-08-15\n").encode("latin-1"))
    with pytest.raises(TableError, match="Latin-1") as caught:
        read_table(path, caseload_columns())
    assert caught.value.row == 2


def test_huge_integer_says_it_does_not_fit(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        HEADER.strip() + ",cp_days_established_before_encounter\n"
        "A,EXPEDITED_REMOVAL,2019-08-15,99999999999999999999\n",
        encoding="utf-8",
    )
    with pytest.raises(TableError, match="64 bits"):
        read_table(path, caseload_columns())


@pytest.mark.parametrize("value", ["NaN", "nan", "inf", "-inf", "Infinity"])
def test_non_finite_distance_is_refused(tmp_path: Path, value: str) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        HEADER.strip() + ",encounter_distance_to_land_border_air_miles\n"
        f"A,EXPEDITED_REMOVAL,2019-08-15,{value}\n",
        encoding="utf-8",
    )
    with pytest.raises(TableError) as caught:
        read_table(path, caseload_columns())
    assert caught.value.column == "encounter_distance_to_land_border_air_miles"


@pytest.mark.parametrize(
    "dtype_column",
    [
        pl.Series("case_id", [b"\x00\x01"], dtype=pl.Binary),
        pl.Series("case_id", [[["A"]]], dtype=pl.List(pl.List(pl.String))),
        pl.Series("cp_days_established_before_encounter", [1], dtype=pl.Duration("us")).cast(
            pl.Duration("us")
        ),
    ],
)
def test_unreadable_parquet_types_are_clear_errors(tmp_path: Path, dtype_column: pl.Series) -> None:
    path = tmp_path / "c.parquet"
    pl.DataFrame([dtype_column]).write_parquet(path)
    with pytest.raises(TableError, match="cannot be read") as caught:
        read_table(path, caseload_columns())
    assert caught.value.column == dtype_column.name
    response = client.post("/v1/audits", files={"file": ("c.parquet", path.read_bytes())})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert dtype_column.name in response.json()["detail"]


FORMULAS = ["=cmd|' /C calc'!A0", "@SUM(1+1)", "+1+1", "-2+3", '=HYPERLINK("http://x")', "\t=1+1"]


FLAGGED = [
    "er-child",
    "er-two-years",
    "er-injunction",
    "er-kelly-no-designation",
    "er-fear-not-referred",
    "er-lpr-claim-not-referred",
]  # planted violations: in findings


def _formula_caseload(caseload: pl.DataFrame) -> pl.DataFrame:
    """The caseload with planted violations renamed to formulas, so findings carry them."""
    return caseload.with_columns(
        pl.col("case_id").replace(dict(zip(FLAGGED, FORMULAS, strict=True)))
    )


def _evaluable(cells: list[str]) -> list[str]:
    return [c for c in cells if c and re.match(r"[=+\-@\t\r]", c)]


def test_cli_findings_csv_neutralises_formulas(tmp_path: Path, caseload: pl.DataFrame) -> None:
    path = write(_formula_caseload(caseload), tmp_path / "c.csv")
    result = CliRunner().invoke(app, ["audit", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    csv_ids = pl.read_csv(tmp_path / "out" / "findings.csv", infer_schema=False)["case_id"]
    assert _evaluable(csv_ids.to_list()) == []
    assert "'=cmd|' /C calc'!A0" in csv_ids.to_list()
    kept = pl.read_parquet(tmp_path / "out" / "findings.parquet")["case_id"].to_list()
    assert "=cmd|' /C calc'!A0" in kept and "@SUM(1+1)" in kept  # the original, unchanged


def test_errors_csv_neutralises_formulas(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(HEADER + "A,=1+1,2019-08-15\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["audit", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    values = pl.read_csv(tmp_path / "out" / "errors.csv", infer_schema=False)["value"].to_list()
    assert values == ["'=1+1"]


def test_web_download_neutralises_formulas(tmp_path: Path, caseload: pl.DataFrame) -> None:
    path = write(_formula_caseload(caseload), tmp_path / "c.csv")
    response = client.post("/audit", files={"file": ("c.csv", path.read_bytes(), "text/csv")})
    assert response.status_code == 200
    encoded = re.search(r"data:text/csv;base64,([A-Za-z0-9+/=]+)", response.text)
    assert encoded is not None
    download = base64.b64decode(encoded.group(1)).decode("utf-8")
    ids = pl.read_csv(download.encode(), infer_schema=False)["case_id"].to_list()
    assert _evaluable(ids) == [] and "'@SUM(1+1)" in ids


@pytest.mark.parametrize(
    ("extra", "value", "column"),
    [
        ("", "0001-01-01", "action_instant"),
        ("", "9999-12-31T23:59:59+14:00", "action_instant"),
        (",date_of_birth", "2019-08-15,2999-01-01", "date_of_birth"),
        (",date_of_birth", "2019-08-15,2019-08-16", "date_of_birth"),
    ],
)
def test_impossible_dates_are_refused(tmp_path: Path, extra: str, value: str, column: str) -> None:
    path = tmp_path / "c.csv"
    path.write_text(f"case_id,action,action_instant{extra}\nA,EXPEDITED_REMOVAL,{value}\n")
    with pytest.raises(TableError) as caught:
        read_table(path, caseload_columns())
    assert (caught.value.row, caught.value.column) == (2, column)


@pytest.mark.parametrize(
    "facts",
    [
        {"date_of_birth": "2999-01-01", "encounter_datetime": "2019-08-15T10:00:00-04:00"},
        {"date_of_birth": "0001-01-01"},
        {"encounter_distance_to_land_border_air_miles": float("nan")},
        {"encounter_distance_to_land_border_air_miles": float("inf")},
    ],
)
def test_the_case_path_refuses_the_same(facts: dict[str, object]) -> None:
    from cruce.facts.case import CaseError, parse_case

    with pytest.raises(CaseError, match=next(iter(facts))):
        parse_case(facts, "case")
