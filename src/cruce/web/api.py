"""The HTTP API and the pages served with it (FastAPI).

Privacy: request bodies are never logged and nothing a user sends is stored — a caseload is
audited in memory and the report is returned in the response. Errors are
``application/problem+json`` naming the field. The server binds to loopback by default
(``cruce serve``).
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import io
import json
import logging
import os
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from fastapi import FastAPI, File, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.staticfiles import StaticFiles

from cruce import __version__
from cruce.audit.checks import audit_frame, caseload_columns
from cruce.audit.ice import audit_releases, consulate_summary
from cruce.decide.catalogue import rule_entries
from cruce.decide.determination import DeterminationError, determine, preload_law, to_json
from cruce.decide.notice import NOTICE
from cruce.engine.instants import parse_instant
from cruce.facts.case import CaseError, parse_case
from cruce.law.timeline import TimelineError, regimes
from cruce.simulation.inputs import MissingInput
from cruce.simulation.scenario import (
    ScenarioError,
    load_scenario,
    parse_scenario,
    shipped_scenarios,
)
from cruce.tables.export import write_csv
from cruce.tables.reader import TableError, read_table
from cruce.web import browser, dashboard, pages, screener
from cruce.web.audit_report import render_report
from cruce.web.ice_report import render_ice_report
from cruce.web.jobs import Busy, Jobs
from cruce.web.render import STATIC, render

MAX_BODY_BYTES = 200 * 2**20  # a caseload or gzip ICE release upload of up to 200 MiB
MAX_API_REPLICATES = 500  # a simulation job's replicates, so one request cannot hold the server
MAX_EXPOSURE_SIZE = 200_000
JSON = "application/json"
EMPTY_STYLE_HASH = "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
"""The CSP hash of an empty inline style: base64 of SHA-256 of the empty string."""
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    # Every script and stylesheet is a file under /static/ (templates carry none inline). The
    # one hash is that of the empty string: Plotly adds an empty <style> element and fills it
    # through the CSSOM (insertRule), which CSP does not govern; any inline style with content
    # stays blocked. Nothing is loaded from elsewhere.
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; "
    f"style-src 'self' '{EMPTY_STYLE_HASH}'; "
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'",
}

PROBLEM_SCHEMA = {
    "type": "object",
    "title": "Problem",
    "description": "RFC 9457 problem details; detail names the field and the valid choices",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
    },
    "required": ["title", "status", "detail"],
}
PROBLEMS = {
    status: {
        "description": why,
        "content": {"application/problem+json": {"schema": PROBLEM_SCHEMA}},
    }
    for status, why in (
        (400, "The body cannot be read"),
        (404, "No such resource"),
        (413, "The body is too large"),
        (415, "Unsupported file type"),
        (422, "Invalid input: the detail names the field"),
        (429, "Too many requests from this address (Retry-After)"),
        (503, "Too many simulations waiting, or heavy requests running: try again later"),
    )
}


@contextlib.asynccontextmanager
async def _lifespan(_: FastAPI) -> AsyncIterator[None]:
    """Load the law when the server starts, not when the module is imported."""
    preload_law()
    yield


app = FastAPI(
    lifespan=_lifespan,
    responses=PROBLEMS,
    title="Cruce",
    version=__version__,
    description="US immigration enforcement law 2014–2026 as executable, cited rules. " + NOTICE,
    # The interactive docs pages load their scripts from a CDN; the schema is at /openapi.json.
    docs_url=None,
    redoc_url=None,
)


class Problem(Exception):
    """An error answered as application/problem+json (RFC 9457)."""

    def __init__(self, status: int, title: str, detail: str, **extra: Any):
        self.status, self.title, self.detail, self.extra = status, title, detail, extra


@app.exception_handler(RequestValidationError)
async def _invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
    """FastAPI's own validation errors, as problems naming each field."""
    where = [
        f"{'.'.join(str(part) for part in item['loc'] if part != 'body') or 'body'}: {item['msg']}"
        for item in error.errors()
    ]
    return await _problem(request, Problem(422, "Invalid request", "; ".join(where)))


