"""A Determination: what the law in force at an instant lets DHS do with one case, and why.

Per case, every question in ``cruce.law.QUESTIONS`` is explained (outcome, modality, reasons
with citations, the unknown facts and open legal questions it depends on). For many cases the
same rules compile to Polars expressions (``determine_frame``).

The JSON form (``to_json``) is the stable schema shared by ``cruce explain --json`` and the HTTP
API; ``SCHEMA_VERSION`` changes whenever a field does.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from cruce.decide.counterfactuals import Counterfactual, all_counterfactuals
from cruce.decide.notice import NOTICE
from cruce.engine.logic import Cite, Confidence, Context, DecisionTrace, Trace, shared_stages, show
from cruce.facts.case import Case, CaseError, instant_date
from cruce.law import QUESTIONS
from cruce.law.citations import as_dict, confidence_of, registry
from cruce.law.timeline import (
    LawAt,
    LawPerRow,
    Regime,
    Timeline,
    actual_timeline,
    regime_at,
    regime_named,
    regimes,
    timeline_named,
)


def preload_law() -> None:
    """Load the law a long-running process keeps (the timeline, the citations) and freeze it.

    The law is loaded once and never freed. Moving it out of the garbage collector's
    generations (gc.freeze) keeps full collections from re-walking it during determinations
    (p99 latency 2.1 ms -> 0.74 ms on the example case). Servers call this at start-up;
    importing the module does no work.
    """
    actual_timeline()
    registry()
    gc.freeze()


SCHEMA_VERSION = "1"
DEPENDS_ON = "DEPENDS_ON"
LEGAL_UNCERTAIN = "LEGAL_UNCERTAIN"


@dataclass
class Reason:
    """One line of an explanation: a condition, whether it held, and where it is law."""

    text: str
    holds: bool | None
    citations: tuple[Cite, ...]
    note: str
    depth: int
    trace: Trace | None = field(default=None, repr=False, compare=False)
    """The condition's evaluation, for putting its words in another language."""


@dataclass
class OutcomeResult:
    """The answer to one question (e.g. "procedure") with its explanation."""

    question: str
    outcome: str
    modality: str
    text: str
    decided_by: str | None
    possible: list[str]
    depends_on: list[str]
    unsettled: list[str]
    reasons: list[Reason]
    trace: DecisionTrace = field(repr=False)

    @property
    def rests_on_unconfirmed(self) -> list[str]:
        """Reasons on the path to this outcome that cite only unconfirmed points."""
        return [
            reason.text
            for reason in self.reasons
            if reason.citations
            and all(confidence_of(c) is Confidence.UNCONFIRMED for c in reason.citations)
        ]


@dataclass
class Determination:
    at: dt.datetime
    regime: str | None
    timeline: str
    outcomes: dict[str, OutcomeResult]
    # What would change each outcome; computed on request (it re-runs the rules many times).
    what_would_change: dict[str, list[Counterfactual]] | None = None


def _relevant_children(trace: Trace) -> list[Trace]:
    """The children that explain a value, and no more: for a false AND what failed ("why
    not"), for a true OR what held, for a base rule the exception that applied, for an unknown
    the unknown parts."""
    children = [c for c in trace.children if c.kind != "term"]
    if trace.kind == "exception" and trace.value is False:
        return []  # an exception that does not apply needs no detail
    if trace.value is None:
        return [c for c in children if c.value is None]
    if trace.op == "default":
        base, exceptions = children[0], children[1:]
        applied = [e for e in exceptions if e.value is True]
        return applied if applied else ([base, *exceptions] if trace.value else [base])
    if trace.op == "all" and trace.value is False:
        return [c for c in children if c.value is False]
    if trace.op == "any" and trace.value is True:
        return [c for c in children if c.value is True][:1]
    return children


def _reasons(trace: Trace, depth: int = 0) -> list[Reason]:
    lines = [Reason(trace.label, trace.value, trace.citations, trace.note, depth, trace)]
    for child in _relevant_children(trace):
        lines += _reasons(child, depth + 1)
    return lines


