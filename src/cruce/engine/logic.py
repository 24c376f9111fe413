"""The rule engine: rules written once, evaluated two ways.

A rule is a tree of nodes. Every node can

* ``explain`` itself for one case (a ``Trace``: its three-valued result, the citations it rests
  on, its children, and the unknown facts that could still change it), and
* ``compile`` itself to a Polars expression over a DataFrame whose columns are facts
  (null = unknown), so that the same rule runs over millions of rows.

Facts are three-valued: ``True``, ``False`` or ``None`` (unknown). ``All``/``Any``/``Not`` follow
Kleene's strong logic, which is also Polars' semantics for ``&``, ``|`` and ``~`` on nulls.
A ``Decision`` picks the first branch whose condition holds (the regulation's "evaluate in this
order"); an unknown condition makes the decision unknown unless every way it could go ends in
the same outcome.

Time is exact: instants are timezone-aware and compared as instants; day counts and complete
calendar months are taken between calendar dates in US Eastern time, where the law's dates live.
"""

from __future__ import annotations

import datetime as dt
import enum
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any as AnyType

import polars as pl

from cruce.engine.instants import EASTERN

Kleene = bool | None


class Varies(enum.Enum):
    """A compiled condition whose value differs between rows (not a constant to fold)."""

    VARIES = "varies"


VARIES = Varies.VARIES


class Confidence(enum.StrEnum):
    """How sure the sources are of a point: read in a primary text, a secondary one, or neither."""

    CONFIRMED = "confirmed"
    SECONDARY = "secondary"
    UNCONFIRMED = "unconfirmed"


class Modality(enum.StrEnum):
    """What an outcome lets or obliges DHS to do (eligibility is not use:
    docs/law/README.md#how-to-read-a-rule)."""

    MAY = "may"
    MUST = "must"
    MUST_NOT = "must not"


@dataclass(frozen=True)
class Cite:
    """A pointer into the citations registry: a source id, a pinpoint, and its confidence."""

    source: str
    pinpoint: str = ""
    confidence: Confidence | None = None  # None: the registry's confidence for the source

    def __str__(self) -> str:
        return f"{self.source} {self.pinpoint}".strip()


def cite(source: str, pinpoint: str = "", confidence: str | None = None) -> Cite:
    """Shorthand used by the law modules: ``cite("S7", "235.3(b)(10)")``."""
    return Cite(source, pinpoint, Confidence(confidence) if confidence else None)


@dataclass(frozen=True)
class Outcome:
    """An outcome of Cruce's vocabulary with its modality and a plain sentence
    (docs/law/README.md#how-to-read-a-rule)."""

    code: str
    modality: Modality
    text: str


class FactKind(enum.StrEnum):
    """The value types a fact can have; they decide how terms compile to Polars."""

    BOOL = "bool"
    INT = "int"
    FLOAT = "float"
    DATE = "date"
    INSTANT = "instant"
    ENUM = "enum"
    SET = "set"


# ---------------------------------------------------------------------------------------------
# Evaluation context
# ---------------------------------------------------------------------------------------------


class Context:
    """What a rule is evaluated against besides the facts: the law in force at an instant.

    ``in_force(key)`` answers whether a dated legal instrument (e.g. a designation) applies at
    the instant, as True/False/None (None: the law itself is unsettled at that instant), and
    ``status(key)`` gives the explanation and citations for that answer.
    """

    at: dt.datetime
    # Traces already computed in this evaluation, by (node, facts): a sub-rule shared by several
    # rules is explained once per case.
    memo: dict[tuple[int, int], tuple[dict[str, AnyType], Trace]]
    # Sub-rules computed once as columns of the frame, by node: compiled rules read them.
    columns: dict[int, str]

    def in_force(self, key: str) -> Kleene:  # pragma: no cover - interface
        raise NotImplementedError

    def status(self, key: str) -> tuple[str, tuple[Cite, ...]]:  # pragma: no cover - interface
        raise NotImplementedError

    def blocked(self, key: str) -> bool:  # pragma: no cover - interface
        raise NotImplementedError

    # The compiled evaluator asks the same questions as expressions, so that a context can
    # decide every row at one instant (constants) or each row at its own instant (columns).
    def in_force_expr(self, key: str) -> pl.Expr:
        return pl.lit(self.in_force(key), dtype=pl.Boolean)

    def fixed_in_force(self, key: str) -> Kleene | Varies:
        """``in_force`` when it is the same for every row compiled (one instant), else VARIES."""
        return self.in_force(key)

    def fixed_blocked(self, key: str) -> bool | Varies:
        """``blocked`` when it is the same for every row compiled, else VARIES."""
        return self.blocked(key)

    def blocked_expr(self, key: str) -> pl.Expr:
        return pl.lit(self.blocked(key), dtype=pl.Boolean)

    def instant_expr(self) -> pl.Expr:
        return pl.lit(self.at, dtype=pl.Datetime("us", "UTC"))

    def constant_date(self) -> dt.date | None:
        """The evaluation instant's US Eastern date when every row shares it, else None."""
        return eastern_date(self.at)

    def key_stage(self) -> list[pl.Expr]:
        """Columns the compiled rules read that must be computed before anything else."""
        return []


@dataclass(slots=True)
class Trace:
    """One node's evaluation for one case: the explanation tree."""

    label: str
    value: AnyType
    citations: tuple[Cite, ...] = ()
    children: list[Trace] = field(default_factory=list)
    depends_on: frozenset[str] = frozenset()  # unknown facts that could change this value
    unsettled: frozenset[str] = frozenset()  # open legal questions that could change it
    note: str = ""
    kind: str = "condition"  # condition | term | exception | in_force
    op: str = "leaf"  # all | any | not | default | leaf: how the children make the value


