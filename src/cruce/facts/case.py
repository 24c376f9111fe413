"""The Case: the facts about one person (docs/facts.md), each possibly unknown.

Field names are the glossary's snake_case names (docs/facts.md). Its records ``parole`` and
``prior_removal_order`` are flattened (``parole_granted``, ``prior_removal_order_exists``...) so
that every fact is one column in the vectorised evaluator; the nested form is accepted on input.

Any fact may be omitted, ``null`` or ``unknown``: it is then unknown, never defaulted.
Dates are calendar dates; instants carry a UTC offset. A bare date given for an instant means
the start of that day in US Eastern time (instruments take effect at 00:00 local time:
docs/law/README.md#how-to-read-a-rule), and explanations say so.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, TypeVar, get_args, get_origin

import polars as pl
import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)
from pydantic_core import ErrorDetails

from cruce.engine.instants import EASTERN, INSTANT_YEARS, parse_instant, unknown_to_none
from cruce.engine.logic import Fact, FactKind


class CaseError(ValueError):
    """Bad case input: names the source, the field and what is valid."""


# --------------------------------------------------------------------------------------------
# Value types
# --------------------------------------------------------------------------------------------


@cache
def iso_country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes, read from the tz database's iso3166.tab (shipped by tzdata)."""
    text = resources.files("tzdata").joinpath("zoneinfo/iso3166.tab").read_text("utf-8")
    return frozenset(
        line.split("\t", 1)[0] for line in text.splitlines() if line and not line.startswith("#")
    )


def _country(value: Any) -> Any:
    value = unknown_to_none(value)
    if value is None:
        return None
    code = str(value).strip().upper()
    if code not in iso_country_codes():
        raise ValueError(
            f"{value!r} is not an ISO 3166-1 alpha-2 country code (for example MX, GT, HN, SV, "
            "CU, VE, CA)"
        )
    return code


def _date(value: Any) -> Any:
    value = unknown_to_none(value)
    if isinstance(value, dt.datetime):
        raise ValueError(f"{value.isoformat()} is a date-time; this fact is a calendar date")
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{value!r} is not a date YYYY-MM-DD") from None
    if isinstance(value, dt.date) and not INSTANT_YEARS[0] <= value.year < INSTANT_YEARS[1]:
        raise ValueError(
            f"{value.isoformat()} is outside the years {INSTANT_YEARS[0]}–{INSTANT_YEARS[1] - 1} "
            "a date may take"
        )
    return value


def _countries(value: Any) -> Any:
    value = unknown_to_none(value)
    if value is None:
        return None
    if isinstance(value, str):
        value = [part for part in value.replace(";", ",").split(",") if part.strip()]
    return frozenset(_country(code) for code in value)


