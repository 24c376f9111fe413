"""Expedited removal: INA 235(b)(1); 8 CFR 235.3(b) (R1–R3, docs/law/expedited-removal.md).

INA 235(b)(1)(A)(i): if an officer determines that an alien *arriving* in the United States, or
an alien in a class the Secretary has *designated*, is inadmissible under 212(a)(6)(C) or
212(a)(7), the officer shall order the alien removed without further hearing or review, unless
the alien indicates an intention to apply for asylum or a fear of persecution.

The designated class may reach any alien not admitted or paroled who has not shown two years of
continuous presence (235(b)(1)(A)(iii)(II)); how far it reaches at an instant is set by the
Federal Register designations in ``timeline/expedited_removal_designations.yaml``.
Eligibility is authority, never obligation: DHS may place an eligible person in section 240
proceedings instead (*Matter of E-R-M- & L-R-M-*, 25 I&N Dec. 520 (BIA 2011)).
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
    Known,
    Modality,
    Not,
    Outcome,
    Unsettled,
    cite,
)
from cruce.facts.case import fact
from cruce.law import tvpra
from cruce.law.definitions import (
    arrived_by_aircraft_at_poe,
    arrived_by_sea,
    cp_days_before_determination,
    cp_days_before_encounter,
    entered_without_inspection,
    is_crewman,
    is_stowaway,
    is_uac,
    is_verified_protected_resident,
    is_verified_us_citizen,
    nationalities,
)
from cruce.law.parameters import steady

# The numbers, dated and cited, from law/parameters/expedited_removal.yaml.
TWO_YEARS_IN_DAYS = steady("expedited_removal.two_years_in_days", int)
FOURTEEN_DAYS = steady("expedited_removal.fourteen_days", int)
ONE_HUNDRED_AIR_MILES = steady("expedited_removal.one_hundred_air_miles", float)

ER_GROUNDS = (
    "I212a6Ci_FRAUD_MISREP",
    "I212a6Cii_FALSE_CLAIM_USC",
    "I212a7A_IMMIGRANT_NO_VALID_DOCS",
    "I212a7B_NONIMMIGRANT_NO_VALID_DOCS",
)

citizen_or_native_of_cuba = Any(
    Intersects(nationalities, ["CU"]), fact("native_country").is_in(["CU"])
).named("a native or citizen of Cuba", cite("S1", "INA 235(b)(1)(F)"))

citizen_of_venezuela = Any(
    Intersects(nationalities, ["VE"]), fact("native_country").is_in(["VE"])
).named("a native or citizen of Venezuela")

# --- D4: the charging grounds --------------------------------------------------------------

charged_on_er_grounds = All(
    Intersects(fact("inadmissibility_grounds"), ER_GROUNDS).named(
        "inadmissible under 212(a)(6)(C) (fraud, false claim) or 212(a)(7) (no valid documents)",
        cite("S1", "INA 235(b)(1)(A)(i)"),
        cite("S3", "INA 212(a)(6)(C), (a)(7)"),
    ),
    Not(
        Is(fact("documentary_requirements_waived")),
        label="documentary requirements not waived",
        citations=[cite("S7", "235.3(b)(2)(i), (b)(9)")],
    ),
    label="inadmissible on the grounds expedited removal may charge",
    citations=[cite("S7", "235.3(b)(1), (b)(3)")],
)
"""ER charges only 212(a)(6)(C) or 212(a)(7), and not where document requirements are waived."""

# --- D5: the exceptions for air arrivals ---------------------------------------------------

f_exception = All(
    arrived_by_aircraft_at_poe,
    Any(
        All(
            citizen_or_native_of_cuba,
            InForce(
                "cuba_without_full_diplomatic_relations",
                "Cuba without full diplomatic relations with the US",
            ),
        ),
        All(
            citizen_of_venezuela,
            InForce(
                "venezuela_relations_broken",
                "Venezuela's government has broken diplomatic relations with the US (from "
                "2019-01-23)",
            ),
            Unsettled(
                "INA 235(b)(1)(F): since 2019-01-23, does Venezuela lack full diplomatic "
                "relations with the US? (docs/law/open-questions.md#wh-diplomatic-relations)",
                "Venezuela counts as a country without full diplomatic relations",
                cite("S1", "INA 235(b)(1)(F)"),
                cite("S71"),
            ),
        ),
    ),
    label="a native or citizen of a Western Hemisphere country without full diplomatic "
    "relations with the US, arriving by aircraft at a port of entry",
    citations=[cite("S1", "INA 235(b)(1)(F)")],
)
"""INA 235(b)(1)(F): ER does not apply to such air arrivals."""

cuba_air_regulatory_exception = All(
    arrived_by_aircraft_at_poe,
    Intersects(nationalities, ["CU"]),
    InForce("cuban_exception_air", "the regulatory Cuba-by-air exception in force"),
    label="a Cuban citizen arriving by aircraft while 8 CFR 235.3(b)(1)(i) excepted them",
    citations=[cite("S14", "82 FR 4769"), cite("S7", "235.3(b)(1)(i)")],
)
"""Until 2017-01-13, 8 CFR 235.3(b)(1)(i) excepted Cuban citizens arriving by air."""

# --- D2 and R1: arriving aliens ------------------------------------------------------------

paroled_at_port_still_arriving = All(
    Is(fact("parole_granted")),
    Is(fact("parole_at_poe")),
    Not(
        fact("parole_basis").is_in(["BEFORE_1997_04_01", "ADVANCE_PAROLE_OBTAINED_IN_US"]),
        label="parole not granted before 1997-04-01 nor as advance parole obtained in the US",
        citations=[cite("S6", "8 CFR 1.2"), cite("S10", "63 FR 19382")],
    ),
    InForce(
        "er_for_paroled_arriving_aliens",
        "expedited removal of paroled arriving aliens not blocked by a court",
    ),
    label="paroled at a port of entry, and so still an arriving alien",
    citations=[cite("S6", "8 CFR 1.2")],
)
"""8 CFR 1.2: a person paroled at a port remains an arriving alien, with two carve-outs."""

is_arriving_alien = Any(
    All(
        fact("entry_mode").is_in(["LAND_AT_POE", "AIR_AT_POE"]),
        Is(fact("encountered_upon_arrival_at_or_near_border")),
        label="coming or attempting to come into the US at a port of entry",
    ),
    fact("entry_mode")
    .is_in(["INTERDICTED_AT_SEA_BROUGHT_IN"])
    .named("interdicted at sea and brought into the US"),
    paroled_at_port_still_arriving,
    label="an arriving alien",
    citations=[cite("S6", "8 CFR 1.2")],
)
"""D2 (8 CFR 1.2): arriving at a port, interdicted and brought in, or paroled at a port."""

parole_still_in_effect = All(
    paroled_at_port_still_arriving,
    Is(
        fact("parole_in_effect"),
        "the parole is still in effect (not expired or terminated)",
        cite("S73", "INA 212(d)(5)(A)"),
    ),
    Unsettled(
        "May DHS use expedited removal against a person paroled at a port while the parole is "
        "still in effect (for example a CHNV parolee in 2024), without first terminating it? "
        "INA 212(d)(5)(A) returns a parolee to custody as an applicant for admission only when "
        "the parole's purposes have been served (docs/law/open-questions.md#chnv-parole-2024)",
        "expedited removal waits until the parole ends",
        cite("S73", "INA 212(d)(5)(A)"),
        cite("S49b", "Huffman memo: terminate parole, then expedited removal"),
    ),
    label="paroled at a port, with the parole still in effect",
)
"""Whether a current parole keeps a paroled arriving alien out of expedited removal is open."""

er_for_arriving_aliens = Default(
    "expedited removal of an arriving alien",
    base=All(is_arriving_alien, charged_on_er_grounds),
    exceptions=[
        Exception_("INA 235(b)(1)(F)", f_exception),
        Exception_("Cuba by air", cuba_air_regulatory_exception),
        Exception_("parole still in effect", parole_still_in_effect),
    ],
    citations=[cite("S1", "INA 235(b)(1)(A)(i)"), cite("S7", "235.3(b)(1)(i)")],
)
"""R1: arriving aliens inadmissible on ER grounds, save the (F) and Cuba-by-air exceptions."""

# --- D6 and R2: the designated class -------------------------------------------------------

counts_as_paroled = Any(
    All(
        Is(fact("parole_granted")),
        Not(
            fact("parole_basis").is_in(["PAROLE_PLUS_ATD_AFTER_EWI"]),
            label="not released on parole after entering without inspection",
        ),
        label="paroled into the US",
    ),
    All(
        Is(fact("parole_granted")),
        fact("parole_basis").is_in(["PAROLE_PLUS_ATD_AFTER_EWI"]),
        Unsettled(
            "Are people released on Parole+ATD after entering without inspection 'paroled' "
            "for INA 235(b)(1)(A)(iii)(II) once parole ends? "
            "(docs/law/open-questions.md#terminated-parole)",
            "parole after entry without inspection counts as parole",
            cite("S49c", "ICE directive 2025-02-18", "unconfirmed"),
        ),
        label="released on parole after entering without inspection",
    ),
    label="paroled",
    citations=[cite("S1", "INA 235(b)(1)(A)(iii)(II)")],
)

has_not_shown_two_years = (cp_days_before_determination < TWO_YEARS_IN_DAYS).named(
    "has not shown two years of continuous presence before the determination",
    cite("S1", "INA 235(b)(1)(A)(iii)(II)"),
    cite("S7", "235.3(b)(1)(ii)"),
)

statutory_designable = All(
    Not(Is(fact("was_admitted")), label="not admitted"),
    Not(counts_as_paroled, label="not paroled"),
    Not(f_exception, label="not within the 235(b)(1)(F) exception"),
    has_not_shown_two_years,
    label="within the class the Secretary may designate",
    citations=[cite("S1", "INA 235(b)(1)(A)(iii)(II)")],
)
"""D6: not admitted or paroled, and has not shown two years' continuous presence."""

