"""Calibration tables: every shipped table loads per its schema, and a malformed copy is refused
with the file, the line (counting comment lines and the header), the column and the reason."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import polars as pl
import pytest

from cruce.population.calibration import (
    CONFIDENCE_LEVELS,
    TABLES,
    CalibrationError,
    Column,
    load_all,
    load_table,
    parse_cell,
    sources_markdown,
)

Edit = Callable[[list[str]], None]


def _lines(name: str) -> list[str]:
    raw = resources.files("cruce").joinpath("data", f"{name}.csv").read_bytes()
    return raw.decode("utf-8").replace("\r\n", "\n").rstrip("\n").split("\n")


def _header_index(lines: list[str]) -> int:
    return next(i for i, line in enumerate(lines) if not line.startswith("#"))


def _join(fields: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(fields)
    return out.getvalue().removesuffix("\r\n")


def _set_cell(lines: list[str], index: int, column: str, value: str) -> None:
    header = next(csv.reader([lines[_header_index(lines)]]))
    fields = next(csv.reader([lines[index]]))
    fields[header.index(column)] = value
    lines[index] = _join(fields)


def _drop_column(lines: list[str], column: str) -> None:
    start = _header_index(lines)
    position = next(csv.reader([lines[start]])).index(column)
    for i in range(start, len(lines)):
        fields = next(csv.reader([lines[i]]))
        del fields[position]
        lines[i] = _join(fields)


def _cell(index: int, column: str, value: str) -> Edit:
    """An edit setting one cell; ``index`` counts the file's lines from 0."""
    return lambda lines: _set_cell(lines, index, column, value)


def _bad_copy(tmp_path: Path, name: str, edit: Edit) -> Path:
    lines = _lines(name)
    edit(lines)
    path = tmp_path / f"{name}.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    return path


def _refusal(tmp_path: Path, name: str, edit: Edit) -> CalibrationError:
    path = _bad_copy(tmp_path, name, edit)
    with pytest.raises(CalibrationError) as caught:
        load_table(name, path=path)
    error = caught.value
    assert error.file == str(path)
    assert str(path) in str(error)
    return error


# --- The shipped tables -----------------------------------------------------------------------


def test_every_packaged_csv_has_a_schema() -> None:
    folder = resources.files("cruce").joinpath("data")
    shipped = {p.name.removesuffix(".csv") for p in folder.iterdir() if p.name.endswith(".csv")}
    assert shipped == set(TABLES)
    assert folder.joinpath("SOURCES.md").is_file()


@pytest.mark.parametrize("name", sorted(TABLES))
def test_shipped_table_loads_with_sourced_rows(name: str) -> None:
    frame = load_table(name)
    assert frame.height > 0
    assert frame.columns == TABLES[name].column_names()
    assert frame["source"].null_count() == 0
    assert frame["source_url"].str.contains(r"^https?://").all()
    assert set(frame["confidence"].unique()) <= set(CONFIDENCE_LEVELS)


def test_columns_are_typed() -> None:
    fear = load_table("credible_fear")
    assert fear.schema["fiscal_year"] == pl.Int64
    assert fear.schema["partial_year"] == pl.Boolean
    assert load_table("ice_detention").schema["value"] == pl.Float64
    assert fear.filter(pl.col("fiscal_year") == 2018)["partial_year"].to_list() == [True]


def test_load_all_and_sources_markdown() -> None:
    tables = load_all()
    assert list(tables) == list(TABLES)
    text = sources_markdown(tables)
    for name, frame in tables.items():
        assert f"- `{name}` ({frame.height} rows, " in text
    assert "](<https://" in text


# --- Malformed copies -------------------------------------------------------------------------


def test_bad_number_names_file_line_and_column(tmp_path: Path) -> None:
    # credible_fear.csv has three comment lines, so the header is line 4 and the first row line 5.
    error = _refusal(tmp_path, "credible_fear", _cell(4, "cf_total", "5,0"))
    assert (error.line, error.column) == (5, "cf_total")
    assert "line 5, column 'cf_total'" in str(error)
    assert "not a whole number" in error.reason