def _unknown_parts(traces: Iterable[Trace]) -> tuple[frozenset[str], frozenset[str]]:
    facts: set[str] = set()
    questions: set[str] = set()
    for trace in traces:
        facts |= trace.depends_on
        questions |= trace.unsettled
    return frozenset(facts), frozenset(questions)


# ---------------------------------------------------------------------------------------------
# Terms: values read from facts or computed from them
# ---------------------------------------------------------------------------------------------


class Term:
    """A value-valued node (a fact, a constant, a duration)."""

    kind: FactKind

    def value(self, facts: dict[str, AnyType], ctx: Context) -> AnyType:
        raise NotImplementedError

    def explain(self, facts: dict[str, AnyType], ctx: Context) -> Trace:
        raise NotImplementedError

    def compile(self, ctx: Context) -> pl.Expr:
        raise NotImplementedError

    def facts(self) -> frozenset[str]:
        return frozenset()

    # Comparison sugar lets the law modules write ``distance <= 100``.
    def __le__(self, other: AnyType) -> Compare:
        return Compare(self, "<=", as_term(other))

    def __lt__(self, other: AnyType) -> Compare:
        return Compare(self, "<", as_term(other))

    def __ge__(self, other: AnyType) -> Compare:
        return Compare(self, ">=", as_term(other))

    def __gt__(self, other: AnyType) -> Compare:
        return Compare(self, ">", as_term(other))

    def equals(self, other: AnyType) -> Compare:
        return Compare(self, "==", as_term(other))

    def is_in(self, values: Iterable[str]) -> IsIn:
        return IsIn(self, tuple(values))


@dataclass(frozen=True, eq=False)
class Fact(Term):
    """A reference to one fact of the case (a column of the DataFrame)."""

    name: str
    kind: FactKind

    def value(self, facts, ctx):
        return facts.get(self.name)

    def explain(self, facts, ctx):
        value = facts.get(self.name)
        unknown = frozenset({self.name}) if value is None else frozenset()
        return Trace(self.name, value, depends_on=unknown, kind="term")

    def compile(self, ctx):
        return pl.col(self.name)

    def facts(self):
        return frozenset({self.name})


@dataclass(frozen=True, eq=False)
class Const(Term):
    """A constant (a threshold such as 100 air miles, or a date)."""

    constant: AnyType
    kind: FactKind

    def value(self, facts, ctx):
        return self.constant

    def explain(self, facts, ctx):
        return Trace(show(self.constant), self.constant, kind="term")

    def compile(self, ctx):
        return pl.lit(self.constant)


@dataclass(frozen=True, eq=False)
class Instant(Term):
    """The instant of evaluation (the determination instant)."""

    kind: FactKind = FactKind.INSTANT

    def value(self, facts, ctx):
        return ctx.at

    def explain(self, facts, ctx):
        return Trace("the determination instant", ctx.at, kind="term")

    def compile(self, ctx):
        return ctx.instant_expr()


def as_term(value: AnyType) -> Term:
    if isinstance(value, Term):
        return value
    if isinstance(value, bool):
        return Const(value, FactKind.BOOL)
    if isinstance(value, int):
        return Const(value, FactKind.INT)
    if isinstance(value, float):
        return Const(value, FactKind.FLOAT)
    if isinstance(value, dt.datetime):
        return Const(value, FactKind.INSTANT)
    if isinstance(value, dt.date):
        return Const(value, FactKind.DATE)
    raise TypeError(f"cannot use {value!r} as a rule term")


def eastern_date(value: dt.date | dt.datetime) -> dt.date:
    """The calendar date in US Eastern time of an instant (a date is itself)."""
    if isinstance(value, dt.datetime):
        return value.astimezone(EASTERN).date()
    return value


DAY_US = 86_400_000_000
HOUR_US = 3_600_000_000
# The UTC hour at which US Eastern's offset is read for a whole UTC day (see _eastern_offsets).
_SAMPLE_HOUR = 4
_FIRST_DAY, _END_DAY = dt.date(1950, 1, 1), dt.date(2080, 1, 1)


def _eastern_transitions() -> tuple[list[dt.datetime], list[dt.timedelta]]:
    """US Eastern UTC-offset changes 1950–2080 (from the tz database) and the offset in force
    from each (the first: before any change). Weeks are stepped through (changes are months
    apart) and a week with a change is bisected to the hour."""
    start = dt.datetime.combine(_FIRST_DAY, dt.time(12), dt.UTC)
    end = dt.datetime.combine(_END_DAY, dt.time(0), dt.UTC)
    week, one_hour = dt.timedelta(days=7), dt.timedelta(hours=1)

    def offset(instant: dt.datetime) -> dt.timedelta:
        return instant.astimezone(EASTERN).utcoffset() or dt.timedelta(0)

    current = offset(start)
    changes, offsets = [], [current]
    day = start
    while day < end:
        if offset(day + week) != current:
            low, high = day, day + week  # offset(low) == current != offset(high)
            while high - low > one_hour:
                middle = low + (high - low) // 2
                middle = middle.replace(minute=0, second=0, microsecond=0)
                if middle <= low:
                    middle = low + one_hour
                low, high = (middle, high) if offset(middle) == current else (low, middle)
            current = offset(high)
            changes.append(high)
            offsets.append(current)
        day += week
    return changes, offsets


