"""The reference pages: the regimes timeline, the rule catalogue, and the data sources —
generated from the same tables and rules as everything else, every item with its source. Each
is a template (``templates/timeline.html``, ``rules.html``, ``sources.html``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cruce.decide.catalogue import regimes_where, rule_entries
from cruce.engine.logic import Cite
from cruce.law.citations import citation_text, resolve
from cruce.law.timeline import LawAt, actual_timeline, regimes, timeline_named
from cruce.population.calibration import TABLES, load_table
from cruce.web.render import render


def cited(citation: Cite) -> dict[str, str]:
    """A citation for the ``cite`` macro: the link to its source and its confidence tag."""
    source = resolve(citation)
    tag = citation_text(citation, label="")  # " [confidence]": the link carries the label
    return {"url": source.url, "title": source.title, "label": str(citation), "tag": tag}


def _all_cited(citations: Iterable[Cite]) -> list[dict[str, str]]:
    return [cited(c) for c in citations]


MARK = {
    True: {"css": "yes", "text": "in force"},
    False: {"css": "no", "text": "—"},
    None: {"css": "maybe", "text": "unsettled"},
}
KEYS = {
    "er_designation_sea": "2002 sea",
    "er_designation_land_2004": "2004 land",
    "er_designation_full": "full scope",
    "mpp_2019_policy": "MPP 2019",
    "mpp_2021_policy": "MPP 2021",
    "mpp_2025_restart": "MPP 2025",
}


def timeline_page() -> str:
    """The named regimes with what was in force, and every dated row with its sources."""
    rows: list[dict[str, Any]] = []
    for regime in regimes().values():
        timeline = timeline_named(regime.timeline) if regime.timeline else actual_timeline()
        law = LawAt(regime.start, timeline)
        rows.append(
            {
                "id": regime.id,
                "start": regime.start.date(),
                "end": regime.end.date().isoformat() if regime.end else "—",
                "marks": [MARK[law.in_force(k)] for k in KEYS],
                "title": regime.title,
                "sources": _all_cited(c.cite() for c in regime.citations),
            }
        )
    dated = [
        {
            "id": r.id,
            "key": r.key,
            "interval": r.interval(),
            "effect": r.effect or "",
            "title": r.title,
            "sources": _all_cited(r.cites()),
        }
        for r in actual_timeline().rows()
    ]
    return render("timeline.html", heads=KEYS.values(), regimes=rows, dated=dated)


def rules_page() -> str:
    """Every rule of every question, its verification, citations, regimes and open questions."""
    entries = [
        {
            "question": entry.question,
            "rule": entry.branch.name,
            "code": entry.branch.outcome.code,
            "modality": entry.branch.outcome.modality.value,
            "when": entry.branch.condition.label,
            "status": entry.status.value,
            "citations": _all_cited(entry.citations),
            "during": [(k, ", ".join(regimes_where(k)) or "—") for k in entry.keys],
            "open_questions": entry.open_questions,
        }
        for entry in rule_entries()
    ]
    return render("rules.html", entries=entries)


def sources_page() -> str:
    """The public statistics shipped with Cruce, each table with its sources."""
    tables = []
    for name, schema in TABLES.items():
        table = load_table(name)
        sources = table.select("source", "source_url").unique().sort("source")
        tables.append(
            {"name": name, "title": schema.title, "rows": table.height, "sources": sources.rows()}
        )
    return render("sources.html", tables=tables)
