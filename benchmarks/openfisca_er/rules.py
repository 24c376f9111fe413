"""The core of Cruce's expedited-removal rule (``cruce.law.expedited_removal``, R1) as OpenFisca
formulas, one variable per intermediate rule, named as in Cruce.

ER is available = (an arriving alien AND charged on ER grounds AND not within the 235(b)(1)(F)
or Cuba-by-air exceptions, nor paroled at a port with the parole still in effect) OR
(designable: not admitted, not paroled, not within (F), under 730 days' presence shown before
the determination; charged on ER grounds; and in a designation in force: 2002 sea arrivals,
2004 entries between ports within 100 air miles and under 14 days, or the full scope), except
unaccompanied children (under 18 or believed so, unless determined an adult), Visa Waiver
Program applicants, verified US citizens, verified permanent residents, refugees and asylees,
and stowaways.

Booleans are two-valued: where Cruce's answer rests on an open legal question (Venezuela under
235(b)(1)(F); Parole+ATD as parole; expedited removal during a current parole) these formulas
read an assumption from the parameters ``expedited_removal.assumptions``. Dates are days: the
law in force is read for the period's day (``parameters(period)``), not for an instant.
"""

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray
from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable

from openfisca_er.entities import Person
from openfisca_er.enums import (
    AgeDetermination,
    ClaimedStatus,
    ClaimVerification,
    Country,
    EntryMode,
    ParoleBasis,
)

Parameters = Callable[[Period], Any]
"""What OpenFisca passes a formula: the parameters in force for a period."""

Bools = NDArray[np.bool_]


def law(parameters: Parameters, period: Period) -> Any:
    """The expedited-removal parameters in force on the period's day."""
    return parameters(period).expedited_removal


# --- D1: how the person arrived -----------------------------------------------------------


