"""The consulate's audit summary on Mexico's side (``cruce mexico --ice``, ``/mexico``): what the
audit of ICE's own releases finds for Mexican nationals, each count with the file and lines it
comes from, checked against the release files themselves and against the audit's own summary,
in English and Spanish."""

from __future__ import annotations

import gzip
import io
import random
import time
from pathlib import Path

import polars as pl
import pytest
from fastapi.testclient import TestClient
from markupsafe import escape
from typer.testing import CliRunner

from cruce.audit import ice
from cruce.cli.app import app
from cruce.simulation import mexico as mx
from cruce.web import mexico as page_module
from cruce.web.api import app as web

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "../shared/data/real"
DATA = Path(__file__).resolve().parent / "data"
SAMPLES = (DATA / "ice_removals_sample.psv.gz", DATA / "ice_arrests_sample.psv.gz")
LANGS = ("en", "es")


def _raw_line(folder: Path, file: str, line: int) -> dict[str, str]:
    """The release's own record on ``line`` (1-based), as its header names the fields."""
    text = gzip.decompress((folder / file).read_bytes()).decode("utf-8-sig").split("\n")
    header = [cell.strip('"') for cell in text[ice.TITLE_LINES].rstrip("\r").split("|")]
    cells = [cell.strip().strip('"') for cell in text[line - 1].rstrip("\r").split("|")]
    return dict(zip(header, cells, strict=True))


def test_every_finding_and_status_is_named_in_both_languages() -> None:
    codes = {kind.code for kind in ice.record_findings()}
    assert set(mx.FINDING_LABELS) == codes, "label each record finding in FINDING_LABELS"
    for labels in (*mx.FINDING_LABELS.values(), *mx.STATUS_LABELS.values()):
        assert set(labels) == set(LANGS) and labels["en"] != labels["es"]
    assert set(mx.CONSULATE_WORDS["en"]) == set(mx.CONSULATE_WORDS["es"])


def test_the_counts_are_the_audit_s_own_summary_for_mexico() -> None:
    """The same counts as ``ice.consulate_summary`` (the audit's summary for a consulate), now
    with the file and lines of every one."""
    found = mx.consulate(SAMPLES)
    audit = ice.audit_releases(list(SAMPLES))
    theirs = ice.consulate_summary(audit, "MX")["findings"].cast({"rows": pl.Int64})
    ours = found.counts.group_by("finding", "fiscal_year", "status").agg(
        pl.col("rows").sum().cast(pl.Int64)
    )
    keys = ["finding", "fiscal_year", "status"]
    assert ours.sort(keys).equals(theirs.sort(keys))
    assert found.counts["rows"].sum() == found.rows.height > 0


@pytest.fixture(scope="module")
def real() -> mx.Consulate:
    assert len(list(REAL.glob("ice_*.psv.gz"))) == 8, REAL
    return mx.consulate((REAL,))


def test_every_source_row_is_a_mexican_national_s_record_of_that_action(real) -> None:
    """Lines drawn from every count are read back from the release file itself: a Mexican
    citizen, in the layout the count names, with the charge the finding is about."""
    charges = {row["charge"]: row for row in ice.charges().iter_rows(named=True)}
    codes = ice.dispositions().filter(pl.col("layout") == "ice-removals")
    actions = dict(codes.select("code", "action").iter_rows())
    draw = random.Random(19)
    for count in real.counts.iter_rows(named=True):
        lines = real.rows.filter(
            (pl.col("file") == count["file"])
            & (pl.col("finding") == count["finding"])
            & (pl.col("status") == count["status"])
        )["line"].to_list()
        assert len(lines) == count["rows"]
        assert min(lines) == count["first_line"] and max(lines) == count["last_line"]
        for line in draw.sample(lines, min(5, len(lines))):
            record = _raw_line(REAL, count["file"], line)
            assert record["Citizenship"] == "MEXICO"
            charge = charges[record["Final Charge Section"]]
            action = actions[record["Processing Disposition Code"]]
            if count["finding"] == "ER_ON_A_CHARGE_NOT_AN_ER_GROUND":
                assert action == "EXPEDITED_REMOVAL" and charge["er_ground"] is False
            if count["finding"] == "REINSTATEMENT_WITHOUT_REENTRY_CHARGE":
                assert action == "REINSTATEMENT" and charge["prior_removal_order"] is not True
    files = set(real.files["file"])
    assert set(real.counts["file"]) <= files and len(files) == 8
    # A count per fiscal year the removal releases hold, for both findings on Mexican nationals.
    years = set(
        real.files.filter(pl.col("layout") == "ice-removals")["title"].str.extract(r"(\d{4})")
    )
    for finding in ("ER_ON_A_CHARGE_NOT_AN_ER_GROUND", "REINSTATEMENT_WITHOUT_REENTRY_CHARGE"):
        counted = real.counts.filter(pl.col("finding") == finding)["fiscal_year"]
        assert {str(y) for y in counted} == years


def test_a_finding_no_mexican_record_falls_in_says_so_in_both_languages(real) -> None:
    for lang in LANGS:
        shown = {row["finding"]: row for row in mx.consulate_findings(real, lang)}
        cuban = shown[mx.FINDING_LABELS["ER_OF_CUBAN_NATIONAL_BEFORE_2017"][lang]]
        assert cuban["actions"] == mx.CONSULATE_WORDS[lang]["none"]
        assert all("[confirmed]" in row["citations"] for row in shown.values())


