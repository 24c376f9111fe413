"""The audit as one self-contained HTML report: counts, a summary by finding with each check's
explanation and citations, breakdowns by nationality and period, two Plotly charts and the
findings themselves.

The report makes no network request when opened: plotly.js is embedded inline from the
installed ``plotly`` package (once, with the first chart), the CSS is inline and uses only
local fonts. Every value taken from the findings (case ids come from users' files) is
HTML-escaped; chart data is JSON-encoded by Plotly, which escapes ``<``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from html import escape
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from zoneinfo import ZoneInfo

import plotly.colors
import plotly.graph_objects as go
import plotly.io as pio
import polars as pl

from cruce.audit.checks import AT, CHECKS, Check
from cruce.engine.logic import Cite
from cruce.law.citations import CitationError, confidence_of, resolve
from cruce.law.timeline import Regime, regimes

TITLE = "Cruce — caseload audit"
NOTICE = "Information about the law, not legal advice."
VIOLATION = "VIOLATION"
NEEDS_REVIEW = "NEEDS_REVIEW"
NEEDS_REVIEW_EXPLANATION = "the outcome depends on facts that are unknown; review them"
LISTED = 500
"""How many findings the report lists one by one."""
LOCAL_TZ = "America/New_York"
"""Months and instants are shown in US Eastern time, the time the law's dates are in."""
UNKNOWN = "unknown"
NO_FINDINGS = "No findings: no audited action broke a checked rule, and none needs review."
MONTH = "%Y-%m"
FINDING_HEADERS = (
    "Case",
    "Row",
    "Action",
    "Instant",
    "Finding",
    "Explanation",
    "Citations",
    "Needs-review facts",
)
FINDING_WIDTHS = (12, 5, 12, 10, 16, 21, 13, 11)
"""Column widths of the findings table, in percent."""


class Html(str):
    """Markup built by this module; every other string is escaped when rendered."""

    __slots__ = ()


def _esc(value: object) -> str:
    if isinstance(value, Html):
        return value
    return escape("" if value is None else str(value), quote=True)


# --- report ------------------------------------------------------------------------------------


def render_report(
    findings: pl.DataFrame, *, source: str, cases: int, rows: int, absent_columns: list[str]
) -> str:
    """The audit report for ``findings`` (``cruce.audit.checks.FINDING_SCHEMA``, optionally with
    ``nationality`` and ``regime`` columns) as one self-contained HTML document."""
    sections = [
        _header(findings, source=source, cases=cases, rows=rows),
        _absent_section(absent_columns),
        _summary_section(findings),
    ]
    if findings.height == 0:
        sections.insert(1, Html(f'<p class="none">{_esc(NO_FINDINGS)}</p>'))
    else:
        sections += [_breakdown_section(findings), _charts_section(findings)]
        sections.append(_findings_section(findings))
    return _document("\n".join(sections))


def write_report(path: str | Path, html: str) -> Path:
    """Write the report as UTF-8; returns the path written."""
    path = Path(path)
    path.write_text(html, encoding="utf-8")
    return path


# --- sections ----------------------------------------------------------------------------------


def _header(findings: pl.DataFrame, *, source: str, cases: int, rows: int) -> Html:
    violations = _status(findings, VIOLATION)
    review = _status(findings, NEEDS_REVIEW)
    counts = [
        ("Rows audited", f"{rows:,}"),
        ("Cases", f"{cases:,}"),
        ("Violations", _with_actions(violations)),
        ("Needs review", _with_actions(review)),
    ]
    facts = "".join(f"<div><dt>{_esc(k)}</dt><dd>{_esc(v)}</dd></div>" for k, v in counts)
    return Html(
        f"<header><h1>{_esc(TITLE)}</h1>"
        f'<p class="source">Source file: <code>{_esc(Path(source).name)}</code></p>'
        f'<p class="notice" role="note"><strong>{_esc(NOTICE)}</strong> Each finding compares '
        "a recorded action with what the rules in force at its instant permitted or required, "
        "on the facts recorded; it is something to look into, not a conclusion about a "
        "person.</p>"
        f'<dl class="counts">{facts}</dl></header>'
    )


