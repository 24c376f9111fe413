"""Shared test helpers: every rule node reachable from the law, and a hypothesis case strategy."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from cruce.facts import (
    ClaimedStatus,
    ClaimVerification,
    EntryMode,
    InadmissibilityGround,
    ParoleBasis,
)
from cruce.law import QUESTIONS
from cruce.logic import Condition
from cruce.timeline import actual_timeline

UTC = dt.UTC
COUNTRIES = ["MX", "CA", "GT", "HN", "SV", "CU", "VE", "IN", "CN", "HT"]


def law_conditions() -> list[Condition]:
    """Every condition node reachable from the questions, each once."""
    seen: dict[int, Condition] = {}
    stack: list[Condition] = []
    for decision in QUESTIONS.values():
        stack += [b.condition for b in decision.branches] + [decision.otherwise.condition]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen[id(node)] = node
        stack.extend(node.children())
    return list(seen.values())


def maybe(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(st.none(), strategy)


boundaries = actual_timeline().boundaries()
instants = st.one_of(
    st.sampled_from(boundaries),
    st.builds(
        lambda b, minutes: b + dt.timedelta(minutes=minutes),
        st.sampled_from(boundaries),
        st.integers(-2, 2),
    ),
    st.datetimes(
        min_value=dt.datetime(2014, 11, 20),
        max_value=dt.datetime(2027, 1, 1),
        timezones=st.just(UTC),
    ),
)
dates = st.dates(min_value=dt.date(1960, 1, 1), max_value=dt.date(2026, 12, 31))
days = st.one_of(st.sampled_from([0, 13, 14, 15, 729, 730, 731]), st.integers(0, 6000))
miles = st.one_of(st.sampled_from([0.0, 99.0, 100.0, 100.5, 101.0]), st.floats(0, 3000))


def _enum(values) -> st.SearchStrategy:
    return st.sampled_from([v.value for v in values])


case_data = st.fixed_dictionaries(
    {},
    optional={
        "nationalities": maybe(st.lists(st.sampled_from(COUNTRIES), min_size=1, max_size=2)),
        "native_country": maybe(st.sampled_from(COUNTRIES)),
        "habitual_residence_country": maybe(st.sampled_from(COUNTRIES)),
        "date_of_birth": maybe(dates),
        "is_us_citizen": maybe(st.booleans()),
        "claimed_status": maybe(_enum(ClaimedStatus)),
        "claim_under_oath": maybe(st.booleans()),
        "claim_verification": maybe(_enum(ClaimVerification)),
        "has_lawful_immigration_status": maybe(st.booleans()),
        "was_admitted": maybe(st.booleans()),
        "vwp_applicant": maybe(st.booleans()),
        "parole_granted": maybe(st.booleans()),
        "parole_at_poe": maybe(st.booleans()),
        "parole_basis": maybe(_enum(ParoleBasis)),
        "entry_mode": maybe(_enum(EntryMode)),
        "is_stowaway": maybe(st.booleans()),
        "encounter_datetime": maybe(instants),
        "encounter_distance_to_land_border_air_miles": maybe(miles),
        "encountered_upon_arrival_at_or_near_border": maybe(st.booleans()),
        "cp_days_established_before_determination": maybe(days),
        "cp_days_established_before_encounter": maybe(days),
        "inadmissibility_grounds": maybe(
            st.lists(_enum(InadmissibilityGround), max_size=3, unique=True)
        ),
        "dhs_charging_other_grounds": maybe(st.booleans()),
        "documentary_requirements_waived": maybe(st.booleans()),
        "prior_removal_order_exists": maybe(st.booleans()),
        "reentered_illegally_after_removal": maybe(st.booleans()),
        "parent_or_legal_guardian_in_us": maybe(st.booleans()),
        "parent_or_guardian_available_to_provide_care_and_custody": maybe(st.booleans()),
        "accompanied_by_parent_or_legal_guardian": maybe(st.booleans()),
        "expressed_fear_or_asylum_intent": maybe(st.booleans()),
    },
)
"""Random case facts (valid by construction), boundary values over-represented."""
