"""The one strict table reader: CSV or Parquet files read to typed columns, every problem named.

Every cell is checked against its column's kind; each bad cell is reported with the file, the
row (for a CSV, the line the record starts on, counting the header, any comment lines and the
lines inside quoted cells, so the file can be opened there; for Parquet, the row number from 1),
the column, the value and what is valid. Nothing is dropped or defaulted: a file with any problem
is refused whole, with the full report. An empty cell or ``unknown`` (any case) is unknown, the
same words as a case file (``engine.instants.UNKNOWN_WORDS``).

The caseload, the microdata of the exposure and the calibration tables are all read here.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal

import polars as pl

from cruce.engine.instants import INSTANT_YEARS, UNKNOWN_WORDS
from cruce.engine.logic import FactKind
from cruce.facts.case import FACT_KINDS, POLARS_TYPES, enum_of, iso_country_codes

TRUE = ("true", "yes", "1")
FALSE = ("false", "no", "0")
ROW = "__row"

# Kinds beyond the facts': ``text`` (any text), ``partial_date`` (YYYY, YYYY-MM or YYYY-MM-DD,
# kept as text so its precision is not lost) and ``url`` (an http(s) address).
Kind = FactKind | Literal["text", "partial_date", "url"]


@dataclass(frozen=True)
class Column:
    """A column a table may have: its name, how its text is read, and whether every row must fill
    it. ``choices`` are the valid values of an enum (or the accepted spellings of a bool);
    ``signed`` numbers may be negative."""

    name: str
    kind: Kind
    required: bool = False
    choices: tuple[str, ...] = ()
    signed: bool = False
    not_after: tuple[str, ...] = ()  # a date no later than these columns (a birth date)


# A person is born before anything the record says happened to them.
BIRTH_PRECEDES = ("last_entry_date", "encounter_datetime", "determination_datetime")


@dataclass(frozen=True)
class CellError:
    file: str
    row: int
    column: str
    value: str
    reason: str


class TableError(ValueError):
    """A table that cannot be read as given. ``row`` and ``column`` place the (first) problem,
    ``None`` when the whole file or no column is concerned; ``errors`` lists every bad cell."""

    def __init__(
        self,
        file: str,
        reason: str,
        *,
        row: int | None = None,
        column: str | None = None,
        errors: list[CellError] | None = None,
        word: str = "line",
    ) -> None:
        self.file, self.reason, self.row, self.column = file, reason, row, column
        self.errors = errors or []
        self.open_quote = False  # ended inside a quoted cell (``read_table_batches``)
        where = file if row is None else f"{file}, {word} {row}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {reason}")

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


def fact_columns() -> dict[str, Column]:
    """A column for every Case fact (all optional)."""
    columns = {}
    for name, kind in FACT_KINDS.items():
        enum_type = enum_of(name)
        choices = tuple(m.value for m in enum_type) if enum_type else ()
        later = BIRTH_PRECEDES if name == "date_of_birth" else ()
        columns[name] = Column(name, kind, choices=choices, not_after=later)
    return columns


def read_raw(
    path: Path, data: bytes | None = None, comments: bool = False, line_offset: int = 0
) -> pl.DataFrame:
    """The file's cells as text, with each row's number (``ROW``) for error reports. ``data``
    gives the file's bytes when they are already in memory (an upload); ``comments`` skips lines
    starting with ``#`` between records (the shipped calibration tables carry their notes so; a
    caseload never does, where ``#1`` is a case id). ``line_offset``: lines of the file between
    the header and ``data``'s first record (a later batch of a CSV, ``read_table_batches``)."""
    file = str(path)
    if data is None:
        if not path.exists():
            raise TableError(file, "no such file")
        data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        frame = _read_parquet(data, file)
    elif suffix == ".csv":
        frame = _read_csv(data, file, comments, line_offset)
    else:
        raise TableError(file, "give a .csv or .parquet file")
    return frame


def _check_reserved(names: list[str], file: str) -> None:
    if ROW in names:
        raise TableError(file, f"the name {ROW!r} is reserved", column=ROW)


