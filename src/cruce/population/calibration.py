"""Calibration tables: public statistics shipped as package data, read strictly.

Each table in ``cruce/data/`` is a CSV with ``#`` comment lines, a header, and one row per
published figure; every row names its ``source`` and ``source_url`` (and a ``confidence``:
high, medium or low). ``data/SOURCES.md`` describes how each figure was found.

``TABLES`` holds one schema per table: each column's type and whether it must be filled.
``load_table`` reads a table with Polars (every cell as text) and then parses each column per its
schema. It refuses a file with any problem, raising a ``CalibrationError`` that names the file,
the line (counting comment lines and the header, so the file can be opened at that line), the
column and the reason. Nothing is dropped, defaulted or coerced.

Column types: ``str``, ``int``, ``float``, ``bool`` (``True``/``False``), ``date``
(``YYYY-MM-DD``, read as a Polars ``Date``), ``partial_date`` (an ISO date at year, month or day
precision, ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, kept as text so its precision is not lost) and
``url`` (an ``http(s)`` address). Several columns hold labels rather than dates or numbers in the
published data ("FY2016", "2021 (thru Q2)", "nearly 55"); their schemas say ``str``, as the data
is, and the comment by each such column says why.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal
from urllib.parse import urlparse

import polars as pl

ColumnType = Literal["str", "int", "float", "bool", "date", "partial_date", "url"]
CONFIDENCE_LEVELS = ("high", "medium", "low")

_INT = re.compile(r"-?\d+")
_FLOAT = re.compile(r"-?(\d+(\.\d*)?|\.\d+)")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_PARTIAL_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_BOOLS = {"True": True, "False": False}

POLARS_TYPES: dict[ColumnType, type[pl.DataType]] = {
    "str": pl.String,
    "int": pl.Int64,
    "float": pl.Float64,
    "bool": pl.Boolean,
    "date": pl.Date,
    "partial_date": pl.String,
    "url": pl.String,
}


class CalibrationError(ValueError):
    """A calibration table that cannot be read as given.

    ``line`` is the line of the file (comment lines and the header count), ``None`` when the
    problem is with the file as a whole; ``column`` is ``None`` when no column is concerned.
    """

    def __init__(
        self, file: str, line: int | None, column: str | None, reason: str, more: int = 0
    ) -> None:
        self.file, self.line, self.column, self.reason = file, line, column, reason
        where = file if line is None else f"{file}, line {line}"
        if column is not None:
            where += f", column {column!r}"
        extra = f" (and {more} more problem{'s' * (more > 1)} in this file)" if more else ""
        super().__init__(f"{where}: {reason}{extra}")


@dataclass(frozen=True)
class Column:
    """A column of a table: its name, the type of its cells, and whether every row must fill it."""

    name: str
    type: ColumnType = "str"
    required: bool = True
    allowed: tuple[str, ...] | None = None


@dataclass(frozen=True)
class TableSchema:
    """A calibration table: its name (the CSV's stem), a one-line title and its columns."""

    name: str
    title: str
    columns: tuple[Column, ...]

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _table(name: str, title: str, *columns: Column, notes: bool = True) -> TableSchema:
    """A schema with the provenance columns every table ends with."""
    provenance = (
        Column("source"),
        Column("source_url", "url"),
        Column("confidence", allowed=CONFIDENCE_LEVELS),
    )
    tail = (Column("notes", required=False),) if notes else ()
    return TableSchema(name, title, (*columns, *provenance, *tail))


def _int(name: str, required: bool = True) -> Column:
    return Column(name, "int", required)


def _flag(name: str) -> Column:
    return Column(name, "bool")


_SCHEMAS = (
    _table(
        "border_wall_cost_estimates",
        "Official and quasi-official cost estimates for a U.S.-Mexico border wall",
        Column("estimator"),
        Column("date", "partial_date"),
        _int("estimate_usd"),
        _int("miles", required=False),
        Column("scope"),
    ),
    _table(
        "cbp_hiring_metrics",
        "CBP and Border Patrol hiring pipeline: polygraph, time to hire, attrition, contracts",
        Column("metric"),
        Column("period"),  # free text: "FY2015", "c. 2023", "as of 2018-10-01", "5 years"
        Column("value", "float"),
        Column("unit"),
        _flag("is_approximate"),
    ),
    _table(
        "credible_fear",
        "USCIS credible-fear decisions and resulting EOIR receipts, FY2006-FY2018",
        _int("fiscal_year"),
        _int("cf_negative"),
        _int("cf_positive"),
        _int("cf_other_closed"),
        Column("pct_positive_of_decided", "float"),
        _int("cf_total"),
        _int("eoir_asylum_only_receipts"),
        _int("eoir_removal_receipts"),
        _int("eoir_total_receipts"),
        _flag("partial_year"),
        notes=False,
    ),
    _table(
        "enforcement_staffing",
        "Border Patrol agent and ICE ERO officer headcounts",
        Column("as_of"),  # free text: dates, "FY2016", "end FY2021 (plan)"
        Column("agency"),
        Column("metric"),
        _int("value"),
        _flag("is_approximate"),
    ),
    _table(
        "eoir_caseload",
        "Immigration court (EOIR) pending cases, receipts and completions by fiscal year",
        Column("fiscal_year"),  # text: one row is "2021 (thru Q2)"
        _int("pending_end_of_fy"),
        _int("initial_receipts"),
        _int("total_completions", required=False),
        _flag("is_approximate"),
    ),
    _table(
        "expedited_removal_expansion_estimates",
        "Published estimates of how many people the expedited-removal expansions could affect",
        Column("policy"),
        Column("estimator"),
        _int("estimate_persons", required=False),
        _flag("is_approximate"),
        Column("description"),
        notes=False,
    ),
    _table(
        "ice_detention",
        "ICE detention: average daily population, funded beds, bed-day cost, length of stay",
        _int("fiscal_year"),
        Column("metric"),
        Column("value", "float"),
        Column("unit"),
        _flag("is_approximate"),
    ),
    _table(
        "immigration_court_completions_trac",
        "Immigration court case completions from TRAC's case-by-case EOIR records",
        _int("fiscal_year"),
        _int("total_case_completions"),
        _int("removal_case_completions"),
        _flag("partial_year"),
        notes=False,
    ),
    _table(
        "immigration_court_wait_times",
        "Immigration court backlog (TRAC active docket) and average days pending",
        Column("as_of", "partial_date"),
        _int("pending_cases"),
        _int("average_days_pending", required=False),
        Column("measure", required=False),
    ),
    _table(
        "immigration_judges",
        "Immigration judge corps size, hires, departures and productivity",
        Column("as_of"),  # free text: "FY2017", "2015-11 to 2017-04", "hiring process"
        Column("metric"),
        _int("value"),
        _flag("is_approximate"),
    ),
    _table(
        "mpp",
        "Migrant Protection Protocols: flows, cumulative counts, outcomes and nationality",
        Column("as_of"),  # mostly dates, but also "MPP 1.0 total" and "MPP 2.0 (Dec 2021-...)"
        Column("metric"),
        Column("category"),
        _int("value"),
        _flag("is_approximate"),
    ),
    _table(
        "removals",
        "ICE and DHS removals, returns and arrests",
        _int("fiscal_year"),
        Column("agency"),
        Column("metric"),
        _int("value"),
        _flag("is_approximate"),
    ),
    _table(
        "swb_encounters",
        "CBP encounters (USBP and OFO), southwest land border and nationwide",
        _int("fiscal_year"),
        Column("scope"),
        Column("component"),
        _int("encounters"),
        _flag("is_approximate"),
    ),
    _table(
        "swb_uac_family_units",
        "USBP southwest-border apprehensions by demographic (UAC, family units) and country",
        _int("fiscal_year"),
        Column("demographic"),
        Column("country"),
        _int("apprehensions"),
    ),
    _table(
        "cbp_swb_title42_expulsions",
        "CBP southwest-border encounters and Title 42 expulsions by month (OHSS)",
        _int("fiscal_year"),
        Column("month"),  # "October", ...: the calendar month within the fiscal year
        _int("swb_encounters"),
        _int("title42_expulsions", required=False),
        notes=False,
    ),
    _table(
        "swb_usbp_apprehensions_by_nationality",
        "USBP southwest-border apprehensions by country of citizenship (partial)",
        Column("period"),  # "FY2017" or "2016 first six months (as reported Jul 2016)"
        Column("scope"),
        Column("country"),
        _int("apprehensions"),
    ),
    _table(
        "swb_usbp_apprehensions_by_year",
        "USBP apprehensions, southwest border and nationwide, with Mexican nationals",
        _int("fiscal_year"),
        Column("scope"),
        _int("apprehensions_total"),
        _int("apprehensions_mexico", required=False),
        _int("apprehensions_other_than_mexico", required=False),
        _flag("is_approximate"),
    ),
    _table(
        "unauthorized_population_by_country",
        "Unauthorized immigrant population by country of birth (partial)",
        Column("estimator"),
        Column("reference_date", "partial_date"),
        Column("country_of_birth"),
        _int("unauthorized_population", required=False),
        Column("share_pct", required=False),  # text: "nearly 55", "roughly half" as published
    ),
    _table(
        "unauthorized_population_by_state",
        "Unauthorized immigrant population by state of residence",
        Column("estimator"),
        Column("reference_date", "partial_date"),
        Column("state"),
        _int("unauthorized_population", required=False),
        Column("share_pct", "float", required=False),
    ),
    _table(
        "unauthorized_population_duration",
        "Unauthorized immigrant population by period of entry and years of U.S. residence",
        Column("estimator"),
        Column("reference_date", "partial_date"),
        Column("measure"),
        Column("category"),
        Column("value", "float"),
        Column("unit"),
    ),
    _table(
        "unauthorized_population_totals",
        "Unauthorized immigrant population, national totals, by estimator and reference date",
        Column("estimator"),
        Column("reference_date"),  # mostly YYYY or YYYY-MM-DD; one row is "2012-2016 ACS"
        _int("unauthorized_population"),
        _flag("is_approximate"),
    ),
)

TABLES: dict[str, TableSchema] = {schema.name: schema for schema in _SCHEMAS}


# --- Cells ------------------------------------------------------------------------------------


def _parse_int(text: str) -> int:
    if not _INT.fullmatch(text):
        raise ValueError("not a whole number (digits only, no separators)")
    return int(text)


def _parse_float(text: str) -> float:
    if not _FLOAT.fullmatch(text):
        raise ValueError("not a number (digits with an optional decimal point)")
    return float(text)


def _parse_bool(text: str) -> bool:
    if text not in _BOOLS:
        raise ValueError("not True or False")
    return _BOOLS[text]


def _parse_date(text: str) -> dt.date:
    if not _DATE.fullmatch(text):
        raise ValueError("not a date in the form YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError("not a real calendar date") from None


def _parse_partial_date(text: str) -> str:
    if not _PARTIAL_DATE.fullmatch(text):
        raise ValueError("not a date in the form YYYY, YYYY-MM or YYYY-MM-DD")
    padded = text + "-01" * (2 - text.count("-"))
    try:
        dt.date.fromisoformat(padded)
    except ValueError:
        raise ValueError("not a real calendar date") from None
    return text


def _parse_url(text: str) -> str:
    parts = urlparse(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in text:
        raise ValueError("not an http(s) URL")
    return text


_PARSERS: dict[ColumnType, Callable[[str], object]] = {
    "str": str,
    "int": _parse_int,
    "float": _parse_float,
    "bool": _parse_bool,
    "date": _parse_date,
    "partial_date": _parse_partial_date,
    "url": _parse_url,
}


def parse_cell(column: Column, text: str | None) -> object:
    """One cell's value per its column, ``None`` for an empty optional cell; ValueError if bad."""
    if text is None or not text.strip():
        if column.required:
            raise ValueError("empty, but this column must be filled in every row")
        return None
    value = _PARSERS[column.type](text)
    if column.allowed is not None and text not in column.allowed:
        raise ValueError(f"{text!r} is not one of {', '.join(column.allowed)}")
    return value


# --- Files ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Record:
    line: int
    fields: list[str]


def _records(text: str, file: str) -> list[_Record]:
    """Every CSV record (header first) with the line it starts on, skipping ``#`` comment lines.

    A record continues over further lines while a quoted field is open, as in RFC 4180.
    """
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    records: list[_Record] = []
    pending: list[str] = []
    start = 0
    for number, line in enumerate(lines, start=1):
        if not pending and line.startswith("#"):
            continue
        if not pending:
            start = number
        pending.append(line + "\n")
        if "".join(pending).count('"') % 2 == 0:
            records.append(_Record(start, next(csv.reader(pending), [])))
            pending = []
    if pending:
        raise CalibrationError(file, start, None, "a quoted field is never closed")
    return records


def _check_header(schema: TableSchema, header: _Record, file: str) -> None:
    expected = schema.column_names()
    for name in header.fields:
        if header.fields.count(name) > 1:
            raise CalibrationError(file, header.line, name, "column appears more than once")
        if name not in expected:
            raise CalibrationError(file, header.line, name, f"unknown column; expected {expected}")
    for name in expected:
        if name not in header.fields:
            raise CalibrationError(file, header.line, name, "missing column")


def _check_shape(rows: list[_Record], header: _Record, file: str) -> None:
    width = len(header.fields)
    for row in rows:
        if len(row.fields) < width:
            missing = header.fields[len(row.fields)]
            reason = f"row has {len(row.fields)} fields but the header has {width}"
            raise CalibrationError(file, row.line, missing, f"missing cell: {reason}")
        if len(row.fields) > width:
            reason = f"row has {len(row.fields)} fields but the header has {width}"
            raise CalibrationError(file, row.line, None, f"extra cells: {reason}")


def _parse_column(
    column: Column, cells: list[str | None], lines: list[int]
) -> tuple[pl.Series, list[tuple[int, str, str]]]:
    values: list[object] = []
    problems: list[tuple[int, str, str]] = []
    for text, line in zip(cells, lines, strict=True):
        try:
            values.append(parse_cell(column, text))
        except ValueError as error:
            values.append(None)
            shown = "" if text is None else f"{text!r}: "
            problems.append((line, column.name, f"{shown}{error}"))
    return pl.Series(column.name, values, dtype=POLARS_TYPES[column.type]), problems


def _read_raw(raw: bytes, file: str) -> pl.DataFrame:
    try:
        return pl.read_csv(io.BytesIO(raw), comment_prefix="#", infer_schema=False)
    except pl.exceptions.PolarsError as error:
        raise CalibrationError(file, None, None, f"Polars cannot read it: {error}") from error


def parse_table(
    schema: TableSchema, raw: bytes, file: str, with_lines: bool = False
) -> pl.DataFrame:
    """The table in ``raw`` (the CSV's bytes), every column parsed per ``schema``; with
    ``with_lines``, a ``line`` column gives each row's line in the file (its source row)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CalibrationError(file, None, None, f"not UTF-8 text: {error}") from error
    records = _records(text, file)
    if not records:
        raise CalibrationError(file, None, None, "no header line")
    header, rows = records[0], records[1:]
    _check_header(schema, header, file)
    _check_shape(rows, header, file)
    frame = _read_raw(raw, file)
    if frame.height != len(rows) or frame.columns != header.fields:
        reason = f"Polars read {frame.height} rows, {frame.columns}; expected {len(rows)} rows"
        raise CalibrationError(file, None, None, reason)
    lines = [row.line for row in rows]
    columns: list[pl.Series] = []
    problems: list[tuple[int, str, str]] = []
    for column in schema.columns:
        series, bad = _parse_column(column, frame[column.name].to_list(), lines)
        columns.append(series)
        problems += bad
    if problems:
        order = schema.column_names()
        line, name, reason = min(problems, key=lambda p: (p[0], order.index(p[1])))
        raise CalibrationError(file, line, name, reason, more=len(problems) - 1)
    if with_lines:
        columns.append(pl.Series("line", lines, dtype=pl.Int64))
    return pl.DataFrame(columns)


def _schema(name: str) -> TableSchema:
    if name not in TABLES:
        raise CalibrationError(f"{name}.csv", None, None, f"no such table; known: {list(TABLES)}")
    return TABLES[name]


def load_table(name: str, path: Path | str | None = None, with_lines: bool = False) -> pl.DataFrame:
    """The calibration table ``name``, from the packaged CSV or, if given, from ``path``
    (``with_lines``: add each row's line in the file, to cite it)."""
    schema = _schema(name)
    if path is None:
        raw = resources.files("cruce").joinpath("data", schema.file).read_bytes()
        return parse_table(schema, raw, f"data/{schema.file}", with_lines)
    path = Path(path)
    return parse_table(schema, path.read_bytes(), str(path), with_lines)


def load_all() -> dict[str, pl.DataFrame]:
    """Every packaged calibration table, by name."""
    return {name: load_table(name) for name in TABLES}


# --- Sources ----------------------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>])")


def _escape(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _distinct_sources(frame: pl.DataFrame) -> list[tuple[str, str]]:
    pairs = frame.select("source", "source_url").unique(maintain_order=True)
    return [(source, url) for source, url in pairs.iter_rows()]


def sources_markdown(tables: Mapping[str, pl.DataFrame] | None = None) -> str:
    """A markdown list of the tables, each with its row count and distinct sources (linked)."""
    tables = load_all() if tables is None else tables
    lines = [
        "# Calibration tables",
        "",
        "Generated from the packaged CSVs by `cruce.population.calibration.sources_markdown()`; "
        "`SOURCES.md` says how each figure was found.",
        "",
    ]
    for name, frame in tables.items():
        sources = _distinct_sources(frame)
        title = TABLES[name].title if name in TABLES else ""
        count = f"{frame.height} row{'s' * (frame.height != 1)}, {len(sources)} sources"
        lines.append(f"- `{name}` ({count}): {_escape(title)}")
        lines += [f"  - [{_escape(source)}](<{url}>)" for source, url in sources]
    return "\n".join(lines) + "\n"
