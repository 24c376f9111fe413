"""The fit: the pipeline's free parameters set from FY2014–FY2018 only, so that FY2019–FY2024
are a prediction (``validation``).

Four parameters are fitted, each to one published series of the fit years:

- ``completions_per_judge_year``: EOIR total completions ÷ the immigration judges on the bench,
  by fiscal year (``data/eoir_caseload.csv``, ``data/immigration_judges.csv``); the mean of
  the fit years, with their spread as the distribution's.
- ``expedited_removal_use`` (the mode of its distribution): the simulated removals of the fit
  years the shipped table gives DHS removals for (FY2017–FY2018, ``data/removals.csv``) add up
  to the published ones.
- ``nta_filed_share``: the simulated court receipts FY2014–FY2018 add up to EOIR's initial
  receipts.
- ``arrests_under_category_priorities``: the simulated ICE administrative arrests of FY2015–FY2016
  (the fit years under the Johnson priorities) add up to the published ones.

Each is found by bisection on the median over replicates with common random numbers (the same
seeds at every trial value), so the search is deterministic. ``python -m cruce.simulation.fit``
prints the fitted values; ``parameters.yaml`` holds them, and a test checks the two agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from cruce.simulation import montecarlo as mc
from cruce.simulation.data import Evidence, fiscal_year, yearly
from cruce.simulation.inputs import judges_on, month_range
from cruce.simulation.parameters import Fixed, Normal, Triangular
from cruce.simulation.pipeline import METRICS, Prepared
from cruce.simulation.scenario import Scenario, load_scenario

FIT_YEARS = range(2014, 2019)
FIT_START = dt.date(2013, 10, 1)
ER_SPREAD = 0.2  # expedited_removal_use: the fitted mode ± this (an assumption)


def dhs_removals():
    """DHS removals (all components) by fiscal year, data/removals.csv."""
    return yearly(
        "removals",
        "DHS removals (all components)",
        lambda r: r["agency"] == "DHS (all components)" and r["metric"] == "removals",
        lambda r: r["value"],
    )


def eoir(column: str, what: str):
    """An EOIR caseload column by full fiscal year (partial years are not a year's count)."""
    return yearly(
        "eoir_caseload",
        what,
        lambda r: str(r["fiscal_year"]).isdigit() and r[column] is not None,
        lambda r: r[column],
    )


def completions_per_judge(years: range = FIT_YEARS) -> dict[int, float]:
    """EOIR total completions ÷ the mean judges on the bench over the fiscal year's months."""
    completions = eoir("total_completions", "EOIR total completions")
    out = {}
    for year in years:
        months = month_range(dt.date(year - 1, 10, 1), 12)
        judges = np.mean([judges_on(m.replace(day=15), Evidence()) for m in months])
        out[year] = completions.by_year[year].value / judges
    return out


def history(months: int, replicates: int, **changes) -> Scenario:
    """The actual timeline from FY2014 (the shipped ``kelly-2017-as-applied`` settings)."""
    return load_scenario("kelly-2017-as-applied").model_copy(
        update={"start": FIT_START.strftime("%Y-%m"), "months": months, "replicates": replicates}
        | changes
    )


@dataclass(frozen=True)
class Target:
    parameter: str
    metric: str
    published: dict[int, float]
    distribution: Callable[[float], Fixed | Triangular]


def _total(prepared: Prepared, scenario: Scenario, metric: str, years: list[int]) -> float:
    results = mc.run_replicates(prepared, scenario)
    fy = np.array([fiscal_year(m) for m in prepared.inputs.months])
    per_replicate = results[:, METRICS.index(metric), np.isin(fy, years)].sum(axis=1)
    return float(np.median(per_replicate))


def _bisect(
    prepared: Prepared, scenario: Scenario, target: Target, fitted: dict, steps: int
) -> float:
    """The value in [0, 1] whose simulated total meets the published one (the total rises with
    the value; the ends are kept if it cannot)."""
    years = sorted(target.published)
    goal = sum(target.published.values())
    low, high = 0.0, 1.0
    for _ in range(steps):
        mid = (low + high) / 2
        trial = scenario.model_copy(
            update={"parameters": fitted | {target.parameter: target.distribution(mid)}}
        )
        if _total(prepared, trial, target.metric, years) < goal:
            low = mid
        else:
            high = mid
    return round((low + high) / 2, 3)


def _er_use(mode: float) -> Triangular:
    low, high = round(max(mode - ER_SPREAD, 0.0), 3), round(min(mode + ER_SPREAD, 1.0), 3)
    return Triangular(low=low, mode=mode, high=high)


def fit(replicates: int = 12, steps: int = 10, rounds: int = 2) -> dict[str, object]:
    """The fitted distributions by parameter name (FY2014–FY2018 only)."""
    per_judge = completions_per_judge()
    values = np.array(list(per_judge.values()))
    fitted: dict[str, object] = {
        "completions_per_judge_year": Normal(
            mean=round(float(values.mean()), 1),
            sd=round(float(values.std(ddof=1)), 1),
            low=round(float(values.mean() * 0.5)),
            high=round(float(values.mean() * 1.5)),
        )
    }
    scenario = history(len(FIT_YEARS) * 12, replicates)
    prepared, _ = mc.prepare(scenario)
    removals = {y: d.value for y, d in dhs_removals().by_year.items() if y in FIT_YEARS}
    receipts = {y: d.value for y, d in eoir("initial_receipts", "EOIR receipts").by_year.items()}
    arrests = yearly(
        "removals",
        "ICE administrative arrests",
        lambda r: r["agency"] == "ICE" and r["metric"] == "administrative_arrests",
        lambda r: r["value"],
    )
    targets = (
        Target(
            "arrests_under_category_priorities",
            "interior_arrests",
            {y: d.value for y, d in arrests.by_year.items() if y in (2015, 2016)},
            lambda v: Fixed(value=v),
        ),
        Target("expedited_removal_use", "removals", removals, _er_use),
        Target(
            "nta_filed_share",
            "court_receipts",
            {y: v for y, v in receipts.items() if y in FIT_YEARS},
            lambda v: Fixed(value=v),
        ),
    )
    for _ in range(rounds):
        for target in targets:
            value = _bisect(prepared, scenario, target, fitted, steps)
            fitted[target.parameter] = target.distribution(value)
    return fitted


def _described(name: str, distribution) -> str:
    fields = ", ".join(f"{k.rstrip('_')}: {v}" for k, v in distribution.model_dump().items())
    return f"{name}: {{{fields}}}"


if __name__ == "__main__":
    print("completions per judge by fiscal year (fit years):")
    for year, value in completions_per_judge().items():
        print(f"  FY{year}: {value:,.0f}")
    for name, distribution in fit().items():
        print(_described(name, distribution))
