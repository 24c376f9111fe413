"""The ICE release audit as one HTML report (``templates/ice_report.html``): the files read with
their provenance, the row accounting, the record findings (counts, missing facts, what each
rests on, citations with confidence), the unmapped spellings, and the summary for a consulate
with two Plotly charts. Self-contained when standalone, as the caseload report is."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
from plotly.offline import get_plotlyjs

from cruce.audit.ice import ReleaseAudit
from cruce.web.audit_report import _break, _style, _table, _version
from cruce.web.render import render, static_text

TITLE = "Cruce — audit of ICE release records"


def render_ice_report(
    audit: ReleaseAudit,
    summary: dict[str, pl.DataFrame],
    *,
    country: str,
    standalone: bool = True,
) -> str:
    """The report for ``audit`` and its summary for ``country`` (an ISO alpha-2 code)."""
    charts = (_share_chart(summary, country), _aor_chart(summary, country))
    figures = [f for f in charts if f is not None]
    total = audit.accounting.group_by("outcome").agg(pl.col("rows").sum())
    outcomes = dict(total.iter_rows())
    return render(
        "ice_report.html",
        title=TITLE,
        layouts=audit.layouts,
        counts=[
            ("Rows read", f"{sum(outcomes.values()):,}"),
            *((name.capitalize(), f"{outcomes.get(name, 0):,}") for name in OUTCOMES),
        ],
        files=_frame_table(
            "Files, with their SHA-256 and row counts",
            pl.DataFrame(
                [
                    {k: r[k] for k in ("file", "layout", "title", "rows", "sha256")}
                    for r in audit.releases
                ]
            ),
        ),
        accounting=_frame_table("Rows by outcome and reason, per file", audit.accounting),
        record_findings=_frame_table(
            "Record findings: rows, violations, needs review (with the facts most often missing), "
            "cleared; what each rests on and its citations [confidence]",
            audit.record_counts.drop("title").with_columns(
                pl.col("missing_facts").map_elements(_some_facts, return_dtype=pl.String)
            ),
        ),
        unmapped=_frame_table("Unmapped spellings (first rows listed)", audit.unmapped)
        if audit.unmapped.height
        else None,
        summary_heading=f"Summary for the consulate of {country}",
        summary=[
            _frame_table(name.replace("_", " ").capitalize(), table.head(200))
            for name, table in summary.items()
        ],
        figures=[{"json": f.to_json(), "height": int(f.layout.height or 420)} for f in figures],
        version=_version(),
        standalone=standalone,
        css=static_text("audit_report.css") if standalone else "",
        plotly=get_plotlyjs() if standalone and figures else "",
        charts=static_text("charts.js") if standalone and figures else "",
    )


OUTCOMES = ("judged", "needs review", "refused")


def _frame_table(caption: str, frame: pl.DataFrame) -> dict[str, object]:
    numeric = [i for i, dtype in enumerate(frame.dtypes) if dtype.is_integer()]
    codes = {i for i, name in enumerate(frame.columns) if name in CODES}
    rows = [
        [_break(v) if i in codes else ("" if v is None else v) for i, v in enumerate(row)]
        for row in frame.iter_rows()
    ]
    return _table(caption, frame.columns, rows, numeric=numeric)


CODES = ("finding", "missing_facts")
"""Columns of codes, which may wrap after their underscores."""
SHOWN_FACTS = 10


def _some_facts(facts: str) -> str:
    """The first facts of a long list, and how many (the CSV lists them all)."""
    names = [name for name in facts.split(";") if name]
    if len(names) <= SHOWN_FACTS:
        return ", ".join(names)
    return f"{len(names)} facts: {', '.join(names[:SHOWN_FACTS])}…"


def _share_chart(summary: dict[str, pl.DataFrame], country: str) -> go.Figure | None:
    shares = summary["procedure_shares"].filter(pl.col("layout") == "ice-removals")
    if shares.is_empty():
        return None
    years = [str(y) for y in shares.get_column("fiscal_year").to_list()]
    fig = go.Figure()
    for column, name, colour in (
        ("summary", "summary procedures (expedited removal, reinstatement)", "#b3261e"),
        ("section_240", "section 240 (notice to appear)", "#1f5fa8"),
    ):
        fig.add_bar(x=years, y=shares.get_column(column).to_list(), name=name, marker_color=colour)
    fig.update_layout(barmode="group", legend={"orientation": "h", "y": -0.2, "x": 0})
    fig.update_xaxes(title="fiscal year", type="category")
    fig.update_yaxes(title="removals", tickformat=",d")
    return _style(fig, f"Removals of nationals of {country} by procedure and fiscal year", 460)


def _aor_chart(summary: dict[str, pl.DataFrame], country: str) -> go.Figure | None:
    by_aor = (
        summary["by_aor"]
        .filter(pl.col("layout") == "ice-removals")
        .group_by("aor")
        .agg(pl.col("rows").sum())
        .sort("rows")
        .tail(12)
    )
    if by_aor.is_empty():
        return None
    fig = go.Figure(
        go.Bar(
            x=by_aor.get_column("rows").to_list(),
            y=[a.removesuffix(" Area of Responsibility") for a in by_aor.get_column("aor")],
            orientation="h",
            marker_color="#1f5fa8",
        )
    )
    fig.update_xaxes(title="removals, all fiscal years read", tickformat=",d")
    return _style(fig, f"Removals of nationals of {country} by AOR (the 12 largest)", 460)
