"""Case input: every fact may be unknown; bad input names the field and the valid choices."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cruce.facts.case import FACT_KINDS, CaseError, load_case, parse_case


def test_every_fact_may_be_unknown() -> None:
    case = parse_case({name: "unknown" for name in FACT_KINDS})
    assert all(value is None for value in case.facts().values())


def test_omitted_facts_are_unknown_not_defaulted() -> None:
    assert parse_case({}).facts() == dict.fromkeys(FACT_KINDS)


@pytest.mark.parametrize(
    ("data", "needles"),
    [
        ({"nationalitys": ["MX"]}, ["'nationalitys'", "not a known fact", "nationalities"]),
        ({"nationalities": ["XX"]}, ["nationalities", "'XX'", "ISO 3166-1 alpha-2"]),
        ({"native_country": "Mexico"}, ["native_country", "ISO 3166-1"]),
        ({"entry_mode": "WALKED"}, ["entry_mode", "LAND_BETWEEN_POES", "AIR_AT_POE"]),
        (
            {"encounter_distance_to_land_border_air_miles": -3},
            ["encounter_distance_to_land_border_air_miles", "greater than or equal to 0"],
        ),
        (
            {"last_entry_date": "2020-05-02", "encounter_datetime": "2020-05-01T10:00:00-04:00"},
            ["last_entry_date 2020-05-02 is after encounter_datetime"],
        ),
        (
            {"determination_datetime": "2020-05-01T10:00:00"},
            ["determination_datetime", "no UTC offset"],
        ),
        (
            {
                "encounter_datetime": "2020-05-02T10:00:00-04:00",
                "determination_datetime": "2020-05-01T10:00:00-04:00",
            },
            ["determination_datetime is before encounter_datetime"],
        ),
        ({"parole": {"granted": True, "color": "red"}}, ["parole.color", "at_poe", "granted"]),
        ({"claimed_status": "CITIZEN"}, ["claimed_status", "USC", "LPR"]),
        ({"is_stowaway": "maybe"}, ["is_stowaway"]),
    ],
)
def test_bad_input_names_the_field_and_the_choices(data: dict, needles: list[str]) -> None:
    with pytest.raises(CaseError) as error:
        parse_case(data, "case.yaml")
    message = str(error.value)
    assert message.startswith("case.yaml: ")
    for needle in needles:
        assert needle in message


def test_nested_records_are_flattened() -> None:
    case = parse_case({"parole": {"granted": True, "at_poe": True, "basis": "CHNV"}})
    assert (case.parole_granted, case.parole_at_poe, case.parole_basis) == (True, True, "CHNV")


def test_a_bare_date_is_midnight_us_eastern() -> None:
    case = parse_case({"determination_datetime": "2025-01-21"})
    assert case.determination_datetime == dt.datetime(2025, 1, 21, 5, 0, tzinfo=dt.UTC)


def test_shifting_keeps_durations() -> None:
    case = parse_case(
        {
            "date_of_birth": "2000-02-29",
            "last_entry_date": "2019-01-01",
            "determination_datetime": "2019-03-01T12:00:00-05:00",
        }
    )
    moved = case.shifted(dt.timedelta(days=1000))
    assert moved.determination_datetime - case.determination_datetime == dt.timedelta(days=1000)
    assert (moved.determination_datetime.date() - moved.last_entry_date).days == (
        case.determination_datetime.date() - case.last_entry_date
    ).days


def test_load_case_reports_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("nationalities: [ZZ]\n")
    with pytest.raises(CaseError, match=r"bad\.yaml: field 'nationalities"):
        load_case(path)
    missing = tmp_path / "missing.yaml"
    with pytest.raises(CaseError, match="cannot read"):
        load_case(missing)


def test_json_cases_are_read(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text('{"nationalities": ["mx"], "entry_mode": "unknown"}')
    case = load_case(path)
    assert case.nationalities == frozenset({"MX"}) and case.entry_mode is None
