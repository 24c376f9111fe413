"""Shared test helpers: every rule node reachable from the law, and a hypothesis case strategy."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time

import pytest
import uvicorn
from hypothesis import strategies as st

from cruce.engine.logic import Condition, FactKind, roots, rule_nodes
from cruce.facts.case import FACT_KINDS, enum_of, instant_date
from cruce.law import QUESTIONS
from cruce.law.timeline import actual_timeline

UTC = dt.UTC
COUNTRIES = ["MX", "CA", "GT", "HN", "SV", "CU", "VE", "IN", "CN", "HT"]


def law_conditions() -> list[Condition]:
    """Every condition node reachable from the questions, each once."""
    return rule_nodes(*roots(QUESTIONS.values()))


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
dates = st.one_of(
    st.sampled_from([dt.date(2014, 1, 1), dt.date(2020, 11, 1), dt.date(2020, 11, 2)]),
    st.dates(min_value=dt.date(1960, 1, 1), max_value=dt.date(2026, 12, 31)),
)
days = st.one_of(st.sampled_from([0, 13, 14, 15, 729, 730, 731]), st.integers(0, 6000))
miles = st.one_of(st.sampled_from([0.0, 99.0, 100.0, 100.5, 101.0]), st.floats(0, 3000))


def _enum(values) -> st.SearchStrategy:
    return st.sampled_from([v.value for v in values])


SPECIAL = {
    "nationalities": maybe(st.lists(st.sampled_from(COUNTRIES), min_size=1, max_size=2)),
    "encounter_distance_to_land_border_air_miles": maybe(miles),
    "cp_days_established_before_determination": maybe(days),
    "cp_days_established_before_encounter": maybe(days),
    "misdemeanor_incidents_excluding_minor_traffic": maybe(st.integers(0, 5)),
    "hours_since_apprehension": maybe(st.sampled_from([0.0, 47.5, 48.0, 48.5, 100.0])),
    "continuous_presence_established_since": maybe(dates),
    # Left out: they only constrain other facts (entry before encounter), tested elsewhere.
    "last_entry_date": st.none(),
    "determination_datetime": st.none(),
}
# A case gives its continuous presence as a day count or as a start date, never both.
PRESENCE_FORMS = (
    "cp_days_established_before_determination",
    "continuous_presence_established_since",
)


def _strategy(name: str, kind: FactKind) -> st.SearchStrategy:
    if name in SPECIAL:
        return SPECIAL[name]
    enum_type = enum_of(name)
    if enum_type is not None and kind is FactKind.SET:
        return maybe(st.lists(_enum(enum_type), max_size=3, unique=True))
    if enum_type is not None:
        return maybe(_enum(enum_type))
    return maybe(
        {
            FactKind.BOOL: st.booleans(),
            FactKind.INT: st.integers(0, 6000),
            FactKind.FLOAT: st.floats(0, 3000),
            FactKind.DATE: dates,
            FactKind.INSTANT: instants,
            FactKind.ENUM: st.sampled_from(COUNTRIES),
        }[kind]
    )


@st.composite
def _case_data(draw: st.DrawFn) -> dict:
    data = draw(
        st.fixed_dictionaries(
            {}, optional={name: _strategy(name, kind) for name, kind in FACT_KINDS.items()}
        )
    )
    if all(data.get(form) is not None for form in PRESENCE_FORMS):
        del data[draw(st.sampled_from(PRESENCE_FORMS))]
    born, met = data.get("date_of_birth"), data.get("encounter_datetime")
    if born is not None and met is not None and born > instant_date(met):
        # No one is encountered before birth (the Case refuses it): born that day at the latest.
        data["date_of_birth"] = instant_date(met)
    return data


case_data = _case_data()
"""Random case facts for every fact the Case has (valid by construction), boundary values
over-represented."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def server():
    """The app served by Uvicorn on a free loopback port, for the browser tests."""
    from cruce.web.api import app

    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    for _ in range(100):
        if running.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=5)
