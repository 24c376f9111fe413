"""The page ``/mexico``: Mexico's side in one place (``cruce.simulation.mexico``), in English and
Spanish — non-Mexicans returned to Mexico by month and nationality, as applied, as the 2017
guidance directed (its range) and from 2025, with bands and the published points; and Mexican
nationals exposed to expedited removal by regime; and the consulate's audit summary, what the
audit of ICE's own FOIA releases finds for Mexican nationals, when the server is given the release
files (``cruce serve --ice FILE``; the releases are not shipped). Every number carries its source
row and the data behind every chart downloads as CSV. Charts are Plotly figures drawn by
``charts.js``."""

from __future__ import annotations

import base64
import io
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import polars as pl

from cruce.simulation import mexico as mx
from cruce.tables.export import write_csv
from cruce.tables.reader import TableError
from cruce.web.render import render

# Replicates a run on this page: the runs are computed once per process and kept.
REPLICATES = 50  # the default of `cruce mexico`, so the page and the command agree
COLOURS = {
    "as_applied": "#1f4e79",
    "directed_low": "#7f7f7f",
    "directed": "#c55a11",
    "directed_high": "#b22222",
    "2025": "#2e7d32",
}
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Mexico's side",
        "lead": "How many non-Mexicans the United States returned to Mexico to await their US "
        "immigration hearings, and how many the 2017 guidance (the Kelly memo's Part H) would "
        "have returned as directed.",
        "answer": "As applied, MPP returned {applied} non-Mexicans from January 2019 to January "
        "2021 (published: {published}, {row}). Part H as directed, February 2017 to December "
        "2018: "
        "from {low} if Mexico refused, as it said in February 2017, to {high} if nothing limited "
        "it; on Mexico's 2019 terms, {mid}.",
        "by_month": "Non-Mexicans returned to Mexico, by month: median and 5–95% band",
        "by_nationality": "As applied, by nationality (median)",
        "exposed": "Mexican nationals exposed to expedited removal, by regime",
        "totals": "Totals, median [5% – 95%]",
        "run": "Run",
        "window": "Months",
        "returned": "Returned",
        "assumptions": "Assumptions",
        "sources": "Source rows",
        "published_points": "Published points",
        "when": "When",
        "what": "What",
        "value": "Value",
        "row": "Row",
        "regime": "Regime (from)",
        "exposed_col": "Exposed",
        "mexicans": "Mexican-born unauthorized residents",
        "download": "Download the data (CSV)",
        "published_label": "published (data/mpp.csv)",
        "month_axis": "month",
        "persons_axis": "persons a month",
        "model": "A model of flows with stated assumptions (docs/validation.md says where it "
        "misses the published series), not a forecast.",
        "rows_of": "every data row the run read (CSV)",
        "waiting": "The runs are being computed (about a minute, once); this page reloads itself.",
        "no_ice": "No ICE release files were given to this server: start it with "
        "cruce serve --ice FILE (the ERO FOIA releases, docs/audit.md#ice-releases) to add the "
        "audit.",
        "every_row": "every row behind these counts, with its file and line (CSV)",
    },
    "es": {
        "title": "El lado de México",
        "lead": "Cuántos no mexicanos devolvió Estados Unidos a México para esperar sus "
        "audiencias migratorias en EE. UU., y cuántos habría devuelto la guía de 2017 (la Parte "
        "H del memorando Kelly) según lo ordenado.",
        "answer": "Como se aplicó, el MPP devolvió {applied} no mexicanos de enero de 2019 a "
        "enero de 2021 (publicado: {published}, {row}). La Parte H según lo ordenado, de "
        "febrero de 2017 a diciembre de 2018: de {low} si México se negaba, como dijo en "
        "febrero de 2017, a {high} si nada la limitaba; en los términos de México de 2019, "
        "{mid}.",
        "by_month": "No mexicanos devueltos a México, por mes: mediana y banda del 5–95%",
        "by_nationality": "Como se aplicó, por nacionalidad (mediana)",
        "exposed": "Mexicanos expuestos a la deportación acelerada, por régimen",
        "totals": "Totales, mediana [5% – 95%]",
        "run": "Escenario",
        "window": "Meses",
        "returned": "Devueltos",
        "assumptions": "Supuestos",
        "sources": "Filas de origen",
        "published_points": "Puntos publicados",
        "when": "Cuándo",
        "what": "Qué",
        "value": "Valor",
        "row": "Fila",
        "regime": "Régimen (desde)",
        "exposed_col": "Expuestos",
        "mexicans": "Residentes no autorizados nacidos en México",
        "download": "Descargar los datos (CSV)",
        "published_label": "publicado (data/mpp.csv)",
        "month_axis": "mes",
        "persons_axis": "personas al mes",
        "model": "Un modelo de flujos con supuestos declarados (docs/validation.md dice dónde se "
        "aparta de las series publicadas), no un pronóstico.",
        "rows_of": "cada fila de datos que leyó el escenario (CSV)",
        "waiting": "Se están calculando los escenarios (cerca de un minuto, una sola vez); esta "
        "página se recarga sola.",
        "no_ice": "A este servidor no se le dieron archivos de entregas del ICE: inícielo con "
        "cruce serve --ice ARCHIVO (las entregas del ERO por FOIA, docs/audit.md#ice-releases) "
        "para añadir la auditoría.",
        "every_row": "cada fila detrás de estas cifras, con su archivo y su línea (CSV)",
    },
}
WINDOW_WORDS = {"es": {"whole run": "todo el periodo", "Part H": "Parte H"}}
WHAT = {
    "new_mpp_court_cases": {"en": "new MPP court cases", "es": "casos nuevos del MPP"},
    "new_mpp_returns_peak_month": {"en": "returns, peak month", "es": "devoluciones, mes pico"},
    "cbp_mpp_enrollments": {"en": "CBP MPP enrolments", "es": "inscripciones de CBP en el MPP"},
    "cumulative_returned": {"en": "returned, running total", "es": "devueltos, acumulado"},
    "cumulative_enrolled": {"en": "enrolled, running total", "es": "inscritos, acumulado"},
}


