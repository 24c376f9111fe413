"""The dated law: strict tables of instruments, court orders and events, and the law in force
at an instant.

Each dimension is a YAML file under ``law/timeline/``; a row has an id, the key of the
instrument it concerns, an interval ``[start, end)`` at instant precision, its citations and the
source's confidence. Loading fails loudly, naming the file, the row and the field, on an unknown
key, a bad date, an end before its start, two overlapping rows of the same key, or a citation
that does not resolve.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from importlib import resources
from typing import Annotated, Any

import polars as pl
import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, model_validator

from cruce.engine.instants import parse_instant
from cruce.engine.logic import VARIES, Cite, Confidence, Context, Kleene, Varies, show
from cruce.law.citations import CitationError, resolve

DIMENSION_FILES = (
    "expedited_removal_designations.yaml",
    "court_orders.yaml",
    "cuban_exceptions.yaml",
    "contiguous_return.yaml",
    "priority_schemes.yaml",
    "events.yaml",
    "resourcing.yaml",
)
INSTRUMENT_FILES = (
    "expedited_removal_designations.yaml",
    "cuban_exceptions.yaml",
    "contiguous_return.yaml",
    "priority_schemes.yaml",
)


class TimelineError(ValueError):
    """A malformed timeline table: names the file, the row and the field."""


def _required_instant(value: Any) -> dt.datetime:
    instant = parse_instant(value)
    if instant is None:
        raise ValueError("a start instant is required")
    return instant


Start = Annotated[dt.datetime, BeforeValidator(_required_instant)]
End = Annotated[dt.datetime | None, BeforeValidator(parse_instant)]


class CitationRef(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str
    pinpoint: str = ""
    confidence: Confidence | None = None

    def cite(self) -> Cite:
        return Cite(self.source, self.pinpoint, self.confidence)


class Effect(enum.StrEnum):
    BLOCKS = "blocks"
    UNSETTLED = "unsettled"


class DatedRow(BaseModel):
    """One dated row: an instrument, an order or an event, in force on ``[start, end)``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    key: str
    start: Start
    end: End = None
    title: str
    citations: tuple[CitationRef, ...]
    confidence: Confidence
    effect: Effect | None = None
    attributes: dict[str, int | float | str] = {}  # numbers a simulation reads (resourcing)

    @model_validator(mode="after")
    def _ordered(self) -> DatedRow:
        if self.end is not None and self.end <= self.start:
            raise ValueError(f"end {self.end} is not after start {self.start}")
        if not self.citations:
            raise ValueError("every row needs at least one citation")
        return self

    def contains(self, at: dt.datetime) -> bool:
        return self.start <= at and (self.end is None or at < self.end)

    def cites(self) -> tuple[Cite, ...]:
        return tuple(ref.cite() for ref in self.citations)

    def interval(self) -> str:
        return _interval(self.start, self.end)


@lru_cache(maxsize=1024)
def _interval(start: dt.datetime, end: dt.datetime | None) -> str:
    """A row's interval as text; rows are few and every explanation names some (cached)."""
    return f"[{show(start)}, {show(end) if end else '…'})"


