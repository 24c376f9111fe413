"""Calibration tables: public statistics shipped as package data, read strictly.

Each table in ``cruce/data/`` is a CSV with ``#`` comment lines, a header, and one row per
published figure; every row names its ``source`` and ``source_url`` (and a ``confidence``:
high, medium or low). ``data/SOURCES.md`` describes how each figure was found.

``TABLES`` holds one schema per table: each column's kind and whether it must be filled.
``load_table`` reads a table with the project's one table reader (``cruce.tables.reader``), which
refuses a file with any problem, raising a ``TableError`` that names the file, the line (counting
comment lines and the header, so the file can be opened at that line), the column and the reason.
Nothing is dropped, defaulted or coerced.

Column kinds: ``text``, ``int``, ``float``, ``bool`` (``True``/``False``), ``date``
(``YYYY-MM-DD``, read as a Polars ``Date``), ``partial_date`` (an ISO date at year, month or day
precision, kept as text so its precision is not lost) and ``url`` (an ``http(s)`` address).
Several columns hold labels rather than dates or numbers in the published data ("FY2016",
"2021 (thru Q2)", "nearly 55"); their schemas say ``text``, as the data is, and the comment by
each such column says why.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import polars as pl

from cruce.engine.logic import FactKind
from cruce.tables.reader import ROW, Column, Kind, TableError, read_table

CONFIDENCE_LEVELS = ("high", "medium", "low")


def _column(
    name: str, kind: Kind = "text", required: bool = True, allowed: tuple[str, ...] = ()
) -> Column:
    """A calibration column: filled in every row unless said otherwise; numbers may be negative;
    a flag is spelled ``True`` or ``False``, as the shipped tables write it."""
    if kind is FactKind.BOOL:
        allowed = ("True", "False")
    return Column(name, kind, required, choices=allowed, signed=True)


@dataclass(frozen=True)
class TableSchema:
    """A calibration table: its name (the CSV's stem), a one-line title and its columns."""

    name: str
    title: str
    columns: tuple[Column, ...]

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _table(name: str, title: str, *columns: Column, notes: bool = True) -> TableSchema:
    """A schema with the provenance columns every table ends with."""
    provenance = (
        _column("source"),
        _column("source_url", "url"),
        _column("confidence", allowed=CONFIDENCE_LEVELS),
    )
    tail = (_column("notes", required=False),) if notes else ()
    return TableSchema(name, title, (*columns, *provenance, *tail))


def _int(name: str, required: bool = True) -> Column:
    return _column(name, FactKind.INT, required)


def _flag(name: str) -> Column:
    return _column(name, FactKind.BOOL)


_SCHEMAS = (
    _table(
        "border_patrol_staffing_by_sector",
        "Border Patrol agents on board by sector and fiscal year",
        _column("sector"),
        _int("fiscal_year"),
        _int("number_of_agents", required=False),  # empty where the table gives no count
    ),
    _table(
        "border_wall_cost_estimates",
        "Official and quasi-official cost estimates for a U.S.-Mexico border wall",
        _column("estimator"),
        _column("date", "partial_date"),
        _int("estimate_usd"),
        _int("miles", required=False),
        _column("scope"),
    ),
    _table(
        "cbp_hiring_metrics",
        "CBP and Border Patrol hiring pipeline: polygraph, time to hire, attrition, contracts",
        _column("metric"),
        _column("period"),  # free text: "FY2015", "c. 2023", "as of 2018-10-01", "5 years"
        _column("value", FactKind.FLOAT),
        _column("unit"),
        _flag("is_approximate"),
    ),
    _table(
        "credible_fear",
        "USCIS credible-fear decisions and resulting EOIR receipts, FY2006-FY2018",
        _int("fiscal_year"),
        _int("cf_negative"),
        _int("cf_positive"),
        _int("cf_other_closed"),
        _column("pct_positive_of_decided", FactKind.FLOAT),
        _int("cf_total"),
        _int("eoir_asylum_only_receipts"),
        _int("eoir_removal_receipts"),
        _int("eoir_total_receipts"),
        _flag("partial_year"),
        notes=False,
    ),
    _table(
        "enforcement_staffing",
        "Border Patrol agent and ICE ERO officer headcounts",
        _column("as_of"),  # free text: dates, "FY2016", "end FY2021 (plan)"
        _column("agency"),
        _column("metric"),
        _int("value"),
        _flag("is_approximate"),
    ),
    _table(
        "eoir_caseload",
        "Immigration court (EOIR) pending cases, receipts and completions by fiscal year",
        _column("fiscal_year"),  # text: one row is "2021 (thru Q2)"
        _int("pending_end_of_fy"),
        _int("initial_receipts"),
        _int("total_completions", required=False),
        _flag("is_approximate"),
    ),
    _table(
        "expedited_removal_expansion_estimates",
        "Published estimates of how many people the expedited-removal expansions could affect",
        _column("policy"),
        _column("estimator"),
        _int("estimate_persons", required=False),
        _flag("is_approximate"),
        _column("description"),
        notes=False,
    ),
    _table(
        "ice_detention",
        "ICE detention: average daily population, funded beds, bed-day cost, length of stay",
        _int("fiscal_year"),
        _column("metric"),
        _column("value", FactKind.FLOAT),
        _column("unit"),
        _flag("is_approximate"),
    ),
    _table(
        "immigration_court_completions_trac",
        "Immigration court case completions from TRAC's case-by-case EOIR records",
        _int("fiscal_year"),
        _int("total_case_completions"),
        _int("removal_case_completions"),
        _flag("partial_year"),
        notes=False,
    ),
    _table(
        "immigration_court_wait_times",
        "Immigration court backlog (TRAC active docket) and average days pending",
        _column("as_of", "partial_date"),
        _int("pending_cases"),
        _int("average_days_pending", required=False),
        _column("measure", required=False),
    ),
    _table(
        "immigration_judges",
        "Immigration judge corps size, hires, departures and productivity",
        _column("as_of"),  # free text: "FY2017", "2015-11 to 2017-04", "hiring process"
        _column("metric"),
        _int("value"),
        _flag("is_approximate"),
    ),
    _table(
        "mpp",
        "Migrant Protection Protocols: flows, cumulative counts, outcomes and nationality",
        _column("as_of"),  # mostly dates, but also "MPP 1.0 total" and "MPP 2.0 (Dec 2021-...)"
        _column("metric"),
        _column("category"),
        _int("value"),
        _flag("is_approximate"),
    ),
    _table(
        "mpp_sites",
        "Migrant Protection Protocols: the ports returning people to Mexico, and from when",
        _column("program"),  # the timeline key of the program: mpp_2019_policy, mpp_2021_policy
        _column("port"),
        _column("returns_to"),
        _column("start", FactKind.DATE),
    ),
    _table(
        "removals",
        "ICE and DHS removals, returns and arrests",
        _int("fiscal_year"),
        _column("agency"),
        _column("metric"),
        _int("value"),
        _flag("is_approximate"),
    ),
    _table(
        "swb_encounters",
        "CBP encounters (USBP and OFO), southwest land border and nationwide",
        _int("fiscal_year"),
        _column("scope"),
        _column("component"),
        _int("encounters"),
        _flag("is_approximate"),
    ),
    _table(
        "swb_uac_family_units",
        "USBP southwest-border apprehensions by demographic (UAC, family units) and country",
        _int("fiscal_year"),
        _column("demographic"),
        _column("country"),
        _int("apprehensions"),
    ),
    _table(
        "cbp_swb_title42_expulsions",
        "CBP southwest-border encounters and Title 42 expulsions by month (OHSS)",
        _int("fiscal_year"),
        _column("month"),  # "October", ...: the calendar month within the fiscal year
        _int("swb_encounters"),
        _int("title42_expulsions", required=False),
        notes=False,
    ),
    _table(
        "swb_usbp_apprehensions_by_nationality",
        "USBP southwest-border apprehensions by country of citizenship (partial)",
        _column("period"),  # "FY2017" or "2016 first six months (as reported Jul 2016)"
        _column("scope"),
        _column("country"),
        _int("apprehensions"),
    ),
    _table(
        "swb_usbp_apprehensions_by_year",
        "USBP apprehensions, southwest border and nationwide, with Mexican nationals",
        _int("fiscal_year"),
        _column("scope"),
        _int("apprehensions_total"),
        _int("apprehensions_mexico", required=False),
        _int("apprehensions_other_than_mexico", required=False),
        _flag("is_approximate"),
    ),
    _table(
        "unauthorized_population_by_country",
        "Unauthorized immigrant population by country of birth (partial)",
        _column("estimator"),
        _column("reference_date", "partial_date"),
        _column("country_of_birth"),
        _int("unauthorized_population", required=False),
        _column("share_pct", required=False),  # text: "nearly 55", "roughly half" as published
    ),
    _table(
        "unauthorized_population_by_state",
        "Unauthorized immigrant population by state of residence",
        _column("estimator"),
        _column("reference_date", "partial_date"),
        _column("state"),
        _int("unauthorized_population", required=False),
        _column("share_pct", FactKind.FLOAT, required=False),
    ),
    _table(
        "unauthorized_population_duration",
        "Unauthorized immigrant population by period of entry and years of U.S. residence",
        _column("estimator"),
        _column("reference_date", "partial_date"),
        _column("measure"),
        _column("category"),
        _column("value", FactKind.FLOAT),
        _column("unit"),
    ),
    _table(
        "unauthorized_population_totals",
        "Unauthorized immigrant population, national totals, by estimator and reference date",
        _column("estimator"),
        _column("reference_date"),  # mostly YYYY or YYYY-MM-DD; one row is "2012-2016 ACS"
        _int("unauthorized_population"),
        _flag("is_approximate"),
    ),
)

TABLES: dict[str, TableSchema] = {schema.name: schema for schema in _SCHEMAS}


# --- Files ------------------------------------------------------------------------------------


def _schema(name: str) -> TableSchema:
    if name not in TABLES:
        raise TableError(f"{name}.csv", f"no such table; known: {list(TABLES)}")
    return TABLES[name]


def load_table(name: str, path: Path | str | None = None, with_lines: bool = False) -> pl.DataFrame:
    """The calibration table ``name``, from the packaged CSV or, if given, from ``path``
    (``with_lines``: add each row's line in the file, to cite it)."""
    schema = _schema(name)
    if path is None:
        data = resources.files("cruce").joinpath("data", schema.file).read_bytes()
        file = Path(f"data/{schema.file}")
    else:
        file = Path(path)
        data = file.read_bytes() if file.exists() else None
    columns = {column.name: column for column in schema.columns}
    table, _ = read_table(file, columns, data=data, comments=True, every_column=True)
    table = table.select(ROW, *schema.column_names())
    if with_lines:
        return table.select(*schema.column_names(), pl.col(ROW).alias("line"))
    return table.drop(ROW)


def load_all() -> dict[str, pl.DataFrame]:
    """Every packaged calibration table, by name."""
    return {name: load_table(name) for name in TABLES}


# --- Sources ----------------------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>])")


def _escape(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _distinct_sources(frame: pl.DataFrame) -> list[tuple[str, str]]:
    pairs = frame.select("source", "source_url").unique(maintain_order=True)
    return [(source, url) for source, url in pairs.iter_rows()]


def sources_markdown(tables: Mapping[str, pl.DataFrame] | None = None) -> str:
    """A markdown list of the tables, each with its row count and distinct sources (linked)."""
    tables = load_all() if tables is None else tables
    lines = [
        "# Calibration tables",
        "",
        "Generated from the packaged CSVs by `cruce.population.calibration.sources_markdown()`; "
        "`SOURCES.md` says how each figure was found.",
        "",
    ]
    for name, frame in tables.items():
        sources = _distinct_sources(frame)
        title = TABLES[name].title if name in TABLES else ""
        count = f"{frame.height} row{'s' * (frame.height != 1)}, {len(sources)} sources"
        lines.append(f"- `{name}` ({count}): {_escape(title)}")
        lines += [f"  - [{_escape(source)}](<{url}>)" for source, url in sources]
    return "\n".join(lines) + "\n"
