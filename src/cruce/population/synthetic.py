"""A synthetic unauthorized population from published marginals, calibrated by raking.

The published tables (``cruce/data``) give marginals, never a joint distribution: the total,
the top countries of birth, the top states, the period of entry (DHS, January 2011–2012; each
row with its source). The builder draws N persons from those marginals independently, then
rakes (iterative proportional fitting) the weights so that every marginal is met exactly, and
reports its control totals against the result.

Everything the tables do not say is a named assumption in ``Assumptions`` — who entered without
inspection, who can document their presence, who lives within 100 air miles of the land border,
the share of minors — with its default and why, to be changed by the user. Time in the US is
kept as published relative to the evaluation instant (a stationary stock): the person whose
entry the table puts 3 years before its reference date entered 3 years before the instant.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
import polars as pl

from cruce.engine.logic import eastern_date
from cruce.facts.case import frame_schema

FrameT = TypeVar("FrameT", pl.DataFrame, pl.LazyFrame)
OTHER = "Other"
# Countries of the DHS top-10 table, as ISO 3166-1 alpha-2 codes ("Korea" is South Korea).
COUNTRY_CODES = {
    "Mexico": "MX",
    "El Salvador": "SV",
    "Guatemala": "GT",
    "Honduras": "HN",
    "Philippines": "PH",
    "India": "IN",
    "Korea": "KR",
    "China": "CN",
    "Ecuador": "EC",
    "Vietnam": "VN",
}
# DHS period-of-entry categories (January 2011) as years in the US at the reference date.
ENTRY_BANDS = {
    "entered 2005 or later": (0.0, 6.0),
    "entered 2000-2004": (6.0, 11.0),
    "entered 1995-1999": (11.0, 16.0),
    "entered 1990-1994": (16.0, 21.0),
    "entered 1980-1989": (21.0, 31.0),
}
REFERENCES = {"country": "2012-01-01", "state": "2012-01-01", "period": "2011-01-01"}
ESTIMATOR = "DHS OIS"


@dataclass(frozen=True)
class Assumptions:
    """What the published tables do not say, as parameters (defaults and reasons below)."""

    # Share who entered without inspection (the rest were admitted and overstayed). No table
    # shipped gives it; about 6 in 10 is the order of magnitude commonly cited for the stock.
    share_entered_without_inspection: float = 0.6
    # Share who could show an officer continuous presence since their entry; the rest can show
    # none (a bare claim counts as 0). What documents suffice is unconfirmed
    # (docs/law/open-questions.md#continuous-presence-evidence).
    share_presence_documentable: float = 0.5
    # Share of each state's residents within 100 air miles of the land border (Mexico or
    # Canada); other states: ``share_within_100_miles_elsewhere``. Rough geography, not data.
    share_within_100_miles: dict[str, float] = field(
        default_factory=lambda: {
            "California": 0.35,
            "Texas": 0.45,
            "Arizona": 0.6,
            "New Mexico": 0.5,
            "Washington": 0.3,
            "New York": 0.15,
            "Michigan": 0.3,
        }
    )
    share_within_100_miles_elsewhere: float = 0.02
    # Share under 18; children are taken to live with a parent able to care for them.
    share_minors: float = 0.07

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def with_settings(self, settings: dict[str, float]) -> Assumptions:
        """These assumptions with some shares changed (each checked: a known name, 0 to 1)."""
        for name, value in settings.items():
            check_share(name, value)
        return dataclasses.replace(self, **settings)

    def label(self) -> str:
        """Every settable share as NAME=VALUE, the key of a run in a sweep's tables."""
        return "; ".join(f"{name}={getattr(self, name):g}" for name in SETTABLE)

    def described(self) -> list[str]:
        """Lines naming every share, for printing beside a result and on its chart."""
        states = ", ".join(f"{k} {v:g}" for k, v in self.share_within_100_miles.items())
        return [f"Assumptions: {self.label()}", f"Share within 100 air miles by state: {states}"]


