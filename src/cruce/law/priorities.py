"""Civil immigration enforcement priorities, 2014–2026 (R7, docs/law/priorities.md).

Priorities say whom DHS *targets*; they never decide eligibility for expedited removal or MPP.
Each scheme is a classifier giving the highest category that matches, in force on the dates of
``timeline/priority_schemes.yaml``; the 2022–2023 vacatur of the Mayorkas guidelines is a court
order in ``timeline/court_orders.yaml``. Every category assumes the person is removable.
"""

import datetime as dt

from cruce.engine.logic import (
    All,
    Any,
    Blocked,
    Branch,
    Const,
    Decision,
    FactKind,
    InForce,
    Is,
    Modality,
    Not,
    Outcome,
    Unsettled,
    cite,
)
from cruce.facts.case import fact
from cruce.law.definitions import age

JOHNSON_PRESENCE_CUTOFF = dt.date(2014, 1, 1)
BORDER_CUTOFF_2020 = dt.date(2020, 11, 1)
PEKOSKE_RELEASE_CUTOFF = dt.date(2021, 1, 20)

national_security = Any(
    Is(
        fact("terrorism_or_espionage_engaged_or_suspected"),
        "engaged in or suspected of terrorism or espionage",
    ),
    Is(fact("otherwise_danger_to_national_security"), "otherwise a danger to national security"),
    label="a threat to national security",
)
apprehended_at_border = Is(
    fact("apprehended_at_border_or_poe_attempting_unlawful_entry"),
    "apprehended at the border or a port of entry while attempting to enter unlawfully",
)


def _on_or_after(name: str, cutoff: dt.date, label: str):
    return (fact(name) >= Const(cutoff, FactKind.DATE)).named(label)


# --- Johnson 2014 (effective 2015-01-05) -----------------------------------------------------

johnson_p1 = Any(
    national_security,  # 1(a)
    apprehended_at_border,  # 1(b)
    Is(
        fact("convicted_of_gang_offense_18usc521a"),
        "convicted of an offense with active participation in a criminal street gang as an element",
    ),  # 1(c)
    All(
        (age >= 16).named("aged 16 or older"),
        Is(
            fact("intentional_gang_participation_age16plus"),
            "intentionally participated in a criminal gang",
        ),
        label="aged 16 or older and intentionally participated in a criminal gang",
    ),  # 1(c)
    Is(
        fact("convicted_of_felony_status_not_essential_element"),
        "convicted of a felony (status not an essential element)",
    ),  # 1(d)
    Is(fact("convicted_of_aggravated_felony"), "convicted of an aggravated felony"),  # 1(e)
    label="Priority 1: threats to national security, border security and public safety",
    citations=[cite("S18c", "Priority 1 list")],
)
"""Johnson P1 (a)–(e)."""

johnson_p2 = Any(
    (fact("misdemeanor_incidents_excluding_minor_traffic") >= 3).named(
        "three or more misdemeanors from separate incidents (not minor traffic)"
    ),  # 2(a)
    Is(
        fact("convicted_of_significant_misdemeanor"),
        "convicted of a significant misdemeanor",
        cite("S18d"),
        cite("S18d", "90-day custody rule", "unconfirmed"),
    ),  # 2(b)
    All(
        Not(Is(fact("was_admitted")), label="entered unlawfully"),
        Not(
            Is(fact("physically_present_since_2014_01_01")),
            label="not continuously present since 2014-01-01",
        ),
        label="entered or re-entered unlawfully and not present since 2014-01-01",
        citations=[cite("S18d", "Priority 2(c) wording", "unconfirmed")],
    ),  # 2(c)
    Is(
        fact("significant_visa_or_vwp_abuse"),
        "significantly abused the visa or Visa Waiver programs",
        cite("S18d", "Priority 2(d) wording", "unconfirmed"),
    ),  # 2(d)
    label="Priority 2: misdemeanants and new immigration violators",
    citations=[cite("S18d", "Priority 2 summary")],
)
"""Johnson P2 (a)–(d)."""

johnson_p3 = All(
    Is(fact("prior_removal_order_exists"), "has an order of removal"),
    _on_or_after(
        "final_order_of_removal_date",
        JOHNSON_PRESENCE_CUTOFF,
        "the final order was issued on or after 2014-01-01",
    ),
    label="Priority 3: a final order of removal issued on or after 2014-01-01",
    citations=[cite("S18e", "Priority 3 date cut-off", "unconfirmed")],
)
"""Johnson P3: other immigration violators with a final order issued since 2014-01-01."""

# --- Kelly 2017 (EO 13768) -------------------------------------------------------------------

