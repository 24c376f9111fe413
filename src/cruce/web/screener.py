"""The case screener page: it asks only for facts that can still change an answer.

Each round decides the case with what is known, collects the unknown facts the undecided
answers depend on (the explainer's "depends on", i.e. the rules' dependency graph), and asks for
the ones most answers wait on. Facts given so far travel in the form itself (hidden fields): the
server keeps nothing.
"""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter
from typing import Any

from cruce.decide.determination import Determination, compare, determine
from cruce.engine.logic import FactKind, show
from cruce.facts.case import FACT_KINDS, CaseError, enum_of, parse_case
from cruce.law.citations import citations_text
from cruce.web.pages import NAV

QUESTIONS_AT_ONCE = 6
NOTICE = "Information about the law, not legal advice."
STYLE = """
body { font-family: system-ui, sans-serif; max-width: 62rem; margin: 1.5rem auto; padding: 0 1rem;
       line-height: 1.5; color: #1b1b1b; }
.notice { border-left: 4px solid #b3261e; background: #fdf0ef; padding: .6rem 1rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(17rem, 1fr)); gap: .8rem; }
.card { border: 1px solid #ccc; border-radius: 6px; padding: .6rem .9rem;
        overflow-wrap: anywhere; }
.card h3 { margin: .2rem 0; font-size: 1rem; } .code { font-weight: 700; font-family: monospace; }
.why { font-size: .9rem; } .cite { color: #555; font-size: .8rem; }
fieldset { border: 1px solid #ccc; margin: .6rem 0; } label { margin-right: 1rem; }
.error { color: #b3261e; font-weight: 600; }
.regimes-row { display: grid; grid-auto-flow: column; grid-auto-columns: minmax(16rem, 1fr);
               gap: .6rem; overflow-x: auto; padding-bottom: .5rem; }
.regime ul { padding-left: 1rem; font-size: .85rem; } .regime li { margin: .25rem 0; }
button { margin-top: 1rem; font-size: 1rem; padding: .5rem 1.2rem; }
:focus { outline: 3px solid #1a73e8; }
"""


def _input(name: str) -> str:
    """A labelled control for one fact, by its type."""
    kind = FACT_KINDS[name]
    label = html.escape(name.replace("_", " "))
    choices = enum_of(name)
    if kind is FactKind.BOOL:
        options = "".join(
            f'<label><input type="radio" name="{name}" value="{v}"> {v}</label>'
            for v in ("true", "false", "unknown")
        )
        return f"<fieldset><legend>{label}</legend>{options}</fieldset>"
    if choices is not None and kind is not FactKind.SET:
        options = "".join(f'<option value="{m.value}">{m.value}</option>' for m in choices)
        return (
            f'<p><label for="{name}">{label}</label> <select id="{name}" name="{name}">'
            f'<option value="">unknown</option>{options}</select></p>'
        )
    types = {FactKind.DATE: "date", FactKind.INT: "number", FactKind.FLOAT: "number"}
    hint = {
        FactKind.SET: " (ISO codes, comma-separated)",
        FactKind.ENUM: " (ISO code)",
        FactKind.INSTANT: " (e.g. 2025-01-21T18:00:00-05:00)",
    }.get(kind, "")
    step = ' step="any" min="0"' if kind in (FactKind.INT, FactKind.FLOAT) else ""
    return (
        f'<p><label for="{name}">{label}{html.escape(hint)}</label> '
        f'<input id="{name}" name="{name}" type="{types.get(kind, "text")}"{step}></p>'
    )