def _result(question: str, trace: DecisionTrace) -> OutcomeResult:
    reasons: list[Reason] = []
    for branch, branch_trace in trace.branches:
        if trace.otherwise is not None and branch_trace.label == trace.otherwise.label:
            continue  # the fallback's explanation below says the same, in full
        if branch_trace.value is False and branch is not trace.decided_by:
            # Branches passed over: one line each, unless they are the decisive "why not".
            reasons.append(
                Reason(
                    f"not {branch.name}: {branch_trace.label}",
                    False,
                    branch.citations,
                    "",
                    0,
                    branch_trace,
                )
            )
            continue
        reasons += _reasons(branch_trace)
    if trace.otherwise is not None:
        reasons += _reasons(trace.otherwise)
    if trace.outcome is not None:
        outcome = trace.outcome
        decided = trace.decided_by
        if decided is not None and decided.citations:
            reasons.append(Reason(outcome.text, True, decided.citations, "", 0))
        return OutcomeResult(
            question,
            outcome.code,
            outcome.modality.value,
            outcome.text,
            decided.name if decided else None,
            [o.code for o in trace.possible],
            [],
            [],
            reasons,
            trace,
        )
    code = LEGAL_UNCERTAIN if trace.unsettled else DEPENDS_ON
    text = "depends on " + ", ".join(sorted(trace.depends_on | trace.unsettled))
    return OutcomeResult(
        question,
        code,
        "depends on",
        text,
        None,
        [o.code for o in trace.possible],
        sorted(trace.depends_on),
        sorted(trace.unsettled),
        reasons,
        trace,
    )


class DeterminationError(ValueError):
    """A determination that cannot be made: names the option or fact at fault."""


def resolve_instant(
    case: Case, at: dt.datetime | None, regime: str | None
) -> tuple[dt.datetime, Timeline, Regime | None]:
    """The instant and timeline to evaluate at, from --at, --regime and the case itself."""
    chosen = regime_named(regime) if regime else None
    timeline = timeline_named(chosen.timeline) if chosen and chosen.timeline else actual_timeline()
    own = case.determination_datetime
    if at is None:
        if chosen is not None:
            at = own if own is not None and chosen.contains(own) else chosen.start
        elif own is not None:
            at = own
        else:
            raise DeterminationError(
                "no instant to decide at: the case has no determination_datetime; give one, or "
                "--at INSTANT, or --regime NAME"
            )
    if chosen is not None and chosen.timeline is None and not chosen.contains(at):
        raise DeterminationError(
            f"--at {show(at)} is outside the regime {chosen.id} "
            f"[{show(chosen.start)}, {show(chosen.end) if chosen.end else '…'})"
        )
    if case.last_entry_date is not None and instant_date(at) < case.last_entry_date:
        raise DeterminationError(
            f"the instant {show(at)} is before the case's last_entry_date "
            f"{case.last_entry_date}: decide at or after the entry"
        )
    return at, timeline, chosen


def determine(
    case: Case,
    at: dt.datetime | None = None,
    regime: str | None = None,
    counterfactuals: bool = False,
) -> Determination:
    """Explain every question for one case at an instant (default: its determination instant),
    and, if asked, what would change each outcome."""
    at, timeline, chosen = resolve_instant(case, at, regime)
    determination = determine_at(case, at, timeline, chosen)
    if counterfactuals:
        determination.what_would_change = all_counterfactuals(case, determination.at, timeline)
    return determination


def determine_at(
    case: Case, at: dt.datetime, timeline: Timeline, chosen: Regime | None = None
) -> Determination:
    law = LawAt(at, timeline)
    facts = case.facts()
    outcomes = {
        question: _result(question, decision.explain(facts, law))
        for question, decision in QUESTIONS.items()
    }
    named = chosen if chosen is not None and chosen.contains(at) else regime_at(at)
    return Determination(law.at, named.id if named else None, timeline.name, outcomes)


def compare(case: Case) -> list[Determination]:
    """The same case in every regime, side by side.

    Each column moves the whole case in time so that its determination falls at the regime's
    first instant (or at the case's own instant, in the regime that contains it); durations —
    presence, age, days since entry — are unchanged.
    """
    own = case.determination_datetime
    if own is None:
        raise CaseError(
            "compare needs the case's determination_datetime, to know how to move the case "
            "between regimes"
        )
    results = []
    for regime in regimes().values():
        at = own if regime.contains(own) else regime.start
        timeline = timeline_named(regime.timeline) if regime.timeline else actual_timeline()
        results.append(determine_at(case.shifted(at - own), at, timeline, regime))
    return results