@cache
def _eastern_offsets() -> pl.Series:
    """US Eastern's UTC offset (µs) at 04:00–05:00 UTC of every UTC day 1950–2080.

    Eastern is 4 or 5 hours behind UTC, so an instant's Eastern date is the same under either
    offset except between 04:00 and 05:00 UTC, and no change of offset falls in that hour
    (they fall at 2 a.m. local, 06:00 or 07:00 UTC): the day's offset read at 04:00 gives every
    instant of the day its Eastern date. Both facts are checked against the tz database.
    """
    changes, offsets = _eastern_transitions()
    behind = {-dt.timedelta(hours=_SAMPLE_HOUR), -dt.timedelta(hours=_SAMPLE_HOUR + 1)}
    if set(offsets) - behind or any(c.hour == _SAMPLE_HOUR or c.minute for c in changes):
        raise AssertionError("US Eastern offsets are not what the day table assumes")
    first = dt.datetime.combine(_FIRST_DAY, dt.time(_SAMPLE_HOUR), dt.UTC)
    samples = pl.datetime_range(
        first, first + dt.timedelta(days=(_END_DAY - _FIRST_DAY).days - 1), "1d", eager=True
    )
    index = pl.Series(changes, dtype=pl.Datetime("us", "UTC")).search_sorted(samples, "right")
    micros = pl.Series([int(o.total_seconds()) * 1_000_000 for o in offsets], dtype=pl.Int64)
    return micros.gather(index)


def eastern_date_expr(instants: pl.Expr) -> pl.Expr:
    """The US Eastern calendar date of a column of UTC instants: integer arithmetic and one
    lookup per row, far faster than Polars' per-row time-zone conversion, and the same dates
    (instants outside 1950–2080 take the offset of the nearest end of the table)."""
    table = _eastern_offsets()
    micros = instants.dt.cast_time_unit("us").cast(pl.Int64)
    first = (_FIRST_DAY - dt.date(1970, 1, 1)).days
    index = (micros.floordiv(DAY_US) - first).clip(0, table.len() - 1)
    return (micros + pl.lit(table).gather(index)).floordiv(DAY_US).cast(pl.Int32).cast(pl.Date)


def _date_expr(term: Term, ctx: Context) -> pl.Expr:
    if isinstance(term, Instant) and ctx.constant_date() is not None:
        return pl.lit(ctx.constant_date())  # one instant for every row: a constant date
    expr = term.compile(ctx)
    return eastern_date_expr(expr) if term.kind is FactKind.INSTANT else expr


def months_before(end: dt.date, months: int) -> dt.date:
    """The date ``months`` calendar months before ``end``, its day clipped to the month."""
    year, month0 = divmod(end.year * 12 + end.month - 1 - months, 12)
    next_month = dt.date(year + (month0 == 11), (month0 + 1) % 12 + 1, 1)
    last_day = (next_month - dt.timedelta(days=1)).day
    return dt.date(year, month0 + 1, min(end.day, last_day))


def start_bound(term: Term, amount: int, ctx: Context) -> dt.date | None:
    """For a duration from a column to the evaluation instant, the start date at which the
    duration equals ``amount``: duration >= amount exactly when start <= that date."""
    if not isinstance(term, DaysBetween | MonthsBetween | YearsBetween):
        return None
    end = ctx.constant_date()
    if not isinstance(term.end, Instant) or end is None:
        return None
    if isinstance(term, DaysBetween):
        return end - dt.timedelta(days=amount)
    return months_before(end, amount * 12 if isinstance(term, YearsBetween) else amount)


def complete_months(start: dt.date, end: dt.date) -> int:
    """Complete calendar months from ``start`` to ``end``: a month is complete on the same day
    of the month (2023-02-01 → 2025-02-01 is 24 months; → 2025-01-31 is 23)."""
    return (end.year - start.year) * 12 + (end.month - start.month) - (end.day < start.day)


@dataclass(frozen=True, eq=False)
class DaysBetween(Term):
    """Whole days between the calendar dates (US Eastern) of two dates or instants."""

    start: Term
    end: Term
    kind: FactKind = FactKind.INT

    def value(self, facts, ctx):
        start, end = self.start.value(facts, ctx), self.end.value(facts, ctx)
        if start is None or end is None:
            return None
        return (eastern_date(end) - eastern_date(start)).days

    def explain(self, facts, ctx):
        parts = [self.start.explain(facts, ctx), self.end.explain(facts, ctx)]
        unknown, questions = _unknown_parts(parts)
        return Trace(
            f"days from {parts[0].label} to {parts[1].label}",
            self.value(facts, ctx),
            children=parts,
            depends_on=unknown,
            unsettled=questions,
            kind="term",
        )

    def compile(self, ctx):
        # Dates are days since 1970 underneath: a subtraction of integers.
        start, end = _date_expr(self.start, ctx), _date_expr(self.end, ctx)
        return end.cast(pl.Int32) - start.cast(pl.Int32)

    def facts(self):
        return self.start.facts() | self.end.facts()


@dataclass(frozen=True, eq=False)
class MonthsBetween(Term):
    """Complete calendar months between the calendar dates (US Eastern) of two dates or instants."""

    start: Term
    end: Term
    kind: FactKind = FactKind.INT

    def value(self, facts, ctx):
        start, end = self.start.value(facts, ctx), self.end.value(facts, ctx)
        if start is None or end is None:
            return None
        return complete_months(eastern_date(start), eastern_date(end))

    def explain(self, facts, ctx):
        parts = [self.start.explain(facts, ctx), self.end.explain(facts, ctx)]
        unknown, questions = _unknown_parts(parts)
        return Trace(
            f"complete months from {parts[0].label} to {parts[1].label}",
            self.value(facts, ctx),
            children=parts,
            depends_on=unknown,
            unsettled=questions,
            kind="term",
        )

    def compile(self, ctx):
        start, end = _date_expr(self.start, ctx), _date_expr(self.end, ctx)
        months = (end.dt.year() - start.dt.year()).cast(pl.Int32) * 12 + (
            end.dt.month().cast(pl.Int32) - start.dt.month().cast(pl.Int32)
        )
        return months - (end.dt.day() < start.dt.day()).cast(pl.Int32)

    def facts(self):
        return self.start.facts() | self.end.facts()