not_cuban_while_excepted = Not(
    All(
        Intersects(nationalities, ["CU"]),
        InForce("cuban_exception_designations", "the Cuban exception to the designations"),
    ),
    label="not a Cuban national excepted from the designations",
    citations=[cite("S13", "82 FR 4902")],
)

designated_by_sea_2002 = All(
    InForce("er_designation_sea", "the 2002 sea-arrival designation in force"),
    arrived_by_sea,
    not_cuban_while_excepted,
    label="in the 2002 sea-arrival designation",
    citations=[cite("S11", "67 FR 68924")],
)
"""2002: aliens who arrived by sea and have not shown two years' presence (67 FR 68924)."""

designated_by_land_2004 = All(
    InForce("er_designation_land_2004", "the 2004 land designation in force"),
    entered_without_inspection,
    (fact("encounter_distance_to_land_border_air_miles") <= ONE_HUNDRED_AIR_MILES).named(
        "encountered within 100 air miles of the US international land border",
        cite("S12", "69 FR 48880"),
    ),
    (cp_days_before_encounter < FOURTEEN_DAYS).named(
        "has not shown 14 days of continuous presence before the encounter",
        cite("S12", "69 FR 48880"),
    ),
    not_cuban_while_excepted,
    label="in the 2004 designation (100 air miles, 14 days)",
    citations=[cite("S12", "69 FR 48877")],
)
"""2004: EWI, encountered within 100 air miles of the land border, under 14 days' presence."""