def _with_actions(frame: pl.DataFrame) -> str:
    if frame.height == 0:
        return "0"
    actions = frame.get_column("row").n_unique()
    return f"{_plural(frame.height, 'finding')} on {_plural(actions, 'action')}"


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def _absent_section(absent: Sequence[str]) -> Html:
    if not absent:
        return _section("columns", "Columns", "<p>The file had every column the audit reads.</p>")
    items = "".join(f"<li><code>{_esc(name)}</code></li>" for name in sorted(absent))
    return _section(
        "columns",
        f"Columns the file did not have ({len(absent)})",
        "<p>These facts were treated as <em>unknown</em>: where an outcome depends on one of "
        f"them the finding is {NEEDS_REVIEW}, never a guess.</p>"
        f'<ul class="columns">{items}</ul>',
    )


def _summary_section(findings: pl.DataFrame) -> Html:
    counts = _counts(findings, "finding")
    rows: list[list[object]] = [_check_row(check, counts.get(check.code, 0)) for check in CHECKS]
    known = {check.code for check in CHECKS} | {NEEDS_REVIEW}
    rows += [_other_row(findings, code, n) for code, n in counts.items() if code not in known]
    review = counts.get(NEEDS_REVIEW, 0)
    rows.append(
        [Html(f"<code>{NEEDS_REVIEW}</code>"), review, "review", NEEDS_REVIEW_EXPLANATION, "—"]
    )
    table = _table(
        "Findings by kind: every check the audit runs, in report order",
        ["Finding", "Count", "Severity", "Explanation", "Citations"],
        rows,
        numeric={1},
        muted=[row[1] == 0 for row in rows],
        kind="summary",
    )
    return _section("summary", "Summary by finding", table + _facts_table(findings))


def _check_row(check: Check, count: int) -> list[object]:
    return [
        Html(f"<code>{_esc(check.code)}</code>"),
        count,
        check.severity,
        check.explanation,
        _citations(check.citations),
    ]


def _other_row(findings: pl.DataFrame, code: str, count: int) -> list[object]:
    first = findings.filter(pl.col("finding") == code).row(0, named=True)
    code_html = Html(f"<code>{_esc(code)}</code>")
    return [code_html, count, first["severity"], first["explanation"], first["citations"]]


def _citations(citations: Iterable[Cite]) -> Html:
    parts = []
    for citation in citations:
        try:
            title, level = resolve(citation).title, confidence_of(citation).value
        except CitationError:
            title, level = "", UNKNOWN
        parts.append(f'<span title="{_esc(title)}">{_esc(citation)} [{_esc(level)}]</span>')
    return Html("; ".join(parts))


def _facts_table(findings: pl.DataFrame) -> str:
    review = _status(findings, NEEDS_REVIEW)
    if review.height == 0:
        return ""
    facts = (
        review.select(pl.col("needs_review_facts").str.split(";").alias("fact"))
        .explode("fact")
        .filter(pl.col("fact").is_not_null() & (pl.col("fact") != ""))
        .group_by("fact")
        .agg(pl.len().alias("n"))
        .sort(["n", "fact"], descending=[True, False])
    )
    return _table(
        "Unknown facts that decide the needs-review findings (a finding may name several)",
        ["Fact to review", "Findings"],
        [[Html(f"<code>{_esc(f)}</code>"), n] for f, n in facts.iter_rows()],
        numeric={1},
    )


def _breakdown_section(findings: pl.DataFrame) -> Html:
    tables = []
    if "nationality" in findings.columns:
        tables.append(_nationality_table(findings))
    if "regime" in findings.columns:
        tables.append(_regime_table(findings))
    else:
        tables.append(_month_table(findings))
    return _section("breakdowns", "Breakdowns", "".join(tables))


def _nationality_table(findings: pl.DataFrame) -> str:
    column = pl.col("nationality")
    if findings.schema["nationality"] != pl.List(pl.String):
        column = column.cast(pl.String).str.split(";")
    exploded = findings.with_columns(
        column.list.eval(pl.element().str.strip_chars())
        .list.filter(pl.element() != "")
        .alias("__key")
    ).explode("__key")
    table = _tally(exploded.with_columns(pl.col("__key").fill_null(UNKNOWN)))
    return _table(
        "By nationality (a person with several nationalities counts under each)",
        ["Nationality", "Violations", "Needs review", "All findings"],
        table.iter_rows(),
        numeric={1, 2, 3},
    )


