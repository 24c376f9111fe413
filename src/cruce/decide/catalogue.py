"""Documentation generated from the code, so that it cannot drift: the facts reference, the rule
catalogue, and the coverage registry (every rule and dated row with its verification status)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cruce.decide.notice import NOTICE
from cruce.engine.logic import Blocked, Branch, Cite, Confidence, InForce, Unsettled, rule_nodes
from cruce.facts.case import FACT_KINDS, FactKind, enum_of
from cruce.law import QUESTIONS
from cruce.law.citations import citation_text, confidence_of, resolve
from cruce.law.timeline import DatedRow, actual_timeline, hypotheticals, regimes

DESCRIPTIONS = {
    FactKind.BOOL: "true / false",
    FactKind.INT: "whole number ≥ 0",
    FactKind.FLOAT: "number ≥ 0",
    FactKind.DATE: "calendar date YYYY-MM-DD",
    FactKind.INSTANT: "date-time with UTC offset (a bare date = 00:00 US Eastern)",
}
ORDER = [Confidence.UNCONFIRMED, Confidence.SECONDARY, Confidence.CONFIRMED]


def valid_values(name: str) -> str:
    """The valid values of a fact, in words."""
    kind = FACT_KINDS[name]
    enum_type = enum_of(name)
    if enum_type is not None:
        return ", ".join(member.value for member in enum_type)
    if kind in (FactKind.ENUM, FactKind.SET):
        return "ISO 3166-1 alpha-2 country codes" + (" (a list)" if kind is FactKind.SET else "")
    return DESCRIPTIONS[kind]


def facts_markdown() -> str:
    """docs/facts.md: every fact a case may state."""
    lines = [
        "# Case facts",
        "",
        "Generated from `src/cruce/facts.py` by `cruce facts --markdown`; do not edit by hand.",
        "Names follow Cruce's legal notes (docs/law/). Any fact may be omitted or written",
        "`unknown`: it is then unknown, never defaulted. Records are flattened: `parole.granted`",
        "is `parole_granted`, `prior_removal_order.exists` is `prior_removal_order_exists`",
        "(the nested form is accepted on input). `convictions` may be given as a list of records",
        "(date, is_felony_in_convicting_jurisdiction, is_aggravated_felony_101a43,",
        "element_active_gang_participation_18usc521a, immigration_status_essential_element,",
        "is_misdemeanor, category, custodial_sentence_days_excluding_suspended, incident_id),",
        "which fills the `convicted_of_*` and `misdemeanor_incidents_*` summary facts.",
        "",
        "| fact | type | valid values |",
        "|---|---|---|",
    ]
    for name, kind in FACT_KINDS.items():
        lines.append(f"| `{name}` | {kind.value} | {valid_values(name)} |")
    return "\n".join(lines) + "\n"


# --- the rule catalogue ----------------------------------------------------------------------


@dataclass
class RuleEntry:
    """One row of a decision table, as the catalogue and the coverage registry show it."""

    question: str
    branch: Branch
    citations: list[Cite]  # the rule's own: its row and its condition
    unconfirmed: list[Cite]  # unconfirmed points anywhere beneath it
    keys: list[str]
    open_questions: list[str]

    @property
    def status(self) -> Confidence:
        """The weakest confidence among the citations the rule rests on."""
        levels = [confidence_of(c) for c in self.citations] or [Confidence.UNCONFIRMED]
        return min(levels, key=ORDER.index)


def rule_entries() -> list[RuleEntry]:
    entries = []
    for question, decision in QUESTIONS.items():
        for branch in (*decision.branches, decision.otherwise):
            nodes = rule_nodes(branch.condition)
            own = list(dict.fromkeys([*branch.citations, *branch.condition.citations]))
            beneath = dict.fromkeys(c for n in nodes for c in n.citations)
            unconfirmed = [c for c in beneath if confidence_of(c) is Confidence.UNCONFIRMED]
            keys = sorted({n.key for n in nodes if isinstance(n, InForce | Blocked)})
            questions = sorted({n.question for n in nodes if isinstance(n, Unsettled)})
            entries.append(RuleEntry(question, branch, own, unconfirmed, keys, questions))
    return entries


def _rows_for(key: str) -> list[DatedRow]:
    return [r for r in actual_timeline().rows() if r.key == key]


def regimes_where(key: str) -> list[str]:
    """The named regimes during which an instrument of this key is in force for some time."""
    instruments = [r for r in actual_timeline().instruments if r.key == key]
    names = []
    for regime in regimes().values():
        if regime.timeline is not None:
            continue
        for row in instruments:
            end = row.end or dt.datetime.max.replace(tzinfo=dt.UTC)
            regime_end = regime.end or dt.datetime.max.replace(tzinfo=dt.UTC)
            if row.start < regime_end and regime.start < end:
                names.append(regime.id)
                break
    return names


def _cite_md(citation: Cite) -> str:
    source = resolve(citation)
    pin = f" {citation.pinpoint}" if citation.pinpoint else ""
    return citation_text(citation, label=f"[{citation.source}]({source.url}){pin}")


def _sentence(entry: RuleEntry) -> str:
    text = entry.branch.outcome.text
    if entry.branch is QUESTIONS[entry.question].otherwise:
        return f"Otherwise (no row above holds): {text}."
    return f"If **{entry.branch.condition.label}**: {text}."


def rules_markdown() -> str:
    """docs/rules.md: every rule in plain words, its citations, regimes and open questions."""
    lines = [
        "# Rule catalogue",
        "",
        "Generated from `src/cruce/law/` by `cruce catalogue`; do not edit by hand. Each",
        "question is an ordered decision table: the first row whose condition holds gives the",
        "outcome; the last row applies when none does. Confidence is the source's tag: confirmed",
        "in a primary text, secondary source only, or unconfirmed.",
        f"*{NOTICE}*",
        "",
    ]
    current = None
    for entry in rule_entries():
        if entry.question != current:
            current = entry.question
            lines += [f"## {current.replace('_', ' ').capitalize()}", ""]
        outcome = entry.branch.outcome
        lines += [
            f"### {entry.branch.name} → `{outcome.code}` ({outcome.modality.value})",
            "",
            _sentence(entry),
            "",
            f"- Verification: **{entry.status.value}**",
            "- Citations: " + "; ".join(_cite_md(c) for c in entry.citations),
        ]
        if entry.unconfirmed:
            lines.append(
                "- Rests in part on unconfirmed points: "
                + "; ".join(_cite_md(c) for c in entry.unconfirmed)
            )
        every = [r.id for r in regimes().values() if r.timeline is None]
        for key in entry.keys:
            found = regimes_where(key)
            during = "every regime" if found == every else ", ".join(found) or "no named regime"
            rows = ", ".join(f"{r.id} {r.interval()}" for r in _rows_for(key))
            lines.append(f"- Dated: `{key}` — {rows}; regimes: {during}")
        for question in entry.open_questions:
            lines.append(f"- Open question: {question}")
        lines.append("")
    return "\n".join(lines)


# --- the coverage registry -------------------------------------------------------------------


def coverage_rows() -> list[tuple[str, str, str, str]]:
    """(kind, id, what, verification) for every rule and every dated row."""
    rows = [
        ("rule", f"{e.question}: {e.branch.name}", e.branch.outcome.code, e.status.value)
        for e in rule_entries()
    ]
    dated = list(actual_timeline().rows())
    dated += [row for h in hypotheticals().values() for row in h.rows]
    for row in dated:
        rows.append(("dated row", row.id, f"{row.key} {row.interval()}", row.confidence.value))
    return rows


def coverage_markdown() -> str:
    """docs/coverage.md: the coverage registry."""
    counts: dict[str, int] = {}
    for _, _, _, status in coverage_rows():
        counts[status] = counts.get(status, 0) + 1
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    lines = [
        "# Coverage registry",
        "",
        "Generated by `cruce coverage --markdown`; do not edit by hand. Every rule (a row of a",
        "decision table) and every dated row, with its verification status from the sources'",
        f"confidence tags (a rule takes its weakest citation's). Totals: {summary}.",
        "",
        "| kind | id | what | verification |",
        "|---|---|---|---|",
    ]
    lines += [f"| {k} | {i} | `{w}` | {s} |" for k, i, w, s in coverage_rows()]
    return "\n".join(lines) + "\n"