def _read_parquet(data: bytes, file: str) -> pl.DataFrame:
    try:
        frame = pl.read_parquet(io.BytesIO(data))
    except (pl.exceptions.PolarsError, OSError) as error:
        raise TableError(file, f"not a readable Parquet file: {error}") from None
    for name, dtype in frame.schema.items():
        inner = dtype.inner if isinstance(dtype, pl.List) else dtype
        if not _readable(inner) or isinstance(inner, pl.List):
            raise TableError(
                file,
                f"a column of type {dtype} cannot be read; give text, numbers, booleans, dates, "
                "date-times or a list of text",
                column=name,
            )
    _check_reserved(frame.columns, file)
    frame = frame.with_columns(_as_text(frame, name) for name in frame.columns)
    return frame.with_row_index(ROW, offset=1)


def _readable(dtype: pl.DataType | type[pl.DataType] | None) -> bool:
    if dtype is None:
        return False
    return (
        dtype.is_numeric()
        or isinstance(dtype, pl.Datetime | pl.List)
        or dtype in (pl.String, pl.Boolean, pl.Date, pl.Null, pl.Categorical)
    )


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


def _read_csv(data: bytes, file: str, comments: bool, line_offset: int = 0) -> pl.DataFrame:
    """A CSV's cells as text. Python's csv module finds each record's first line and checks its
    width (Polars does not say which line a problem is on); Polars then reads the cells fast, and
    the two readings must agree."""
    text = _decode(data, file, line_offset)
    lines, header = _record_lines(text, file, comments, line_offset)
    if header is None:
        raise TableError(file, "the file is empty (no header line)")
    try:
        frame = pl.read_csv(
            data,  # the bytes: Polars reads them without a copy
            infer_schema=False,
            comment_prefix="#" if comments else None,
            truncate_ragged_lines=False,
        )
    except pl.exceptions.PolarsError as error:
        if not comments and '"' not in text:  # a long row balanced by a short one: name it
            body = text.replace("\r\n", "\n").removesuffix("\n")
            _first_wrong_width(body, header, file, line_offset)
        raise TableError(file, f"not a readable CSV file: {error}") from None
    if frame.height != len(lines) - 1 or frame.columns != header:
        raise TableError(
            file,
            f"Polars read {frame.height} rows and columns {frame.columns}, "
            f"the csv module {len(lines) - 1} rows and {header}",
        )
    return frame.with_columns(pl.Series(ROW, lines[1:], dtype=pl.Int64))


def _decode(data: bytes, file: str, line_offset: int = 0) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        # In a later batch the header was decoded before, so the bad byte is in a record.
        line = data[: error.start].count(b"\n") + 1 + line_offset
        raise TableError(
            file,
            f"byte {data[error.start]:#04x} is not UTF-8; the file looks like Latin-1 or "
            "Windows-1252: save it as UTF-8 (in a spreadsheet, 'CSV UTF-8')",
            row=line,
        ) from None


def _record_lines(
    text: str, file: str, comments: bool, line_offset: int = 0
) -> tuple[list[int], list[str] | None]:
    """The line each record starts on (the header's first), and the header; refuses a duplicate
    header name, a short or long row and a quote never closed, naming the line and column.
    ``line_offset`` is added to the records' lines (``read_raw``)."""
    lone_cr = text.count("\r") != text.count("\r\n")
    if comments or '"' in text or lone_cr:
        return _record_lines_parsed(text, file, comments, line_offset)
    # No quotes, so every line is one record and its fields are its commas plus one.
    if not text:
        return [], None
    body = (text.replace("\r\n", "\n") if "\r" in text else text).removesuffix("\n")
    header = body.split("\n", 1)[0].split(",")
    _check_header(header, file, 1)
    _check_reserved(header, file)
    records = body.count("\n")
    # With no empty line, every record has the header's width exactly when the file holds this
    # many commas in all: one count settles it, and only a file that fails it is searched line
    # by line (by Polars) for the first row that is off.
    empty = "\n\n" in body or body.endswith("\n")
    if empty or body.count(",") != (len(header) - 1) * (records + 1):
        _first_wrong_width(body, header, file, line_offset)
    return [1, *range(2 + line_offset, records + 2 + line_offset)], header


def _first_wrong_width(body: str, header: list[str], file: str, line_offset: int) -> None:
    lines = body.split("\n")
    rows = pl.Series(lines[1:], dtype=pl.String)
    widths = pl.when(rows == "").then(0).otherwise(rows.str.count_matches(",", literal=True) + 1)
    wrong = pl.select(widths).to_series().ne(len(header)).arg_true()
    if len(wrong):
        index = int(wrong[0])
        _wrong_width(
            lines[index + 1].split(",") if lines[index + 1] else [],
            header,
            file,
            index + 2 + line_offset,
        )


