"""The numbers (and lists) of the law, each dated and cited: ``law/parameters/*.yaml``.

A parameter is a key of a YAML file (``expedited_removal.yaml`` → ``expedited_removal.<key>``)
holding a list of dated rows: ``value`` (a number, a date, or a list of codes such as ISO
country codes), ``unit``, ``effective_from`` (inclusive),
``effective_until`` (exclusive, or null while in force), ``citation`` (an id of
``law/citations.yaml``), an optional ``pinpoint``, and ``confidence``. Loading is lazy and
cached, and fails naming the file, the key and the row on an undated or uncited value, an
unknown citation, or overlapping rows.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from itertools import pairwise
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from cruce.engine.logic import Confidence
from cruce.law.citations import registry

Value = int | float | dt.date | tuple[str, ...]
T = TypeVar("T", int, float, dt.date)


class ParameterError(ValueError):
    """A parameter file, key or row that breaks the rules above."""


class ParameterRow(BaseModel):
    """One value of a parameter, with the interval in which it is the law and its source."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)

    value: int | float | dt.date | tuple[str, ...]
    unit: str
    effective_from: dt.date
    effective_until: dt.date | None
    citation: str
    pinpoint: str = ""
    confidence: Confidence

    @model_validator(mode="after")
    def _interval(self) -> ParameterRow:
        if self.effective_until is not None and self.effective_until <= self.effective_from:
            raise ValueError("effective_until must be after effective_from")
        return self

    def in_force(self, on: dt.date) -> bool:
        return self.effective_from <= on and (
            self.effective_until is None or on < self.effective_until
        )


def _rows(file: str, key: str, raw: Any) -> tuple[ParameterRow, ...]:
    where = f"law/parameters/{file}, key {key!r}"
    if not isinstance(raw, list) or not raw:
        raise ParameterError(f"{where}: expected a non-empty list of dated, cited rows")
    rows = []
    for i, entry in enumerate(raw):
        try:
            row = ParameterRow.model_validate(entry)
        except ValidationError as error:
            first = error.errors()[0]
            field = ".".join(map(str, first["loc"])) or "row"
            raise ParameterError(
                f"{where}, row {i}: field {field!r}: {first['msg']} "
                "(every value needs effective_from, effective_until, citation and confidence)"
            ) from None
        if row.citation not in registry():
            raise ParameterError(
                f"{where}, row {i}: citation {row.citation!r} is not in law/citations.yaml"
            )
        rows.append(row)
    ordered = sorted(rows, key=lambda r: r.effective_from)
    for earlier, later in pairwise(ordered):
        if earlier.effective_until is None or earlier.effective_until > later.effective_from:
            raise ParameterError(f"{where}: rows from {later.effective_from} overlap")
    return tuple(ordered)


def load(folder: Traversable) -> dict[str, tuple[ParameterRow, ...]]:
    """Every parameter of the YAML files in ``folder``, validated, by ``<file stem>.<key>``."""
    found: dict[str, tuple[ParameterRow, ...]] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        data = yaml.safe_load(entry.read_text("utf-8"))
        if not isinstance(data, dict):
            raise ParameterError(f"law/parameters/{entry.name}: expected a mapping of keys")
        stem = entry.name.removesuffix(".yaml")
        for key, raw in data.items():
            found[f"{stem}.{key}"] = _rows(entry.name, key, raw)
    return found


@cache
def parameters() -> dict[str, tuple[ParameterRow, ...]]:
    """Cruce's parameters (``law/parameters/*.yaml``), loaded once."""
    return load(resources.files("cruce").joinpath("law", "parameters"))


def _lookup(name: str) -> tuple[ParameterRow, ...]:
    known = parameters()
    if name not in known:
        raise ParameterError(f"unknown parameter {name!r}; valid: {', '.join(sorted(known))}")
    return known[name]


def row_at(name: str, on: dt.date) -> ParameterRow:
    """The row of ``name`` in force on a date."""
    for row in _lookup(name):
        if row.in_force(on):
            return row
    raise ParameterError(f"parameter {name!r} has no value in force on {on}")


def _single_value(name: str) -> Value:
    """The one value of ``name`` in every row.

    The decision tables are compiled once for every instant, so a value they compare against
    must not change with time; a change is encoded as a dated instrument in ``law/timeline/``
    instead, and this refuses a parameter whose rows disagree."""
    values = {row.value for row in _lookup(name)}
    if len(values) != 1:
        changes = ", ".join(sorted(map(str, values)))
        raise ParameterError(f"parameter {name!r} changes value over time: {changes}")
    return values.pop()


def steady(name: str, kind: type[T]) -> T:
    """The value of ``name``, which must be the same in every row and of ``kind``."""
    value = _single_value(name)
    if kind is float and isinstance(value, int):
        value = float(value)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ParameterError(f"parameter {name!r} is {value!r}, expected a {kind.__name__}")
    return value


def steady_codes(name: str) -> tuple[str, ...]:
    """The list of codes ``name`` holds, which must be the same in every row (as ``steady``)."""
    value = _single_value(name)
    if not isinstance(value, tuple):
        raise ParameterError(f"parameter {name!r} is {value!r}, expected a list of codes")
    return value


def cite_of(name: str, on: dt.date) -> tuple[str, str, Confidence]:
    """The citation id, pinpoint and confidence of ``name`` on a date."""
    row = row_at(name, on)
    return row.citation, row.pinpoint, row.confidence