kelly_categories = Any(
    Is(fact("convicted_of_any_crime"), "convicted of any criminal offense"),  # (1)
    Is(fact("pending_criminal_charges"), "charged with a criminal offense not yet resolved"),
    Is(
        fact("committed_chargeable_criminal_acts"),
        "committed acts that constitute a chargeable criminal offense",
    ),
    Is(
        fact("fraud_or_willful_misrep_before_government_agency"),
        "engaged in fraud or willful misrepresentation before a government agency",
    ),
    Is(fact("public_benefits_program_abuse"), "abused a program related to public benefits"),
    Is(
        fact("failed_to_depart_under_final_order"),
        "subject to a final order of removal and did not depart",
    ),
    Is(
        fact("officer_judges_public_safety_or_natsec_risk"),
        "judged by an officer a risk to public safety or national security",
    ),  # (7)
    label="one of the seven Kelly/EO 13768 categories",
    citations=[cite("S20", "priority list via HSDL"), cite("S22", "EO 13768 §5")],
)

# --- Interim 2021 (Pekoske; ICE interim guidance) --------------------------------------------

border_since_november_2020 = Any(
    All(
        apprehended_at_border,
        _on_or_after(
            "apprehended_attempting_unlawful_entry_on",
            BORDER_CUTOFF_2020,
            "apprehended on or after 2020-11-01",
        ),
        label="apprehended at the border on or after 2020-11-01",
    ),
    Not(
        Is(fact("physically_present_before_2020_11_01")),
        label="not present in the US before 2020-11-01",
    ),
    label="border security (on or after 2020-11-01)",
    citations=[cite("S39"), cite("S40")],
)

interim_public_safety = All(
    _on_or_after(
        "released_from_incarceration_on",
        PEKOSKE_RELEASE_CUTOFF,
        "released from incarceration on or after 2021-01-20",
    ),
    Any(
        Is(fact("convicted_of_aggravated_felony"), "convicted of an aggravated felony"),
        All(
            InForce("ice_interim_guidance_2021", "the ICE interim guidance in force"),
            Is(fact("convicted_of_gang_offense_18usc521a"), "convicted of a gang offense"),
            label="a gang conviction, under the ICE interim guidance (from 2021-02-18)",
            citations=[cite("S40")],
        ),
        label="an aggravated felony or (from 2021-02-18) gang conviction",
    ),
    Is(
        fact("officer_judges_public_safety_or_natsec_risk"),
        "judged a current threat to public safety",
    ),
    label="public safety (aggravated felony, released since 2021-01-20, current threat)",
    citations=[cite("S39", "release cut-off varies between summaries", "unconfirmed"), cite("S40")],
)

# --- Mayorkas 2021 ---------------------------------------------------------------------------

mayorkas_public_safety = (
    fact("mayorkas_public_safety_assessment")
    .is_in(["CURRENT_THREAT"])
    .named(
        "a current threat to public safety on the totality of the circumstances",
        cite("S41"),
        cite("S41", "aggravating and mitigating factor lists", "unconfirmed"),
    )
)
mayorkas_border = Any(
    apprehended_at_border,
    (fact("unlawful_entry_date") > Const(BORDER_CUTOFF_2020, FactKind.DATE)).named(
        "entered unlawfully after 2020-11-01"
    ),
    label="a threat to border security",
    citations=[cite("S41b", "border category")],
)


def _priority(code: str, text: str) -> Outcome:
    return Outcome(code, Modality.MAY, text)


NOT_PRIORITY = Outcome(
    "NOT_PRIORITY",
    Modality.MAY,
    "not in a priority category of the scheme in force (DHS keeps the power to act)",
)

