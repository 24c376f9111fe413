"""Principle 2: one rule, two evaluators. On random cases, unknowns included, the per-case
explainer and the compiled Polars expressions give the same value for every rule node and the
same outcome for every question."""

from __future__ import annotations

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import case_data, instants, law_conditions
from cruce.decide.determination import determine_at, determine_frame
from cruce.facts.case import cases_frame, parse_case
from cruce.law import QUESTIONS
from cruce.law.timeline import LawAt, actual_timeline, timeline_named

CONDITIONS = law_conditions()
TIMELINES = [
    actual_timeline(),
    timeline_named("kelly-2017-as-directed"),
    timeline_named("as-practised-2004"),
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=case_data, at=instants, which=st.sampled_from([0, 1, 2]))
def test_every_rule_node_agrees(data: dict, at, which: int) -> None:
    case = parse_case(data)
    timeline = TIMELINES[which]
    law = LawAt(at, timeline)
    facts = case.facts()
    frame = cases_frame([case])
    compiled = frame.select(
        [node.compile(law).alias(str(i)) for i, node in enumerate(CONDITIONS)]
    ).row(0)
    for node, vectorised in zip(CONDITIONS, compiled, strict=True):
        assert node.evaluate(facts, law) == vectorised, node.label


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=case_data, at=instants, which=st.sampled_from([0, 1, 2]))
def test_every_question_agrees(data: dict, at, which: int) -> None:
    case = parse_case(data)
    timeline = TIMELINES[which]
    explained = determine_at(case, at, timeline)
    row = determine_frame(cases_frame([case]), at, timeline).row(0, named=True)
    for question, result in explained.outcomes.items():
        expected = result.outcome if result.decided_by is not None else None
        assert row[question] == expected, question


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(many=st.lists(case_data, min_size=2, max_size=40), at=instants)
def test_many_rows_at_once_match_one_by_one(many: list[dict], at) -> None:
    """Vectorised over a frame of many rows equals row-by-row explanation, row for row."""
    cases = [parse_case(d) for d in many]
    frame = determine_frame(cases_frame(cases), at)
    assert frame.schema == pl.Schema({q: pl.Enum(d.outcome_codes) for q, d in QUESTIONS.items()})
    assert frame.height == len(cases)
    for case, row in zip(cases, frame.iter_rows(named=True), strict=True):
        explained = determine_at(case, at, actual_timeline())
        for question, result in explained.outcomes.items():
            expected = result.outcome if result.decided_by is not None else None
            assert row[question] == expected


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(many=st.lists(st.tuples(case_data, instants), min_size=2, max_size=30))
def test_each_row_at_its_own_instant_matches_one_by_one(many: list) -> None:
    """Rows decided each at its own instant (a caseload) equal one-by-one explanation."""
    cases = [parse_case(d) for d, _ in many]
    frame = cases_frame(cases).with_columns(
        pl.Series("__at", [at for _, at in many], dtype=pl.Datetime("us", "UTC"))
    )
    result = determine_frame(frame, "__at")
    for case, (_, at), row in zip(cases, many, result.iter_rows(named=True), strict=True):
        explained = determine_at(case, at, actual_timeline())
        for question, outcome in explained.outcomes.items():
            expected = outcome.outcome if outcome.decided_by is not None else None
            assert row[question] == expected, (question, at)


def test_an_unknown_row_with_the_same_outcome_code_does_not_unsettle_the_decision() -> None:
    """Found by hypothesis: R3.5 (ER unknown → NTA_240) before R3.6 (verified LPR → NTA_240)
    words NTA_240 differently; the outcome is NTA_240 either way, in both evaluators."""
    import datetime as dt

    case = parse_case(
        {
            "claimed_status": "LPR",
            "claim_verification": "VERIFIED",
            "is_us_citizen": False,
            "accompanied_by_parent_or_legal_guardian": True,
            "prior_removal_order_exists": False,
            "vwp_applicant": False,
        }
    )
    at = dt.datetime(2019, 8, 15, 16, tzinfo=dt.UTC)
    explained = determine_at(case, at, actual_timeline()).outcomes["procedure"]
    assert explained.outcome == "NTA_240"
    assert determine_frame(cases_frame([case]), at)["procedure"].item() == "NTA_240"
