"""The HTTP API, in process, and the audit page in Debian's Chromium driven by Playwright."""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn
import yaml
from fastapi.testclient import TestClient

from cruce.api import app
from cruce.audit_examples import write_example_caseload

client = TestClient(app)
EXAMPLE = Path(__file__).parents[1] / "src/cruce/examples/e1-guatemalan-interior.yaml"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def _case() -> dict:
    """The example case as a JSON client sends it (dates as ISO strings)."""
    return json.loads(json.dumps(yaml.safe_load(EXAMPLE.read_text("utf-8")), default=str))


def test_health_and_security_headers() -> None:
    response = client.get("/healthz")
    assert response.json()["status"] == "ok"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'self'" in response.headers["content-security-policy"]


def test_determination_is_the_cli_json_schema() -> None:
    response = client.post("/v1/determinations", json={"case": _case(), "at": "2019-08-15"})
    assert response.status_code == 200
    data = response.json()
    assert data["regime"] == "R-2019-FULL"
    assert {o["question"] for o in data["outcomes"]} >= {"expedited_removal", "procedure"}


def test_bad_case_is_problem_json_naming_the_field() -> None:
    case = dict(_case(), entry_mode="SWAM")
    response = client.post("/v1/determinations", json={"case": case})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "entry_mode" in response.json()["detail"]
    response = client.post("/v1/determinations", json={"case": _case(), "regime": "R-1999"})
    assert response.status_code == 422 and "valid: R-2014" in response.json()["detail"]


def test_regimes_and_rules() -> None:
    assert any(r["id"] == "kelly-2017-as-directed" for r in client.get("/v1/regimes").json())
    rules = client.get("/v1/rules").json()
    assert any(r["outcome"] == "REFER_CFI" and r["citations"] for r in rules)


def test_audit_api_finds_planted_violations(tmp_path: Path) -> None:
    expected = write_example_caseload(tmp_path / "caseload.csv")
    with (tmp_path / "caseload.csv").open("rb") as handle:
        response = client.post("/v1/audits", files={"file": ("caseload.csv", handle)})
    assert response.status_code == 200
    found = {(f["case_id"], f["finding"]) for f in response.json()["findings"]}
    assert found == {(case_id, f) for case_id, f in expected.items() if f}


def test_audit_api_reports_bad_cells_row_by_row(tmp_path: Path) -> None:
    bad = b"case_id,action,action_instant\nA,DEPORTED,2019-08-15\n"
    response = client.post("/v1/audits", files={"file": ("bad.csv", bad)})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "row": 2,
            "column": "action",
            "value": "DEPORTED",
            "reason": response.json()["errors"][0]["reason"],
        }
    ]
    response = client.post("/v1/audits", files={"file": ("bad.xlsx", b"x")})
    assert response.status_code == 415


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    for _ in range(100):
        if running.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=5)


def test_audit_page_in_chromium(server: str, tmp_path: Path) -> None:
    """Upload the example caseload with the keyboard-usable form, get the report, download."""
    from playwright.sync_api import sync_playwright

    write_example_caseload(tmp_path / "caseload.csv")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{server}/audit")
        assert "not legal advice" in page.content()
        page.get_by_label("Caseload file (CSV or Parquet)").set_input_files(
            tmp_path / "caseload.csv"
        )
        page.get_by_role("button", name="Audit").click()
        page.wait_for_selector("#download")
        assert page.locator("text=ER_DURING_COURT_ORDER").count() >= 1
        page.wait_for_selector(".main-svg")  # the charts were drawn
        with page.expect_download() as download:
            page.click("#download")
        saved = tmp_path / "findings.csv"
        download.value.save_as(saved)
        assert "MEXICAN_NATIONAL_RETURNED_UNDER_MPP" in saved.read_text("utf-8")
        page.screenshot(path=str(tmp_path / "audit-page.png"), full_page=False)
        browser.close()