def _regime_table(findings: pl.DataFrame) -> str:
    keyed = findings.with_columns(
        pl.col("regime").cast(pl.String).fill_null(UNKNOWN).alias("__key")
    )
    named = regimes()
    table = _tally(keyed).with_columns(
        pl.col("__key")
        .replace_strict({k: r.start.isoformat() for k, r in named.items()}, default="~")
        .alias("__start")
    )
    rows = [
        [Html(f"<code>{_esc(key)}</code>"), *_regime_cells(named.get(key)), *counts]
        for key, *counts in table.sort("__start", "__key").drop("__start").iter_rows()
    ]
    return _table(
        "By period: the named regime in force at the action's instant",
        ["Regime", "In force (from – until)", "What", "Violations", "Needs review", "All findings"],
        rows,
        numeric={3, 4, 5},
        kind="periods",
    )


def _regime_cells(regime: Regime | None) -> list[str]:
    if regime is None:
        return ["", ""]
    start = _eastern_date(regime.start)
    end = _eastern_date(regime.end) if regime.end else "(no end)"
    return [f"{start} – {end}", regime.title]


def _eastern_date(instant: dt.datetime) -> str:
    return instant.astimezone(ZoneInfo(LOCAL_TZ)).date().isoformat()


def _month_table(findings: pl.DataFrame) -> str:
    keyed = findings.with_columns(_eastern(findings).dt.strftime(MONTH).alias("__key"))
    table = _tally(keyed.with_columns(pl.col("__key").fill_null(UNKNOWN))).sort("__key")
    return _table(
        "By month of the action (US Eastern time)",
        ["Month", "Violations", "Needs review", "All findings"],
        table.iter_rows(),
        numeric={1, 2, 3},
    )


def _tally(keyed: pl.DataFrame) -> pl.DataFrame:
    """Findings counted by ``__key``: violations, needs review, all; most violations first."""
    return (
        keyed.group_by("__key")
        .agg(
            (pl.col("status") == VIOLATION).sum().alias("violations"),
            (pl.col("status") == NEEDS_REVIEW).sum().alias("review"),
            pl.len().alias("all"),
        )
        .sort(["violations", "all", "__key"], descending=[True, True, False])
    )


def _findings_section(findings: pl.DataFrame) -> Html:
    shown = findings.head(LISTED).with_columns(
        _eastern(findings).dt.strftime("%Y-%m-%d %H:%M %Z").alias("__instant")
    )
    rows = [
        [
            r["case_id"],
            r["row"],
            _breakable(r["action"]),
            r["__instant"],
            _finding_cell(r["finding"], r["status"], r["question"]),
            r["explanation"],
            r["citations"],
            _breakable(", ".join((r["needs_review_facts"] or "").split(";"))),
        ]
        for r in shown.iter_rows(named=True)
    ]
    note = ""
    if findings.height > LISTED:
        note = (
            f'<p class="truncated">Showing the first {LISTED:,} of {findings.height:,} '
            "findings; the full list is in the audit's CSV or JSON output.</p>"
        )
    table = _table(
        f"Findings, in caseload row order (times in US Eastern; first {LISTED:,} at most)",
        FINDING_HEADERS,
        rows,
        numeric={1},
        kind="wide",
        widths=FINDING_WIDTHS,
    )
    return _section("findings", "Findings", note + table)


def _finding_cell(finding: str, status: str | None, question: str | None) -> Html:
    """The finding's code, coloured by status, over the question whose outcome it reads."""
    css = "review" if status == NEEDS_REVIEW else "violation"
    asked = f'<br><small class="question">{_breakable(question)}</small>' if question else ""
    return Html(f'<code class="{css}">{_breakable(finding)}</code>{asked}')


def _breakable(text: str | None) -> Html:
    """Escaped text that may wrap after its underscores (codes and column names are long)."""
    return Html(_esc(text).replace("_", "_<wbr>"))


# --- charts ------------------------------------------------------------------------------------


def _charts_section(findings: pl.DataFrame) -> Html:
    figures = [fig for fig in (_violations_chart(findings), _timeline_chart(findings)) if fig]
    parts = [_figure_html(fig, first=i == 0) for i, fig in enumerate(figures)]
    if not parts:
        return Html("")
    charts = "".join(f'<figure class="chart">{part}</figure>' for part in parts)
    return _section("charts", "Charts", charts)


def _figure_html(fig: go.Figure, *, first: bool) -> str:
    """The chart's div; plotly.js is embedded inline with the first chart only."""
    height = int(fig.layout.height or 420)
    return pio.to_html(
        fig,
        include_plotlyjs=first,
        full_html=False,
        include_mathjax=False,
        default_height=f"{height}px",
        config={"displaylogo": False, "responsive": True},
    )