PRIORITY = Decision(
    "priority",
    [
        Branch(
            "Johnson P1",
            All(InForce("priority_johnson", "the Johnson priorities in force"), johnson_p1),
            _priority("PRIORITY_JOHNSON_P1", "Johnson Priority 1 (the highest)"),
            (cite("S18c"),),
        ),
        Branch(
            "Johnson P2",
            All(InForce("priority_johnson", "the Johnson priorities in force"), johnson_p2),
            _priority("PRIORITY_JOHNSON_P2", "Johnson Priority 2"),
            (cite("S18d"),),
        ),
        Branch(
            "Johnson P3",
            All(InForce("priority_johnson", "the Johnson priorities in force"), johnson_p3),
            _priority("PRIORITY_JOHNSON_P3", "Johnson Priority 3"),
            (cite("S18e"),),
        ),
        Branch(
            "Johnson, none",
            InForce("priority_johnson", "the Johnson priorities in force"),
            NOT_PRIORITY,
            (cite("S18"),),
        ),
        Branch(
            "Kelly categories",
            All(InForce("priority_kelly", "the Kelly priorities in force"), kelly_categories),
            _priority("PRIORITY_KELLY_ENUMERATED", "an enumerated Kelly/EO 13768 priority"),
            (cite("S20"),),
        ),
        Branch(
            "Kelly, none",
            InForce("priority_kelly", "the Kelly priorities in force"),
            Outcome(
                "NOT_PRIORITY",
                Modality.MAY,
                "not an enumerated priority, but DHS 'no longer will exempt classes or "
                "categories of removable aliens from potential enforcement'",
            ),
            (cite("S20b"),),
        ),
        Branch(
            "2021 gap",
            All(
                InForce(
                    "priority_gap_2021", "between the Kelly rescission and the interim priorities"
                ),
                Unsettled(
                    "Which priorities applied between 2021-01-20 and 2021-02-01? "
                    "(docs/law/priorities.md#priority-gap-2021)",
                    "the priorities applying in the gap",
                    cite("S39", "effective 2021-02-01", "unconfirmed"),
                ),
            ),
            NOT_PRIORITY,
            (cite("S39"),),
        ),
        Branch(
            "Interim 2021 national security",
            All(
                InForce("priority_interim_2021", "the 2021 interim priorities in force"),
                national_security,
            ),
            _priority("PRIORITY_INTERIM_2021_NATSEC", "2021 interim priority: national security"),
            (cite("S39"), cite("S40")),
        ),
        Branch(
            "Interim 2021 border security",
            All(
                InForce("priority_interim_2021", "the 2021 interim priorities in force"),
                border_since_november_2020,
            ),
            _priority("PRIORITY_INTERIM_2021_BORDER", "2021 interim priority: border security"),
            (cite("S39"), cite("S40")),
        ),
        Branch(
            "Interim 2021 public safety",
            All(
                InForce("priority_interim_2021", "the 2021 interim priorities in force"),
                interim_public_safety,
            ),
            _priority("PRIORITY_INTERIM_2021_PUBSAFE", "2021 interim priority: public safety"),
            (cite("S39"), cite("S40")),
        ),
        Branch(
            "Interim 2021, none",
            InForce("priority_interim_2021", "the 2021 interim priorities in force"),
            NOT_PRIORITY,
            (cite("S40", "non-priority actions need pre-approval"),),
        ),
        Branch(
            "Mayorkas national security",
            All(
                InForce("priority_mayorkas", "the Mayorkas guidelines in force"), national_security
            ),
            _priority("PRIORITY_MAYORKAS_NATSEC", "Mayorkas priority: national security"),
            (cite("S41"),),
        ),
        Branch(
            "Mayorkas public safety",
            All(
                InForce("priority_mayorkas", "the Mayorkas guidelines in force"),
                mayorkas_public_safety,
            ),
            _priority("PRIORITY_MAYORKAS_PUBSAFE", "Mayorkas priority: public safety"),
            (cite("S41"),),
        ),
        Branch(
            "Mayorkas border security",
            All(InForce("priority_mayorkas", "the Mayorkas guidelines in force"), mayorkas_border),
            _priority("PRIORITY_MAYORKAS_BORDER", "Mayorkas priority: border security"),
            (cite("S41b"),),
        ),
        Branch(
            "Mayorkas, none",
            InForce("priority_mayorkas", "the Mayorkas guidelines in force"),
            Outcome(
                "NOT_PRIORITY",
                Modality.MAY,
                "not a priority: 'removability alone should not be the basis of an enforcement "
                "action'",
            ),
            (cite("S41"),),
        ),
        Branch(
            "Mayorkas vacated",
            Blocked("priority_mayorkas", "the Mayorkas guidelines vacated by a court"),
            _priority(
                "PRIORITY_NONE_CASE_BY_CASE",
                "no priority scheme in force: ICE decides case by case",
            ),
            (cite("S42c", "case-by-case decisions"),),
        ),
        Branch(
            "EO 14159",
            InForce("priority_all_removable", "EO 14159 in force"),
            _priority(
                "PRIORITY_ALL_REMOVABLE",
                "every removable person is subject to enforcement; no categorical priorities",
            ),
            (cite("S43"), cite("S43b")),
        ),
    ],
    otherwise=Branch(
        "no scheme encoded",
        Not(
            Any(
                InForce("priority_johnson", "the Johnson priorities in force"),
                InForce("priority_kelly", "the Kelly priorities in force"),
                InForce("priority_interim_2021", "the 2021 interim priorities in force"),
                InForce("priority_mayorkas", "the Mayorkas guidelines in force"),
                InForce("priority_all_removable", "EO 14159 in force"),
            ),
            label="no priority scheme Cruce encodes is in force",
            citations=[cite("S18b", "Johnson effective 2015-01-05")],
        ),
        Outcome(
            "PRIORITY_SCHEME_NOT_ENCODED",
            Modality.MAY,
            "the priorities in force (before 2015-01-05: earlier memos) are outside Cruce's scope",
        ),
    ),
)
"""R7: the scheme in force at the instant, and the highest of its categories that matches."""
