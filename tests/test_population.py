"""The synthetic population meets its published controls, is deterministic for a seed, and
the exposure tables add up."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import polars as pl
import pytest
from typer.testing import CliRunner, Result

from cruce.cli.app import app
from cruce.law.timeline import TimelineError
from cruce.population.exposure import exposure_table, headline, points
from cruce.population.synthetic import (
    Assumptions,
    build_population,
    cases_at,
    default_controls,
    rake,
)

SIZE = 20_000


@pytest.fixture(scope="module")
def population() -> pl.DataFrame:
    return build_population(size=SIZE, seed=7)[0]


def test_controls_come_from_source_rows() -> None:
    controls = default_controls()
    assert controls.total == 11_400_000
    assert controls.country["Mexico"] == 6_720_000
    assert sum(controls.period.values()) == pytest.approx(controls.total)
    assert all(source for source in controls.sources)


def test_raking_meets_every_control(population: pl.DataFrame) -> None:
    _, report = build_population(size=SIZE, seed=7)
    assert report.get_column("relative_error").abs().max() < 1e-9
    assert population.get_column("weight").sum() == pytest.approx(11_400_000)


def test_raking_moves_weights_toward_targets() -> None:
    frame = pl.DataFrame({"a": ["x", "x", "y"], "b": ["u", "v", "v"]})
    weights = rake(frame, {"a": {"x": 10.0, "y": 30.0}, "b": {"u": 5.0, "v": 35.0}})
    result = frame.with_columns(weights)
    sums = dict(result.group_by("a").agg(pl.col("weight").sum()).iter_rows())
    assert sums == pytest.approx({"x": 10.0, "y": 30.0})


def test_same_seed_same_population() -> None:
    first = build_population(size=2_000, seed=3)[0]
    assert first.equals(build_population(size=2_000, seed=3)[0])
    assert not first.equals(build_population(size=2_000, seed=4)[0])


def test_cases_have_the_case_schema(population: pl.DataFrame) -> None:
    at = dt.datetime(2019, 8, 1, 16, tzinfo=dt.UTC)
    frame = cases_at(population, at)
    from cruce.facts.case import frame_schema

    for name, dtype in frame_schema().items():
        assert frame.schema[name] == dtype, name
    entry = frame.get_column("last_entry_date")
    assert (entry <= at.date()).all()


def test_full_scope_exposes_more_than_2004(population: pl.DataFrame) -> None:
    summary = headline(exposure_table(population, points(["2016-06-01", "2019-08-01"], [])))
    exposed = dict(zip(summary["point"], summary["ER_AVAILABLE"], strict=True))
    assert exposed["2019-08-01 (R-2019-FULL)"] > 3 * exposed["2016-06-01 (R-2014)"]
    totals = summary.select(pl.sum_horizontal(pl.exclude("point", "at"))).to_series()
    assert totals.to_list() == pytest.approx([11_400_000] * 2)


def test_documentable_presence_drives_the_headline() -> None:
    documented = Assumptions(share_presence_documentable=1.0)
    population, _ = build_population(size=SIZE, seed=7, assumptions=documented)
    summary = headline(exposure_table(population, points(["2019-08-01"], [])))
    # Everyone documents presence: only entrants of the last two years are exposed; the DHS
    # 2011 bands put 1.6M in 2005+ (6 years), so about 1.6M x 2/6 x 0.6 without inspection.
    assert summary["ER_AVAILABLE"][0] == pytest.approx(1_600_000 * 2 / 6 * 0.6, rel=0.15)


def test_bad_points_are_refused() -> None:
    with pytest.raises(TimelineError, match="valid: R-2014"):
        points([], ["R-1999"])
    with pytest.raises(TimelineError, match="at 'soon'"):
        points(["soon"], [])


def test_cli_exposure_writes_tables_chart_and_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "exposure",
            "--at",
            "2016-06-01",
            "--at",
            "2019-08-01",
            "--size",
            "5000",
            "--png",
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Assumptions: share_entered_without_inspection=0.6" in result.output
    for name in (
        "exposure.csv",
        "exposure.parquet",
        "exposure.html",
        "exposure.png",
        "population-controls.csv",
        "cruce.duckdb",
    ):
        assert (tmp_path / name).stat().st_size > 0, name
    with duckdb.connect(str(tmp_path / "cruce.duckdb")) as connection:
        (provenance,) = connection.execute("select provenance from runs").fetchone()
        assert '"seed": 2017' in provenance and "Baker" in provenance
        persons = connection.execute("select sum(persons) from exposure").fetchone()[0]
    assert persons == pytest.approx(2 * 11_400_000)


def test_microdata_exposure_and_bad_rows(tmp_path: Path) -> None:
    good = tmp_path / "cases.csv"
    good.write_text(
        "nationalities,entry_mode,last_entry_date,was_admitted,parole_granted,"
        "inadmissibility_grounds,documentary_requirements_waived,"
        "cp_days_established_before_determination,encounter_distance_to_land_border_air_miles,"
        "cp_days_established_before_encounter,encountered_upon_arrival_at_or_near_border,"
        "is_us_citizen,claimed_status,vwp_applicant,is_stowaway,date_of_birth,"
        "has_lawful_immigration_status,accompanied_by_parent_or_legal_guardian,weight,state\n"
        "GT,LAND_BETWEEN_POES,2018-01-01,false,false,I212a7A_IMMIGRANT_NO_VALID_DOCS,false,0,500,"
        "0,false,false,NONE,false,false,1990-01-01,false,false,2.5,Texas\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        app,
        [
            "exposure",
            "--microdata",
            str(good),
            "--at",
            "2019-08-01",
            "--at",
            "2022-04-15",
            "--out",
            str(tmp_path / "out"),
        ],
    )
    assert result.exit_code == 0, result.output
    table = pl.read_csv(tmp_path / "out" / "exposure.csv")
    exposed = table.filter(pl.col("expedited_removal") == "ER_AVAILABLE")
    assert exposed.get_column("persons").to_list() == [2.5]  # only under the full scope
    bad = tmp_path / "bad.csv"
    bad.write_text("nationalities,weight\nGT,heavy\nXX,1\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["exposure", "--microdata", str(bad), "--out", str(tmp_path / "bad-out")]
    )
    assert result.exit_code == 2
    errors = pl.read_csv(tmp_path / "bad-out" / "errors.csv")
    assert errors.select("row", "column").rows() == [(2, "weight"), (3, "nationalities")]


def _exposure(tmp_path: Path, *options: str) -> Result:
    return CliRunner().invoke(
        app, ["exposure", "--at", "2019-08-01", "--size", "5000", "--out", str(tmp_path), *options]
    )


def test_an_assumption_set_on_the_command_line_changes_the_result(tmp_path: Path) -> None:
    result = _exposure(tmp_path, "--assume", "share_presence_documentable=1")
    assert result.exit_code == 0, result.output
    assert "share_presence_documentable=1;" in result.output
    everyone = headline(pl.read_parquet(tmp_path / "exposure.parquet"))
    default = headline(exposure_table(build_population(5000, 2017)[0], points(["2019-08-01"], [])))
    assert everyone["ER_AVAILABLE"].item() < default["ER_AVAILABLE"].item() / 5


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--assume", "share_documentable=0.5", "valid: share_entered_without_inspection"),
        ("--assume", "share_minors=1.5", "a share must be a number from 0 to 1"),
        ("--assume", "share_minors=nan", "a share must be a number from 0 to 1"),
        ("--assume", "share_minors", "write NAME=VALUE"),
        ("--sweep", "share_minors=0:1", "write NAME=START:STOP:STEP"),
        ("--sweep", "share_minors=0:2:0.5", "a share must be a number from 0 to 1"),
        ("--sweep", "share_minors=1:0:0.5", "STOP not below START"),
    ],
)
def test_bad_assumptions_are_refused_with_the_valid_choices(
    tmp_path: Path, option: str, value: str, message: str
) -> None:
    result = _exposure(tmp_path, option, value)
    assert result.exit_code == 2
    assert message in result.output


def test_a_sweep_gives_one_run_per_value_and_the_range(tmp_path: Path) -> None:
    result = _exposure(tmp_path, "--sweep", "share_presence_documentable=0:1:0.5")
    assert result.exit_code == 0, result.output
    summary = headline(pl.read_parquet(tmp_path / "exposure.parquet"))
    assert summary.height == 3
    exposed = summary["ER_AVAILABLE"].to_list()
    assert exposed == sorted(exposed, reverse=True)  # more documents, fewer exposed
    assert f"exposed {exposed[-1]:,.0f}–{exposed[0]:,.0f} across" in result.output


def test_coded_cases_decide_as_the_text_ones(population: pl.DataFrame) -> None:
    """Exposure builds its cases with coded enums (faster); the answers are the same."""
    from cruce.decide.determination import determine_frame
    from cruce.facts.case import coded_frame_schema

    at = dt.datetime(2019, 8, 1, 16, tzinfo=dt.UTC)
    coded_cases = cases_at(population, at, coded_frame_schema())
    assert dict(coded_cases.schema) | coded_frame_schema() == dict(coded_cases.schema)
    assert determine_frame(coded_cases, at).equals(determine_frame(cases_at(population, at), at))