designated_full_scope = All(
    InForce("er_designation_full", "a full-scope designation in force"),
    Not(arrived_by_sea, label="did not arrive by sea"),
    label="in a full-scope designation (anywhere in the US, under two years)",
    citations=[cite("S15", "84 FR 35409"), cite("S17", "90 FR 8139")],
)
"""2019 and 2025: the full statutory scope, anywhere in the US (84 FR 35409; 90 FR 8139)."""

er_for_designated_class = All(
    statutory_designable,
    charged_on_er_grounds,
    Any(
        designated_by_sea_2002,
        designated_by_land_2004,
        designated_full_scope,
        label="in a designated class at the determination instant",
        citations=[cite("S7", "235.3(b)(1)(ii)")],
    ),
    label="expedited removal of a designated class",
    citations=[cite("S1", "INA 235(b)(1)(A)(iii)")],
)
"""R1/R2: a designable person, charged on ER grounds, within a designation in force."""

# --- R2, as practised: the 2004 designation's implementing policy ------------------------------

first_time_mexican_or_canadian_violator = All(
    Intersects(nationalities, ["MX", "CA"]).named("a citizen or national of Mexico or Canada"),
    Not(
        Any(
            Is(fact("convicted_of_any_crime"), "convicted of a crime"),
            Is(fact("criminal_or_violence_history"), "a criminal or violence history"),
            Is(fact("prior_immigration_violations"), "earlier immigration violations"),
            Is(fact("prior_removal_order_exists"), "a prior order of removal"),
            label="a criminal or immigration-violation history",
        ),
        label="a first-time violator (no criminal or immigration-violation history)",
    ),
    label="a first-time Mexican or Canadian violator",
    citations=[cite("S57", "2004 rollout")],
)

