"""The dated, cited numbers of the law (src/cruce/law/parameters/*.yaml) and their loader."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cruce.facts.case import iso_country_codes
from cruce.law import expedited_removal, priorities, tvpra
from cruce.law.parameters import ParameterError, load, parameters, row_at, steady, steady_codes

ROW = (
    "{value: 14, unit: days, effective_from: 2004-08-11, effective_until: null,"
    " citation: S12, confidence: confirmed}"
)


def _folder(tmp_path: Path, body: str) -> Path:
    (tmp_path / "example.yaml").write_text(body, "utf-8")
    return tmp_path


def test_every_parameter_is_dated_cited_and_loaded() -> None:
    loaded = parameters()
    assert "expedited_removal.two_years_in_days" in loaded
    for name, rows in loaded.items():
        for row in rows:
            assert row.citation and row.effective_from, name


def test_the_law_modules_read_their_numbers_from_the_parameters() -> None:
    assert expedited_removal.TWO_YEARS_IN_DAYS == 730
    assert expedited_removal.FOURTEEN_DAYS == 14
    assert expedited_removal.ONE_HUNDRED_AIR_MILES == 100.0
    assert dt.date(2014, 1, 1) == priorities.JOHNSON_PRESENCE_CUTOFF
    assert dt.date(2020, 11, 1) == priorities.BORDER_CUTOFF_2020
    assert dt.date(2021, 1, 20) == priorities.PEKOSKE_RELEASE_CUTOFF
    assert tvpra.SCREENING_HOURS == 48


def test_a_value_in_force_on_a_date_and_none_before() -> None:
    assert row_at("expedited_removal.fourteen_days", dt.date(2016, 5, 1)).citation == "S12"
    with pytest.raises(ParameterError, match="no value in force on 2004-08-10"):
        row_at("expedited_removal.fourteen_days", dt.date(2004, 8, 10))


def test_an_unknown_parameter_lists_the_valid_ones() -> None:
    with pytest.raises(ParameterError, match=r"valid: .*expedited_removal\.fourteen_days"):
        steady("expedited_removal.fifteen_days", int)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (ROW.replace(" effective_from: 2004-08-11,", ""), "'effective_from'"),
        (ROW.replace(" citation: S12,", ""), "'citation'"),
        (ROW.replace("S12", "S999"), "'S999' is not in law/citations.yaml"),
        (ROW.replace("effective_until: null", "effective_until: 2004-01-01"), "must be after"),
    ],
)
def test_an_undated_or_uncited_value_is_refused_naming_file_and_key(
    tmp_path: Path, row: str, message: str
) -> None:
    folder = _folder(tmp_path, f"fourteen_days:\n  - {row}\n")
    with pytest.raises(ParameterError, match=message) as error:
        load(folder)
    assert "law/parameters/example.yaml, key 'fourteen_days'" in str(error.value)


def test_overlapping_rows_are_refused(tmp_path: Path) -> None:
    folder = _folder(tmp_path, f"fourteen_days:\n  - {ROW}\n  - {ROW}\n")
    with pytest.raises(ParameterError, match="overlap"):
        load(folder)


def test_the_western_hemisphere_list_holds_iso_codes_and_mexico() -> None:
    codes = steady_codes("contiguous_return.western_hemisphere_countries")
    assert set(codes) <= iso_country_codes()
    assert {"MX", "HN", "VE", "CU", "HT", "CA", "BR"} <= set(codes)
    assert not {"IN", "US", "ES"} & set(codes)
    with pytest.raises(ParameterError, match="expected a list of codes"):
        steady_codes("expedited_removal.fourteen_days")
