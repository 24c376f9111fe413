"""The /mexico page in Chromium, in English (Accept-Language) and Spanish (?lang=es): the answer
with its numbers, three drawn charts, each with its data as a CSV download, and every published
point with its source row."""

from __future__ import annotations

import base64

import pytest

from cruce.simulation import mexico as mx
from cruce.web import browser as cruce_browser
from cruce.web import mexico as page_module

HEADINGS = {"en": "Mexico's side", "es": "El lado de México"}
DOWNLOAD = {"en": "Download the data (CSV)", "es": "Descargar los datos (CSV)"}


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    page_module.REPLICATES = 3  # few draws: the runs are computed once and kept
    with sync_playwright() as playwright:
        browser = cruce_browser.launch(playwright)
        yield browser
        browser.close()


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
        "document.querySelectorAll('.plotly-chart .main-svg').length >= 3", timeout=60_000
    )
    side = mx.side(page_module.REPLICATES)
    high = mx.the_range(side)["directed_high"]
    assert f"{high['p50']:,.0f}" in page.locator("#answer").inner_text()
    links = page.locator("figure.chart a.download")
    assert links.count() == 3
    for i in range(3):
        assert DOWNLOAD[lang] in links.nth(i).inner_text()
        href = links.nth(i).get_attribute("href") or ""
        text = base64.b64decode(href.split(",", 1)[1]).decode()
        assert len(text.splitlines()) > 3
    monthly = base64.b64decode((links.nth(0).get_attribute("href") or "").split(",", 1)[1]).decode()
    assert monthly.splitlines()[0] == "run,month,nationality,p05,p50,p95"
    rows = page.locator("#published tbody tr")
    assert rows.count() == side.published.height
    assert "data/mpp.csv line" in rows.first.inner_text()
    assert "data/unauthorized_population_by_country.csv" in page.locator("#exposed").inner_text()
    context.close()


def test_accept_language_chooses_spanish(chromium, server) -> None:
    context = chromium.new_context(extra_http_headers={"Accept-Language": "es-MX,es;q=0.9"})
    page = context.new_page()
    page.goto(f"{server}/mexico")
    page.wait_for_selector("#answer", timeout=300_000)
    assert page.locator("h1").inner_text() == HEADINGS["es"]
    context.close()