the_2004_practice_applies = Any(
    InForce(
        "er_2004_as_practised",
        "the 2004 designation as practised (select the regime as-practised-2004)",
    ),
    All(
        InForce(
            "er_2004_as_practised_after_2019",
            "the 2004 practice after the 2019 designation (regime as-practised-2004)",
        ),
        Unsettled(
            "Did the 2004 practice of not using expedited removal against first-time Mexican "
            "or Canadian violators outlive the 2019 and 2025 designations? "
            "(docs/law/open-questions.md#policy-2004)",
            "the 2004 practice continued",
            cite("S57", "continuation after 2019", "unconfirmed"),
        ),
        label="the 2004 practice, if it continued after 2019",
    ),
    label="the 2004 designation's implementing policy",
)

disfavored_as_practised_2004 = All(
    the_2004_practice_applies,
    designated_by_land_2004,
    Not(designated_full_scope, label="not within a full-scope designation"),
    first_time_mexican_or_canadian_violator,
    label="within the 2004 designation alone, a first-time Mexican or Canadian violator, whom "
    "the 2004 designation as practised did not reach",
    citations=[cite("S57", "2004 rollout"), cite("S12", "69 FR 48877")],
)
"""As practised (selectable), the 2004 designation was not used against first-time Mexican or
Canadian violators; in law it reached them (the statute and notice exclude no nationality)."""

# --- R1: availability, with its exceptions -------------------------------------------------

expedited_removal_available = Default(
    "expedited removal is available",
    base=Any(er_for_arriving_aliens, er_for_designated_class),
    exceptions=[
        Exception_("unaccompanied child (TVPRA 8 U.S.C. 1232(a)(5)(D))", is_uac),
        Exception_(
            "Visa Waiver Program applicant",
            Is(
                fact("vwp_applicant"),
                "an applicant under the Visa Waiver Program",
                cite("S7", "235.3(b)(10)"),
            ),
        ),
        Exception_("verified US citizen", is_verified_us_citizen),
        Exception_(
            "verified permanent resident, refugee or asylee", is_verified_protected_resident
        ),
        Exception_("stowaway", is_stowaway),
    ],
    citations=[cite("S1", "INA 235(b)(1)(A)"), cite("S7", "235.3(b)")],
)
"""R1: ER is available to arriving or designated aliens, except UACs, VWP applicants, verified
citizens, verified permanent residents, refugees and asylees, and stowaways."""

ER_AVAILABLE = Outcome(
    "ER_AVAILABLE",
    Modality.MAY,
    "DHS may use expedited removal (it may also choose section 240 proceedings)",
)
ER_NOT_AVAILABLE = Outcome(
    "ER_NOT_AVAILABLE", Modality.MUST_NOT, "DHS may not use expedited removal"
)

ER_ELIGIBILITY = Decision(
    "expedited_removal",
    [
        Branch(
            "R2 the 2004 designation as practised",
            All(expedited_removal_available, disfavored_as_practised_2004),
            Outcome(
                "ER_AVAILABLE_POLICY_DISFAVORED",
                Modality.MAY,
                "in law DHS may use expedited removal under the 2004 designation, but as "
                "practised the designation was not used against first-time Mexican or Canadian "
                "violators",
            ),
            (cite("S57", "2004 rollout"), cite("S12", "69 FR 48877")),
        ),
        Branch("R1", expedited_removal_available, ER_AVAILABLE, (cite("S50", "25 I&N Dec. 520"),)),
    ],
    otherwise=Branch("not R1", expedited_removal_available, ER_NOT_AVAILABLE),
)

