"""The shipped statistics the pipeline reads, each value with the table row it comes from.

A ``Datum`` is one published figure and its row (``data/<table>.csv line N``); a ``Series``
is one figure by fiscal year (or by date), read where the year has none from the nearest year
that has one, and saying so. ``Evidence`` collects every row a run used, for its provenance.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache

import polars as pl

from cruce.population.calibration import load_table


@dataclass(frozen=True)
class Datum:
    """One published figure and the row it comes from."""

    value: float
    table: str
    line: int
    what: str
    source: str
    url: str
    confidence: str

    @property
    def ref(self) -> str:
        return f"data/{self.table}.csv line {self.line}"


@dataclass
class Evidence:
    """Every data row a run read, and every figure taken from a year that is not its own."""

    rows: dict[str, Datum] = field(default_factory=dict)
    stand_ins: set[str] = field(default_factory=set)

    def use(self, datum: Datum) -> float:
        self.rows.setdefault(datum.ref, datum)
        return datum.value

    def records(self) -> list[dict[str, object]]:
        return [
            {
                "row": d.ref,
                "what": d.what,
                "value": d.value,
                "source": d.source,
                "url": d.url,
                "confidence": d.confidence,
            }
            for d in sorted(self.rows.values(), key=lambda d: (d.table, d.line))
        ]


@dataclass(frozen=True)
class Series:
    """A figure by fiscal year; a year with none reads the nearest year that has one."""

    what: str
    by_year: dict[int, Datum]

    def at(self, fiscal_year: int, evidence: Evidence) -> float:
        if not self.by_year:
            raise ValueError(f"no data rows for {self.what}")
        year = min(self.by_year, key=lambda y: (abs(y - fiscal_year), -y))
        if year != fiscal_year:
            evidence.stand_ins.add(f"{self.what}: FY{fiscal_year} read from FY{year}")
        return evidence.use(self.by_year[year])


@cache
def table(name: str) -> pl.DataFrame:
    return load_table(name, with_lines=True)


def datum(name: str, row: dict, value: float, what: str) -> Datum:
    return Datum(
        float(value), name, row["line"], what, row["source"], row["source_url"], row["confidence"]
    )


def leading_year(text: str) -> int | None:
    """The fiscal year a label names ("2017", "FY2017"); None for anything else, such as the
    partial "2021 (thru Q2)"."""
    found = re.fullmatch(r"(?:FY)?(\d{4})", text.strip())
    return int(found.group(1)) if found else None


def rows(name: str, keep: Callable[[dict], bool]) -> Iterable[dict]:
    return (row for row in table(name).iter_rows(named=True) if keep(row))


def yearly(
    name: str,
    what: str,
    keep: Callable[[dict], bool],
    value: Callable[[dict], float | None],
    year: Callable[[dict], int | None] = lambda row: leading_year(str(row["fiscal_year"])),
    prefer: Callable[[dict], object] = lambda row: 0,
) -> Series:
    """A series from the rows of table ``name`` that ``keep`` selects; where a year has two
    rows, the one ``prefer`` ranks lowest is read (ties: the first in the table)."""
    found: dict[int, Datum] = {}
    for row in sorted(rows(name, keep), key=prefer):
        y, v = year(row), value(row)
        if y is not None and v is not None and y not in found:
            found[y] = datum(name, row, v, what)
    return Series(what, found)


def as_of_date(text: str) -> dt.date | None:
    """The date an ``as_of`` label names: YYYY-MM-DD, YYYY-MM (mid-month), FYnnnn (its end)."""
    text = text.strip()
    for pattern, build in (
        (r"(\d{4})-(\d{2})-(\d{2})", lambda y, m, d: dt.date(y, m, d)),
        (r"(\d{4})-(\d{2})", lambda y, m: dt.date(y, m, 15)),
        (r"FY(\d{4})", lambda y: dt.date(y, 9, 30)),
    ):
        found = re.fullmatch(pattern, text)
        if found:
            return build(*(int(g) for g in found.groups()))
    return None


def dated(name: str, what: str, keep: Callable[[dict], bool]) -> list[tuple[dt.date, Datum]]:
    """The rows ``keep`` selects with a dated ``as_of``, in date order (undated labels such as
    "c. 2016" are left out of a dated series; they stay in the table)."""
    points = []
    for row in rows(name, keep):
        when = as_of_date(str(row["as_of"]))
        if when is not None:
            points.append((when, datum(name, row, row["value"], what)))
    return sorted(points, key=lambda p: p[0])


def one(name: str, what: str, keep: Callable[[dict], bool], column: str = "value") -> Datum:
    """The single row ``keep`` selects (an error if none or several)."""
    found = list(rows(name, keep))
    if len(found) != 1:
        raise ValueError(f"data/{name}.csv: expected one row for {what}, found {len(found)}")
    return datum(name, found[0], found[0][column], what)


def fiscal_year(month: dt.date) -> int:
    """The US federal fiscal year of a month (October starts the next year's)."""
    return month.year + 1 if month.month >= 10 else month.year