# The shares a user can set (``--assume NAME=VALUE``); the per-state geography stays a table.
SETTABLE = {
    "share_entered_without_inspection": "entered without inspection",
    "share_presence_documentable": "can document continuous presence",
    "share_within_100_miles_elsewhere": "within 100 air miles, states not listed",
    "share_minors": "under 18",
}


class AssumptionError(ValueError):
    """A setting that names no assumption or gives a value outside 0 to 1."""


def check_share(name: str, value: float) -> None:
    if name not in SETTABLE:
        raise AssumptionError(f"no assumption {name!r}; valid: {', '.join(SETTABLE)}")
    if not (isinstance(value, int | float) and 0.0 <= value <= 1.0):  # NaN fails both tests
        raise AssumptionError(f"{name}={value!r}: a share must be a number from 0 to 1")


def parse_setting(text: str) -> tuple[str, float]:
    """``NAME=VALUE`` as given on the command line."""
    name, equals, value = text.partition("=")
    if not equals:
        raise AssumptionError(f"{text!r}: write NAME=VALUE, e.g. share_presence_documentable=0.8")
    try:
        number = float(value)
    except ValueError:
        raise AssumptionError(f"{text!r}: {value!r} is not a number") from None
    check_share(name.strip(), number)
    return name.strip(), number


def parse_sweep(text: str) -> tuple[str, list[float]]:
    """``NAME=START:STOP:STEP`` (STOP included) as the values to run one after another."""
    name, equals, spec = text.partition("=")
    parts = spec.split(":")
    if not equals or len(parts) != 3:
        raise AssumptionError(
            f"{text!r}: write NAME=START:STOP:STEP, e.g. {next(iter(SETTABLE))}=0:1:0.25"
        )
    try:
        start, stop, step = (float(p) for p in parts)
    except ValueError:
        raise AssumptionError(f"{text!r}: START, STOP and STEP must be numbers") from None
    if not step > 0 or stop < start:
        raise AssumptionError(f"{text!r}: STEP must be positive and STOP not below START")
    count = round((stop - start) / step) + 1
    if count > 21:
        raise AssumptionError(f"{text!r}: {count} values; a sweep runs at most 21")
    values = [round(start + i * step, 10) for i in range(count)]
    for value in values:
        check_share(name.strip(), value)
    return name.strip(), values


@dataclass(frozen=True)
class Controls:
    """The marginals the weights are raked to, each from a published table row."""

    total: float
    country: dict[str, float]
    state: dict[str, float]
    period: dict[str, float]
    sources: list[str]


def _rows(table: pl.DataFrame, reference: str) -> pl.DataFrame:
    return table.filter(
        (pl.col("estimator") == ESTIMATOR) & (pl.col("reference_date").cast(pl.String) == reference)
    )


def default_controls() -> Controls:
    """DHS OIS January 2012 (countries, states) and January 2011 (period of entry)."""
    from cruce.population.calibration import load_table

    countries = _rows(load_table("unauthorized_population_by_country"), REFERENCES["country"])
    total = float(
        countries.filter(pl.col("country_of_birth") == "ALL COUNTRIES")
        .get_column("unauthorized_population")
        .item()
    )
    named = countries.filter(pl.col("country_of_birth").is_in(list(COUNTRY_CODES)))
    country = dict(
        zip(named["country_of_birth"], map(float, named["unauthorized_population"]), strict=True)
    )
    country[OTHER] = total - sum(country.values())
    states = _rows(load_table("unauthorized_population_by_state"), REFERENCES["state"])
    states = states.filter(pl.col("unauthorized_population").is_not_null())
    state = dict(zip(states["state"], map(float, states["unauthorized_population"]), strict=True))
    state[OTHER] = total - sum(state.values())
    periods = _rows(load_table("unauthorized_population_duration"), REFERENCES["period"]).filter(
        (pl.col("measure") == "period_of_entry") & pl.col("category").is_in(list(ENTRY_BANDS))
    )
    published = dict(zip(periods["category"], map(float, periods["value"]), strict=True))
    scale = total / sum(published.values())  # the bands sum to 11.4M; scale to the total
    period = {name: value * scale for name, value in published.items()}
    sources = sorted(set(countries["source"]) | set(states["source"]) | set(periods["source"]))
    return Controls(total, country, state, period, sources)


