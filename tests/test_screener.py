"""The screener interview: every fact has a question in both languages; three people walk to a
finished result in English and Spanish without a question asked twice; back, edit and an
invalid answer keep every other answer; nothing a person says reaches the server's logs."""

from __future__ import annotations

import base64
import csv
import html
import json
import logging
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cruce.cli.app import app as cli
from cruce.engine.logic import Confidence
from cruce.facts import countries
from cruce.facts.case import FACT_KINDS, iso_country_codes
from cruce.facts.countries import PATH as COUNTRIES
from cruce.facts.countries import country_names
from cruce.facts.questions import LANGUAGES, QuestionError, _question, questions
from cruce.web.api import app
from cruce.web.people import CHICAGO_MAN, GUATEMALAN_CHILD, HONDURAN_MOTHER, PEOPLE
from cruce.web.screener import CONFIDENCE_ES, WORDS

client = TestClient(app)


class Form(HTMLParser):
    """The interview form as a browser would submit it: hidden fields and the questions."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden: list[tuple[str, str]] = []
        self.asked: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        name = a.get("name") or ""
        if tag == "input" and a.get("type") == "hidden":
            self.hidden.append((name, a.get("value") or ""))
        elif tag in ("input", "select") and name in FACT_KINDS and name not in self.asked:
            self.asked.append(name)


def answer(page: str, person: dict[str, object]) -> tuple[list[tuple[str, str]], list[str]]:
    form = Form()
    form.feed(page.split('id="interview"', 1)[1].split("</form>", 1)[0])
    data = list(form.hidden)
    for name in form.asked:
        value = person.get(name, "unknown")
        for v in value if isinstance(value, list) else [value]:
            data.append((name, str(v)))
    return data, form.asked


def post(path: str, data: list[tuple[str, str]]) -> str:
    """POST a form with repeated fields, as a browser does."""
    grouped: dict[str, list[str]] = {}
    for key, value in data:
        grouped.setdefault(key, []).append(value)
    return client.post(path, data=grouped).text


def walk(person: dict[str, object], lang: str) -> tuple[str, list[str]]:
    """Answer every question the interview asks until it shows the result cards."""
    page = client.get(f"/screener?lang={lang}").text
    data, asked = answer(page, person)
    data = [(k, v) for k, v in data if k != "decide_at"] + [("decide_at", str(person["decide_at"]))]
    seen: list[str] = []
    for _ in range(15):
        seen += asked
        page = post(f"/screener?lang={lang}", data)
        if 'class="cards"' in page and 'name="_go" value="next"' not in page:
            return page, seen
        data, asked = answer(page, person)
    raise AssertionError("the interview did not end")


def test_every_fact_has_a_question_in_both_languages() -> None:
    every = questions().questions
    assert set(every) == set(FACT_KINDS)
    for question in every.values():
        for lang in LANGUAGES:
            assert question.text[lang].endswith("?") and question.help[lang]


def test_a_fact_without_spanish_fails() -> None:
    entry = {
        "topic": "person",
        "order": 1,
        "who": "person",
        "en": {"question": "Born?", "help": "h"},
    }
    with pytest.raises(QuestionError, match="'es'"):
        _question("date_of_birth", entry, questions().topics)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("who", list(PEOPLE))
def test_each_person_reaches_a_result_and_no_question_repeats(who: str, lang: str) -> None:
    page, seen = walk(PEOPLE[who], lang)
    assert len(seen) == len(set(seen)), [f for f in seen if seen.count(f) > 1]
    assert page.count('class="card"') == 5  # one card per question of the law
    title = "Deportación acelerada (expedited removal)" if lang == "es" else "Expedited removal"
    assert title in page
    assert f'<html lang="{lang}">' in page


def test_accept_language_chooses_spanish() -> None:
    page = client.get("/screener", headers={"Accept-Language": "es-MX,es;q=0.9"}).text
    assert '<html lang="es">' in page and "Información sobre la ley" in page


def test_an_invalid_answer_is_shown_beside_its_field_and_keeps_every_answer() -> None:
    data = [
        ("_asked", "date_of_birth,was_admitted"),
        ("decide_at", "2025-06-10"),
        ("date_of_birth", "2999-99-99"),
        ("was_admitted", "false"),
    ]
    page = post("/screener", data)
    assert 'class="question invalid"' in page and 'role="alert"' in page
    assert 'value="2999-99-99"' in page  # the wrong answer stays, to be corrected
    assert '<input type="hidden" name="was_admitted" value="false">' in page


def test_edit_asks_a_fact_again_and_keeps_the_others() -> None:
    data = [
        ("_asked", "was_admitted,entry_mode"),
        ("decide_at", "2025-06-10"),
        ("was_admitted", "false"),
        ("entry_mode", "LAND_BETWEEN_POES"),
        ("_edit", "entry_mode"),
    ]
    page = post("/screener", data)
    assert 'name="entry_mode" value="LAND_BETWEEN_POES" checked' in page
    assert '<input type="hidden" name="was_admitted" value="false">' in page


def test_the_server_logs_no_fact(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        walk(CHICAGO_MAN, "en")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for value in ("1988-11-20", "LAND_BETWEEN_POES", "1400"):
        assert value not in logged
    assert re.search(r"2025-08-15", logged) is None


def test_country_names_cover_every_iso_code_in_both_languages() -> None:
    names = country_names()
    assert set(names) == iso_country_codes()
    assert names["MX"] == {"en": "Mexico", "es": "México"}
    assert names["US"]["es"] == "Estados Unidos"
    rows = list(csv.DictReader(COUNTRIES.open(encoding="utf-8")))
    assert all(row["source"].startswith("Unicode CLDR") for row in rows)


def test_the_country_picker_speaks_the_page_language() -> None:
    spanish = client.get("/screener?lang=es").text
    assert '<option value="MX">México</option>' in spanish
    assert '<option value="DE">Alemania</option>' in spanish
    english = client.get("/screener?lang=en").text
    assert '<option value="DE">Germany</option>' in english
    # Sorted as a Spanish reader looks: an accent (Bélgica) does not move a name to the end.
    order = re.findall(r'<option value="([A-Z]{2})">', spanish.split('id="native_country"')[1])
    assert order.index("AT") < order.index("BE") < order.index("EG")  # Austria, Bélgica, Egipto


def test_a_bad_country_table_names_its_line(tmp_path, monkeypatch) -> None:
    bad = tmp_path / "countries.csv"
    bad.write_text("code,name_en,name_es,source\nMX,Mexico,,CLDR\n", "utf-8")
    monkeypatch.setattr(countries, "PATH", bad)
    country_names.cache_clear()
    try:
        with pytest.raises(countries.CountryError, match="line 2"):
            country_names()
    finally:
        country_names.cache_clear()


@pytest.mark.parametrize("who", list(PEOPLE))
def test_the_facts_download_is_a_case_file_cruce_explain_reads(who: str, tmp_path) -> None:
    page, _ = walk(PEOPLE[who], "es")
    href = html.unescape(re.search(r'id="case-json" href="([^"]+)"', page).group(1))
    prefix = "data:application/json;base64,"
    assert href.startswith(prefix)
    case_file = tmp_path / "case.json"
    case_file.write_bytes(base64.b64decode(href.removeprefix(prefix)))
    result = CliRunner().invoke(cli, ["explain", str(case_file), "--json"])
    assert result.exit_code == 0, result.output
    explained = {o["question"]: o["outcome"] for o in json.loads(result.output)["outcomes"]}
    shown = re.findall(r'<p class="code">([A-Z0-9_]+) \(', page)
    assert shown == list(explained.values())  # the same answers, card by card


def test_a_pdf_before_the_result_is_refused_without_printing() -> None:
    response = client.post(
        "/screener/pdf", data={"_asked": "was_admitted", "was_admitted": "false"}
    )
    assert response.status_code == 422
    assert "finish the interview" in response.json()["detail"]


def test_the_link_to_a_result_holds_the_answers_only_in_its_fragment() -> None:
    page, _ = walk(HONDURAN_MOTHER, "en")
    link = html.unescape(re.search(r'id="result-link" href="([^"]+)"', page).group(1))
    sent, fragment = link.split("#", 1)
    assert sent == "/screener?lang=en"  # the part a browser sends: no fact
    answers = parse_qs(fragment)
    assert answers["native_country"] == ["HN"] and answers["entry_mode"] == ["LAND_BETWEEN_POES"]
    rebuilt = client.post("/screener?lang=en", data=answers).text  # what the page's script posts
    assert re.findall(r'<p class="code">[^<]+', rebuilt) == re.findall(
        r'<p class="code">[^<]+', page
    )


def test_spanish_cards_tag_their_citations_in_spanish() -> None:
    page, _ = walk(GUATEMALAN_CHILD, "es")
    cards = page.split('class="cards"')[1].split("<h2")[0]
    assert "[confirmado]" in cards and "[confirmed]" not in cards
    assert set(CONFIDENCE_ES) == {c.value for c in Confidence}


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("who", list(PEOPLE))
def test_changes_and_the_comparison_say_outcomes_in_words(who: str, lang: str) -> None:
    """Each "what would change it" entry and each regime's answer leads with the outcome's
    sentence in the page's language; the code only follows, set aside."""
    from cruce.decide import spanish
    from cruce.law import QUESTIONS

    page, _ = walk(PEOPLE[who], lang)
    texts = {b.outcome.text for d in QUESTIONS.values() for b in (*d.branches, d.otherwise)}
    words = {t: (spanish.text(t) if lang == "es" else t) or t for t in texts}
    sentences = {w[:1].upper() + w[1:] for w in words.values()} | {WORDS["undecided"][lang]}
    entries = re.findall(r"<li>[^<]*→ ([^<]+?) <span class=\"code-aside\"", page)
    answers = re.findall(r"<li>[^<:→]+: ([^<]+?) <span class=\"code-aside\"", page)
    assert answers, "the comparison shows every regime's answers"
    assert [html.unescape(s) for s in entries + answers if html.unescape(s) not in sentences] == []