@app.exception_handler(StarletteHTTPException)
async def _http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
    """Starlette's errors (an unreadable body, an unknown path, a method not allowed), as
    problems, keeping their headers (``Allow`` on a 405)."""
    problem = Problem(error.status_code, str(error.detail), str(error.detail))
    if isinstance(error.__cause__, _TooLarge):  # FastAPI wraps what reading the body raised
        problem = Problem(413, "Request too large", f"the body is over {MAX_BODY_BYTES:,} bytes")
    response = await _problem(request, problem)
    response.headers.update(error.headers or {})
    return response


def problem_response(problem: Problem, instance: str | None = None) -> JSONResponse:
    """The one builder of problem+json bodies (RFC 9457); ``instance`` is the request path."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": problem.title,
        "status": problem.status,
        "detail": problem.detail,
    }
    if instance is not None:
        body["instance"] = instance
    body |= problem.extra
    return JSONResponse(body, status_code=problem.status, media_type="application/problem+json")


@app.exception_handler(Problem)
async def _problem(request: Request, problem: Problem) -> JSONResponse:
    return problem_response(problem, request.url.path)


class RateLimit:
    """A token bucket per client address: ``rate`` requests a second, bursts of twice that.
    ``CRUCE_RATE_LIMIT`` sets the rate (0 turns the limit off, e.g. for a load test).

    Memory is bounded by ``clients``: when the table is full, buckets that have refilled (idle
    clients, indistinguishable from new ones) are forgotten; if every bucket is still in use, new
    addresses share one overflow bucket, so no client's bucket is ever reset by others."""

    OVERFLOW = "\x00overflow"

    def __init__(self, rate: float, clients: int = 10_000) -> None:
        self._buckets: dict[str, tuple[float, float]] = {}
        self.clients = clients
        self.set_rate(rate)

    def set_rate(self, rate: float) -> None:
        """A new rate for every client (0: no limit)."""
        self.rate, self.burst = rate, max(2 * rate, 1)
        self._buckets.clear()

    def _refilled(self, key: str, now: float) -> bool:
        tokens, last = self._buckets[key]
        return tokens + (now - last) * self.rate >= self.burst

    def allow(self, client: str) -> bool:
        if self.rate <= 0:
            return True
        now = time.monotonic()
        if client not in self._buckets and len(self._buckets) >= self.clients:
            for key in [k for k in self._buckets if self._refilled(k, now)]:
                del self._buckets[key]
            if len(self._buckets) >= self.clients:
                client = self.OVERFLOW
        tokens, last = self._buckets.get(client, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        self._buckets[client] = (tokens - 1, now) if tokens >= 1 else (tokens, now)
        return tokens >= 1


LIMIT = RateLimit(float(os.environ.get("CRUCE_RATE_LIMIT", "100")))

# The Host names a request may carry (against DNS rebinding); ``cruce serve`` sets
# ``CRUCE_ALLOWED_HOSTS``. Unset (the app embedded or under test), any Host is served.
ALLOWED_HOSTS = frozenset(filter(None, os.environ.get("CRUCE_ALLOWED_HOSTS", "").split(",")))


def _host_allowed(scope: dict[str, Any]) -> bool:
    if not ALLOWED_HOSTS:
        return True
    host = dict(scope["headers"]).get(b"host", b"").decode("latin-1").lower()
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return name.strip("[]") in ALLOWED_HOSTS


def _problem_response(status: int, title: str, detail: str, **headers: str) -> JSONResponse:
    response = problem_response(Problem(status, title, detail))
    response.headers.update({**SECURITY_HEADERS, **headers})
    return response


# Requests that take seconds and hundreds of MB (exposure, audits): at most this many run at
# once (one per core by default, ``CRUCE_HEAVY_AT_ONCE``); more are answered 503 + Retry-After
# rather than queued, so six of them cannot take the machine's memory together.
HEAVY_REQUESTS = frozenset({("POST", "/v1/exposure"), ("POST", "/v1/audits"), ("POST", "/audit")})
HEAVY_AT_ONCE = int(os.environ.get("CRUCE_HEAVY_AT_ONCE", str(os.cpu_count() or 1)))


class _TooLarge(Exception):
    """A request body grew past MAX_BODY_BYTES while being read."""


class Guard:
    """Rate limit, body size limit and security headers, as plain ASGI middleware (Starlette's
    ``BaseHTTPMiddleware`` costs a task and a stream copy per request)."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.headers = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
        self.heavy_running = 0  # one event loop per process: a plain counter is safe

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.inner(scope, receive, send)
            return
        client = scope["client"][0] if scope.get("client") else "unknown"
        refusal = None
        if not _host_allowed(scope):
            refusal = _problem_response(
                421,
                "Host not allowed",
                f"this server answers for {', '.join(sorted(ALLOWED_HOSTS))} only",
            )
        elif not LIMIT.allow(client):
            limit = LIMIT.rate
            refusal = _problem_response(
                429,
                "Too many requests",
                f"more than {limit:g} requests a second from this address",
                **{"Retry-After": "1"},
            )
        length = dict(scope["headers"]).get(b"content-length", b"")
        if refusal is None and length.isdigit() and int(length) > MAX_BODY_BYTES:
            refusal = _problem_response(
                413,
                "Request too large",
                f"the body is {int(length):,} bytes; the limit is {MAX_BODY_BYTES:,}",
            )
        heavy = (scope["method"], scope["path"]) in HEAVY_REQUESTS
        if refusal is None and heavy and self.heavy_running >= HEAVY_AT_ONCE:
            refusal = _problem_response(
                503,
                "Busy",
                f"{HEAVY_AT_ONCE} exposure or audit requests are running; try again shortly",
                **{"Retry-After": "5"},
            )
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        if heavy:
            self.heavy_running += 1
            try:
                await self._guarded(scope, receive, send)
            finally:
                self.heavy_running -= 1
        else:
            await self._guarded(scope, receive, send)

    async def _guarded(self, scope, receive, send) -> None:
        """The request with its body counted, the headers added and any error made a problem."""
        received, started = 0, False

        async def counted_receive():
            # a body sent in chunks has no Content-Length: count it as it comes
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > MAX_BODY_BYTES:
                raise _TooLarge
            return message

        async def send_with_headers(message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [*message.get("headers", []), *self.headers]
            await send(message)

        try:
            await self.inner(scope, counted_receive, send_with_headers)
        except _TooLarge:
            if started:
                raise
            detail = f"the body is over the limit of {MAX_BODY_BYTES:,} bytes"
            await _problem_response(413, "Request too large", detail)(scope, receive, send)
        except Exception as error:
            # Any error no handler named: a problem+json with the headers, never a traceback.
            # Only the error's type is logged: its message may carry case facts.
            logging.getLogger("cruce").error(
                "unexpected %s on %s", type(error).__name__, scope["path"]
            )
            if started:
                raise
            detail = "the server failed on this request; nothing was stored"
            await _problem_response(500, "Internal error", detail)(scope, receive, send)


app.add_middleware(Guard)


class DeterminationRequest(BaseModel):
    """A case and, optionally, the instant or named regime to decide it at."""

    model_config = ConfigDict(extra="forbid")

    case: dict[str, Any] = Field(description="Case facts, named as in docs/facts.md")
    at: str | None = Field(None, description="ISO date or date-time with offset")
    regime: str | None = Field(None, description="A regime id from GET /v1/regimes")
    counterfactuals: bool = Field(False, description="Also compute what would change it")


@app.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok", "version": __version__}


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """JSON already made of plain values, encoded once by the json module, with no response
    model to validate it against again."""
    encoded = json.dumps(body, ensure_ascii=False, allow_nan=False).encode("utf-8")
    return Response(encoded, status_code=status, headers=headers, media_type="application/json")


DETERMINATION_RESPONSE = {
    200: {"description": "A determination (docs/json-schema.md)", "content": {JSON: {}}}
}


@app.post("/v1/determinations", response_class=Response, responses=DETERMINATION_RESPONSE)
async def post_determination(request: DeterminationRequest) -> Response:
    """What the law in force lets DHS do with one case, why, and what is still unknown."""
    # async: a determination takes under a millisecond of CPU, less than a thread hop costs
    try:
        case = parse_case(request.case, "case")
        at = parse_instant(request.at) if request.at else None
        result = determine(
            case, at=at, regime=request.regime, counterfactuals=request.counterfactuals
        )
    except CaseError as error:
        raise Problem(422, "Invalid case", str(error)) from None
    except ValueError as error:  # a bad --at, regime or instant
        kind = (DeterminationError, TimelineError)
        title = "Cannot decide" if isinstance(error, kind) else "Invalid instant"
        raise Problem(422, title, str(error)) from None
    return _json(to_json(result))


@app.get("/v1/regimes")
def get_regimes() -> list[dict[str, Any]]:
    """The named regimes (docs/law/regimes.md) and the hypothetical ones, with their sources."""
    return [
        {
            "id": r.id,
            "start": r.start.isoformat(),
            "end": r.end.isoformat() if r.end else None,
            "title": r.title,
            "hypothetical": r.timeline is not None,
            "citations": [c.source for c in r.citations],
        }
        for r in regimes().values()
    ]


@app.get("/v1/rules")
def get_rules() -> list[dict[str, Any]]:
    """Every rule: its question, outcome, modality, verification status and citations."""
    return [
        {
            "question": e.question,
            "rule": e.branch.name,
            "outcome": e.branch.outcome.code,
            "modality": e.branch.outcome.modality.value,
            "verification": e.status.value,
            "citations": [str(c) for c in e.citations],
            "open_questions": e.open_questions,
        }
        for e in rule_entries()
    ]


RELEASE_SUFFIXES = (".gz", ".psv", ".txt")
"""An ICE FOIA release as ICE publishes it (pipe-separated, usually gzip)."""


def _release_upload(upload: UploadFile) -> str | None:
    """The ICE release report for an upload that is one, audited in memory; else None."""
    name = Path(upload.filename or "release.psv.gz").name
    if Path(name).suffix.lower() not in RELEASE_SUFFIXES:
        return None
    try:
        result = audit_releases([Path(name)], data={name: upload.file.read()})
    except TableError as error:
        raise Problem(422, "Invalid ICE release", str(error)) from None
    summary = consulate_summary(result)
    return render_ice_report(result, summary, country="MX", standalone=False)


def _audit_upload(upload: UploadFile) -> tuple[Any, list[str], Any]:
    """Audit an uploaded caseload in memory: it is never written to disk."""
    suffix = Path(upload.filename or "caseload.csv").suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise Problem(
            415,
            "Unsupported file",
            "upload a .csv or .parquet caseload, or an ICE release (.psv.gz)",
            valid=[".csv", ".parquet", *RELEASE_SUFFIXES],
        )
    name = Path(upload.filename or f"caseload{suffix}").name
    try:
        table, absent = read_table(name, caseload_columns(), data=upload.file.read())
    except TableError as error:
        errors = [
            {"row": e.row, "column": e.column, "value": e.value, "reason": e.reason}
            for e in error.errors
        ]
        raise Problem(422, "Invalid caseload", str(error), errors=errors) from None
    return audit_frame(table), absent, table


# Findings in one answer at most; the rest by posting the file again with ``offset`` (nothing
# is kept between requests, so there is no cursor to hold).
FINDINGS_PAGE = 1_000
MAX_FINDINGS_PAGE = 10_000


@app.post("/v1/audits")
def post_audit(
    file: UploadFile = File(...),  # noqa: B008
    offset: int = Query(0, ge=0, description="First finding to return (0-based)"),
    limit: int = Query(FINDINGS_PAGE, ge=1, le=MAX_FINDINGS_PAGE, description="Findings to return"),
) -> dict[str, Any]:
    """Audit a caseload (CSV or Parquet): the count of every finding, and one page of the
    findings as JSON; post the same file with ``offset=next_offset`` for the next page.
    Nothing is stored."""
    findings, absent, table = _audit_upload(file)
    page = findings.slice(offset, limit)
    following = offset + page.height
    counts = findings.group_by("finding", "severity").len("findings").sort("finding", "severity")
    return {
        "rows": table.height,
        "absent_columns": absent,
        "findings_total": findings.height,
        "summary": counts.to_dicts(),
        "offset": offset,
        "limit": limit,
        "next_offset": following if following < findings.height else None,
        "findings": page.with_columns(
            page.get_column("action_instant").dt.to_string("%Y-%m-%dT%H:%M:%S%z")
        ).to_dicts(),
        "notice": NOTICE,
    }


@app.get("/audit", response_class=HTMLResponse)
def audit_page() -> str:
    """The audit page: upload a caseload, get the report and the findings to download."""
    return render("audit.html")


@app.post("/audit", response_class=HTMLResponse)
def audit_results(file: UploadFile = File(...)) -> str:  # noqa: B008
    """The audit report for an uploaded caseload, with its findings to download (a data URL:
    nothing is kept on the server), or for an ICE release."""
    release = _release_upload(file)
    if release is not None:
        return release
    findings, absent, table = _audit_upload(file)
    buffer = io.BytesIO()
    write_csv(findings, buffer)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    return render_report(
        findings,
        source=file.filename or "upload",
        cases=table.get_column("case_id").n_unique(),
        rows=table.height,
        absent_columns=absent,
        standalone=False,
        download={"name": f"findings-{stamp}.csv", "href": f"data:text/csv;base64,{encoded}"},
    )


@app.get("/screener", response_class=HTMLResponse)
def screener_page(request: Request, lang: str | None = None) -> str:
    """The case screener: an interview asking only for the facts that can still change an
    answer, in English or Spanish (``?lang=es`` or ``Accept-Language``)."""
    return screener.page(lang=screener.language(lang, request.headers.get("accept-language")))


@app.post("/screener", response_class=HTMLResponse)
async def screener_answer(request: Request, lang: str | None = None) -> str:
    """The screener with the answers given so far (kept in the form, not on the server)."""
    form = await request.form()
    answers = {k: [str(v) for v in form.getlist(k)] for k in form}
    chosen = screener.language(lang, request.headers.get("accept-language"))
    return screener.page(answers, lang=chosen)


PDF_RESPONSE = {200: {"description": "The result as a PDF", "content": {"application/pdf": {}}}}


@app.post("/screener/pdf", response_class=Response, responses=PDF_RESPONSE)
async def screener_pdf(request: Request, lang: str | None = None) -> Response:
    """The screener's result for the answers in the form body, printed to PDF by headless
    Chromium on the server. The answers come in the body and go nowhere else: nothing is
    stored or logged."""
    form = await request.form()
    answers = {k: [str(v) for v in form.getlist(k)] for k in form}
    chosen = screener.language(lang, request.headers.get("accept-language"))
    if browser.chromium() is None:
        raise Problem(503, "PDF unavailable", "this server has no Chromium to print with")
    try:
        document = await run_in_threadpool(screener.pdf, answers, chosen)
    except screener.NotFinished as error:
        raise Problem(422, "Interview not finished", str(error)) from None
    disposition = 'attachment; filename="cruce-screener.pdf"'
    return Response(
        document, media_type="application/pdf", headers={"Content-Disposition": disposition}
    )


@app.get("/mexico", response_class=HTMLResponse)
def mexico_page(request: Request, lang: str | None = None) -> str:
    """Mexico's side: non-Mexicans returned to Mexico as applied, as the 2017 guidance directed
    and from 2025; Mexicans exposed to expedited removal by regime (``?lang=es`` or
    ``Accept-Language``)."""
    from cruce.web import mexico

    return mexico.page(lang=screener.language(lang, request.headers.get("accept-language")))


@app.get("/mexico/consulate-rows.csv")
def mexico_consulate_rows() -> Response:
    """Every row of ICE's releases behind the /mexico page's consulate counts: file, line, fiscal
    year, apprehension date, finding and status (once the page's runs are computed)."""
    from cruce.web import mexico

    data = mexico.ice_rows_csv()
    if data is None:
        raise Problem(
            404,
            "No consulate audit",
            "the /mexico page has no ICE audit yet: the server was given no release files "
            "(cruce serve --ice FILE), or the page's runs are still being computed",
        )
    disposition = 'attachment; filename="consulate-rows.csv"'
    return Response(data, media_type="text/csv", headers={"Content-Disposition": disposition})


@app.get("/timeline", response_class=HTMLResponse)
def timeline_view() -> str:
    """The regimes 2014–2026 and every dated row, with sources."""
    return pages.timeline_page()


@app.get("/rules", response_class=HTMLResponse)
def rules_view() -> str:
    """The rule catalogue with citations and open questions."""
    return pages.rules_page()


@app.get("/sources", response_class=HTMLResponse)
def sources_view() -> str:
    """The data sources behind every shipped number."""
    return pages.sources_page()


# --- Populations and simulations ------------------------------------------------------------


class ExposureRequest(BaseModel):
    """Instants and/or named regimes to compare on a synthetic population."""

    model_config = ConfigDict(extra="forbid")

    at: list[str] = Field([], description="ISO dates or date-times with offset", max_length=12)
    regimes: list[str] = Field([], description="Regime ids from GET /v1/regimes", max_length=12)
    size: int = Field(50_000, ge=1_000, le=MAX_EXPOSURE_SIZE, description="Synthetic persons")
    seed: int = Field(2017, ge=0, le=2**32 - 1)
    assumptions: dict[str, float] = Field(
        {},
        description="Shares of the synthetic population to change, from 0 to 1: "
        "share_entered_without_inspection, share_presence_documentable, "
        "share_within_100_miles_elsewhere, share_minors",
    )


@app.post("/v1/exposure")
def post_exposure(request: ExposureRequest) -> dict[str, Any]:
    """How many people each instant or regime exposes to expedited removal (weighted to the
    published 11.4 million), on a synthetic population of ``size`` persons."""
    import polars as pl

    from cruce.population import exposure as ex
    from cruce.population.synthetic import AssumptionError, Assumptions, build_population

    if not request.at and not request.regimes:
        raise Problem(422, "Nothing to compare", "give at least one instant (at) or regime")
    try:
        compared = ex.points(request.at, request.regimes)
    except (TimelineError, ValueError) as error:
        raise Problem(422, "Invalid instant or regime", str(error)) from None
    try:
        assumptions = Assumptions().with_settings(request.assumptions)
    except AssumptionError as error:
        raise Problem(422, "Invalid assumption", str(error)) from None
    population, _ = build_population(request.size, request.seed, assumptions=assumptions)
    table = ex.exposure_table(population, compared)
    headline = ex.headline(table)
    return {
        "size": request.size,
        "seed": request.seed,
        "assumptions": assumptions.to_dict(),
        "headline": headline.with_columns(
            pl.col("at").dt.strftime("%Y-%m-%dT%H:%M:%S%:z")
        ).to_dicts(),
        "notice": NOTICE,
    }


JOBS = Jobs()


class SimulationRequest(BaseModel):
    """A shipped scenario by name, or a whole scenario as YAML text (docs/methods.md)."""

    model_config = ConfigDict(extra="forbid")

    scenario: str | None = Field(None, description="A name from GET /v1/scenarios")
    scenario_yaml: str | None = Field(None, description="A scenario file's text", max_length=20_000)
    replicates: int | None = Field(None, ge=1, le=MAX_API_REPLICATES)
    seed: int | None = Field(None, ge=0, le=2**32 - 1)


def _scenario_of(request: SimulationRequest):
    if (request.scenario is None) == (request.scenario_yaml is None):
        raise Problem(422, "Invalid simulation", "give scenario or scenario_yaml (one of them)")
    import yaml

    shipped = shipped_scenarios()
    try:
        if request.scenario is not None:
            # only shipped scenarios by name: the server never reads a path a client names
            if request.scenario not in shipped:
                raise ScenarioError(
                    f"scenario: {request.scenario!r} is not a shipped scenario; valid: "
                    f"{', '.join(shipped)} (or send your own as scenario_yaml)"
                )
            scenario = load_scenario(request.scenario)
        else:
            scenario = parse_scenario(yaml.safe_load(request.scenario_yaml), "scenario_yaml")
    except yaml.YAMLError as error:
        raise Problem(422, "Invalid scenario", f"scenario_yaml: not valid YAML: {error}") from None
    except RecursionError:
        raise Problem(422, "Invalid scenario", "scenario_yaml: nested too deeply to read") from None
    except (ScenarioError, ValueError) as error:
        raise Problem(422, "Invalid scenario", str(error)) from None
    changes = {"replicates": min(scenario.replicates, MAX_API_REPLICATES)}
    given = (("replicates", request.replicates), ("seed", request.seed))
    changes |= {k: v for k, v in given if v is not None}
    return scenario.model_copy(update=changes)


@app.post("/v1/simulations", status_code=202, response_class=Response)
def post_simulation(request: SimulationRequest) -> Response:
    """Start a simulation job; poll ``GET /v1/simulations/{id}`` for progress and results."""
    scenario = _scenario_of(request)
    try:  # months the tables lack must come from the scenario: say so now, not in the job
        from cruce.simulation.data import Evidence
        from cruce.simulation.inputs import month_range, monthly_inputs

        given = {y: v.distribution.mean() for y, v in scenario.inputs.encounters_by_year.items()}
        monthly_inputs(month_range(scenario.first_month, scenario.months), Evidence(), given)
    except MissingInput as error:
        raise Problem(422, "Missing inputs", str(error)) from None
    try:
        job = JOBS.submit(scenario)
    except Busy as error:
        raise Problem(503, "Busy", f"{error}; try again later") from None
    return _json(job.view(with_bands=False), 202, {"Location": f"/v1/simulations/{job.id}"})


@app.get("/v1/simulations/{job_id}", response_class=Response)
def get_simulation(job_id: str, bands: bool = False) -> Response:
    """A simulation job: status and progress; when done, the summary (and, with
    ``bands=true``, the median and 5–95% band of every metric by month)."""
    job = JOBS.get(job_id)
    if job is None:
        raise Problem(404, "No such simulation", f"no job {job_id!r} (jobs are kept in memory)")
    return _json(job.view(with_bands=bands))


@app.get("/v1/scenarios")
def get_scenarios() -> list[dict[str, Any]]:
    """The shipped scenarios, each with its YAML text to edit and submit."""
    return [
        {
            "name": name,
            "title": (scenario := load_scenario(name)).title,
            "timeline": scenario.timeline,
            "start": scenario.start,
            "months": scenario.months,
            "yaml": text,
        }
        for name, text in shipped_scenarios().items()
    ]


@app.get("/scenarios", response_class=HTMLResponse)
def scenarios_page() -> str:
    """The scenario dashboard: choose or edit a scenario, run it, compare two."""
    return dashboard.page()


@app.get("/static/plotly.min.js", include_in_schema=False)
def plotly_js() -> FileResponse:
    """Plotly's JavaScript from the installed package (no CDN)."""
    return FileResponse(dashboard.plotly_path(), media_type="text/javascript")


# after the plotly route, so that /static/plotly.min.js is served from the plotly package
app.mount("/static", StaticFiles(directory=STATIC), name="static")