def csv_link(frame: pl.DataFrame, name: str) -> dict[str, str]:
    """A download link carrying the frame as CSV."""
    buffer = io.BytesIO()
    write_csv(frame, buffer)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return {"name": name, "href": f"data:text/csv;base64,{encoded}"}


def _band(text: dict[str, Any]) -> str:
    return f"{text['p50']:,.0f} [{text['p05']:,.0f} – {text['p95']:,.0f}]"


def by_month_figure(side: mx.Side, lang: str) -> go.Figure:
    """Every run's median by month with its 5–95% band, and the published monthly points."""
    words = WORDS[lang]
    figure = go.Figure()
    everyone = side.monthly.filter(pl.col("nationality") == "all")
    # as applied last, so it is drawn on top of the runs it shares months with
    for run in sorted(mx.RUNS, key=lambda r: r.key == "as_applied"):
        rows = everyone.filter(pl.col("run") == run.key).sort("month")
        months = rows["month"].to_list()
        colour = COLOURS[run.key]
        figure.add_trace(
            go.Scatter(
                x=months + months[::-1],
                y=rows["p95"].to_list() + rows["p05"].to_list()[::-1],
                fill="toself",
                fillcolor=colour,
                opacity=0.15,
                line={"width": 0},
                hoverinfo="skip",
                showlegend=False,
            )
        )
        figure.add_trace(
            go.Scatter(
                x=months,
                y=rows["p50"],
                name=run.label[lang],
                line={"color": colour, "width": 3 if run.key == "as_applied" else 2},
            )
        )
    points = side.published.filter((pl.col("kind") == "month") & pl.col("month").is_not_null())
    figure.add_trace(
        go.Scatter(
            x=points["month"],
            y=points["value"],
            mode="markers",
            name=words["published_label"],
            marker={"color": "black", "size": 7},
            text=points["row"],
        )
    )
    figure.update_layout(
        title=words["by_month"],
        height=520,
        width=1100,
        xaxis_title=words["month_axis"],
        yaxis_title=words["persons_axis"],
        legend={"orientation": "h", "y": -0.2},
        margin={"l": 60, "r": 20, "t": 60, "b": 40},
    )
    return figure