expressed_fear = Is(
    fact("expressed_fear_or_asylum_intent"),
    "expressed an intention to apply for asylum or a fear of persecution, torture or return",
)
crewman_permit_revoked = All(
    is_crewman,
    Is(
        fact("crewman_landing_permit_revoked"),
        "an officer revoked the crewman's conditional permit to land (not a bona fide crewman, "
        "or not intending to depart on the vessel or aircraft that brought them)",
        cite("S72", "INA 252(b)"),
    ),
    label="a crewman whose conditional permit to land was revoked",
)
"""INA 252(b): such a crewman shall be removed at the carrier's expense, without section 240."""

admitted_under_vwp = All(
    Is(fact("was_admitted"), "was admitted"),
    Is(
        fact("admitted_under_vwp"),
        "admitted under the Visa Waiver Program (waived the right to a hearing)",
        cite("S63", "8 CFR 217.4(b)"),
    ),
    label="admitted under the Visa Waiver Program",
)
"""8 CFR 217.4(b): only an admission under the VWP carries its waiver; someone never admitted is
not asked."""

# --- R3: exemptions, referrals and processing outcomes, in the regulation's order -----------------

claims_protected_status = (
    fact("claimed_status")
    .is_in(["LPR", "REFUGEE", "ASYLEE", "USC"])
    .named(
        "claims to be a US citizen, permanent resident, refugee or asylee",
        cite("S1", "INA 235(b)(1)(C)"),
    )
)

