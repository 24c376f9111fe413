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
from cruce.law import QUESTIONS
from cruce.law.timeline import TimelineError, actual_timeline, regime_at, regimes, timeline_named
from cruce.population.synthetic import cases_at
from cruce.tables.reader import Column, fact_columns
from cruce.tables.store import save

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
        frame = cases_at(population, point.at)
        outcomes = determine_frame(frame, point.at, _timeline(point))
        described = frame.select("weight", "country", "state", "years_in_us")
        parts.append(_grouped(pl.concat([described, outcomes], how="horizontal"), point))
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
    """Per point: persons exposed to expedited removal, not exposed, and undecided."""
    return (
        table.pivot(
            on="expedited_removal",
            index=["point", "at"],
            values="persons",
            aggregate_function="sum",
        )
        .fill_null(0.0)
        .sort("at")
    )


def store(path: Path, table: pl.DataFrame, provenance: dict[str, Any]) -> str:
    """Save a run and its provenance in the embedded DuckDB store; returns the run id."""
    columns = ["point", "at", "expedited_removal", "country", "state", "years_in_us", "persons"]
    rows = table.select(columns).rename({"at": "instant"})
    return save(path, "exposure", provenance, {"exposure": rows})


def provenance(
    compared: list[Point], seed: int, size: int, assumptions: dict[str, Any], sources: list[str]
) -> dict[str, Any]:
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


def chart_html(summary: pl.DataFrame) -> str:
    """The headline comparison as a self-contained HTML chart (plotly.js embedded)."""
    import plotly.graph_objects as go

    figure = go.Figure()
    colours = {"ER_AVAILABLE": "#b3261e", "UNDECIDED": "#9e9e9e", "ER_NOT_AVAILABLE": "#4c7ab0"}
    for outcome, colour in colours.items():
        if outcome in summary.columns:
            figure.add_bar(
                name=outcome.replace("_", " ").lower(),
                x=summary["point"].to_list(),
                y=summary[outcome].to_list(),
                marker_color=colour,
            )
    figure.update_layout(
        barmode="stack",
        title="People exposed to expedited removal, by regime (synthetic "
        "population; information, not legal advice)",
        yaxis_title="persons",
        template="plotly_white",
        width=1100,
        height=600,
        legend_title="expedited removal",
    )
    return figure.to_html(include_plotlyjs=True, full_html=True)


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
