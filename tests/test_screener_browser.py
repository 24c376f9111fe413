"""The three people of the screener walked in Chromium, in English and Spanish, with the
keyboard-usable form: every topic answered, no question asked twice, the cards shown; back and
change ask again with the answers kept; an invalid date keeps every other answer."""

from __future__ import annotations

import html
import re

import pytest
from pypdf import PdfReader

from cruce.web import browser as cruce_browser
from test_screener import PEOPLE
from test_screener import walk as screener_walk

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


def _answers_kept(page, person: dict[str, object]) -> None:
    """Every answer given so far is still in the form (as a hidden field)."""
    hidden = page.eval_on_selector_all(
        "form#interview input[type=hidden]", "els => els.map(e => [e.name, e.value])"
    )
    for name, value in hidden:
        if name in person and value not in ("unknown", ""):
            wanted = person[name]
            assert value in (wanted if isinstance(wanted, list) else [str(wanted)]), name


def _invalid_birth_date(page, person: dict[str, object], lang: str) -> None:
    """An impossible date of birth: the error shows beside its field, the wrong answer stays to
    be corrected, and every other answer is kept."""
    page.locator("#date_of_birth").evaluate("e => { e.type = 'text'; e.value = '2999-99-99'; }")
    page.get_by_role("button", name=NEXT[lang]).first.click()
    assert page.locator(".invalid [role=alert]").count() == 1
    assert page.locator("#date_of_birth").get_attribute("value") == "2999-99-99"
    _answers_kept(page, person)


def _back(page, person: dict[str, object], lang: str) -> None:
    """Back: the previous topic is asked again, its answers filled in."""
    page.get_by_role("button", name=BACK[lang]).click()
    assert page.locator("form#interview .question").count() >= 1
    assert page.locator("form#interview .question input:checked, .question select").count()
    _answers_kept(page, person)


def walk_with_trials(page, server: str, person: dict[str, object], lang: str) -> list[str]:
    """The walk, with an invalid answer and a Back on the way; returns the questions asked,
    those asked again on purpose (after the error, after Back) not counted twice."""
    page.goto(f"{server}/screener?lang={lang}")
    seen: list[str] = []
    again = tried_error = tried_back = False
    for step in range(20):
        if page.locator(".cards").count():
            break
        asked = fill(page, person)
        seen += [] if again else asked
        again = True
        if not tried_error and "date_of_birth" in asked:
            _invalid_birth_date(page, person, lang)
            tried_error = True
        elif not tried_back and step >= 2 and page.get_by_role("button", name=BACK[lang]).count():
            _back(page, person, lang)
            tried_back = True
        else:
            again = False
            page.get_by_role("button", name=NEXT[lang]).first.click()
    assert tried_error and tried_back
    return seen


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("who", list(PEOPLE))
def test_walk_to_a_result(chromium, server: str, who: str, lang: str) -> None:
    """Each person to a finished result: the outcome cards are the ones the server decides
    for their answers, no question repeats, an invalid answer keeps the others, Back and
    Change ask again with the answers kept."""
    page = chromium.new_page(viewport={"width": 390, "height": 844})  # a phone
    seen = walk_with_trials(page, server, PEOPLE[who], lang)
    assert len(seen) == len(set(seen)), [f for f in seen if seen.count(f) > 1]
    assert page.locator(".cards .card").count() == 5
    assert TITLE[lang] in page.inner_text(".cards")
    expected, _ = screener_walk(PEOPLE[who], lang)
    codes = re.findall(r'<p class="code">([^<]+)</p>', expected)
    assert page.locator(".cards p.code").all_text_contents() == [html.unescape(c) for c in codes]
    sentences = page.locator(".cards .sentence").all_inner_texts()
    assert sentences == [
        html.unescape(s) for s in re.findall(r'class="sentence">([^<]+)', expected)
    ]
    # Change the first answer from the review list: asked again, filled in; Next returns.
    page.get_by_role("button", name={"en": "Change", "es": "Cambiar"}[lang]).first.click()
    assert page.locator("form#interview .question").count() == 1
    _answers_kept(page, PEOPLE[who])
    page.get_by_role("button", name=NEXT[lang]).first.click()
    assert page.locator(".cards p.code").all_text_contents() == [html.unescape(c) for c in codes]
    page.close()


