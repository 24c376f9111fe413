"""Every rule speaks Spanish: each text a rule states has an entry in the catalogue, and every
line of every explanation (the three people of the screener, and random cases in every regime)
comes out in Spanish, with no English left in it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from conftest import case_data
from cruce.decide import spanish
from cruce.decide.determination import compare, determine
from cruce.facts.case import parse_case
from test_screener import PEOPLE
from test_screener import client as _client  # noqa: F401  (the web app's tables load once)


def _explanations(case):
    for determination in [determine(case), *compare(case)]:
        yield from determination.outcomes.values()


def _untranslated(case) -> list[str]:
    missing = []
    for result in _explanations(case):
        decided = not (result.depends_on or result.unsettled)  # else no sentence is shown
        if decided and spanish.text(result.text) is None:
            missing.append(result.text)
        missing += [q for q in result.unsettled if spanish.open_question(q) is None]
        missing += [r.text for r in result.reasons if r.text and spanish.reason(r) is None]
    return missing


def test_every_rule_text_has_spanish() -> None:
    missing = sorted(spanish.required_texts() - set(spanish.catalogue()))
    assert not missing, f"add these to src/cruce/decide/spanish.yaml: {missing}"


def test_a_rule_text_without_spanish_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    trimmed = dict(spanish.catalogue())
    trimmed.pop("DHS may not use expedited removal")
    monkeypatch.setattr(spanish, "catalogue", lambda: trimmed)
    assert "DHS may not use expedited removal" in spanish.required_texts() - set(trimmed)


def _case(person: dict[str, object]):
    facts = {k: v for k, v in person.items() if k != "decide_at" and v != "none"}
    facts["encounter_datetime"] = f"{facts['encounter_datetime']}T12:00:00-05:00"
    return parse_case({**facts, "determination_datetime": person["decide_at"]}, "person")


@pytest.mark.parametrize("who", list(PEOPLE))
def test_the_three_peoples_explanations_are_all_in_spanish(who: str) -> None:
    case = _case(PEOPLE[who])
    assert _untranslated(case) == []
    reasons = [spanish.reason(r) for o in _explanations(case) for r in o.reasons if r.text]
    assert not [r for r in reasons if r and "_" in r]  # no fact name left in the words


@settings(max_examples=40, deadline=None)
@given(case_data)
def test_random_cases_explain_in_spanish(data: dict[str, object]) -> None:
    facts = dict(data)
    if facts.get("determination_datetime") in (None, "unknown"):
        # decided at the encounter when it is known (a determination never precedes it)
        encounter = facts.get("encounter_datetime")
        known = encounter not in (None, "unknown")
        facts["determination_datetime"] = encounter if known else "2025-06-10T12:00:00-04:00"
    assert _untranslated(parse_case(facts, "random")) == []


def test_the_catalogue_holds_no_text_a_rule_no_longer_states() -> None:
    stale = sorted(set(spanish.catalogue()) - spanish.required_texts())
    assert not stale, f"remove these from src/cruce/decide/spanish.yaml: {stale}"
