"""Every page comes from a template with autoescape and carries no inline script or style, so
the Content-Security-Policy needs no 'unsafe-inline'; the notice has one home."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cruce.decide.notice import NOTICES
from cruce.web.api import app

client = TestClient(app)
PAGES = ["/screener", "/timeline", "/rules", "/sources", "/audit", "/scenarios"]
SOURCE = Path(__file__).resolve().parents[1] / "src" / "cruce"


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_no_inline_script_or_style(path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    page = response.text
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page) is None, "inline <script>"
    assert "<style" not in page and " style=" not in page
    assert re.search(r"\son[a-z]+=", page) is None, "inline event handler"
    assert '<link rel="stylesheet" href="/static/site.css">' in page
    assert NOTICES["en"] in page


@pytest.mark.parametrize("name", ["site.css", "dashboard.js", "charts.js", "audit_report.css"])
def test_static_files_are_served_with_the_security_headers(name: str) -> None:
    response = client.get(f"/static/{name}")
    assert response.status_code == 200 and response.text
    assert response.headers["x-content-type-options"] == "nosniff"


def test_plotly_comes_from_the_installed_package() -> None:
    response = client.get("/static/plotly.min.js")
    assert response.status_code == 200 and "Plotly" in response.text[:5000]


def test_the_screener_escapes_what_it_is_given() -> None:
    data = {"_asked": "native_country", "decide_at": "2019-08-15", "native_country": "<b>x"}
    page = client.post("/screener", data=data)
    assert "<b>x" not in page.text and "&lt;b&gt;x" in page.text


def test_the_notice_has_one_home() -> None:
    """The English notice's words appear in the source once, in cruce.decide.notice."""
    found = subprocess.run(
        ["grep", "-rl", "--include=*.py", "--include=*.html", NOTICES["en"], str(SOURCE)],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    homes = {str(Path(f).relative_to(SOURCE)) for f in found} - {"__init__.py"}
    assert homes == {"decide/notice.py"}, homes


def test_no_python_module_builds_html_by_hand() -> None:
    for module in (SOURCE / "web").glob("*.py"):
        text = module.read_text("utf-8")
        assert "html.escape" not in text and "from html import" not in text, module.name
        assert "class Html" not in text, module.name
