"""The vectorised "depends on" (bitmasks) names exactly what the explainer names."""

from __future__ import annotations

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import case_data, instants
from cruce.decide.determination import compile_with, determine_at
from cruce.engine.unknowns import decision_unknowns, index_for, mask_stages
from cruce.facts.case import FACT_KINDS, cases_frame, parse_case
from cruce.law import QUESTIONS
from cruce.law.timeline import LawPerRow, actual_timeline

INDEX = index_for(list(QUESTIONS.values()), list(FACT_KINDS))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(many=st.lists(st.tuples(case_data, instants), min_size=1, max_size=25))
def test_masks_name_what_the_explainer_names(many: list) -> None:
    cases = [parse_case(d) for d, _ in many]
    frame = cases_frame(cases).with_columns(
        pl.Series("__at", [at for _, at in many], dtype=pl.Datetime("us", "UTC"))
    )
    law = LawPerRow("__at", actual_timeline())
    stages, outcomes = compile_with(LawPerRow("__at", actual_timeline()))
    lazy = frame.lazy()
    for stage in stages:
        lazy = lazy.with_columns(stage)
    lazy = lazy.with_columns(*outcomes.values())
    for stage in mask_stages(list(QUESTIONS.values()), law, INDEX):
        lazy = lazy.with_columns(stage)
    masks = {
        q: INDEX.names_of(decision_unknowns(QUESTIONS[q], law, INDEX, pl.col(q))).alias(f"m_{q}")
        for q in QUESTIONS
    }
    result = lazy.with_columns(*masks.values()).collect()
    for case, (_, at), row in zip(cases, many, result.iter_rows(named=True), strict=True):
        explained = determine_at(case, at, actual_timeline())
        for question, outcome in explained.outcomes.items():
            named = set(filter(None, row[f"m_{question}"].split(";")))
            assert named == set(outcome.depends_on + outcome.unsettled), (question, at)


def test_the_index_fits_and_covers_open_questions() -> None:
    assert any(name.startswith("in force: ") for name in INDEX.names)
    assert len(INDEX.names) <= 128