def _violations_chart(findings: pl.DataFrame) -> go.Figure | None:
    counts = _counts(_status(findings, VIOLATION), "finding")
    if not counts:
        return None
    # Plotly draws the first bar at the bottom: most violations on top, ties in report order.
    ordered = sorted(counts.items(), key=lambda kv: (kv[1], -_report_order(kv[0])))
    fig = go.Figure(
        go.Bar(
            x=[n for _, n in ordered],
            y=[code for code, _ in ordered],
            orientation="h",
            marker_color="#b3261e",
            text=[n for _, n in ordered],
            textposition="outside",
            cliponaxis=False,
        )
    )
    fig.update_xaxes(title="violations", **_integer_ticks(max(counts.values())))
    return _style(fig, "Violations by finding", 140 + 30 * len(ordered))


def _timeline_chart(findings: pl.DataFrame) -> go.Figure | None:
    monthly = (
        findings.with_columns(_eastern(findings).dt.truncate("1mo").dt.date().alias("month"))
        .filter(pl.col("month").is_not_null())
        .group_by("month", "finding")
        .agg(pl.len().alias("n"))
        .sort("month")
    )
    if monthly.height == 0:
        return None
    fig = go.Figure()
    for code, color in _finding_colors(monthly.get_column("finding").unique().to_list()):
        part = monthly.filter(pl.col("finding") == code)
        fig.add_bar(
            x=part.get_column("month").to_list(),
            y=part.get_column("n").to_list(),
            name=code,
            marker_color=color,
            width=24 * 24 * 3600 * 1000,  # about a month, in milliseconds on a date axis
        )
    fig.update_layout(barmode="stack", legend={"orientation": "h", "y": -0.15, "x": 0})
    fig.update_xaxes(type="date", tickformat="%b %Y")
    highest = monthly.group_by("month").agg(pl.col("n").sum()).get_column("n").max()
    fig.update_yaxes(title="findings", **_integer_ticks(int(highest or 0)))
    return _style(fig, "Findings over time, by month (US Eastern)", 560)


def _finding_colors(codes: list[str]) -> list[tuple[str, str]]:
    """Each finding in report order with a colour; needs review is grey."""
    codes = sorted(codes, key=_report_order)
    palette = plotly.colors.qualitative.Dark24
    return [
        (code, "#9e9e9e" if code == NEEDS_REVIEW else palette[i % len(palette)])
        for i, code in enumerate(codes)
    ]


def _report_order(code: str) -> int:
    """The finding's place in ``CHECKS``; unknown codes next, then needs review last."""
    order = [check.code for check in CHECKS]
    if code == NEEDS_REVIEW:
        return len(order) + 1
    return order.index(code) if code in order else len(order)


def _integer_ticks(highest: int) -> dict[str, object]:
    """Whole-number ticks for a count axis (Plotly would show 0.5 steps on small counts)."""
    return {"tickformat": ",d", "rangemode": "tozero", **({"dtick": 1} if highest <= 10 else {})}


def _style(fig: go.Figure, title: str, height: int) -> go.Figure:
    return fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        template="plotly_white",
        height=height,
        margin={"l": 20, "r": 40, "t": 60, "b": 40},
        font={"family": "system-ui, sans-serif", "size": 13},
        showlegend=len(fig.data) > 1,
    )


# --- helpers -----------------------------------------------------------------------------------


def _section(anchor: str, heading: str, body: str) -> Html:
    """A section with an anchor (``report.html#charts``); ``body`` is markup."""
    return Html(f'<section id="{anchor}"><h2>{_esc(heading)}</h2>{body}</section>')


def _status(findings: pl.DataFrame, status: str) -> pl.DataFrame:
    if findings.height == 0:
        return findings
    return findings.filter(pl.col("status") == status)


def _counts(findings: pl.DataFrame, column: str) -> dict[str, int]:
    if findings.height == 0:
        return {}
    counted = (
        findings.group_by(column)
        .agg(pl.len().alias("n"))
        .sort(["n", column], descending=[True, False])
    )
    return dict(counted.iter_rows())


def _eastern(findings: pl.DataFrame) -> pl.Expr:
    """The action instant in US Eastern time (a naive column is taken to be UTC)."""
    instant = pl.col(AT)
    if getattr(findings.schema[AT], "time_zone", None) is None:
        instant = instant.dt.replace_time_zone("UTC")
    return instant.dt.convert_time_zone(LOCAL_TZ)


