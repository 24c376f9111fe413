"""Title 42 as a dated public-health overlay: the published share expelled in the months the
order is in force, none outside them, none when the rules are frozen before it."""

import datetime as dt

import numpy as np
import pytest

from cruce.law.timeline import timeline_named
from cruce.simulation import montecarlo as mc
from cruce.simulation.data import Evidence
from cruce.simulation.expulsions import MissingExpulsions, expelled_share
from cruce.simulation.inputs import month_range
from cruce.simulation.pipeline import METRICS
from cruce.simulation.scenario import load_scenario

MONTHS = month_range(dt.date(2020, 1, 1), 48)  # January 2020 – December 2023


def test_the_share_is_published_in_the_months_in_force_and_zero_outside() -> None:
    evidence = Evidence()
    share = expelled_share(timeline_named("actual"), MONTHS, evidence)
    in_force = np.array([dt.date(2020, 3, 1) <= m <= dt.date(2023, 5, 1) for m in MONTHS])
    assert (share[in_force] > 0).all() and (share[~in_force] == 0).all()
    april_2022 = MONTHS.index(dt.date(2022, 4, 1))
    assert share[april_2022] == pytest.approx(100_570 / 235_790)  # the OHSS row
    assert any("cbp_swb_title42_expulsions" in row for row in evidence.rows)


def test_rules_frozen_before_the_order_expel_no_one() -> None:
    frozen = dt.datetime(2014, 11, 20, tzinfo=dt.UTC)
    share = expelled_share(timeline_named("actual"), MONTHS, Evidence(), frozen)
    assert (share == 0).all()


def test_a_month_in_force_without_data_names_the_table() -> None:
    frozen = dt.datetime(2021, 6, 1, tzinfo=dt.UTC)
    with pytest.raises(MissingExpulsions, match=r"cbp_swb_title42_expulsions.csv .* 2024-09"):
        expelled_share(timeline_named("actual"), [dt.date(2024, 9, 1)], Evidence(), frozen)


def test_expelled_people_take_no_pathway() -> None:
    scenario = load_scenario("kelly-2017-as-applied").model_copy(update={"replicates": 2})
    prepared, _ = mc.prepare(scenario)
    results = mc.run_replicates(prepared, scenario)
    expelled = results[:, METRICS.index("title42_expulsions")]
    pathways = [i for i, name in enumerate(METRICS) if name.startswith("pathway_")]
    paroled = results[:, METRICS.index("paroled_at_ports")]
    assert np.allclose(
        results[:, METRICS.index("encounters")],
        results[:, pathways].sum(axis=1) + expelled + paroled,
    )
    april_2021 = prepared.inputs.months.index(dt.date(2021, 4, 1))
    assert expelled[:, april_2021].min() > 0.5 * prepared.inputs.encounters[april_2021]
