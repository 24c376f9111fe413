"""Audit of ICE's own records: the ERO FOIA releases of removals and administrative arrests.

A release is read as ICE published it (docs/audit.md#ice-releases): gzip or not, pipe-separated,
five title lines before the header, quoted text, M/D/YYYY dates, and redaction markers such as
``(B)(6);(B)(7)(C)`` that become unknown, never a value. Its layout is recognised from the header
(or named). Citizenship, disposition, charge and AOR spellings are mapped through the shipped
tables in ``audit/ice_tables/`` (each cited, each code checked); a spelling a table lacks is
reported with its rows and counts, never dropped.

Each recorded action the audit has rules for (expedited removal, reinstatement, a notice to
appear) becomes a caseload row with the facts the record states, and is judged at its own instant
by the same compiled rules as any caseload (``checks.audit_frame``). Every row read is accounted
for: judged, needs review (the facts it lacks named) or refused (with the reason).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import re
import zlib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import polars as pl

from cruce.audit.checks import AT, Action, audit_frame
from cruce.engine.logic import Cite, FactKind, cite
from cruce.facts.case import FACT_KINDS, POLARS_TYPES, InadmissibilityGround
from cruce.law.citations import citations_text
from cruce.law.timeline import Regime, actual_timeline, regimes
from cruce.tables.reader import ROW, Column, TableError, read_table

TITLE_LINES = 5
"""Agency unit, handling marking, FOIA number, a blank line, the table title."""
FIRST_RECORD_LINE = TITLE_LINES + 2
REDACTION = "(B)("
"""How a FOIA exemption marker starts (5 U.S.C. 552(b)(6), (b)(7)(C), (b)(7)(E)...): withheld,
so unknown."""
UNKNOWN_CELL = "(?i)^(unknown)?$"
"""An empty cell, or one saying unknown in any case."""
EASTERN = "America/New_York"
NOT_AUDITED = "NOT_AUDITED"
MAX_INFLATED_BYTES = 512 * 2**20
"""A release unzipped may be up to 512 MiB (a year of removals is about 50 MiB)."""
MAX_UNMAPPED_ROWS = 50
"""Row numbers listed per unmapped spelling (all are counted)."""


@dataclass(frozen=True)
class Layout:
    """A release layout: its name, its header, and the columns the audit reads."""

    name: str
    header: tuple[str, ...]
    disposition: str
    charge: str | None = None
    method: str | None = None

    @property
    def read(self) -> tuple[str, ...]:
        """The columns the audit reads (the others are counted, never read)."""
        named = (self.disposition, self.charge, self.method)
        return (*COMMON, *(name for name in named if name))


COMMON = ("Area of Responsibility", "Apprehension Date", "Citizenship")


LAYOUTS = {
    layout.name: layout
    for layout in (
        Layout(
            "ice-removals",
            (
                "Area of Responsibility",
                "Apprehension Date",
                "Processing Disposition Code",
                "Birth Date",
                "Citizenship",
                "Gender",
                "RC Threat Level",
                "Final Charge Section",
                "Departed Date",
                "Removal Date",
            ),
            disposition="Processing Disposition Code",
            charge="Final Charge Section",
        ),
        Layout(
            "ice-arrests",
            (
                "Area of Responsibility",
                "Apprehension Date",
                "Apprehension Method",
                "Apprehension Landmark",
                "Operation",
                "Processing Disposition",
                "Birth Date",
                "Citizenship",
                "Gender",
            ),
            disposition="Processing Disposition",
            method="Apprehension Method",
        ),
    )
}


@dataclass(frozen=True)
class Release:
    """One release file as read: its cells as text (``ROW`` = the file's line), with provenance."""

    file: str
    sha256: str
    layout: Layout
    title: str
    fiscal_year: int | None
    cells: pl.DataFrame
    redacted: dict[str, int]

    def provenance(self) -> dict[str, object]:
        return {
            "file": self.file,
            "sha256": self.sha256,
            "layout": self.layout.name,
            "title": self.title,
            "fiscal_year": self.fiscal_year,
            "rows": self.cells.height,
            "redacted_cells": self.redacted,
        }


# --- reading a release ---------------------------------------------------------------------------


def read_release(path: str | Path, data: bytes | None = None, layout: str | None = None) -> Release:
    """A release file read as published (gzip or not), its layout recognised from the header or
    checked against ``layout``. Raises TableError naming the file, line and what was expected."""
    file = str(path)
    if data is None:
        if not Path(path).exists():
            raise TableError(file, "no such file")
        data = Path(path).read_bytes()
    sha256 = hashlib.sha256(data).hexdigest()
    text = _text(_inflate(data, file), file)
    lines = text.split("\n", TITLE_LINES + 1)
    if len(lines) <= TITLE_LINES + 1:
        raise TableError(file, f"expected {TITLE_LINES} title lines, a header and records")
    header = tuple(_unquote(name) for name in lines[TITLE_LINES].rstrip("\r").split("|"))
    found = _layout(header, file, layout)
    title = _unquote(lines[TITLE_LINES - 1].split("|", 1)[0])
    cells = _cells(text, found, file)
    cells, redacted = _unredacted(cells, found)
    year = re.search(r"FY\s?(\d{4})", title)
    return Release(
        file, sha256, found, title, int(year.group(1)) if year else None, cells, redacted
    )


def _inflate(data: bytes, file: str) -> bytes:
    """The file's bytes, gunzipped if gzip; refuses more than ``MAX_INFLATED_BYTES`` (a small
    upload must not expand without bound)."""
    if data[:2] != b"\x1f\x8b":
        return data
    inflater = zlib.decompressobj(wbits=31)
    try:
        out = inflater.decompress(data, MAX_INFLATED_BYTES + 1)
    except zlib.error as error:
        raise TableError(file, f"not a readable gzip file: {error}") from None
    if len(out) > MAX_INFLATED_BYTES:
        raise TableError(
            file, f"the file expands to more than {MAX_INFLATED_BYTES:,} bytes once unzipped"
        )
    if not inflater.eof:
        raise TableError(file, "not a readable gzip file: it ends before its last block")
    return out


def _text(data: bytes, file: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise TableError(file, f"byte {data[error.start]:#04x} is not UTF-8", row=line) from None


def _unquote(cell: str) -> str:
    cell = cell.strip()
    return cell[1:-1] if len(cell) >= 2 and cell[0] == cell[-1] == '"' else cell


def _layout(header: tuple[str, ...], file: str, named: str | None) -> Layout:
    line = TITLE_LINES + 1
    if named is not None:
        if named not in LAYOUTS:
            raise TableError(file, f"no layout {named!r}; the layouts are {', '.join(LAYOUTS)}")
        if header != LAYOUTS[named].header:
            raise TableError(
                file,
                f"the header is not the {named} layout's: expected {list(LAYOUTS[named].header)}, "
                f"found {list(header)}",
                row=line,
            )
        return LAYOUTS[named]
    for layout in LAYOUTS.values():
        if header == layout.header:
            return layout
    raise TableError(
        file,
        f"not a recognised ICE release layout ({', '.join(LAYOUTS)}): the header on line {line} "
        f"(after {TITLE_LINES} title lines) is {list(header)}",
        row=line,
    )


def _cells(text: str, layout: Layout, file: str) -> pl.DataFrame:
    """The records as text. Every record must sit on its own line with the header's width (a
    quoted line break or a short row is refused with its line)."""
    body = text.split("\n", TITLE_LINES)[TITLE_LINES].replace("\r\n", "\n").removesuffix("\n")
    records = body.count("\n")
    # Every line the header's width has exactly this many separators in all; only a file that
    # does not is searched line by line for the first record that is off.
    if body.count("|") != (len(layout.header) - 1) * (records + 1):
        _wrong_width(body, layout, file)
    frame = pl.read_csv(
        body.encode("utf-8"),
        separator="|",
        infer_schema=False,
        truncate_ragged_lines=False,
        quote_char='"',
    )
    if frame.height != records:
        raise TableError(file, f"read {frame.height} records from {records} lines")
    return frame.with_row_index(ROW, offset=FIRST_RECORD_LINE).with_columns(
        pl.col(ROW).cast(pl.Int64)
    )


def _wrong_width(body: str, layout: Layout, file: str) -> None:
    lines = pl.Series([body], dtype=pl.String).str.split("\n").explode()
    widths = lines.str.count_matches("|", literal=True) + 1
    wrong = (widths != len(layout.header)).arg_true()
    index = int(wrong[0])
    raise TableError(
        file,
        f"the record has {int(widths[index])} fields but the header has "
        f"{len(layout.header)} (a quoted line break, a '|' in a cell or a missing field)",
        row=index + FIRST_RECORD_LINE - 1,
    )


def _unredacted(cells: pl.DataFrame, layout: Layout) -> tuple[pl.DataFrame, dict[str, int]]:
    """Redacted and empty cells of the columns the audit reads become unknown (null); the
    redactions are counted in every column."""
    marked = {name: pl.col(name).str.starts_with(REDACTION) for name in layout.header}
    redacted = cells.select(m.fill_null(False).sum().alias(n) for n, m in marked.items()).row(
        0, named=True
    )
    unknown = [
        pl.when(marked[n] | text.str.contains(UNKNOWN_CELL)).then(None).otherwise(text).alias(n)
        for n in layout.read
        for text in [pl.col(n).str.strip_chars()]
    ]
    return cells.with_columns(unknown), {k: int(v) for k, v in redacted.items() if v}


# --- the shipped mapping tables ------------------------------------------------------------------


def _table(name: str, columns: list[Column]) -> pl.DataFrame:
    path = resources.files("cruce").joinpath("audit", "ice_tables", name)
    table, _ = read_table(
        Path(str(path)),
        {c.name: c for c in columns},
        data=path.read_bytes(),
        comments=True,
        every_column=True,
    )
    return table.drop(ROW)


def _bool(name: str) -> Column:
    return Column(name, FactKind.BOOL)


CONFIDENCE = Column(
    "confidence", "text", required=True, choices=("confirmed", "reported", "unconfirmed")
)


@cache
def countries() -> pl.DataFrame:
    """ICE citizenship spelling → ISO 3166-1 alpha-2 code (validated against the ISO list)."""
    return _table(
        "ice_countries.csv",
        [
            Column("ice_name", "text", required=True),
            Column("iso_code", FactKind.ENUM, required=True),
            CONFIDENCE,
            Column("note", "text"),
        ],
    )


@cache
def dispositions() -> pl.DataFrame:
    """Each layout's disposition codes → the audited action and the kind of procedure."""
    actions = (*(a.value for a in Action), NOT_AUDITED)
    return _table(
        "ice_dispositions.csv",
        [
            Column("layout", "text", required=True, choices=tuple(LAYOUTS)),
            Column("code", "text", required=True),
            Column("meaning", "text", required=True),
            Column("action", "text", required=True, choices=actions),
            Column("procedure", "text", required=True, choices=PROCEDURES),
            _bool("credible_fear_referral"),
            CONFIDENCE,
        ],
    )


PROCEDURES = ("summary", "section_240", "other")


@cache
def charges() -> pl.DataFrame:
    """Final charge spelling → the ground the rules read and what the charge shows."""
    grounds = (*(g.value for g in InadmissibilityGround), "NONE")
    return _table(
        "ice_charges.csv",
        [
            Column("charge", "text", required=True),
            Column(
                "kind",
                "text",
                required=True,
                choices=("inadmissibility", "deportability", "reinstatement"),
            ),
            Column("ground", "text", choices=grounds),
            _bool("er_ground"),
            _bool("prior_removal_order"),
            _bool("reentered_illegally"),
            _bool("admitted"),
            CONFIDENCE,
            Column("note", "text"),
        ],
    )


@cache
def aors() -> pl.DataFrame:
    """Area of Responsibility → its field office and state."""
    return _table(
        "ice_aors.csv",
        [
            Column("aor", "text", required=True),
            Column("field_office", "text", required=True),
            Column("state", "text", required=True),
            CONFIDENCE,
        ],
    )


# --- from records to a caseload ------------------------------------------------------------------


def _mapped(release: Release) -> pl.DataFrame:
    """The release's rows with the shipped tables joined on (null where a spelling is unmapped)."""
    layout = release.layout
    frame = release.cells.with_columns(
        pl.lit(release.file).alias("file"),
        pl.lit(layout.name).alias("layout"),
        pl.lit(release.fiscal_year, dtype=pl.Int64).alias("fiscal_year"),
        pl.col(layout.disposition).alias("disposition"),
        (pl.col(layout.charge) if layout.charge else pl.lit(None, pl.String)).alias("charge"),
        (pl.col(layout.method) if layout.method else pl.lit(None, pl.String)).alias("method"),
        pl.col("Citizenship").alias("citizenship"),
        pl.col("Area of Responsibility").alias("aor"),
        pl.col("Apprehension Date").alias("apprehension_date"),
    ).select(
        ROW,
        "file",
        "layout",
        "fiscal_year",
        "disposition",
        "charge",
        "method",
        "citizenship",
        "aor",
        "apprehension_date",
    )
    codes = dispositions().filter(pl.col("layout") == layout.name).drop("layout", "confidence")
    frame = frame.join(
        codes.rename({"code": "disposition"}), on="disposition", how="left", coalesce=True
    )
    frame = frame.join(
        countries().select(pl.col("ice_name").alias("citizenship"), "iso_code"),
        on="citizenship",
        how="left",
    )
    frame = frame.join(
        charges().drop("confidence", "note").rename({"kind": "charge_kind"}),
        on="charge",
        how="left",
    )
    frame = frame.join(aors().drop("confidence"), on="aor", how="left")
    # A million rows hold a few thousand distinct spellings: kept as categories, not copies.
    return frame.with_columns(pl.col(pl.String).cast(pl.Categorical))


def unmapped(mapped: pl.DataFrame) -> pl.DataFrame:
    """Every spelling a shipped table lacks: column, value, count and (the first) rows."""
    checks = {
        "disposition": "meaning",
        "citizenship": "iso_code",
        "charge": "charge_kind",
        "aor": "field_office",
    }
    parts = [
        mapped.filter(pl.col(column).is_not_null() & pl.col(target).is_null())
        .group_by("file", pl.col(column).alias("value"))
        .agg(
            pl.len().alias("count"),
            pl.col(ROW).sort().head(MAX_UNMAPPED_ROWS).cast(pl.String).str.join(";").alias("rows"),
        )
        .select("file", pl.lit(column).alias("column"), "value", "count", "rows")
        for column, target in checks.items()
    ]
    return pl.concat(parts).sort("file", "column", "count", descending=[False, False, True])


def _instant(date: pl.Expr) -> pl.Expr:
    """An M/D/YYYY date as its first instant, US Eastern (the law's dates are in Eastern)."""
    day = date.cast(pl.String).str.to_date("%m/%d/%Y", strict=False)
    day = pl.when(day.dt.year().is_between(1900, 2199)).then(day)
    return (
        day.cast(pl.Datetime("us"))
        .dt.replace_time_zone(EASTERN, ambiguous="earliest")
        .dt.convert_time_zone("UTC")
    )


def refusals(mapped: pl.DataFrame) -> pl.Expr:
    """Why a row cannot be audited (null where it can): the first reason that applies."""
    date = pl.col("apprehension_date")
    return (
        pl.when(pl.col("disposition").is_null())
        .then(pl.lit("no processing disposition recorded"))
        .when(pl.col("meaning").is_null())
        .then(
            pl.lit("disposition not in the shipped table: ") + pl.col("disposition").cast(pl.String)
        )
        .when(pl.col("action") == NOT_AUDITED)
        .then(
            pl.lit("no rule of the audit reads this disposition: ")
            + pl.col("meaning").cast(pl.String)
        )
        .when(date.is_not_null() & _instant(date).is_null())
        .then(pl.lit("apprehension date is not a date in 1900-2199: ") + date.cast(pl.String))
    )


def caseload(mapped: pl.DataFrame) -> pl.DataFrame:
    """The auditable rows with the facts the record states (``STATED``); every other Case fact is
    unknown."""
    facts = {
        "nationalities": pl.when(pl.col("iso_code").is_not_null()).then(
            pl.concat_list(pl.col("iso_code"))
        ),
        # The release gives one charge per removal, taken as the charges of the order.
        "inadmissibility_grounds": pl.when(pl.col("ground") == "NONE")
        .then(pl.lit([], dtype=pl.List(pl.String)))
        .when(pl.col("ground").is_not_null())
        .then(pl.concat_list(pl.col("ground"))),
        "was_admitted": pl.col("admitted"),
        "prior_removal_order_exists": pl.col("prior_removal_order"),
        "reentered_illegally_after_removal": pl.col("reentered_illegally"),
        "expressed_fear_or_asylum_intent": pl.col("credible_fear_referral").replace(False, None),
        "referred_for_credible_fear": pl.col("credible_fear_referral").replace(False, None),
    }
    rows = mapped.filter(refusals(mapped).is_null() & pl.col("apprehension_date").is_not_null())
    return rows.select(
        ROW,
        "action",
        _instant(pl.col("apprehension_date")).alias(AT),
        *(facts[name].cast(POLARS_TYPES[KINDS[name]]).alias(name) for name in STATED[1:]),
        "iso_code",
        "ground",
    )


def _with_every_fact(patterns: pl.DataFrame) -> pl.DataFrame:
    """A caseload with every Case fact the records do not state, unknown."""
    return patterns.with_columns(
        pl.col(ROW).cast(pl.String).alias("case_id"),
        pl.lit(None, pl.Boolean).alias("referred_for_status_review"),
        *(
            pl.lit(None).cast(POLARS_TYPES[kind]).alias(name)
            for name, kind in KINDS.items()
            if name not in patterns.columns
        ),
    )


# --- judging ------------------------------------------------------------------------------------

STATED = (
    "action",
    "nationalities",
    "inadmissibility_grounds",
    "was_admitted",
    "prior_removal_order_exists",
    "reentered_illegally_after_removal",
    "expressed_fear_or_asylum_intent",
    "referred_for_credible_fear",
)
"""The caseload columns a release can fill; every other fact is unknown in every row."""
KINDS = {**FACT_KINDS, "referred_for_credible_fear": FactKind.BOOL}


def _intervals(instants: pl.Expr) -> pl.Expr:
    """Which stretch between the law's dated changes (and regime starts) an instant falls in."""
    timeline = actual_timeline()
    starts = {r.start for r in _regimes()} | set(timeline.boundaries())
    edges = pl.Series(sorted(starts), dtype=pl.Datetime("us", "UTC"))
    return pl.lit(edges).search_sorted(instants, side="right")


def _regimes() -> list[Regime]:
    return [r for r in regimes().values() if r.timeline is None]


def judge(rows: pl.DataFrame) -> pl.DataFrame:
    """Findings for a release caseload, each action at its own instant. The records state only a
    few facts and the law changes only on its dated boundaries, so rows alike in both are judged
    once (one representative each) and the findings given to every row of the pattern."""
    keyed = rows.with_columns(_intervals(pl.col(AT)).alias(INTERVAL))
    patterns = keyed.unique(subset=PATTERN, keep="first", maintain_order=True)
    judged = audit_frame(_with_every_fact(patterns.drop(INTERVAL, *SOURCES)))
    text = ("explanation", "citations", "needs_review_facts", "outcome", "question")
    judged = judged.with_columns(pl.col(c).cast(pl.Categorical) for c in text)
    judged = (
        judged.drop("case_id", AT, "regime", "action")
        .join(patterns.select(pl.col(ROW).alias("row"), *PATTERN), on="row", how="inner")
        .drop("row")
    )
    every = keyed.select(pl.col(ROW).alias("row"), AT, *PATTERN)
    findings = every.join(judged, on=PATTERN, how="inner", nulls_equal=True).drop(
        INTERVAL, *PATTERN[2:]
    )
    return findings.sort("row", "finding")


INTERVAL = "__interval"
SOURCES = ("iso_code", "ground")
"""The record's own cells the list facts are made of (nationalities, inadmissibility grounds)."""
PATTERN = (
    INTERVAL,
    "action",
    *SOURCES,
    "was_admitted",
    "prior_removal_order_exists",
    "reentered_illegally_after_removal",
    "referred_for_credible_fear",
)
"""What makes two rows alike for the law: the stretch of law and every fact stated (the list
facts through the cells they are made of)."""


# --- the findings the records can support --------------------------------------------------------


@dataclass(frozen=True)
class RecordFinding:
    """A kind of action the records show that the law may forbid: which rows, the question whose
    outcome at the row's instant decides it, and what it rests on."""

    code: str
    title: str
    action: Action
    rows: pl.Expr  # over the mapped release
    question: str
    rests_on: str
    citations: tuple[Cite, ...]
    unsupported: str = ""  # why no record can show it, where that is so


def _row(row_id: str) -> tuple[dt.datetime, dt.datetime | None]:
    row = next(r for r in actual_timeline().rows() if r.id == row_id)
    return row.start, row.end


def record_findings() -> tuple[RecordFinding, ...]:
    """The four kinds of finding the issue names, dated from the timeline (not restated here)."""
    enjoined, lifted = _row("MAKE-THE-ROAD-v-MCALEENAN")
    _, cuban_end = _row("CUBA-DESIGNATIONS-EXCEPTION")
    at = pl.col(AT)
    return (
        RecordFinding(
            "ER_DURING_2019_INJUNCTION",
            f"Expedited removal ordered while Make the Road v. McAleenan enjoined the 2019 "
            f"full-scope designation ({enjoined:%Y-%m-%d} to {lifted:%Y-%m-%d})"
            if lifted
            else "Expedited removal during the 2019 injunction",
            Action.EXPEDITED_REMOVAL,
            (at >= enjoined) & (at < lifted) if lifted else at >= enjoined,
            "expedited_removal",
            "the apprehension date, taken as the date of the order (the release gives no order "
            "date); unlawful only for someone the 2019 expansion alone reached (beyond 100 air "
            "miles or 14 days), which the records do not state",
            (cite("S44", "405 F. Supp. 3d 1"), cite("S15", "84 FR 35409")),
        ),
        RecordFinding(
            "ER_OF_CUBAN_NATIONAL_BEFORE_2017",
            f"Expedited removal of a Cuban national before {cuban_end:%Y-%m-%d}, while the "
            "designations excepted Cuban nationals",
            Action.EXPEDITED_REMOVAL,
            pl.col("nationalities").list.contains("CU").fill_null(False) & (at < cuban_end),
            "expedited_removal",
            "the citizenship and the apprehension date; arriving aliens at a port stayed "
            "within expedited removal, so the manner of arrival decides it",
            (cite("S13", "82 FR 4902"), cite("S14", "82 FR 4769")),
        ),
        RecordFinding(
            "REINSTATEMENT_WITHOUT_REENTRY_CHARGE",
            "Reinstatement of a removal order whose recorded charge is neither 212(a)(9)(A), "
            "212(a)(9)(C)(i)(II) nor 241(a)(5)",
            Action.REINSTATEMENT,
            # Arrest releases carry no charge: they cannot show this, either way.
            pl.col("charge").is_not_null() & pl.col("prior_removal_order_exists").is_null(),
            "procedure",
            "the final charge section: without a prior-removal charge the record does not show "
            "the prior order and illegal re-entry INA 241(a)(5) requires",
            (cite("S5b", "INA 241(a)(5)"), cite("S3", "INA 212(a)(9)")),
        ),
        RecordFinding(
            "ER_ON_A_CHARGE_NOT_AN_ER_GROUND",
            "Expedited removal whose recorded charge is not a ground expedited removal may "
            "charge (212(a)(6)(C) or 212(a)(7))",
            Action.EXPEDITED_REMOVAL,
            pl.col("er_ground") == False,  # noqa: E712
            "expedited_removal",
            "the final charge section, taken as the charge of the order (one charge per record)",
            (cite("S1", "INA 235(b)(1)(A)(i)"), cite("S7", "235.3(b)(3)")),
        ),
    )


def findings_by_record(
    cases: pl.DataFrame, mapped: pl.DataFrame, findings: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Each record finding's rows with their status (VIOLATION, NEEDS_REVIEW naming the facts,
    or CLEARED where the rules permitted the action), and the counts per finding."""
    context = cases.select(ROW, "action", AT, "nationalities", "prior_removal_order_exists").join(
        mapped.select(ROW, "file", "charge", "er_ground"), on=ROW
    )
    parts, counts = [], []
    for kind in record_findings():
        rows = context.filter((pl.col("action") == kind.action.value) & kind.rows.fill_null(False))
        outcome = (
            findings.filter(pl.col("question") == kind.question)
            .group_by("row")
            .agg(_worst(), pl.col("needs_review_facts").drop_nulls().first())
        )
        hits = rows.join(outcome, left_on=ROW, right_on="row", how="left").select(
            pl.col(ROW).alias("row"),
            "file",
            AT,
            pl.lit(kind.code).alias("finding"),
            pl.col("status").fill_null("CLEARED"),
            "needs_review_facts",
        )
        parts.append(hits)
        tally = hits.group_by("status").len()
        number = dict(tally.iter_rows())
        counts.append(
            {
                "finding": kind.code,
                "title": kind.title,
                "rows": hits.height,
                "violations": number.get("VIOLATION", 0),
                "needs_review": number.get("NEEDS_REVIEW", 0),
                "cleared": number.get("CLEARED", 0),
                "missing_facts": _commonest(hits),
                "rests_on": kind.rests_on,
                "citations": citations_text(kind.citations),
                "supported": "yes" if hits.height else "no record in these files falls in it",
            }
        )
    return pl.concat(parts), pl.DataFrame(counts)


def _worst() -> pl.Expr:
    """A row's status over its findings: a violation outweighs a needs-review."""
    violation = (pl.col("status") == "VIOLATION").any()
    return (
        pl.when(violation)
        .then(pl.lit("VIOLATION"))
        .otherwise(pl.lit("NEEDS_REVIEW"))
        .alias("status")
    )


def _commonest(hits: pl.DataFrame) -> str:
    facts = hits.filter(pl.col("status") == "NEEDS_REVIEW").get_column("needs_review_facts")
    if facts.is_empty():
        return ""
    return str(facts.drop_nulls().mode().sort().first() or "")


# --- the whole audit -----------------------------------------------------------------------------


@dataclass
class ReleaseAudit:
    """An audit of one or more release files: findings, accounting, unmapped spellings and the
    provenance of every file."""

    releases: list[dict[str, object]]
    mapped: pl.DataFrame
    findings: pl.DataFrame
    record_rows: pl.DataFrame
    record_counts: pl.DataFrame
    accounting: pl.DataFrame
    unmapped: pl.DataFrame
    layouts: list[str] = field(default_factory=list)


def audit_releases(
    paths: list[Path], layout: str | None = None, data: dict[str, bytes] | None = None
) -> ReleaseAudit:
    """Read, map and judge every file (``data``: bytes already in memory, by file name)."""
    releases, parts = [], []
    for path in paths:  # each file's cells are let go once mapped
        release = read_release(path, (data or {}).get(str(path)), layout)
        releases.append(release.provenance())
        parts.append(_mapped(release))
    mapped = pl.concat(parts, how="vertical_relaxed").with_columns(
        pl.col("file").cast(pl.Categorical)
    )
    # Lines repeat across files: one running row number keys the whole audit.
    mapped = (
        mapped.rename({ROW: "line"})
        .with_row_index(ROW, offset=1)
        .with_columns(pl.col(ROW).cast(pl.Int64))
    )
    cases = caseload(mapped)
    findings = judge(cases)
    record_rows, record_counts = findings_by_record(cases, mapped, findings)
    return ReleaseAudit(
        releases=releases,
        mapped=mapped,
        findings=findings,
        record_rows=record_rows,
        record_counts=record_counts,
        accounting=accounting(mapped, findings),
        unmapped=unmapped(mapped),
        layouts=sorted({str(r["layout"]) for r in releases}),
    )


def accounting(mapped: pl.DataFrame, findings: pl.DataFrame) -> pl.DataFrame:
    """Every row read, as judged, needs review or refused (with the reason), per file."""
    worst = findings.group_by("row").agg(_worst())
    status = (
        mapped.select(ROW, "file", refusals(mapped).alias("reason"), "apprehension_date")
        .join(worst, left_on=ROW, right_on="row", how="left")
        .select(
            "file",
            pl.when(pl.col("reason").is_not_null())
            .then(pl.lit("refused"))
            .when(pl.col("apprehension_date").is_null())
            .then(pl.lit("needs review"))
            .when(pl.col("status") == "NEEDS_REVIEW")
            .then(pl.lit("needs review"))
            .otherwise(pl.lit("judged"))
            .alias("outcome"),
            pl.when(pl.col("reason").is_not_null())
            .then("reason")
            .when(pl.col("apprehension_date").is_null())
            .then(pl.lit("no apprehension date: the instant of the action is unknown"))
            .alias("reason"),
        )
    )
    return status.group_by("file", "outcome", "reason").len("rows").sort("file", "outcome", "rows")


# --- the consulate summary -----------------------------------------------------------------------


def consulate_summary(audit: ReleaseAudit, country: str = "MX") -> dict[str, pl.DataFrame]:
    """The nationals of ``country`` (ISO alpha-2): counts by fiscal year and disposition, AOR and
    apprehension method; the share of summary procedures against section 240 by fiscal year; and
    the record findings on them."""
    nationals = audit.mapped.filter(pl.col("iso_code") == country)
    by = {
        "by_disposition": ("layout", "fiscal_year", "disposition", "meaning", "procedure"),
        "by_aor": ("layout", "fiscal_year", "aor", "field_office", "state"),
        "by_method": ("layout", "fiscal_year", "method"),
    }
    tables = {
        name: nationals.group_by(*keys)
        .len("rows")
        .sort(*keys[:2], "rows", descending=[False, False, True])
        for name, keys in by.items()
    }
    tables["by_method"] = tables["by_method"].filter(pl.col("layout") == "ice-arrests")
    shares = (
        nationals.group_by("layout", "fiscal_year")
        .agg(
            pl.len().alias("rows"),
            (pl.col("procedure") == "summary").sum().alias("summary"),
            (pl.col("procedure") == "section_240").sum().alias("section_240"),
        )
        .with_columns(
            (pl.col("summary") / (pl.col("summary") + pl.col("section_240")))
            .round(4)
            .alias("summary_share_of_summary_and_240")
        )
        .sort("layout", "fiscal_year")
    )
    tables = {"procedure_shares": shares, **tables}
    rows = audit.record_rows.join(
        audit.mapped.select(pl.col(ROW).alias("row"), "iso_code", "fiscal_year"), on="row"
    ).filter(pl.col("iso_code") == country)
    tables["findings"] = (
        rows.group_by("finding", "fiscal_year", "status").len("rows").sort("finding", "fiscal_year")
    )
    return tables


def is_release(path: Path) -> bool:
    """Whether the file's header line (after the title lines) is an ICE release layout's."""
    try:
        with Path(path).open("rb") as raw:
            gzipped = raw.read(2) == b"\x1f\x8b"
        opener = gzip.open if gzipped else open
        with opener(path, "rb") as stream:
            lines = [stream.readline() for _ in range(TITLE_LINES + 1)]
    except (OSError, EOFError, zlib.error):
        return False
    header = lines[-1].decode("utf-8-sig", "replace").rstrip("\r\n").split("|")
    return tuple(_unquote(name) for name in header) in {lay.header for lay in LAYOUTS.values()}
