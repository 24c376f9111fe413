"""The Title 42 public-health overlay: in a month the CDC order is in force (its row in the
timeline), CBP expels the published share of southwest-border encounters that month
(data/cbp_swb_title42_expulsions.csv), and only the rest enter immigration processing.

The order decides no immigration-law question, and Cruce decides none about it: the count is
read from the data. The shipped monthly table does not split expulsions by group or
nationality, so who is expelled is a named assumption (``allocate``): those Mexico took back
first, unaccompanied children never.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from cruce.law.timeline import DatedRow, Timeline
from cruce.simulation.data import Datum, Evidence, datum, rows

ORDER = "public_health_expulsions"
TABLE = "cbp_swb_title42_expulsions"
_MONTHS = ("October", "November", "December", "January", "February", "March", "April")
_MONTHS += ("May", "June", "July", "August", "September")


class MissingExpulsions(ValueError):
    """The order is in force in a month the table does not cover."""


def _calendar_month(fiscal_year: int, month: str) -> dt.date:
    index = _MONTHS.index(month)
    return dt.date(fiscal_year - 1 if index < 3 else fiscal_year, (index + 9) % 12 + 1, 1)


def _overlaps(row: DatedRow, month: dt.date) -> bool:
    zone = row.start.tzinfo
    first = dt.datetime(month.year, month.month, 1, tzinfo=zone)
    after = dt.datetime(month.year + month.month // 12, month.month % 12 + 1, 1, tzinfo=zone)
    return row.start < after and (row.end is None or row.end > first)


def expelled_share(
    timeline: Timeline,
    months: list[dt.date],
    evidence: Evidence,
    frozen_at: dt.datetime | None = None,
) -> np.ndarray:
    """Each month's published share of encounters expelled under the order (0 where it is not
    in force: any day of the month, or at ``frozen_at`` if the scenario freezes the rules); a
    month in force that the table lacks is an error naming the table."""
    orders = [row for row in timeline.resourcing if row.key == ORDER]
    published = {
        _calendar_month(r["fiscal_year"], r["month"]): r
        for r in rows(TABLE, lambda r: r["title42_expulsions"] is not None)
    }
    share = np.zeros(len(months))
    for m, month in enumerate(months):
        in_force = (
            row.contains(frozen_at) if frozen_at else _overlaps(row, month) for row in orders
        )
        if not any(in_force):
            continue
        if month not in published:
            raise MissingExpulsions(
                f"data/{TABLE}.csv has no Title 42 expulsions for {month:%Y-%m}, a month the "
                f"order is in force (rows cover {min(published):%Y-%m} to {max(published):%Y-%m})"
            )
        row = published[month]
        expelled = evidence.use(_datum(row, "Title 42 expulsions", "title42_expulsions"))
        encounters = evidence.use(_datum(row, "southwest border encounters", "swb_encounters"))
        share[m] = expelled / encounters
    return share


# Who the published count expels, in order (an assumption; the monthly table has no split):
# Mexico accepted its own and Northern Triangle nationals, single adults before families (it
# refused families with young children in parts of Tamaulipas); other nationals were expelled
# by air and in far smaller numbers; unaccompanied children were excepted (court order of
# 2020-11-18, P.J.E.S. v. Wolf, then the CDC's exception of 2021-02-11; reported).
# Rows: (group index in inputs.GROUPS, nationality indices in inputs.NATIONALITIES).
PRIORITY = (
    (0, (0, 1, 2, 3)),  # single adults from Mexico and the Northern Triangle
    (1, (0, 1, 2, 3)),  # family units from Mexico and the Northern Triangle
    (0, (4,)),  # other single adults
    (1, (4,)),  # other family units
)


def allocate(people: np.ndarray, expelled: np.ndarray) -> np.ndarray:
    """The month's expelled count spread over group × nationality cells of ``people`` (month ×
    group × nationality): each ``PRIORITY`` tier in turn, in proportion within it, never more
    than a cell holds."""
    out = np.zeros_like(people, dtype=float)
    left = np.asarray(expelled, dtype=float).copy()
    for group, nationalities in PRIORITY:
        tier = people[:, group, list(nationalities)]
        total = tier.sum(axis=1)
        taken = np.minimum(left, total)
        share = np.divide(taken, total, out=np.zeros_like(total), where=total > 0)
        out[:, group, list(nationalities)] = tier * share[:, None]
        left -= taken
    return out


def _datum(row: dict, what: str, column: str) -> Datum:
    return datum(TABLE, row, row[column], f"{what}, {row['month']} FY{row['fiscal_year']}")
