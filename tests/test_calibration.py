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

from cruce.engine.logic import FactKind
from cruce.population.calibration import (
    CONFIDENCE_LEVELS,
    TABLES,
    load_all,
    load_table,
    sources_markdown,
)
from cruce.tables.reader import Column, TableError, read_table

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


def _index(lines: list[str], **key: str) -> int:
    """The index (from 0) of the first data line whose cells match ``key``, so a test picks its
    row by what the row says, not by where the row happens to sit in the shipped file."""
    start = _header_index(lines)
    header = next(csv.reader([lines[start]]))
    for i in range(start + 1, len(lines)):
        if lines[i].startswith("#"):
            continue
        fields = dict(zip(header, next(csv.reader([lines[i]])), strict=False))
        if all(fields.get(column) == value for column, value in key.items()):
            return i
    raise AssertionError(f"no row with {key}")


def _cell(where: dict[str, str], column: str, value: str) -> Edit:
    """An edit setting one cell of the first row matching ``where``."""
    return lambda lines: _set_cell(lines, _index(lines, **where), column, value)


def _line(name: str, **key: str) -> int:
    """The line (from 1, as errors count) of the shipped table's first row matching ``key``."""
    return _index(_lines(name), **key) + 1


def _bad_copy(tmp_path: Path, name: str, edit: Edit) -> Path:
    lines = _lines(name)
    edit(lines)
    path = tmp_path / f"{name}.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    return path


def _refusal(tmp_path: Path, name: str, edit: Edit) -> TableError:
    path = _bad_copy(tmp_path, name, edit)
    with pytest.raises(TableError) as caught:
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
    row = {"fiscal_year": "2006"}
    error = _refusal(tmp_path, "credible_fear", _cell(row, "cf_total", "5,0"))
    line = _line("credible_fear", **row)
    assert line > 2  # the comment lines and the header count
    assert (error.row, error.column) == (line, "cf_total")
    assert f"line {line}, column 'cf_total'" in str(error)
    assert "not a whole number" in error.reason


def test_bad_float_is_refused(tmp_path: Path) -> None:
    row = {"fiscal_year": "2015", "metric": "average_daily_population"}
    error = _refusal(tmp_path, "ice_detention", _cell(row, "value", "n/a"))
    assert (error.row, error.column) == (_line("ice_detention", **row), "value")


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_non_finite_numbers_are_refused(tmp_path: Path, value: str) -> None:
    row = {"fiscal_year": "2015", "metric": "average_daily_population"}
    error = _refusal(tmp_path, "ice_detention", _cell(row, "value", value))
    assert (error.row, error.column) == (_line("ice_detention", **row), "value")
    assert "finite" in error.reason


def test_a_whole_number_too_big_for_64_bits_is_named_so(tmp_path: Path) -> None:
    row = {"fiscal_year": "2016", "agency": "ICE", "metric": "removals"}
    error = _refusal(tmp_path, "removals", _cell(row, "value", "99999999999999999999"))
    assert (error.row, error.column) == (_line("removals", **row), "value")
    assert "64 bits" in error.reason


def test_missing_column_is_named(tmp_path: Path) -> None:
    error = _refusal(tmp_path, "removals", lambda lines: _drop_column(lines, "confidence"))
    assert (error.row, error.column) == (_header_index(_lines("removals")) + 1, "confidence")
    assert "required columns missing: confidence" in error.reason


def test_unknown_column_is_named(tmp_path: Path) -> None:
    def rename(lines: list[str]) -> None:
        start = _header_index(lines)
        lines[start] = lines[start].replace("metric,", "metrik,")

    error = _refusal(tmp_path, "removals", rename)
    assert (error.row, error.column) == (_header_index(_lines("removals")) + 1, "metrik")
    assert "unknown column" in error.reason and "did you mean 'metric'" in error.reason


def test_short_row_is_a_missing_cell(tmp_path: Path) -> None:
    row = {"fiscal_year": "2016", "agency": "ICE", "metric": "removals"}

    def truncate(lines: list[str]) -> None:
        index = _index(lines, **row)
        lines[index] = _join(next(csv.reader([lines[index]]))[:-2])

    error = _refusal(tmp_path, "removals", truncate)
    assert (error.row, error.column) == (_line("removals", **row), "confidence")
    assert "missing cell" in error.reason


