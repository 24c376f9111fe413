"""The command line, run as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from cruce.cli.app import app

runner = CliRunner()
EXAMPLE = "e1-guatemalan-interior"


def test_explain_prints_outcomes_reasons_and_citations() -> None:
    result = runner.invoke(app, ["explain", "--example", EXAMPLE])
    assert result.exit_code == 0, result.output
    assert "ER_NOT_AVAILABLE" in result.output
    assert "R-2017-KELLY" in result.output
    assert "did not change who was in the designated class" in result.output
    assert "S12 69 FR 48880" in result.output
    assert "not legal advice" in result.output


def test_explain_json_is_the_documented_schema() -> None:
    result = runner.invoke(app, ["explain", "--example", EXAMPLE, "--at", "2019-08-15", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"schema_version", "at", "regime", "timeline", "outcomes", "notice"}
    assert data["regime"] == "R-2019-FULL"
    outcome = data["outcomes"][0]
    assert {"question", "outcome", "modality", "depends_on", "reasons"} <= set(outcome)
    cited = [c["citation"] for r in outcome["reasons"] for c in r["citations"]]
    assert cited and all(c.startswith("S") for c in cited)


def test_explain_hypothetical_regime() -> None:
    result = runner.invoke(
        app, ["explain", "--example", EXAMPLE, "--regime", "kelly-2017-as-directed", "--json"]
    )
    data = json.loads(result.output)
    assert data["timeline"] == "kelly-2017-as-directed"
    assert data["outcomes"][0]["outcome"] == "ER_AVAILABLE"


def test_compare_lists_every_regime() -> None:
    result = runner.invoke(app, ["compare", "--example", EXAMPLE])
    assert result.exit_code == 0, result.output
    for regime in ("R-2014", "R-2019-PI", "R-2025-FULL", "R-2026", "kelly-2017-as-directed"):
        assert regime in result.output
    assert (
        "LEGAL UNCERTAIN" in result.output and "R-2025-APPEAL · expedited_removal" in result.output
    )


def test_timeline_lists_regimes_and_sources() -> None:
    result = runner.invoke(app, ["timeline"])
    assert result.exit_code == 0, result.output
    assert "MAKE-THE-ROAD-v-MCALEENAN" in result.output and "S44" in result.output


def test_facts_lists_valid_values() -> None:
    result = runner.invoke(app, ["facts"])
    assert (
        "LAND_BETWEEN_POES" in result.output
        and "cp_days_established_before_encounter" in result.output
    )


def test_bad_case_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text("nationalities: [GT]\nentry_mode: SWAM\n")
    result = runner.invoke(app, ["explain", str(path), "--at", "2019-08-15"])
    assert result.exit_code == 2
    assert "case.yaml" in result.output and "entry_mode" in result.output
    assert "LAND_BETWEEN_POES" in result.output


def test_bad_options_are_clear_errors() -> None:
    result = runner.invoke(app, ["explain", "--example", EXAMPLE, "--regime", "R-1999"])
    assert result.exit_code == 2 and "valid: R-2014" in result.output
    result = runner.invoke(app, ["explain", "--example", EXAMPLE, "--at", "2010-01-01"])
    assert result.exit_code == 2 and "before the case's last_entry_date" in result.output
    result = runner.invoke(app, ["explain", "--example", EXAMPLE, "--at", "yesterday"])
    assert result.exit_code == 2 and "--at" in result.output


def test_help_starts_fast() -> None:
    """A smoke check that --help works from a fresh interpreter (timing is in benchmarks/)."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "cruce.cli.app", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "explain" in done.stdout and time.perf_counter() - start < 10


def test_docs_facts_is_current() -> None:
    from cruce.decide.catalogue import facts_markdown

    committed = (Path(__file__).parents[1] / "docs" / "facts.md").read_text("utf-8")
    assert committed == facts_markdown(), "regenerate: cruce facts --markdown > docs/facts.md"


def test_generated_docs_are_current() -> None:
    """docs/rules.md (the rule catalogue) and docs/coverage.md come from the code."""
    from cruce.decide.catalogue import coverage_markdown, rules_markdown

    docs = Path(__file__).parents[1] / "docs"
    assert (docs / "rules.md").read_text("utf-8") == rules_markdown(), "cruce catalogue"
    assert (docs / "coverage.md").read_text("utf-8") == coverage_markdown(), "cruce coverage"


def test_catalogue_names_every_rule_and_open_question() -> None:
    from cruce.decide.catalogue import rule_entries, rules_markdown

    text = rules_markdown()
    for entry in rule_entries():
        assert entry.branch.name in text
    assert "Open question: Which priorities applied between 2021-01-20 and 2021-02-01?" in text
