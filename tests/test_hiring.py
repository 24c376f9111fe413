"""The hiring funnel: its accounting, its targets and contract terms against the shipped rows,
the actual path against the published Border Patrol counts, and the hiring outputs."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from cruce.cli.app import app
from cruce.simulation import hiring
from cruce.simulation import montecarlo as mc
from cruce.simulation.data import rows
from cruce.simulation.parameters import Fixed, parameters
from cruce.simulation.pipeline import METRICS
from cruce.simulation.scenario import ScenarioError, load_scenario, parse_scenario
from cruce.simulation.workforce import AGENCIES, CONTRACT_AWARD, CONTRACT_END, headcount
from cruce.web import browser

REPLICATES = 4


@cache
def simulated(name: str, replicates: int = REPLICATES):
    scenario = load_scenario(name).model_copy(update={"replicates": replicates})
    prepared, _ = mc.prepare(scenario)
    return prepared, mc.run_replicates(prepared, scenario)


def stage(results: np.ndarray, name: str, agency: str) -> np.ndarray:
    return results[:, METRICS.index(f"{name}_{agency}"), :]


def draw() -> dict[str, float]:
    rng = np.random.default_rng(0)
    return {n: d.draw(rng) for n, d in load_scenario("hiring-as-applied").distributions().items()}


@pytest.mark.parametrize("name", ["hiring-as-directed-2017", "hiring-as-directed-2017-accenture"])
@pytest.mark.parametrize("agency", AGENCIES)
def test_hires_never_exceed_applicants_times_pass_rates(name: str, agency: str) -> None:
    prepared, _ = simulated(name)
    values = draw()
    funnel = headcount(
        prepared.agencies[agency],
        prepared.directives[agency],
        values,
        prepared.polygraph_in_data,
        np.random.default_rng(1),
    )
    per_hire = values[f"applicants_per_hire_{agency}"]
    polygraph = values["polygraph_pass_rate"] if agency == "border_patrol" else 1.0
    in_data = prepared.polygraph_in_data if agency == "border_patrol" else 1.0
    rates = polygraph / (per_hire * in_data)
    assert funnel["passed_polygraph"] == pytest.approx(funnel["applicants"] * polygraph)
    assert funnel["cleared"] == pytest.approx(funnel["applicants"] * rates)
    delay = round(values["time_to_hire_days"] / 30.44)
    # before the first applicants can be on duty, hires come from those already cleared
    already = prepared.agencies[agency].baseline_hires_per_year / 12
    if np.isnan(already):
        already = prepared.agencies[agency].headcount_at_start * (
            1 - (1 - values["attrition_rate_year"]) ** (1 / 12)
        )
    assert (funnel["hires"][:delay] <= already + 1e-9).all()
    assert (funnel["hires"][delay:] <= funnel["cleared"][:-delay] + 1e-9).all()
    assert funnel["hires"][delay:].sum() > 0


@pytest.mark.parametrize("name", ["hiring-as-applied", "hiring-as-directed-2017"])
def test_headcount_is_start_plus_hires_minus_losses(name: str) -> None:
    prepared, results = simulated(name)
    for agency in AGENCIES:
        start = prepared.agencies[agency].headcount_at_start
        hires, losses = stage(results, "hires", agency), stage(results, "losses", agency)
        staff = stage(results, "headcount", agency)
        assert staff == pytest.approx(start + np.cumsum(hires - losses, axis=1))
        # no one is hired above the target (a lowered target lays no one off)
        hiring_months = hires > 0
        assert (
            staff[hiring_months] <= stage(results, "target", agency)[hiring_months] + 1e-6
        ).all()
        assert (losses >= 0).all() and (hires >= 0).all()


def published_national() -> dict[int, float]:
    table = rows("border_patrol_staffing_by_sector", lambda r: r["sector"] == "nationwide total")
    return {r["fiscal_year"]: r["number_of_agents"] for r in table}


def test_the_actual_path_is_within_5_percent_of_the_published_fy2017_fy2019_counts() -> None:
    prepared, results = simulated("hiring-as-applied", 20)
    months = prepared.inputs.months
    staff = stage(results, "headcount", "border_patrol")
    published = published_national()
    for year in (2017, 2018, 2019):
        simulated_median = np.median(staff[:, months.index(dt.date(year, 9, 1))])
        assert abs(simulated_median / published[year] - 1) <= 0.05, (year, simulated_median)


def test_the_directed_target_is_the_published_plan_and_is_held_once_funded() -> None:
    prepared, results = simulated("hiring-as-directed-2017")
    (plan,) = rows("enforcement_staffing", lambda r: r["metric"] == "target_agents")
    target = stage(results, "target", "border_patrol")
    funded = prepared.inputs.months.index(dt.date(2017, 10, 1))
    assert (target[:, funded:] == plan["value"]).all()  # 21,370 + 5,000: the FY2021 plan
    applied, _ = simulated("hiring-as-applied")
    after = applied.inputs.months.index(dt.date(2021, 3, 1))
    assert applied.directives["border_patrol"].added[after] == 0  # the directive ended
    assert prepared.directives["border_patrol"].added[after] == 5000


def test_contract_months_are_the_rows_award_and_termination() -> None:
    ceiling, ended = (
        next(rows("cbp_hiring_metrics", lambda r, m=m: r["metric"] == m))
        for m in ("accenture_contract_ceiling", "accenture_job_offers_total")
    )
    assert CONTRACT_AWARD.strftime("%b %Y") in ceiling["period"]
    assert CONTRACT_END["as_delivered"].strftime("%b %Y") in ended["period"]
    assert CONTRACT_END["as_promised"] == CONTRACT_AWARD.replace(year=CONTRACT_AWARD.year + 5)
    prepared, _ = simulated("hiring-as-directed-2017-accenture")
    assert prepared.directives["border_patrol"].contract.sum() == 60
    assert not prepared.directives["ice"].contract.any()
    applied, _ = simulated("hiring-as-applied")
    assert applied.directives["border_patrol"].contract.sum() == 17


def test_the_contract_as_promised_costs_its_ceiling_share_and_hires_faster() -> None:
    _, with_contract = simulated("hiring-as-directed-2017-accenture")
    _, without = simulated("hiring-as-directed-2017")
    goal = parameters()["contract_cost_per_month_promised"].rows
    cost = stage(with_contract, "contract_cost_usd", "border_patrol").sum(axis=1)
    ceiling = next(d for d in goal if "ceiling" in d.what).value
    assert cost == pytest.approx(ceiling * 2 / 3)
    staff = (with_contract, without)
    end = [np.median(stage(r, "headcount", "border_patrol")[:, -1]) for r in staff]
    assert end[0] > end[1]


def test_more_applicants_reach_the_target_sooner() -> None:
    years = []
    for multiplier in (2.0, 6.0):
        scenario = load_scenario("hiring-as-directed-2017").model_copy(
            update={
                "replicates": 4,
                "parameters": {
                    "applicant_multiplier_funded_border_patrol": Fixed(value=multiplier)
                },
            }
        )
        prepared, _ = mc.prepare(scenario)
        results = mc.run_replicates(prepared, scenario)
        (bp, _) = hiring.outcomes(results, prepared)
        years.append(np.nan_to_num(bp.years, nan=99.0))
    assert np.median(years[1]) < np.median(years[0])
    assert np.median(years[1]) < 99.0


def test_directed_ice_hiring_raises_interior_arrests_downstream() -> None:
    _, directed = simulated("hiring-as-directed-2017")
    _, applied = simulated("hiring-as-applied")
    arrests = [
        np.median(r[:, METRICS.index("interior_arrests"), :].sum(axis=1))
        for r in (directed, applied)
    ]
    assert arrests[0] > 1.2 * arrests[1]


def test_the_summary_compares_with_oig_and_says_when_no_replicate_reaches() -> None:
    prepared, results = simulated("hiring-as-applied")
    table = hiring.summary(results, prepared, "hiring-as-applied")
    years = table.filter(table["measure"] == "years to target")
    assert (
        years["text"].to_list() == ["not within the horizon (to 2024-09) in 100% of replicates"] * 2
    )
    oig = table.filter(table["measure"].str.starts_with("published"))
    assert oig["p50"].to_list() == [750000, 500000]
    assert all(ref.startswith("data/cbp_hiring_metrics.csv line") for ref in oig["row"])


def test_a_bad_contract_names_the_choices() -> None:
    data = load_scenario("hiring-as-directed-2017").model_dump(mode="json")
    data["hiring"]["contract"] = "as_planned"
    with pytest.raises(ScenarioError, match=r"hiring.contract: Input should be 'as_delivered'"):
        parse_scenario(data, "bad.yaml")


def test_cli_prints_years_to_target_and_writes_the_chart(tmp_path: Path) -> None:
    run = CliRunner().invoke(
        app,
        [
            "simulate",
            "hiring-as-directed-2017",
            "hiring-as-applied",
            "--replicates",
            "3",
            "--workers",
            "0",
            "--out",
            str(tmp_path),
        ],
    )
    assert run.exit_code == 0, run.output
    assert "years to target" in run.output and "not within the horizon" in run.output
    assert (tmp_path / "hiring.html").exists() and (tmp_path / "hiring-comparison.csv").exists()
    if browser.chromium() is not None:
        assert (tmp_path / "hiring.png").stat().st_size > 10_000


def test_paired_differences_show_what_the_directed_hiring_changes() -> None:
    _, directed = simulated("hiring-as-directed-2017")
    _, applied = simulated("hiring-as-applied")
    table = hiring.differences(("directed", directed), ("applied", applied))
    assert table is not None
    change = dict(zip(table["metric"], table["directed − applied"], strict=True))
    assert change["headcount_ice"].startswith("+") and change["interior_arrests"].startswith("+")
    assert hiring.differences(("directed", directed), ("applied", applied[:2])) is None
