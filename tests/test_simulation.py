"""The enforcement pipeline: inputs and their rows, pathways from the rules, accounting,
scenarios, determinism and lost workers on Dask, the CLI."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from cruce.cli.app import app
from cruce.decide.determination import determine
from cruce.facts.case import Case
from cruce.law.timeline import timeline_named
from cruce.simulation import montecarlo as mc
from cruce.simulation.data import Evidence
from cruce.simulation.inputs import MissingInput, month_range, monthly_inputs
from cruce.simulation.parameters import Fixed
from cruce.simulation.pathways import AXES, PATHWAYS, border_cohort, border_law, instant_of
from cruce.simulation.pipeline import METRICS
from cruce.simulation.scenario import (
    ScenarioError,
    load_scenario,
    parse_scenario,
    shipped_scenarios,
)

DATA = Path(__file__).parents[1] / "src" / "cruce" / "data"


def small(name: str, months: int = 30, **changes):
    scenario = load_scenario(name)
    return scenario.model_copy(update={"months": months, "replicates": 4, **changes})


@cache
def prepared(name: str, months: int = 30):
    return mc.prepare(small(name, months))


def metric(results: np.ndarray, name: str) -> np.ndarray:
    return results[..., METRICS.index(name), :]


# --- inputs -------------------------------------------------------------------------------


def test_every_input_row_cited_is_the_line_it_names() -> None:
    evidence = Evidence()
    monthly_inputs(month_range(dt.date(2016, 10, 1), 48), evidence)
    assert len(evidence.rows) > 30
    for record in evidence.records():
        file, line = str(record["row"]).removeprefix("data/").split(" line ")
        text = (DATA / file).read_text(encoding="utf-8").splitlines()[int(line) - 1]
        assert str(record["url"]) in text
        number = float(record["value"])
        shown = f"{number:g}" if number != int(number) else str(int(number))
        assert shown in text.replace(",", ""), (record, text)


def test_nationalities_match_the_published_breakdown() -> None:
    """FY2017: Mexico from the by-year table, the others from the FY2017 breakdown."""
    cells = monthly_inputs(month_range(dt.date(2016, 10, 1), 1), Evidence()).composition[0]
    total = 303_916  # data/swb_usbp_apprehensions_by_nationality.csv, FY2017 "All"
    published = {"MX": 127_938, "GT": 65_871, "HN": 47_260, "SV": 49_760}
    for n, name in enumerate(("MX", "GT", "HN", "SV")):
        assert cells[:, n].sum() == pytest.approx(published[name] / total, abs=0.01), name
    assert cells[:, 4].sum() > 0.03  # everyone else


def test_the_simulated_credible_fear_referrals_reproduce_the_data() -> None:
    prep, _ = prepared("kelly-2017-as-applied", 12)
    results = mc.run_replicates(prep, small("kelly-2017-as-applied", 12))
    referred = metric(results, "pathway_credible_fear").sum(axis=1)
    published = 78_090  # data/credible_fear.csv FY2017 cf_total
    assert np.all(np.abs(referred / published - 1) < 0.05)


def test_composition_is_a_distribution_and_years_without_data_say_so() -> None:
    evidence = Evidence()
    inputs = monthly_inputs(month_range(dt.date(2019, 10, 1), 12), evidence)
    assert np.allclose(inputs.composition.sum(axis=(1, 2)), 1.0)
    assert (inputs.composition >= 0).all()
    assert any("FY2020 read from FY2019" in s for s in evidence.stand_ins)


def test_months_the_tables_do_not_cover_must_come_from_the_scenario() -> None:
    with pytest.raises(MissingInput, match=r"FY2026.*encounters_by_year"):
        monthly_inputs(month_range(dt.date(2025, 10, 1), 3), Evidence())
    inputs = monthly_inputs(month_range(dt.date(2025, 10, 1), 3), Evidence(), {2026: 240_000})
    assert inputs.encounters.tolist() == [20_000.0] * 3


# --- pathways come from the rules ---------------------------------------------------------


def test_the_grid_pathways_are_what_the_explainer_decides() -> None:
    """Sampled cells of the cohort: the compiled pathway equals the explained procedure."""
    months = [dt.date(2016, 6, 1), dt.date(2019, 8, 1)]
    instants = [instant_of(m) for m in months]
    cohort = border_cohort(instants)
    law = border_law(instants, timeline_named("actual"))
    cells = np.argwhere(np.ones((len(months), *(len(a) for a in AXES)), dtype=bool))
    rng = np.random.default_rng(1)
    for cell in cells[rng.choice(len(cells), 40, replace=False)]:
        flat = np.ravel_multi_index(tuple(cell), law.expedited.shape)
        row = cohort.row(int(flat), named=True)
        facts = {k: v for k, v in row.items() if v is not None and k not in ("month", "instant")}
        decided = determine(Case.model_validate(facts), row["instant"])
        outcome = {q: o.outcome for q, o in decided.outcomes.items()}
        expected = {
            "ER_AVAILABLE": law.expedited,
            "REFER_CFI": law.credible_fear,
            "REINSTATEMENT_PATH": law.reinstated,
            "NTA_240": law.notice_to_appear,
            "TVPRA_HHS_240": law.to_hhs,
            "TVPRA_CONTIGUOUS_WITHDRAWAL_PERMITTED": law.repatriated,
        }
        assert expected[outcome["procedure"]][tuple(cell)], (row, outcome)
        assert law.mpp_amenable[tuple(cell)] == (outcome["mpp"] == "MPP_AMENABLE")


def test_who_is_returned_to_mexico_follows_the_law_of_each_scenario() -> None:
    returned = {}
    for name in ("baseline-2014", "kelly-2017-as-applied", "kelly-2017-as-directed"):
        prep, _ = prepared(name, 36)
        results = mc.run_replicates(prep, small(name, 36))
        returned[name] = {
            n: metric(results, f"returns_to_mexico_{n}").sum(axis=0) for n in ("MX", "GT")
        }
    assert returned["baseline-2014"]["GT"].sum() == 0  # no return program in 2016's law
    applied = returned["kelly-2017-as-applied"]
    assert applied["MX"].sum() == 0  # MPP excluded Mexicans
    assert applied["GT"][:27].sum() == 0 and applied["GT"][28:].sum() > 0  # from Feb 2019
    directed = returned["kelly-2017-as-directed"]
    assert directed["GT"][:4].sum() == 0 and directed["GT"][5:].sum() > 0  # from Part H
    assert directed["MX"][5:].sum() > 0  # whatever their nationality


def test_full_scope_expedited_removal_reaches_the_interior_only_when_in_force() -> None:
    prep, _ = prepared("kelly-2017-as-applied", 40)
    share = prep.interior.expedited_available
    # the July 2019 designation: in force on 2019-08-15 and 2019-09-15, enjoined from 09-27
    assert share[34] > 3 * share[0] and share[35] == share[34]
    assert share[36] == pytest.approx(share[0], rel=0.2)
    directed, _ = prepared("kelly-2017-as-directed", 40)
    assert directed.interior.expedited_available[5] > 3 * share[5]


def test_visa_waiver_overstays_are_removed_without_a_hearing_not_sent_to_court() -> None:
    """With a share of interior arrestees admitted under the VWP, the rules' no-hearing removal
    (8 CFR 217.4(b)) takes them: as many fewer interior cases reach the court, same draws."""
    prep, _ = prepared("kelly-2017-as-applied", 12)
    assert (prep.interior.vwp_no_hearing == 1.0).all()  # the rule holds in every regime
    runs = {}
    for share in (0.0, 0.3):
        scenario = small(
            "kelly-2017-as-applied",
            12,
            parameters={"interior_vwp_overstay_share": Fixed(value=share)},
        )
        runs[share] = mc.run_replicates(prep, scenario)
    none, some = runs[0.0], runs[0.3]
    vwp = metric(some, "interior_vwp_removed_without_hearing").sum()
    assert metric(none, "interior_vwp_removed_without_hearing").sum() == 0
    arrests = metric(some, "interior_arrests").sum()
    assert 0.1 * arrests < vwp < 0.4 * arrests  # about 0.3 of those without an earlier order
    receipts = metric(none, "court_receipts").sum() - metric(some, "court_receipts").sum()
    assert receipts > 0.5 * vwp  # they left the court's docket


def test_stowaways_are_removed_on_inspection_or_referred_never_sent_to_court() -> None:
    """The rules order a stowaway removed with no hearing, a fear claim to a credible fear
    interview (INA 235(a)(2)); with a share of the encounters stowaways, the 240 pathway
    shrinks by as many and the no-hearing pathways grow."""
    prep, _ = prepared("kelly-2017-as-applied", 12)
    law = prep.border
    assert law.stowaway_removed[:, 0].all() and not law.stowaway_removed[:, 1].any()
    assert law.stowaway_referred[:, 1].all() and not law.stowaway_referred[:, 0].any()
    runs = {}
    for share in (0.0, 0.2):
        scenario = small(
            "kelly-2017-as-applied", 12, parameters={"border_stowaway_share": Fixed(value=share)}
        )
        runs[share] = mc.run_replicates(prep, scenario)
    none, some = runs[0.0], runs[0.2]
    encounters = metric(some, "encounters").sum()
    to_court = metric(none, "pathway_notice_to_appear").sum()
    fewer = to_court - metric(some, "pathway_notice_to_appear").sum()
    assert fewer > 0.1 * to_court  # about a fifth of those bound for section 240
    summary = ("pathway_expedited_removal", "pathway_credible_fear")
    more = sum(metric(some, k).sum() - metric(none, k).sum() for k in summary)
    assert more > 0.1 * encounters  # the stowaways' own pathways, no hearing
    assert metric(some, "court_receipts").sum() < metric(none, "court_receipts").sum()


# --- accounting ---------------------------------------------------------------------------


def test_every_encounter_takes_one_pathway_and_the_court_keeps_its_books() -> None:
    prep, _ = prepared("kelly-2017-as-applied", 36)
    results = mc.run_replicates(prep, small("kelly-2017-as-applied", 36))
    pathways = sum(metric(results, f"pathway_{p}") for p in PATHWAYS)
    paroled = metric(results, "paroled_at_ports")
    assert paroled.sum() > 0
    assert np.array_equal(pathways + paroled, metric(results, "encounters"))
    removed = metric(results, "removals_by_cbp") + metric(results, "removals_by_ice")
    assert np.allclose(removed, metric(results, "removals"))
    backlog = metric(results, "court_backlog")
    change = metric(results, "court_receipts") - metric(results, "court_completions")
    assert np.allclose(np.diff(backlog, axis=-1), change[:, 1:])
    assert np.allclose(backlog[:, 0], prep.inputs.pending_at_start + change[:, 0])
    orders = sum(metric(results, m) for m in ("in_absentia_orders", "relief_granted"))
    assert np.allclose(
        orders + metric(results, "removal_orders"), metric(results, "court_completions")
    )
    assert (
        metric(results, "detention_population") <= metric(results, "detention_capacity") + 1e-6
    ).all()


def test_more_judges_shorten_the_backlog() -> None:
    prep, _ = prepared("kelly-2017-as-applied", 36)
    base = small("kelly-2017-as-applied", 36)
    data = base.model_dump(mode="json", by_alias=True)
    data["parameters"] = {"judges_added_per_year": {"kind": "fixed", "value": 200}}
    more = parse_scenario(data, "test")
    fewer = metric(mc.run_replicates(prep, more), "court_backlog")[:, -1]
    assert (fewer < metric(mc.run_replicates(prep, base), "court_backlog")[:, -1]).all()


# --- determinism, Dask, lost workers -------------------------------------------------------


def test_same_seed_same_numbers_and_another_seed_others() -> None:
    prep, _ = prepared("kelly-2017-as-applied", 24)
    scenario = small("kelly-2017-as-applied", 24)
    first = mc.run_replicates(prep, scenario)
    assert np.array_equal(first, mc.run_replicates(prep, scenario), equal_nan=True)
    other = mc.run_replicates(prep, scenario.model_copy(update={"seed": 7}))
    assert not np.array_equal(first, other)


def test_dask_gives_the_same_numbers_with_one_or_two_workers() -> None:
    prep, _ = prepared("kelly-2017-as-applied", 24)
    scenario = small("kelly-2017-as-applied", 24, replicates=12)
    alone = mc.run_replicates(prep, scenario)
    for workers in (1, 2):
        with mc.dask_client(workers) as client:
            assert np.array_equal(mc.run_replicates(prep, scenario, client), alone, equal_nan=True)


def test_a_worker_killed_mid_run_loses_nothing() -> None:
    prep, _ = prepared("kelly-2017-as-applied", 24)
    scenario = small("kelly-2017-as-applied", 24, replicates=300)
    expected = mc.run_replicates(prep, scenario)
    killed = []
    with mc.dask_client(2) as client:
        pids = client.run(os.getpid)

        def kill_once(_: int) -> None:
            if not killed:
                victim = next(iter(pids.values()))
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)

        results = mc.run_replicates(prep, scenario, client, kill_once)
        assert killed and killed[0] not in client.run(os.getpid).values()
    assert np.array_equal(results, expected, equal_nan=True)


@pytest.mark.parametrize("workers", [1, 2])
def test_losing_every_worker_loses_nothing(workers: int) -> None:
    prep, _ = prepared("kelly-2017-as-applied", 24)
    scenario = small("kelly-2017-as-applied", 24, replicates=200)
    expected = mc.run_replicates(prep, scenario)
    killed: list[int] = []
    with mc.dask_client(workers) as client:
        pids = list(client.run(os.getpid).values())

        def kill_all_once(_: int) -> None:
            if not killed:
                for pid in pids:
                    os.kill(pid, signal.SIGKILL)
                killed.extend(pids)

        results = mc.run_replicates(prep, scenario, client, kill_all_once)
        assert set(killed).isdisjoint(client.run(os.getpid).values())
    assert np.array_equal(results, expected, equal_nan=True)


def test_a_cluster_that_stays_down_finishes_in_process(monkeypatch, caplog) -> None:
    monkeypatch.setattr(mc, "WORKER_WAIT_S", 2.0)
    prep, _ = prepared("kelly-2017-as-applied", 24)
    scenario = small("kelly-2017-as-applied", 24, replicates=100)
    expected = mc.run_replicates(prep, scenario)
    with mc.dask_client(1) as client:
        pids = list(client.run(os.getpid).values())
        done: list[int] = []

        def take_the_cluster_down(count: int) -> None:
            if not done:
                client.cluster.scale(0)
                for pid in pids:
                    os.kill(pid, signal.SIGKILL)
            done.append(count)

        with caplog.at_level("WARNING", logger=mc.__name__):
            results = mc.run_replicates(prep, scenario, client, take_the_cluster_down)
    assert sum(done) == 100
    assert "remaining batches in process" in caplog.text
    assert np.array_equal(results, expected, equal_nan=True)


# --- scenarios ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"horizon": 3}, r"horizon: unknown field; valid: name, title"),
        ({"parameters": {"uptake": {"kind": "fixed", "value": 1}}}, r"unknown parameter 'uptake'"),
        (
            {"parameters": {"return_uptake": {"kind": "beta", "a": 1}}},
            r"parameters.return_uptake: unknown distribution kind; valid: fixed, uniform",
        ),
        (
            {"parameters": {"return_uptake": {"kind": "uniform", "low": 0.5, "high": 1.5}}},
            r"return_uptake \(fraction\) must stay in \[0, 1\]; .* spans \[0.5, 1.5\]",
        ),
        ({"timeline": "kelly-2018"}, r"unknown timeline 'kelly-2018'; valid: actual, kelly"),
        ({"returns_to_mexico": "all"}, r"returns_to_mexico: Input should be 'mpp' or 'part_h"),
        ({"start": "2017-13"}, r"start: String should match pattern"),
        ({"start": "2199-01", "months": 24}, r"leaves 1990–2199"),
        (
            {"parameters": {"time_to_hire_days": {"kind": "fixed", "value": -5}}},
            r"time_to_hire_days \(days\) must stay in \[1, 1500\]",
        ),
    ],
)
def test_scenario_errors_name_the_field_and_the_choices(change: dict, message: str) -> None:
    data = load_scenario("kelly-2017-as-applied").model_dump(mode="json", by_alias=True)
    data.update(change)
    with pytest.raises(ScenarioError, match=message):
        parse_scenario(data, "bad.yaml")


def test_an_unknown_scenario_lists_the_shipped_ones() -> None:
    with pytest.raises(ScenarioError, match="shipped: baseline-2014, enforcement-2025"):
        load_scenario("kelly-2019")


def test_every_shipped_scenario_runs() -> None:
    assert len(shipped_scenarios()) >= 4
    for name in shipped_scenarios():
        scenario = small(name, 6)
        prep, evidence = mc.prepare(scenario)
        results = mc.run_replicates(prep, scenario)
        assert np.isfinite(metric(results, "court_backlog")).all()
        assert evidence.records()


def test_cli_simulates_compares_and_stores_with_provenance(tmp_path: Path) -> None:
    import duckdb

    run = CliRunner().invoke(
        app,
        [
            "simulate",
            "baseline-2014",
            "kelly-2017-as-applied",
            "--replicates",
            "3",
            "--workers",
            "0",
            "--out",
            str(tmp_path),
        ],
    )
    assert run.exit_code == 0, run.output
    assert "returns_to_mexico_non_mexican" in run.output
    for name in ("comparison.csv", "simulation.html", "baseline-2014-bands.csv"):
        assert (tmp_path / name).exists()
    with duckdb.connect(str(tmp_path / "cruce.duckdb")) as db:
        kinds = db.execute("SELECT kind, provenance FROM runs").fetchall()
        assert [k for k, _ in kinds] == ["simulation", "simulation"]
        provenance = json.loads(kinds[0][1])
        assert provenance["seed"] == 2017 and provenance["replicates"] == 3
        assert any("swb_encounters.csv" in r["row"] for r in provenance["data_rows"])
        assert db.execute("SELECT count(DISTINCT run_id) FROM simulation_bands").fetchone() == (2,)


def test_cli_names_a_bad_scenario_file(tmp_path: Path) -> None:
    bad = tmp_path / "s.yaml"
    bad.write_text("name: x\ntitle: t\nstart: 2017-01\nmonths: 3\nreplicas: 2\n")
    run = CliRunner().invoke(app, ["simulate", str(bad), "--workers", "0"])
    assert run.exit_code == 2
    assert "replicas: unknown field" in run.output