def rake(
    frame: pl.DataFrame, controls: dict[str, dict[str, float]], iterations: int = 50
) -> pl.Series:
    """Iterative proportional fitting: weights whose sums by each column match its control."""
    weights = np.ones(frame.height)
    margins = [_coded(frame.get_column(column), targets) for column, targets in controls.items()]
    for _ in range(iterations):
        worst = 0.0
        for codes, targets in margins:
            # One weighted count per category (the last bin holds rows outside the control).
            current = np.bincount(codes, weights=weights, minlength=len(targets) + 1)[:-1]
            drawn = current > 0
            factor = np.ones(len(targets) + 1)
            factor[:-1][drawn] = targets[drawn] / current[drawn]
            weights *= factor[codes]
            if drawn.any():
                gaps = np.abs(current[drawn] - targets[drawn]) / targets[drawn]
                worst = max(worst, float(gaps.max()))
        if worst < 1e-9:
            break
    return pl.Series("weight", weights)


def _coded(values: pl.Series, targets: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """A column as category numbers in the control's order (len(targets) for any other value),
    and the control totals in the same order."""
    numbers = {category: i for i, category in enumerate(targets)}
    codes = values.replace_strict(numbers, default=len(targets), return_dtype=pl.Int64)
    return codes.to_numpy(), np.array(list(targets.values()), dtype=float)


def build_population(
    size: int = 11_400_000,
    seed: int = 2017,
    controls: Controls | None = None,
    assumptions: Assumptions | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``size`` synthetic persons with weights, and the control report (target vs result)."""
    controls = controls or default_controls()
    assumptions = assumptions or Assumptions()
    rng = np.random.default_rng(seed)

    def draw(marginal: dict[str, float]) -> pl.Series:
        names = list(marginal)
        shares = np.array([marginal[n] for n in names]) / sum(marginal.values())
        return pl.Series(names, dtype=pl.String).gather(rng.choice(len(names), size=size, p=shares))

    frame = pl.DataFrame(
        {
            "country": draw(controls.country),
            "state": draw(controls.state),
            "period": draw(controls.period),
        },
        schema={"country": pl.String, "state": pl.String, "period": pl.String},
    )
    low = frame.get_column("period").replace_strict({k: v[0] for k, v in ENTRY_BANDS.items()})
    high = frame.get_column("period").replace_strict({k: v[1] for k, v in ENTRY_BANDS.items()})
    within = frame.get_column("state").replace_strict(
        assumptions.share_within_100_miles, default=assumptions.share_within_100_miles_elsewhere
    )
    frame = frame.with_columns(
        pl.Series("years_in_us", rng.uniform(low.to_numpy(), high.to_numpy())),
        pl.Series(
            "entered_without_inspection",
            rng.random(size) < assumptions.share_entered_without_inspection,
        ),
        pl.Series(
            "presence_documentable", rng.random(size) < assumptions.share_presence_documentable
        ),
        pl.Series("within_100_miles", rng.random(size) < within.to_numpy()),
        pl.Series("minor", rng.random(size) < assumptions.share_minors),
        pl.Series("age_years", rng.uniform(0, 1, size)),
    )
    margins = {"country": controls.country, "state": controls.state, "period": controls.period}
    frame = frame.with_columns(rake(frame, margins))
    return frame, control_report(frame, margins)


def control_report(frame: pl.DataFrame, margins: dict[str, dict[str, float]]) -> pl.DataFrame:
    """Each control total against the weighted synthetic population."""
    rows = []
    for column, targets in margins.items():
        sums = dict(frame.group_by(column).agg(pl.col("weight").sum()).iter_rows())
        for category, target in targets.items():
            result = sums.get(category, 0.0)
            rows.append(
                {
                    "dimension": column,
                    "category": category,
                    "control": target,
                    "synthetic": result,
                    "relative_error": (result - target) / target,
                }
            )
    return pl.DataFrame(rows)


def cases_at(
    population: FrameT, at: dt.datetime, schema: dict[str, pl.DataType] | None = None
) -> FrameT:
    """The population as a frame of Case facts for a determination at ``at`` (everyone
    encountered in the interior at that instant; durations kept from the tables), in
    ``frame_schema()`` or another schema of the same facts (``coded_frame_schema()``)."""
    schema = schema or frame_schema()

    def code(name: str, value: Any) -> pl.Expr:
        return pl.lit(value, dtype=schema[name])  # built in the fact's own type, not cast

    day = eastern_date(at)
    entry = pl.lit(day) - pl.duration(days=(pl.col("years_in_us") * 365.25).cast(pl.Int64))
    age = (
        pl.when(pl.col("minor"))
        .then(pl.col("age_years") * 17)
        .otherwise(18 + pl.col("age_years") * 47)
    )
    ewi = pl.col("entered_without_inspection")
    nationality = pl.col("country").replace_strict(
        COUNTRY_CODES, default=None, return_dtype=schema["native_country"]
    )
    grounds = (
        pl.when(ewi)
        .then(
            code(
                "inadmissibility_grounds",
                ["I212a6Ai_PRESENT_WITHOUT_ADMISSION", "I212a7A_IMMIGRANT_NO_VALID_DOCS"],
            )
        )
        .otherwise(code("inadmissibility_grounds", []))
    )
    shown = (
        pl.when(pl.col("presence_documentable"))
        .then((pl.lit(day) - entry).dt.total_days())
        .otherwise(0)
    )
    facts = {
        "nationalities": pl.when(nationality.is_null())
        .then(None)
        .otherwise(pl.concat_list(nationality)),
        "native_country": nationality,
        "date_of_birth": pl.lit(day) - pl.duration(days=(age * 365.25).cast(pl.Int64)),
        "is_us_citizen": pl.lit(False),
        "claimed_status": code("claimed_status", "NONE"),
        "has_lawful_immigration_status": pl.lit(False),
        "was_admitted": ~ewi,
        "vwp_applicant": pl.lit(False),
        # The synthetic overstays entered on visas, not the Visa Waiver Program (8 CFR 217.4(b)
        # would remove a VWP entrant without a hearing); the calibration has no VWP share.
        "admitted_under_vwp": pl.lit(False),
        "parole_granted": pl.lit(False),
        "entry_mode": pl.when(ewi)
        .then(code("entry_mode", "LAND_BETWEEN_POES"))
        .otherwise(code("entry_mode", "AIR_AT_POE")),
        "last_entry_date": entry,
        "is_stowaway": pl.lit(False),
        "is_crewman": pl.lit(False),
        "encounter_datetime": pl.lit(at),
        "determination_datetime": pl.lit(at),
        "encounter_distance_to_land_border_air_miles": pl.when(pl.col("within_100_miles"))
        .then(50.0)
        .otherwise(500.0),
        "encountered_upon_arrival_at_or_near_border": pl.lit(False),
        "cp_days_established_before_determination": shown,
        "cp_days_established_before_encounter": shown,
        "inadmissibility_grounds": grounds,
        "dhs_charging_other_grounds": pl.lit(False),
        "documentary_requirements_waived": pl.lit(False),
        "prior_removal_order_exists": pl.lit(False),
        "reentered_illegally_after_removal": pl.lit(False),
        "accompanied_by_parent_or_legal_guardian": pl.col("minor"),
        "parent_or_legal_guardian_in_us": pl.col("minor"),
        "parent_or_guardian_available_to_provide_care_and_custody": pl.col("minor"),
    }
    columns = [
        (facts[name].cast(dtype) if name in facts else pl.lit(None, dtype=dtype)).alias(name)
        for name, dtype in schema.items()
    ]
    return population.select(*columns, "weight", "country", "state", "period", "years_in_us")