@dataclass(frozen=True, eq=False)
class YearsBetween(Term):
    """Complete years (an age) between two dates or instants: complete months // 12."""

    start: Term
    end: Term
    kind: FactKind = FactKind.INT

    def _months(self) -> MonthsBetween:
        return MonthsBetween(self.start, self.end)

    def value(self, facts, ctx):
        months = self._months().value(facts, ctx)
        return None if months is None else months // 12

    def explain(self, facts, ctx):
        inner = self._months().explain(facts, ctx)
        label = inner.label.replace("complete months", "complete years")
        return Trace(
            label,
            self.value(facts, ctx),
            children=inner.children,
            depends_on=inner.depends_on,
            unsettled=inner.unsettled,
            kind="term",
        )

    def compile(self, ctx):
        return self._months().compile(ctx) // 12

    def facts(self):
        return self.start.facts() | self.end.facts()


@dataclass(frozen=True, eq=False)
class FirstKnown(Term):
    """The first of several terms that is known (one fact stated two ways, e.g. presence as a
    day count or as a date since which it is shown)."""

    terms: tuple[Term, ...]
    kind: FactKind

    def value(self, facts, ctx):
        for term in self.terms:
            value = term.value(facts, ctx)
            if value is not None:
                return value
        return None

    def explain(self, facts, ctx):
        parts = [term.explain(facts, ctx) for term in self.terms]
        chosen = next((p for p in parts if p.value is not None), None)
        if chosen is not None:
            return chosen
        unknown, questions = _unknown_parts(parts)
        label = " or ".join(p.label for p in parts)
        return Trace(label, None, children=parts, depends_on=unknown, unsettled=questions)

    def compile(self, ctx):
        return pl.coalesce([term.compile(ctx) for term in self.terms])

    def facts(self):
        return frozenset().union(*(term.facts() for term in self.terms))


# ---------------------------------------------------------------------------------------------
# Conditions: three-valued
# ---------------------------------------------------------------------------------------------


class Condition:
    """A three-valued node. ``label`` says it in plain words; ``citations`` say where it is law."""

    label: str = ""
    citations: tuple[Cite, ...] = ()

    def evaluate(self, facts: dict[str, AnyType], ctx: Context) -> Kleene:
        return self.explain(facts, ctx).value

    def explain(self, facts: dict[str, AnyType], ctx: Context) -> Trace:
        """This node's trace for one case; shared sub-rules are evaluated once per case."""
        key = (id(self), id(facts))
        found = ctx.memo.get(key)
        # The facts object is kept with its trace, so a reused id can never match stale facts.
        if found is not None and found[0] is facts:
            return found[1]
        trace = self._explain(facts, ctx)
        ctx.memo[key] = (facts, trace)
        return trace

    def _explain(self, facts: dict[str, AnyType], ctx: Context) -> Trace:
        raise NotImplementedError

    def compile(self, ctx: Context) -> pl.Expr:
        """This node as a Polars expression; a sub-rule materialised as a column is read, and
        one whose value is the same for every row (the law at one instant) is a constant."""
        value = self.fixed(ctx)
        if value is not VARIES:
            return pl.lit(value, dtype=pl.Boolean)
        column = ctx.columns.get(id(self))
        return pl.col(column) if column is not None else self._compile(ctx)

    def fixed(self, ctx: Context) -> Kleene | Varies:
        """The value this node has on every row, when the law alone settles it (e.g. a
        designation not in force makes its whole branch false), else VARIES. Polars evaluates
        every part of an expression, so folding these away is what makes the rules cheap."""
        return VARIES

    def _compile(self, ctx: Context) -> pl.Expr:
        raise NotImplementedError

    def facts(self) -> frozenset[str]:
        raise NotImplementedError

    def children(self) -> Sequence[Condition]:
        return ()

    def __and__(self, other: Condition) -> All:
        return All(self, other)

    def __or__(self, other: Condition) -> Any:
        return Any(self, other)

    def __invert__(self) -> Not:
        return Not(self)

    def named(self, label: str, *citations: Cite) -> Condition:
        """Give this node a plain-words label and its citations; returns the node."""
        self.label = label
        self.citations = tuple(citations)
        return self


class Is(Condition):
    """A boolean fact holds."""

    def __init__(self, fact: Fact, label: str = "", *citations: Cite):
        self.fact = fact
        self.label = label or fact.name
        self.citations = citations

    def _explain(self, facts, ctx):
        value = facts.get(self.fact.name)
        stated = f"{self.fact.name} = {show(value)}"
        plain = self.label == self.fact.name
        return Trace(
            stated if plain else self.label,
            value,
            self.citations,
            depends_on=frozenset({self.fact.name}) if value is None else frozenset(),
            note="" if plain else stated,
        )

    def _compile(self, ctx):
        return pl.col(self.fact.name)

    def facts(self):
        return frozenset({self.fact.name})


_OPS: dict[str, Callable[[AnyType, AnyType], AnyType]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}
_SYMBOLS = {"<=": "≤", ">=": "≥", "==": "=", "!=": "≠", "<": "<", ">": ">"}


