"""The case screener page: it asks only for facts that can still change an answer.

Each round decides the case with what is known, collects the unknown facts the undecided
answers depend on (the explainer's "depends on", i.e. the rules' dependency graph), and asks for
the ones most answers wait on. Facts given so far travel in the form itself (hidden fields): the
server keeps nothing. The page is ``templates/screener.html``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from cruce.decide.determination import Determination, compare, determine
from cruce.engine.logic import FactKind, show
from cruce.facts.case import FACT_KINDS, CaseError, enum_of, parse_case
from cruce.law.citations import citations_text
from cruce.web.render import render

QUESTIONS_AT_ONCE = 6
MARKS = {True: "✓", False: "✗", None: "?"}


def _question(name: str) -> dict[str, Any]:
    """A labelled control for one fact, by its type."""
    kind = FACT_KINDS[name]
    label = name.replace("_", " ")
    choices = enum_of(name)
    if kind is FactKind.BOOL:
        return {"name": name, "label": label, "kind": "bool"}
    if choices is not None and kind is not FactKind.SET:
        return {
            "name": name,
            "label": label,
            "kind": "select",
            "choices": [m.value for m in choices],
        }
    types = {FactKind.DATE: "date", FactKind.INT: "number", FactKind.FLOAT: "number"}
    hint = {
        FactKind.SET: " (ISO codes, comma-separated)",
        FactKind.ENUM: " (ISO code)",
        FactKind.INSTANT: " (e.g. 2025-01-21T18:00:00-05:00)",
    }.get(kind, "")
    return {
        "name": name,
        "label": label,
        "kind": "input",
        "hint": hint,
        "type": types.get(kind, "text"),
        "number": kind in (FactKind.INT, FactKind.FLOAT),
    }


def _cards(determination: Determination) -> list[dict[str, Any]]:
    cards = []
    for result in determination.outcomes.values():
        unknown = ", ".join(result.depends_on + result.unsettled)
        changes = (determination.what_would_change or {}).get(result.question, [])
        cards.append(
            {
                "question": result.question.replace("_", " "),
                "outcome": result.outcome,
                "modality": result.modality,
                "text": "undecided: it turns on what is still unknown" if unknown else result.text,
                "reasons": [
                    {"mark": MARKS[r.holds], "text": r.text, "cites": citations_text(r.citations)}
                    for r in result.reasons
                    if r.depth <= 1 and r.text
                ],
                "unknown": unknown,
                "would": [(c.change.describe(), c.outcome) for c in changes[:4]],
            }
        )
    return cards


def _regime_card(result: Determination) -> dict[str, Any]:
    """One regime's result card: each question's answer, why (with citations), what is unknown."""
    name = result.regime or "no named regime"
    if result.timeline != "actual":
        name += " (hypothetical)"
    outcomes = []
    for outcome in result.outcomes.values():
        why = "; ".join(
            r.text + (f" ({citations_text(r.citations)})" if r.citations else "")
            for r in outcome.reasons
            if r.depth == 1 and r.text
        )
        outcomes.append(
            {
                "question": outcome.question.replace("_", " "),
                "outcome": outcome.outcome,
                "modality": outcome.modality,
                "unknown": ", ".join(outcome.depends_on + outcome.unsettled),
                "why": why,
            }
        )
    return {"name": name, "at": show(result.at), "outcomes": outcomes}


def _next_facts(determination: Determination, given: dict[str, Any]) -> list[str]:
    """The unknown facts most undecided answers depend on, most-needed first."""
    counts: Counter[str] = Counter()
    for result in determination.outcomes.values():
        counts.update(f for f in result.depends_on if f not in given)
    return [name for name, _ in counts.most_common(QUESTIONS_AT_ONCE)]


def page(form: dict[str, str] | None = None) -> str:
    """The screener for the facts given so far (none on the first visit)."""
    form = {k: v for k, v in (form or {}).items() if v not in ("", "unknown")}
    at_text = form.pop("decide_at", dt.date.today().isoformat())
    error = ""
    result = None
    asked: list[str] = []
    try:
        case = parse_case({**form, "determination_datetime": at_text}, "your answers")
        determination = determine(case, counterfactuals=True)
        result = {
            "at": show(determination.at),
            "regime": determination.regime or "no named regime",
            "cards": _cards(determination),
            "regimes": [_regime_card(r) for r in compare(case)],
        }
        asked = _next_facts(determination, form)
    except (CaseError, ValueError) as problem:
        error = str(problem)
    return render(
        "screener.html",
        error=error,
        known=", ".join(f"{k} = {v}" for k, v in form.items()) or "nothing yet",
        result=result,
        hidden=form.items(),
        decide_at=at_text[:10],
        questions=[_question(name) for name in asked],
    )
