"""The audit as one self-contained HTML report: counts, a summary by finding with each check's
explanation and citations, breakdowns by nationality and period, two Plotly charts and the
findings themselves, rendered from ``templates/audit_report.html``.

The standalone report makes no network request when opened: plotly.js is embedded inline from
the installed ``plotly`` package (once), the stylesheet and the chart script are inlined from
``static/``, and it uses only local fonts. Served by the app (``standalone=False``), it links
the same files from ``/static/`` instead, so the page needs no inline script or style. The
template escapes every value (case ids come from users' files), chart data included.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import plotly.colors
import plotly.graph_objects as go
import polars as pl
from plotly.offline import get_plotlyjs

from cruce.audit.checks import AT, CHECKS, Check
from cruce.engine.logic import Cite
from cruce.law.citations import CitationError, confidence_of, resolve
from cruce.law.timeline import Regime, regimes
from cruce.web.render import render, static_text

TITLE = "Cruce — caseload audit"
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


Cell = object
"""A table cell: a plain value (escaped by the template) or a ``{"t": kind, ...}`` mapping the
template's ``cell`` macro renders (code, breakable text, a finding, citations)."""
Table = dict[str, Any]


# --- report ------------------------------------------------------------------------------------


def render_report(
    findings: pl.DataFrame,
    *,
    source: str,
    cases: int,
    rows: int,
    absent_columns: list[str],
    standalone: bool = True,
    download: dict[str, str] | None = None,
) -> str:
    """The audit report for ``findings`` (``cruce.audit.checks.FINDING_SCHEMA``, optionally with
    ``nationality`` and ``regime`` columns) as one HTML document: self-contained when
    ``standalone``, else linking its assets from ``/static/``; ``download`` (name, href) adds a
    link to the findings above the report."""
    some = findings.height > 0
    figures = _figures(findings) if some else []
    return render(
        "audit_report.html",
        title=TITLE,
        source=Path(source).name,
        counts=_counts_list(findings, cases=cases, rows=rows),
        nothing=None if some else NO_FINDINGS,
        columns=_absent(absent_columns),
        needs_review=NEEDS_REVIEW,
        summary=_summary_tables(findings),
        breakdowns=_breakdowns(findings) if some else [],
        figures=figures,
        truncated=_truncated(findings) if some else None,
        findings=_findings_table(findings) if some else None,
        version=_version(),
        standalone=standalone,
        download=download,
        css=static_text("audit_report.css") if standalone else "",
        plotly=get_plotlyjs() if standalone and figures else "",
        charts=static_text("charts.js") if standalone and figures else "",
    )


def write_report(path: str | Path, html: str) -> Path:
    """Write the report as UTF-8; returns the path written."""
    path = Path(path)
    path.write_text(html, encoding="utf-8")
    return path


# --- sections ----------------------------------------------------------------------------------


def _counts_list(findings: pl.DataFrame, *, cases: int, rows: int) -> list[tuple[str, str]]:
    return [
        ("Rows audited", f"{rows:,}"),
        ("Cases", f"{cases:,}"),
        ("Violations", _with_actions(_status(findings, VIOLATION))),
        ("Needs review", _with_actions(_status(findings, NEEDS_REVIEW))),
    ]


def _with_actions(frame: pl.DataFrame) -> str:
    if frame.height == 0:
        return "0"
    actions = frame.get_column("row").n_unique()
    return f"{_plural(frame.height, 'finding')} on {_plural(actions, 'action')}"


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def _absent(absent: Sequence[str]) -> dict[str, Any]:
    heading = f"Columns the file did not have ({len(absent)})" if absent else "Columns"
    return {"heading": heading, "absent": sorted(absent)}


def _code(text: object) -> dict[str, object]:
    return {"t": "code", "text": text}


def _break(text: str | None) -> dict[str, object]:
    """Text that may wrap after its underscores (codes and column names are long)."""
    return {"t": "break", "text": text}


def _summary_tables(findings: pl.DataFrame) -> list[Table]:
    counts = _counts(findings, "finding")
    rows: list[list[Cell]] = [_check_row(check, counts.get(check.code, 0)) for check in CHECKS]
    known = {check.code for check in CHECKS} | {NEEDS_REVIEW}
    rows += [_other_row(findings, code, n) for code, n in counts.items() if code not in known]
    review = counts.get(NEEDS_REVIEW, 0)
    rows.append([_code(NEEDS_REVIEW), review, "review", NEEDS_REVIEW_EXPLANATION, "—"])
    table = _table(
        "Findings by kind: every check the audit runs, in report order",
        ["Finding", "Count", "Severity", "Explanation", "Citations"],
        rows,
        numeric={1},
        muted=[row[1] == 0 for row in rows],
        kind="summary",
    )
    facts = _facts_table(findings)
    return [table] if facts is None else [table, facts]


