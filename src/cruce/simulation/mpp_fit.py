"""Fit the return stage's four parameters on 2019 alone: ``return_uptake``,
``mpp_site_capacity``, ``mpp_site_ramp_months`` and ``mpp_site_capacity_before_agreement``.

The targets are the 2019 rows of data/mpp.csv: TRAC's new MPP court cases of each month from
January to July, the August peak and the cumulative returns to December. The simulated value
is the expected count (every other parameter at its default mean), so the fit is exact
arithmetic, not a noisy search. Nothing after 2019 is read: 2020, the program's total and the
2021–22 reimplementation stay checks (docs/validation.md).

``python -m cruce.simulation.mpp_fit`` prints the fitted values; parameters.yaml holds them as
the modes of the defaults, and a test checks that it still does.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from cruce.simulation import montecarlo as mc
from cruce.simulation.data import Datum, as_of_date, rows
from cruce.simulation.data import datum as datum_of
from cruce.simulation.parameters import parameters
from cruce.simulation.pathways import PATHWAYS
from cruce.simulation.pipeline import Prepared, pathway_probabilities
from cruce.simulation.scenario import load_scenario

FITTED = (
    "return_uptake",
    "mpp_site_capacity",
    "mpp_site_ramp_months",
    "mpp_site_capacity_before_agreement",
)
START, MONTHS = dt.date(2018, 10, 1), 15  # October 2018 to December 2019
_MONTHLY = ("new_mpp_court_cases", "new_mpp_returns_peak_month")


def targets() -> tuple[list[tuple[dt.date, Datum]], tuple[dt.date, Datum]]:
    """The 2019 monthly counts, and the cumulative returns to December 2019."""
    monthly = []
    for row in rows("mpp", lambda r: r["metric"] in _MONTHLY and r["category"] == "all"):
        day = as_of_date(str(row["as_of"]))
        if day is not None and day.year == 2019:
            what = f"MPP {row['metric'].replace('_', ' ')}, {day:%Y-%m}"
            monthly.append((day.replace(day=1), datum_of("mpp", row, row["value"], what)))
    (row,) = rows(
        "mpp", lambda r: r["metric"] == "cumulative_returned" and str(r["as_of"]) == "2019-12"
    )
    cumulative = (dt.date(2019, 12, 1), datum_of("mpp", row, row["value"], "MPP cumulative"))
    return sorted(monthly, key=lambda p: p[0]), cumulative


def prepared_2019() -> Prepared:
    scenario = load_scenario("kelly-2017-as-applied").model_copy(
        update={"start": f"{START:%Y-%m}", "months": MONTHS}
    )
    return mc.prepare(scenario)[0]


def expected_returns(prepared: Prepared, values: dict[str, float]) -> np.ndarray:
    """Expected non-Mexican returns by month with every other parameter at its mean."""
    draw = {name: p.default.mean() for name, p in parameters().items()} | values
    probabilities = pathway_probabilities(prepared, draw)
    inputs = prepared.inputs
    kept = inputs.encounters * (1.0 - prepared.expelled_share)
    returned = probabilities[..., PATHWAYS.index("returned_to_mexico")] * inputs.composition
    return returned[:, :, 1:].sum(axis=(1, 2)) * kept


def loss(prepared: Prepared, values: dict[str, float]) -> float:
    """Squared log errors: each month counts once, the December cumulative twice."""
    simulated = expected_returns(prepared, values)
    months = prepared.inputs.months
    monthly, (until, total) = targets()
    errors = [np.log((simulated[months.index(d)] + 50) / (p.value + 50)) for d, p in monthly]
    cumulative = simulated[: months.index(until) + 1].sum()
    errors += [np.log(cumulative / total.value)] * 2
    return float(np.sum(np.square(errors)))


# The range each fitted value is searched in.
BOUNDS = {
    "return_uptake": (0.02, 1.0),  # a share: anything up to everyone
    "mpp_site_capacity": (500.0, 12000.0),
    "mpp_site_ramp_months": (0.25, 10.0),
    "mpp_site_capacity_before_agreement": (100.0, 5000.0),
}


def fit(prepared: Prepared | None = None, rounds: int = 6, points: int = 21) -> dict[str, float]:
    """Coordinate search: each parameter in turn over a grid in its range, the grid narrowing
    around the best value each round."""
    prepared = prepared or prepared_2019()
    best = {name: (low + high) / 2 for name, (low, high) in BOUNDS.items()}
    width = {name: high - low for name, (low, high) in BOUNDS.items()}
    for _ in range(rounds):
        for name, (low, high) in BOUNDS.items():
            centre, half = best[name], width[name] / 2
            axis = np.linspace(max(low, centre - half), min(high, centre + half), points)
            scores = [loss(prepared, best | {name: float(v)}) for v in axis]
            best[name] = float(axis[int(np.argmin(scores))])
            width[name] /= 2
    return best


if __name__ == "__main__":
    for name, value in fit().items():
        print(f"{name}: {value:.4g}")