def _card(determination: Determination) -> str:
    parts = []
    for result in determination.outcomes.values():
        reasons = "".join(
            f"<li>{'✓' if r.holds else '✗' if r.holds is False else '?'} "
            f"{html.escape(r.text)}"
            + (
                f' <span class="cite">({html.escape(citations_text(r.citations))})</span>'
                if r.citations
                else ""
            )
            + "</li>"
            for r in result.reasons
            if r.depth <= 1 and r.text
        )
        unknown = ", ".join(result.depends_on + result.unsettled)
        text = "undecided: it turns on what is still unknown" if unknown else result.text
        changes = (determination.what_would_change or {}).get(result.question, [])
        would = "".join(
            f"<li>{html.escape(c.change.describe())} → "
            f'<span class="code">{html.escape(c.outcome)}</span></li>'
            for c in changes[:4]
        )
        parts.append(
            f'<div class="card"><h3>{html.escape(result.question.replace("_", " "))}</h3>'
            f'<p><span class="code">{html.escape(result.outcome)}</span> '
            f"({html.escape(result.modality)}) — {html.escape(text)}</p>"
            f'<details class="why"><summary>Why</summary><ul>{reasons}</ul></details>'
            + (f"<p><strong>Still unknown:</strong> {html.escape(unknown)}</p>" if unknown else "")
            + (
                f'<details class="why"><summary>What would change it</summary><ul>{would}</ul>'
                "</details>"
                if would
                else ""
            )
            + "</div>"
        )
    return '<div class="cards">' + "".join(parts) + "</div>"


def _regime_card(result: Determination) -> str:
    """One regime's result card: each question's answer, why (with citations), what is unknown."""
    name = html.escape(result.regime or "no named regime")
    if result.timeline != "actual":
        name += " (hypothetical)"
    rows = []
    for outcome in result.outcomes.values():
        unknown = outcome.depends_on + outcome.unsettled
        why = "; ".join(
            html.escape(r.text)
            + (f" ({html.escape(citations_text(r.citations))})" if r.citations else "")
            for r in outcome.reasons
            if r.depth == 1 and r.text
        )
        rows.append(
            f"<li>{html.escape(outcome.question.replace('_', ' '))}: "
            f'<span class="code">{html.escape(outcome.outcome)}</span> '
            f"({html.escape(outcome.modality)})"
            + (f"<br><em>unknown:</em> {html.escape(', '.join(unknown))}" if unknown else "")
            + (f'<details class="why"><summary>Why</summary>{why}</details>' if why else "")
            + "</li>"
        )
    return (
        f'<div class="card regime" role="listitem"><h3>{name}</h3><p class="cite">decided at '
        f"{html.escape(show(result.at))}</p><ul>{''.join(rows)}</ul></div>"
    )


def _side_by_side(case) -> str:
    """The same person in every regime (``cruce compare``): a result card per regime."""
    cards = "".join(_regime_card(result) for result in compare(case))
    return (
        "<h2>The same person in every regime</h2><p>2014–2026 and the 2017 hypothetical: the "
        "whole case moved in time, durations unchanged.</p>"
        f'<div class="regimes-row" role="list">{cards}</div>'
    )


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
    error = regimes_table = ""
    determination = None
    try:
        case = parse_case({**form, "determination_datetime": at_text}, "your answers")
        determination = determine(case, counterfactuals=True)
        regimes_table = _side_by_side(case)
    except (CaseError, ValueError) as problem:
        error = f'<p class="error" role="alert">{html.escape(str(problem))}</p>'
    hidden = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
        for k, v in form.items()
    )
    asked = _next_facts(determination, form) if determination else []
    questions = "".join(_input(name) for name in asked)
    result = ""
    if determination is not None:
        result = (
            f"<h2>At {html.escape(show(determination.at))} "
            f"({html.escape(determination.regime or 'no named regime')})</h2>"
            + _card(determination)
            + regimes_table
        )
    known = ", ".join(f"{k} = {v}" for k, v in form.items()) or "nothing yet"
    ask = (
        "<h2>What would decide it</h2><p>These facts can still change an answer; "
        "leave any you do not know.</p>" + questions
        if asked
        else "<p>Every answer is decided by the facts given.</p>"
    )
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cruce — case screener</title><style>{STYLE}</style></head><body>{NAV}<main>
<h1>Case screener</h1>
<p class="notice"><strong>{NOTICE}</strong> Nothing you enter is stored.</p>
{error}
<p><strong>Known so far:</strong> {html.escape(known)}</p>
{result}
<form method="post" action="/screener">
{hidden}
<p><label for="decide_at">Decide at (date)</label>
<input id="decide_at" name="decide_at" type="date" value="{html.escape(at_text[:10])}"></p>
{ask}
<button type="submit">Update the answer</button>
</form></main></body></html>"""
