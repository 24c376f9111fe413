"""The reference pages: the regimes timeline, the rule catalogue, and the data sources —
generated from the same tables and rules as everything else, every item with its source."""

from __future__ import annotations

import html

from cruce.decide.catalogue import regimes_where, rule_entries
from cruce.engine.logic import Cite
from cruce.law.citations import citation_text, resolve
from cruce.law.timeline import LawAt, actual_timeline, regimes, timeline_named
from cruce.population.calibration import TABLES, load_table

NOTICE = "Information about the law, not legal advice."
NAV = (
    '<nav aria-label="Cruce"><a href="/screener">Screener</a> · <a href="/audit">Audit</a> · '
    '<a href="/scenarios">Scenarios</a> · <a href="/timeline">Timeline</a> · '
    '<a href="/rules">Rules</a> · '
    '<a href="/sources">Data sources</a> · <a href="/openapi.json">API</a></nav>'
)
STYLE = """
body { font-family: system-ui, sans-serif; max-width: 72rem; margin: 1.5rem auto; padding: 0 1rem;
       line-height: 1.45; color: #1b1b1b; }
.notice { border-left: 4px solid #b3261e; background: #fdf0ef; padding: .6rem 1rem; }
table { border-collapse: collapse; width: 100%; font-size: .85rem; margin: .8rem 0; }
td, th { border: 1px solid #ddd; padding: .25rem .45rem; vertical-align: top; text-align: left; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
.scroll { overflow-x: auto; } :focus { outline: 3px solid #1a73e8; }
code { font-size: .85em; }
.yes { color: #1e7b34; } .no { color: #b3261e; } .maybe { color: #8a6d00; }
"""


def _page(title: str, body: str) -> str:
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cruce — {html.escape(title)}</title><style>{STYLE}</style></head><body>{NAV}<main>
<h1>{html.escape(title)}</h1><p class="notice"><strong>{NOTICE}</strong></p>{body}</main>
</body></html>"""


def _cite(citation: Cite) -> str:
    source = resolve(citation)
    link = (
        f'<a href="{html.escape(source.url)}" title="{html.escape(source.title)}">'
        f"{html.escape(str(citation))}</a>"
    )
    return citation_text(citation, label=link)


MARK = {
    True: '<span class="yes">in force</span>',
    False: '<span class="no">—</span>',
    None: '<span class="maybe">unsettled</span>',
}


def timeline_page() -> str:
    """The named regimes with what was in force, and every dated row with its sources."""
    keys = {
        "er_designation_sea": "2002 sea",
        "er_designation_land_2004": "2004 land",
        "er_designation_full": "full scope",
        "mpp_2019_policy": "MPP 2019",
        "mpp_2021_policy": "MPP 2021",
        "mpp_2025_restart": "MPP 2025",
    }
    head = "".join(f"<th>{html.escape(v)}</th>" for v in keys.values())
    rows = []
    for regime in regimes().values():
        timeline = timeline_named(regime.timeline) if regime.timeline else actual_timeline()
        law = LawAt(regime.start, timeline)
        cells = "".join(f"<td>{MARK[law.in_force(k)]}</td>" for k in keys)
        end = regime.end.date().isoformat() if regime.end else "—"
        sources = ", ".join(_cite(c.cite()) for c in regime.citations)
        rows.append(
            f'<tr><th scope="row">{html.escape(regime.id)}</th>'
            f"<td>{regime.start.date()}</td><td>{end}</td>{cells}"
            f"<td>{html.escape(regime.title)}</td><td>{sources}</td></tr>"
        )
    dated = "".join(
        f"<tr><td><code>{html.escape(r.id)}</code></td><td>{html.escape(r.key)}</td>"
        f"<td>{html.escape(r.interval())}</td><td>{html.escape(r.effect or '')}</td>"
        f"<td>{html.escape(r.title)}</td><td>{', '.join(_cite(c) for c in r.cites())}</td></tr>"
        for r in actual_timeline().rows()
    )
    return _page(
        "Timeline of the regimes, 2014–2026",
        f"""
<div class="scroll"><table><caption>Regimes and what was in force at their start
</caption><thead><tr><th>regime</th><th>from</th><th>until</th>{head}<th>what changed</th>
<th>sources</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div>
<div class="scroll"><table><caption>Every dated row: instruments, court orders, events and
resourcing directives</caption><thead><tr><th>id</th><th>concerns</th><th>in force</th>
<th>effect</th><th>what</th><th>sources</th></tr></thead><tbody>{dated}</tbody></table></div>""",
    )


def rules_page() -> str:
    """Every rule of every question, its verification, citations, regimes and open questions."""
    rows = []
    for entry in rule_entries():
        outcome = entry.branch.outcome
        during = "; ".join(
            f"{html.escape(k)}: {', '.join(regimes_where(k)) or '—'}" for k in entry.keys
        )
        rows.append(
            f"<tr><td>{html.escape(entry.question)}</td><td>{html.escape(entry.branch.name)}</td>"
            f"<td><code>{html.escape(outcome.code)}</code> ({html.escape(outcome.modality.value)})"
            f"</td><td>{html.escape(entry.branch.condition.label)}</td>"
            f"<td>{html.escape(entry.status.value)}</td>"
            f"<td>{'; '.join(_cite(c) for c in entry.citations)}</td>"
            f"<td>{during}</td>"
            f"<td>{'<br>'.join(html.escape(q) for q in entry.open_questions)}</td></tr>"
        )
    return _page(
        "Rule catalogue",
        f"""<p>Each question is an ordered decision table: the first
row whose condition holds gives the outcome. Verification is the weakest confidence of the
rule's own citations (confirmed in a primary text, secondary source, unconfirmed).</p>
<div class="scroll"><table><caption>Every rule</caption><thead><tr><th>question</th>
<th>rule</th><th>outcome</th><th>when</th><th>verification</th><th>citations</th>
<th>dated instruments and their regimes</th><th>open questions</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table></div>""",
    )


def sources_page() -> str:
    """The public statistics shipped with Cruce, each table with its sources."""
    rows = []
    for name, schema in TABLES.items():
        table = load_table(name)
        sources = table.select("source", "source_url").unique().sort("source")
        links = "<br>".join(
            f'<a href="{html.escape(url)}">{html.escape(text)}</a>'
            for text, url in sources.iter_rows()
        )
        rows.append(
            f"<tr><td><code>{html.escape(name)}</code></td>"
            f"<td>{html.escape(schema.title)}</td><td>{table.height}</td>"
            f"<td>{links}</td></tr>"
        )
    return _page(
        "Data sources",
        f"""<p>Every number Cruce ships comes from a row with its
source (<code>src/cruce/data/</code>, described in its SOURCES.md).</p>
<div class="scroll"><table><caption>Calibration tables</caption><thead><tr><th>table</th>
<th>what</th><th>rows</th><th>sources</th></tr></thead><tbody>{"".join(rows)}</tbody></table>
</div>""",
    )
