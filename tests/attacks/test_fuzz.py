"""Fuzz the caseload reader and scenario files: whatever the bytes, the answer is a result or an
error that names the file (and, for a cell, its line and column), never a traceback."""

from __future__ import annotations

import csv
import io
import string
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cruce.audit.checks import caseload_columns
from cruce.simulation.scenario import ScenarioError, load_scenario, shipped_scenarios
from cruce.tables.reader import TableError, read_table

BOUNDED = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
COLUMNS = caseload_columns()
NAMES = st.sampled_from([*list(COLUMNS)[:12], "case_id", "action", "action_instant", "bogus"])
CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            "unknown",
            "#1",
            "=1+1",
            "nan",
            "inf",
            "2999-01-01",
            "0001-01-01",
            "EXPEDITED_REMOVAL",
            "2019-08-15",
            "true",
            "MX",
            "99999999999999999999",
            '"',
            "a\nb",
            "\t",
            "é",
        ]
    ),
    st.text(string.printable, max_size=8),
)


def _read(data: bytes, name: str = "upload.csv") -> None:
    try:
        read_table(name, COLUMNS, data=data)
    except TableError as error:
        assert name in str(error)
        for cell in error.errors:
            assert cell.row >= 1 and cell.column in COLUMNS


@BOUNDED
@given(st.binary(max_size=300))
def test_random_bytes(data: bytes) -> None:
    _read(data)
    _read(data, "upload.parquet")


@BOUNDED
@given(
    st.lists(NAMES, min_size=1, max_size=6),
    st.lists(st.lists(CELLS, min_size=0, max_size=7), max_size=6),
)
def test_random_csv_shapes(header: list[str], rows: list[list[str]]) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    _read(out.getvalue().encode("utf-8"))


YAML_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=10)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)


@BOUNDED
@given(st.one_of(st.text(max_size=200), YAML_VALUES.map(yaml.safe_dump)))
def test_random_scenario_files(tmp_path_factory, text: str) -> None:
    path = Path(tmp_path_factory.mktemp("scenario")) / "fuzz.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_scenario(path)
    except ScenarioError as error:
        assert str(path) in str(error)


@BOUNDED
@given(st.sampled_from(sorted(shipped_scenarios())), st.text(max_size=12), YAML_VALUES)
def test_shipped_scenarios_with_one_field_changed(
    tmp_path_factory, name: str, field: str, value: object
) -> None:
    data = yaml.safe_load(shipped_scenarios()[name])
    data[field] = value
    path = Path(tmp_path_factory.mktemp("scenario")) / "fuzz.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    try:
        load_scenario(path)
    except ScenarioError as error:
        assert str(path) in str(error)
