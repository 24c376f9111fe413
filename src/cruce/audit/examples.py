"""An example caseload for demos and tests: clean cases of every action, and planted
violations of every kind the audit checks, each labelled with the finding it must produce."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl

from cruce.facts.case import NO_STATUS

EST = dt.timezone(dt.timedelta(hours=-5))
EDT = dt.timezone(dt.timedelta(hours=-4))

NO_HISTORY = {
    **NO_STATUS,
    "documentary_requirements_waived": False,
    "dhs_charging_other_grounds": False,
    "prior_removal_order_exists": False,
    "reentered_illegally_after_removal": False,
    "processed_for_expedited_removal": False,
    "expressed_fear_or_asylum_intent": False,
    "inadmissibility_grounds": ["I212a7A_IMMIGRANT_NO_VALID_DOCS"],
    "date_of_birth": dt.date(1990, 3, 15),
    "accompanied_by_parent_or_legal_guardian": False,
    "parent_or_legal_guardian_in_us": False,
}
INTERIOR = {
    **NO_HISTORY,
    "nationalities": ["GT"],
    "entry_mode": "LAND_BETWEEN_POES",
    "encounter_distance_to_land_border_air_miles": 500.0,
    "encountered_upon_arrival_at_or_near_border": False,
    "contiguous_country_arrived_from": "MX",
    "cp_days_established_before_determination": 300,
    "cp_days_established_before_encounter": 300,
}
AT_BORDER = {
    **INTERIOR,
    "nationalities": ["SV"],
    "encounter_distance_to_land_border_air_miles": 1.0,
    "encountered_upon_arrival_at_or_near_border": True,
    "cp_days_established_before_determination": 0,
    "cp_days_established_before_encounter": 0,
    "mpp_operating_at_location": True,
    "mexico_accepting_returns": True,
    "returning_lpr_seeking_admission": False,
    "has_advance_parole_document_or_in_parole_status": False,
    "known_physical_or_mental_health_issue": False,
    "criminal_or_violence_history": False,
    "gov_of_mexico_or_usg_interest": False,
    "port_director_exclusion": False,
    "vulnerable_exclusion_2021": False,
    "mpp_fear_screening_result": "NONE",
}
CHILD_ALONE = {
    **AT_BORDER,
    "date_of_birth": dt.date(2004, 1, 1),
    "nationalities": ["SV"],
    "habitual_residence_country": "SV",
}
MEXICAN_CHILD = {
    **CHILD_ALONE,
    "nationalities": ["MX"],
    "habitual_residence_country": "MX",
    "trafficking_victim_or_credible_risk": False,
    "child_credible_fear_of_return": False,
    "child_able_to_decide_withdrawal_independently": True,
    "hours_since_apprehension": 20.0,
}
AT_PORT_LPR_CLAIM = {
    **AT_BORDER,
    "entry_mode": "LAND_AT_POE",
    "claimed_status": "LPR",
    "claim_under_oath": True,
    "claim_verification": "UNVERIFIABLE",
}


def _at(day: str, tz: dt.tzinfo = EDT) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=12, tzinfo=tz)


# (label, facts, action, instant, extra columns, expected finding or None)
TEMPLATES: list[tuple[str, dict, str, dt.datetime, dict, str | None]] = [
    ("clean-er-full-scope", INTERIOR, "EXPEDITED_REMOVAL", _at("2019-08-15"), {}, None),
    (
        "clean-er-fear-referred",
        {**INTERIOR, "expressed_fear_or_asylum_intent": True},
        "EXPEDITED_REMOVAL",
        _at("2021-05-03"),
        {"referred_for_credible_fear": True},
        None,
    ),
    ("clean-nta", INTERIOR, "NTA_240", _at("2017-06-01"), {}, None),
    ("clean-mpp", AT_BORDER, "RETURNED_TO_MEXICO_MPP", _at("2019-06-03"), {}, None),
    (
        "clean-contiguous",
        AT_BORDER,
        "RETURNED_TO_CONTIGUOUS_TERRITORY",
        _at("2017-06-01"),
        {},
        None,
    ),
    ("clean-hhs", CHILD_ALONE, "TRANSFERRED_TO_HHS", _at("2019-03-11", EST), {}, None),
    (
        "clean-child-return",
        MEXICAN_CHILD,
        "CHILD_RETURNED_AFTER_SCREEN",
        _at("2019-03-11", EST),
        {},
        None,
    ),
    (
        "clean-reinstatement",
        {**INTERIOR, "prior_removal_order_exists": True, "reentered_illegally_after_removal": True},
        "REINSTATEMENT",
        _at("2023-05-05"),
        {},
        None,
    ),
    (
        "er-child",
        CHILD_ALONE,
        "EXPEDITED_REMOVAL",
        _at("2019-03-11", EST),
        {},
        "ER_FOR_UNACCOMPANIED_CHILD",
    ),
    (
        "er-two-years",
        {**INTERIOR, "cp_days_established_before_determination": 900},
        "EXPEDITED_REMOVAL",
        _at("2019-08-15"),
        {},
        "ER_DESPITE_TWO_YEARS_SHOWN",
    ),
    (
        "er-injunction",
        INTERIOR,
        "EXPEDITED_REMOVAL",
        _at("2019-10-15"),
        {},
        "ER_DURING_COURT_ORDER",
    ),
    (
        "er-kelly-no-designation",
        INTERIOR,
        "EXPEDITED_REMOVAL",
        _at("2017-06-01"),
        {},
        "ER_OUTSIDE_DESIGNATION",
    ),
    (
        "er-fear-not-referred",
        {**INTERIOR, "expressed_fear_or_asylum_intent": True},
        "EXPEDITED_REMOVAL",
        _at("2021-05-03"),
        {"referred_for_credible_fear": False},
        "NO_CREDIBLE_FEAR_REFERRAL",
    ),
    (
        "er-lpr-claim-not-referred",
        AT_PORT_LPR_CLAIM,
        "EXPEDITED_REMOVAL",
        _at("2019-06-03"),
        {"referred_for_status_review": False},
        "STATUS_CLAIM_NOT_REFERRED",
    ),
    (
        "mpp-mexican",
        {**AT_BORDER, "nationalities": ["MX"]},
        "RETURNED_TO_MEXICO_MPP",
        _at("2019-06-03"),
        {},
        "MEXICAN_NATIONAL_RETURNED_UNDER_MPP",
    ),
    (
        "mpp-health",
        {**AT_BORDER, "known_physical_or_mental_health_issue": True},
        "RETURNED_TO_MEXICO_MPP",
        _at("2019-06-03"),
        {},
        "EXCLUDED_PERSON_RETURNED_UNDER_MPP",
    ),
    (
        "mpp-suspended",
        AT_BORDER,
        "RETURNED_TO_MEXICO_MPP",
        _at("2021-06-01"),
        {},
        "RETURNED_WITHOUT_MPP_IN_FORCE",
    ),
    (
        "clean-mpp-2021",
        {**AT_BORDER, "nationalities": ["HN"]},
        "RETURNED_TO_MEXICO_MPP",
        _at("2022-01-14", EST),
        {},
        None,
    ),
    (
        "mpp-2021-outside-western-hemisphere",
        {**AT_BORDER, "nationalities": ["IN"]},
        "RETURNED_TO_MEXICO_MPP",
        _at("2021-12-10", EST),
        {},
        "EXCLUDED_PERSON_RETURNED_UNDER_MPP",
    ),
    (
        "mpp-2021-returning-lpr",
        {**AT_BORDER, "returning_lpr_seeking_admission": True},
        "RETURNED_TO_MEXICO_MPP",
        _at("2022-01-14", EST),
        {},
        "EXCLUDED_PERSON_RETURNED_UNDER_MPP",
    ),
    (
        "mpp-stayed-not-terminated",
        AT_BORDER,
        "RETURNED_TO_MEXICO_MPP",
        _at("2023-06-01"),
        {},
        "RETURNED_WITHOUT_MPP_IN_FORCE",
    ),
    (
        "contiguous-interior",
        INTERIOR,
        "RETURNED_TO_CONTIGUOUS_TERRITORY",
        _at("2017-06-01"),
        {},
        "CONTIGUOUS_RETURN_NOT_PERMITTED",
    ),
    (
        "child-fear-returned",
        {**MEXICAN_CHILD, "child_credible_fear_of_return": True},
        "CHILD_RETURNED_AFTER_SCREEN",
        _at("2019-03-11", EST),
        {},
        "CHILD_RETURNED_WITHOUT_CLEARED_SCREEN",
    ),
    (
        "reinstatement-no-order",
        INTERIOR,
        "REINSTATEMENT",
        _at("2023-05-05"),
        {},
        "REINSTATEMENT_WITHOUT_PRIOR_ORDER",
    ),
    (
        "er-distance-unknown",
        {
            **INTERIOR,
            "encounter_distance_to_land_border_air_miles": None,
            "cp_days_established_before_encounter": 5,
        },
        "EXPEDITED_REMOVAL",
        _at("2016-05-02"),
        {},
        "NEEDS_REVIEW",
    ),
]
"""Every template; a planted violation names the finding the audit must report."""


def _text(value: Any) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple | set | frozenset):
        return ";".join(sorted(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def example_caseload(copies: int = 1) -> tuple[pl.DataFrame, dict[str, str | None]]:
    """The caseload as text columns (as a CSV holds it), and each case's expected finding."""
    records: list[dict[str, str]] = []
    expected: dict[str, str | None] = {}
    columns: dict[str, None] = {}
    for copy in range(copies):
        for label, facts, action, instant, extra, finding in TEMPLATES:
            case_id = f"{label}-{copy:07d}" if copies > 1 else label
            row = {
                "case_id": case_id,
                "action": action,
                "action_instant": instant,
                **extra,
                **facts,
            }
            records.append({k: _text(v) for k, v in row.items()})
            columns.update(dict.fromkeys(row))
            expected[case_id] = finding
    frame = pl.DataFrame(records, schema={c: pl.String for c in columns})
    return frame.fill_null("unknown"), expected


def write_example_caseload(path: str | Path, copies: int = 1) -> dict[str, str | None]:
    """Write the example caseload as CSV or Parquet; returns each case's expected finding."""
    frame, expected = example_caseload(copies)
    path = Path(path)
    if path.suffix == ".parquet":
        frame.write_parquet(path)
    else:
        frame.write_csv(path)
    return expected
