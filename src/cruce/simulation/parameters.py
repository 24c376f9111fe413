"""The pipeline's parameters: each with a distribution, a unit, and its basis — the data rows it
comes from, or the word "assumption" and why (no table shipped measures it).

A scenario overrides any of them by name (``scenario.py``); each replicate draws one value of
each from its distribution with the replicate's own random stream.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from cruce.simulation.data import Datum, one


class _Distribution(BaseModel):
    # NaN or infinity is no parameter value (judges_added_per_year: .inf emptied the backlog).
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Fixed(_Distribution):
    kind: Literal["fixed"] = "fixed"
    value: float

    def draw(self, rng: np.random.Generator) -> float:
        return self.value

    def mean(self) -> float:
        return self.value


class Uniform(_Distribution):
    kind: Literal["uniform"] = "uniform"
    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.high < self.low:
            raise ValueError(f"high {self.high} is below low {self.low}")
        return self

    def draw(self, rng: np.random.Generator) -> float:
        return float(rng.uniform(self.low, self.high))

    def mean(self) -> float:
        return (self.low + self.high) / 2


class Triangular(_Distribution):
    kind: Literal["triangular"] = "triangular"
    low: float
    mode: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.low <= self.mode <= self.high or self.low == self.high:
            raise ValueError(f"need low <= mode <= high and low < high, got {self!r}")
        return self

    def draw(self, rng: np.random.Generator) -> float:
        return float(rng.triangular(self.low, self.mode, self.high))

    def mean(self) -> float:
        return (self.low + self.mode + self.high) / 3


class Normal(_Distribution):
    """A normal distribution truncated to [low, high] by redrawing."""

    kind: Literal["normal"] = "normal"
    mean_: float = Field(alias="mean")
    sd: float = Field(gt=0)
    low: float = float("-inf")
    high: float = float("inf")

    def draw(self, rng: np.random.Generator) -> float:
        for _ in range(1000):
            value = rng.normal(self.mean_, self.sd)
            if self.low <= value <= self.high:
                return float(value)
        raise ValueError(
            f"normal({self.mean_}, {self.sd}) rarely falls in [{self.low}, {self.high}]"
        )

    def mean(self) -> float:
        return self.mean_


Distribution = Annotated[Fixed | Uniform | Triangular | Normal, Field(discriminator="kind")]
DISTRIBUTION_KINDS = ("fixed", "uniform", "triangular", "normal")


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    unit: str
    default: Fixed | Uniform | Triangular | Normal
    basis: str
    rows: tuple[Datum, ...] = ()
    share: bool = True  # a fraction: draws must fall in [0, 1]


def _hiring(metric: str, period: str) -> Datum:
    return one(
        "cbp_hiring_metrics",
        metric.replace("_", " "),
        lambda r: r["metric"] == metric and r["period"] == period,
    )


def _mpp(metric: str, as_of: str) -> Datum:
    return one(
        "mpp",
        f"MPP {metric.replace('_', ' ')}",
        lambda r: r["metric"] == metric and r["as_of"] == as_of and r["category"] == "all",
    )


def _parameters() -> dict[str, Parameter]:
    polygraph_fail = _hiring("polygraph_failure_rate_cbp_applicants", "c. 2016 (reported Jan 2017)")
    hire_2015 = _hiring("time_to_hire_bpa", "FY2015")
    hire_2017 = _hiring("time_to_hire_bpa", "FY2017")
    attrition_2015 = _hiring("bpa_attrition_rate", "FY2015")
    attrition_2016 = _hiring("bpa_attrition_rate", "FY2016")
    surge = _hiring("bpa_hires_change_h1fy2018_vs_h1fy2017", "FY2018 H1")
    in_absentia = _mpp("in_absentia_removal_orders", "2021-06")
    completed = _mpp("completed_or_closed", "2021-01-31")
    relief = _mpp("granted_relief", "2021-01-31")
    per_judge = one(
        "immigration_judges",
        "completions per immigration judge",
        lambda r: r["metric"] == "completions_per_ij",
    )
    assumption = "assumption: no shipped table measures it; "
    items = [
        Parameter(
            "expedited_removal_use",
            "share of border cases for whom expedited removal is available that DHS processes "
            "by expedited removal (the rest get a notice to appear)",
            "fraction",
            Triangular(low=0.3, mode=0.5, high=0.7),
            assumption + "DHS counted 44% of FY2013 removals as expedited removals",
        ),
        Parameter(
            "expedited_removal_use_interior",
            "share of interior arrestees for whom expedited removal is available that ICE "
            "processes by expedited removal",
            "fraction",
            Triangular(low=0.2, mode=0.4, high=0.6),
            assumption + "interior use of the 2019 and 2025 designations was not published",
        ),
        Parameter(
            "return_uptake",
            "share of the people a return program may enrol who are returned to Mexico",
            "fraction",
            Triangular(low=0.15, mode=0.25, high=0.35),
            assumption + "chosen so cumulative returns to December 2019 come near the 59,000 "
            "published (data/mpp.csv), so that figure is not an independent check",
        ),
        Parameter(
            "prior_removal_order_share",
            "share of border encounters re-entering after a removal order (reinstatement)",
            "fraction",
            Uniform(low=0.1, high=0.3),
            assumption + "recidivism by nationality is not in the shipped tables",
        ),
        Parameter(
            "tvpra_screen_cleared_share",
            "share of Mexican unaccompanied children cleared by the TVPRA screen (returned)",
            "fraction",
            Uniform(low=0.7, high=0.95),
            assumption + "screen outcomes are not in the shipped tables",
        ),
        Parameter(
            "family_child_share",
            "share of children among family-unit individuals",
            "fraction",
            Fixed(value=0.5),
            assumption + "a parent and a child per family unit",
        ),
        Parameter(
            "fear_share_multiplier",
            "multiplier on the share of encounters referred for credible fear (data: credible "
            "fear cases / southwest border encounters by fiscal year)",
            "ratio",
            Fixed(value=1.0),
            "data: credible_fear.csv and swb_encounters.csv rows of each year",
            share=False,
        ),
        Parameter(
            "detained_share_240",
            "share of border cases with a notice to appear that ICE seeks to detain",
            "fraction",
            Uniform(low=0.2, high=0.4),
            assumption + "detention at intake by pathway is not published in the tables",
        ),
        Parameter(
            "border_removals_booked_by_ice",
            "share of border expedited removals and reinstatements held in ICE detention "
            "before removal (the rest leave from CBP custody)",
            "fraction",
            Uniform(low=0.2, high=0.6),
            assumption + "book-ins by pathway are not in the shipped tables; checked against "
            "ICE's average daily population in docs/validation.md",
        ),
        Parameter(
            "bed_occupancy_limit",
            "detention population the funded beds can hold, as a multiple of funded beds",
            "ratio",
            Uniform(low=1.0, high=1.25),
            assumption + "FY2019 ADP (50,165) exceeded the funded beds (40,520-45,000)",
            share=False,
        ),
        Parameter(
            "completions_per_judge_year",
            "case completions per immigration judge per year",
            "cases",
            Normal(mean=per_judge.value, sd=80, low=400, high=1200),
            f"data: {per_judge.ref} (GAO FY2015); spread an assumption",
            (per_judge,),
            share=False,
        ),
        Parameter(
            "judges_added_per_year",
            "immigration judges added each year on top of the judges on the bench in the data",
            "judges",
            Fixed(value=0.0),
            "scenario lever",
            share=False,
        ),
        Parameter(
            "in_absentia_rate_mpp",
            "share of MPP case completions that are in-absentia orders",
            "fraction",
            Triangular(low=0.5, mode=min(in_absentia.value / completed.value, 0.9), high=0.8),
            f"data: {in_absentia.ref} / {completed.ref} (different dates: approximate)",
            (in_absentia, completed),
        ),
        Parameter(
            "in_absentia_rate_released",
            "share of non-detained case completions that are in-absentia orders",
            "fraction",
            Uniform(low=0.2, high=0.4),
            assumption + "EOIR in-absentia rates are not in the shipped tables",
        ),
        Parameter(
            "relief_rate",
            "share of completions with the person present that grant relief (detained and "
            "non-detained dockets)",
            "fraction",
            Uniform(low=0.1, high=0.3),
            assumption + "EOIR outcome shares are not in the shipped tables",
        ),
        Parameter(
            "relief_rate_mpp",
            "share of MPP completions with the person present that grant relief",
            "fraction",
            Fixed(value=round(relief.value / (completed.value - in_absentia.value), 4)),
            f"data: {relief.ref} / ({completed.ref} − {in_absentia.ref}) (different dates: "
            "approximate)",
            (relief, completed, in_absentia),
        ),
        Parameter(
            "interior_arrest_multiplier",
            "multiplier on interior arrests per officer (enforcement priorities, 287(g))",
            "ratio",
            Fixed(value=1.0),
            "scenario lever; 1 = FY2017 arrests per officer (removals.csv)",
            share=False,
        ),
        Parameter(
            "sanctuary_share",
            "share of interior arrests sought in jurisdictions that do not honour detainers",
            "fraction",
            Uniform(low=0.2, high=0.4),
            assumption + "a scenario lever; arrests per officer are calibrated at 0.3",
        ),
        Parameter(
            "arrest_efficiency_without_cooperation",
            "arrests an officer makes without local cooperation, relative to with it",
            "fraction",
            Uniform(low=0.3, high=0.7),
            assumption + "at-large arrests take more officer time than jail transfers",
        ),
        Parameter(
            "applicant_multiplier_under_directive",
            "applicants for each agency while a hiring directive is in force, relative to "
            "before it",
            "ratio",
            Uniform(low=1.0, high=1.0 + surge.value),
            f"data: {surge.ref} (Border Patrol hires +83% in H1 FY2018)",
            (surge,),
            share=False,
        ),
        Parameter(
            "polygraph_pass_rate",
            "share of applicants passing the polygraph",
            "fraction",
            Fixed(value=round(1 - polygraph_fail.value, 4)),
            f"data: {polygraph_fail.ref} (two in three fail)",
            (polygraph_fail,),
        ),
        Parameter(
            "time_to_hire_days",
            "days from application to entry on duty",
            "days",
            Uniform(low=hire_2017.value, high=hire_2015.value),
            f"data: {hire_2017.ref} (FY2017) to {hire_2015.ref} (FY2015)",
            (hire_2017, hire_2015),
            share=False,
        ),
        Parameter(
            "attrition_rate_year",
            "share of agents and officers leaving each year",
            "fraction",
            Uniform(low=attrition_2016.value, high=attrition_2015.value),
            f"data: {attrition_2016.ref}, {attrition_2015.ref} (Border Patrol; ICE assumed alike)",
            (attrition_2016, attrition_2015),
        ),
    ]
    return {p.name: p for p in items}


PARAMETERS = _parameters()