def _check_row(check: Check, count: int) -> list[Cell]:
    return [
        _code(check.code),
        count,
        check.severity,
        check.explanation,
        _citations(check.citations),
    ]


def _other_row(findings: pl.DataFrame, code: str, count: int) -> list[Cell]:
    first = findings.filter(pl.col("finding") == code).row(0, named=True)
    return [_code(code), count, first["severity"], first["explanation"], first["citations"]]


def _citations(citations: Iterable[Cite]) -> dict[str, object]:
    items = []
    for citation in citations:
        try:
            title, level = resolve(citation).title, confidence_of(citation).value
        except CitationError:
            title, level = "", UNKNOWN
        items.append({"title": title, "text": str(citation), "level": level})
    return {"t": "cites", "cites": items}


def _facts_table(findings: pl.DataFrame) -> Table | None:
    review = _status(findings, NEEDS_REVIEW)
    if review.height == 0:
        return None
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
        [[_code(f), n] for f, n in facts.iter_rows()],
        numeric={1},
    )


def _breakdowns(findings: pl.DataFrame) -> list[Table]:
    tables = []
    if "nationality" in findings.columns:
        tables.append(_nationality_table(findings))
    if "regime" in findings.columns:
        tables.append(_regime_table(findings))
    else:
        tables.append(_month_table(findings))
    return tables


def _nationality_table(findings: pl.DataFrame) -> Table:
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


def _regime_table(findings: pl.DataFrame) -> Table:
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
        [_code(key), *_regime_cells(named.get(key)), *counts]
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


def _month_table(findings: pl.DataFrame) -> Table:
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


def _truncated(findings: pl.DataFrame) -> str | None:
    if findings.height <= LISTED:
        return None
    return (
        f"Showing the first {LISTED:,} of {findings.height:,} "
        "findings; the full list is in the audit's CSV or JSON output."
    )


def _findings_table(findings: pl.DataFrame) -> Table:
    shown = findings.head(LISTED).with_columns(
        _eastern(findings).dt.strftime("%Y-%m-%d %H:%M %Z").alias("__instant")
    )
    rows = [
        [
            r["case_id"],
            r["row"],
            _break(r["action"]),
            r["__instant"],
            _finding_cell(r["finding"], r["status"], r["question"]),
            r["explanation"],
            r["citations"],
            _break(", ".join((r["needs_review_facts"] or "").split(";"))),
        ]
        for r in shown.iter_rows(named=True)
    ]
    return _table(
        f"Findings, in caseload row order (times in US Eastern; first {LISTED:,} at most)",
        FINDING_HEADERS,
        rows,
        numeric={1},
        kind="wide",
    )


def _finding_cell(finding: str, status: str | None, question: str | None) -> dict[str, object]:
    """The finding's code, coloured by status, over the question whose outcome it reads."""
    css = "review" if status == NEEDS_REVIEW else "violation"
    return {"t": "finding", "text": finding, "css": css, "question": question}


# --- charts ------------------------------------------------------------------------------------


def _figures(findings: pl.DataFrame) -> list[dict[str, object]]:
    """Each chart as Plotly JSON and its height, for ``static/charts.js`` to draw."""
    figures = [fig for fig in (_violations_chart(findings), _timeline_chart(findings)) if fig]
    return [{"json": fig.to_json(), "height": int(fig.layout.height or 420)} for fig in figures]


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
    rows: Iterable[Sequence[Cell]],
    *,
    numeric: Collection[int] = (),
    muted: Sequence[bool] = (),
    kind: str = "plain",
) -> Table:
    """A captioned table for the template's ``table`` macro; numeric cells get thousands
    separators, ``muted`` rows are greyed."""
    body = [
        {
            "muted": i < len(muted) and muted[i],
            "cells": [_number(c) if j in numeric else c for j, c in enumerate(row)],
        }
        for i, row in enumerate(rows)
    ]
    return {
        "caption": caption,
        "headers": list(headers),
        "rows": body,
        "numeric": set(numeric),
        "kind": kind,
    }


def _number(value: object) -> object:
    return f"{value:,}" if isinstance(value, int) else value


def _version() -> str:
    try:
        return version("cruce")
    except PackageNotFoundError:
        return "(development)"
