"""The rules' words in Spanish: one catalogue (``spanish.yaml``), keyed by the English text the
law modules write (as gettext keys messages by their English), so the law modules stay readable
in one language.

The catalogue holds every text a rule states: branch names, outcome sentences, the labels of
conditions and exceptions, open legal questions. Texts made from facts at explanation time
("was_admitted = no", "claimed_status is one of USC", "exception — NAME: ...", "not BRANCH: ...")
are put together from the catalogue and the facts' own Spanish words (``facts/questions.yaml``,
``facts/countries.csv``). ``required_texts`` lists what the catalogue must hold; a test fails
when a rule's text has no Spanish.
"""

from __future__ import annotations

import dataclasses
import re
from functools import cache
from pathlib import Path

import yaml

from cruce.decide.determination import Reason
from cruce.engine.logic import (
    All,
    Any,
    Condition,
    Default,
    InForce,
    Is,
    Not,
    Trace,
    Unsettled,
    rule_nodes,
    show,
)
from cruce.facts.case import FACT_KINDS
from cruce.facts.countries import country_names
from cruce.facts.questions import questions
from cruce.law import QUESTIONS

PATH = Path(__file__).with_name("spanish.yaml")
JOINS = {"all": (" and ", " y "), "any": (" or ", " o ")}
DURATIONS = {
    "days from {} to {}": "días desde {} hasta {}",
    "complete months from {} to {}": "meses completos desde {} hasta {}",
    "complete years from {} to {}": "años completos desde {} hasta {}",
}
FACT_SENTENCE = re.compile(r"^([a-z][a-z0-9_]*) (=|is one of|includes one of) (.*)$")


@cache
def catalogue() -> dict[str, str]:
    """English text → Spanish text."""
    entries = yaml.safe_load(PATH.read_text("utf-8")) or {}
    empty = sorted(k for k, v in entries.items() if not str(v or "").strip())
    if empty:
        raise ValueError(f"{PATH.name}: no Spanish for {empty}")
    return {str(k): str(v) for k, v in entries.items()}


def _derived(node: Condition) -> bool:
    """A label Cruce builds from the node's parts (translated part by part, not as a whole)."""
    if isinstance(node, Is):
        return node.label == node.fact.name
    if isinstance(node, All | Any):
        sep = " and " if isinstance(node, All) else " or "
        return node.label == sep.join(p.label for p in node.parts if p.label)
    if isinstance(node, Not):
        return node.label == f"not {node.part.label}"
    return not node.label


def required_texts() -> set[str]:
    """Every text the rules state in English, which the catalogue must give in Spanish."""
    texts: set[str] = set()
    starts: list[Condition] = []
    for decision in QUESTIONS.values():
        for branch in (*decision.branches, decision.otherwise):
            texts |= {branch.name, branch.outcome.text}
            starts.append(branch.condition)
    for node in rule_nodes(*starts):
        if not _derived(node):
            texts.add(node.label)
        if isinstance(node, Default):
            texts |= {e.name for e in node.exceptions}
        if isinstance(node, Unsettled):
            texts.add(node.question)
    return texts


def text(english: str) -> str | None:
    """A rule's own text in Spanish (None when the catalogue lacks it)."""
    return catalogue().get(english)


def reason(line: Reason) -> str | None:
    """One line of an explanation in Spanish (None when some part of it has no Spanish)."""
    found = text(line.text)
    if found is not None or line.trace is None:
        return found
    if line.text == line.trace.label:
        return _trace(line.trace)
    # a branch passed over: "not BRANCH: its condition"
    branch = line.text.removesuffix(f": {line.trace.label}").removeprefix("not ")
    parts = text(branch), _trace(line.trace)
    return None if None in parts else f"no {parts[0]}: {parts[1]}"


