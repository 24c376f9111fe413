"""The three people of issue 13 as the screener's form receives them (one home for the tests and
the README's pictures): the Honduran mother who asks for asylum at the border, the Mexican man
encountered in Chicago, the unaccompanied Guatemalan child. Values are the form's text."""

from __future__ import annotations

HONDURAN_MOTHER = {
    "decide_at": "2025-06-10",
    "nationalities": ["HN"],
    "native_country": "HN",
    "habitual_residence_country": "HN",
    "date_of_birth": "1995-03-02",
    "is_us_citizen": "false",
    "has_lawful_immigration_status": "false",
    "was_admitted": "false",
    "entry_mode": "LAND_BETWEEN_POES",
    "last_entry_date": "2025-06-03",
    "encounter_datetime": "2025-06-03",
    "encounter_distance_to_land_border_air_miles": "2",
    "encountered_upon_arrival_at_or_near_border": "true",
    "contiguous_country_arrived_from": "MX",
    "continuous_presence_established_since": "none",
    "expressed_fear_or_asylum_intent": "true",
    "fear_of_return_to_mexico": "true",
}
CHICAGO_MAN = {
    "decide_at": "2025-09-01",
    "nationalities": ["MX"],
    "native_country": "MX",
    "date_of_birth": "1988-11-20",
    "is_us_citizen": "false",
    "was_admitted": "false",
    "entry_mode": "LAND_BETWEEN_POES",
    "last_entry_date": "2024-03-01",
    "encounter_datetime": "2025-08-15",
    "encounter_distance_to_land_border_air_miles": "1400",
    "encountered_upon_arrival_at_or_near_border": "false",
    "continuous_presence_established_since": "none",
}
GUATEMALAN_CHILD = {
    "decide_at": "2025-06-10",
    "nationalities": ["GT"],
    "native_country": "GT",
    "date_of_birth": "2009-01-15",
    "is_us_citizen": "false",
    "was_admitted": "false",
    "entry_mode": "LAND_BETWEEN_POES",
    "encounter_datetime": "2025-06-09",
    "encountered_upon_arrival_at_or_near_border": "true",
    "accompanied_by_parent_or_legal_guardian": "false",
    "parent_or_legal_guardian_in_us": "false",
}
PEOPLE = {"mother": HONDURAN_MOTHER, "chicago": CHICAGO_MAN, "child": GUATEMALAN_CHILD}
