"""What would change the outcome, derived from the rule structure."""

from __future__ import annotations

import datetime as dt

from cruce.decide.counterfactuals import what_would_change
from cruce.decide.determination import determine
from cruce.facts.case import parse_case
from cruce.law.timeline import actual_timeline

EST = dt.timezone(dt.timedelta(hours=-5))

BASE = {
    "nationalities": ["GT"],
    "entry_mode": "LAND_BETWEEN_POES",
    "encounter_datetime": "2021-05-01T10:00:00-04:00",
    "encounter_distance_to_land_border_air_miles": 500,
    "encountered_upon_arrival_at_or_near_border": False,
    "continuous_presence_established_since": "2019-08-01",
    "cp_days_established_before_encounter": 600,
    "was_admitted": False,
    "parole_granted": False,
    "is_us_citizen": False,
    "claimed_status": "NONE",
    "has_lawful_immigration_status": False,
    "date_of_birth": "1990-01-01",
    "vwp_applicant": False,
    "is_stowaway": False,
    "is_crewman": False,
    "inadmissibility_grounds": ["I212a7A_IMMIGRANT_NO_VALID_DOCS"],
    "documentary_requirements_waived": False,
    "dhs_charging_other_grounds": False,
    "prior_removal_order_exists": False,
    "expressed_fear_or_asylum_intent": False,
}
AT = dt.datetime(2021, 5, 1, 15, tzinfo=EST)


def _changes(data: dict, question: str, at: dt.datetime = AT) -> dict[str, str]:
    found = what_would_change(parse_case(data), at, actual_timeline(), question)
    return {c.change.describe(): c.outcome for c in found}


def test_documented_presence_since_a_date_flips_expedited_removal() -> None:
    changes = _changes(BASE, "expedited_removal")
    # Two years before the 2021-05-01 determination is 2019-05-02 (730 days).
    assert changes["continuous_presence_established_since = 2019-05-02"] == "ER_NOT_AVAILABLE"


def test_expressing_fear_flips_the_procedure() -> None:
    changes = _changes(BASE, "procedure")
    assert changes["expressed_fear_or_asylum_intent = yes"] == "REFER_CFI"


def test_age_and_accompaniment_flip_through_the_uac_definition() -> None:
    child = dict(BASE, date_of_birth="2005-01-01", accompanied_by_parent_or_legal_guardian=True)
    changes = _changes(child, "procedure")
    assert changes["accompanied_by_parent_or_legal_guardian = no"] in {
        "TVPRA_HHS_240",
        "DEPENDS_ON",
    }
    adult_soon = dict(
        BASE,
        date_of_birth="2003-05-02",
        accompanied_by_parent_or_legal_guardian=False,
        parent_or_legal_guardian_in_us=False,
    )
    changes = _changes(adult_soon, "procedure")
    assert any(
        k.startswith("date_of_birth = ") and v != "TVPRA_HHS_240" for k, v in changes.items()
    )


def test_the_instant_crossing_a_boundary_flips_it() -> None:
    recent = dict(BASE, continuous_presence_established_since="2022-01-01")
    at = dt.datetime(2022, 3, 1, 12, tzinfo=EST)
    changes = _changes(recent, "expedited_removal", at)
    # The full-scope designation is rescinded on 2022-03-21.
    assert changes["decided at 2022-03-21 00:00 EDT"] == "ER_NOT_AVAILABLE"


def test_every_counterfactual_really_changes_the_outcome() -> None:
    """Apply each proposed change to the case and decide again: the outcome is the one promised,
    and differs from today's."""
    case = parse_case(BASE)
    before = determine(case, at=AT)
    checked = 0
    for question in before.outcomes:
        for item in what_would_change(case, AT, actual_timeline(), question):
            checked += 1
            changed = parse_case(dict(case.facts(), **dict(item.change.facts)))
            after = determine(changed, at=item.change.at or AT)
            assert after.outcomes[question].outcome == item.outcome, item.change.describe()
            assert item.outcome != before.outcomes[question].outcome
    assert checked >= len(before.outcomes)


def test_explain_json_carries_what_would_change() -> None:
    determination = determine(parse_case(BASE), at=AT, counterfactuals=True)
    from cruce.decide.determination import to_json

    data = to_json(determination)
    procedure = next(o for o in data["outcomes"] if o["question"] == "procedure")
    assert any(c["outcome"] == "REFER_CFI" for c in procedure["what_would_change"])