def _trace(trace: Trace) -> str | None:
    found = text(trace.label)
    if found is not None:
        return found
    if trace.kind == "exception" and trace.label.startswith("exception — "):
        name, rest = trace.label.removeprefix("exception — ").split(": ", 1)
        inner = _trace(dataclasses.replace(trace, label=rest, kind="condition"))
        return None if inner is None or text(name) is None else f"excepción — {text(name)}: {inner}"
    if trace.op in JOINS and trace.children:
        english, spanish = JOINS[trace.op]
        named = [c for c in trace.children if _node_label(c)]
        for parts in (trace.children, named):  # joined when explained, or when written
            labels = [c.label if parts is trace.children else _node_label(c) for c in parts]
            if parts and trace.label == english.join(labels):
                words = [_trace(c) for c in parts]
                return None if None in words else spanish.join(w for w in words if w)
    if (
        trace.op == "not"
        and trace.children
        and trace.label == f"not {_node_label(trace.children[0])}"
    ):
        inner = _trace(trace.children[0])
        return None if inner is None else f"no: {inner}"
    if trace.kind == "term" or trace.label in FACT_KINDS:
        return _term(trace)
    if trace.children and trace.label == " or ".join(c.label for c in trace.children):
        words = [_trace(c) for c in trace.children]  # one fact stated two ways, both unknown
        return None if None in words else " o ".join(w for w in words if w)
    matched = FACT_SENTENCE.match(trace.label)
    if matched and matched.group(1) in FACT_KINDS:
        fact, how, values = matched.groups()
        if how == "=":
            return f"{_fact(fact)} {_value(fact, trace.value)}"
        return f"{_fact(fact)} {' o '.join(_value(fact, v) for v in values.split(', '))}"
    return None


def _term(trace: Trace) -> str | None:
    """A value's words: a fact, the decision's instant, a duration between two of them, or a
    constant (a number, a date: the same in both languages)."""
    if trace.label in FACT_KINDS:
        return _fact(trace.label)
    if trace.label == "the determination instant":
        return "el momento de la decisión"
    if trace.label == show(trace.value):
        return trace.label
    for english, words in DURATIONS.items():
        if len(trace.children) == 2 and trace.label == english.format(
            *(c.label for c in trace.children)
        ):
            parts = [_trace(c) for c in trace.children]
            return None if None in parts else words.format(*parts)
    return None


def open_question(question: str) -> str | None:
    """An open legal question in Spanish; an instrument whose force is unsettled at the
    instant is named by its own words."""
    if question.startswith("in force: "):
        label = _in_force_labels().get(question.removeprefix("in force: "))
        words = text(label) if label else None
        return None if words is None else f"no se sabe si está vigente: {words}"
    return text(question)


@cache
def _in_force_labels() -> dict[str, str]:
    starts = [b.condition for d in QUESTIONS.values() for b in (*d.branches, d.otherwise)]
    return {n.key: n.label for n in rule_nodes(*starts) if isinstance(n, InForce)}


def _node_label(trace: Trace) -> str:
    """The label the condition was written with (a bare fact's name; none for a test of a
    fact's value), which is how the law joined it into a larger label."""
    matched = FACT_SENTENCE.match(trace.label)
    if matched and matched.group(1) in FACT_KINDS:
        return matched.group(1) if matched.group(2) == "=" else ""
    if trace.op in JOINS and trace.children and not any(map(_node_label, trace.children)):
        return ""
    return trace.label


def _fact(name: str) -> str:
    return questions().questions[name].text["es"]


def _value(fact: str, value: object) -> str:
    """A fact's value in Spanish words: sí/no/no se sabe, a choice's words, a country's name."""
    every = questions()
    if value is None:
        return "(se desconoce)"
    if isinstance(value, bool):
        return every.answers[str(value).lower()]["es"]
    words = every.questions[fact].choices.get(str(value))
    if words:
        return words["es"]
    if str(value) in country_names():
        return country_names()[str(value)]["es"]
    return str(value)