class Compare(Condition):
    """A comparison of numbers, dates or instants; unknown if either side is unknown."""

    def __init__(self, left: Term, op: str, right: Term):
        if op not in _OPS:
            raise ValueError(f"unknown comparison {op!r}; valid: {sorted(_OPS)}")
        self.left, self.op, self.right = left, op, right
        self.label = ""

    def _explain(self, facts, ctx):
        left, right = self.left.explain(facts, ctx), self.right.explain(facts, ctx)
        if left.value is None or right.value is None:
            value = None
        else:
            value = _OPS[self.op](left.value, right.value)
        unknown, questions = _unknown_parts([left, right])
        sentence = f"{left.label} {_SYMBOLS[self.op]} {right.label}"
        return Trace(
            self.label or sentence,
            value,
            self.citations,
            children=[left, right],
            depends_on=unknown if value is None else frozenset(),
            unsettled=questions if value is None else frozenset(),
            note=f"{show(left.value)} {_SYMBOLS[self.op]} {show(right.value)}",
        )

    def _compile(self, ctx):
        return _compile_comparison(self.left, self.op, self.right, ctx)

    def facts(self):
        return self.left.facts() | self.right.facts()


def _compile_comparison(left: Term, op: str, right: Term, ctx: Context) -> pl.Expr:
    """A comparison as a Polars expression. A whole-number duration from a column to the
    evaluation instant is compared as the column's date against a constant, which is the same
    test and far cheaper than computing every row's duration."""
    if isinstance(right, Const) and isinstance(right.constant, int):
        if isinstance(left, FirstKnown):
            parts = [_compile_comparison(t, op, right, ctx) for t in left.terms]
            return pl.coalesce(parts)
        amount = {
            "<": right.constant,
            ">=": right.constant,
            "<=": right.constant + 1,
            ">": right.constant + 1,
        }.get(op)
        bound = start_bound(left, amount, ctx) if amount is not None else None
        if bound is not None and isinstance(left, DaysBetween | MonthsBetween | YearsBetween):
            start = _date_expr(left.start, ctx)
            # duration >= amount  <=>  start <= bound
            return start.le(bound) if op in (">=", ">") else start.gt(bound)
    return _OPS[op](left.compile(ctx), right.compile(ctx))


class IsIn(Condition):
    """An enum fact takes one of the listed values."""

    def __init__(self, term: Term, values: tuple[str, ...]):
        self.term, self.values = term, values
        self.label = ""

    def _explain(self, facts, ctx):
        inner = self.term.explain(facts, ctx)
        value = None if inner.value is None else inner.value in self.values
        return Trace(
            self.label or f"{inner.label} is one of {', '.join(self.values)}",
            value,
            self.citations,
            depends_on=inner.depends_on if value is None else frozenset(),
            note=f"{inner.label} = {show(inner.value)}",
        )

    def _compile(self, ctx):
        return self.term.compile(ctx).is_in(list(self.values))

    def facts(self):
        return self.term.facts()


class Intersects(Condition):
    """A set-valued fact (e.g. nationalities) contains at least one of the listed values."""

    def __init__(self, term: Term, values: Iterable[str]):
        self.term, self.values = term, tuple(values)
        self.label = ""

    def _explain(self, facts, ctx):
        inner = self.term.explain(facts, ctx)
        value = None if inner.value is None else bool(set(inner.value) & set(self.values))
        return Trace(
            self.label or f"{inner.label} includes one of {', '.join(self.values)}",
            value,
            self.citations,
            depends_on=inner.depends_on if value is None else frozenset(),
            note=f"{inner.label} = {show(inner.value)}",
        )

    def _compile(self, ctx):
        values = list(self.values)
        column = self.term.compile(ctx)
        if len(values) == 1:  # a count of one value: no per-list evaluation (2-4x faster)
            return column.list.count_matches(values[0]) > 0
        return column.list.eval(pl.element().is_in(values)).list.any()

    def facts(self):
        return self.term.facts()


def kleene_and(values: Iterable[Kleene]) -> Kleene:
    """False if any value is false, else unknown if any is unknown, else true."""
    values = list(values)
    return False if False in values else (None if None in values else True)


def kleene_or(values: Iterable[Kleene]) -> Kleene:
    """True if any value is true, else unknown if any is unknown, else false."""
    values = list(values)
    return True if True in values else (None if None in values else False)


def _combined(node: Condition, value: Kleene, traces: list[Trace], op: str) -> Trace:
    """The trace of an AND/OR: unknowns matter only while the value is unknown."""
    if value is None:
        unknown, questions = _unknown_parts(t for t in traces if t.value is None)
    else:
        unknown, questions = frozenset(), frozenset()
    label = node.label or f" {'and' if op == 'all' else 'or'} ".join(t.label for t in traces)
    return Trace(label, value, node.citations, traces, unknown, questions, op=op)


def _horizontal(
    combine: Callable[[list[pl.Expr]], pl.Expr], parts: list[Condition], ctx: Context
) -> pl.Expr:
    """An AND/OR of the parts left after folding (one part is itself)."""
    return combine([p.compile(ctx) for p in parts]) if len(parts) > 1 else parts[0].compile(ctx)


