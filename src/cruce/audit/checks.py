"""Rights audit: each recorded enforcement action checked against what the rules in force at
its instant permitted, vectorised over a caseload.

A caseload row is one recorded action: a ``case_id``, the ``action`` and its ``action_instant``,
the follow-up steps recorded (credible fear referral, status review referral), and the Case
facts (docs/audit.md). Every question is decided for each row at its own instant by the
compiled rules; a finding is a mismatch between the action and what the law allowed or required.
Where the outcome a finding needs depends on unknown facts, the finding is ``NEEDS_REVIEW``
naming those facts (found with the per-case explainer), never a guess.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import polars as pl

from cruce.decide.determination import compile_with
from cruce.engine.logic import Cite, Condition, FactKind, cite
from cruce.engine.unknowns import decision_unknowns, index_for, mask_stages
from cruce.facts.case import FACT_KINDS
from cruce.law import QUESTIONS
from cruce.law.citations import citations_text
from cruce.law.definitions import is_uac
from cruce.law.expedited_removal import has_not_shown_two_years
from cruce.law.timeline import LawPerRow, actual_timeline, regimes
from cruce.tables.reader import (
    BATCH_BYTES,
    ROW,
    Column,
    fact_columns,
    read_table,
    read_table_batches,
)

AT = "action_instant"


class Action(enum.StrEnum):
    """What was done to the person, as recorded."""

    EXPEDITED_REMOVAL = "EXPEDITED_REMOVAL"
    NTA_240 = "NTA_240"
    RETURNED_TO_MEXICO_MPP = "RETURNED_TO_MEXICO_MPP"
    RETURNED_TO_CONTIGUOUS_TERRITORY = "RETURNED_TO_CONTIGUOUS_TERRITORY"
    REINSTATEMENT = "REINSTATEMENT"
    TRANSFERRED_TO_HHS = "TRANSFERRED_TO_HHS"
    CHILD_RETURNED_AFTER_SCREEN = "CHILD_RETURNED_AFTER_SCREEN"


def caseload_columns() -> dict[str, Column]:
    """The columns a caseload may have (docs/audit.md); a birth date precedes the action too."""
    facts = fact_columns()
    born = facts["date_of_birth"]
    facts["date_of_birth"] = replace(born, not_after=(*born.not_after, AT))
    return {
        "case_id": Column("case_id", "text", required=True),
        "action": Column(
            "action", FactKind.ENUM, required=True, choices=tuple(a.value for a in Action)
        ),
        AT: Column(AT, FactKind.INSTANT, required=True),
        "referred_for_credible_fear": Column("referred_for_credible_fear", FactKind.BOOL),
        "referred_for_status_review": Column("referred_for_status_review", FactKind.BOOL),
        **facts,
    }


@dataclass(frozen=True)
class Check:
    """One kind of finding: when the recorded action breaks the rule, and why it matters."""

    code: str
    severity: str
    question: str  # the question whose outcome the check reads
    action: Action
    violation: pl.Expr  # over the row's facts, its outcomes and the cause columns
    explanation: str
    citations: tuple[Cite, ...]


def _is(column: str, *values: str) -> pl.Expr:
    return pl.col(column).cast(pl.String).is_in(list(values))


ER = Action.EXPEDITED_REMOVAL
# Expedited removal used where it was not available, by the first cause that explains it:
# an unaccompanied child, two years shown, a court order, else outside every designation.
ER_NOT_AVAILABLE = _is("expedited_removal", "ER_NOT_AVAILABLE")
NOT_A_CHILD = ~pl.col("__uac").fill_null(False)
TWO_YEARS_NOT_SHOWN = pl.col("__under_two_years").fill_null(True)
CHECKS = (
    Check(
        "ER_FOR_UNACCOMPANIED_CHILD",
        "high",
        "expedited_removal",
        ER,
        ER_NOT_AVAILABLE & ~NOT_A_CHILD,
        "An unaccompanied child was put in expedited removal; the TVPRA requires section 240 "
        "proceedings (or the contiguous-country screen).",
        (cite("S2", "8 U.S.C. 1232(a)(5)(D)"), cite("S4", "6 U.S.C. 279(g)(2)")),
    ),
    Check(
        "ER_DESPITE_TWO_YEARS_SHOWN",
        "high",
        "expedited_removal",
        ER,
        ER_NOT_AVAILABLE & NOT_A_CHILD & ~TWO_YEARS_NOT_SHOWN,
        "Expedited removal was used although two years of continuous presence were shown.",
        (cite("S1", "INA 235(b)(1)(A)(iii)(II)"), cite("S7", "235.3(b)(1)(ii)")),
    ),
    Check(
        "ER_DURING_COURT_ORDER",
        "high",
        "expedited_removal",
        ER,
        ER_NOT_AVAILABLE & NOT_A_CHILD & TWO_YEARS_NOT_SHOWN & pl.col("__full_blocked"),
        "Expedited removal was used while a court order blocked the full-scope designation.",
        (cite("S44", "405 F. Supp. 3d 1"), cite("S46", "Make the Road v. Noem")),
    ),
    Check(
        "ER_OUTSIDE_DESIGNATION",
        "high",
        "expedited_removal",
        ER,
        ER_NOT_AVAILABLE & NOT_A_CHILD & TWO_YEARS_NOT_SHOWN & ~pl.col("__full_blocked"),
        "Expedited removal was used outside every designation and exception in force.",
        (cite("S1", "INA 235(b)(1)(A)"), cite("S7", "235.3(b)(1)")),
    ),
    Check(
        "NO_CREDIBLE_FEAR_REFERRAL",
        "high",
        "procedure",
        ER,
        _is("procedure", "REFER_CFI") & (pl.col("referred_for_credible_fear") == False),  # noqa: E712
        "Fear or an intention to seek asylum was expressed and no credible fear referral is "
        "recorded.",
        (cite("S1", "INA 235(b)(1)(A)(ii)"), cite("S7", "235.3(b)(4)")),
    ),
    Check(
        "STATUS_CLAIM_NOT_REFERRED",
        "high",
        "procedure",
        ER,
        _is("procedure", "REFER_IJ_STATUS_REVIEW")
        & (pl.col("referred_for_status_review") == False),  # noqa: E712
        "A sworn claim to be a citizen, permanent resident, refugee or asylee was not referred "
        "to an immigration judge.",
        (cite("S1", "INA 235(b)(1)(C)"), cite("S7", "235.3(b)(5)(iv)")),
    ),
    Check(
        "MEXICAN_NATIONAL_RETURNED_UNDER_MPP",
        "high",
        "mpp",
        Action.RETURNED_TO_MEXICO_MPP,
        _is("mpp", "MPP_EXCLUDED") & pl.col("__mexican").fill_null(False),
        "A Mexican national was returned to Mexico under MPP, which excludes them.",
        (cite("S26", "MPP Guiding Principles"), cite("S25")),
    ),
    Check(
        "EXCLUDED_PERSON_RETURNED_UNDER_MPP",
        "high",
        "mpp",
        Action.RETURNED_TO_MEXICO_MPP,
        _is("mpp", "MPP_EXCLUDED") & ~pl.col("__mexican").fill_null(False),
        "A person in a group MPP excludes (a child alone, a listed special circumstance, a "
        "positive fear screen, from December 2021 anyone not a Western Hemisphere national...) "
        "was returned to Mexico.",
        (
            cite("S26", "MPP Guiding Principles"),
            cite("S61b", "guidance of 2021-12-02"),
            cite("S34"),
        ),
    ),
    Check(
        "RETURNED_WITHOUT_MPP_IN_FORCE",
        "high",
        "mpp",
        Action.RETURNED_TO_MEXICO_MPP,
        _is("mpp", "NO_MPP_ENROLLMENT"),
        "A person was returned under MPP when no MPP program was enrolling (from 2022-12-15 "
        "MPP was stayed, not terminated, in law, but no one was enrolled).",
        (cite("S31"), cite("S36"), cite("S37", "646 F. Supp. 3d 753")),
    ),
    Check(
        "CONTIGUOUS_RETURN_NOT_PERMITTED",
        "high",
        "contiguous_return",
        Action.RETURNED_TO_CONTIGUOUS_TERRITORY,
        _is("contiguous_return", "CONTIGUOUS_RETURN_NOT_AVAILABLE"),
        "A return to Mexico or Canada pending proceedings was recorded for someone INA "
        "235(b)(2)(C) does not reach (not arriving on land, a child alone, in expedited "
        "removal...).",
        (cite("S1", "INA 235(b)(2)(C)"), cite("S7", "235.3(d)")),
    ),
    Check(
        "CHILD_RETURNED_WITHOUT_CLEARED_SCREEN",
        "high",
        "procedure",
        Action.CHILD_RETURNED_AFTER_SCREEN,
        ~_is("procedure", "TVPRA_CONTIGUOUS_WITHDRAWAL_PERMITTED"),
        "A child was returned without a screen that cleared them within 48 hours.",
        (cite("S2", "8 U.S.C. 1232(a)(2), (a)(4)"),),
    ),
    Check(
        "REINSTATEMENT_WITHOUT_PRIOR_ORDER",
        "high",
        "procedure",
        Action.REINSTATEMENT,
        ~_is("procedure", "REINSTATEMENT_PATH", "NO_REMOVAL"),
        "A removal order was reinstated for someone with no prior order and illegal re-entry "
        "on record.",
        (cite("S5b", "INA 241(a)(5)"),),
    ),
)
"""Every check, in report order."""

# Which action each needs-review check concerns, and the question whose unknown outcome blocks it.
REVIEWED = {
    Action.EXPEDITED_REMOVAL: ("expedited_removal", "procedure"),
    Action.RETURNED_TO_MEXICO_MPP: ("mpp",),
    Action.RETURNED_TO_CONTIGUOUS_TERRITORY: ("contiguous_return",),
    Action.CHILD_RETURNED_AFTER_SCREEN: ("procedure",),
    Action.REINSTATEMENT: ("procedure",),
}

FINDING_SCHEMA = {
    "case_id": pl.String,
    "row": pl.Int64,
    "action": pl.String,
    AT: pl.Datetime("us", "UTC"),
    "finding": pl.String,
    "status": pl.String,
    "severity": pl.String,
    "question": pl.String,
    "outcome": pl.String,
    "explanation": pl.String,
    "citations": pl.String,
    "needs_review_facts": pl.String,
}
"""The findings before each row's nationality and regime are joined on."""


