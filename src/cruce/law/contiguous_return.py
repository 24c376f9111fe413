"""Return to contiguous territory: INA 235(b)(2)(C), 8 CFR 235.3(d), and the Migrant Protection
Protocols (R4, R5: docs/law/contiguous-return.md).

INA 235(b)(2)(C): in the case of an alien described in 235(b)(2)(A) who is arriving on land
(whether or not at a designated port of arrival) from a foreign territory contiguous to the
United States, the Attorney General may return the alien to that territory pending a section 240
proceeding. The statute excludes no nationality; the Migrant Protection Protocols (2019, 2021,
2025) are programs using it, each with its own exclusions, which are policy, not law.
"""

from cruce.engine.logic import (
    All,
    Any,
    Branch,
    Decision,
    Default,
    Exception_,
    InForce,
    Intersects,
    Is,
    Modality,
    Not,
    Outcome,
    cite,
)
from cruce.facts.case import fact
from cruce.law.definitions import is_crewman, is_stowaway, is_uac, nationalities
from cruce.law.parameters import steady_codes

arriving_on_land_now = All(
    fact("entry_mode")
    .is_in(["LAND_AT_POE", "LAND_BETWEEN_POES"])
    .named("arrived on land, at or between ports of entry"),
    Is(
        fact("encountered_upon_arrival_at_or_near_border"),
        'encountered on arrival, at or near the border (still "arriving")',
        cite("S29", "Matter of M-D-C-V-, 28 I&N Dec. 18"),
    ),
    label="arriving on land now",
    citations=[cite("S1", "INA 235(b)(2)(C)"), cite("S29", "28 I&N Dec. 18")],
)
"""Arriving on land, at or between ports; an interior encounter long after entry is not."""

from_mexico = (
    fact("contiguous_country_arrived_from")
    .is_in(["MX"])
    .named("arrived from Mexico", cite("S26", "MPP Guiding Principles"))
)

described_in_235b2A = All(
    Any(
        Not(Is(fact("was_admitted")), label="not admitted"),
        arriving_on_land_now,
        label="an applicant for admission",
        citations=[cite("S1", "INA 235(a)(1)")],
    ),
    Not(is_crewman, label="not a crewman"),
    Not(is_stowaway, label="not a stowaway"),
    Not(
        Is(fact("processed_for_expedited_removal")),
        label="not processed for expedited removal under 235(b)(1)",
        citations=[cite("S1", "INA 235(b)(2)(B)(ii)")],
    ),
    label="an alien described in INA 235(b)(2)(A)",
    citations=[cite("S1", "INA 235(b)(2)(A)-(B)")],
)
"""235(b)(2)(A)–(B): applicants for admission not crewmen, stowaways or in expedited removal."""

contiguous_return_available = Default(
    "return to contiguous territory is available",
    base=All(
        InForce("contiguous_return_statute", "INA 235(b)(2)(C) in force"),
        described_in_235b2A,
        fact("contiguous_country_arrived_from")
        .is_in(["MX", "CA"])
        .named("arrived from Mexico or Canada", cite("S1", "INA 235(b)(2)(C)")),
        arriving_on_land_now,
        label="arriving on land from a contiguous territory",
    ),
    exceptions=[Exception_("unaccompanied child (consistent with 8 U.S.C. 1232)", is_uac)],
    citations=[cite("S1", "INA 235(b)(2)(C)"), cite("S7", "235.3(d)"), cite("S21", "EO 13767 §7")],
)
"""R4: DHS may return such an alien pending 240 proceedings; not a UAC (EO 13767 §7)."""