def _record_lines_parsed(
    text: str, file: str, comments: bool, line_offset: int = 0
) -> tuple[list[int], list[str] | None]:
    """As ``_record_lines``, with Python's csv module: for quoted cells and comment lines."""
    place = {"line": 0, "start": 0, "boundary": True}

    def physical() -> Iterator[str]:
        for line in io.StringIO(text, newline=""):
            place["line"] += 1
            if place["boundary"]:
                if comments and line.startswith("#"):
                    continue
                place["start"], place["boundary"] = place["line"], False
            yield line

    reader = csv.reader(physical(), strict=True)
    starts: list[int] = []
    header: list[str] | None = None
    while True:
        place["boundary"] = True
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            refused = TableError(file, f"not valid CSV: {error}", row=place["start"])
            # The csv module's words for a quoted cell still open at the end: in a batch, the
            # cut may have fallen inside a cell (a stray quote earlier), so the batch grows.
            refused.open_quote = "unexpected end of data" in str(error)
            raise refused from None
        line = place["start"]
        if header is None:
            header = fields
            _check_header(header, file, line)
            _check_reserved(header, file)
            place["line"] += line_offset  # the csv module has read the header's lines only
        elif len(fields) != len(header):
            _wrong_width(fields, header, file, line)
        starts.append(line)
    return starts, header


def _check_header(header: list[str], file: str, line: int) -> None:
    for index, name in enumerate(header):
        if not name.strip():
            raise TableError(file, f"header field {index + 1} is empty", row=line)
        if name in header[:index]:
            raise TableError(file, "column appears more than once", row=line, column=name)


def _wrong_width(fields: list[str], header: list[str], file: str, line: int) -> None:
    counts = f"the row has {len(fields)} fields but the header has {len(header)}"
    if len(fields) < len(header):
        missing = header[len(fields)]
        raise TableError(file, f"missing cell: {counts}", row=line, column=missing)
    raise TableError(file, f"extra cells: {counts}", row=line)


def _known(name: str) -> pl.Expr:
    """The column's stripped text; null where it says unknown (one regex, no lower-cased copy)."""
    text = pl.col(name).str.strip_chars()
    return pl.when(text.str.contains(UNKNOWN_PATTERN)).then(None).otherwise(text)


UNKNOWN_PATTERN = "(?i)^(" + "|".join(sorted(UNKNOWN_WORDS)) + ")$"
"""An unknown cell's stripped text, in any case (``engine.instants.UNKNOWN_WORDS``)."""


def _parse(column: Column, known: pl.Expr) -> pl.Expr:
    """The column's known text (``_known``) read as its kind; null where unknown or invalid
    (checked apart)."""
    kind = column.kind
    if kind is FactKind.BOOL:
        spelled = known if column.choices else known.str.to_lowercase()
        true, false = (column.choices[:1], column.choices[1:]) if column.choices else (TRUE, FALSE)
        return pl.when(spelled.is_in(true)).then(True).when(spelled.is_in(false)).then(False)
    if kind is FactKind.INT:
        return known.cast(pl.Int64, strict=False)
    if kind is FactKind.FLOAT:
        return known.cast(pl.Float64, strict=False)
    if kind is FactKind.DATE:
        return known.str.to_date("%Y-%m-%d", strict=False)
    if kind is FactKind.INSTANT:
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
    if kind is FactKind.SET:
        items = pl.element().str.strip_chars()
        return known.str.split(";").list.eval(items if column.choices else items.str.to_uppercase())
    if kind is FactKind.ENUM and not column.choices:
        return known.str.to_uppercase()  # a country code
    return known  # text, partial dates, URLs and enums with choices


_DATE = r"^\d{4}-\d{2}-\d{2}$"
YEARS = (INSTANT_YEARS[0], INSTANT_YEARS[1] - 1)  # as a case file's dates and instants
_PARTIAL_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
_URL = r"^https?://[^\s/?#]+\S*$"