class arrived_by_sea(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "Arrived by sea, including interdicted at sea and brought in"
    reference = "67 FR 68924"

    def formula(person: Population, period: Period, parameters: Parameters) -> Bools:
        mode = person("entry_mode", period)
        return (mode == EntryMode.SEA) | (mode == EntryMode.INTERDICTED_AT_SEA_BROUGHT_IN)


class entered_without_inspection(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "Entered by land between ports of entry (without inspection)"
    reference = "69 FR 48880"

    def formula(person: Population, period: Period, parameters: Parameters) -> Bools:
        return person("entry_mode", period) == EntryMode.LAND_BETWEEN_POES


class arrived_by_aircraft_at_poe(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "Arrived by aircraft at a port of entry"
    reference = "INA 235(b)(1)(F)"

    def formula(person: Population, period: Period, parameters: Parameters) -> Bools:
        return person("entry_mode", period) == EntryMode.AIR_AT_POE


# --- D4: the charging grounds -------------------------------------------------------------


class charged_on_er_grounds(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "Inadmissible on the grounds expedited removal may charge, documents not waived"
    reference = ("INA 235(b)(1)(A)(i)", "8 CFR 235.3(b)(1), (b)(2)(i), (b)(3)")

    def formula(person: Population, period: Period, parameters: Parameters) -> Bools:
        grounds = (
            person("inadmissible_212a6Ci", period)
            | person("inadmissible_212a6Cii", period)
            | person("inadmissible_212a7A", period)
            | person("inadmissible_212a7B", period)
        )
        return grounds & ~person("documentary_requirements_waived", period)


# --- D5: the exceptions for air arrivals --------------------------------------------------


class citizen_or_native_of_cuba(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "A native or citizen of Cuba"
    reference = "INA 235(b)(1)(F)"

    def formula(person: Population, period: Period, parameters: Parameters) -> Bools:
        return person("national_of_cuba", period) | (person("native_country", period) == Country.CU)


class citizen_of_venezuela(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "A native or citizen of Venezuela"

    def formula(person: Population, period: Period, parameters: Parameters) -> Bools:
        return person("national_of_venezuela", period) | (
            person("native_country", period) == Country.VE
        )


class f_exception(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = (
        "A native or citizen of a Western Hemisphere country without full diplomatic relations "
        "with the US, arriving by aircraft at a port of entry"
    )
    reference = "INA 235(b)(1)(F)"

    def formula(person: Population, period: Period, parameters: Parameters) -> Bools:
        p = law(parameters, period)
        cuba = person("citizen_or_native_of_cuba", period)
        venezuela = person("citizen_of_venezuela", period)
        without_relations = (cuba & p.cuba.without_full_diplomatic_relations) | (
            venezuela & p.assumptions.venezuela_without_full_diplomatic_relations
        )
        return person("arrived_by_aircraft_at_poe", period) & without_relations


class cuba_air_regulatory_exception(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "A Cuban citizen arriving by aircraft while 8 CFR 235.3(b)(1)(i) excepted them"
    reference = ("82 FR 4769", "8 CFR 235.3(b)(1)(i)")

    def formula(person: Population, period: Period, parameters: Parameters) -> Bools:
        excepted = law(parameters, period).cuba.air_regulatory_exception
        return (
            person("arrived_by_aircraft_at_poe", period)
            & person("national_of_cuba", period)
            & excepted
        )


# --- D2 and R1: arriving aliens -----------------------------------------------------------


class paroled_at_port_still_arriving(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "Paroled at a port of entry, and so still an arriving alien"
    reference = ("8 CFR 1.2", "63 FR 19382")

    def formula(person: Population, period: Period, parameters: Parameters) -> Bools:
        basis = person("parole_basis", period)
        carved_out = (basis == ParoleBasis.BEFORE_1997_04_01) | (
            basis == ParoleBasis.ADVANCE_PAROLE_OBTAINED_IN_US
        )
        return (
            person("parole_granted", period)
            & person("parole_at_poe", period)
            & ~carved_out
            & law(parameters, period).paroled_arriving_aliens
        )


class is_arriving_alien(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "An arriving alien"
    reference = "8 CFR 1.2"

    def formula(person: Population, period: Period, parameters: Parameters) -> Bools:
        mode = person("entry_mode", period)
        at_port = (mode == EntryMode.LAND_AT_POE) | (mode == EntryMode.AIR_AT_POE)
        return (
            (at_port & person("encountered_upon_arrival_at_or_near_border", period))
            | (mode == EntryMode.INTERDICTED_AT_SEA_BROUGHT_IN)
            | person("paroled_at_port_still_arriving", period)
        )


class parole_still_in_effect(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "Paroled at a port, with the parole still in effect, where that keeps ER waiting"
    reference = "INA 212(d)(5)(A)"

    def formula(person: Population, period: Period, parameters: Parameters) -> Bools:
        waits = law(parameters, period).assumptions.current_parole_defers_expedited_removal
        return (
            person("paroled_at_port_still_arriving", period)
            & person("parole_in_effect", period)
            & waits
        )


class er_for_arriving_aliens(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "Expedited removal of an arriving alien"
    reference = ("INA 235(b)(1)(A)(i)", "8 CFR 235.3(b)(1)(i)")

    def formula(person: Population, period: Period, parameters: Parameters) -> Bools:
        return (
            person("is_arriving_alien", period)
            & person("charged_on_er_grounds", period)
            & ~person("f_exception", period)
            & ~person("cuba_air_regulatory_exception", period)
            & ~person("parole_still_in_effect", period)
        )


# --- D6 and R2: the designated class ------------------------------------------------------


class counts_as_paroled(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "Paroled"
    reference = "INA 235(b)(1)(A)(iii)(II)"

    def formula(person: Population, period: Period, parameters: Parameters) -> Bools:
        after_ewi = person("parole_basis", period) == ParoleBasis.PAROLE_PLUS_ATD_AFTER_EWI
        counts = law(parameters, period).assumptions.parole_plus_atd_counts_as_parole
        return person("parole_granted", period) & (~after_ewi | counts)


class has_not_shown_two_years(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "Has not shown two years of continuous presence before the determination"
    reference = ("INA 235(b)(1)(A)(iii)(II)", "8 CFR 235.3(b)(1)(ii)")

    def formula(person: Population, period: Period, parameters: Parameters) -> Bools:
        limit = law(parameters, period).designable_max_presence_days
        return person("cp_days_before_determination", period) < limit


class statutory_designable(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "Within the class the Secretary may designate"
    reference = "INA 235(b)(1)(A)(iii)(II)"

    def formula(person: Population, period: Period, parameters: Parameters) -> Bools:
        return (
            ~person("was_admitted", period)
            & ~person("counts_as_paroled", period)
            & ~person("f_exception", period)
            & person("has_not_shown_two_years", period)
        )


class not_cuban_while_excepted(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "Not a Cuban national excepted from the designations"
    reference = "82 FR 4902"

    def formula(person: Population, period: Period, parameters: Parameters) -> Bools:
        excepted = law(parameters, period).cuba.designations_exception
        return ~(person("national_of_cuba", period) & excepted)


class designated_by_sea_2002(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "In the 2002 sea-arrival designation"
    reference = "67 FR 68924"

    def formula(person: Population, period: Period, parameters: Parameters) -> Bools:
        return (
            law(parameters, period).designations.sea_2002
            & person("arrived_by_sea", period)
            & person("not_cuban_while_excepted", period)
        )


class designated_by_land_2004(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "In the 2004 designation (100 air miles, 14 days)"
    reference = ("69 FR 48877", "69 FR 48880")

    def formula(person: Population, period: Period, parameters: Parameters) -> Bools:
        p = law(parameters, period)
        distance = person("encounter_distance_to_land_border_air_miles", period)
        presence = person("cp_days_before_encounter", period)
        return (
            p.designations.land_2004
            & person("entered_without_inspection", period)
            & (distance <= p.land_2004.max_air_miles_from_border)
            & (presence < p.land_2004.max_presence_days)
            & person("not_cuban_while_excepted", period)
        )


class designated_full_scope(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "In a full-scope designation (anywhere in the US, under two years)"
    reference = ("84 FR 35409", "90 FR 8139")

    def formula(person: Population, period: Period, parameters: Parameters) -> Bools:
        in_force = law(parameters, period).designations.full_scope
        return in_force & ~person("arrived_by_sea", period)


class er_for_designated_class(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "Expedited removal of a designated class"
    reference = ("INA 235(b)(1)(A)(iii)", "8 CFR 235.3(b)(1)(ii)")

    def formula(person: Population, period: Period, parameters: Parameters) -> Bools:
        designated = (
            person("designated_by_sea_2002", period)
            | person("designated_by_land_2004", period)
            | person("designated_full_scope", period)
        )
        return (
            person("statutory_designable", period)
            & person("charged_on_er_grounds", period)
            & designated
        )


# --- D3 and the exceptions ----------------------------------------------------------------


class age(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = int
    label = "Age in complete years on the day of the determination"

    def formula(person: Population, period: Period, parameters: Parameters) -> NDArray[np.int32]:
        born = person("date_of_birth", period)
        month_start = born.astype("datetime64[M]")
        birth_year = born.astype("datetime64[Y]").astype(np.int32) + 1970
        birth_month = month_start.astype(np.int32) % 12 + 1
        birth_day = (born - month_start).astype(np.int32) + 1
        day = period.start
        months = (day.year - birth_year) * 12 + (day.month - birth_month) - (day.day < birth_day)
        return months // 12


class is_verified_us_citizen(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "A verified US citizen"
    reference = "8 CFR 235.3(b)(5)(iv)"

    def formula(person: Population, period: Period, parameters: Parameters) -> Bools:
        verified_claim = (person("claimed_status", period) == ClaimedStatus.USC) & (
            person("claim_verification", period) == ClaimVerification.VERIFIED
        )
        return person("is_us_citizen", period) | verified_claim


class is_verified_protected_resident(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "A verified permanent resident, refugee or asylee"
    reference = "8 CFR 235.3(b)(5)(ii)-(iii)"

    def formula(person: Population, period: Period, parameters: Parameters) -> Bools:
        claimed = person("claimed_status", period)
        protected = (
            (claimed == ClaimedStatus.LPR)
            | (claimed == ClaimedStatus.REFUGEE)
            | (claimed == ClaimedStatus.ASYLEE)
        )
        return protected & (person("claim_verification", period) == ClaimVerification.VERIFIED)


class under_18(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "A child: under 18, or treated as one until an age determination"
    reference = ("6 U.S.C. 279(g)(2)(B)", "8 U.S.C. 1232(b)(4)")

    def formula(person: Population, period: Period, parameters: Parameters) -> Bools:
        position = person("age_determination", period)
        believed = position == AgeDetermination.REASON_TO_BELIEVE_UNDER_18
        adult = position == AgeDetermination.DETERMINED_ADULT
        return believed | (~adult & (person("age", period) < 18))


class parent_present_and_able(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "A parent or legal guardian in the US is available to provide care and custody"
    reference = "6 U.S.C. 279(g)(2)(C)"

    def formula(person: Population, period: Period, parameters: Parameters) -> Bools:
        return person("accompanied_by_parent_or_legal_guardian", period) | (
            person("parent_or_legal_guardian_in_us", period)
            & person("parent_or_guardian_available_to_provide_care_and_custody", period)
        )


class is_uac(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "An unaccompanied alien child"
    reference = "6 U.S.C. 279(g)(2)"

    def formula(person: Population, period: Period, parameters: Parameters) -> Bools:
        return (
            person("under_18", period)
            & ~person("has_lawful_immigration_status", period)
            & ~person("parent_present_and_able", period)
        )


# --- R1: availability, with its exceptions ------------------------------------------------


class expedited_removal_available(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "Expedited removal is available (DHS may use it; it may also choose section 240)"
    reference = ("INA 235(b)(1)(A)", "8 CFR 235.3(b)")

    def formula(person: Population, period: Period, parameters: Parameters) -> Bools:
        base = person("er_for_arriving_aliens", period) | person("er_for_designated_class", period)
        excepted = (
            person("is_uac", period)
            | person("vwp_applicant", period)
            | person("is_verified_us_citizen", period)
            | person("is_verified_protected_resident", period)
            | person("is_stowaway", period)
        )
        return base & ~excepted


RULES: list[type[Variable]] = [
    arrived_by_sea,
    entered_without_inspection,
    arrived_by_aircraft_at_poe,
    charged_on_er_grounds,
    citizen_or_native_of_cuba,
    citizen_of_venezuela,
    f_exception,
    cuba_air_regulatory_exception,
    paroled_at_port_still_arriving,
    parole_still_in_effect,
    is_arriving_alien,
    er_for_arriving_aliens,
    counts_as_paroled,
    has_not_shown_two_years,
    statutory_designable,
    not_cuban_while_excepted,
    designated_by_sea_2002,
    designated_by_land_2004,
    designated_full_scope,
    er_for_designated_class,
    age,
    is_verified_us_citizen,
    is_verified_protected_resident,
    under_18,
    parent_present_and_able,
    is_uac,
    expedited_removal_available,
]
"""Every formula variable; ``expedited_removal_available`` is the answer."""