CONTIGUOUS_RETURN = Decision(
    "contiguous_return",
    [
        Branch(
            "R4",
            contiguous_return_available,
            Outcome(
                "CONTIGUOUS_RETURN_AVAILABLE",
                Modality.MAY,
                "DHS may return the person to the contiguous territory to await section 240 "
                "proceedings (the statute excludes no nationality)",
            ),
            (cite("S1", "INA 235(b)(2)(C)"),),
        )
    ],
    otherwise=Branch(
        "not R4",
        contiguous_return_available,
        Outcome(
            "CONTIGUOUS_RETURN_NOT_AVAILABLE",
            Modality.MUST_NOT,
            "return to a contiguous territory under INA 235(b)(2)(C) is not available",
        ),
    ),
)

# --- R5: the Migrant Protection Protocols --------------------------------------------------

mexican_national = Intersects(nationalities, ["MX"]).named(
    "a citizen or national of Mexico", cite("S26", "MPP Guiding Principles"), cite("S25")
)
unaccompanied_child = is_uac
processed_for_er = Is(
    fact("processed_for_expedited_removal"),
    "already processed for expedited removal",
    cite("S26", "MPP Guiding Principles"),
)

mpp_2019_in_force = Any(
    InForce("mpp_2019_policy", "the 2019 MPP policy in force (2019-01-28 to 2021-01-21)"),
    All(
        InForce("mpp_2025_restart", "MPP resumed under the 2019 policy (from 2025-01-21)"),
        Is(
            fact("mexico_accepting_returns"),
            "Mexico accepting returns",
            cite("S38c", "Mexico's consent", "unconfirmed"),
        ),
        label="MPP resumed in 2025 and Mexico accepting returns",
    ),
    label="the 2019 MPP policy operating",
)

special_circumstances = Exception_(
    "special circumstances",
    Any(
        Is(fact("returning_lpr_seeking_admission"), "a returning LPR seeking admission"),
        Is(
            fact("has_advance_parole_document_or_in_parole_status"),
            "holds advance parole or is in parole status",
        ),
        Is(
            fact("known_physical_or_mental_health_issue"),
            "a known physical or mental health issue",
        ),
        Is(fact("criminal_or_violence_history"), "a criminal or violence history"),
        Is(
            fact("gov_of_mexico_or_usg_interest"),
            "of interest to the Government of Mexico or the US",
        ),
        label="a listed special circumstance",
        citations=[cite("S26", "MPP Guiding Principles"), cite("S61b", "2019 exclusions kept")],
    ),
)
"""The 2019 special circumstances, which the December 2021 guidance kept."""

port_director_exclusion = Exception_(
    "Port Director's discretion",
    Is(
        fact("port_director_exclusion"),
        "excluded at the Port Director's discretion",
        cite("S26", "MPP Guiding Principles"),
    ),
)

amenable_under_2019_policy = Default(
    "amenable to MPP under the 2019 policy",
    base=All(
        mpp_2019_in_force,
        from_mexico,
        arriving_on_land_now,
        Is(
            fact("mpp_operating_at_location"),
            "MPP operating at this port or sector",
            cite("S26", "rollout from San Ysidro", "unconfirmed"),
        ),
        label="a land arrival from Mexico where MPP operates",
    ),
    exceptions=[
        Exception_("Mexican nationals", mexican_national),
        Exception_("unaccompanied children", unaccompanied_child),
        Exception_("processed for expedited removal", processed_for_er),
        special_circumstances,
        Exception_(
            "fear of Mexico, 2019 standard",
            fact("mpp_fear_screening_result")
            .is_in(["POSITIVE_2019_STANDARD"])
            .named(
                "more likely than not to face persecution or torture in Mexico",
                cite("S26", "MPP Guiding Principles"),
            ),
        ),
        port_director_exclusion,
    ],
    citations=[cite("S25"), cite("S26", "MPP Guiding Principles"), cite("S27", "PM-602-0169")],
)
"""R5 (2019 and 2025): land arrivals from Mexico where MPP operates, save the listed exclusions."""

WESTERN_HEMISPHERE = steady_codes("contiguous_return.western_hemisphere_countries")