def _valid(column: Column, parsed: pl.Expr, known: pl.Expr) -> pl.Expr:
    """True where a known cell was read correctly."""
    kind = column.kind
    if kind == "partial_date":
        padded = pl.concat_str(parsed, pl.lit("-01-01")).str.slice(0, 10)
        return parsed.str.contains(_PARTIAL_DATE) & padded.str.to_date(strict=False).is_not_null()
    if kind == "url":
        return parsed.str.contains(_URL)
    if kind is FactKind.SET:
        valid = sorted(column.choices or iso_country_codes())
        return parsed.list.eval(pl.element().is_in(valid)).list.all()
    if kind is FactKind.ENUM or (kind == "text" and column.choices):
        return parsed.is_in(sorted(column.choices or iso_country_codes()))
    if kind in (FactKind.INT, FactKind.FLOAT):
        finite = parsed.cast(pl.Float64).is_finite()
        return finite if column.signed else finite & (parsed >= 0)
    if kind is FactKind.DATE:
        return parsed.dt.year().is_between(*YEARS) & known.str.contains(_DATE)
    if kind is FactKind.INSTANT:
        return parsed.dt.year().is_between(*YEARS)
    return parsed.is_not_null()


def _reason(column: Column) -> str:
    kind = column.kind
    if column.choices:
        return f"not one of {', '.join(column.choices)}"
    if kind in (FactKind.ENUM, FactKind.SET):
        return "not an ISO 3166-1 alpha-2 country code (a list is separated by ';')"
    if kind in (FactKind.INT, FactKind.FLOAT):
        sign = "" if column.signed else " ≥ 0"
        what = "a whole number" if kind is FactKind.INT else "a finite number"
        return f"not {what}{sign} (digits, no separators) that fits in 64 bits"
    return {
        FactKind.BOOL: "not true/false (yes/no, 1/0 and unknown are accepted)",
        FactKind.DATE: "not a real calendar date in the form YYYY-MM-DD "
        f"in the years {YEARS[0]}–{YEARS[1]}",
        FactKind.INSTANT: "not a date-time with a UTC offset (e.g. 2025-01-21T18:00:00-05:00) "
        f"or a date, in the years {YEARS[0]}–{YEARS[1]}",
        "partial_date": "not a real calendar date in the form YYYY, YYYY-MM or YYYY-MM-DD",
        "url": "not an http(s) URL",
    }[kind]


def read_table(
    path: str | Path,
    columns: dict[str, Column],
    *,
    data: bytes | None = None,
    comments: bool = False,
    every_column: bool = False,
    line_offset: int = 0,
) -> tuple[pl.DataFrame, list[str]]:
    """The table parsed to its columns' types (with ``ROW``), and the optional columns it lacks
    (unknown in every row). ``data``: the file's bytes, if already in memory; ``comments``: skip
    ``#`` lines between records; ``every_column``: the header must name every column;
    ``line_offset``: see ``read_raw``. Raises TableError naming every bad cell, or the unknown
    or missing column."""
    path = Path(path)
    file = str(path)
    raw = read_raw(path, data, comments, line_offset)
    word = "row" if path.suffix.lower() == ".parquet" else "line"
    header_row = int(raw[ROW][0]) - 1 if raw.height and word == "line" else None
    _check_columns(raw, columns, file, header_row, every_column)
    present = [columns[name] for name in raw.columns if name in columns]
    parsed, errors = _checked(raw, present, file)
    if errors:
        _refuse(errors, [c.name for c in present], file, word)
    table = parsed
    absent = [c.name for c in columns.values() if c.name not in raw.columns]
    table = table.with_columns(
        pl.lit(None, dtype=_dtype(columns[name])).alias(name) for name in absent
    )
    return table.with_columns(_typed(columns[name]) for name in table.columns if name in columns), [
        name for name in absent if not columns[name].required
    ]


_BAD = "__bad_"
_KNOWN = "__known_"


