"""Population exposure: how many people each regime exposes, by outcome × nationality × state ×
years in the US, regimes side by side, stored with provenance in an embedded DuckDB store.

Every rule runs vectorised over the (weighted) population at each instant or named regime;
the tables are weighted sums. Provenance — model version, data tables and their sources,
assumptions, seed, instants — goes with every stored run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from cruce import __version__
from cruce.decide.determination import determine_frame
from cruce.engine.instants import parse_instant
from cruce.engine.logic import FactKind
from cruce.facts.case import coded_frame_schema
from cruce.law import QUESTIONS
from cruce.law.timeline import TimelineError, actual_timeline, regime_at, regimes, timeline_named
from cruce.population.synthetic import cases_at
from cruce.tables.reader import Column, fact_columns
from cruce.tables.store import save

# The question the tables count, and the columns that describe each person in them.
TABLED = ("expedited_removal",)
DESCRIBED = ("weight", "country", "state", "years_in_us")
YEARS_BANDS = [(0, 2, "under 2"), (2, 5, "2–5"), (5, 10, "5–10"), (10, 100, "10 or more")]


@dataclass(frozen=True)
class Point:
    """One column of the comparison: a label, an instant and the timeline to decide on."""

    label: str
    at: dt.datetime
    timeline: str


def points(instants: list[str], regime_names: list[str]) -> list[Point]:
    """Instants (ISO) and named regimes (evaluated at their first instant) to compare."""
    found = []
    for text in instants:
        try:
            at = parse_instant(text)
        except ValueError as error:
            raise TimelineError(f"at {text!r}: {error}") from None
        if at is None:
            raise TimelineError(f"at {text!r}: give a date or a date-time")
        regime = regime_at(at)
        found.append(Point(f"{text} ({regime.id if regime else 'no named regime'})", at, "actual"))
    known = regimes()
    for name in regime_names:
        if name not in known:
            raise TimelineError(f"no regime {name!r}; valid: {', '.join(known)}")
        regime = known[name]
        found.append(Point(name, regime.start, regime.timeline or "actual"))
    twice = sorted({p.label for p in found if [q.label for q in found].count(p.label) > 1})
    if twice:  # the tables sum by point: a point given twice would count everyone twice
        raise TimelineError(f"given more than once: {', '.join(twice)}")
    return found


def _band(years: pl.Expr) -> pl.Expr:
    expr = pl.lit(None, dtype=pl.String)
    for low, high, name in reversed(YEARS_BANDS):
        expr = pl.when((years >= low) & (years < high)).then(pl.lit(name)).otherwise(expr)
    return expr


def _timeline(point: Point):
    return actual_timeline() if point.timeline == "actual" else timeline_named(point.timeline)


def _grouped(joined: pl.DataFrame, point: Point) -> pl.DataFrame:
    """Weighted persons by expedited-removal outcome × country × state × years in the US."""
    return (
        joined.group_by(
            pl.col("expedited_removal").cast(pl.String).fill_null("UNDECIDED"),
            "country",
            "state",
            _band(pl.col("years_in_us")).fill_null("unknown").alias("years_in_us"),
        )
        .agg(pl.col("weight").sum().alias("persons"))
        .with_columns(pl.lit(point.label).alias("point"), pl.lit(point.at).alias("at"))
        .select("point", "at", pl.all().exclude("point", "at"))
    )


def _sorted(parts: list[pl.DataFrame]) -> pl.DataFrame:
    return pl.concat(parts).sort("at", "expedited_removal", "country", "state", "years_in_us")


def exposure_table(population: pl.DataFrame, compared: list[Point]) -> pl.DataFrame:
    """Weighted persons by point × question outcome × nationality × state × years in the US."""
    parts = []
    for point in compared:
        joined = determine_frame(
            cases_at(population.lazy(), point.at, coded_frame_schema()),
            point.at,
            _timeline(point),
            questions=TABLED,
            keep=DESCRIBED,
        )
        parts.append(_grouped(joined, point))
    return _sorted(parts)


def microdata_columns() -> dict[str, Column]:
    """A microdata file: Case fact columns, an optional ``weight`` and an optional ``state``."""
    return {
        **fact_columns(),
        "weight": Column("weight", FactKind.FLOAT),
        "state": Column("state", "text"),
    }


def microdata_table(frame: pl.DataFrame, compared: list[Point]) -> pl.DataFrame:
    """The exposure table for a user's own cases (facts as given; weight 1 where absent)."""
    weight = pl.col("weight").fill_null(1.0) if "weight" in frame.columns else pl.lit(1.0)
    state = pl.col("state") if "state" in frame.columns else pl.lit(None, pl.String)
    parts = []
    for point in compared:
        outcomes = determine_frame(frame, point.at, _timeline(point))
        years = (pl.lit(point.at.date()) - pl.col("last_entry_date")).dt.total_days() / 365.25
        described = frame.select(
            weight.alias("weight"),
            pl.col("nationalities")
            .list.sort()
            .list.join(";")
            .fill_null("unknown")
            .alias("country"),
            state.fill_null("unknown").alias("state"),
            years.alias("years_in_us"),
        )
        parts.append(_grouped(pl.concat([described, outcomes], how="horizontal"), point))
    return _sorted(parts)


