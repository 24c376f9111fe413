"""Unaccompanied alien children: TVPRA 2008, 8 U.S.C. 1232; 6 U.S.C. 279(g) (docs/law/tvpra.md#r6).

8 U.S.C. 1232(a)(5)(D): an unaccompanied alien child whom DHS seeks to remove shall be placed in
section 240 proceedings, not expedited removal. 1232(a)(2): a child who is a national or
habitual resident of a contiguous country, apprehended at a land border or port of entry, may be
permitted to withdraw the application for admission and return, but only if screened within 48
hours and found not to be a trafficking victim or at credible risk of it, not to fear return,
and able to decide independently; otherwise the child is transferred to HHS within 72 hours.
"""

from cruce.engine.logic import (
    All,
    Any,
    Branch,
    Condition,
    Fact,
    Is,
    Known,
    Modality,
    Not,
    Outcome,
    cite,
)
from cruce.facts.case import fact
from cruce.law.definitions import is_contiguous_country_child, is_uac
from cruce.law.parameters import steady

SCREENING_HOURS = steady("tvpra.screening_hours", int)  # law/parameters/tvpra.yaml

SCREEN_FACTS = (
    fact("trafficking_victim_or_credible_risk"),
    fact("child_credible_fear_of_return"),
    fact("child_able_to_decide_withdrawal_independently"),
    fact("hours_since_apprehension"),
)

contiguous_country_child_at_border = All(
    is_uac,
    is_contiguous_country_child,
    Is(
        fact("encountered_upon_arrival_at_or_near_border"),
        "apprehended at a land border or port of entry",
        cite("S2", "8 U.S.C. 1232(a)(2)(A)"),
    ),
    label="an unaccompanied child of Mexico or Canada apprehended at the border",
    citations=[cite("S2", "8 U.S.C. 1232(a)(2)")],
)
"""1232(a)(2): the contiguous-country children the special screen applies to."""


def _known_and(condition: Condition, fact_ref: Fact) -> All:
    """Two-valued: the fact is known and the condition on it holds (an answer already given)."""
    return All(Known(fact_ref), condition, label=condition.label)


trafficking, fear, able, hours = SCREEN_FACTS

screen_failed = Any(
    _known_and(
        Is(trafficking, "a trafficking victim or at credible risk of trafficking"), trafficking
    ),
    _known_and(Is(fear, "a credible fear of return"), fear),
    _known_and(Not(Is(able), label="not able to decide independently to withdraw"), able),
    _known_and(
        (hours > SCREENING_HOURS).named("no determination within 48 hours of apprehension"), hours
    ),
    label="the screen has found a reason the child may not be returned",
    citations=[cite("S2", "8 U.S.C. 1232(a)(2)(B), (a)(4)")],
)
"""Any one finding against return, once made, sends the child to HHS."""

screen_pending = Not(
    Known(*SCREEN_FACTS, label="the 48-hour screen has been completed"),
    label="the 48-hour screen is not yet complete",
    citations=[cite("S2", "8 U.S.C. 1232(a)(4)")],
)

screen_cleared = All(
    Not(Is(trafficking), label="not a trafficking victim or at credible risk of trafficking"),
    Not(Is(fear), label="no credible fear of return"),
    Is(able, "able to make an independent decision to withdraw the application for admission"),
    (hours <= SCREENING_HOURS).named(
        "screened within 48 hours of apprehension", cite("S2", "8 U.S.C. 1232(a)(4)")
    ),
    label="cleared by the screen",
    citations=[cite("S2", "8 U.S.C. 1232(a)(2)(B), (a)(4)")],
)
"""1232(a)(2)(B): the three findings, made within 48 hours."""

TVPRA_HHS_240 = Outcome(
    "TVPRA_HHS_240",
    Modality.MUST,
    "transfer to HHS custody within 72 hours of the determination that the child is "
    "unaccompanied, barring exceptional circumstances, and section 240 proceedings, not "
    "expedited removal",
)
"""1232(b)(3) and (a)(5)(D): every unaccompanied child other than a screened contiguous-country
child."""

TVPRA_HHS_IMMEDIATELY = Outcome(
    "TVPRA_HHS_240",
    Modality.MUST,
    "transfer to HHS immediately (the contiguous-country screen was failed or not made within "
    "48 hours) and section 240 proceedings, not expedited removal",
)
"""1232(a)(4): a contiguous-country child not permitted to withdraw goes to HHS immediately."""

BRANCHES = [
    Branch(
        "R6 contiguous-country child, screen failed",
        All(contiguous_country_child_at_border, screen_failed, label="screen failed"),
        TVPRA_HHS_IMMEDIATELY,
        (cite("S2", "8 U.S.C. 1232(a)(2), (a)(4), (b)(3)"),),
    ),
    Branch(
        "R6 contiguous-country child, screen pending",
        All(contiguous_country_child_at_border, screen_pending, label="screen pending"),
        Outcome(
            "TVPRA_CONTIGUOUS_SCREEN",
            Modality.MUST,
            "must be screened within 48 hours of apprehension before any return; the outcome "
            "turns on the screen",
        ),
        (cite("S2", "8 U.S.C. 1232(a)(2), (a)(4)"),),
    ),
    Branch(
        "R6 contiguous-country child, screen cleared",
        All(contiguous_country_child_at_border, screen_cleared, label="screen cleared"),
        Outcome(
            "TVPRA_CONTIGUOUS_WITHDRAWAL_PERMITTED",
            Modality.MAY,
            "may be permitted to withdraw the application for admission and return",
        ),
        (cite("S2", "8 U.S.C. 1232(a)(2)(B)"),),
    ),
    Branch(
        "R6 unaccompanied child",
        is_uac,
        TVPRA_HHS_240,
        (cite("S2", "8 U.S.C. 1232(a)(5)(D), (b)(3)"), cite("S5", "8 U.S.C. 1158(b)(3)(C)")),
    ),
]
"""R6, in order: a contiguous-country child is screened first; every other child goes to HHS."""