def _checked(
    raw: pl.DataFrame, present: list[Column], file: str
) -> tuple[pl.DataFrame, list[CellError]]:
    """The cells read as their columns' kinds, and every bad cell. Vectorised: one lazy pass
    strips the text, reads it and flags each bad cell; the rows are walked only for the columns
    with a flagged cell, and only over those rows."""
    checked = pl.concat(
        [raw.select(ROW)]
        + [_checked_group(raw, present[i : i + GROUP]) for i in range(0, len(present), GROUP)],
        how="horizontal",
    )
    counts = checked.select(pl.col(_BAD + c.name).sum() for c in present).row(0)
    errors: list[CellError] = []
    for column, count in zip(present, counts, strict=True):
        if not count:
            continue
        bad = raw.filter(checked.get_column(_BAD + column.name))
        for row, value in bad.select(ROW, column.name).iter_rows():
            empty = value is None or not value.strip()
            reason = (
                "empty, but this column must be filled in every row"
                if column.required and empty
                else _reason(column)
            )
            errors.append(CellError(file, row, column.name, value or "", reason))
    parsed = checked.select(ROW, *(c.name for c in present))
    return parsed, errors + _out_of_order(parsed, raw, present, file)


GROUP = 8
"""Columns read together: enough for both cores, few enough that their stripped text (held
while they are read) stays small beside the file's."""


def _checked_group(raw: pl.DataFrame, group: list[Column]) -> pl.DataFrame:
    """The group's columns read as their kinds, and a flag per bad cell (``_BAD`` + name)."""
    known = {c.name: pl.col(_KNOWN + c.name) for c in group}
    return (
        raw.lazy()
        .select(_known(c.name).alias(_KNOWN + c.name) for c in group)
        .with_columns(_parse(c, known[c.name]).alias(c.name) for c in group)
        .select(
            *(c.name for c in group),
            *(_bad(c, known[c.name], pl.col(c.name)).alias(_BAD + c.name) for c in group),
        )
        .collect()
    )


def _out_of_order(
    parsed: pl.DataFrame, raw: pl.DataFrame, present: list[Column], file: str
) -> list[CellError]:
    """A cell dated after a column it may not follow (a birth date after the encounter)."""
    kinds = {c.name: c.kind for c in present}
    errors = []
    for column in present:
        for later in (name for name in column.not_after if name in kinds):
            day = pl.col(later)
            if kinds[later] is FactKind.INSTANT:
                day = day.dt.convert_time_zone("America/New_York").dt.date()
            bad = raw.filter(parsed.select(pl.col(column.name) > day).to_series().fill_null(False))
            for row, value, other in bad.select(ROW, column.name, later).iter_rows():
                reason = f"after {later} ({other.strip()}): a person is born before it"
                errors.append(CellError(file, row, column.name, value, reason))
    return errors


def _check_columns(
    raw: pl.DataFrame,
    columns: dict[str, Column],
    file: str,
    header_row: int | None,
    every_column: bool,
) -> None:
    unknown = [c for c in raw.columns if c != ROW and c not in columns]
    if unknown:
        hints = [
            f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else "")
            for name in unknown
            for close in [difflib.get_close_matches(name, columns, n=1)]
        ]
        raise TableError(
            file,
            f"unknown columns {', '.join(hints)}; the valid columns are {', '.join(columns)}",
            row=header_row,
            column=unknown[0],
        )
    missing = [
        c.name
        for c in columns.values()
        if (c.required or every_column) and c.name not in raw.columns
    ]
    if missing:
        raise TableError(
            file,
            f"required columns missing: {', '.join(missing)}",
            row=header_row,
            column=missing[0],
        )


def _refuse(errors: list[CellError], order: list[str], file: str, word: str) -> None:
    errors.sort(key=lambda e: (e.row, order.index(e.column)))
    shown = "; ".join(
        f"{word} {e.row}, column {e.column!r}: {e.value!r} is {e.reason}" for e in errors[:5]
    )
    rest = len(errors) - 5
    more = f" (and {rest} more problem{'s' * (rest > 1)})" if rest > 0 else ""
    first = errors[0]
    count = f"{len(errors)} bad cell{'s' * (len(errors) > 1)}"
    error = TableError(file, f"{count}: {shown}{more}", errors=errors)
    error.row, error.column, error.reason = first.row, first.column, first.reason
    raise error


def _bad(column: Column, known: pl.Expr, parsed: pl.Expr) -> pl.Expr:
    """True where a cell states something its column cannot read (or a required cell is empty)."""
    stated = known.is_not_null()
    invalid = stated & ~_valid(column, parsed, known).fill_null(False)
    return invalid | ~stated if column.required else invalid


def _dtype(column: Column) -> pl.DataType | type[pl.DataType]:
    return POLARS_TYPES[column.kind] if isinstance(column.kind, FactKind) else pl.String()


