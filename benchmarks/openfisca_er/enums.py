"""Enumerated facts, with the same member names as Cruce's ``cruce.facts.case`` enums so that a
Cruce frame's string codes encode to them by name."""

from openfisca_core.indexed_enums import Enum


class EntryMode(Enum):
    """How the person arrived (Cruce docs/facts.md)."""

    LAND_AT_POE = "By land at a port of entry"
    LAND_BETWEEN_POES = "By land between ports of entry"
    SEA = "By sea"
    AIR_AT_POE = "By aircraft at a port of entry"
    INTERDICTED_AT_SEA_BROUGHT_IN = "Interdicted at sea and brought into the US"


class ParoleBasis(Enum):
    """Why parole was granted (Cruce docs/facts.md)."""

    ADVANCE_PAROLE_OBTAINED_IN_US = "Advance parole obtained in the US"
    BEFORE_1997_04_01 = "Paroled before 1997-04-01"
    POE_CASE_BY_CASE = "Case-by-case parole at a port of entry"
    CHNV = "The CHNV parole processes"
    PAROLE_PLUS_ATD_AFTER_EWI = "Parole+ATD after entry without inspection"
    OTHER = "Other"


class ClaimedStatus(Enum):
    """A status claimed during expedited-removal processing (Cruce docs/facts.md)."""

    NONE = "No status claimed"
    USC = "US citizen"
    LPR = "Lawful permanent resident"
    REFUGEE = "Refugee"
    ASYLEE = "Asylee"


class ClaimVerification(Enum):
    """The result of checking DHS systems for a claimed status (Cruce docs/facts.md)."""

    VERIFIED = "Verified"
    REFUTED = "Refuted"
    UNVERIFIABLE = "Unverifiable"


class AgeDetermination(Enum):
    """Where DHS stands on a person's age under 8 U.S.C. 1232(b)(4)."""

    NONE = "No position taken"
    REASON_TO_BELIEVE_UNDER_18 = "Reason to believe the person is under 18"
    DETERMINED_ADULT = "Determined an adult"


class Country(Enum):
    """A country of birth. The rule asks only about Cuba and Venezuela; the benchmark's data
    draws from these countries, and any other code is encoded as OTHER."""

    MX = "Mexico"
    GT = "Guatemala"
    HN = "Honduras"
    SV = "El Salvador"
    CU = "Cuba"
    VE = "Venezuela"
    HT = "Haiti"
    CA = "Canada"
    IN = "India"
    CN = "China"
    OTHER = "Any other country"


ENUMS: dict[str, type[Enum]] = {
    "entry_mode": EntryMode,
    "parole_basis": ParoleBasis,
    "claimed_status": ClaimedStatus,
    "claim_verification": ClaimVerification,
    "age_determination": AgeDetermination,
    "native_country": Country,
}
"""The enumerated input variables and their enums."""