def _by_nationality(side: mx.Side, lang: str) -> tuple[go.Figure, pl.DataFrame]:
    rows = side.monthly.filter(
        (pl.col("run") == "as_applied")
        & (pl.col("nationality") != "all")
        & pl.col("month").is_between(*mx.WINDOWS["MPP 1.0"])
    ).sort("month")
    figure = go.Figure(
        [
            go.Bar(x=part["month"], y=part["p50"], name=str(name))
            for (name,), part in rows.group_by("nationality", maintain_order=True)
        ]
    )
    figure.update_layout(
        title=WORDS[lang]["by_nationality"],
        barmode="stack",
        height=420,
        yaxis_title=WORDS[lang]["persons_axis"],
        margin={"l": 60, "r": 20, "t": 60, "b": 40},
    )
    return figure, rows


def _exposed(exposed: pl.DataFrame, lang: str) -> go.Figure:
    figure = go.Figure(
        go.Bar(
            x=exposed["point"], y=exposed["exposed"], text=exposed["row"], marker_color="#1f4e79"
        )
    )
    figure.update_layout(
        title=WORDS[lang]["exposed"], height=380, margin={"l": 60, "r": 20, "t": 60, "b": 40}
    )
    return figure


def _chart(figure: go.Figure, data: pl.DataFrame, name: str, lang: str) -> dict[str, Any]:
    return {
        "id": name,
        "json": figure.to_json(),
        "height": int(figure.layout.height or 420),
        "download": csv_link(data, f"{name}.csv"),
        "label": figure.layout.title.text,
        "words": WORDS[lang]["download"],
    }


ICE_RELEASES = "CRUCE_ICE_RELEASES"
"""The environment variable naming the ICE release files (or folders) the page audits, separated
by the path separator; ``cruce serve --ice`` sets it."""


def ice_paths() -> tuple[Path, ...]:
    """The release files (or folders) this server was given, if any."""
    named = os.environ.get(ICE_RELEASES, "")
    return tuple(Path(part) for part in named.split(os.pathsep) if part)


@dataclass(frozen=True)
class Runs:
    """What the page shows, computed once: the runs, the exposure, and the consulate's audit
    (None when no release files were given; its reading error, naming the file, if any)."""

    side: mx.Side
    exposed: pl.DataFrame
    consulate: mx.Consulate | None
    ice_error: str | None = None


def _audit(paths: tuple[Path, ...]) -> tuple[mx.Consulate | None, str | None]:
    if not paths:
        return None, None
    try:
        return mx.consulate(paths), None
    except TableError as error:  # the page says which file, and the rest of it still shows
        return None, str(error)


# The runs take about a minute; they are computed once, in the background, and the page asks
# the reader to wait (it reloads itself) until they are ready rather than holding the request.
_READY: dict[int, Runs] = {}
_STARTED: set[int] = set()
_LOCK = threading.Lock()


_FAILED: dict[int, BaseException] = {}


def _compute(replicates: int) -> None:
    try:
        consulate, error = _audit(ice_paths())
        _READY[replicates] = Runs(mx.side(replicates), mx.mexicans_exposed(), consulate, error)
    except Exception as error:  # kept for the next request to raise, not lost in the thread
        _FAILED[replicates] = error


def runs() -> Runs | None:
    """The page's runs if they are computed; else start computing them and say not yet."""
    with _LOCK:
        if REPLICATES in _FAILED:
            raise RuntimeError("the /mexico runs failed") from _FAILED[REPLICATES]
        if REPLICATES in _READY:
            return _READY[REPLICATES]
        if REPLICATES not in _STARTED:
            _STARTED.add(REPLICATES)
            threading.Thread(target=_compute, args=(REPLICATES,), daemon=True).start()
    return None


def ice_rows_csv() -> bytes | None:
    """Every row behind the consulate's counts (file, line, ...) as CSV, once computed."""
    found = _READY.get(REPLICATES)
    if found is None or found.consulate is None:
        return None
    buffer = io.BytesIO()
    write_csv(found.consulate.rows, buffer)
    return buffer.getvalue()


