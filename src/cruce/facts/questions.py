"""The screener's question for every fact, in English and Spanish, read from ``questions.yaml``
beside the facts: a plain question, help, answer choices in words, who can know it (the person,
their papers, or the officer and the record), a topic and an order."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from cruce.facts.case import FACT_KINDS, enum_of

PATH = Path(__file__).with_name("questions.yaml")
LANGUAGES = ("en", "es")
WHO = ("person", "papers", "officer")


class QuestionError(ValueError):
    """questions.yaml is incomplete or names something that does not exist."""


@dataclass(frozen=True)
class Question:
    """How the screener asks for one fact."""

    fact: str
    topic: str
    order: int
    who: str
    kind: str
    """``countries``/``country``/``set``/``presence``/``derived``, or the fact's own kind."""
    text: dict[str, str]
    help: dict[str, str]
    choices: dict[str, dict[str, str]]
    """Each enumerated value's words, by language."""

    def sort_key(self, topics: dict[str, int]) -> tuple[int, int]:
        return (topics[self.topic], self.order)


@dataclass(frozen=True)
class Questions:
    questions: dict[str, Question]
    topics: dict[str, dict[str, Any]]
    answers: dict[str, dict[str, str]]

    def topic_order(self) -> dict[str, int]:
        return {name: int(topic["order"]) for name, topic in self.topics.items()}


def _question(fact: str, entry: dict[str, Any], topics: dict[str, Any]) -> Question:
    where = f"{PATH.name}: facts.{fact}"
    if fact not in FACT_KINDS:
        raise QuestionError(f"{where}: no such fact (see docs/facts.md)")
    if entry.get("topic") not in topics:
        raise QuestionError(f"{where}: topic {entry.get('topic')!r} is not one of {list(topics)}")
    if entry.get("who") not in WHO:
        raise QuestionError(f"{where}: who {entry.get('who')!r} is not one of {list(WHO)}")
    for lang in LANGUAGES:
        words = entry.get(lang) or {}
        if not words.get("question") or not words.get("help"):
            raise QuestionError(f"{where}: no question and help in {lang!r}")
    choices = entry.get("choices") or {}
    values = enum_of(fact)
    if values is not None and entry.get("kind") not in ("country", "countries"):
        expected = {m.value for m in values}
        if set(choices) != expected:
            raise QuestionError(
                f"{where}: choices {sorted(choices)} must be exactly {sorted(expected)}"
            )
        for value, words in choices.items():
            missing = [lang for lang in LANGUAGES if not (words or {}).get(lang)]
            if missing:
                raise QuestionError(f"{where}: choice {value} has no words in {missing}")
    return Question(
        fact=fact,
        topic=entry["topic"],
        order=int(entry["order"]),
        who=entry["who"],
        kind=entry.get("kind") or FACT_KINDS[fact].name.lower(),
        text={lang: entry[lang]["question"] for lang in LANGUAGES},
        help={lang: entry[lang]["help"] for lang in LANGUAGES},
        choices=choices,
    )


@cache
def questions() -> Questions:
    """Every fact's question; fails naming the fact when one is missing or incomplete."""
    data = yaml.safe_load(PATH.read_text("utf-8"))
    topics = data["topics"]
    found = {fact: _question(fact, entry, topics) for fact, entry in data["facts"].items()}
    missing = sorted(set(FACT_KINDS) - set(found))
    if missing:
        raise QuestionError(f"{PATH.name}: no question for the facts {missing}")
    return Questions(found, topics, data["answers"])
