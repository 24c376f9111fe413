"""Schemathesis (v4) against the app's own OpenAPI schema, in process (ASGI): no request,
valid or not, gets a server error, and the answers match what the schema documents.

- ``test_no_server_errors``: every operation in ``/openapi.json``, positive and negative data.
- ``test_responses_conform``: every operation, checked for status codes, content types
  (problems are documented as ``application/problem+json``), headers and body schemas too.
- ``test_determinations_of_real_cases``: the schema only says that ``case`` is an object, so
  schema-generated requests rarely reach the rules; here ``case`` holds real facts (the
  ``case_data`` strategy of ``conftest.py``) and instants go to the ends of the calendar.
- ``test_uploaded_caseloads``: the schema does not say that the file must be named ``.csv`` or
  ``.parquet``, so generated uploads stop at 415; here they are named so and get read.

Nothing is excluded: every operation is in ``test_no_server_errors``, including the multipart
uploads, whose generated files are small.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest
import schemathesis
from hypothesis import given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from conftest import case_data, instants
from cruce.engine.logic import FactKind
from cruce.facts.case import FACT_KINDS
from cruce.law.timeline import regimes
from cruce.web.api import LIMIT, app

# Bounded so that the whole file runs in well under a minute on 2 cores.
EXAMPLES = settings(max_examples=50, deadline=None)


@pytest.fixture(autouse=True, scope="module")
def _no_rate_limit():
    """The per-client rate limit off, so that generated requests are not 429s."""
    saved = LIMIT.rate
    LIMIT.set_rate(0)
    yield
    LIMIT.set_rate(saved)


schema = schemathesis.openapi.from_asgi("/openapi.json", app)

# Checks of what the schema documents. Not used: `positive_data_acceptance` — a schema-valid
# request may rightly be refused with 422: `case` is a free object in the schema (the facts are
# checked by the app, docs/facts.md), an empty case has no instant to decide at, and a valid
# upload must also be a valid caseload (docs/audit.md).
CONFORMANCE = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    unsupported_method,
]


@schema.parametrize()
@EXAMPLES
def test_no_server_errors(case) -> None:
    case.call_and_validate(checks=[not_a_server_error])


@schema.parametrize()
@EXAMPLES
def test_responses_conform(case) -> None:
    case.call_and_validate(checks=CONFORMANCE)


# --------------------------------------------------------------------------------------------
# Determinations of real cases
# --------------------------------------------------------------------------------------------

DETERMINE = schema["/v1/determinations"]["POST"]
INSTANT_FACTS = sorted(name for name, kind in FACT_KINDS.items() if kind is FactKind.INSTANT)

# Instants with any UTC offset at the first and last days of the calendar.
edge_instants = st.builds(
    lambda moment, hours: moment.replace(tzinfo=dt.timezone(dt.timedelta(hours=hours))),
    st.sampled_from([dt.datetime.min, dt.datetime.max.replace(microsecond=0)]),
    st.integers(-23, 23),
)


def _jsonable(value: Any) -> Any:
    """A fact value as a JSON client sends it (dates and instants as ISO strings)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    return value


@st.composite
def determination_bodies(draw: st.DrawFn) -> dict[str, Any]:
    facts = {name: _jsonable(value) for name, value in draw(case_data).items()}
    if draw(st.booleans()):
        facts[draw(st.sampled_from(INSTANT_FACTS))] = draw(edge_instants).isoformat()
    # Mostly an instant or a regime (the case's determination_datetime is usually unknown).
    when = draw(st.one_of(instants, instants, st.dates(), edge_instants, st.none()))
    regime = st.sampled_from(sorted(regimes())) if when is None else st.nothing()
    return {
        "case": facts,
        "at": None if when is None else when.isoformat(),
        "regime": draw(st.one_of(st.none(), regime)),
        "counterfactuals": draw(st.booleans()),
    }


@settings(EXAMPLES, max_examples=300)
@given(body=determination_bodies())
def test_determinations_of_real_cases(body: dict[str, Any]) -> None:
    response = DETERMINE.Case(body=body).call_and_validate(
        checks=[not_a_server_error, response_schema_conformance]
    )
    assert response.status_code in (200, 422), response.text
    if response.status_code == 200:
        assert json.loads(response.text)["outcomes"]


# --------------------------------------------------------------------------------------------
# Uploaded caseloads, named as the app reads them
# --------------------------------------------------------------------------------------------

UPLOADS = ["/v1/audits", "/audit"]


def _named_uploads(filename: str) -> schemathesis.BaseSchema:
    """The app's schema, with uploads named ``filename`` (the file part's Content-Disposition
    example, which schemathesis sends)."""
    document = copy.deepcopy(app.openapi())
    disposition = f'form-data; name="file"; filename="{filename}"'
    for path in UPLOADS:
        form = document["paths"][path]["post"]["requestBody"]["content"]["multipart/form-data"]
        form["encoding"] = {
            "file": {"headers": {"Content-Disposition": {"schema": {"example": disposition}}}}
        }
    named = schemathesis.openapi.from_dict(document)
    named.app = app  # as `from_asgi` does: requests go to the app in process
    return named


NAMED = {suffix: _named_uploads(f"caseload{suffix}") for suffix in (".csv", ".parquet")}


@pytest.mark.parametrize("suffix", sorted(NAMED))
@pytest.mark.parametrize("path", UPLOADS)
@EXAMPLES
@given(data=st.data())
def test_uploaded_caseloads(path: str, suffix: str, data: st.DataObject) -> None:
    case = data.draw(NAMED[suffix][path]["POST"].as_strategy())
    case.call_and_validate(checks=[not_a_server_error])
