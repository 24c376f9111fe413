"""Uploads stay in memory; the exposure refuses impossible sizes and records real row counts."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import duckdb
import polars as pl
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cruce.cli.app import app
from cruce.web.api import app as web_app

from .conftest import write


def test_uploaded_caseload_never_touches_disk(
    tmp_path: Path, caseload: pl.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(caseload, tmp_path / "c.csv")

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("an upload was written to a temporary file")

    for name in ("TemporaryDirectory", "NamedTemporaryFile", "mkstemp", "mkdtemp"):
        monkeypatch.setattr(tempfile, name, refuse)
    response = TestClient(web_app).post(
        "/v1/audits", files={"file": ("c.csv", path.read_bytes(), "text/csv")}
    )
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("size", ["0", "-5"])
def test_exposure_refuses_a_size_below_one(tmp_path: Path, size: str) -> None:
    result = CliRunner().invoke(app, ["exposure", "--size", size, "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "--size" in result.output and "Traceback" not in result.output


def test_microdata_provenance_counts_the_file_rows(tmp_path: Path) -> None:
    cases = tmp_path / "cases.csv"
    cases.write_text("nationalities,weight,state\nGT,1,Texas\nMX,2,=1+1\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["exposure", "--microdata", str(cases), "--at", "2019-08-01", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    with duckdb.connect(str(out / "cruce.duckdb"), read_only=True) as connection:
        (provenance,) = connection.execute("SELECT provenance FROM runs").fetchone()
    assert json.loads(provenance)["population_size"] == 2
    states = pl.read_csv(out / "exposure.csv", infer_schema=False)["state"].to_list()
    assert "'=1+1" in states and "=1+1" not in states  # the microdata state column, neutralised


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan")])
def test_scenario_parameters_must_be_finite(tmp_path: Path, value: float) -> None:
    import yaml

    from cruce.simulation.scenario import ScenarioError, load_scenario, shipped_scenarios

    data = yaml.safe_load(next(iter(shipped_scenarios().values())))
    data["parameters"] = {"judges_added_per_year": {"kind": "fixed", "value": value}}
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")  # written as .inf / .nan
    with pytest.raises(ScenarioError, match=r"judges_added_per_year.*finite"):
        load_scenario(path)


@pytest.mark.parametrize(
    "normal",
    [
        {"mean": 50, "sd": 1, "low": 900, "high": 1000},  # all the mass far below the range
        {"mean": 50, "sd": 1e-300, "low": 60, "high": 70},
        {"mean": 50, "sd": 1, "low": 70, "high": 60},
    ],
)
def test_an_unsampleable_truncated_normal_is_refused_at_load(tmp_path: Path, normal) -> None:
    import yaml

    from cruce.simulation.scenario import ScenarioError, load_scenario, shipped_scenarios

    data = yaml.safe_load(next(iter(shipped_scenarios().values())))
    data["parameters"] = {"judges_added_per_year": {"kind": "normal", **normal}}
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"judges_added_per_year.*(of its draws|low < high)"):
        load_scenario(path)


def test_a_truncated_normal_with_mass_inside_draws_inside() -> None:
    import numpy as np

    from cruce.simulation.parameters import Normal

    normal = Normal.model_validate({"mean": 0, "sd": 1, "low": 2.0, "high": 3.0})  # 2% inside
    rng = np.random.default_rng(0)
    draws = [normal.draw(rng) for _ in range(200)]
    assert all(2.0 <= d <= 3.0 for d in draws)


@pytest.mark.parametrize(
    "distribution",
    [
        {"kind": "fixed", "value": 1e300},  # finite, but refers more people than were encountered
        {"kind": "uniform", "low": 0.5, "high": 1e308},
        {"kind": "normal", "mean": 1, "sd": 0.2, "low": 0},  # unbounded above: may draw +inf-ward
        {"kind": "fixed", "value": -0.5},
    ],
)
def test_fear_share_multiplier_has_a_finite_valid_range(tmp_path: Path, distribution) -> None:
    import yaml

    from cruce.simulation.parameters import parameters
    from cruce.simulation.scenario import ScenarioError, load_scenario, shipped_scenarios

    low, high = parameters()["fear_share_multiplier"].valid
    assert 0 <= low < high < float("inf")
    data = yaml.safe_load(next(iter(shipped_scenarios().values())))
    data["parameters"] = {"fear_share_multiplier": distribution}
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ScenarioError, match=rf"fear_share_multiplier.*\[{low:g}, {high:g}\]"):
        load_scenario(path)