def _words(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_download_pdf_holds_the_cards_reasons(chromium, server: str) -> None:
    page = chromium.new_page(accept_downloads=True)
    walk(page, server, PEOPLE["child"], "es")
    reasons = page.locator(".cards .why li").all_inner_texts()
    assert reasons
    with page.expect_download() as download:
        page.get_by_role("button", name="Descargar PDF").click()
    printed = PdfReader(download.value.path()).pages
    text = _words(" ".join(p.extract_text() for p in printed))
    for reason in reasons:
        assert _words(reason.split(" (")[0].lstrip("✓✗? ")) in text, reason
    assert _words("Deportación acelerada (expedited removal)") in text
    page.close()


def test_a_link_rebuilds_the_result_from_its_fragment_only(chromium, server: str) -> None:
    page = chromium.new_page()
    walk(page, server, PEOPLE["mother"], "en")
    codes = page.locator(".cards p.code").all_text_contents()
    assert codes and all(codes)
    link = page.locator("#result-link").get_attribute("href")
    page.close()
    fresh = chromium.new_page()
    requests: list[tuple[str, str]] = []
    fresh.on("request", lambda r: requests.append((r.url, r.post_data or "")))
    fresh.goto(server + link)
    fresh.wait_for_selector(".cards[data-rebuilt=fragment]")
    assert fresh.locator(".cards p.code").all_text_contents() == codes
    # The facts went in a POST body, never in a URL the server (or its access log) sees.
    assert all("LAND_BETWEEN_POES" not in url and "HN" not in url for url, _ in requests)
    assert any("LAND_BETWEEN_POES" in body for _, body in requests)
    fresh.close()


def _focused(page) -> dict[str, str]:
    return page.evaluate(
        "() => { const e = document.activeElement; return {tag: e.tagName, "
        "type: e.type || '', name: e.name || '', value: e.value || '', text: e.innerText || ''}; }"
    )


def _answer_by_keyboard(page, focused: dict[str, str], value: object) -> None:
    """Set the focused control to ``value`` with keys only: arrows in a radio group or a list,
    Space on a checkbox, digits in a date field."""
    name = focused["name"]
    if focused["type"] == "radio":
        for _ in range(12):
            if page.locator(f"input[name={name}][value='{value}']").is_checked():
                return
            page.keyboard.press("ArrowDown")
        raise AssertionError(f"{name}: no radio {value}")
    if focused["type"] == "checkbox":
        if focused["value"] == str(value):
            page.keyboard.press("Space")
        return
    if focused["tag"] == "SELECT":
        target = value[0] if isinstance(value, list) else str(value)
        for _ in range(300):
            if page.evaluate("() => document.activeElement.value") == target:
                return
            page.keyboard.press("ArrowDown")
        raise AssertionError(f"{name}: no option {target}")
    if focused["type"] == "date":
        year, month, day = str(value).split("-")
        page.keyboard.type(f"{month}{day}{year}")
        return
    page.keyboard.type(str(value))


def test_keyboard_only_walk_to_a_result(chromium, server: str) -> None:
    """The Chicago man's interview done with the keyboard alone: Tab to each control, keys to
    answer it, Enter on Next, until the result cards show."""
    person = {**PEOPLE["chicago"], "decide_at": None}  # today's date, as the page proposes
    page = chromium.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{server}/screener")
    answered: set[str] = set()
    for _ in range(15):
        if page.locator(".cards").count():
            break
        for _ in range(200):
            page.keyboard.press("Tab")
            focused = _focused(page)
            if focused["tag"] == "BUTTON" and focused["text"] == "Next":
                with page.expect_navigation():
                    page.keyboard.press("Enter")
                break
            name = focused["name"]
            value = str(person.get(name))
            # "cannot show any" presence is its checkbox, not the date beside it
            fits = {"checkbox": focused["value"] == value, "date": value[:1].isdigit()}
            if (
                name not in answered
                and person.get(name) is not None
                and fits.get(focused["type"], True)
            ):
                _answer_by_keyboard(page, focused, person[name])
                answered.add(name)
        else:
            raise AssertionError("Tab never reached Next")
    assert page.locator(".cards .card").count() == 5
    assert {"native_country", "entry_mode", "continuous_presence_established_since"} <= answered
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390  # no sideways scroll
    page.close()