def headline(table: pl.DataFrame) -> pl.DataFrame:
    """Per point (and per set of assumptions): persons exposed to expedited removal, not
    exposed, and undecided."""
    index = ["point", "at", *(["assumptions"] if "assumptions" in table.columns else [])]
    return (
        table.pivot(on="expedited_removal", index=index, values="persons", aggregate_function="sum")
        .fill_null(0.0)
        .sort("at", maintain_order=True)
    )


def with_assumptions(table: pl.DataFrame, label: str) -> pl.DataFrame:
    """The table with the assumptions it rests on, as a column (runs of a sweep differ in it)."""
    return table.with_columns(pl.lit(label).alias("assumptions"))


def first_variant(table: pl.DataFrame) -> pl.DataFrame:
    """The rows of the first set of assumptions a table holds (all rows if it holds one)."""
    return table.filter(pl.col("assumptions") == table.get_column("assumptions").first())


def store(path: Path, table: pl.DataFrame, provenance: dict[str, Any]) -> str:
    """Save a run and its provenance in the embedded DuckDB store; returns the run id."""
    columns = ["point", "at", "assumptions", "expedited_removal", "country", "state"]
    rows = table.select(*columns, "years_in_us", "persons").rename({"at": "instant"})
    return save(path, "exposure", provenance, {"exposure": rows})


def provenance(
    compared: list[Point],
    seed: int,
    size: int,
    assumptions: list[dict[str, Any]],
    sources: list[str],
) -> dict[str, Any]:
    """What a run rests on; ``size`` is the rows actually decided (a microdata file's own
    count), ``assumptions`` one entry per run of a sweep."""
    return {
        "model_version": __version__,
        "questions": list(QUESTIONS),
        "points": [
            {"label": p.label, "at": p.at.isoformat(), "timeline": p.timeline} for p in compared
        ],
        "seed": seed,
        "population_size": size,
        "assumptions": assumptions,
        "data_sources": sources,
        "tables": [
            "unauthorized_population_by_country",
            "unauthorized_population_by_state",
            "unauthorized_population_duration",
        ],
    }


SOURCE_LINE = (
    "Source: Cruce, synthetic population raked to DHS OIS unauthorized-population estimates "
    "(January 2011–2012); the rules in force at each instant. Information, not legal advice."
)


def chart(summary: pl.DataFrame, assumptions: list[str], swept: str | None) -> Any:
    """The headline comparison as a Plotly figure: stacked persons per point (and per value of
    a swept assumption), titled, with axis units, a legend, its source and its assumptions."""
    import plotly.graph_objects as go

    labels = summary["point"].to_list()
    if swept:
        values = [_swept_value(text, swept) for text in summary["assumptions"].to_list()]
        labels = [f"{p}<br>{swept}={v}" for p, v in zip(labels, values, strict=True)]
    figure = go.Figure()
    colours = {"ER_AVAILABLE": "#b3261e", "UNDECIDED": "#9e9e9e", "ER_NOT_AVAILABLE": "#4c7ab0"}
    names = {
        "ER_AVAILABLE": "exposed (expedited removal available)",
        "UNDECIDED": "undecided (facts unknown)",
        "ER_NOT_AVAILABLE": "not exposed",
    }
    for outcome, colour in colours.items():
        if outcome in summary.columns:
            figure.add_bar(
                name=names[outcome], x=labels, y=summary[outcome].to_list(), marker_color=colour
            )
    footer = "<br>".join([SOURCE_LINE, *assumptions])
    figure.update_layout(
        barmode="stack",
        title="People exposed to expedited removal, by regime or instant",
        xaxis_title="instant (regime in force)",
        yaxis_title="persons (weighted)",
        template="plotly_white",
        width=1100,
        height=620,
        legend_title="expedited removal",
        margin={"b": 150},
    )
    figure.add_annotation(
        text=footer,
        xref="paper",
        yref="paper",
        x=0,
        y=-0.3,
        showarrow=False,
        align="left",
        font={"size": 11},
        xanchor="left",
    )
    return figure


def _swept_value(label: str, name: str) -> str:
    found = dict(part.split("=", 1) for part in label.split("; ") if "=" in part)
    return found.get(name, "?")


def empty_control_report() -> pl.DataFrame:
    """No controls: a user's microdata is taken as given."""
    return pl.DataFrame(
        schema={
            "dimension": pl.String,
            "category": pl.String,
            "control": pl.Float64,
            "synthetic": pl.Float64,
            "relative_error": pl.Float64,
        }
    )


def microdata_controls(path: Path):
    """The provenance entry for a user's microdata (no published controls)."""
    from cruce.population.synthetic import Controls

    return Controls(0.0, {}, {}, {}, [f"user microdata: {Path(path).name}"])
