"""The fit: its values are the ones parameters.yaml ships, found from FY2014–FY2018 only, and
each fitted parameter moves the series it is fitted to."""

import numpy as np
import pytest

from cruce.simulation import fit
from cruce.simulation.parameters import parameters


@pytest.fixture(scope="module")
def fitted() -> dict:
    return fit.fit()


def test_the_shipped_values_are_what_the_fit_gives(fitted: dict) -> None:
    shipped = parameters()
    for name, distribution in fitted.items():
        assert shipped[name].basis.startswith("fitted: "), name
        assert shipped[name].default.model_dump() == pytest.approx(
            distribution.model_dump(), abs=1e-3
        ), f"{name}: paste `python -m cruce.simulation.fit` into parameters.yaml"


def test_completions_per_judge_are_eoir_completions_over_judges_in_the_fit_years() -> None:
    per_judge = fit.completions_per_judge()
    assert list(per_judge) == list(fit.FIT_YEARS)
    completions = fit.eoir("total_completions", "EOIR completions").by_year
    for year, value in per_judge.items():
        # the bench held between roughly 250 and 400 judges in those years
        assert completions[year].value / 400 < value < completions[year].value / 250


def test_the_fit_run_ends_with_the_fit_years() -> None:
    scenario = fit.history(len(fit.FIT_YEARS) * 12, 2)
    months = scenario.months
    assert scenario.first_month == fit.FIT_START and months == 60


def test_a_higher_filing_share_means_more_receipts() -> None:
    from cruce.simulation import montecarlo as mc
    from cruce.simulation.parameters import Fixed
    from cruce.simulation.pipeline import METRICS

    scenario = fit.history(24, 3)
    prepared, _ = mc.prepare(scenario)
    totals = []
    for share in (0.3, 0.9):
        trial = scenario.model_copy(update={"parameters": {"nta_filed_share": Fixed(value=share)}})
        results = mc.run_replicates(prepared, trial)
        totals.append(results[:, METRICS.index("court_receipts")].sum(axis=1))
    assert (np.array(totals[1]) > np.array(totals[0])).all()