def _cause_columns(law: LawPerRow) -> list[pl.Expr]:
    named: dict[str, Condition] = {"__uac": is_uac, "__under_two_years": has_not_shown_two_years}
    causes = [node.compile(law).alias(name) for name, node in named.items()]
    causes.append(law.blocked_expr("er_designation_full").alias("__full_blocked"))
    causes.append(pl.col("nationalities").list.contains("MX").alias("__mexican"))
    return causes


def audit_frame(caseload: pl.DataFrame) -> pl.DataFrame:
    """Findings for a validated caseload (one row per recorded action)."""
    law = LawPerRow(AT, actual_timeline())
    causes = _cause_columns(law)  # read before compiling, so their instruments are computed
    stages, outcomes = compile_with(law)
    lazy = caseload.lazy()
    for stage in stages:
        lazy = lazy.with_columns(stage)
    frame = lazy.with_columns(*outcomes.values(), *causes).collect()
    violations = pl.concat([_violations(frame, check) for check in CHECKS])
    judged = violations.get_column(ROW).unique()
    undecided = frame.filter(~pl.col(ROW).is_in(judged.implode()))
    findings = pl.concat([violations, _needs_review(undecided)])
    context = frame.select(
        pl.col(ROW).cast(pl.Int64),
        pl.col("nationalities").list.sort().list.join(";").alias("nationality"),
        _regime_of(pl.col(AT)).alias("regime"),
    )
    findings = findings.join(context, on=ROW, how="left")
    return findings.sort(ROW, "finding").rename({ROW: "row"})