western_hemisphere_national = Intersects(nationalities, WESTERN_HEMISPHERE).named(
    "a citizen or national of a Western Hemisphere country (the Americas and the Caribbean)",
    cite("S61b", "Western Hemisphere nationals other than Mexicans"),
    cite("S61"),
)
"""The December 2021 reimplementation reached only Western Hemisphere nationals (not Mexicans)."""

amenable_under_2021_policy = Default(
    "amenable to MPP under the 2021 court-ordered reimplementation",
    base=All(
        InForce("mpp_2021_policy", "the court-ordered 2021 reimplementation in force"),
        Is(fact("mexico_accepting_returns"), "Mexico accepting returns", cite("S34")),
        from_mexico,
        arriving_on_land_now,
        Is(fact("mpp_operating_at_location"), "MPP operating at this port or sector"),
        western_hemisphere_national,
        label="a Western Hemisphere national arriving on land from Mexico where the "
        "reimplemented MPP operates",
    ),
    exceptions=[
        Exception_("Mexican nationals", mexican_national),
        Exception_("unaccompanied children", unaccompanied_child),
        Exception_("processed for expedited removal", processed_for_er),
        special_circumstances,
        Exception_(
            "particularly vulnerable individuals",
            Is(
                fact("vulnerable_exclusion_2021"),
                "a particularly vulnerable individual (advanced age, a health issue affecting "
                "fitness for travel, increased risk in Mexico due to sexual orientation or gender "
                "identity; the full list is unconfirmed)",
                cite("S61b", "vulnerability categories"),
                cite("S34"),
            ),
        ),
        Exception_(
            "fear of Mexico, 2021 standard",
            fact("mpp_fear_screening_result")
            .is_in(["POSITIVE_2021_STANDARD", "POSITIVE_2019_STANDARD"])
            .named(
                "a reasonable possibility of persecution or torture in Mexico",
                cite("S34"),
                cite("S34b"),
            ),
        ),
        port_director_exclusion,
    ],
    citations=[
        cite("S61b", "guidance of 2021-12-02"),
        cite("S61"),
        cite("S34"),
        cite("S34b"),
        cite("S33", "Texas v. Biden (N.D. Tex. 2021)"),
    ],
)
"""R5 (Dec 2021 – Aug 2022): Western Hemisphere nationals other than Mexicans, with the 2019
exclusions kept and the 2021 vulnerability and fear safeguards added."""

mpp_enrolling = Any(
    InForce("mpp_2019_policy", "the 2019 MPP policy in force"),
    InForce("mpp_2025_restart", "MPP resumed (2025)"),
    InForce("mpp_2021_policy", "the 2021 reimplementation in force"),
    label="an MPP program enrolling at this instant",
    citations=[cite("S31"), cite("S36")],
)

mpp_amenable = Any(
    amenable_under_2019_policy,
    amenable_under_2021_policy,
    label="amenable to the Migrant Protection Protocols",
    citations=[cite("S26", "MPP Guiding Principles"), cite("S34")],
)

MPP = Decision(
    "mpp",
    [
        Branch(
            "R5 no enrollments",
            Not(mpp_enrolling, label="no MPP program enrolling"),
            Outcome(
                "NO_MPP_ENROLLMENT", Modality.MUST_NOT, "no new MPP enrollments at this instant"
            ),
            (cite("S31"), cite("S36"), cite("S37")),
        ),
        Branch(
            "R5 amenable",
            mpp_amenable,
            Outcome(
                "MPP_AMENABLE",
                Modality.MAY,
                "may be returned to Mexico to await section 240 proceedings (officer discretion "
                "with supervisory review; in-absentia orders if hearings are missed)",
            ),
            (cite("S26", "MPP Guiding Principles"), cite("S7", "235.3(d)")),
        ),
    ],
    otherwise=Branch(
        "R5 excluded",
        mpp_amenable,
        Outcome(
            "MPP_EXCLUDED", Modality.MUST_NOT, "excluded from the Migrant Protection Protocols"
        ),
    ),
)
