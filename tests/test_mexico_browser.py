"""The /mexico page in Chromium, in English (Accept-Language) and Spanish (?lang=es): the answer
with its numbers, four drawn charts, each with its data as a CSV download, every published point
with its source row, and the consulate's audit of ICE's releases (the samples in tests/data) with
the file and lines of every count and every row behind them as a CSV."""

from __future__ import annotations

import base64
import csv
import gzip
import io
import os
from pathlib import Path

import pytest

from cruce.simulation import mexico as mx
from cruce.web import browser as cruce_browser
from cruce.web import mexico as page_module

HEADINGS = {"en": "Mexico's side", "es": "El lado de México"}
DOWNLOAD = {"en": "Download the data (CSV)", "es": "Descargar los datos (CSV)"}
DATA = Path(__file__).resolve().parent / "data"
CHARTS = 4  # returns by month, by nationality, Mexicans exposed, the consulate's findings


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    page_module.REPLICATES = 3  # few draws: the runs are computed once and kept
    os.environ[page_module.ICE_RELEASES] = str(DATA)  # as `cruce serve --ice tests/data` would
    with sync_playwright() as playwright:
        browser = cruce_browser.launch(playwright)
        yield browser
        browser.close()
    del os.environ[page_module.ICE_RELEASES]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_page_draws_its_charts_and_offers_their_data(chromium, server, lang) -> None:
    context = chromium.new_context(locale="en-US" if lang == "en" else "fr-FR")
    page = context.new_page()
    query = "" if lang == "en" else "?lang=es"
    page.goto(f"{server}/mexico{query}")
    # the first visit waits for the runs, reloading itself until they are ready
    page.wait_for_selector("#answer", timeout=300_000)
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("h1").inner_text() == HEADINGS[lang]
    page.wait_for_function(
        f"document.querySelectorAll('.plotly-chart .main-svg').length >= {CHARTS}",
        timeout=60_000,
    )
    side = mx.side(page_module.REPLICATES)
    high = mx.the_range(side)["directed_high"]
    assert f"{high['p50']:,.0f}" in page.locator("#answer").inner_text()
    links = page.locator("figure.chart a.download")
    assert links.count() == CHARTS
    for i in range(CHARTS):
        assert DOWNLOAD[lang] in links.nth(i).inner_text()
        href = links.nth(i).get_attribute("href") or ""
        text = base64.b64decode(href.split(",", 1)[1]).decode()
        assert len(text.splitlines()) > 2  # a header and data rows
    monthly = base64.b64decode((links.nth(0).get_attribute("href") or "").split(",", 1)[1]).decode()
    assert monthly.splitlines()[0] == "run,month,nationality,p05,p50,p95"
    rows = page.locator("#published tbody tr")
    assert rows.count() == side.published.height
    assert "data/mpp.csv line" in rows.first.inner_text()
    assert "data/unauthorized_population_by_country.csv" in page.locator("#exposed").inner_text()
    _the_consulate_s_audit(page, server, lang)
    context.close()


def _the_consulate_s_audit(page, server: str, lang: str) -> None:
    """Each count shows its file and lines; the rows CSV lists exactly those lines, and each is
    a Mexican national's record in the release file itself."""
    found = mx.consulate((DATA,))
    words = mx.CONSULATE_WORDS[lang]
    assert page.locator("#consulate-heading").inner_text() == words["heading"]
    counts = page.locator("#consulate-counts tbody tr")
    assert counts.count() == found.counts.height > 0
    for i, row in enumerate(mx.consulate_counts(found, lang)):
        cells = counts.nth(i).locator("td").all_inner_texts()
        assert cells == [row[k] for k in ("finding", "fiscal_year", "status", "actions", "source")]
    chart = page.locator("#consulate-findings .gtitle").text_content()
    assert chart == words["chart"]
    href = page.locator("#consulate-findings a.download").get_attribute("href") or ""
    table = base64.b64decode(href.split(",", 1)[1]).decode()
    assert len(table.splitlines()) == found.counts.height + 1
    response = page.request.get(f"{server}{page.locator('#consulate-rows').get_attribute('href')}")
    rows = list(csv.DictReader(io.StringIO(response.text())))
    assert len(rows) == sum(found.counts["rows"])
    for row in rows:
        lines = gzip.decompress((DATA / row["file"]).read_bytes()).decode().split("\n")
        assert '|"MEXICO"|' in lines[int(row["line"]) - 1]


def test_accept_language_chooses_spanish(chromium, server) -> None:
    context = chromium.new_context(extra_http_headers={"Accept-Language": "es-MX,es;q=0.9"})
    page = context.new_page()
    page.goto(f"{server}/mexico")
    page.wait_for_selector("#answer", timeout=300_000)
    assert page.locator("h1").inner_text() == HEADINGS["es"]
    context.close()