def _table(
    caption: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    numeric: Collection[int] = (),
    muted: Sequence[bool] = (),
    kind: str = "plain",
    widths: Sequence[int] = (),
) -> Html:
    """A captioned table; cells are escaped unless they are ``Html``."""
    head = "".join(f'<th scope="col">{_esc(h)}</th>' for h in headers)
    body = []
    for i, row in enumerate(rows):
        cells = "".join(
            f'<td class="num">{_esc(_number(c))}</td>' if j in numeric else f"<td>{_esc(c)}</td>"
            for j, c in enumerate(row)
        )
        attr = ' class="muted"' if i < len(muted) and muted[i] else ""
        body.append(f"<tr{attr}>{cells}</tr>")
    cols = "".join(f'<col style="width: {int(w)}%">' for w in widths)
    colgroup = f"<colgroup>{cols}</colgroup>" if cols else ""
    return Html(
        f'<div class="scroll"><table class="{kind}"><caption>{_esc(caption)}</caption>'
        f"{colgroup}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def _number(value: object) -> object:
    return f"{value:,}" if isinstance(value, int) else value


def _document(body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_esc(TITLE)}</title><style>{CSS}</style></head>\n"
        f"<body><main>{body}</main>\n<footer><p>{_esc(NOTICE)} Generated by Cruce "
        f"{_esc(_version())}.</p></footer></body></html>\n"
    )


def _version() -> str:
    try:
        return version("cruce")
    except PackageNotFoundError:
        return "(development)"


CSS = """
:root { color-scheme: light; --ink: #1d1d1f; --muted: #6b6b70; --line: #d9d9de;
  --accent: #b3261e; --review: #8a6d00; --bg-alt: #f6f6f8; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.45;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; }
main, footer { max-width: 1200px; margin: 0 auto; padding: 0 24px; }
h1 { font-size: 1.9rem; margin: 28px 0 4px; }
h2 { font-size: 1.3rem; margin: 36px 0 10px; padding-bottom: 4px;
  border-bottom: 2px solid var(--line); }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
  font-size: 0.88em; overflow-wrap: anywhere; }
.source { margin: 0 0 12px; color: var(--muted); }
.notice { border-left: 4px solid var(--accent); background: #fdf3f2; padding: 10px 14px;
  margin: 12px 0 18px; }
.none { font-size: 1.1rem; padding: 12px 14px; background: #eef7ee;
  border-left: 4px solid #2e7d32; }
.truncated { color: var(--review); font-weight: 600; }
dl.counts { display: flex; flex-wrap: wrap; gap: 12px; margin: 0; }
dl.counts div { border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px;
  min-width: 160px; }
dl.counts dt { color: var(--muted); font-size: 0.85rem; }
dl.counts dd { margin: 2px 0 0; font-size: 1.2rem; font-weight: 600; }
ul.columns { columns: 2 420px; padding-left: 18px; margin: 8px 0; font-size: 0.9rem; }
ul.columns code { overflow-wrap: normal; }
.scroll { overflow-x: auto; margin: 12px 0 20px; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
table.plain { width: auto; min-width: 50%; }
caption { text-align: left; font-weight: 600; padding: 4px 0 8px; }
th, td { border-bottom: 1px solid var(--line); padding: 6px 10px; text-align: left;
  vertical-align: top; overflow-wrap: break-word; }
th { background: var(--bg-alt); font-weight: 600; white-space: nowrap; }
td:first-child code { white-space: nowrap; overflow-wrap: normal; }
td.tag { white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody tr:nth-child(even) { background: #fbfbfc; }
tr.muted td { color: var(--muted); }
table.wide { table-layout: fixed; min-width: 980px; font-size: 0.84rem; }
table.wide th { white-space: normal; }
table.wide td { overflow-wrap: anywhere; }
table.summary td:nth-child(3), table.periods td:nth-child(2) { white-space: nowrap; }
code.violation { color: var(--accent); }
code.review { color: var(--review); }
small.question { color: var(--muted); }
figure.chart { margin: 8px 0 24px; border: 1px solid var(--line); border-radius: 6px;
  padding: 8px; }
footer { color: var(--muted); font-size: 0.85rem; margin-top: 40px; padding-bottom: 32px; }
"""
