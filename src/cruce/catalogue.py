"""Documentation generated from the code, so that it cannot drift: the facts reference."""

from __future__ import annotations

from cruce.facts import FACT_KINDS, FactKind, enum_of

DESCRIPTIONS = {
    FactKind.BOOL: "true / false",
    FactKind.INT: "whole number ≥ 0",
    FactKind.FLOAT: "number ≥ 0",
    FactKind.DATE: "calendar date YYYY-MM-DD",
    FactKind.INSTANT: "date-time with UTC offset (a bare date = 00:00 US Eastern)",
}


def valid_values(name: str) -> str:
    """The valid values of a fact, in words."""
    kind = FACT_KINDS[name]
    enum_type = enum_of(name)
    if enum_type is not None:
        return ", ".join(member.value for member in enum_type)
    if kind in (FactKind.ENUM, FactKind.SET):
        return "ISO 3166-1 alpha-2 country codes" + (" (a list)" if kind is FactKind.SET else "")
    return DESCRIPTIONS[kind]


def facts_markdown() -> str:
    """docs/facts.md: every fact a case may state."""
    lines = [
        "# Case facts",
        "",
        "Generated from `src/cruce/facts.py` by `cruce facts --markdown`; do not edit by hand.",
        "Names follow the spec (§1). Any fact may be omitted or written `unknown`: it is then",
        "unknown, never defaulted. The spec's records are flattened: `parole.granted` is",
        "`parole_granted`, `prior_removal_order.exists` is `prior_removal_order_exists`",
        "(the nested form is accepted on input).",
        "",
        "| fact | type | valid values |",
        "|---|---|---|",
    ]
    for name, kind in FACT_KINDS.items():
        lines.append(f"| `{name}` | {kind.value} | {valid_values(name)} |")
    return "\n".join(lines) + "\n"
