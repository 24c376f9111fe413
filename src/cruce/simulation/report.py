"""A simulation run's outputs: bands, summary, charts (HTML with plotly.js embedded, PNG by
Chromium), provenance, and the DuckDB store — for one scenario or two side by side."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from cruce import __version__
from cruce.simulation import hiring
from cruce.simulation.data import Evidence
from cruce.simulation.figures import source_line
from cruce.simulation.montecarlo import bands, summary
from cruce.simulation.parameters import parameters
from cruce.simulation.pipeline import Prepared
from cruce.simulation.scenario import Scenario
from cruce.tables.export import write_csv
from cruce.tables.store import save

PANELS = (
    ("returns_to_mexico_non_mexican", "Non-Mexicans returned to Mexico, per month"),
    ("court_backlog", "Immigration court cases pending"),
    ("median_wait_months", "Median wait of completed cases (months)"),
    ("detention_population", "Detention population (dashed: capacity)"),
    ("removals", "Removals per month"),
    ("headcount_border_patrol", "Border Patrol agents (dashed: target)"),
    ("headcount_ice", "ICE officers (dashed: target)"),
    ("interior_arrests", "Interior arrests per month"),
)
DASHED = {
    "detention_population": "detention_capacity",
    "headcount_border_patrol": "target_border_patrol",
    "headcount_ice": "target_ice",
}
# Each panel's y-axis: what is counted and its unit (the x-axis is always the month).
UNITS = {
    "returns_to_mexico_non_mexican": "persons a month",
    "court_backlog": "cases pending (end of month)",
    "median_wait_months": "months",
    "detention_population": "persons detained (month average)",
    "removals": "removals a month",
    "headcount_border_patrol": "agents on board",
    "headcount_ice": "officers on board",
    "interior_arrests": "arrests a month",
}
COLOURS = ("#b3261e", "#1f5fa8", "#2e7d32", "#8e24aa")


@dataclass(frozen=True)
class SimulationRun:
    """One scenario's replicates and what they were made from."""

    scenario: Scenario
    prepared: Prepared
    evidence: Evidence
    results: np.ndarray  # replicate × metric × month

    # Computed once: the tables, the chart and the store all read them.
    @cached_property
    def bands(self) -> pl.DataFrame:
        return bands(self.results, self.prepared, self.scenario.name)

    @cached_property
    def summary(self) -> pl.DataFrame:
        return summary(self.results, self.scenario.name)

    @cached_property
    def hiring(self) -> pl.DataFrame:
        return hiring.summary(self.results, self.prepared, self.scenario.name)


def provenance(run: SimulationRun, workers: str) -> dict[str, Any]:
    scenario = run.scenario
    return {
        "model_version": __version__,
        "scenario": scenario.model_dump(mode="json", by_alias=True),
        "seed": scenario.seed,
        "replicates": int(run.results.shape[0]),
        "workers": workers,
        "parameters": {
            name: {
                "distribution": distribution.model_dump(mode="json", by_alias=True),
                "basis": parameters()[name].basis,
                "from_scenario": name in scenario.parameters,
            }
            for name, distribution in scenario.distributions().items()
        },
        "data_rows": run.evidence.records(),
        "data_read_from_another_year": sorted(run.evidence.stand_ins),
    }


def band_text(band: dict[str, float | None]) -> str:
    """A median and its 5–95% band as people read them: ``244,104 (152,644–349,219)``."""
    if band["p50"] is None:
        return "—"
    return f"{band['p50']:,.0f} ({band['p05']:,.0f}–{band['p95']:,.0f})"


def comparison(runs: list[SimulationRun]) -> pl.DataFrame:
    """The scenarios' summaries side by side (median and 90% band of each)."""
    wide = None
    for run in runs:
        part = run.summary.select(
            "metric",
            "over_horizon",
            pl.struct("p50", "p05", "p95")
            .map_elements(band_text, return_dtype=pl.String)
            .alias(run.scenario.name),
        )
        wide = part if wide is None else wide.join(part, on=["metric", "over_horizon"])
    return wide


def hiring_comparison(runs: list[SimulationRun]) -> pl.DataFrame:
    """The scenarios' hiring measures side by side."""
    return hiring.comparison([run.hiring for run in runs])


def hiring_differences(runs: list[SimulationRun]) -> pl.DataFrame | None:
    """With two runs of the same seed: the first minus the second, paired by replicate."""
    if len(runs) != 2 or runs[0].scenario.seed != runs[1].scenario.seed:
        return None
    return hiring.differences(*((r.scenario.name, r.results) for r in runs))