# ---------------------------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------------------------


def _reason_json(reason: Reason) -> dict[str, Any]:
    return {
        "reason": reason.text,
        "holds": reason.holds,
        "depth": reason.depth,
        "note": reason.note,
        "citations": [as_dict(c) for c in reason.citations],
    }


def _counterfactual_json(counterfactual: Counterfactual) -> dict[str, Any]:
    change = counterfactual.change
    return {
        "change": {name: _jsonable(value) for name, value in change.facts},
        "at": change.at.isoformat() if change.at else None,
        "description": change.describe(),
        "because": change.why,
        "outcome": counterfactual.outcome,
        "outcome_text": counterfactual.text,
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, frozenset | set):
        return sorted(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def to_json(determination: Determination) -> dict[str, Any]:
    """The stable JSON schema (docs/json-schema.md)."""
    changes = determination.what_would_change or {}
    return {
        "schema_version": SCHEMA_VERSION,
        "at": determination.at.isoformat(),
        "regime": determination.regime,
        "timeline": determination.timeline,
        "outcomes": [
            {
                "question": r.question,
                "outcome": r.outcome,
                "modality": r.modality,
                "text": r.text,
                "decided_by": r.decided_by,
                "possible_outcomes": r.possible,
                "depends_on": r.depends_on,
                "legal_questions_open": r.unsettled,
                "rests_on_unconfirmed": r.rests_on_unconfirmed,
                "reasons": [_reason_json(reason) for reason in r.reasons],
                "what_would_change": (
                    [_counterfactual_json(c) for c in changes[r.question]]
                    if r.question in changes
                    else None
                ),
            }
            for r in determination.outcomes.values()
        ],
        "notice": NOTICE,
    }


# ---------------------------------------------------------------------------------------------
# Many cases at once
# ---------------------------------------------------------------------------------------------


def compile_questions(
    at: dt.datetime | str, timeline: Timeline | None = None
) -> tuple[list[list[pl.Expr]], dict[str, pl.Expr]]:
    """Each question as a Polars expression giving the outcome code per row (null: depends),
    with the stages of helper columns (shared sub-rules, then branch conditions) they read.
    ``at`` is one instant for every row, or the name of a column of per-row instants."""
    law = LawPerRow(at, timeline) if isinstance(at, str) else LawAt(at, timeline)
    return compile_with(law)


def compile_with(law: Context) -> tuple[list[list[pl.Expr]], dict[str, pl.Expr]]:
    """The questions compiled against a given context (see compile_questions)."""
    stages = shared_stages(QUESTIONS.values(), law)
    branches: list[pl.Expr] = []
    candidates: list[pl.Expr] = []
    outcomes: dict[str, pl.Expr] = {}
    for question, decision in QUESTIONS.items():
        conditions, candidate, outcome = decision.compile(law)
        branches += conditions
        candidates.append(candidate)
        outcomes[question] = outcome.alias(question)
    first = law.key_stage()
    return [stage for stage in (first, *stages, branches, candidates) if stage], outcomes


def determine_frame(
    frame: pl.DataFrame | pl.LazyFrame,
    at: dt.datetime | str,
    timeline: Timeline | None = None,
    questions: Sequence[str] | None = None,
    keep: Sequence[str] = (),
) -> pl.DataFrame:
    """The outcome of every question (or of ``questions``) for every row (a frame of Case
    facts), at one instant or, if ``at`` names a column of instants, each row at its own;
    ``keep`` names input columns to return beside the outcomes. Asking fewer questions lets
    Polars skip the sub-rules and facts only the others read."""
    stages, outcomes = compile_questions(at, timeline)
    unknown = sorted(set(questions or ()) - set(outcomes))
    if unknown:
        raise ValueError(f"no question {', '.join(unknown)}; valid: {', '.join(outcomes)}")
    lazy = frame.lazy()
    for stage in stages:
        lazy = lazy.with_columns(stage)
    asked = [outcomes[q] for q in questions] if questions else list(outcomes.values())
    return lazy.select(*keep, *asked).collect()