class Table(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    dimension: str
    rows: tuple[DatedRow, ...]


class Hypothetical(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str
    rows: tuple[DatedRow, ...]


class Regime(BaseModel):
    """A named slice of time (docs/law/regimes.md), or a hypothetical timeline with its window."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    start: Start
    end: End = None
    title: str
    citations: tuple[CitationRef, ...]
    timeline: str | None = None  # a hypothetical's id; None = the actual history

    def contains(self, at: dt.datetime) -> bool:
        return self.start <= at and (self.end is None or at < self.end)


def _read(name: str) -> Any:
    text = resources.files("cruce").joinpath(f"law/timeline/{name}").read_text("utf-8")
    return yaml.safe_load(text)


def _validate(model: type[BaseModel], data: Any, where: str) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = []
        for e in error.errors():
            loc = list(e["loc"])
            if len(loc) >= 2 and loc[0] == "rows" and isinstance(loc[1], int):
                rows = data.get("rows", []) if isinstance(data, dict) else []
                row_id = rows[loc[1]].get("id", f"#{loc[1]}") if loc[1] < len(rows) else loc[1]
                loc = [f"row {row_id!r}", *loc[2:]]
            field = ".".join(map(str, loc))
            problems.append(f"{field}: {e['msg'].removeprefix('Value error, ')}")
        raise TimelineError(f"{where}: " + "; ".join(problems)) from None


def check_rows(rows: tuple[DatedRow, ...], where: str) -> None:
    """Fail on duplicate ids, overlapping rows of one key, or citations that do not resolve."""
    seen: set[str] = set()
    for row in rows:
        if row.id in seen:
            raise TimelineError(f"{where}: row id {row.id!r} appears twice")
        seen.add(row.id)
        for ref in row.citations:
            try:
                resolve(ref.cite())
            except CitationError as error:
                raise TimelineError(f"{where}: row {row.id!r}: {error}") from None
    by_key: dict[str, list[DatedRow]] = {}
    for row in rows:
        by_key.setdefault(row.key, []).append(row)
    for key, keyed in by_key.items():
        keyed.sort(key=lambda r: r.start)
        for earlier, later in itertools.pairwise(keyed):
            if earlier.end is None or later.start < earlier.end:
                raise TimelineError(
                    f"{where}: rows {earlier.id!r} {earlier.interval()} and {later.id!r} "
                    f"{later.interval()} overlap for {key!r}"
                )


@dataclass(frozen=True)
class Timeline:
    """The dated law: instruments, court-order overlays and events, actual or hypothetical."""

    instruments: tuple[DatedRow, ...]
    overlays: tuple[DatedRow, ...]
    events: tuple[DatedRow, ...]
    resourcing: tuple[DatedRow, ...] = ()
    name: str = "actual"

    def rows(self) -> tuple[DatedRow, ...]:
        return self.instruments + self.overlays + self.events + self.resourcing

    def resourcing_at(self, at: dt.datetime) -> list[DatedRow]:
        """The resourcing directives in force at an instant (docs/law/resourcing.md#r8):
        regime attributes for the simulations, never part of a determination."""
        return [row for row in self.resourcing if row.contains(at)]

    @cached_property
    def by_key(self) -> dict[str, tuple[list[DatedRow], list[DatedRow], list[DatedRow]]]:
        """Instruments, overlays and events of each key: the lookup the evaluators make."""
        index: dict[str, tuple[list[DatedRow], list[DatedRow], list[DatedRow]]] = {}
        for position, rows in enumerate((self.instruments, self.overlays, self.events)):
            for row in rows:
                index.setdefault(row.key, ([], [], []))[position].append(row)
        return index

    def boundaries(self) -> list[dt.datetime]:
        """Every instant at which something in this timeline starts or ends."""
        instants = {r.start for r in self.rows()} | {r.end for r in self.rows() if r.end}
        return sorted(instants)

    def with_rows(self, name: str, rows: tuple[DatedRow, ...]) -> Timeline:
        timeline = Timeline(
            self.instruments + rows, self.overlays, self.events, self.resourcing, name
        )
        check_rows(timeline.instruments, f"hypothetical {name!r}")
        return timeline


@cache
def actual_timeline() -> Timeline:
    """The actual history, loaded from the dimension tables and checked."""
    tables = {name: _validate(Table, _read(name), name) for name in DIMENSION_FILES}
    for name, table in tables.items():
        check_rows(table.rows, name)
    overlays = tables["court_orders.yaml"].rows
    for row in overlays:
        if row.effect is None:
            raise TimelineError(f"court_orders.yaml: row {row.id!r}: effect is required")
    return Timeline(
        instruments=tuple(row for name in INSTRUMENT_FILES for row in tables[name].rows),
        resourcing=tables["resourcing.yaml"].rows,
        overlays=overlays,
        events=tables["events.yaml"].rows,
    )


@cache
def hypotheticals() -> dict[str, Hypothetical]:
    data = _read("hypotheticals.yaml")
    found = {}
    for i, entry in enumerate(data.get("hypotheticals", [])):
        item = _validate(Hypothetical, entry, f"hypotheticals.yaml: entry #{i}")
        found[item.id] = item
    return found


@cache
def timeline_named(name: str = "actual") -> Timeline:
    """The actual timeline, or a hypothetical one by id."""
    if name == "actual":
        return actual_timeline()
    found = hypotheticals()
    if name not in found:
        raise TimelineError(
            f"no hypothetical timeline {name!r}; valid: actual, {', '.join(sorted(found))}"
        )
    return actual_timeline().with_rows(name, found[name].rows)


@cache
def regimes() -> dict[str, Regime]:
    """The named and hypothetical regimes (docs/law/regimes.md), checked for gaps and overlaps."""
    data = _read("regimes.yaml")
    unknown = set(data) - {"regimes", "hypothetical_regimes"}
    if unknown:
        raise TimelineError(
            f"regimes.yaml: unknown keys {sorted(unknown)}; valid: regimes, hypothetical_regimes"
        )
    actual = [
        _validate(Regime, r, f"regimes.yaml: regime #{i}") for i, r in enumerate(data["regimes"])
    ]
    for earlier, later in itertools.pairwise(actual):
        if earlier.end != later.start:
            raise TimelineError(
                f"regimes.yaml: regime {earlier.id!r} ends at {earlier.end} but the next, "
                f"{later.id!r}, starts at {later.start}: regimes must be contiguous"
            )
    hypothetical = [
        _validate(Regime, r, f"regimes.yaml: hypothetical regime #{i}")
        for i, r in enumerate(data.get("hypothetical_regimes", []))
    ]
    out: dict[str, Regime] = {}
    for regime in actual + hypothetical:
        for ref in regime.citations:
            try:
                resolve(ref.cite())
            except CitationError as error:
                raise TimelineError(f"regimes.yaml: regime {regime.id!r}: {error}") from None
        if regime.timeline is not None:
            timeline_named(regime.timeline)  # must exist
        out[regime.id] = regime
    return out


def regime_at(at: dt.datetime) -> Regime | None:
    """The named actual regime containing an instant (None before 2014-11-20)."""
    return next((r for r in regimes().values() if r.timeline is None and r.contains(at)), None)


def regime_named(name: str) -> Regime:
    found = regimes()
    if name not in found:
        raise TimelineError(f"no regime {name!r}; valid: {', '.join(found)}")
    return found[name]


class LawAt(Context):
    """The law in force at one instant on one timeline: what the rules' ``InForce`` nodes ask."""

    def __init__(self, at: dt.datetime, timeline: Timeline | None = None):
        if at.tzinfo is None:
            raise ValueError("the evaluation instant needs a UTC offset")
        self.at = at.astimezone(dt.UTC)
        self.timeline = timeline or actual_timeline()
        self.memo = {}
        self.columns = {}
        self._cache: dict[str, tuple[Kleene, str, tuple[Cite, ...], bool]] = {}

    @cached_property
    def shown_at(self) -> str:
        """The instant as explanations write it (once per determination)."""
        return show(self.at)

    def blocked(self, key: str) -> bool:
        """An instrument of this key is in force but a court order blocks it."""
        return self._lookup(key)[3]

    def _lookup(self, key: str) -> tuple[Kleene, str, tuple[Cite, ...], bool]:
        if key in self._cache:
            return self._cache[key]
        at = self.at
        instruments, overlays, all_events = self.timeline.by_key.get(key, ([], [], []))
        instrument = next((r for r in instruments if r.contains(at)), None)
        overlay = next((r for r in overlays if r.contains(at)), None)
        events = [r for r in all_events if r.contains(at)]
        citations: list[Cite] = []
        notes: list[str] = []
        value: Kleene
        if instrument is None:
            value = False
            notes.append(f"nothing of this kind in force at {self.shown_at}")
        else:
            citations += instrument.cites()
            notes.append(f"{instrument.id} in force {instrument.interval()}")
            value = True
            if overlay is not None:
                citations += overlay.cites()
                if overlay.effect is Effect.BLOCKS:
                    value = False
                    notes.append(f"but blocked by {overlay.id} {overlay.interval()}")
                else:
                    value = None
                    notes.append(f"but unsettled: {overlay.title}")
        for event in events:
            citations += event.cites()
            notes.append(event.title)
        if self.timeline.name != "actual":
            notes.append(f"on the hypothetical timeline {self.timeline.name!r}")
        blocked = overlay is not None and instrument is not None and value is False
        result = (value, "; ".join(notes), tuple(citations), blocked)
        self._cache[key] = result
        return result

    def in_force(self, key: str) -> Kleene:
        return self._lookup(key)[0]

    def status(self, key: str) -> tuple[str, tuple[Cite, ...]]:
        _, note, citations, _ = self._lookup(key)
        return note, citations


class LawPerRow(Context):
    """The law in force for each row at its own instant (a column of UTC instants): what the
    compiled rules ask when a caseload's actions happened at different times. It has no single
    instant, so it only compiles rules; explanations are made per row with ``LawAt``."""

    def __init__(self, instant_column: str, timeline: Timeline | None = None):
        self.instant_column = instant_column
        self.timeline = timeline or actual_timeline()
        self.memo = {}
        self.columns = {}
        self.keys_read: set[str] = set()

    def in_force(self, key: str) -> Kleene:
        raise TypeError("the law per row has no single instant: explain a row with LawAt")

    status = blocked = in_force  # type: ignore[assignment]

    def fixed_in_force(self, key: str) -> Varies:
        return VARIES  # each row at its own instant

    def fixed_blocked(self, key: str) -> Varies:
        return VARIES

    def _within(self, rows: list[DatedRow]) -> pl.Expr:
        instant = pl.col(self.instant_column)
        tests = [
            (instant >= row.start) & (instant < row.end) if row.end else instant >= row.start
            for row in rows
        ]
        return pl.any_horizontal(tests) if tests else pl.lit(False)

    def _parts(self, key: str) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
        instruments, overlays, _ = self.timeline.by_key.get(key, ([], [], []))
        blocks = [r for r in overlays if r.effect is Effect.BLOCKS]
        unsettled = [r for r in overlays if r.effect is Effect.UNSETTLED]
        return self._within(instruments), self._within(blocks), self._within(unsettled)

    def in_force_expr(self, key: str) -> pl.Expr:
        self.keys_read.add(key)
        return pl.col(f"__in_force_{key}")

    def blocked_expr(self, key: str) -> pl.Expr:
        self.keys_read.add(key)
        return pl.col(f"__blocked_{key}")

    def key_stage(self) -> list[pl.Expr]:
        """The law in force per row for every instrument the compiled rules read: the columns
        they refer to, computed once each (add them before anything else)."""
        columns = []
        for key in sorted(self.keys_read):
            present, blocked, unsettled = self._parts(key)
            in_force = (
                pl.when(present & blocked)
                .then(False)
                .when(present & unsettled)
                .then(None)
                .otherwise(present)
            )
            columns += [
                in_force.alias(f"__in_force_{key}"),
                (present & blocked).alias(f"__blocked_{key}"),
            ]
        return columns

    def instant_expr(self) -> pl.Expr:
        return pl.col(self.instant_column)

    def constant_date(self) -> dt.date | None:
        return None