class All(Condition):
    """Every part holds (Kleene AND: false if any part is false, unknown if any is unknown)."""

    def __init__(self, *parts: Condition, label: str = "", citations: Sequence[Cite] = ()):
        self.parts = parts
        self.label = label or " and ".join(p.label for p in parts if p.label)
        self.citations = tuple(citations)

    def _explain(self, facts, ctx):
        traces = [p.explain(facts, ctx) for p in self.parts]
        values = [t.value for t in traces]
        value = kleene_and(values)
        return _combined(self, value, traces, "all")

    def fixed(self, ctx):
        values = [p.fixed(ctx) for p in self.parts]
        if False in values:
            return False
        return VARIES if VARIES in values else kleene_and(values)  # type: ignore[arg-type]

    def _compile(self, ctx):
        # Parts true on every row change nothing in an AND.
        live = [p for p in self.parts if p.fixed(ctx) is not True]
        return _horizontal(pl.all_horizontal, live, ctx)

    def facts(self):
        return frozenset().union(*(p.facts() for p in self.parts))

    def children(self):
        return self.parts


class Any(Condition):
    """At least one part holds (Kleene OR)."""

    def __init__(self, *parts: Condition, label: str = "", citations: Sequence[Cite] = ()):
        self.parts = parts
        self.label = label or " or ".join(p.label for p in parts if p.label)
        self.citations = tuple(citations)

    def _explain(self, facts, ctx):
        traces = [p.explain(facts, ctx) for p in self.parts]
        values = [t.value for t in traces]
        value = kleene_or(values)
        return _combined(self, value, traces, "any")

    def fixed(self, ctx):
        values = [p.fixed(ctx) for p in self.parts]
        if True in values:
            return True
        return VARIES if VARIES in values else kleene_or(values)  # type: ignore[arg-type]

    def _compile(self, ctx):
        # Parts false on every row change nothing in an OR.
        live = [p for p in self.parts if p.fixed(ctx) is not False]
        return _horizontal(pl.any_horizontal, live, ctx)

    def facts(self):
        return frozenset().union(*(p.facts() for p in self.parts))

    def children(self):
        return self.parts


class Not(Condition):
    """The part does not hold (unknown stays unknown)."""

    def __init__(self, part: Condition, label: str = "", citations: Sequence[Cite] = ()):
        if not (label or part.label):
            # Otherwise the explanation would read just "not ".
            raise ValueError("Not() of an unlabelled condition needs its own label")
        self.part = part
        self.label = label or f"not {part.label}"
        self.citations = tuple(citations) or part.citations

    def _explain(self, facts, ctx):
        inner = self.part.explain(facts, ctx)
        value = None if inner.value is None else not inner.value
        return Trace(
            self.label, value, self.citations, [inner], inner.depends_on, inner.unsettled, op="not"
        )

    def fixed(self, ctx):
        value = self.part.fixed(ctx)
        return value if value is VARIES or value is None else not value

    def _compile(self, ctx):
        return ~self.part.compile(ctx)

    def facts(self):
        return self.part.facts()

    def children(self):
        return (self.part,)


class InForce(Condition):
    """A dated legal instrument (a designation, a program) applies at the evaluation instant.

    The answer comes from the timeline in the context (a constant when every row is decided at
    one instant); None means the law itself is unsettled at that instant.
    """

    def __init__(self, key: str, label: str):
        self.key = key
        self.label = label

    def _explain(self, facts, ctx):
        value = ctx.in_force(self.key)
        note, citations = ctx.status(self.key)
        unsettled = frozenset({f"in force: {self.key}"}) if value is None else frozenset()
        return Trace(self.label, value, citations, note=note, unsettled=unsettled, kind="in_force")

    def fixed(self, ctx):
        return ctx.fixed_in_force(self.key)

    def _compile(self, ctx):
        return ctx.in_force_expr(self.key)

    def facts(self):
        return frozenset()


class Blocked(Condition):
    """A dated instrument exists at the evaluation instant but a court order blocks it."""

    def __init__(self, key: str, label: str):
        self.key = key
        self.label = label

    def _explain(self, facts, ctx):
        value = ctx.blocked(self.key)
        note, citations = ctx.status(self.key)
        return Trace(self.label, value, citations, note=note, kind="in_force")

    def fixed(self, ctx):
        return ctx.fixed_blocked(self.key)

    def _compile(self, ctx):
        return ctx.blocked_expr(self.key)

    def facts(self):
        return frozenset()


class Known(Condition):
    """Whether a fact is known at all (never unknown itself): for steps not yet taken, such as
    a screening whose answers are not in yet."""

    def __init__(self, *facts: Fact, label: str = ""):
        self.fact_refs = facts
        self.label = label or "known: " + ", ".join(f.name for f in facts)

    def _explain(self, facts, ctx):
        missing = [f.name for f in self.fact_refs if facts.get(f.name) is None]
        note = f"not yet known: {', '.join(missing)}" if missing else ""
        return Trace(self.label, not missing, self.citations, note=note)

    def _compile(self, ctx):
        return pl.all_horizontal([pl.col(f.name).is_not_null() for f in self.fact_refs])

    def facts(self):
        return frozenset(f.name for f in self.fact_refs)


class Unsettled(Condition):
    """An open legal question (docs/law/open-questions.md): always unknown, by law."""

    def __init__(self, question: str, label: str, *citations: Cite):
        self.question = question
        self.label = label
        self.citations = citations

    def _explain(self, facts, ctx):
        return Trace(
            self.label,
            None,
            self.citations,
            unsettled=frozenset({self.question}),
            note="LEGAL_UNCERTAIN: the law is unsettled on this point",
        )

    def fixed(self, ctx):
        return None

    def _compile(self, ctx):
        return pl.lit(None, dtype=pl.Boolean)

    def facts(self):
        return frozenset()


@dataclass
class Exception_:
    """A named exception to a base rule, with its own citation."""

    name: str
    condition: Condition