def consulate_figure(found: mx.Consulate, lang: str) -> go.Figure:
    """The actions the audit faults (not permitted, needs review) by fiscal year, one bar per
    finding and status, with the files the counts come from."""
    words = mx.CONSULATE_WORDS[lang]
    faulted = found.counts.filter(pl.col("status") != "CLEARED")
    bars = faulted.group_by("finding", "status", "fiscal_year").agg(pl.col("rows").sum())
    figure = go.Figure()
    for (finding, status), part in bars.group_by("finding", "status", maintain_order=True):
        part = part.sort("fiscal_year")
        figure.add_trace(
            go.Bar(
                x=[str(y) for y in part["fiscal_year"]],
                y=part["rows"],
                name=f"{mx.FINDING_LABELS[str(finding)][lang]}: "
                f"{mx.STATUS_LABELS[str(status)][lang]}",
            )
        )
    files = ", ".join(sorted(set(faulted["file"]))) or "—"
    figure.update_layout(
        title=words["chart"],
        barmode="group",
        height=480,
        xaxis={"title": words["year_axis"], "type": "category"},
        yaxis={"title": words["actions_axis"], "tickformat": ",d"},
        legend={"orientation": "h", "y": -0.25},
        margin={"l": 70, "r": 20, "t": 60, "b": 140},
        showlegend=True,
        annotations=[
            {
                "text": words["source_line"].format(files=files),
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": -0.55,
                "showarrow": False,
                "xanchor": "left",
                "font": {"size": 11},
            }
        ],
    )
    return figure


def _consulate(found: Runs, lang: str) -> dict[str, Any]:
    """The consulate section's context: its counts, findings, chart and files (or why not)."""
    if found.consulate is None:
        words = mx.CONSULATE_WORDS[lang]
        why = words["unreadable"].format(error=found.ice_error) if found.ice_error else None
        return {"shown": False, "why": why or WORDS[lang]["no_ice"]}
    consulate = found.consulate
    return {
        "shown": True,
        "counts": mx.consulate_counts(consulate, lang),
        "findings": mx.consulate_findings(consulate, lang),
        "chart": _chart(
            consulate_figure(consulate, lang), consulate.counts, "consulate-findings", lang
        ),
        "files": consulate.files.iter_rows(named=True),
    }


def page(lang: str = "en") -> str:
    """The page in ``lang`` (en or es), or a page that waits for the runs."""
    words = WORDS[lang]
    found = runs()
    if found is None:
        return render("mexico.html", lang=lang, t=words, waiting=True)
    side, exposed = found.side, found.exposed
    ends = mx.the_range(side)
    applied = side.totals.filter((pl.col("run") == "as_applied") & (pl.col("window") == "MPP 1.0"))
    total = side.published.filter(pl.col("what") == "cumulative_enrolled").row(0, named=True)
    answer = words["answer"].format(
        applied=_band(applied.row(0, named=True)),
        published=f"{total['value']:,.0f}",
        row=total["row"],
        low=_band(ends["directed_low"]),
        high=_band(ends["directed_high"]),
        mid=_band(ends["directed"]),
    )
    by_nationality, nationality_rows = _by_nationality(side, lang)
    charts = [
        _chart(by_month_figure(side, lang), side.monthly, "returns-by-month", lang),
        _chart(by_nationality, nationality_rows, "returns-by-nationality", lang),
        _chart(_exposed(exposed, lang), exposed, "mexicans-exposed", lang),
    ]
    labels = {run.key: run for run in mx.RUNS}
    totals = [
        {
            "run": labels[row["run"]].label[lang],
            "window": f"{WINDOW_WORDS.get(lang, {}).get(row['window'], row['window'])}, "
            f"{row['first']:%Y-%m} – {row['last']:%Y-%m}",
            "band": _band(row),
            "assumptions": labels[row["run"]].assumptions[lang],
            "sources": csv_link(
                side.sources.filter(pl.col("run") == row["run"]), f"sources-{row['run']}.csv"
            ),
        }
        for row in side.totals.iter_rows(named=True)
    ]
    published = [
        {
            "when": row["as_of"],
            "what": WHAT[row["what"]][lang],
            "value": f"{row['value']:,.0f}",
            "row": row["row"],
            "url": row["url"],
            "confidence": row["confidence"],
        }
        for row in side.published.iter_rows(named=True)
    ]
    regimes = [
        {
            "regime": f"{row['point']} ({row['at']:%Y-%m-%d})",
            "exposed": f"{row['exposed']:,.0f}",
            "mexicans": f"{row['mexicans']:,.0f}",
            "row": row["row"],
        }
        for row in exposed.iter_rows(named=True)
    ]
    return render(
        "mexico.html",
        lang=lang,
        t=words,
        waiting=False,
        answer=answer,
        charts=charts,
        totals=totals,
        published=published,
        regimes=regimes,
        replicates=side.replicates,
        published_csv=csv_link(side.published, "published.csv"),
        consulate=_consulate(found, lang),
        c=mx.CONSULATE_WORDS[lang],
    )
