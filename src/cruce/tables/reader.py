"""Reading many cases from CSV or Parquet, strictly and vectorised.

Every cell is checked against its fact's type; each bad cell is reported with the file, the row
(the line of a CSV, counting the header as line 1; the row number of a Parquet file), the column,
the value and what is valid. Nothing is dropped or defaulted: a file with any bad cell is
refused whole, with the full report. Empty cells and ``unknown`` are unknown.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from cruce.engine.logic import FactKind
from cruce.facts.case import FACT_KINDS, POLARS_TYPES, enum_of, iso_country_codes

UNKNOWN = ("", "unknown", "UNKNOWN", "Unknown")
TRUE = ("true", "yes", "1", "TRUE", "True", "YES", "Yes")
FALSE = ("false", "no", "0", "FALSE", "False", "NO", "No")
ROW = "__row"


@dataclass(frozen=True)
class CellError:
    file: str
    row: int
    column: str
    value: str
    reason: str


class TableError(ValueError):
    """A table that cannot be read as given; ``errors`` lists every bad cell."""

    def __init__(self, message: str, errors: list[CellError] | None = None):
        super().__init__(message)
        self.errors = errors or []

    def report(self) -> pl.DataFrame:
        """The errors as a table (file, row, column, value, reason)."""
        return pl.DataFrame(
            [e.__dict__ for e in self.errors],
            schema={
                "file": pl.String,
                "row": pl.Int64,
                "column": pl.String,
                "value": pl.String,
                "reason": pl.String,
            },
        )


@dataclass(frozen=True)
class Column:
    """A column the table may have: its name, how its text is read, and whether it must be."""

    name: str
    kind: FactKind
    required: bool = False
    choices: tuple[str, ...] = ()  # for enums: the valid values
    free_text: bool = False  # an identifier: any text


def fact_columns() -> dict[str, Column]:
    """A column for every Case fact (all optional)."""
    columns = {}
    for name, kind in FACT_KINDS.items():
        enum_type = enum_of(name)
        choices = tuple(m.value for m in enum_type) if enum_type else ()
        columns[name] = Column(name, kind, choices=choices)
    return columns


def read_raw(path: Path) -> pl.DataFrame:
    """The file's cells as text, with each row's number for error reports."""
    if not path.exists():
        raise TableError(f"{path}: no such file")
    if path.suffix.lower() == ".parquet":
        try:
            frame = pl.read_parquet(path)
        except (pl.exceptions.PolarsError, OSError) as error:
            raise TableError(f"{path}: not a readable Parquet file: {error}") from None
        frame = frame.with_columns(_as_text(frame, name) for name in frame.columns)
        first_row = 1
    elif path.suffix.lower() == ".csv":
        try:
            frame = pl.read_csv(path, infer_schema=False, comment_prefix="#")
        except pl.exceptions.NoDataError:
            raise TableError(f"{path}: the file is empty (no header line)") from None
        except pl.exceptions.PolarsError as error:
            raise TableError(f"{path}: not a readable CSV file: {error}") from None
        first_row = 2  # line 1 is the header
    else:
        raise TableError(f"{path}: give a .csv or .parquet file")
    if ROW in frame.columns:
        raise TableError(f"{path}: column {ROW!r} is not a caseload column (the name is reserved)")
    return frame.with_row_index(ROW, offset=first_row)


def _as_text(frame: pl.DataFrame, name: str) -> pl.Expr:
    dtype = frame.schema[name]
    column = pl.col(name)
    if isinstance(dtype, pl.Datetime):
        if dtype.time_zone is None:
            return column.dt.to_string("%Y-%m-%dT%H:%M:%S.%f")  # refused below: no offset
        return column.dt.convert_time_zone("UTC").dt.to_string("%Y-%m-%dT%H:%M:%S.%f+00:00")
    if isinstance(dtype, pl.List):
        return column.cast(pl.List(pl.String)).list.join(";")
    return column.cast(pl.String)


def _parse(column: Column) -> pl.Expr:
    """The text of a column read as its kind; null where unknown or invalid (checked apart)."""
    text = pl.col(column.name).str.strip_chars()
    known = pl.when(text.is_in(UNKNOWN)).then(None).otherwise(text)
    if column.kind is FactKind.BOOL:
        return pl.when(known.is_in(TRUE)).then(True).when(known.is_in(FALSE)).then(False)
    if column.kind is FactKind.INT:
        return known.cast(pl.Int64, strict=False)
    if column.kind is FactKind.FLOAT:
        return known.cast(pl.Float64, strict=False)
    if column.kind is FactKind.DATE:
        return known.str.to_date("%Y-%m-%d", strict=False)
    if column.kind is FactKind.INSTANT:
        bare_date = (
            known.str.to_date("%Y-%m-%d", strict=False)
            .cast(pl.Datetime("us"))
            .dt.replace_time_zone("America/New_York", ambiguous="earliest")
            .dt.convert_time_zone("UTC")
        )
        with_offset = known.str.to_datetime(
            "%Y-%m-%dT%H:%M:%S%.f%:z", time_unit="us", strict=False
        ).dt.convert_time_zone("UTC")
        return pl.when(known.str.len_chars() == 10).then(bare_date).otherwise(with_offset)
    if column.kind is FactKind.SET:
        items = pl.element().str.strip_chars()
        return known.str.split(";").list.eval(items if column.choices else items.str.to_uppercase())
    if column.choices or column.free_text:
        return known
    return known.str.to_uppercase()  # a country code


def _valid(column: Column, parsed: pl.Expr) -> pl.Expr:
    """True where a known cell was read correctly."""
    if column.free_text:
        return parsed.is_not_null()
    if column.kind is FactKind.SET:
        valid = sorted(column.choices or iso_country_codes())
        return parsed.list.eval(pl.element().is_in(valid)).list.all()
    if column.kind is FactKind.ENUM:
        return parsed.is_in(sorted(column.choices or iso_country_codes()))
    if column.kind in (FactKind.INT, FactKind.FLOAT):
        return parsed >= 0
    return parsed.is_not_null()


REASONS = {
    FactKind.BOOL: "not true/false (yes/no, 1/0 and unknown are accepted)",
    FactKind.INT: "not a whole number ≥ 0",
    FactKind.FLOAT: "not a number ≥ 0",
    FactKind.DATE: "not a date YYYY-MM-DD",
    FactKind.INSTANT: "not a date-time with a UTC offset (e.g. 2025-01-21T18:00:00-05:00) "
    "or a date",
}


def _reason(column: Column) -> str:
    if column.choices:
        return f"not one of {', '.join(column.choices)}"
    if column.kind in (FactKind.ENUM, FactKind.SET):
        return "not an ISO 3166-1 alpha-2 country code (a list is separated by ';')"
    return REASONS[column.kind]


def read_table(path: str | Path, columns: dict[str, Column]) -> tuple[pl.DataFrame, list[str]]:
    """The table parsed to its columns' types, and the optional columns it lacks (unknown in
    every row). Raises TableError listing every bad cell, unknown column or missing column."""
    path = Path(path)
    raw = read_raw(path)
    unknown = [c for c in raw.columns if c != ROW and c not in columns]
    if unknown:
        hints = [
            f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else "")
            for name in unknown
            for close in [difflib.get_close_matches(name, columns, n=1)]
        ]
        raise TableError(
            f"{path}: unknown columns {', '.join(hints)}; the valid columns are listed in "
            "docs/audit.md and docs/facts.md"
        )
    missing = [c.name for c in columns.values() if c.required and c.name not in raw.columns]
    if missing:
        raise TableError(f"{path}: required columns missing: {', '.join(missing)}")
    present = [columns[name] for name in raw.columns if name in columns]
    parsed = raw.select(
        ROW,
        *(_parse(c).alias(c.name) for c in present),
        *(pl.col(c.name).alias(f"__text_{c.name}") for c in present),
    )
    flags = {column.name: _bad(column) for column in present}
    # One pass finds the columns with any bad cell; only those are searched row by row.
    counts = parsed.select(flag.sum().alias(name) for name, flag in flags.items()).row(0)
    errors: list[CellError] = []
    for column, count in zip(present, counts, strict=True):
        if not count:
            continue
        bad = parsed.filter(flags[column.name])
        for row, value in bad.select(ROW, f"__text_{column.name}").iter_rows():
            reason = "required" if column.required and not value else _reason(column)
            errors.append(CellError(str(path), row, column.name, value or "", reason))
    if errors:
        errors.sort(key=lambda e: (e.row, e.column))
        shown = "; ".join(
            f"row {e.row}, column {e.column!r}: {e.value!r} is {e.reason}" for e in errors[:5]
        )
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        raise TableError(f"{path}: {len(errors)} bad cells: {shown}{more}", errors)
    table = parsed.select(ROW, *(c.name for c in present))
    absent = [c.name for c in columns.values() if c.name not in raw.columns]
    table = table.with_columns(
        pl.lit(None, dtype=POLARS_TYPES[columns[name].kind]).alias(name)
        for name in absent
        if columns[name].kind in POLARS_TYPES
    )
    return table.with_columns(_typed(columns[name]) for name in table.columns if name in columns), [
        name for name in absent if not columns[name].required
    ]


def _bad(column: Column) -> pl.Expr:
    """True where a cell states something its column cannot read (or a required cell is empty)."""
    text = pl.col(f"__text_{column.name}").str.strip_chars()
    stated = text.is_not_null() & ~text.is_in(UNKNOWN)
    invalid = stated & ~_valid(column, pl.col(column.name)).fill_null(False)
    return invalid | ~stated if column.required else invalid


def _typed(column: Column) -> pl.Expr:
    dtype = pl.String() if column.free_text else POLARS_TYPES[column.kind]
    return pl.col(column.name).cast(dtype)
