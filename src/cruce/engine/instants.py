"""Instants and the words for "unknown": how every input names a moment or leaves a fact open.

An instant is timezone-aware and kept in UTC. A bare date names 00:00 US Eastern on that day,
because instruments take effect at 00:00 local time (docs/law/README.md#time).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

EASTERN = ZoneInfo("America/New_York")

# Instants a case or a question may name: wide enough for any person's life, narrow enough that
# time-zone arithmetic never leaves Python's calendar.
INSTANT_YEARS = (1900, 2200)

# How every input (case files, caseloads, forms) writes a fact nobody knows.
UNKNOWN_WORDS = frozenset({"unknown", ""})


def unknown_to_none(value: Any) -> Any:
    """``None`` for the words that mean unknown, else the value unchanged."""
    if isinstance(value, str) and value.strip().lower() in UNKNOWN_WORDS:
        return None
    return value


def parse_instant(value: Any) -> dt.datetime | None:
    """An instant with a UTC offset, or a date meaning 00:00 US Eastern on that day."""
    value = unknown_to_none(value)
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = (
                dt.datetime.fromisoformat(value)
                if "T" in value or " " in value.strip()
                else dt.date.fromisoformat(value)
            )
        except ValueError as error:
            raise ValueError(
                f"{value!r} is not an ISO date or date-time (for example 2025-01-21 or "
                "2025-01-21T18:00:00-05:00)"
            ) from error
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        raise ValueError(
            f"{value.isoformat()} has a time but no UTC offset; write it with one, for "
            f"example {value.isoformat()}-05:00 for US Eastern standard time"
        )
    if not isinstance(value, dt.date):
        raise ValueError(f"{value!r} is not a date or date-time")
    if not INSTANT_YEARS[0] <= value.year < INSTANT_YEARS[1]:
        raise ValueError(
            f"{value.isoformat()} is outside the years {INSTANT_YEARS[0]}–{INSTANT_YEARS[1] - 1} "
            "an instant may take"
        )
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC)
    return dt.datetime.combine(value, dt.time(0, 0), EASTERN).astimezone(dt.UTC)
