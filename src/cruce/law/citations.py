"""The citations registry (``citations.yaml``): every source a rule or dated row cites."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from functools import cache
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from cruce.engine.logic import Cite, Confidence


class SourceKind(enum.StrEnum):
    STATUTE = "statute"
    REGULATION = "regulation"
    FEDERAL_REGISTER = "federal_register"
    EXECUTIVE_ORDER = "executive_order"
    MEMO = "memo"
    AGENCY_GUIDANCE = "agency_guidance"
    COURT = "court"
    SECONDARY = "secondary"


class Source(BaseModel):
    """One source (docs/law/sources.md): what it is, where to read it, and how sure we are of it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str
    kind: SourceKind
    issuer: str
    date: str
    url: str
    also_at: tuple[str, ...] = ()
    confidence: Confidence
    note: str = ""


class CitationError(ValueError):
    """A citation that does not resolve, or a malformed registry entry."""


@cache
def registry() -> dict[str, Source]:
    """The registry, validated strictly; a malformed entry names its id and field."""
    text = resources.files("cruce").joinpath("law", "citations.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)
    sources: dict[str, Source] = {}
    for source_id, entry in raw.items():
        try:
            sources[source_id] = Source.model_validate(entry)
        except ValidationError as error:
            first = error.errors()[0]
            field = ".".join(map(str, first["loc"]))
            raise CitationError(
                f"citations.yaml: entry {source_id!r}, field {field!r}: {first['msg']}"
            ) from None
    return sources


def resolve(citation: Cite) -> Source:
    """The registry entry a citation points to, or a CitationError naming the bad id."""
    try:
        return registry()[citation.source]
    except KeyError:
        raise CitationError(
            f"citation {citation.source!r} does not resolve in citations.yaml"
        ) from None


def confidence_of(citation: Cite) -> Confidence:
    """The citation's own confidence where the notes tag the point, else its source's."""
    return citation.confidence or resolve(citation).confidence


def citation_text(citation: Cite, label: str | None = None, hide_confirmed: bool = False) -> str:
    """A citation with its confidence tag, ``S12 8 CFR 235.3(b) [confirmed]``; ``label``
    replaces the citation's own text (a link, say), ``hide_confirmed`` tags only the doubtful."""
    confidence = confidence_of(citation)
    text = str(citation) if label is None else label
    if hide_confirmed and confidence is Confidence.CONFIRMED:
        return text
    return f"{text} [{confidence.value}]"


def citations_text(citations: Iterable[Cite], hide_confirmed: bool = False) -> str:
    """Citations with their confidence tags, separated by semicolons."""
    return "; ".join(citation_text(c, hide_confirmed=hide_confirmed) for c in citations)


def as_dict(citation: Cite) -> dict[str, str]:
    """A citation for JSON output: id, pinpoint, confidence, title and URL."""
    source = resolve(citation)
    return {
        "citation": citation.source,
        "pinpoint": citation.pinpoint,
        "confidence": confidence_of(citation).value,
        "title": source.title,
        "url": source.url,
    }