def test_empty_source_is_refused(tmp_path: Path) -> None:
    row = {"as_of": "2019-02", "metric": "new_mpp_court_cases"}
    error = _refusal(tmp_path, "mpp", _cell(row, "source", ""))
    assert (error.row, error.column) == (_line("mpp", **row), "source")
    assert "empty" in error.reason


def test_non_http_source_url_is_refused(tmp_path: Path) -> None:
    row = {"fiscal_year": "2016", "agency": "ICE", "metric": "removals"}
    error = _refusal(tmp_path, "removals", _cell(row, "source_url", "ftp://example.org/x"))
    assert (error.row, error.column) == (_line("removals", **row), "source_url")
    assert "http(s)" in error.reason


def test_bad_date_is_refused(tmp_path: Path) -> None:
    row = {"estimator": "Trump campaign"}
    error = _refusal(tmp_path, "border_wall_cost_estimates", _cell(row, "date", "2017-13"))
    assert (error.row, error.column) == (_line("border_wall_cost_estimates", **row), "date")
    assert "calendar date" in error.reason


def test_unknown_confidence_is_refused(tmp_path: Path) -> None:
    row = {"estimator": "Trump campaign"}
    error = _refusal(tmp_path, "border_wall_cost_estimates", _cell(row, "confidence", "HIGH"))
    assert (error.row, error.column) == (_line("border_wall_cost_estimates", **row), "confidence")


def test_first_problem_is_reported_with_a_count_of_the_rest(tmp_path: Path) -> None:
    early = {"fiscal_year": "2015", "agency": "ICE", "metric": "removals"}
    late = {"fiscal_year": "2016", "agency": "ICE", "metric": "removals"}

    def two_problems(lines: list[str]) -> None:
        _set_cell(lines, _index(lines, **late), "value", "x")
        _set_cell(lines, _index(lines, **early), "is_approximate", "yes")

    error = _refusal(tmp_path, "removals", two_problems)
    assert (error.row, error.column) == (_line("removals", **early), "is_approximate")
    assert "2 bad cells" in str(error) and len(error.errors) == 2


def test_line_numbers_count_comments_and_multiline_cells(tmp_path: Path) -> None:
    first = {"fiscal_year": "2015", "agency": "ICE", "metric": "removals"}
    second = {"fiscal_year": "2016", "agency": "ICE", "metric": "removals"}

    def edit(lines: list[str]) -> None:
        _set_cell(lines, _index(lines, **first), "notes", "first line\nsecond line")
        lines.insert(_index(lines, **second), "# a comment between rows")
        _set_cell(lines, _index(lines, **second), "value", "bad")

    path = _bad_copy(tmp_path, "removals", edit)
    assert path.read_text().count("\n") == len(_lines("removals")) + 2
    with pytest.raises(TableError) as caught:
        load_table("removals", path=path)
    # The bad row moved down by the comment line and by the multi-line cell above it.
    assert (caught.value.row, caught.value.column) == (_line("removals", **second) + 2, "value")


def test_unknown_table_is_refused() -> None:
    with pytest.raises(TableError, match="no such table"):
        load_table("no_such_table")


def test_cell_parsing(tmp_path: Path) -> None:
    path = tmp_path / "cells.csv"
    columns = {
        "d": Column("d", FactKind.DATE),
        "p": Column("p", "partial_date"),
        "n": Column("n", FactKind.INT),
        "x": Column("x", FactKind.FLOAT, signed=True),
    }
    path.write_text("d,p,n,x\n2019-07-23,2019-07,,-0.5\n")
    table, _ = read_table(path, columns)
    assert table.row(0) == (2, dt.date(2019, 7, 23), "2019-07", None, -0.5)
    for bad, reason in [("2019-07,2019,1,0", "YYYY-MM-DD"), ("2019-07-01,2019,1,nan", "finite")]:
        path.write_text(f"d,p,n,x\n{bad}\n")
        with pytest.raises(TableError, match=reason):
            read_table(path, columns)
