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
    Known,
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

arrived_by_vessel_or_aircraft = Not(
    entry_mode.is_in(["LAND_AT_POE", "LAND_BETWEEN_POES"]),
    label="arrived by vessel or aircraft, not by land",
    citations=[cite("S74", "INA 101(a)(49)")],
)
"""Only a vessel or an aircraft brings a stowaway (INA 101(a)(49))."""

is_stowaway = All(
    arrived_by_vessel_or_aircraft,
    Is(
        fact("is_stowaway"),
        "hid aboard the vessel or aircraft without the carrier's consent",
        cite("S74", "INA 101(a)(49)"),
    ),
    label="a stowaway",
    citations=[cite("S62", "INA 235(a)(2)"), cite("S74", "INA 101(a)(49)")],
)
"""A stowaway: concealed aboard the vessel or aircraft that brought them (INA 101(a)(49))."""

is_crewman = All(
    Not(entered_without_inspection, label="presented at a port or arrived by sea or air"),
    Is(
        fact("is_crewman"),
        "serves in any capacity on board a vessel or aircraft",
        cite("S74", "INA 101(a)(10)"),
    ),
    label="arrived as a crewman",
    citations=[cite("S72", "INA 252"), cite("S74", "INA 101(a)(10)")],
)
"""A crewman: arrived in that capacity, which no one crossing between ports does (a crewman on
the way to join a vessel may come through a land port; INA 101(a)(10), INA 252)."""

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
    All(
        Known(fact("is_us_citizen"), label="citizenship is established one way or the other"),
        Is(fact("is_us_citizen")),
        label="US citizenship is otherwise established",
    ),
    All(
        fact("claimed_status").is_in(["USC"]),
        fact("claim_verification").is_in(["VERIFIED"]),
        label="a claim to US citizenship, verified",
    ),
).named("a verified US citizen", cite("S7", "235.3(b)(5)(iv)"))
"""A US citizen, verified or otherwise established, may not be ordered removed (8 CFR
235.3(b)(5)(iv)); an unverified claim is for an immigration judge, not a fact to wait for."""

is_verified_protected_resident = All(
    fact("claimed_status")
    .is_in(["LPR", "REFUGEE", "ASYLEE"])
    .named("claims permanent residence, refugee or asylee status"),
    fact("claim_verification").is_in(["VERIFIED"]).named("the claim is verified"),
    label="a verified permanent resident, refugee or asylee",
    citations=[cite("S7", "235.3(b)(5)(ii)-(iii)")],
)
"""8 CFR 235.3(b)(5)(ii)–(iii): the officer shall not order a verified LPR, refugee or asylee
removed under INA 235(b)(1)."""

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

_age_determination = fact("age_determination")
reason_to_believe_under_18 = All(
    Known(_age_determination, label="DHS has taken a position on age"),
    _age_determination.is_in(["REASON_TO_BELIEVE_UNDER_18"]),
    label="DHS has reason to believe the person is under 18 (no age determination yet)",
    citations=[cite("S2", "8 U.S.C. 1232(b)(4)")],
)
determined_adult = All(
    Known(_age_determination, label="DHS has taken a position on age"),
    _age_determination.is_in(["DETERMINED_ADULT"]),
    label="determined an adult under 8 U.S.C. 1232(b)(4)",
)
under_18 = Any(
    reason_to_believe_under_18,
    All(
        Not(determined_adult, label="not determined an adult"),
        (age < 18).named("under 18 years of age", cite("S4", "6 U.S.C. 279(g)(2)(B)")),
        label="under 18 years of age",
    ),
    label="a child (under 18, or treated as one until an age determination)",
)
"""Under 18; a person DHS has reason to believe is under 18 is treated as a child until an age
determination under 8 U.S.C. 1232(b)(4), and a person so determined an adult is not one."""

is_uac = All(
    under_18,
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
