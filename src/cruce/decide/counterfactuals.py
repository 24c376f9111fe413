"""What would change the outcome: the smallest changes of facts, or of the instant, that flip it.

Candidates come from the rule structure, never from hand-written lists: every leaf a question
reads proposes the change that would turn it the other way — the other value of a yes/no fact,
a value on the other side of a threshold (solved back to the fact it is computed from, e.g. the
date presence is shown since), a nationality added or removed, or the instant moved across the
next or previous boundary of a dated instrument. Each candidate is re-evaluated with the same
rules; those that change the outcome are kept, one-fact changes first, then pairs.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

from cruce.engine.logic import (
    Blocked,
    Compare,
    Condition,
    Const,
    DaysBetween,
    Decision,
    Fact,
    FactKind,
    FirstKnown,
    InForce,
    Instant,
    Intersects,
    Is,
    IsIn,
    MonthsBetween,
    Term,
    YearsBetween,
    eastern_date,
    months_before,
    roots,
    rule_nodes,
    show,
)
from cruce.facts.case import Case, CaseError, enum_of, parse_case
from cruce.law import QUESTIONS
from cruce.law.timeline import LawAt, Timeline, regimes


def modelled_from() -> dt.datetime:
    """The first instant Cruce models (the first named regime's start)."""
    return next(iter(regimes().values())).start


MAX_PAIRS = 400  # bounds the search when no single change flips an outcome


@dataclass(frozen=True)
class Change:
    """A change to the case: facts set to new values, or the instant moved."""

    facts: tuple[tuple[str, Any], ...] = ()
    at: dt.datetime | None = None
    why: str = ""

    def describe(self) -> str:
        parts = [f"{name} = {_value_text(value)}" for name, value in self.facts]
        if self.at is not None:
            parts.append(f"decided at {show(self.at)}")
        return " and ".join(parts)

    def merged(self, other: Change) -> Change | None:
        names = {n for n, _ in self.facts}
        if names & {n for n, _ in other.facts} or (self.at and other.at):
            return None
        return Change(self.facts + other.facts, self.at or other.at, f"{self.why}; {other.why}")


@dataclass(frozen=True)
class Counterfactual:
    """A change and the outcome it leads to: its code and its plain sentence ("" when the
    changed case is still undecided)."""

    question: str
    change: Change
    outcome: str
    text: str = ""


def _value_text(value: Any) -> str:
    if isinstance(value, frozenset | set | list | tuple):
        return "[" + ", ".join(sorted(map(str, value))) + "]"
    return show(value)


def _leaves(decision: Decision) -> list[Condition]:
    return [n for n in rule_nodes(*roots([decision])) if not n.children()]


# --- solving a term back to the fact it reads ---------------------------------------------


def _solve(term: Term, target: Any, facts: dict[str, Any], at: dt.datetime) -> dict[str, Any]:
    """Fact values that give ``term`` the value ``target`` (empty if it cannot be solved)."""
    if isinstance(term, Fact):
        return {term.name: target}
    if isinstance(term, FirstKnown):
        live = next((t for t in term.terms if _known(t, facts)), term.terms[0])
        return _solve(live, target, facts, at)
    if isinstance(term, DaysBetween | MonthsBetween | YearsBetween):
        start, end = term.start, term.end
        if isinstance(start, Fact) and start.kind is FactKind.DATE:
            end_value = at if isinstance(end, Instant) else _fact_value(end, facts)
            if end_value is None:
                return {}
            return {start.name: _back_from(eastern_date(end_value), term, target)}
    return {}


def _known(term: Term, facts: dict[str, Any]) -> bool:
    return all(facts.get(name) is not None for name in term.facts()) and bool(term.facts())


def _fact_value(term: Term, facts: dict[str, Any]) -> Any:
    return facts.get(term.name) if isinstance(term, Fact) else None


def _back_from(end: dt.date, term: Term, amount: int) -> dt.date:
    if isinstance(term, DaysBetween):
        return end - dt.timedelta(days=amount)
    return months_before(end, amount * 12 if isinstance(term, YearsBetween) else amount)


def _other_side(op: str, constant: Any, holds: bool | None) -> list[Any]:
    """Values just on each side of ``term op constant`` that the comparison does not have now."""
    step: Any = dt.timedelta(days=1) if isinstance(constant, dt.date) else 1
    inside = {"<": constant - step, "<=": constant, ">": constant + step, ">=": constant}[op]
    outside = {"<": constant, "<=": constant + step, ">": constant, ">=": constant - step}[op]
    if holds is None:
        return [inside, outside]
    return [outside] if holds else [inside]


def _fact_changes(leaf: Condition, facts: dict[str, Any], law: LawAt, label: str) -> list[Change]:
    if isinstance(leaf, Is):
        name = leaf.fact.name
        value = facts.get(name)
        values = [True, False] if value is None else [not value]
        return [Change(((name, v),), why=label) for v in values]
    if isinstance(leaf, IsIn) and isinstance(leaf.term, Fact):
        return _choice_changes(leaf.term.name, leaf.values, facts, label)
    if isinstance(leaf, Intersects) and isinstance(leaf.term, Fact):
        name, current = leaf.term.name, facts.get(leaf.term.name) or frozenset()
        inside = set(current) & set(leaf.values)
        changed = current - inside if inside else current | {leaf.values[0]}
        return [Change(((name, frozenset(changed)),), why=label)] if changed else []
    if isinstance(leaf, Compare) and isinstance(leaf.right, Const):
        holds = leaf.evaluate(facts, law)
        changes = []
        for target in _other_side(leaf.op, leaf.right.constant, holds):
            solved = _solve(leaf.left, target, facts, law.at)
            if solved:
                changes.append(Change(tuple(solved.items()), why=label))
        return changes
    return []


def _choice_changes(name: str, values: tuple[str, ...], facts: dict[str, Any], why: str):
    enum_type = enum_of(name)
    members = [m.value for m in enum_type] if enum_type else list(values)
    inside = facts.get(name) in values
    others = [m for m in members if m not in values] if inside else list(values)
    return [Change(((name, v),), why=why) for v in others[:2]]


def _instant_changes(leaf: Condition, law: LawAt) -> list[Change]:
    if not isinstance(leaf, InForce | Blocked):
        return []
    rows = [r for r in law.timeline.rows() if r.key == leaf.key]
    instants = sorted({r.start for r in rows} | {r.end for r in rows if r.end})
    later = [t for t in instants if t > law.at]
    earlier = [t for t in instants if modelled_from() < t <= law.at]
    changes = []
    if later:
        changes.append(Change(at=later[0], why=f"{leaf.label} (next change)"))
    if earlier:
        changes.append(
            Change(
                at=earlier[-1] - dt.timedelta(minutes=1),
                why=f"{leaf.label} (before the last change)",
            )
        )
    return changes


# --- the search -----------------------------------------------------------------------------


def _apply(case: Case, change: Change) -> Case | None:
    data = {k: v for k, v in case.model_dump().items() if v is not None}
    data.update(dict(change.facts))
    try:
        return parse_case(data)
    except CaseError:
        return None  # an impossible combination (e.g. entry after encounter)


def _after_the_facts(case: Case, at: dt.datetime) -> bool:
    """A determination comes after the encounter, the entry and the presence it counts."""
    day = eastern_date(at)
    dates = (case.last_entry_date, case.continuous_presence_established_since)
    return (case.encounter_datetime is None or case.encounter_datetime <= at) and all(
        d is None or d <= day for d in dates
    )


def _outcome(
    decision: Decision, case: Case, at: dt.datetime, timeline: Timeline
) -> tuple[str, str]:
    """The outcome's code and sentence (no sentence while it is undecided)."""
    trace = decision.explain(case.facts(), LawAt(at, timeline))
    if trace.outcome is not None:
        return trace.outcome.code, trace.outcome.text
    return ("LEGAL_UNCERTAIN" if trace.unsettled else "DEPENDS_ON"), ""


def what_would_change(
    case: Case, at: dt.datetime, timeline: Timeline, question: str, limit: int = 20
) -> list[Counterfactual]:
    """The smallest changes that change ``question``'s outcome, one-fact changes first."""
    decision = QUESTIONS[question]
    law = LawAt(at, timeline)
    facts = case.facts()
    before, _ = _outcome(decision, case, at, timeline)
    candidates: dict[tuple, Change] = {}
    for leaf in _leaves(decision):
        label = leaf.explain(facts, law).label
        for change in _fact_changes(leaf, facts, law, label) + _instant_changes(leaf, law):
            candidates.setdefault((change.facts, change.at), change)

    def flips(change: Change) -> Counterfactual | None:
        changed = _apply(case, change) if change.facts else case
        if changed is None or (change.at and not _after_the_facts(changed, change.at)):
            return None
        outcome, text = _outcome(decision, changed, change.at or at, timeline)
        return Counterfactual(question, change, outcome, text) if outcome != before else None

    found = [c for c in map(flips, candidates.values()) if c is not None]
    if not found:
        fact_changes = [c for c in candidates.values() if c.facts]
        pairs = itertools.islice(itertools.combinations(fact_changes, 2), MAX_PAIRS)
        merged = (a.merged(b) for a, b in pairs)
        found = [c for c in map(flips, filter(None, merged)) if c is not None]
    undecided = {"DEPENDS_ON", "LEGAL_UNCERTAIN"}
    found.sort(
        key=lambda c: (
            c.outcome in undecided,  # changes that settle the outcome first
            len(c.change.facts) + (c.change.at is not None),
            c.change.describe(),
        )
    )
    return found[:limit]


def all_counterfactuals(
    case: Case, at: dt.datetime, timeline: Timeline
) -> dict[str, list[Counterfactual]]:
    """What would change each question's outcome."""
    return {q: what_would_change(case, at, timeline, q) for q in QUESTIONS}
