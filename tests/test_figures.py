"""Every chart a run draws is a figure: a title, each axis titled with its unit, a legend, and a
source line naming where its numbers come from (the run's scenarios, the data files)."""

from __future__ import annotations

import pytest

from cruce.simulation import montecarlo as mc
from cruce.simulation.report import PANELS, UNITS, SimulationRun, chart_figure, hiring_figure
from cruce.simulation.scenario import load_scenario


def _run(name: str) -> SimulationRun:
    scenario = load_scenario(name).model_copy(update={"replicates": 2})
    prepared, evidence = mc.prepare(scenario)
    return SimulationRun(scenario, prepared, evidence, mc.run_replicates(prepared, scenario))


@pytest.fixture(scope="module")
def runs() -> list[SimulationRun]:
    return [_run("hiring-as-directed-2017"), _run("hiring-as-applied")]


def _axes(figure, letter: str) -> list:
    """The figure's x or y axes in panel order (xaxis, xaxis2, ...)."""
    names = [name for name in figure.layout if name.startswith(f"{letter}axis")]
    return [figure.layout[n] for n in sorted(names, key=lambda n: int(n[5:] or 1))]


def _is_a_figure(figure, runs: list[SimulationRun]) -> str:
    assert figure.layout.title.text
    axes = _axes(figure, "x") + _axes(figure, "y")
    assert axes and all(axis.title.text for axis in axes)
    assert figure.layout.showlegend is not False
    assert {r.scenario.name for r in runs} <= {trace.name for trace in figure.data}
    (source,) = [a.text for a in figure.layout.annotations if a.text.startswith("Source:")]
    assert all(r.scenario.name in source for r in runs)
    return source


def test_the_run_chart_is_a_figure_with_each_panel_s_unit(runs) -> None:
    figure = chart_figure(runs)
    source = _is_a_figure(figure, runs)
    assert "SOURCES.md" in source
    titles = [axis.title.text for axis in _axes(figure, "y")]
    assert titles == [UNITS[metric] for metric, _ in PANELS]


def test_the_hiring_chart_names_the_files_of_its_published_counts(runs) -> None:
    source = _is_a_figure(hiring_figure(runs), runs)
    assert "data/enforcement_staffing.csv" in source
