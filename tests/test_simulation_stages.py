"""The pipeline's dated stages after the pandemic: ICE's removal capacity recovers over months,
the Lawful Pathways rule changes expedited removal use and fear found from June 2023 only, and
the funded beds are those in force each year."""

from __future__ import annotations

import datetime as dt
from functools import cache

import numpy as np
import pytest

from cruce.simulation import montecarlo as mc
from cruce.simulation.data import Evidence
from cruce.simulation.inputs import TABLES, beds
from cruce.simulation.operations import LAWFUL_PATHWAYS, PANDEMIC_REMOVALS
from cruce.simulation.pipeline import (
    METRICS,
    Prepared,
    expedited_use,
    fear_found_rate,
    removal_capacity_share,
    run,
)
from cruce.simulation.scenario import load_scenario


@cache
def _prepared() -> Prepared:
    """The actual timeline from 2022-10 (pandemic window, its end and after) for 24 months."""
    scenario = load_scenario("kelly-2017-as-applied").model_copy(
        update={"start": "2022-10", "months": 24, "replicates": 1}
    )
    return mc.prepare(scenario)[0]


def _draw(**changes: float) -> dict[str, float]:
    scenario = load_scenario("kelly-2017-as-applied")
    rng = np.random.default_rng(0)
    draw = {name: d.draw(rng) for name, d in sorted(scenario.distributions().items())}
    return draw | changes


def test_removal_capacity_recovers_linearly_after_the_pandemic_window() -> None:
    prepared = _prepared()
    months = prepared.inputs.months
    draw = _draw(pandemic_removal_share=0.4, removal_recovery_months=8)
    shares = [removal_capacity_share(prepared, draw, m) for m in range(len(months))]
    end = months.index(PANDEMIC_REMOVALS.end)
    assert all(s == pytest.approx(0.4) for s in shares[:end])
    recovering = shares[end : end + 8]
    assert recovering == sorted(recovering) and recovering[0] == pytest.approx(0.4 + 0.6 / 8)
    assert all(s == pytest.approx(1.0) for s in shares[end + 7 :])
    quick = _draw(pandemic_removal_share=0.4, removal_recovery_months=1)
    assert removal_capacity_share(prepared, quick, end) == pytest.approx(1.0)


def test_ice_never_removes_more_than_the_month_s_capacity() -> None:
    prepared = _prepared()
    draw = _draw(pandemic_removal_share=0.3, removal_recovery_months=12)
    out = run(prepared, draw, np.random.default_rng(1))
    by_ice = out[METRICS.index("removals_by_ice")]
    cap = [
        draw["ice_removal_capacity_year"] / 12 * removal_capacity_share(prepared, draw, m)
        for m in range(len(by_ice))
    ]
    assert np.all(by_ice <= np.array(cap) + 1e-6)
    assert by_ice[-1] > by_ice[0]  # the capacity came back


def test_the_lawful_pathways_rule_changes_only_the_months_it_applies() -> None:
    prepared = _prepared()
    months = prepared.inputs.months
    draw = _draw(
        expedited_removal_use=0.5,
        expedited_removal_use_lawful_pathways=0.8,
        fear_found_rate_lawful_pathways=0.5,
    )
    start = months.index(LAWFUL_PATHWAYS.start)
    use, found = expedited_use(prepared, draw), fear_found_rate(prepared, draw)
    published = prepared.inputs.fear_found_rate
    assert np.all(use[:start] == 0.5) and np.all(use[start:] == 0.8)
    assert np.array_equal(found[:start], published[:start])
    assert np.allclose(found[start:], np.minimum(0.5, published[start:]))
    # never below the fitted use
    lower = expedited_use(prepared, draw | {"expedited_removal_use_lawful_pathways": 0.1})
    assert np.all(lower == 0.5)


def test_the_funded_beds_are_those_in_force_each_year() -> None:
    mandate = TABLES.FUNDED_BEDS["funded_beds_mandate"].by_year
    funded = TABLES.FUNDED_BEDS["funded_beds"].by_year
    evidence = Evidence()
    assert beds(2015, evidence) == mandate[max(y for y in mandate if y <= 2015)].value
    assert beds(2016, evidence) == mandate[2016].value
    assert beds(2017, evidence) == funded[2017].value
    last = max(funded)
    assert beds(last + 3, evidence) == funded[last].value
    assert any(f"FY{last + 3} read from FY{last}" in s for s in evidence.stand_ins)


def test_months_after_a_window_count_from_its_end() -> None:
    months = [dt.date(2023, m, 1) for m in range(4, 10)]
    assert PANDEMIC_REMOVALS.months_after(months).tolist() == [0, 0, 1, 2, 3, 4]
