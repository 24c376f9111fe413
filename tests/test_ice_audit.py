"""The audit of ICE's own FOIA releases, on the real files (all eight audited once) and on the
small samples in tests/data: layouts, redactions, mapping tables, row accounting, the findings
the records support, the consulate summary and what the CLI writes."""

from __future__ import annotations

import gzip
from pathlib import Path

import duckdb
import polars as pl
import pytest
from typer.testing import CliRunner

from cruce.audit import ice
from cruce.cli.app import app
from cruce.facts.case import iso_country_codes
from cruce.tables.reader import TableError

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "../shared/data/real"
DATA = Path(__file__).resolve().parent / "data"
REMOVALS = sorted(REAL.glob("ice_removals_fy*.psv.gz"))
ARRESTS = sorted(REAL.glob("ice_ero_arrests_fy*.psv.gz"))
# ICE's published removal totals for FY2016-FY2018 (the FY2019 file stops at 2019-08-31).
PUBLISHED = {2016: 240_255, 2017: 226_119, 2018: 256_085}


@pytest.fixture(scope="session")
def real() -> ice.ReleaseAudit:
    assert len(REMOVALS) == 4 and len(ARRESTS) == 4, REAL
    return ice.audit_releases(REMOVALS + ARRESTS)


def test_the_layouts_are_recognised_and_the_published_totals_read(real) -> None:
    layouts = {Path(str(r["file"])).name: r["layout"] for r in real.releases}
    assert {layouts[p.name] for p in REMOVALS} == {"ice-removals"}
    assert {layouts[p.name] for p in ARRESTS} == {"ice-arrests"}
    rows = {r["fiscal_year"]: r["rows"] for r in real.releases if r["layout"] == "ice-removals"}
    assert {year: rows[year] for year in PUBLISHED} == PUBLISHED
    assert all(len(str(r["sha256"])) == 64 for r in real.releases)


def test_every_row_read_is_judged_needs_review_or_refused_with_a_reason(real) -> None:
    by_file = real.accounting.group_by("file").agg(pl.col("rows").sum())
    read = {Path(str(r["file"])).name: r["rows"] for r in real.releases}
    assert {Path(f).name: n for f, n in by_file.iter_rows()} == read
    assert set(real.accounting.get_column("outcome")) == {"judged", "needs review", "refused"}
    refused = real.accounting.filter(pl.col("outcome") == "refused")
    assert refused.get_column("reason").null_count() == 0
    # A date ICE recorded in the year 999 is refused with its reason, not read as a date.
    assert refused.filter(pl.col("reason").str.contains("1900-2199")).height > 0


def test_redactions_are_unknown_never_a_value(real) -> None:
    removals = next(r for r in real.releases if r["layout"] == "ice-removals")
    assert removals["redacted_cells"]["Birth Date"] == removals["rows"]  # every birth date
    # The audit never reads a birth date: it is among the facts a needs-review names.
    facts = real.findings.get_column("needs_review_facts").cast(pl.String).drop_nulls()
    assert facts.str.contains("date_of_birth").all()


def test_each_finding_the_records_support_is_found(real) -> None:
    counts = {row["finding"]: row for row in real.record_counts.iter_rows(named=True)}
    assert counts["ER_ON_A_CHARGE_NOT_AN_ER_GROUND"]["violations"] > 0
    assert counts["REINSTATEMENT_WITHOUT_REENTRY_CHARGE"]["needs_review"] > 0
    assert counts["ER_OF_CUBAN_NATIONAL_BEFORE_2017"]["rows"] > 0
    # The arrival decides it and the release does not say how the person arrived.
    assert "entry_mode" in counts["ER_OF_CUBAN_NATIONAL_BEFORE_2017"]["missing_facts"]
    # The releases end before 2019-09-27: no record can show the injunction, and it says so.
    injunction = counts["ER_DURING_2019_INJUNCTION"]
    assert injunction["rows"] == 0 and injunction["supported"].startswith("no record")
    assert all("[confirmed]" in row["citations"] for row in counts.values())


def test_unmapped_spellings_are_reported_with_rows_and_counts(real) -> None:
    korea = real.unmapped.filter((pl.col("column") == "citizenship") & (pl.col("value") == "KOREA"))
    assert korea.height == 8 and korea.get_column("count").min() > 0  # every file has some
    first = korea.row(0, named=True)
    assert len(first["rows"].split(";")) == min(first["count"], ice.MAX_UNMAPPED_ROWS)
    # Each unmapped citizenship is unknown nationality, the row still accounted for.
    assert (
        real.mapped.filter(pl.col("citizenship") == "KOREA").get_column("iso_code").is_null().all()
    )


