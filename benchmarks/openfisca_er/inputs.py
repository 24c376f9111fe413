"""Input variables: the facts the expedited-removal rule reads, one OpenFisca variable each.

OpenFisca has no set-valued or unknown values, so two of Cruce's facts are stated differently:

- ``nationalities`` (a set of countries) becomes one boolean per nationality the rule asks
  about (``national_of_cuba``, ``national_of_venezuela``);
- ``inadmissibility_grounds`` (a set of grounds) becomes one boolean per ground expedited
  removal may charge (``inadmissible_212a6Ci`` … ``inadmissible_212a7B``);

and continuous presence, which Cruce accepts as a day count *or* as the date since which it is
shown (whichever is known), is given here as the day count only.

OpenFisca reads a variable's attributes from its own class only (not from base classes), so
each states its entity and period. Every fact is stated for the day of the determination.
"""

import datetime as dt

from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DateUnit
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

# --- Entry and encounter ------------------------------------------------------------------


class entry_mode(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = Enum
    possible_values = EntryMode
    default_value = EntryMode.LAND_BETWEEN_POES
    label = "How the person arrived"


class encountered_upon_arrival_at_or_near_border(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "Encountered upon arrival, at or near the border"


class encounter_distance_to_land_border_air_miles(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = float
    label = "Distance of the encounter from the US international land border, in air miles"


class cp_days_before_determination(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = int
    label = "Days of continuous presence shown immediately before the determination"
    reference = "INA 235(b)(1)(A)(iii)(II); 8 CFR 235.3(b)(1)(ii)"


class cp_days_before_encounter(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = int
    label = "Days of continuous presence shown immediately before the encounter"
    reference = "69 FR 48880"


# --- Status, parole and charges -----------------------------------------------------------


class was_admitted(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "Was admitted to the US"


class parole_granted(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "Was paroled"


class parole_at_poe(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "The parole was granted at a port of entry"


class parole_basis(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = Enum
    possible_values = ParoleBasis
    default_value = ParoleBasis.OTHER
    label = "Why parole was granted"


class parole_in_effect(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "The parole is still in effect (not expired or terminated)"
    reference = "INA 212(d)(5)(A)"


class inadmissible_212a6Ci(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "Charged under INA 212(a)(6)(C)(i): fraud or misrepresentation"


class inadmissible_212a6Cii(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "Charged under INA 212(a)(6)(C)(ii): false claim to US citizenship"


class inadmissible_212a7A(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "Charged under INA 212(a)(7)(A): immigrant without valid documents"


class inadmissible_212a7B(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "Charged under INA 212(a)(7)(B): nonimmigrant without valid documents"


class documentary_requirements_waived(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "Documentary requirements were waived"


class vwp_applicant(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "An applicant under the Visa Waiver Program"


class is_stowaway(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "A stowaway"


# --- Identity and citizenship -------------------------------------------------------------


class national_of_cuba(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "A citizen of Cuba (Cuba is among the person's nationalities)"


class national_of_venezuela(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "A citizen of Venezuela (Venezuela is among the person's nationalities)"


class native_country(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = Enum
    possible_values = Country
    default_value = Country.OTHER
    label = "Country of birth"


class date_of_birth(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = dt.date
    label = "Date of birth"


class is_us_citizen(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "A US citizen"


class claimed_status(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = Enum
    possible_values = ClaimedStatus
    default_value = ClaimedStatus.NONE
    label = "The status the person claims"


class claim_verification(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = Enum
    possible_values = ClaimVerification
    default_value = ClaimVerification.UNVERIFIABLE
    label = "The result of checking DHS systems for the claimed status"


# --- A child's circumstances --------------------------------------------------------------


class age_determination(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = Enum
    possible_values = AgeDetermination
    default_value = AgeDetermination.NONE
    label = "Where DHS stands on the person's age (8 U.S.C. 1232(b)(4))"


class has_lawful_immigration_status(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "Has lawful immigration status in the US"


class accompanied_by_parent_or_legal_guardian(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "Accompanied by a parent or legal guardian"


class parent_or_legal_guardian_in_us(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "A parent or legal guardian is in the US"


class parent_or_guardian_available_to_provide_care_and_custody(Variable):
    entity = Person
    definition_period = DateUnit.DAY
    value_type = bool
    label = "That parent or guardian is available to provide care and physical custody"


INPUTS: list[type[Variable]] = [
    entry_mode,
    encountered_upon_arrival_at_or_near_border,
    encounter_distance_to_land_border_air_miles,
    cp_days_before_determination,
    cp_days_before_encounter,
    was_admitted,
    parole_granted,
    parole_at_poe,
    parole_basis,
    parole_in_effect,
    inadmissible_212a6Ci,
    inadmissible_212a6Cii,
    inadmissible_212a7A,
    inadmissible_212a7B,
    documentary_requirements_waived,
    vwp_applicant,
    is_stowaway,
    national_of_cuba,
    national_of_venezuela,
    native_country,
    date_of_birth,
    is_us_citizen,
    claimed_status,
    claim_verification,
    age_determination,
    has_lawful_immigration_status,
    accompanied_by_parent_or_legal_guardian,
    parent_or_legal_guardian_in_us,
    parent_or_guardian_available_to_provide_care_and_custody,
]
"""Every input variable, in the order the benchmark sets them."""
