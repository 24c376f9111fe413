"""The compiled rules' shortcuts give the same answers as the long way round."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import case_data, instants
from cruce.decide.determination import determine_frame
from cruce.engine.logic import (
    EASTERN,
    VARIES,
    All,
    Any,
    InForce,
    Is,
    Not,
    Unsettled,
    _eastern_transitions,
    eastern_date_expr,
)
from cruce.facts.case import CaseError, cases_frame, coded, fact, parse_case
from cruce.law.expedited_removal import cuba_air_regulatory_exception
from cruce.law.timeline import LawAt, LawPerRow

AT_2019 = dt.datetime(2019, 8, 15, 16, tzinfo=dt.UTC)


def test_eastern_dates_match_the_tz_database_around_every_offset_change() -> None:
    changes, _ = _eastern_transitions()
    steps = [dt.timedelta(hours=h, microseconds=u) for h in (-6, -1, 0, 1, 6) for u in (-1, 0)]
    instants = [change + step for change in changes for step in steps]
    instants += [
        dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(hours=7 * i) for i in range(9000)
    ]
    frame = pl.DataFrame({"t": pl.Series(instants, dtype=pl.Datetime("us", "UTC"))})
    got = frame.select(eastern_date_expr(pl.col("t")))["t"].to_list()
    assert got == [instant.astimezone(EASTERN).date() for instant in instants]


def test_nulls_stay_unknown_in_eastern_dates() -> None:
    frame = pl.DataFrame({"t": pl.Series([None], dtype=pl.Datetime("us", "UTC"))})
    assert frame.select(eastern_date_expr(pl.col("t")))["t"].to_list() == [None]


def test_the_law_at_one_instant_folds_kleene_constants() -> None:
    law = LawAt(AT_2019)
    flag = Is(fact("was_admitted"))
    unsettled = Unsettled("q", "an open question")
    assert All(flag, Not(flag), Any(flag, unsettled)).fixed(law) is VARIES
    assert All(flag, unsettled).fixed(law) is VARIES
    assert Any(unsettled, Not(unsettled)).fixed(law) is None
    # The regulatory Cuba-by-air exception ended 2017-01-13: false whatever the facts, so it
    # compiles to a constant that reads no column at all.
    assert cuba_air_regulatory_exception.fixed(law) is False
    empty = pl.DataFrame({"row": [1, 2]})
    folded = empty.with_columns(cuba_air_regulatory_exception.compile(law).alias("x"))
    assert folded["x"].to_list() == [False, False]


def test_folded_and_or_keep_kleene_semantics_over_rows() -> None:
    law = LawAt(AT_2019)
    flag = Is(fact("was_admitted"))
    never = InForce("cuban_exception_air", "not in force in 2019")
    frame = pl.DataFrame({"was_admitted": [True, False, None]})
    assert frame.select(All(flag, Not(never)).compile(law))["was_admitted"].to_list() == [
        True,
        False,
        None,
    ]
    assert frame.select(Any(flag, never).compile(law))["was_admitted"].to_list() == [
        True,
        False,
        None,
    ]


def test_the_law_per_row_is_never_folded() -> None:
    per_row = LawPerRow("determination_datetime")
    assert InForce("cuban_exception_air", "per row").fixed(per_row) is VARIES


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(many=st.lists(case_data, min_size=2, max_size=40), at=instants)
def test_coded_frames_get_the_same_answers(many: list[dict], at) -> None:
    """Enum and set facts as codes (coded) decide exactly as the text columns do."""
    frame = cases_frame([parse_case(d) for d in many])
    assert determine_frame(coded(frame), at).equals(determine_frame(frame, at))


def test_a_value_that_is_no_code_is_refused_with_the_valid_codes() -> None:
    frame = pl.DataFrame({"entry_mode": ["AIR_AT_POE", "BY_BALLOON"]})
    with pytest.raises(CaseError, match=r"'entry_mode': 'BY_BALLOON' is not a valid code; valid: "):
        coded(frame)