def test_the_shipped_tables_are_valid_and_cover_the_releases(real) -> None:
    assert set(ice.countries().get_column("iso_code")) <= iso_country_codes()
    assert set(real.unmapped.get_column("column")) == {
        "citizenship"
    }  # charges, codes, AORs all map


def test_the_consulate_summary_for_mexico(real) -> None:
    summary = ice.consulate_summary(real, "MX")
    shares = summary["procedure_shares"].filter(pl.col("layout") == "ice-removals")
    assert shares.get_column("fiscal_year").to_list() == [2016, 2017, 2018, 2019]
    assert (shares.get_column("summary_share_of_summary_and_240") > 0.5).all()
    assert summary["by_method"].height > 0 and summary["findings"].height > 0


def test_a_named_layout_that_does_not_match_is_refused_with_both_headers() -> None:
    with pytest.raises(TableError, match="ice-arrests layout's"):
        ice.read_release(DATA / "ice_removals_sample.psv.gz", layout="ice-arrests")
    assert ice.read_release(DATA / "ice_removals_sample.psv.gz").layout.name == "ice-removals"


def test_a_short_record_is_refused_with_its_line(tmp_path: Path) -> None:
    text = gzip.decompress((DATA / "ice_removals_sample.psv.gz").read_bytes()).decode()
    lines = text.split("\n")
    lines[8] = "|".join(lines[8].split("|")[:5])
    broken = tmp_path / "broken.psv"
    broken.write_text("\n".join(lines), "utf-8")
    with pytest.raises(TableError) as error:
        ice.read_release(broken)
    assert error.value.row == 9 and "5 fields" in str(error.value)


def test_the_cli_audits_the_samples_and_stores_provenance(tmp_path: Path) -> None:
    files = [DATA / "ice_removals_sample.psv.gz", DATA / "ice_arrests_sample.psv.gz"]
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["audit", *map(str, files), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "layout ice-removals recognised" in result.output
    assert "layout ice-arrests recognised" in result.output
    for name in ("accounting", "record_findings", "unmapped", "summary_mx_procedure_shares"):
        assert (out / f"{name}.csv").is_file() and (out / f"{name}.parquet").is_file()
    report = (out / "report.html").read_text("utf-8").replace("<wbr>", "")  # codes wrap
    assert "ER_ON_A_CHARGE_NOT_AN_ER_GROUND" in report and "plotly-chart" in report
    with duckdb.connect(str(out / "audit.duckdb"), read_only=True) as db:
        stored = db.execute("SELECT file, sha256, layout, rows FROM provenance").fetchall()
    assert {(Path(f).name, layout) for f, _, layout, _ in stored} == {
        ("ice_removals_sample.psv.gz", "ice-removals"),
        ("ice_arrests_sample.psv.gz", "ice-arrests"),
    }
    accounting = pl.read_csv(out / "accounting.csv")
    assert accounting.get_column("rows").sum() == 43 + 40


def test_the_cli_refuses_an_unknown_layout(tmp_path: Path) -> None:
    sample = str(DATA / "ice_removals_sample.psv.gz")
    result = CliRunner().invoke(app, ["audit", sample, "--layout", "ice-detainers"])
    assert result.exit_code != 0 and "ice-removals, ice-arrests" in result.output


def test_the_audit_page_takes_a_gzip_release_in_chromium(server: str) -> None:
    """The release uploaded with the page's form, as ICE publishes it: the report comes back."""
    from playwright.sync_api import sync_playwright

    from cruce.web import browser as cruce_browser

    with sync_playwright() as playwright:
        browser = cruce_browser.launch(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{server}/audit")
        assert "psv.gz" in page.content() and 'lang="es"' in page.content()
        page.get_by_label("ICE release").set_input_files(DATA / "ice_removals_sample.psv.gz")
        page.get_by_role("button", name="Audit").click()
        page.wait_for_selector("#record-findings")
        assert page.locator("text=ER_ON_A_CHARGE_NOT_AN_ER_GROUND").count() >= 1
        assert page.locator("text=ice-removals").count() >= 1
        page.wait_for_selector(".main-svg")  # the charts were drawn
        browser.close()


def test_the_audit_api_refuses_a_broken_gzip_release() -> None:
    from fastapi.testclient import TestClient

    from cruce.web.api import app as web

    data = (DATA / "ice_removals_sample.psv.gz").read_bytes()
    response = TestClient(web).post("/audit", files={"file": ("cut.psv.gz", data[:-40])})
    assert response.status_code == 422 and "gzip" in response.json()["detail"]
