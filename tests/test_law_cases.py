"""Worked examples (tests/law_cases/*.yaml): each case at each instant or regime gives the
outcomes the law gives (docs/law/worked-examples.md), and the compiled (Polars) evaluator
agrees with the explained one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from cruce.decide.determination import determine, determine_frame, resolve_instant
from cruce.engine.instants import parse_instant
from cruce.facts.case import cases_frame, parse_case

CASES_DIR = Path(__file__).parent / "law_cases"
ALLOWED_FILE_KEYS = {"name", "notes", "description", "case", "expect"}
ALLOWED_EXPECT_KEYS = {"at", "regime", "outcomes", "depends_on", "legal_questions_open", "why"}


def _examples() -> list[Any]:
    params = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        unknown = set(data) - ALLOWED_FILE_KEYS
        assert not unknown, f"{path.name}: unknown keys {sorted(unknown)}"
        for i, expectation in enumerate(data["expect"]):
            bad = set(expectation) - ALLOWED_EXPECT_KEYS
            assert not bad, f"{path.name} expect #{i}: unknown keys {sorted(bad)}"
            label = expectation.get("regime") or str(expectation.get("at"))
            params.append(pytest.param(path, data, expectation, id=f"{path.stem}@{label}"))
    return params


@pytest.mark.parametrize(("path", "data", "expectation"), _examples())
def test_worked_example(path: Path, data: dict, expectation: dict) -> None:
    case = parse_case(data["case"], path.name)
    at = parse_instant(expectation.get("at"))
    regime = expectation.get("regime")
    determination = determine(case, at=at, regime=regime)
    got = {q: r.outcome for q, r in determination.outcomes.items()}
    for question, expected in expectation["outcomes"].items():
        assert got[question] == expected, (
            f"{path.name} at {determination.at} ({determination.regime}): {question} is "
            f"{got[question]}, expected {expected}"
        )
    for question, facts in expectation.get("depends_on", {}).items():
        assert sorted(facts) == sorted(determination.outcomes[question].depends_on), question
    for question, phrases in expectation.get("why", {}).items():
        outcome = determination.outcomes[question]
        explanation = " ".join(
            [outcome.decided_by or "", *(f"{r.text} {r.note}" for r in outcome.reasons)]
        )
        for phrase in phrases:
            assert phrase in explanation, (question, phrase, explanation)
    for question, needles in expectation.get("legal_questions_open", {}).items():
        open_questions = " ".join(determination.outcomes[question].unsettled)
        for needle in needles:
            assert needle in open_questions, (question, needle, open_questions)

    # The same rules, compiled, over the same case.
    when, timeline, _ = resolve_instant(case, at, regime)
    row = determine_frame(cases_frame([case]), when, timeline).row(0, named=True)
    for question, result in determination.outcomes.items():
        explained = result.outcome if result.decided_by is not None else None
        assert row[question] == explained, (question, row[question], explained)


def test_there_are_worked_examples() -> None:
    assert len(_examples()) >= 20
