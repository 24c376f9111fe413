"""Country names in English and Spanish for the screener's pickers, from ``countries.csv``
beside the facts: one row per ISO 3166-1 alpha-2 code the facts accept, each with its source
(the Unicode CLDR territory names)."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from cruce.facts.case import iso_country_codes

PATH = Path(__file__).with_name("countries.csv")
COLUMNS = ["code", "name_en", "name_es", "source"]


class CountryError(ValueError):
    """countries.csv does not match the country codes the facts accept."""


@cache
def country_names() -> dict[str, dict[str, str]]:
    """Each code's name by language (``{"MX": {"en": "Mexico", "es": "México"}}``); fails
    naming the line when a row is malformed, and the codes when the table and ISO 3166-1
    (as the facts read it) disagree."""
    with PATH.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        if header != COLUMNS:
            raise CountryError(f"{PATH.name}: header {header} must be {COLUMNS}")
        names: dict[str, dict[str, str]] = {}
        for line, row in enumerate(reader, start=2):
            if len(row) != len(COLUMNS) or not all(cell.strip() for cell in row):
                raise CountryError(f"{PATH.name}, line {line}: four non-empty cells {COLUMNS}")
            code, english, spanish, _source = row
            if code in names:
                raise CountryError(f"{PATH.name}, line {line}: {code} given twice")
            names[code] = {"en": english, "es": spanish}
    valid = iso_country_codes()
    unknown, missing = sorted(set(names) - valid), sorted(valid - set(names))
    if unknown or missing:
        raise CountryError(
            f"{PATH.name}: codes not in ISO 3166-1 {unknown}; codes without a name {missing}"
        )
    return names
