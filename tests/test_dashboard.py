"""The scenario dashboard and the simulation/exposure API, in process and in Chromium."""

from __future__ import annotations

import time
from pathlib import Path

from fastapi.testclient import TestClient

from cruce.simulation import montecarlo as mc
from cruce.simulation.scenario import load_scenario
from cruce.web import browser
from cruce.web.api import LIMIT, app

client = TestClient(app)


def _wait(job_id: str) -> dict:
    for _ in range(200):
        job = client.get(f"/v1/simulations/{job_id}?bands=true").json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError("the simulation job did not finish")


def test_a_simulation_job_reports_progress_then_bands() -> None:
    started = client.post("/v1/simulations", json={"scenario": "baseline-2014", "replicates": 6})
    assert started.status_code == 202
    assert started.headers["location"] == f"/v1/simulations/{started.json()['id']}"
    job = _wait(started.json()["id"])
    assert job["status"] == "done", job
    assert job["progress"] == {"replicates_done": 6, "replicates": 6}
    metrics = {row["metric"] for row in job["bands"]}
    assert {"court_backlog", "returns_to_mexico_non_mexican"} <= metrics
    backlog = [r for r in job["bands"] if r["metric"] == "court_backlog"]
    assert all(r["p05"] <= r["p50"] <= r["p95"] for r in backlog)
    assert "bands" not in client.get(f"/v1/simulations/{job['id']}").json()
    assert job["hiring"] == []  # the 2014 rules hold no hiring directive


def test_a_hiring_job_reports_years_to_target() -> None:
    started = client.post(
        "/v1/simulations", json={"scenario": "hiring-as-directed-2017", "replicates": 3}
    )
    job = _wait(started.json()["id"])
    assert job["status"] == "done", job
    measures = {(r["agency"], r["measure"]): r for r in job["hiring"]}
    assert measures[("border_patrol", "target")]["p50"] == 26370
    assert measures[("ice", "years to target")]["text"]


def test_simulation_errors_are_problems_naming_the_field() -> None:
    bad = client.post("/v1/simulations", json={"scenario_yaml": "name: x\ntitle: t\nmonth: 3\n"})
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"
    assert "month: unknown field" in bad.json()["detail"]
    both = client.post("/v1/simulations", json={"scenario": "baseline-2014", "scenario_yaml": "x"})
    assert "one of them" in both.json()["detail"]
    too_many = client.post(
        "/v1/simulations", json={"scenario": "baseline-2014", "replicates": 10**6}
    )
    assert too_many.status_code == 422
    assert client.get("/v1/simulations/nope").status_code == 404


def test_exposure_compares_regimes_on_a_synthetic_population() -> None:
    answer = client.post("/v1/exposure", json={"regimes": ["R-2014", "R-2019-FULL"], "size": 5000})
    assert answer.status_code == 200
    rows = {r["point"]: r for r in answer.json()["headline"]}
    assert rows["R-2019-FULL"]["ER_AVAILABLE"] > 3 * rows["R-2014"]["ER_AVAILABLE"]
    assert client.post("/v1/exposure", json={"regimes": ["R-1999"]}).status_code == 422


def test_rate_limit_answers_429_with_retry_after() -> None:
    saved = LIMIT.rate
    LIMIT.set_rate(1)
    try:
        codes = [client.get("/healthz").status_code for _ in range(5)]
    finally:
        LIMIT.set_rate(saved)
    assert codes[:2] == [200, 200] and codes[-1] == 429
    assert client.get("/healthz").status_code == 200


def test_dashboard_runs_and_compares_two_scenarios_in_chromium(server: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = browser.launch(playwright)
        page = chromium.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{server}/scenarios")
        assert "not legal advice" in page.content()
        page.get_by_label("Scenario", exact=True).select_option("kelly-2017-as-applied")
        assert "name: kelly-2017-as-applied" in page.get_by_label("Scenario as YAML").input_value()
        page.get_by_label("Compare with (optional)").select_option("kelly-2017-as-directed")
        page.get_by_label("Replicates").fill("8")
        page.get_by_role("button", name="Run").click()
        page.locator("#status", has_text="Done").wait_for(timeout=60_000)
        assert page.locator("#charts .main-svg").count() >= 6  # every panel drawn by Plotly
        assert "kelly-2017-as-directed" in page.inner_text("#summary")
        assert "years to target" in page.inner_text("#hiring")
        done = page.locator("#progress-a").evaluate("bar => [bar.value, bar.max]")
        assert done == [8, 8]  # every replicate reported
        page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
        chromium.close()


def _exposed_in_2019(page) -> int:
    row = page.locator("#exposure-table tr", has_text="2019-08-01")
    return int(row.locator("td").first.inner_text().replace(",", ""))


def test_dashboard_exposure_follows_its_assumption_controls(server: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = browser.launch(playwright)
        page = chromium.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{server}/scenarios")
        documentable = page.get_by_label("Share can document continuous presence", exact=False)
        assert documentable.input_value() == "0.5"  # the default, shown, not hidden
        page.get_by_label("Synthetic persons").select_option("20000")
        exposed = {}
        for share in ("0.2", "1"):
            documentable.fill(share)
            page.get_by_role("button", name="Compute exposure").click()
            page.locator("#exposure-status", has_text="Done").wait_for(timeout=60_000)
            caption = page.inner_text("#exposure-table caption")
            assert f"share_presence_documentable {share}" in caption
            exposed[share] = _exposed_in_2019(page)
        assert exposed["1"] < exposed["0.2"]  # people who can document presence are not exposed
        assert page.locator("#exposure-chart .main-svg").count() >= 1
        documentable.fill("1.5")
        page.get_by_role("button", name="Compute exposure").click()
        page.locator("#exposure-status", has_text="Error").wait_for(timeout=30_000)
        assert "share_presence_documentable" in page.inner_text("#exposure-status")
        chromium.close()


def test_a_chunked_body_over_the_limit_is_refused(monkeypatch) -> None:
    import cruce.web.api as api

    monkeypatch.setattr(api, "MAX_BODY_BYTES", 100)
    chunks = (b"x" * 50 for _ in range(10))  # no Content-Length: counted as it arrives
    answer = client.post(
        "/v1/determinations", content=chunks, headers={"content-type": "application/json"}
    )
    assert answer.status_code == 413 and "over 100 bytes" in answer.json()["detail"]


def test_seed_zero_is_a_seed_and_duplicates_are_refused() -> None:
    started = client.post(
        "/v1/simulations", json={"scenario": "baseline-2014", "seed": 0, "replicates": 1}
    )
    assert started.status_code == 202
    job = _wait(started.json()["id"])
    assert job["status"] == "done" and job["seed"] == 0
    scenario = load_scenario("baseline-2014").model_copy(update={"seed": 0, "replicates": 1})
    prepared, _ = mc.prepare(scenario)
    direct = mc.summary(mc.run_replicates(prepared, scenario), scenario.name)
    assert job["summary"] == direct.fill_nan(None).to_dicts()  # the job ran seed 0, not a default
    twice = client.post("/v1/exposure", json={"regimes": ["R-2014", "R-2014"], "size": 1000})
    assert twice.status_code == 422 and "more than once" in twice.json()["detail"]


def test_too_many_waiting_simulations_is_busy(monkeypatch) -> None:
    import cruce.web.jobs as jobs

    monkeypatch.setattr(jobs, "MAX_WAITING", 0)
    busy = client.post("/v1/simulations", json={"scenario": "baseline-2014", "replicates": 1})
    assert busy.status_code == 503 and "try again later" in busy.json()["detail"]
