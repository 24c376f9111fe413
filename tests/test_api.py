"""The HTTP API, in process, and the audit page in Debian's Chromium driven by Playwright."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from cruce.audit.checks import Action
from cruce.audit.examples import write_example_caseload
from cruce.web import browser as cruce_browser
from cruce.web.api import app

client = TestClient(app)
EXAMPLE = Path(__file__).parents[1] / "src/cruce/examples/e1-guatemalan-interior.yaml"


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
    [error] = response.json()["errors"]
    assert (error["row"], error["column"], error["value"]) == (2, "action", "DEPORTED")
    # the reason lists every valid action, so the user can correct the cell
    assert all(action.value in error["reason"] for action in Action)
    response = client.post("/v1/audits", files={"file": ("bad.xlsx", b"x")})
    assert response.status_code == 415


def test_audit_page_in_chromium(server: str, tmp_path: Path) -> None:
    """Upload the example caseload with the keyboard-usable form, get the report, download."""
    from playwright.sync_api import sync_playwright

    write_example_caseload(tmp_path / "caseload.csv")
    with sync_playwright() as playwright:
        browser = cruce_browser.launch(playwright)
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


def test_screener_starts_with_the_first_topic() -> None:
    first = client.get("/screener").text
    assert "not legal advice" in first and "What are the person&#39;s nationalities?" in first
    # A country is picked by name, never typed as a code.
    assert '<option value="GT">Guatemala</option>' in first


@pytest.mark.parametrize(
    ("path", "needles"),
    [
        ("/timeline", ["R-2019-PI", "MAKE-THE-ROAD-v-MCALEENAN", "S44"]),
        ("/rules", ["REFER_CFI", "open questions", "Which priorities applied", "confirmed"]),
        ("/sources", ["unauthorized_population_by_country", "https://"]),
    ],
)
def test_reference_pages(path: str, needles: list[str]) -> None:
    page = client.get(path)
    assert page.status_code == 200
    assert "not legal advice" in page.text and 'aria-label="Cruce"' in page.text
    for needle in needles:
        assert needle in page.text


def test_pages_navigate_by_keyboard_in_chromium(server: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = cruce_browser.launch(playwright)
        page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
        page.goto(f"{server}/timeline")
        page.keyboard.press("Tab")  # the skip link
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")  # the second link of the navigation: Audit
        page.keyboard.press("Enter")
        page.wait_for_url(f"{server}/audit")
        assert page.get_by_label("Caseload file (CSV or Parquet)").is_visible()
        page.goto(f"{server}/rules")
        assert page.locator("h1").inner_text() == "Rule catalogue"
        browser.close()


def test_committed_openapi_is_current() -> None:
    """The committed schema lists the same operations and models as the app (compared by
    operation and model names, not byte for byte: FastAPI versions word schemas differently)."""
    committed = json.loads((Path(__file__).parents[1] / "docs/openapi.json").read_text("utf-8"))
    current = app.openapi()

    def operations(schema: dict) -> set[tuple[str, str]]:
        return {(path, method) for path, item in schema["paths"].items() for method in item}

    assert operations(committed) == operations(current), "regenerate docs/openapi.json"
    assert set(committed["components"]["schemas"]) == set(current["components"]["schemas"])


@pytest.mark.parametrize(
    ("path", "body", "detail"),
    [
        (
            "/v1/determinations",
            {"case": {}, "at": "9999-12-31T23:00:00-05:00"},
            "outside the years",
        ),
        (
            "/v1/determinations",
            {"case": {"determination_datetime": "0001-01-01T00:00:00+00:00"}},
            "field 'determination_datetime'",
        ),
        ("/v1/exposure", {"at": [""], "size": 1000}, "give a date or a date-time"),
        (
            "/v1/exposure",
            {"at": ["2019-08-01"], "size": 1000, "assumptions": {"share_x": 0.5}},
            "valid: share_entered_without_inspection",
        ),
        (
            "/v1/exposure",
            {"at": ["2019-08-01"], "size": 1000, "assumptions": {"share_minors": 2}},
            "share_minors=2.0: a share must be a number from 0 to 1",
        ),
        ("/v1/simulations", {"scenario_yaml": "[1"}, "scenario_yaml: not valid YAML"),
        ("/v1/simulations", {"scenario": ""}, "is not a shipped scenario"),
        ("/v1/simulations", {"scenario": "pyproject.toml"}, "is not a shipped scenario"),
        ("/v1/simulations", {"scenario": "/etc/passwd"}, "is not a shipped scenario"),
        ("/v1/determinations", {"cases": {}}, "cases: Extra inputs are not permitted"),
    ],
)
def test_bad_input_is_a_problem_naming_the_field(path: str, body: dict, detail: str) -> None:
    answer = client.post(path, json=body)
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    assert detail in answer.json()["detail"]
    assert "root:" not in answer.json()["detail"]  # no server file is ever quoted


@pytest.mark.parametrize(
    ("name", "data", "detail"),
    [
        ("caseload.csv", b"", "the file is empty"),
        ("caseload.parquet", b"not parquet", "not a readable Parquet file"),
        ("caseload.csv", b"__row\n1\n", "reserved"),
    ],
)
def test_unreadable_caseloads_are_problems(name: str, data: bytes, detail: str) -> None:
    answer = client.post("/v1/audits", files={"file": (name, data)})
    assert answer.status_code == 422 and detail in answer.json()["detail"]


def test_audit_api_pages_findings_and_counts_them_all(tmp_path: Path) -> None:
    expected = write_example_caseload(tmp_path / "caseload.csv")
    data = (tmp_path / "caseload.csv").read_bytes()
    planted = {(case_id, f) for case_id, f in expected.items() if f}
    seen: list[tuple[str, str]] = []
    offset: int | None = 0
    while offset is not None:
        answer = client.post(
            "/v1/audits", params={"offset": offset, "limit": 2}, files={"file": ("c.csv", data)}
        ).json()
        assert len(answer["findings"]) <= 2
        seen += [(f["case_id"], f["finding"]) for f in answer["findings"]]
        offset = answer["next_offset"]
    assert set(seen) == planted and len(seen) == answer["findings_total"]
    assert sum(row["findings"] for row in answer["summary"]) == answer["findings_total"]
    too_big = client.post("/v1/audits", params={"limit": 10**6}, files={"file": ("c.csv", data)})
    assert too_big.status_code == 422 and "limit" in too_big.text
