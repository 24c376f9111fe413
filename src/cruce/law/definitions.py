"""Threshold definitions the rules share (D1–D4, docs/law/definitions.md), read from the facts.

Each is a rule node with its plain-words label and its citation; the law modules combine them.
"""

from cruce.engine.logic import (
    All,
    Any,
    DaysBetween,
    FactKind,
    FirstKnown,
    Instant,
    Intersects,
    Is,
    Not,
    YearsBetween,
    cite,
)
from cruce.facts.case import fact

entry_mode = fact("entry_mode")
nationalities = fact("nationalities")

arrived_by_sea = entry_mode.is_in(["SEA", "INTERDICTED_AT_SEA_BROUGHT_IN"]).named(
    "arrived by sea", cite("S11", "67 FR 68924")
)
"""Arrived by sea, by boat or other means, including interdicted and brought in (docs/facts.md)."""

entered_without_inspection = entry_mode.is_in(["LAND_BETWEEN_POES"]).named(
    "entered by land between ports of entry (without inspection)", cite("S12", "69 FR 48880")
)
"""Entered without inspection between ports (the 2004 designation's class)."""

arrived_by_aircraft_at_poe = entry_mode.is_in(["AIR_AT_POE"]).named(
    "arrived by aircraft at a port of entry", cite("S1", "INA 235(b)(1)(F)")
)
"""Arrived by aircraft at a port of entry (INA 235(b)(1)(F))."""

age = YearsBetween(fact("date_of_birth"), Instant())
"""Age in complete years at the determination instant."""

cp_days_before_determination = FirstKnown(
    (
        fact("cp_days_established_before_determination"),
        DaysBetween(fact("continuous_presence_established_since"), Instant()),
    ),
    FactKind.INT,
)
"""Days of continuous presence shown to the officer immediately before the determination
(INA 235(b)(1)(A)(iii)(II); 8 CFR 235.3(b)(1)(ii)): a count, or from the date it is shown since."""

cp_days_before_encounter = FirstKnown(
    (
        fact("cp_days_established_before_encounter"),
        DaysBetween(fact("continuous_presence_established_since"), fact("encounter_datetime")),
    ),
    FactKind.INT,
)
"""Days of continuous presence shown immediately before the encounter (the 2004 14-day test)."""

is_verified_us_citizen = Any(
    Is(fact("is_us_citizen")),
    All(
        fact("claimed_status").is_in(["USC"]),
        fact("claim_verification").is_in(["VERIFIED"]),
    ),
).named("a verified US citizen", cite("S7", "235.3(b)(5)(iv)"))
"""A US citizen, verified, may not be ordered removed (8 CFR 235.3(b)(5)(iv))."""

parent_present_and_able = Any(
    Is(fact("accompanied_by_parent_or_legal_guardian")),
    All(
        Is(fact("parent_or_legal_guardian_in_us")),
        Is(fact("parent_or_guardian_available_to_provide_care_and_custody")),
    ),
).named(
    "a parent or legal guardian in the US is available to provide care and physical custody",
    cite("S4", "6 U.S.C. 279(g)(2)(C)"),
)

is_uac = All(
    (age < 18).named("under 18 years of age", cite("S4", "6 U.S.C. 279(g)(2)(B)")),
    Not(
        Is(fact("has_lawful_immigration_status")),
        label="has no lawful immigration status in the US",
        citations=[cite("S4", "6 U.S.C. 279(g)(2)(A)")],
    ),
    Not(parent_present_and_able, label="no parent or legal guardian in the US is available"),
    label="an unaccompanied alien child",
    citations=[cite("S4", "6 U.S.C. 279(g)(2)")],
)
"""D3: under 18, no lawful status, and no parent or guardian in the US available to care for
the child (6 U.S.C. 279(g)(2)); a child travelling with a parent is not a UAC."""

is_contiguous_country_child = Any(
    Intersects(nationalities, ["MX", "CA"]),
    fact("habitual_residence_country").is_in(["MX", "CA"]),
).named("a national or habitual resident of Mexico or Canada", cite("S2", "8 U.S.C. 1232(a)(2)(A)"))
"""A national or habitual resident of a contiguous country (8 U.S.C. 1232(a)(2)(A))."""
