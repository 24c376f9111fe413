"""Code health of the law itself (like PolicyEngine's): every rule carries a citation that
resolves, every dated row too, and every source in the registry is well formed."""

from __future__ import annotations

from conftest import law_conditions
from cruce.engine.logic import Compare, Is, IsIn
from cruce.law import QUESTIONS
from cruce.law.citations import registry, resolve
from cruce.law.timeline import actual_timeline, hypotheticals, regimes


def test_every_citation_on_a_rule_resolves() -> None:
    cited = 0
    for node in law_conditions():
        for citation in node.citations:
            resolve(citation)
            cited += 1
    for decision in QUESTIONS.values():
        for branch in (*decision.branches, decision.otherwise):
            for citation in branch.citations:
                resolve(citation)
    assert cited > 40


def test_every_rule_node_rests_on_a_citation() -> None:
    """Every node cites its source itself or sits inside a rule that does (a leaf such as
    "entry_mode is LAND_BETWEEN_POES" takes the citation of the designation it belongs to)."""
    uncited = []

    def walk(node, inherited: bool) -> None:
        cited = inherited or bool(node.citations)
        if not cited:
            uncited.append(node.label)
        for child in node.children():
            walk(child, cited)

    for decision in QUESTIONS.values():
        for branch in (*decision.branches, decision.otherwise):
            walk(branch.condition, bool(branch.citations))
    assert not uncited, uncited


def test_every_decision_branch_is_cited() -> None:
    for decision in QUESTIONS.values():
        for branch in decision.branches:
            assert branch.citations, branch.name


def test_every_dated_row_and_regime_cites_resolving_sources() -> None:
    rows = list(actual_timeline().rows())
    rows += [row for h in hypotheticals().values() for row in h.rows]
    for row in rows:
        assert row.citations, row.id
        for ref in row.citations:
            resolve(ref.cite())
    for regime in regimes().values():
        assert regime.citations, regime.id


def test_registry_entries_have_urls() -> None:
    for source_id, source in registry().items():
        assert source.url.startswith(("http://", "https://")), source_id


def test_leaf_kinds_are_known() -> None:
    assert any(isinstance(n, Is | IsIn | Compare) for n in law_conditions())