PROCEDURE = Decision(
    "procedure",
    [
        Branch(
            "R3.1 verified US citizen",
            is_verified_us_citizen,
            Outcome("NO_REMOVAL", Modality.MUST_NOT, "no removal of any kind: a US citizen"),
            (cite("S7", "235.3(b)(5)(iv)"),),
        ),
        *tvpra.BRANCHES,
        Branch(
            "R3.3 reinstatement",
            All(
                Is(fact("prior_removal_order_exists"), "has a prior order of removal"),
                Is(fact("reentered_illegally_after_removal"), "re-entered illegally after removal"),
                label="re-entered illegally after removal under a prior order",
            ),
            Outcome(
                "REINSTATEMENT_PATH",
                Modality.MAY,
                "the prior order may be reinstated (no reopening, no relief); fear leads to a "
                "reasonable fear interview, not credible fear",
            ),
            (cite("S5b", "INA 241(a)(5)"), cite("S54")),
        ),
        Branch(
            "R3.4 Visa Waiver Program applicant",
            Is(fact("vwp_applicant"), "an applicant under the Visa Waiver Program"),
            Outcome(
                "VWP_PROCEDURE",
                Modality.MUST_NOT,
                "8 CFR 235.3(b) does not apply; the Visa Waiver Program's own procedure governs "
                "(its details are unconfirmed)",
            ),
            (cite("S7", "235.3(b)(10)"),),
        ),
        Branch(
            "R3.6 claimed status verified",
            is_verified_protected_resident,
            Outcome(
                "NTA_240",
                Modality.MAY,
                "no expedited removal of a verified permanent resident, refugee or asylee; "
                "section 240 proceedings or a document waiver",
            ),
            (cite("S7", "235.3(b)(5)(ii)-(iii)"),),
        ),
        Branch(
            "R3.0 stowaway, fear expressed",
            All(is_stowaway, expressed_fear, label="a stowaway who expressed fear"),
            Outcome(
                "REFER_CFI",
                Modality.MUST,
                "a stowaway who indicates an intention to apply for asylum or a fear of "
                "persecution must be referred for a credible fear interview; no section 240 "
                "hearing",
            ),
            (cite("S62", "INA 235(a)(2)"),),
        ),
        Branch(
            "R3.0 stowaway",
            is_stowaway,
            Outcome(
                "STOWAWAY_REMOVAL",
                Modality.MUST,
                "a stowaway is not an applicant for admission and shall be ordered removed upon "
                "inspection, with no section 240 hearing",
            ),
            (cite("S62", "INA 235(a)(2)"),),
        ),
        Branch(
            "R3.0 crewman, landing permit revoked",
            crewman_permit_revoked,
            Outcome(
                "CREWMAN_REMOVAL",
                Modality.MAY,
                "an officer may revoke a crewman's conditional permit to land and the crewman is "
                "then removed at the carrier's expense, without section 240 proceedings; how a "
                "fear claim is heard is an open question (docs/law/open-questions.md#crewmen)",
            ),
            (cite("S72", "INA 252(b)"),),
        ),
        Branch(
            "R3.0 crewman, other",
            All(
                Known(fact("is_crewman"), label="whether the person is a crewman is known"),
                is_crewman,
                Unsettled(
                    "How is a crewman processed who was refused a permit to land, or who "
                    "landed and stayed beyond it: removal under INA 252 (with asylum-only "
                    "proceedings for a fear claim), or the general procedure? "
                    "(docs/law/open-questions.md#crewmen)",
                    "a crewman is processed under INA 252 rather than the general procedure",
                    cite("S72", "INA 252"),
                    cite("S1", "INA 235(b)(2)(B)(i)"),
                ),
                label="a crewman, landing permit not revoked",
            ),
            Outcome(
                "CREWMAN_REMOVAL",
                Modality.MAY,
                "a crewman is removed under INA 252 rather than through section 240 proceedings",
            ),
            (cite("S72", "INA 252"), cite("S1", "INA 235(b)(2)(B)(i)")),
        ),
        Branch(
            "R3.4 admitted under the Visa Waiver Program, fear expressed",
            All(admitted_under_vwp, expressed_fear, label="a VWP entrant who expressed fear"),
            Outcome(
                "VWP_REMOVAL_NO_HEARING",
                Modality.MAY,
                "removal without referral to an immigration judge, save asylum-only proceedings "
                "for the fear claim",
            ),
            (cite("S63", "8 CFR 217.4(b)"),),
        ),
        Branch(
            "R3.4 admitted under the Visa Waiver Program",
            admitted_under_vwp,
            Outcome(
                "VWP_REMOVAL_NO_HEARING",
                Modality.MAY,
                "a Visa Waiver Program entrant found deportable may be removed without referral "
                "to an immigration judge (asylum-only proceedings if fear is expressed)",
            ),
            (cite("S63", "8 CFR 217.4(b)"),),
        ),
        Branch(
            "R3.5 expedited removal not available",
            Not(expedited_removal_available, label="expedited removal is not available"),
            Outcome(
                "NTA_240",
                Modality.MAY,
                "DHS may start section 240 removal proceedings (whether to charge at all is "
                "discretion)",
            ),
            (cite("S7", "235.3(b)(1)(ii)"),),
        ),
        Branch(
            "R3.6 claimed status under oath, not verified",
            All(
                claims_protected_status,
                Is(fact("claim_under_oath"), "the claim is made under oath"),
                label="an unverified claim of status made under oath",
            ),
            Outcome(
                "REFER_IJ_STATUS_REVIEW",
                Modality.MUST,
                "an expedited removal order issues and must be referred to an immigration judge "
                "to review the claimed status; detention continues. The judge decides the claim: "
                "a US citizen can never be removed",
            ),
            (cite("S1", "INA 235(b)(1)(C)"), cite("S7", "235.3(b)(5)(iv)"), cite("S8b", "1235.6")),
        ),
        Branch(
            "R3.8 fear expressed",
            Is(
                fact("expressed_fear_or_asylum_intent"),
                "expressed an intention to apply for asylum or a fear of persecution, torture or "
                "return",
                cite("S7", "235.3(b)(4)"),
            ),
            Outcome(
                "REFER_CFI",
                Modality.MUST,
                "must be referred for a credible fear interview before any removal",
            ),
            (
                cite("S1", "INA 235(b)(1)(A)(ii), (B)"),
                cite("S7", "235.3(b)(4)"),
                cite("S8", "208.30"),
            ),
        ),
        Branch(
            "R3.10 other charges",
            Is(fact("dhs_charging_other_grounds"), "DHS charges grounds other than 6(C) or 7"),
            Outcome("NTA_240", Modality.MUST, "section 240 proceedings for all charges"),
            (cite("S7", "235.3(b)(3)"),),
        ),
    ],
    otherwise=Branch(
        "R3.11 expedited removal order",
        expedited_removal_available,
        Outcome(
            "ER_AVAILABLE",
            Modality.MAY,
            "an expedited removal order may issue after supervisory concurrence (DHS may "
            "instead choose section 240 proceedings); a 5-year bar follows removal",
        ),
        (cite("S7", "235.3(b)(2), (b)(7)"), cite("S3", "INA 212(a)(9)(A)(i)"), cite("S50")),
    ),
)
"""R3: the order in which exemptions, referrals and outcomes apply once a case is screened."""