def _regime_of(instants: pl.Expr) -> pl.Expr:
    """The named regime (docs/law/regimes.md) containing each instant; null before the first."""
    actual = [r for r in regimes().values() if r.timeline is None]
    starts = pl.Series([r.start for r in actual], dtype=pl.Datetime("us", "UTC"))
    names = pl.Series([None, *(r.id for r in actual)], dtype=pl.String)
    return pl.lit(names).gather(pl.lit(starts).search_sorted(instants, side="right"))


def _violations(frame: pl.DataFrame, check: Check) -> pl.DataFrame:
    hits = frame.filter((pl.col("action") == check.action.value) & check.violation.fill_null(False))
    return hits.select(
        "case_id",
        pl.col(ROW).cast(pl.Int64),
        "action",
        AT,
        pl.lit(check.code).alias("finding"),
        pl.lit("VIOLATION").alias("status"),
        pl.lit(check.severity).alias("severity"),
        pl.lit(check.question).alias("question"),
        pl.col(check.question).cast(pl.String).alias("outcome"),
        pl.lit(check.explanation).alias("explanation"),
        pl.lit(citations_text(check.citations)).alias("citations"),
        pl.lit(None, dtype=pl.String).alias("needs_review_facts"),
    )


def _needs_review(frame: pl.DataFrame) -> pl.DataFrame:
    """Rows with no violation whose action cannot be judged because an outcome it needs
    depends on unknown facts or unsettled law: one finding per such outcome, naming them."""
    law = LawPerRow(AT, actual_timeline())
    index = index_for(list(QUESTIONS.values()), list(FACT_KINDS))
    reviewed = {q for questions in REVIEWED.values() for q in questions}
    lazy = frame.select(ROW, "case_id", "action", AT, *FACT_KINDS, *reviewed).lazy()
    for stage in mask_stages(list(QUESTIONS.values()), law, index):
        lazy = lazy.with_columns(stage)
    frame = lazy.collect()
    parts = []
    for action, questions in REVIEWED.items():
        for question in questions:
            rows = frame.filter((pl.col("action") == action.value) & pl.col(question).is_null())
            if rows.is_empty():
                continue
            mask = decision_unknowns(QUESTIONS[question], law, index, pl.col(question))
            facts = index.names_of(mask)
            parts.append(
                rows.select(
                    "case_id",
                    pl.col(ROW).cast(pl.Int64),
                    "action",
                    AT,
                    pl.lit("NEEDS_REVIEW").alias("finding"),
                    pl.lit("NEEDS_REVIEW").alias("status"),
                    pl.lit("review").alias("severity"),
                    pl.lit(question).alias("question"),
                    pl.lit("UNDECIDED").alias("outcome"),
                    pl.concat_str(pl.lit("needs review: "), facts.str.replace_all(";", ", ")).alias(
                        "explanation"
                    ),
                    pl.lit("").alias("citations"),
                    facts.alias("needs_review_facts"),
                )
            )
    schema = {ROW if k == "row" else k: v for k, v in FINDING_SCHEMA.items()}
    return pl.concat(parts) if parts else pl.DataFrame(schema=schema)


def audit_file(path: str | Path) -> tuple[pl.DataFrame, list[str]]:
    """Read, validate and audit a caseload file: the findings, and the columns it lacked."""
    caseload, absent = read_table(path, caseload_columns())
    return audit_frame(caseload), absent


@dataclass(frozen=True)
class AuditBatch:
    """The findings for a batch of a caseload, and what the whole audit's totals need."""

    findings: pl.DataFrame
    rows: int
    case_ids: pl.Series  # the batch's distinct case ids
    absent: list[str]
    read: int  # bytes of the file read so far (0 when unknown)


def audit_batches(
    path: str | Path, *, data: bytes | None = None, batch_bytes: int = BATCH_BYTES
) -> Iterator[AuditBatch]:
    """Read, validate and audit a caseload a batch at a time (``read_table_batches``): every row
    is judged on its own, so the batches' findings, in order, are ``audit_file``'s. A bad cell
    anywhere raises TableError at the end, naming every bad cell; what was given before must
    then be discarded."""
    for batch in read_table_batches(path, caseload_columns(), data=data, batch_bytes=batch_bytes):
        yield AuditBatch(
            audit_frame(batch.table),
            batch.table.height,
            batch.table.get_column("case_id").unique(),
            batch.absent,
            batch.read,
        )
