"""The dated law: strict tables, no overlaps, citations that resolve, exact instants."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
import yaml

from cruce.law import timeline as tl
from cruce.law.timeline import (
    DatedRow,
    LawAt,
    Table,
    TimelineError,
    actual_timeline,
    check_rows,
    regimes,
    timeline_named,
)

EST = dt.timezone(dt.timedelta(hours=-5))


def _row(**overrides) -> dict:
    row = {
        "id": "X",
        "key": "k",
        "start": "2019-01-01",
        "end": "2020-01-01",
        "title": "t",
        "citations": [{"source": "S1"}],
        "confidence": "confirmed",
    }
    row.update(overrides)
    return row


def test_shipped_timeline_loads_and_is_consistent() -> None:
    timeline = actual_timeline()
    check_rows(timeline.instruments, "instruments")
    check_rows(timeline.overlays, "overlays")
    assert {r.id for r in timeline.instruments} >= {
        "D-SEA-2002",
        "D-LAND-2004",
        "D-FULL-2019",
        "D-FULL-2025",
    }


def test_overlapping_rows_of_one_key_fail() -> None:
    rows = tuple(
        DatedRow.model_validate(r)
        for r in [_row(id="A"), _row(id="B", start="2019-06-01", end="2021-01-01")]
    )
    with pytest.raises(TimelineError, match=r"rows 'A' .* and 'B' .* overlap for 'k'"):
        check_rows(rows, "t.yaml")


def test_adjacent_rows_do_not_overlap() -> None:
    rows = tuple(
        DatedRow.model_validate(r)
        for r in [_row(id="A"), _row(id="B", start="2020-01-01", end=None)]
    )
    check_rows(rows, "t.yaml")


def test_unknown_keys_and_bad_intervals_fail_naming_the_row() -> None:
    with pytest.raises(TimelineError, match=r"t\.yaml: row 'A'.colour"):
        tl._validate(Table, {"dimension": "d", "rows": [_row(id="A", colour="red")]}, "t.yaml")
    with pytest.raises(TimelineError, match=r"row 'A'.*end .* is not after start"):
        tl._validate(Table, {"dimension": "d", "rows": [_row(id="A", end="2018-01-01")]}, "t.yaml")


def test_a_row_without_a_citation_fails() -> None:
    with pytest.raises(TimelineError, match="every row needs at least one citation"):
        tl._validate(Table, {"dimension": "d", "rows": [_row(id="A", citations=[])]}, "t.yaml")


def test_unresolved_citation_fails() -> None:
    rows = (DatedRow.model_validate(_row(citations=[{"source": "S999"}])),)
    with pytest.raises(TimelineError, match="'S999' does not resolve"):
        check_rows(rows, "t.yaml")


def test_a_broken_shipped_table_fails_at_load_time(monkeypatch: pytest.MonkeyPatch) -> None:
    real = tl._read

    def broken(name: str):
        data = real(name)
        if name == "expedited_removal_designations.yaml":
            data["rows"].append(dict(data["rows"][2], id="DUPLICATE-FULL"))
        return data

    monkeypatch.setattr(tl, "_read", broken)
    tl.actual_timeline.cache_clear()
    try:
        with pytest.raises(TimelineError, match="overlap for 'er_designation_full'"):
            tl.actual_timeline()
    finally:
        tl.actual_timeline.cache_clear()


def test_2025_designation_starts_at_18_00_est() -> None:
    before = LawAt(dt.datetime(2025, 1, 21, 17, 59, tzinfo=EST))
    at = LawAt(dt.datetime(2025, 1, 21, 18, 0, tzinfo=EST))
    assert before.in_force("er_designation_full") is False
    assert at.in_force("er_designation_full") is True


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("2019-07-22", False),
        ("2019-07-23", True),
        ("2019-09-26", True),
        ("2019-09-27", False),  # enjoined
        ("2020-06-23", True),
        ("2022-03-20", True),
        ("2022-03-21", False),  # rescinded
        ("2025-08-28", True),
        ("2025-08-29", False),  # stayed
        ("2026-01-15", None),  # merits date unconfirmed
        ("2026-07-01", True),
    ],
)
def test_full_scope_in_force(when: str, expected) -> None:
    at = dt.datetime.fromisoformat(when).replace(hour=12, tzinfo=EST)
    assert LawAt(at).in_force("er_designation_full") is expected


def test_kelly_directive_is_an_event_that_changed_nothing() -> None:
    law = LawAt(dt.datetime(2018, 3, 1, tzinfo=EST))
    assert law.in_force("er_designation_full") is False
    note, citations = law.status("er_designation_full")
    assert "did not change who was in the designated class" in note
    assert any(c.source == "S19" for c in citations)
    hypothetical = LawAt(
        dt.datetime(2018, 3, 1, tzinfo=EST), timeline_named("kelly-2017-as-directed")
    )
    assert hypothetical.in_force("er_designation_full") is True
    assert "hypothetical" in hypothetical.status("er_designation_full")[0]


def test_regimes_are_contiguous_and_named_from_the_spec() -> None:
    found = regimes()
    assert "R-2017-KELLY" in found and "kelly-2017-as-directed" in found
    actual = [r for r in found.values() if r.timeline is None]
    assert actual[0].start == dt.datetime(2014, 11, 20, 5, tzinfo=dt.UTC)
    for earlier, later in itertools.pairwise(actual):
        assert earlier.end == later.start


def test_unknown_hypothetical_lists_the_valid_ones() -> None:
    with pytest.raises(
        TimelineError, match="valid: actual, as-practised-2004, kelly-2017-as-directed"
    ):
        timeline_named("nope")


def test_every_timeline_file_is_strict_yaml() -> None:
    from importlib import resources

    folder = resources.files("cruce").joinpath("law/timeline")
    for name in tl.DIMENSION_FILES:
        data = yaml.safe_load(folder.joinpath(name).read_text("utf-8"))
        assert set(data) == {"dimension", "rows"}, name


def test_resourcing_directives_are_regime_attributes() -> None:
    timeline = actual_timeline()
    in_2018 = {
        r.id: r.attributes
        for r in timeline.resourcing_at(LawAt(dt.datetime(2018, 1, 1, tzinfo=EST)).at)
    }
    assert in_2018["EO-13767-SEC-8"]["additional_officers"] == 5000
    assert in_2018["EO-13768-ICE-HIRING"]["additional_officers"] == 10000
    assert timeline.resourcing_at(dt.datetime(2016, 1, 1, tzinfo=dt.UTC)) == []
