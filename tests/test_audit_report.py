"""The HTML audit report: self-contained (plotly.js inline, once; nothing fetched from the
network), every planted finding shown, user text escaped, and sensible when empty."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import polars as pl
import pytest
from plotly.offline import get_plotlyjs

from cruce.audit.checks import AT, CHECKS, FINDING_SCHEMA, audit_file
from cruce.audit.examples import write_example_caseload
from cruce.decide.notice import NOTICE
from cruce.web.audit_report import LISTED, NO_FINDINGS, TITLE, render_report, write_report

EVIL = "<script>alert(1)</script>"
EVIL_NAME = "<b onmouseover=alert(1)>x.csv"  # a file name has no slash


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> tuple[pl.DataFrame, list[str], dict]:
    path = tmp_path_factory.mktemp("audit") / "caseload.csv"
    expected = write_example_caseload(path)
    findings, absent = audit_file(path)
    return findings, absent, expected


@pytest.fixture(scope="module")
def report(audited: tuple[pl.DataFrame, list[str], dict]) -> str:
    findings, absent, expected = audited
    return _render(findings, absent_columns=absent, cases=len(expected))


def _render(findings: pl.DataFrame, *, absent_columns: Sequence[str] = (), cases: int = 1) -> str:
    return render_report(
        findings,
        source="/data/caseload.csv",
        cases=cases,
        rows=cases,
        absent_columns=list(absent_columns),
    )


def _section(html: str, anchor: str) -> str:
    """A section's markup, with the soft line breaks the report puts after underscores."""
    match = re.search(rf'<section id="{anchor}">(.*?)</section>', html, re.S)
    assert match, anchor
    return match.group(1).replace("<wbr>", "")


def _rows(table_html: str) -> list[str]:
    return re.findall(r"<tr\b.*?</tr>", table_html.split("<tbody>", 1)[1], re.S)


def test_header_has_title_source_counts_notice_and_absent_columns(
    report: str, audited: tuple[pl.DataFrame, list[str], dict]
) -> None:
    findings, absent, _ = audited
    assert f"<h1>{TITLE}</h1>" in report
    assert "<code>caseload.csv</code>" in report
    assert NOTICE in report
    violations = findings.filter(pl.col("status") == "VIOLATION").height
    assert f"{violations} findings on {violations} actions" in report
    columns = _section(report, "columns")
    assert absent and all(f"<code>{name}</code>" in columns for name in absent)


def test_every_planted_finding_is_reported_on_its_case(
    report: str, audited: tuple[pl.DataFrame, list[str], dict]
) -> None:
    _, _, expected = audited
    rows = _rows(_section(report, "findings"))
    for case_id, finding in expected.items():
        case_rows = [row for row in rows if f"<td>{case_id}</td>" in row]
        if finding is None:
            assert not case_rows, case_id
        else:
            assert case_rows and all(finding in row for row in case_rows), case_id


def test_summary_counts_each_check_with_its_explanation(
    report: str, audited: tuple[pl.DataFrame, list[str], dict]
) -> None:
    _, _, expected = audited
    summary = _section(report, "summary")
    planted = [f for f in expected.values() if f]
    for check in CHECKS:
        (row,) = [r for r in _rows(summary) if f"<code>{check.code}</code>" in r]
        assert f'<td class="num">{planted.count(check.code)}</td>' in row
        assert check.explanation.split(";")[0] in row
        assert str(check.citations[0]) in row
    assert "the outcome depends on facts that are unknown; review them" in summary


def test_no_network_references(report: str) -> None:
    assert "<script src" not in report
    assert re.search(r"<script\b[^>]*\bsrc\s*=", report, re.I) is None
    assert "<link" not in report and "@import" not in report
    outside_bundle = report.replace(get_plotlyjs(), "")
    assert "http://" not in outside_bundle and "https://" not in outside_bundle
    # Protocol-relative references too (plotly.js itself holds link markup for its map tiles).
    assert re.search(r"""\b(?:src|href)\s*=\s*["']?(?:https?:)?//""", outside_bundle, re.I) is None


def test_plotly_is_embedded_once_for_two_charts(report: str) -> None:
    assert report.count(get_plotlyjs()) == 1
    assert report.count("data-figure=") == 2  # each drawn by the one inlined chart script


def test_plotly_is_embedded_once_when_only_the_timeline_is_charted(
    audited: tuple[pl.DataFrame, list[str], dict],
) -> None:
    review_only = audited[0].filter(pl.col("status") == "NEEDS_REVIEW")
    html = _render(review_only)
    assert html.count(get_plotlyjs()) == 1
    assert html.count("data-figure=") == 1


def test_user_text_is_escaped(audited: tuple[pl.DataFrame, list[str], dict]) -> None:
    findings = audited[0].with_columns(
        pl.when(pl.col("row") == pl.col("row").min())
        .then(pl.lit(EVIL))
        .otherwise(pl.col("case_id"))
        .alias("case_id"),
        pl.lit(EVIL).alias("nationality"),
        pl.lit(EVIL).alias("regime"),
    )
    html = render_report(
        findings, source=f"/uploads/{EVIL_NAME}", cases=1, rows=1, absent_columns=[EVIL]
    )
    assert EVIL not in html and EVIL_NAME not in html
    assert "&lt;b onmouseover=alert(1)&gt;x.csv" in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 4  # case, column, nat., regime


@pytest.mark.parametrize(
    "findings", [pl.DataFrame(schema=FINDING_SCHEMA), pl.DataFrame()], ids=["schema", "bare"]
)
def test_empty_findings_render_a_no_findings_message(findings: pl.DataFrame) -> None:
    html = render_report(findings, source="clean.csv", cases=3, rows=4, absent_columns=[])
    assert NO_FINDINGS in html
    assert "<script" not in html
    assert "every column the audit reads" in html


def test_long_findings_lists_are_truncated_with_a_note(
    audited: tuple[pl.DataFrame, list[str], dict],
) -> None:
    findings = audited[0]
    many = pl.concat([findings] * (LISTED // findings.height + 2))
    html = _render(many)
    listed = _section(html, "findings")
    assert f"Showing the first {LISTED:,} of {many.height:,} findings" in listed
    assert len(_rows(listed)) == LISTED


def test_breakdowns_use_nationality_and_regime_when_present(
    audited: tuple[pl.DataFrame, list[str], dict],
) -> None:
    findings = audited[0].drop("nationality", "regime", strict=False)
    plain = _section(_render(findings), "breakdowns")
    assert "By month of the action" in plain and "By nationality" not in plain
    enriched = findings.with_columns(
        pl.lit("MX;US").alias("nationality"),
        pl.when(pl.col(AT).dt.year() == 2019)
        .then(pl.lit("R-2019-MPP"))
        .otherwise(None)
        .alias("regime"),
    )
    html = _section(_render(enriched), "breakdowns")
    assert "By nationality" in html and "By period" in html and "By month" not in html
    assert "<td>MX</td>" in html and "<td>US</td>" in html
    assert "Migrant Protection Protocols begin" in html  # the regime's title
    assert "<code>unknown</code>" in html  # actions outside 2019 have no regime here


def test_write_report_writes_utf8(tmp_path: Path, report: str) -> None:
    path = write_report(tmp_path / "report.html", report)
    assert path.read_text(encoding="utf-8") == report