class Default(Condition):
    """A base rule with named exceptions: the base holds and no exception applies.

    This is the shape of Catala's default logic; "why not" is the exception that applied.
    """

    def __init__(
        self,
        label: str,
        base: Condition,
        exceptions: Sequence[Exception_],
        citations: Sequence[Cite] = (),
    ):
        self.label = label
        self.base = base
        self.exceptions = tuple(exceptions)
        self.citations = tuple(citations)
        self._as_all = All(base, *(Not(e.condition) for e in self.exceptions))

    def _explain(self, facts, ctx):
        base = self.base.explain(facts, ctx)
        exceptions = []
        for exc in self.exceptions:
            trace = exc.condition.explain(facts, ctx)
            label = f"exception — {exc.name}: {trace.label}"
            exceptions.append(
                Trace(
                    label,
                    trace.value,
                    trace.citations,
                    trace.children,
                    trace.depends_on,
                    trace.unsettled,
                    trace.note,
                    "exception",
                    trace.op,
                )
            )
        # The value is the Kleene AND of the base and the negated exceptions.
        values = [base.value] + [None if t.value is None else not t.value for t in exceptions]
        value = kleene_and(values)
        if value is None:
            unknown, questions = _unknown_parts(
                t for t, v in zip([base, *exceptions], values, strict=True) if v is None
            )
        else:
            unknown, questions = frozenset(), frozenset()
        trace = Trace(self.label, value, self.citations, [base, *exceptions], unknown, questions)
        trace.op = "default"
        return trace

    def fixed(self, ctx):
        return self._as_all.fixed(ctx)

    def _compile(self, ctx):
        return self._as_all.compile(ctx)

    def facts(self):
        return self._as_all.facts()

    def children(self):
        return (self.base, *(e.condition for e in self.exceptions))


# ---------------------------------------------------------------------------------------------
# Decisions: ordered branches to outcomes
# ---------------------------------------------------------------------------------------------


@dataclass
class Branch:
    """One row of an ordered decision table: if ``condition``, then ``outcome``."""

    name: str
    condition: Condition
    outcome: Outcome
    citations: tuple[Cite, ...] = ()


@dataclass
class DecisionTrace:
    """A decision's explanation: the outcome (None if it depends on unknowns), the branch
    that decided it, every branch looked at, and what it depends on."""

    name: str
    outcome: Outcome | None
    decided_by: Branch | None
    branches: list[tuple[Branch, Trace]]
    possible: tuple[Outcome, ...]
    depends_on: frozenset[str]
    unsettled: frozenset[str]
    otherwise: Trace | None  # why the fallback applies, when no branch held


class Decision:
    """An ordered decision table (as docs/law/expedited-removal.md#r3): the first branch
    whose condition holds gives the outcome; ``otherwise`` applies when none does."""

    def __init__(self, name: str, branches: Sequence[Branch], otherwise: Branch):
        self.name = name
        self.branches = tuple(branches)
        self.otherwise = otherwise
        codes = [b.outcome.code for b in (*self.branches, otherwise)]
        self.outcome_codes = tuple(dict.fromkeys(codes))

    def explain(self, facts, ctx) -> DecisionTrace:
        looked: list[tuple[Branch, Trace]] = []
        for branch in self.branches:
            trace = branch.condition.explain(facts, ctx)
            looked.append((branch, trace))
            if trace.value is True:
                break
        else:
            return self._conclude(looked, self.otherwise.condition.explain(facts, ctx))
        return self._conclude(looked, None)

    def _conclude(
        self, looked: list[tuple[Branch, Trace]], otherwise: Trace | None
    ) -> DecisionTrace:
        # Walk back from the end: the result of the tail, then fold each branch in front of it.
        last_branch, last_trace = looked[-1]
        if last_trace.value is True:
            result: Outcome | None = last_branch.outcome
            decided_by: Branch | None = last_branch
            possible = [last_branch.outcome]
            tail = looked[:-1]
        else:
            result, decided_by = self.otherwise.outcome, self.otherwise
            possible = [self.otherwise.outcome]
            tail = looked
        unknown: set[str] = set()
        questions: set[str] = set()
        for branch, trace in reversed(tail):
            if trace.value is None:
                possible.append(branch.outcome)
                unknown |= trace.depends_on
                questions |= trace.unsettled
                # Outcomes agree by code: two rows may word the same outcome differently.
                if result is None or result.code != branch.outcome.code:
                    result, decided_by = None, None
        if result is not None:
            unknown, questions = set(), set()
        return DecisionTrace(
            self.name,
            result,
            decided_by,
            looked,
            tuple(dict.fromkeys(reversed(possible))),
            frozenset(unknown),
            frozenset(questions),
            otherwise,
        )

    def compile(self, ctx: Context) -> tuple[list[pl.Expr], pl.Expr, pl.Expr]:
        """The outcome code per row; null where the outcome depends on unknown facts.

        Returns three steps: the branch conditions as columns, the position of the candidate
        branch (the first that holds) as a column, and the outcome over them. Written out
        inline, the three-valued fold would repeat every condition once per later branch.
        """
        first_name = f"__{self.name}_first"
        # Codes as an Enum: small integers underneath, compared and copied cheaply.
        dtype = pl.Enum(self.outcome_codes)
        fallback = self.otherwise.outcome.code
        # Branches the law settles for every row are folded: one that never holds is dropped,
        # one that always holds ends the table; one always unknown stays as a constant.
        conditions: list[pl.Expr] = []
        live: list[tuple[pl.Expr | None, str]] = []  # (its column, None if unknown; code)
        for i, branch in enumerate(self.branches):
            value = branch.condition.fixed(ctx)
            if value is False:
                continue
            if value is True:
                fallback = branch.outcome.code
                break
            if value is None:
                live.append((None, branch.outcome.code))
                continue
            name = f"__{self.name}_{i}"
            conditions.append(branch.condition.compile(ctx).alias(name))
            live.append((pl.col(name), branch.outcome.code))
        # The position of the first branch that holds (null counts as not holding; past the
        # end: the fallback), as a small integer: a chain of integer choices is far cheaper
        # than one of outcome codes, and the code is then one lookup.
        codes = [code for _, code in live] + [fallback]
        index = pl.UInt8 if len(codes) < 2**8 else pl.UInt16
        first: pl.Expr = pl.lit(len(live), dtype=index)
        for position in reversed(range(len(live))):
            column = live[position][0]
            if column is not None:
                first = pl.when(column).then(pl.lit(position, dtype=index)).otherwise(first)
        chosen = pl.col(first_name)
        outcome = pl.lit(pl.Series(codes, dtype=dtype)).gather(chosen)
        # The outcome is unknown where a branch before the first that holds is unknown and
        # would give a different outcome: each branch is one test, not a test of all before it.
        conflicts = []
        for position, (column, code) in enumerate(live):
            same = [p for p, other in enumerate(codes) if other == code]
            differs = ~chosen.is_in(same)
            if position:
                differs = (chosen > position) & differs
            conflicts.append(differs if column is None else column.is_null() & differs)
        if conflicts:
            outcome = pl.when(pl.any_horizontal(conflicts)).then(None).otherwise(outcome)
        return conditions, first.alias(first_name), outcome

    def facts(self) -> frozenset[str]:
        return frozenset().union(*(b.condition.facts() for b in self.branches))


# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _show_instant(value: dt.datetime) -> str:
    """An instant in US Eastern time (cached: explanations show the same few instants often)."""
    return value.astimezone(EASTERN).strftime("%Y-%m-%d %H:%M %Z")


def show(value: AnyType) -> str:
    """A fact's value as an explanation writes it (unknown, yes/no, dates in US Eastern)."""
    if value is None:
        return "unknown"
    if isinstance(value, dt.datetime):
        return _show_instant(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, frozenset | set | list | tuple):
        return "{" + ", ".join(sorted(map(str, value))) + "}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def roots(decisions: Iterable[Decision]) -> list[Condition]:
    """The conditions of every branch of the decisions, fallbacks included."""
    return [b.condition for d in decisions for b in (*d.branches, d.otherwise)]


def rule_nodes(*starts: Condition) -> list[Condition]:
    """Every node reachable from the given ones, each once (rules share sub-rules)."""
    seen: dict[int, Condition] = {}
    stack = list(starts)
    while stack:
        node = stack.pop()
        if id(node) not in seen:
            seen[id(node)] = node
            stack.extend(node.children())
    return list(seen.values())


def shared_stages(
    decisions: Iterable[Decision], ctx: Context, every: bool = False
) -> list[list[pl.Expr]]:
    """Sub-rules that several rules read (e.g. "expedited removal is available", read by two
    questions), compiled once each as a column: stages of columns to add in order, inner
    sub-rules first. Registers the columns in ``ctx.columns`` so later compiles read them.
    With ``every``, every rule that has parts gets its column (for explaining many rows)."""
    parents: dict[int, int] = {}
    nodes: dict[int, Condition] = {}
    stack: list[Condition] = []
    for decision in decisions:
        stack += [b.condition for b in (*decision.branches, decision.otherwise)]
    while stack:
        node = stack.pop()
        parents[id(node)] = parents.get(id(node), 0) + 1
        if id(node) in nodes:
            continue
        nodes[id(node)] = node
        # A node the law settles compiles to a constant: its parts are never read (but a
        # column per rule, ``every``, is still wanted for explaining).
        if every or node.fixed(ctx) is VARIES:
            stack.extend(node.children())
    shared = {
        i
        for i, n in nodes.items()
        if (every or parents[i] > 1) and n.children() and n.fixed(ctx) is VARIES
    }
    level: dict[int, int] = {}

    def depth(node: Condition) -> int:
        if id(node) not in level:
            inner = [depth(c) for c in node.children()]
            level[id(node)] = max(inner, default=-1) + (1 if id(node) in shared else 0)
        return level[id(node)]

    stages: dict[int, list[Condition]] = {}
    for i in shared:
        stages.setdefault(depth(nodes[i]), []).append(nodes[i])
    compiled = [_repeated_set_tests(nodes.values(), ctx)]
    for _, group in sorted(stages.items()):
        exprs = []
        for node in group:
            name = f"__shared_{id(node)}"
            exprs.append(node._compile(ctx).alias(name))
            ctx.columns[id(node)] = name
        compiled.append(exprs)
    return [stage for stage in compiled if stage]


def _repeated_set_tests(nodes: Iterable[Condition], ctx: Context) -> list[pl.Expr]:
    """One column for each set test that rules write more than once (e.g. "a national of
    Cuba", in several rules): a list test costs a pass over every element, so it is done once."""
    alike: dict[tuple[str, tuple[str, ...]], list[Condition]] = {}
    for node in nodes:
        if isinstance(node, Intersects) and isinstance(node.term, Fact):
            key = (node.term.name, tuple(sorted(node.values)))
            alike.setdefault(key, []).append(node)
    columns = []
    for (name, values), group in sorted(alike.items()):
        if len(group) > 1 and id(group[0]) not in ctx.columns:
            column = f"__set_{name}_{'_'.join(values)}"
            columns.append(group[0]._compile(ctx).alias(column))
            for node in group:
                ctx.columns[id(node)] = column
    return columns