def test_bad_float_is_refused(tmp_path: Path) -> None:
    error = _refusal(tmp_path, "ice_detention", _cell(5, "value", "n/a"))
    assert (error.line, error.column) == (6, "value")


def test_missing_column_is_named(tmp_path: Path) -> None:
    error = _refusal(tmp_path, "removals", lambda lines: _drop_column(lines, "confidence"))
    assert (error.line, error.column) == (2, "confidence")
    assert error.reason == "missing column"


def test_unknown_column_is_named(tmp_path: Path) -> None:
    def rename(lines: list[str]) -> None:
        lines[1] = lines[1].replace("metric,", "metrik,")

    error = _refusal(tmp_path, "removals", rename)
    assert (error.line, error.column) == (2, "metrik")
    assert "unknown column" in error.reason


def test_short_row_is_a_missing_cell(tmp_path: Path) -> None:
    def truncate(lines: list[str]) -> None:
        lines[7] = _join(next(csv.reader([lines[7]]))[:-2])

    error = _refusal(tmp_path, "removals", truncate)
    assert (error.line, error.column) == (8, "confidence")
    assert "missing cell" in error.reason


def test_empty_source_is_refused(tmp_path: Path) -> None:
    error = _refusal(tmp_path, "mpp", _cell(10, "source", ""))
    assert (error.line, error.column) == (11, "source")
    assert "empty" in error.reason


def test_non_http_source_url_is_refused(tmp_path: Path) -> None:
    error = _refusal(tmp_path, "removals", _cell(3, "source_url", "ftp://example.org/x"))
    assert (error.line, error.column) == (4, "source_url")
    assert "http(s)" in error.reason


def test_bad_date_is_refused(tmp_path: Path) -> None:
    error = _refusal(tmp_path, "border_wall_cost_estimates", _cell(2, "date", "2017-13"))
    assert (error.line, error.column) == (3, "date")
    assert "calendar date" in error.reason


def test_unknown_confidence_is_refused(tmp_path: Path) -> None:
    error = _refusal(tmp_path, "border_wall_cost_estimates", _cell(2, "confidence", "HIGH"))
    assert (error.line, error.column) == (3, "confidence")


def test_first_problem_is_reported_with_a_count_of_the_rest(tmp_path: Path) -> None:
    def two_problems(lines: list[str]) -> None:
        _set_cell(lines, 9, "value", "x")
        _set_cell(lines, 3, "is_approximate", "yes")

    error = _refusal(tmp_path, "removals", two_problems)
    assert (error.line, error.column) == (4, "is_approximate")
    assert "1 more problem" in str(error)


def test_line_numbers_count_comments_and_multiline_cells(tmp_path: Path) -> None:
    def edit(lines: list[str]) -> None:
        _set_cell(lines, 2, "notes", "first line\nsecond line")
        lines.insert(3, "# a comment between rows")
        _set_cell(lines, 5, "value", "bad")

    path = _bad_copy(tmp_path, "removals", edit)
    assert path.read_text().count("\n") == len(_lines("removals")) + 2
    with pytest.raises(CalibrationError) as caught:
        load_table("removals", path=path)
    assert (caught.value.line, caught.value.column) == (7, "value")


def test_unknown_table_is_refused() -> None:
    with pytest.raises(CalibrationError, match="no such table"):
        load_table("no_such_table")


def test_cell_parsing() -> None:
    assert parse_cell(Column("d", "date"), "2019-07-23") == dt.date(2019, 7, 23)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_cell(Column("d", "date"), "2019-07")
    assert parse_cell(Column("d", "partial_date"), "2019-07") == "2019-07"
    assert parse_cell(Column("n", "int", required=False), "") is None
    assert parse_cell(Column("x", "float"), "-0.5") == -0.5
    with pytest.raises(ValueError, match="not a number"):
        parse_cell(Column("x", "float"), "nan")