def _typed(column: Column) -> pl.Expr:
    return pl.col(column.name).cast(_dtype(column))


BATCH_BYTES = 32 * 2**20
"""A CSV read in batches of about this many bytes (``read_table_batches``): the memory an audit
holds grows with the batch, not with the file (about 25 times the batch at most, for the cells,
their parsed columns and the rules' intermediate columns)."""


@dataclass(frozen=True)
class Batch:
    """Consecutive records of a table, parsed and checked; ``read`` bytes of the file are read
    when it is given (for progress)."""

    table: pl.DataFrame
    absent: list[str]
    read: int


def read_table_batches(
    path: str | Path,
    columns: dict[str, Column],
    *,
    data: bytes | None = None,
    batch_bytes: int = BATCH_BYTES,
) -> Iterator[Batch]:
    """``read_table`` for a large file, a batch at a time: the same tables (row numbers and
    error reports alike), never the whole file in memory. A CSV is cut after a line break
    outside quotes; each batch is read as the header plus its records, its lines counted on
    from the batches before it. Once a batch has a bad cell no more batches are given, but every
    batch is still checked, and at the end one TableError names every bad cell in the file
    (the batches given must then be discarded). A Parquet file is read whole."""
    path = Path(path)
    file = str(path)
    if path.suffix.lower() != ".csv":
        table, absent = read_table(path, columns, data=data)
        yield Batch(table, absent, len(data) if data is not None else 0)
        return
    if data is None and not path.exists():
        raise TableError(file, "no such file")
    with io.BytesIO(data) if data is not None else path.open("rb") as stream:
        yield from _csv_batches(path, columns, _record_chunks(stream, batch_bytes))


def _csv_batches(
    path: Path, columns: dict[str, Column], chunks: Iterator[bytes]
) -> Iterator[Batch]:
    first = next(chunks, b"")
    header_end = _record_cut(first, 0) or len(first)
    header, pending = first[:header_end], first[header_end:]
    lines_before = _line_breaks(header)  # in the file, before the pending records
    errors: list[CellError] = []
    order: list[str] = []
    read = len(header)
    for chunk, last in _with_last(chunks, pending):
        if pending is not chunk:
            pending += chunk
        offset = lines_before - _line_breaks(header)
        try:
            table, absent = read_table(path, columns, data=header + pending, line_offset=offset)
        except TableError as error:
            if error.open_quote and not last:
                continue  # the cut fell inside a quoted cell: read on to the next one
            if not error.errors:
                raise  # the file cannot be read past here, as when read whole
            errors += error.errors
            order = order or [c for c in _header_names(header) if c in columns]
        else:
            if not errors:
                yield Batch(table, absent, read + len(pending))
        read += len(pending)
        lines_before += _line_breaks(pending)
        pending = b""
    if errors:
        _refuse(errors, order, str(path), "line")


def _with_last(chunks: Iterator[bytes], first: bytes) -> Iterator[tuple[bytes, bool]]:
    """``first`` and then the chunks, each with whether it is the last."""
    previous = first
    for chunk in chunks:
        yield previous, False
        previous = chunk
    yield previous, True


def _header_names(header: bytes) -> list[str]:
    return next(csv.reader(io.StringIO(header.decode("utf-8-sig"), newline="")), [])


def _line_breaks(data: bytes) -> int:
    """Lines ended in ``data`` as the csv module counts them (``\\r\\n``, ``\\n`` or ``\\r``)."""
    return data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")


def _record_chunks(stream: IO[bytes], size: int) -> Iterator[bytes]:
    """The stream in pieces of at least ``size`` bytes (the last may be shorter), each ending
    after a line break outside quotes (an even count of quotes before it)."""
    buffer = b""
    while block := stream.read(size):
        buffer += block
        while len(buffer) >= size and (cut := _record_cut(buffer, size - 1)) is not None:
            yield buffer[:cut]
            buffer = buffer[cut:]
    if buffer:
        yield buffer


def _record_cut(data: bytes, start: int) -> int | None:
    """Just after the first ``\\n`` from ``start`` with an even count of quotes before it."""
    quotes = data.count(b'"', 0, start)
    at = start
    while (newline := data.find(b"\n", at)) != -1:
        quotes += data.count(b'"', at, newline)
        if quotes % 2 == 0:
            return newline + 1
        at = newline + 1
    return None
