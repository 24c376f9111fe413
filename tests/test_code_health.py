"""Code health of the law itself (like PolicyEngine's): every rule carries a citation that
resolves, every dated row too, and every source in the registry is well formed."""

from __future__ import annotations

import pytest

from conftest import law_conditions
from cruce.engine.logic import (
    Blocked,
    Compare,
    Default,
    InForce,
    Intersects,
    Is,
    IsIn,
    Known,
    Not,
    Unsettled,
)
from cruce.facts.case import FACT_KINDS, fact
from cruce.law import QUESTIONS
from cruce.law.citations import registry, resolve


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


def test_registry_entries_have_urls() -> None:
    for source_id, source in registry().items():
        assert source.url.startswith(("http://", "https://")), source_id


LEAF_KINDS = (Is, IsIn, Compare, Intersects, InForce, Blocked, Known, Unsettled, Default)


def test_every_leaf_is_a_known_kind_that_reads_case_facts() -> None:
    """Both evaluators and the unknowns index handle exactly these leaves, over Case facts."""
    leaves = [node for node in law_conditions() if not node.children()]
    assert leaves
    for leaf in leaves:
        assert isinstance(leaf, LEAF_KINDS), f"{type(leaf).__name__}: {leaf.label}"
        assert leaf.facts() <= set(FACT_KINDS), leaf.label


def test_every_negation_reads_as_words() -> None:
    """A reason reads "not <something>", never a bare "not " (an unlabelled part)."""
    negations = [node for node in law_conditions() if isinstance(node, Not)]
    assert negations
    assert [node.label for node in negations if not node.label.removeprefix("not ").strip()] == []


def test_a_negation_of_an_unlabelled_condition_needs_a_label() -> None:
    with pytest.raises(ValueError, match="needs its own label"):
        Not(fact("entry_mode").is_in(["AIR_AT_POE"]))
    assert Not(fact("entry_mode").is_in(["AIR_AT_POE"]), label="not by air").label == "not by air"
