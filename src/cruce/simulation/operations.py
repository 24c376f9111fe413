"""Dated operating conditions that are not law and that the pipeline's capacities read: CBP One
appointments at the southwest border ports, and the pandemic's limits on detention, removal
flights and immigration court hearings. Each window cites where it is reported; how much each
one changed is a parameter with a range (``parameters.yaml``), never a number fixed here.

A window is a half-open span of months [start, end); ``None`` is open-ended.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from cruce.law.timeline import Timeline


@dataclass(frozen=True)
class Window:
    start: dt.date
    end: dt.date | None
    source: str
    confidence: str

    def months_in(self, months: list[dt.date]) -> np.ndarray:
        """1.0 for each month (its first day) inside the window, else 0.0."""
        return np.array(
            [self.start <= m and (self.end is None or m < self.end) for m in months], dtype=float
        )

    def months_after(self, months: list[dt.date]) -> np.ndarray:
        """For each month, how many months it is past the window's end (1 for the first month
        after it); 0 before the end, and always 0 for an open-ended window."""
        if self.end is None:
            return np.zeros(len(months))
        end = self.end.year * 12 + self.end.month
        return np.array([max(m.year * 12 + m.month - end + 1, 0) for m in months], dtype=float)


# CBP One appointments for processing at southwest border ports, which end in parole under
# INA 212(d)(5) with a notice to appear: from January 2023 (the month the app's scheduling
# opened at the ports, 2023-01-12).
CBP_ONE = Window(
    dt.date(2023, 1, 1),
    None,
    "CBP, 'CBP One mobile application expanded to schedule appointments at southwest border "
    "ports of entry' (press release, 2023-01-12)",
    "reported",
)

# Removal flights ran under the pandemic's constraints from the first COVID-19 orders until the
# public health emergency and Title 42 ended (2023-05-11): countries suspended or limited
# flights and required tests, and ICE Air also flew the Title 42 expulsions by air.
PANDEMIC_REMOVALS = Window(
    dt.date(2020, 4, 1),
    dt.date(2023, 6, 1),
    "Guatemala's suspension of removal flights (2020-03-17), ICE's testing of detainees before "
    "removal, and ICE Air's Title 42 expulsion flights (2020-2023), as reported in the press",
    "reported",
)

# After the emergency, removal capacity came back country by country and flight by flight, not in
# the month the window closes: Cuba took removal flights again from 2023-04-24, Venezuela only
# from 2023-10-18 (its first direct flight since 2019, five months after the end), and
# governments under visa sanctions or limiting returns (INA 243(d)) took few. How long the
# recovery took is ``removal_recovery_months`` (an assumption with a range); the capacity rises
# linearly from the pandemic's share to the whole over it.

# EOIR postponed non-detained hearings from 2020-03-18 and reopened courts gradually.
PANDEMIC_HEARINGS = Window(
    dt.date(2020, 4, 1),
    dt.date(2021, 10, 1),
    "EOIR operational status announcements (non-detained hearings postponed from 2020-03-18; "
    "courts reopened in stages through 2021); end of window an assumption",
    "reported",
)

# ICE held detention below its capacity under its COVID-19 pandemic response requirements (the
# Fraihat v. ICE order of 2020-04-20 among them) until the public health emergency ended.
PANDEMIC_DETENTION = Window(
    dt.date(2020, 4, 1),
    dt.date(2023, 6, 1),
    "ICE COVID-19 Pandemic Response Requirements (2020-04, revised through 2022) and Fraihat "
    "v. ICE (C.D. Cal., 2020-04-20), as reported; the emergency ended 2023-05-11",
    "reported",
)


# The Circumvention of Lawful Pathways rule (88 FR 31314, 8 CFR 208.33; effective 2023-05-11,
# for entries to 2025-05-11): a presumption of asylum ineligibility for those who crossed the
# southwest border without a CBP One appointment or a denial of protection in a transit
# country, applied at the credible fear screen (a "reasonable possibility" standard), and DHS's
# return to expedited removal for most Title 8 encounters, families included (Family Expedited
# Removal Management, 2023-05). It decides asylum eligibility, a question the determination does
# not answer, so the pipeline reads it as a dated condition: how far it lowered the credible
# fear found rate and raised expedited removal use are parameters with ranges.
LAWFUL_PATHWAYS = Window(
    dt.date(2023, 6, 1),
    dt.date(2025, 6, 1),
    "Circumvention of Lawful Pathways, final rule, 88 FR 31314 (2023-05-16; effective "
    "2023-05-11, for entries to 2025-05-11); DHS, 'Fact sheet: ... end of Title 42' (2023-05)",
    "reported",
)


# The priority schemes that make every removable person a target (docs/law/priorities.md#r7):
# the Kelly memo implementing EO 13768, and EO 14159. Every other scheme — the 2011 memos before
# the timeline's first row, Johnson, the 2021 interim priorities, Mayorkas — names categories.
BROAD_SCHEMES = ("priority_kelly", "priority_all_removable")


def broad_priorities(timeline: Timeline, instants: list[dt.datetime]) -> np.ndarray:
    """1.0 for each instant a broad priority scheme is in force on ``timeline``, else 0.0."""
    rows = [row for row in timeline.instruments if row.key in BROAD_SCHEMES]
    return np.array([any(row.contains(at) for row in rows) for at in instants], dtype=float)