def hiring_figure(runs: list[SimulationRun]):
    """Headcount against target with the published counts (``hiring.figure``)."""
    return hiring.figure([(r.scenario.name, r.results, r.prepared) for r in runs])


def chart_html(runs: list[SimulationRun]) -> str:
    """The run's chart as a page (plotly.js embedded), without Plotly's toolbar."""
    figure = chart_figure(runs)
    return figure.to_html(
        include_plotlyjs=True,
        full_html=True,
        config={"displayModeBar": False},
        default_width=figure.layout.width,
        default_height=figure.layout.height,
    )


def chart_figure(runs: list[SimulationRun]):
    """Each panel: the median per month and its 5–95% band, one colour per scenario."""
    from plotly.subplots import make_subplots

    rows = (len(PANELS) + 1) // 2
    figure = make_subplots(rows=rows, cols=2, subplot_titles=[title for _, title in PANELS])
    for s, run in enumerate(runs):
        colour = COLOURS[s % len(COLOURS)]
        table = run.bands
        for p, (metric, _) in enumerate(PANELS):
            row, col = p // 2 + 1, p % 2 + 1
            _band(figure, table, metric, run.scenario.name, colour, row, col, first=p == 0)
            if metric in DASHED:
                _band(figure, table, DASHED[metric], None, colour, row, col, dash="dash")
    for p, (metric, _) in enumerate(PANELS):
        row, col = p // 2 + 1, p % 2 + 1
        figure.update_yaxes(title_text=UNITS[metric], tickformat="~s", row=row, col=col)
        figure.update_xaxes(title_text="month", row=row, col=col)
    height = 350 * rows + 160
    figure.update_layout(
        title="Cruce simulation: median and 5–95% band over replicates "
        f"({', '.join(r.scenario.name for r in runs)})",
        template="plotly_white",
        width=1200,
        height=height,
        legend={"orientation": "h", "y": -62 / height, "yanchor": "top"},
        margin={"b": 140},
    )
    return source_line(figure, source_text(runs), -92 / height)


def source_text(runs: list[SimulationRun]) -> str:
    """Where a run's chart comes from: the model, its scenarios and replicates, and the data
    rows it read (listed in each run's provenance)."""
    names = ", ".join(
        f"{r.scenario.name} ({r.results.shape[0]} replicates, seed {r.scenario.seed})" for r in runs
    )
    return (
        f"Source: Cruce {__version__} simulation of {names}.<br>Every data row read is in the "
        "run's provenance (cruce.duckdb; src/cruce/data/SOURCES.md); method: docs/methods.md"
    )


def _band(figure, table, metric, name, colour, row, col, first=False, dash=None) -> None:
    part = table.filter(pl.col("metric") == metric)
    months = part["month"].to_list()
    if dash is None:
        figure.add_scatter(
            x=months + months[::-1],
            y=part["p95"].to_list() + part["p05"].to_list()[::-1],
            fill="toself",
            fillcolor=colour,
            opacity=0.18,
            line={"width": 0},
            hoverinfo="skip",
            showlegend=False,
            row=row,
            col=col,
        )
    figure.add_scatter(
        x=months,
        y=part["p50"].to_list(),
        name=name or metric,
        line={"color": colour, "dash": dash or "solid"},
        showlegend=first,
        row=row,
        col=col,
    )


def write(runs: list[SimulationRun], out: Path, workers: str) -> dict[str, str]:
    """Bands, summaries, comparison, chart and store under ``out``; returns the run ids."""
    out.mkdir(parents=True, exist_ok=True)
    run_ids = {}
    for run in runs:
        name = run.scenario.name
        band_table, summary_table, hiring_table = run.bands, run.summary, run.hiring
        write_csv(band_table, out / f"{name}-bands.csv")
        write_csv(summary_table, out / f"{name}-summary.csv")
        write_csv(hiring_table, out / f"{name}-hiring.csv")
        run_ids[name] = save(
            out / "cruce.duckdb",
            "simulation",
            provenance(run, workers),
            {
                "simulation_bands": band_table,
                "simulation_summary": summary_table,
                "simulation_hiring": hiring_table,
            },
        )
    if len(runs) > 1:
        write_csv(comparison(runs), out / "comparison.csv")
        write_csv(hiring_comparison(runs), out / "hiring-comparison.csv")
        changed = hiring_differences(runs)
        if changed is not None:
            write_csv(changed, out / "hiring-differences.csv")
    (out / "simulation.html").write_text(chart_html(runs), encoding="utf-8")
    return run_ids