def test_the_chart_has_its_title_axes_legend_and_source_line(real) -> None:
    for lang in LANGS:
        words = mx.CONSULATE_WORDS[lang]
        figure = page_module.consulate_figure(real, lang)
        assert figure.layout.title.text == words["chart"]
        assert figure.layout.xaxis.title.text == words["year_axis"]
        assert figure.layout.yaxis.title.text == words["actions_axis"]
        assert figure.layout.showlegend and len(figure.data) == 2
        source = figure.layout.annotations[0].text
        assert source.startswith(words["source_line"].split("{")[0])
        assert set(real.counts["file"]) <= set(
            source.split("; ", 1)[1].split(" ", 1)[1].split(", ")
        )
        drawn = sum(sum(trace.y) for trace in figure.data)
        assert drawn == real.counts.filter(pl.col("status") != "CLEARED")["rows"].sum()


@pytest.mark.parametrize("lang", LANGS)
def test_cruce_mexico_prints_the_consulate_s_counts_with_their_rows(tmp_path, lang) -> None:
    out = tmp_path / lang
    result = CliRunner().invoke(
        app,
        ["mexico", "--replicates", "3", "--lang", lang, "--ice", str(DATA), "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    found = mx.consulate((DATA,))
    assert mx.CONSULATE_WORDS[lang]["heading"] in result.output
    for row in mx.consulate_counts(found, lang):
        assert row["source"] in result.output and row["status"] in result.output
    rows = pl.read_csv(out / "consulate-rows.csv")
    assert rows.height == found.counts["rows"].sum()
    record = _raw_line(DATA, rows["file"][0], rows["line"][0])
    assert record["Citizenship"] == "MEXICO"
    assert pl.read_csv(out / "consulate-findings.csv").height == found.counts.height


def test_cruce_mexico_without_releases_says_how_to_give_them(tmp_path) -> None:
    for lang in LANGS:
        result = CliRunner().invoke(
            app, ["mexico", "--replicates", "3", "--lang", lang, "--out", str(tmp_path)]
        )
        assert result.exit_code == 0, result.output
        assert "--ice" in result.output and "docs/audit.md#ice-releases" in result.output
    assert not (tmp_path / "consulate-rows.csv").exists()


def test_a_file_that_is_not_a_release_is_refused_naming_it(tmp_path) -> None:
    other = tmp_path / "removals.csv"
    other.write_text("a,b\n1,2\n", "utf-8")
    result = CliRunner().invoke(app, ["mexico", "--ice", str(other), "--out", str(tmp_path)])
    assert result.exit_code != 0
    assert "removals.csv" in result.output and "not an ICE release" in result.output
    result = CliRunner().invoke(app, ["mexico", "--ice", str(tmp_path), "--out", str(tmp_path)])
    assert result.exit_code != 0 and "holds no ICE release" in result.output


@pytest.fixture
def computed(monkeypatch):
    """The page's runs at 3 replicates, with the samples as the server's releases."""
    monkeypatch.setattr(page_module, "REPLICATES", 3)
    monkeypatch.setenv(page_module.ICE_RELEASES, str(DATA))
    monkeypatch.setattr(page_module, "_READY", {})
    monkeypatch.setattr(page_module, "_STARTED", set())
    monkeypatch.setattr(page_module, "_FAILED", {})
    client = TestClient(web)
    assert client.get("/mexico/consulate-rows.csv").status_code == 404  # not computed yet
    for _ in range(600):
        if page_module.runs() is not None:
            break
        time.sleep(0.5)
    return client


@pytest.mark.parametrize("lang", LANGS)
def test_the_page_shows_the_consulate_s_counts_with_their_rows(computed, lang) -> None:
    html = computed.get(f"/mexico?lang={lang}").text
    found = mx.consulate((DATA,))
    words = mx.CONSULATE_WORDS[lang]
    assert escape(words["heading"]) in html and escape(words["lead"]) in html
    for row in mx.consulate_counts(found, lang):
        assert f"<td>{escape(row['source'])}</td>" in html
    assert html.count('class="plotly-chart"') == 4
    csv = computed.get("/mexico/consulate-rows.csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    rows = pl.read_csv(io.BytesIO(csv.content))
    assert rows.columns == ["file", "line", "fiscal_year", "apprehension", "finding", "status"]
    assert rows.height == found.counts["rows"].sum()


def test_the_page_without_releases_says_how_to_give_them(computed, monkeypatch) -> None:
    monkeypatch.setattr(page_module, "_READY", {})
    monkeypatch.setattr(page_module, "_STARTED", set())
    monkeypatch.delenv(page_module.ICE_RELEASES)
    while page_module.runs() is None:
        time.sleep(0.2)
    for lang in LANGS:
        html = computed.get(f"/mexico?lang={lang}").text
        assert escape(page_module.WORDS[lang]["no_ice"]) in html
    assert computed.get("/mexico/consulate-rows.csv").status_code == 404


def test_the_readme_s_consulate_numbers_are_the_audit_s(real) -> None:
    readme = " ".join((ROOT / "README.md").read_text("utf-8").split())
    total = dict(real.counts.group_by("finding").agg(pl.col("rows").sum()).iter_rows())
    assert f"{total['ER_ON_A_CHARGE_NOT_AN_ER_GROUND']:,} expedited removals" in readme
    assert f"{total['REINSTATEMENT_WITHOUT_REENTRY_CHARGE']:,} reinstatements" in readme