def _enum_set(value: Any) -> Any:
    value = unknown_to_none(value)
    if isinstance(value, str):
        value = [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
    return value


Country = Annotated[str | None, BeforeValidator(_country)]
Countries = Annotated[frozenset[str] | None, BeforeValidator(_countries)]
InstantField = Annotated[dt.datetime | None, BeforeValidator(parse_instant)]
DateField = Annotated[dt.date | None, BeforeValidator(_date)]
Bool = Annotated[bool | None, BeforeValidator(unknown_to_none)]
NonNegativeInt = Annotated[Annotated[int, Field(ge=0)] | None, BeforeValidator(unknown_to_none)]
NonNegativeFloat = Annotated[
    Annotated[float, Field(ge=0, allow_inf_nan=False)] | None, BeforeValidator(unknown_to_none)
]


_Choice = TypeVar("_Choice", bound=enum.Enum)
# One of an enum's values, or unknown: ``OrUnknown[EntryMode]``.
OrUnknown = Annotated[_Choice | None, BeforeValidator(unknown_to_none)]


class EntryMode(enum.StrEnum):
    """How the person arrived (docs/facts.md)."""

    LAND_AT_POE = "LAND_AT_POE"
    LAND_BETWEEN_POES = "LAND_BETWEEN_POES"
    SEA = "SEA"
    AIR_AT_POE = "AIR_AT_POE"
    INTERDICTED_AT_SEA_BROUGHT_IN = "INTERDICTED_AT_SEA_BROUGHT_IN"


class ClaimedStatus(enum.StrEnum):
    """A status claimed during ER processing (docs/facts.md)."""

    NONE = "NONE"
    USC = "USC"
    LPR = "LPR"
    REFUGEE = "REFUGEE"
    ASYLEE = "ASYLEE"


class ClaimVerification(enum.StrEnum):
    """The result of checking DHS systems for a claimed status (docs/facts.md)."""

    VERIFIED = "VERIFIED"
    REFUTED = "REFUTED"
    UNVERIFIABLE = "UNVERIFIABLE"


class AgeDetermination(enum.StrEnum):
    """Where DHS stands on a person's age under 8 U.S.C. 1232(b)(4)."""

    NONE = "NONE"
    REASON_TO_BELIEVE_UNDER_18 = "REASON_TO_BELIEVE_UNDER_18"
    DETERMINED_ADULT = "DETERMINED_ADULT"


class ParoleBasis(enum.StrEnum):
    """Why parole was granted (docs/facts.md ``parole.basis``)."""

    ADVANCE_PAROLE_OBTAINED_IN_US = "ADVANCE_PAROLE_OBTAINED_IN_US"
    BEFORE_1997_04_01 = "BEFORE_1997_04_01"
    POE_CASE_BY_CASE = "POE_CASE_BY_CASE"
    CHNV = "CHNV"
    PAROLE_PLUS_ATD_AFTER_EWI = "PAROLE_PLUS_ATD_AFTER_EWI"
    OTHER = "OTHER"


class ContiguousCountry(enum.StrEnum):
    """The contiguous territory a land arrival came from (docs/facts.md)."""

    MX = "MX"
    CA = "CA"
    NONE = "NONE"


class MppFearScreeningResult(enum.StrEnum):
    """The MPP non-refoulement screen by its standard (docs/facts.md)."""

    NONE = "NONE"
    POSITIVE_2019_STANDARD = "POSITIVE_2019_STANDARD"
    POSITIVE_2021_STANDARD = "POSITIVE_2021_STANDARD"
    NEGATIVE = "NEGATIVE"


class MayorkasAssessment(enum.StrEnum):
    """The Mayorkas public-safety totality assessment (docs/facts.md)."""

    CURRENT_THREAT = "CURRENT_THREAT"
    NOT_CURRENT_THREAT = "NOT_CURRENT_THREAT"
    NOT_ASSESSED = "NOT_ASSESSED"


class InadmissibilityGround(enum.StrEnum):
    """Grounds of inadmissibility under INA 212(a) (docs/facts.md)."""

    I212a6Ci_FRAUD_MISREP = "I212a6Ci_FRAUD_MISREP"
    I212a6Cii_FALSE_CLAIM_USC = "I212a6Cii_FALSE_CLAIM_USC"
    I212a7A_IMMIGRANT_NO_VALID_DOCS = "I212a7A_IMMIGRANT_NO_VALID_DOCS"
    I212a7B_NONIMMIGRANT_NO_VALID_DOCS = "I212a7B_NONIMMIGRANT_NO_VALID_DOCS"
    I212a6Ai_PRESENT_WITHOUT_ADMISSION = "I212a6Ai_PRESENT_WITHOUT_ADMISSION"
    I212a2_CRIMINAL = "I212a2_CRIMINAL"
    I212a3_SECURITY = "I212a3_SECURITY"
    I212a9_PRIOR_REMOVAL = "I212a9_PRIOR_REMOVAL"
    OTHER = "OTHER"


class ConvictionCategory(enum.StrEnum):
    DOMESTIC_VIOLENCE = "DOMESTIC_VIOLENCE"
    SEXUAL_ABUSE_OR_EXPLOITATION = "SEXUAL_ABUSE_OR_EXPLOITATION"
    BURGLARY = "BURGLARY"
    UNLAWFUL_FIREARM_POSSESSION_OR_USE = "UNLAWFUL_FIREARM_POSSESSION_OR_USE"
    DRUG_DISTRIBUTION_OR_TRAFFICKING = "DRUG_DISTRIBUTION_OR_TRAFFICKING"
    DUI = "DUI"
    MINOR_TRAFFIC = "MINOR_TRAFFIC"
    OTHER = "OTHER"


# Johnson 2(b) "significant misdemeanor" categories [S S18d]; 90 days custody [UNCONFIRMED].
SIGNIFICANT_MISDEMEANOR_CATEGORIES = frozenset(ConvictionCategory) - {
    ConvictionCategory.MINOR_TRAFFIC,
    ConvictionCategory.OTHER,
}
SIGNIFICANT_CUSTODY_DAYS = 90


class Conviction(BaseModel):
    """One conviction (``convictions``); a case's convictions fill its summary facts."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: dt.date | None = None
    is_felony_in_convicting_jurisdiction: bool = False
    is_aggravated_felony_101a43: bool = False
    element_active_gang_participation_18usc521a: bool = False
    immigration_status_essential_element: bool = False
    is_misdemeanor: bool = False
    category: ConvictionCategory = ConvictionCategory.OTHER
    custodial_sentence_days_excluding_suspended: int = Field(default=0, ge=0)
    incident_id: str | None = None


def _convictions(records: list[Any]) -> list[Conviction]:
    parsed = []
    for i, record in enumerate(records):
        try:
            parsed.append(Conviction.model_validate(record))
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(map(str, first["loc"]))
            raise ValueError(f"convictions[{i}].{where}: {first['msg']}") from None
    return parsed


def conviction_summary(convictions: list[Conviction]) -> dict[str, Any]:
    """The summary facts the priority schemes read, from a list of convictions."""
    misdemeanors = [
        c for c in convictions if c.is_misdemeanor and not c.immigration_status_essential_element
    ]
    counted = [c for c in misdemeanors if c.category is not ConvictionCategory.MINOR_TRAFFIC]
    incidents = {c.incident_id or f"#{i}" for i, c in enumerate(counted)}
    return {
        "convicted_of_any_crime": bool(convictions),
        "convicted_of_felony_status_not_essential_element": any(
            c.is_felony_in_convicting_jurisdiction and not c.immigration_status_essential_element
            for c in convictions
        ),
        "convicted_of_aggravated_felony": any(c.is_aggravated_felony_101a43 for c in convictions),
        "convicted_of_gang_offense_18usc521a": any(
            c.element_active_gang_participation_18usc521a for c in convictions
        ),
        "convicted_of_significant_misdemeanor": any(
            c.category in SIGNIFICANT_MISDEMEANOR_CATEGORIES
            or c.custodial_sentence_days_excluding_suspended >= SIGNIFICANT_CUSTODY_DAYS
            for c in misdemeanors
        ),
        "misdemeanor_incidents_excluding_minor_traffic": len(incidents),
    }


Grounds = Annotated[frozenset[InadmissibilityGround] | None, BeforeValidator(_enum_set)]

# The glossary's records, flattened to one column per fact.
_RECORDS = {
    "parole": {
        "granted": "parole_granted",
        "date": "parole_date",
        "at_poe": "parole_at_poe",
        "basis": "parole_basis",
        "terminated_on": "parole_terminated_on",
        "in_effect": "parole_in_effect",
    },
    "prior_removal_order": {
        "exists": "prior_removal_order_exists",
        "date": "prior_removal_order_date",
    },
}


class Case(BaseModel):
    """Facts about one person, as far as they are known (docs/facts.md). Unknown is ``None``."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)

    # Identity, nationality and status
    nationalities: Countries = None
    native_country: Country = None
    habitual_residence_country: Country = None
    date_of_birth: DateField = None
    is_us_citizen: Bool = None
    claimed_status: OrUnknown[ClaimedStatus] = None
    claim_under_oath: Bool = None
    claim_verification: OrUnknown[ClaimVerification] = None
    has_lawful_immigration_status: Bool = None
    was_admitted: Bool = None
    vwp_applicant: Bool = None
    admitted_under_vwp: Bool = None
    parole_granted: Bool = None
    parole_date: DateField = None
    parole_at_poe: Bool = None
    parole_basis: OrUnknown[ParoleBasis] = None
    parole_terminated_on: DateField = None
    parole_in_effect: Bool = None
    # Arrival, entry and encounter
    entry_mode: OrUnknown[EntryMode] = None
    last_entry_date: DateField = None
    is_stowaway: Bool = None
    is_crewman: Bool = None
    crewman_landing_permit_revoked: Bool = None
    encounter_datetime: InstantField = None
    determination_datetime: InstantField = None
    encounter_distance_to_land_border_air_miles: NonNegativeFloat = None
    encountered_upon_arrival_at_or_near_border: Bool = None
    contiguous_country_arrived_from: OrUnknown[ContiguousCountry] = None
    # Continuous presence, as shown to the officer's satisfaction (a bare claim is 0 days);
    # either as day counts or as the date since which presence is shown.
    cp_days_established_before_determination: NonNegativeInt = None
    cp_days_established_before_encounter: NonNegativeInt = None
    continuous_presence_established_since: DateField = None
    # Inadmissibility and processing history
    inadmissibility_grounds: Grounds = None
    dhs_charging_other_grounds: Bool = None
    documentary_requirements_waived: Bool = None
    prior_removal_order_exists: Bool = None
    prior_removal_order_date: DateField = None
    reentered_illegally_after_removal: Bool = None
    processed_for_expedited_removal: Bool = None
    final_order_of_removal_date: DateField = None
    failed_to_depart_under_final_order: Bool = None
    prior_immigration_violations: Bool = None
    # Children and family
    parent_or_legal_guardian_in_us: Bool = None
    parent_or_guardian_available_to_provide_care_and_custody: Bool = None
    accompanied_by_parent_or_legal_guardian: Bool = None
    trafficking_victim_or_credible_risk: Bool = None
    child_credible_fear_of_return: Bool = None
    child_able_to_decide_withdrawal_independently: Bool = None
    hours_since_apprehension: NonNegativeFloat = None
    age_determination: OrUnknown[AgeDetermination] = None
    # Protection claims
    expressed_fear_or_asylum_intent: Bool = None
    fear_of_return_to_mexico: Bool = None
    mpp_fear_screening_result: OrUnknown[MppFearScreeningResult] = None
    # Criminal history and conduct, summarised (the `convictions` records: see docs/facts.md)
    convicted_of_any_crime: Bool = None
    convicted_of_felony_status_not_essential_element: Bool = None
    convicted_of_aggravated_felony: Bool = None
    convicted_of_gang_offense_18usc521a: Bool = None
    convicted_of_significant_misdemeanor: Bool = None
    misdemeanor_incidents_excluding_minor_traffic: NonNegativeInt = None
    pending_criminal_charges: Bool = None
    committed_chargeable_criminal_acts: Bool = None
    intentional_gang_participation_age16plus: Bool = None
    terrorism_or_espionage_engaged_or_suspected: Bool = None
    otherwise_danger_to_national_security: Bool = None
    fraud_or_willful_misrep_before_government_agency: Bool = None
    public_benefits_program_abuse: Bool = None
    significant_visa_or_vwp_abuse: Bool = None
    apprehended_at_border_or_poe_attempting_unlawful_entry: Bool = None
    apprehended_attempting_unlawful_entry_on: DateField = None
    released_from_incarceration_on: DateField = None
    officer_judges_public_safety_or_natsec_risk: Bool = None
    mayorkas_public_safety_assessment: OrUnknown[MayorkasAssessment] = None
    physically_present_since_2014_01_01: Bool = None
    physically_present_before_2020_11_01: Bool = None
    unlawful_entry_date: DateField = None
    daca_recipient: Bool = None
    # docs/facts.md MPP-specific facts
    returning_lpr_seeking_admission: Bool = None
    has_advance_parole_document_or_in_parole_status: Bool = None
    known_physical_or_mental_health_issue: Bool = None
    criminal_or_violence_history: Bool = None
    gov_of_mexico_or_usg_interest: Bool = None
    port_director_exclusion: Bool = None
    vulnerable_exclusion_2021: Bool = None
    mpp_operating_at_location: Bool = None
    mexico_accepting_returns: Bool = None

    @model_validator(mode="before")
    @classmethod
    def _flatten_records(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        convictions = data.pop("convictions", None)
        if convictions is not None:
            if not isinstance(convictions, list):
                raise ValueError("convictions must be a list of conviction records")
            summary = conviction_summary(_convictions(convictions))
            clash = sorted(set(summary) & set(data))
            if clash:
                raise ValueError(
                    f"give convictions either as a list or as the summary facts {clash}, not both"
                )
            data.update(summary)
        for record, fields in _RECORDS.items():
            nested = data.pop(record, None)
            if nested is None:
                continue
            if not isinstance(nested, dict):
                raise ValueError(f"{record} must be a mapping with keys {sorted(fields)}")
            for key, value in nested.items():
                if key not in fields:
                    raise ValueError(
                        f"{record}.{key} is not a known field; valid: {', '.join(sorted(fields))}"
                    )
                data[fields[key]] = value
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Case:
        entry = self.last_entry_date
        born = self.date_of_birth
        later = {
            "last_entry_date": entry,
            "encounter_datetime": self.encounter_datetime and instant_date(self.encounter_datetime),
            "determination_datetime": self.determination_datetime
            and instant_date(self.determination_datetime),
        }
        for name, day in later.items():
            if born is not None and day is not None and born > day:
                raise ValueError(f"date_of_birth {born} is after {name} {day}: no one acts unborn")
        for name in ("encounter_datetime", "determination_datetime"):
            instant = getattr(self, name)
            if entry is not None and instant is not None and instant_date(instant) < entry:
                raise ValueError(
                    f"last_entry_date {entry} is after {name} {instant_date(instant)}: a person "
                    "is encountered and decided on only after entering"
                )
        if (
            self.encounter_datetime is not None
            and self.determination_datetime is not None
            and self.determination_datetime < self.encounter_datetime
        ):
            raise ValueError(
                "determination_datetime is before encounter_datetime: the determination of "
                "inadmissibility follows the encounter"
            )
        if (
            self.cp_days_established_before_determination is not None
            and self.continuous_presence_established_since is not None
        ):
            raise ValueError(
                "give continuous presence either as cp_days_established_before_determination or "
                "as continuous_presence_established_since, not both"
            )
        return self

    # ----------------------------------------------------------------------------------------

    def facts(self) -> dict[str, Any]:
        """The facts as plain values for the per-case evaluator (enums as their codes)."""
        out: dict[str, Any] = {}
        for name in FACT_KINDS:
            value = getattr(self, name)
            if isinstance(value, enum.Enum):
                value = value.value
            elif isinstance(value, frozenset):
                value = frozenset(getattr(v, "value", v) for v in value)
            out[name] = value
        return out

    def shifted(self, delta: dt.timedelta) -> Case:
        """The same person moved in time: every date and instant moves by ``delta``, so that
        durations (presence, age, days since entry) are unchanged."""
        days = dt.timedelta(days=round(delta.total_seconds() / 86400))
        updates: dict[str, Any] = {}
        for name, kind in FACT_KINDS.items():
            value = getattr(self, name)
            if value is None:
                continue
            if kind is FactKind.INSTANT:
                updates[name] = value + delta
            elif kind is FactKind.DATE:
                updates[name] = value + days
        return self.model_copy(update=updates)


def instant_date(instant: dt.datetime) -> dt.date:
    return instant.astimezone(EASTERN).date()


def _kind_of(annotation: Any) -> FactKind:
    base = get_args(annotation)[0] if get_origin(annotation) is Annotated else annotation
    members = set(get_args(base)) - {type(None)}
    (python_type,) = members
    if get_origin(python_type) is Annotated:
        python_type = get_args(python_type)[0]
    if get_origin(python_type) is frozenset:
        return FactKind.SET
    if isinstance(python_type, type) and issubclass(python_type, enum.Enum):
        return FactKind.ENUM
    return {
        bool: FactKind.BOOL,
        int: FactKind.INT,
        float: FactKind.FLOAT,
        dt.date: FactKind.DATE,
        dt.datetime: FactKind.INSTANT,
        str: FactKind.ENUM,
    }[python_type]


FACT_KINDS: dict[str, FactKind] = {
    name: _kind_of(field.annotation) for name, field in Case.model_fields.items()
}

POLARS_TYPES: dict[FactKind, pl.DataType] = {
    FactKind.BOOL: pl.Boolean(),
    FactKind.INT: pl.Int64(),
    FactKind.FLOAT: pl.Float64(),
    FactKind.DATE: pl.Date(),
    FactKind.INSTANT: pl.Datetime("us", "UTC"),
    FactKind.ENUM: pl.String(),
    FactKind.SET: pl.List(pl.String()),
}


def _enum_in(annotation: Any) -> type[enum.Enum] | None:
    for arg in get_args(annotation):
        if isinstance(arg, type) and issubclass(arg, enum.Enum):
            return arg
        found = _enum_in(arg)
        if found is not None:
            return found
    return None


def enum_of(name: str) -> type[enum.Enum] | None:
    """The enumeration a fact's values come from, if any."""
    return _enum_in(Case.model_fields[name].annotation)


def fact(name: str) -> Fact:
    """A reference to a Case fact, for the law modules; a typo fails at import time."""
    if name not in FACT_KINDS:
        close = difflib.get_close_matches(name, FACT_KINDS, n=3)
        raise KeyError(f"no Case fact {name!r}; did you mean {close}?")
    return Fact(name, FACT_KINDS[name])


# A person with no status, admission, parole or claim — where synthetic and example cases start.
NO_STATUS = {
    "is_us_citizen": False,
    "claimed_status": "NONE",
    "has_lawful_immigration_status": False,
    "was_admitted": False,
    "vwp_applicant": False,
    "admitted_under_vwp": False,
    "parole_granted": False,
    "is_stowaway": False,
    "is_crewman": False,
}


def frame_schema() -> dict[str, pl.DataType]:
    """The Polars schema of a DataFrame of cases: one column per fact, null = unknown."""
    return {name: POLARS_TYPES[kind] for name, kind in FACT_KINDS.items()}


def fact_codes(name: str) -> list[str]:
    """The codes an enum or set fact can take (ISO 3166-1 alpha-2 codes for countries)."""
    found = enum_of(name)
    return [member.value for member in found] if found else sorted(iso_country_codes())


def coded_frame_schema() -> dict[str, pl.DataType]:
    """``frame_schema`` with every enum fact a Polars Enum of its codes and every set fact a
    list of them: small integers underneath, so the compiled rules compare numbers, not text."""
    schema = frame_schema()
    for name, kind in FACT_KINDS.items():
        if kind is FactKind.ENUM:
            schema[name] = pl.Enum(fact_codes(name))
        elif kind is FactKind.SET:
            schema[name] = pl.List(pl.Enum(fact_codes(name)))
    return schema


def coded(frame: pl.DataFrame) -> pl.DataFrame:
    """A frame of cases with its enum and set facts as codes (``coded_frame_schema``); the
    same answers, several times faster to decide. A value that is no code is refused."""
    schema = coded_frame_schema()
    present = [n for n in frame.columns if n in schema and frame.schema[n] != schema[n]]
    try:
        return frame.with_columns(pl.col(name).cast(schema[name]) for name in present)
    except pl.exceptions.InvalidOperationError:
        for name in present:
            values = frame.get_column(name)
            flat = values.explode() if isinstance(values.dtype, pl.List) else values
            codes = fact_codes(name)
            bad = sorted(set(flat.drop_nulls().cast(pl.String).unique()) - set(codes))
            if bad:
                listed = ", ".join(codes[:40]) + (" …" if len(codes) > 40 else "")
                raise CaseError(
                    f"column {name!r}: {', '.join(map(repr, bad[:5]))} is not a valid code; "
                    f"valid: {listed}"
                ) from None
        raise


def cases_frame(cases: list[Case]) -> pl.DataFrame:
    """Cases as a DataFrame for the vectorised evaluator."""
    rows = []
    for case in cases:
        row = case.facts()
        rows.append({k: sorted(v) if isinstance(v, frozenset) else v for k, v in row.items()})
    return pl.DataFrame(rows, schema=frame_schema(), orient="row" if not rows else None)


# --------------------------------------------------------------------------------------------
# Reading cases
# --------------------------------------------------------------------------------------------


def _describe(error: ErrorDetails) -> str:
    location = ".".join(str(part) for part in error["loc"]) or "(case)"
    if error["type"] == "extra_forbidden":
        name = str(error["loc"][-1])
        close = difflib.get_close_matches(name, FACT_KINDS, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        return (
            f"field {location!r}: not a known fact{hint} (the fact names are listed in "
            "docs/facts.md and by `cruce facts`)"
        )
    message = error["msg"].removeprefix("Value error, ")
    return f"field {location!r}: {message}" if error["loc"] else message


def parse_case(data: Any, source: str = "case") -> Case:
    """Validate a mapping as a Case, or raise CaseError naming the source and each bad field."""
    if not isinstance(data, dict):
        raise CaseError(f"{source}: a case must be a mapping of fact names to values")
    try:
        return Case.model_validate(data)
    except ValidationError as error:
        lines = [_describe(e) for e in error.errors()]
        raise CaseError(f"{source}: " + "; ".join(lines)) from None


def load_case(path: str | Path) -> Case:
    """Read a case from a YAML or JSON file (a top-level ``case:`` key is accepted)."""
    path = Path(path)
    try:
        text = path.read_text("utf-8")
    except OSError as error:
        raise CaseError(f"{path}: cannot read the case file ({error.strerror})") from None
    try:
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (yaml.YAMLError, json.JSONDecodeError) as error:
        raise CaseError(f"{path}: not valid YAML or JSON: {error}") from None
    except RecursionError:
        raise CaseError(f"{path}: nested too deeply to read (a case is a flat mapping)") from None
    if isinstance(data, dict) and "case" in data:
        data = data["case"]
    return parse_case(data, str(path))
