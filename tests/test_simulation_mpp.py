"""The return stage: its four parameters are fitted on 2019 alone and the shipped defaults hold
the fit; the ports and Mexico's acceptance bound the returns; the Part H range is ordered."""

import datetime as dt

import numpy as np
import pytest

from cruce.simulation import montecarlo as mc
from cruce.simulation import mpp_fit
from cruce.simulation.data import Evidence
from cruce.simulation.mpp import JOINT_DECLARATION, ports, sites
from cruce.simulation.parameters import Triangular, parameters
from cruce.simulation.pipeline import METRICS
from cruce.simulation.scenario import ScenarioError, load_scenario, parse_scenario


def test_the_fit_reads_2019_only_and_the_shipped_modes_are_its_result() -> None:
    monthly, (until, _) = mpp_fit.targets()
    assert monthly and all(day.year == 2019 for day, _ in monthly)
    assert until.year == 2019
    fitted = mpp_fit.fit()
    for name, value in fitted.items():
        shipped = parameters()[name].default
        assert isinstance(shipped, Triangular)
        assert shipped.mode == pytest.approx(value, rel=0.01), name


def test_a_port_opens_on_its_day_and_mexico_s_pace_binds_before_the_declaration() -> None:
    months = [dt.date(2019, m, 1) for m in range(1, 13)]
    found = ports(months, Evidence())
    draw = {
        "mpp_site_capacity": 5000.0,
        "mpp_site_ramp_months": 1.0,
        "mpp_site_capacity_before_agreement": 1000.0,
    }
    capacity = found.capacity(draw)
    first = sites("mpp_2019_policy")[0]
    assert first.start == dt.date(2019, 1, 28)
    assert 0 < capacity[0] < 1000 * 4 / 31 + 1  # four days of one port in January
    may = months.index(dt.date(2019, 5, 1))
    assert capacity[may] <= 2 * 1000  # two ports, at Mexico's pace
    after = months.index(JOINT_DECLARATION.replace(day=1)) + 2
    assert capacity[after] > capacity[may]


def test_an_unknown_acceptance_is_refused_with_the_choices() -> None:
    data = {"name": "x", "title": "x", "start": "2017-01", "months": 2}
    with pytest.raises(ScenarioError, match=r"refused.*2019_terms.*unlimited"):
        parse_scenario(data | {"mexico_acceptance": "maybe"}, "x.yaml")
    with pytest.raises(ScenarioError, match="need returns_to_mexico: part_h_as_directed"):
        parse_scenario(data | {"port_capacity": "unlimited"}, "x.yaml")


def _total(name: str) -> float:
    scenario = load_scenario(name).model_copy(update={"replicates": 3, "months": 27})
    prepared, _ = mc.prepare(scenario)
    results = mc.run_replicates(prepared, scenario)
    return float(np.median(results[:, METRICS.index("returns_to_mexico_non_mexican")].sum(1)))


def test_the_part_h_range_runs_from_mexico_s_refusal_to_no_limit() -> None:
    low = _total("kelly-2017-as-directed-mexico-refuses")
    middle = _total("kelly-2017-as-directed")
    high = _total("kelly-2017-as-directed-no-limit")
    assert low == 0  # October 2016 to December 2018: before MPP, nothing
    assert low < middle < high


def test_cruce_mexico_prints_both_totals_with_bands_and_assumptions(tmp_path) -> None:
    from typer.testing import CliRunner

    from cruce.cli.app import app
    from cruce.simulation import mexico

    for lang, words in (("en", "As applied"), ("es", "Como se aplicó")):
        result = CliRunner().invoke(
            app, ["mexico", "--replicates", "3", "--lang", lang, "--out", str(tmp_path)]
        )
        assert result.exit_code == 0, result.output
        assert words in result.output
        side = mexico.side(3)
        low = mexico.the_range(side)["directed_low"]
        high = mexico.the_range(side)["directed_high"]
        assert f"{high['p50']:,.0f} [{high['p05']:,.0f} – {high['p95']:,.0f}]" in result.output
        assert low["p95"] == 0  # Mexico refusing: Part H returns no one
        assert "data/mpp.csv line" in result.output
        assert (tmp_path / "returns-by-month.csv").stat().st_size > 0
    bad = CliRunner().invoke(app, ["mexico", "--lang", "fr"])
    assert bad.exit_code != 0 and "valid: en, es" in bad.output


def test_the_readme_s_answer_is_what_cruce_mexico_gives() -> None:
    from pathlib import Path

    from cruce.simulation import mexico

    readme = (Path(__file__).parents[1] / "README.md").read_text("utf-8")
    side = mexico.side(50)  # the command's default
    applied = side.totals.filter(side.totals["run"] == "as_applied").rows_by_key(
        "window", named=True
    )
    first = applied["MPP 1.0"][0]
    ends = mexico.the_range(side)
    for band in (first, ends["directed_high"], ends["directed"]):
        assert f"{band['p50']:,.0f} [{band['p05']:,.0f} – {band['p95']:,.0f}]" in readme
    assert f"{applied['MPP 2.0'][0]['p50']:,.0f} for MPP 2.0" in readme
