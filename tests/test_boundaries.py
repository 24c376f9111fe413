"""Moving only the instant across a boundary of the timeline changes exactly the outcomes the
timeline says should change: a question's outcome may change at an instant only if a dated
instrument it reads changes status there, and for archetype cases it does change as expected."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import case_data
from cruce.decide.counterfactuals import modelled_from
from cruce.decide.determination import determine_at
from cruce.engine.logic import Blocked, InForce, roots, rule_nodes
from cruce.facts.case import parse_case
from cruce.law import QUESTIONS
from cruce.law.timeline import LawAt, actual_timeline

TICK = dt.timedelta(microseconds=1)
BOUNDARIES = [b for b in actual_timeline().boundaries() if b >= modelled_from()]


def _keys(question: str) -> set[str]:
    nodes = rule_nodes(*roots([QUESTIONS[question]]))
    return {n.key for n in nodes if isinstance(n, InForce | Blocked)}


def _changing_keys(at: dt.datetime) -> set[str]:
    before, after = LawAt(at - TICK), LawAt(at)
    keys = {row.key for row in actual_timeline().rows()}
    return {
        k
        for k in keys
        if before.in_force(k) != after.in_force(k) or before.blocked(k) != after.blocked(k)
    }


def _outcomes(case, at: dt.datetime) -> dict[str, str]:
    result = determine_at(case, at, actual_timeline())
    return {q: r.outcome for q, r in result.outcomes.items()}


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=case_data, boundary=st.sampled_from(BOUNDARIES))
def test_only_questions_reading_a_changed_instrument_change(data: dict, boundary) -> None:
    data = dict(data, date_of_birth=None)  # age is the one fact that moves with the instant
    case = parse_case(data)
    before, after = _outcomes(case, boundary - TICK), _outcomes(case, boundary)
    changed = _changing_keys(boundary)
    for question in QUESTIONS:
        if before[question] != after[question]:
            assert _keys(question) & changed, (question, boundary, before, after)


INTERIOR = {
    "nationalities": ["GT"],
    "date_of_birth": "1990-03-15",
    "entry_mode": "LAND_BETWEEN_POES",
    "encounter_distance_to_land_border_air_miles": 500,
    "encountered_upon_arrival_at_or_near_border": False,
    "cp_days_established_before_determination": 300,
    "cp_days_established_before_encounter": 300,
    "was_admitted": False,
    "parole_granted": False,
    "is_us_citizen": False,
    "claimed_status": "NONE",
    "has_lawful_immigration_status": False,
    "accompanied_by_parent_or_legal_guardian": False,
    "parent_or_legal_guardian_in_us": False,
    "vwp_applicant": False,
    "is_stowaway": False,
    "inadmissibility_grounds": ["I212a7A_IMMIGRANT_NO_VALID_DOCS"],
    "documentary_requirements_waived": False,
    "dhs_charging_other_grounds": False,
    "prior_removal_order_exists": False,
    "expressed_fear_or_asylum_intent": False,
}
AT_BORDER_FROM_MEXICO = dict(
    INTERIOR,
    nationalities=["SV"],
    encounter_distance_to_land_border_air_miles=1,
    encountered_upon_arrival_at_or_near_border=True,
    contiguous_country_arrived_from="MX",
    processed_for_expedited_removal=False,
    is_crewman=False,
    mpp_operating_at_location=True,
    mexico_accepting_returns=True,
    returning_lpr_seeking_admission=False,
    has_advance_parole_document_or_in_parole_status=False,
    known_physical_or_mental_health_issue=False,
    criminal_or_violence_history=False,
    gov_of_mexico_or_usg_interest=False,
    port_director_exclusion=False,
    vulnerable_exclusion_2021=False,
    mpp_fear_screening_result="NONE",
)
MISDEMEANANT = dict(
    INTERIOR,
    convictions=[{"is_misdemeanor": True, "category": "DUI", "date": "2012-05-01"}],
    cp_days_established_before_determination=5000,
    pending_criminal_charges=False,
    committed_chargeable_criminal_acts=False,
    intentional_gang_participation_age16plus=False,
    terrorism_or_espionage_engaged_or_suspected=False,
    otherwise_danger_to_national_security=False,
    fraud_or_willful_misrep_before_government_agency=False,
    public_benefits_program_abuse=False,
    significant_visa_or_vwp_abuse=False,
    apprehended_at_border_or_poe_attempting_unlawful_entry=False,
    officer_judges_public_safety_or_natsec_risk=False,
    mayorkas_public_safety_assessment="CURRENT_THREAT",
    physically_present_since_2014_01_01=True,
    physically_present_before_2020_11_01=True,
    failed_to_depart_under_final_order=False,
    unlawful_entry_date="2008-01-01",
)
EST = dt.timezone(dt.timedelta(hours=-5))
EDT = dt.timezone(dt.timedelta(hours=-4))


def _day(text: str, tz=EST) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=tz)


EXPECTED = [
    # (case, boundary, question, before, after)
    (INTERIOR, _day("2019-07-23", EDT), "expedited_removal", "ER_NOT_AVAILABLE", "ER_AVAILABLE"),
    (INTERIOR, _day("2019-09-27", EDT), "expedited_removal", "ER_AVAILABLE", "ER_NOT_AVAILABLE"),
    (INTERIOR, _day("2020-06-23", EDT), "expedited_removal", "ER_NOT_AVAILABLE", "ER_AVAILABLE"),
    (INTERIOR, _day("2022-03-21", EDT), "expedited_removal", "ER_AVAILABLE", "ER_NOT_AVAILABLE"),
    (INTERIOR, _day("2025-01-21T18:00"), "expedited_removal", "ER_NOT_AVAILABLE", "ER_AVAILABLE"),
    (INTERIOR, _day("2025-08-29", EDT), "expedited_removal", "ER_AVAILABLE", "ER_NOT_AVAILABLE"),
    (INTERIOR, _day("2025-12-09"), "expedited_removal", "ER_NOT_AVAILABLE", "LEGAL_UNCERTAIN"),
    (INTERIOR, _day("2026-07-01", EDT), "expedited_removal", "LEGAL_UNCERTAIN", "ER_AVAILABLE"),
    (AT_BORDER_FROM_MEXICO, _day("2019-01-28"), "mpp", "NO_MPP_ENROLLMENT", "MPP_AMENABLE"),
    (AT_BORDER_FROM_MEXICO, _day("2021-01-21"), "mpp", "MPP_AMENABLE", "NO_MPP_ENROLLMENT"),
    (AT_BORDER_FROM_MEXICO, _day("2021-12-06"), "mpp", "NO_MPP_ENROLLMENT", "MPP_AMENABLE"),
    (AT_BORDER_FROM_MEXICO, _day("2022-08-08", EDT), "mpp", "MPP_AMENABLE", "NO_MPP_ENROLLMENT"),
    (AT_BORDER_FROM_MEXICO, _day("2025-01-21"), "mpp", "NO_MPP_ENROLLMENT", "MPP_AMENABLE"),
    (
        MISDEMEANANT,
        _day("2015-01-05"),
        "priority",
        "PRIORITY_SCHEME_NOT_ENCODED",
        "PRIORITY_JOHNSON_P2",
    ),
    (
        MISDEMEANANT,
        _day("2017-02-20"),
        "priority",
        "PRIORITY_JOHNSON_P2",
        "PRIORITY_KELLY_ENUMERATED",
    ),
    (MISDEMEANANT, _day("2021-01-20"), "priority", "PRIORITY_KELLY_ENUMERATED", "LEGAL_UNCERTAIN"),
    (MISDEMEANANT, _day("2021-02-01"), "priority", "LEGAL_UNCERTAIN", "NOT_PRIORITY"),
    (MISDEMEANANT, _day("2021-11-29"), "priority", "NOT_PRIORITY", "PRIORITY_MAYORKAS_PUBSAFE"),
    (
        MISDEMEANANT,
        _day("2022-06-17", EDT),
        "priority",
        "PRIORITY_MAYORKAS_PUBSAFE",
        "PRIORITY_NONE_CASE_BY_CASE",
    ),
    (
        MISDEMEANANT,
        _day("2023-06-23", EDT),
        "priority",
        "PRIORITY_NONE_CASE_BY_CASE",
        "PRIORITY_MAYORKAS_PUBSAFE",
    ),
    (
        MISDEMEANANT,
        _day("2025-01-20"),
        "priority",
        "PRIORITY_MAYORKAS_PUBSAFE",
        "PRIORITY_ALL_REMOVABLE",
    ),
]


@pytest.mark.parametrize(("data", "boundary", "question", "before", "after"), EXPECTED)
def test_archetype_changes_exactly_as_the_timeline_says(
    data, boundary, question, before, after
) -> None:
    case = parse_case(data)
    just_before, at = _outcomes(case, boundary - TICK), _outcomes(case, boundary)
    assert (just_before[question], at[question]) == (before, after)
    changed = _changing_keys(boundary)
    for other in QUESTIONS:
        if not _keys(other) & changed:
            assert just_before[other] == at[other], other
