"""Load test of the HTTP API on loopback: ``POST /v1/determinations`` against a real server.

The real server is started as a subprocess (``uvicorn cruce.web.api:app --workers N``, with
``CRUCE_RATE_LIMIT=0`` so that the per-client rate limit does not throttle the load generator)
for each worker count (default 1 and 2). The requests are the shipped example case E1 at 32
instants spread over 2015–2026 (so over every regime since its entry, and so that a cache of
answers would not be what is measured); once ``GET /healthz`` answers, each is sent once and its
answer checked (200, a determination). Then C keep-alive HTTP/1.1 connections (default 32),
opened one after another during the warm-up, send them in turn, one request at a time per
connection, for a warm-up (default 3 s, not counted) and a fixed measured window (default 10 s).
The CPU time of each server process is reported, which shows how the connections were shared
between the workers.

The load generator is deliberately cheap — one asyncio loop on raw ``asyncio.open_connection``
sockets, request bytes encoded once, responses read by their Content-Length — so that it takes
as little CPU from the server as it can. Its own CPU time is reported, and so is the server's.

Budget (design doc): at least 1,000 requests/s with p99 under 50 ms on a 2-core machine.

Run ``.venv/bin/python benchmarks/bench_api_load.py``; results are printed as a table and saved
to ``benchmarks/results/api_load.json``. Any non-200 answer makes the run fail (exit 1).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import importlib.metadata
import importlib.util
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

from _common import print_checks, save

ROOT = Path(__file__).resolve().parents[1]
RESULTS_PATH = Path(__file__).resolve().parent / "results" / "api_load.json"
EXAMPLE = ROOT / "src" / "cruce" / "examples" / "e1-guatemalan-interior.yaml"
HOST = "127.0.0.1"
PATH = "/v1/determinations"
APP = "cruce.web.api:app"

THROUGHPUT_BUDGET_RPS = 1000.0  # at least 1,000 requests/s ...
P99_BUDGET_MS = 50.0  # ... with p99 under 50 ms (on 2 cores)

DEFAULT_WORKERS = (1, 2)
CONCURRENCY = 32
WARMUP_S = 3.0
DURATION_S = 10.0
INSTANTS = 32  # the example case at this many dates from FIRST_DAY to LAST_DAY
FIRST_DAY = dt.date(2015, 10, 2)  # the day after E1's last entry
LAST_DAY = dt.date(2026, 6, 30)
STARTUP_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0
# Connections open one after another, this far apart (during the warm-up), as clients arrive:
# opened all at once, one uvicorn worker accepts them all (asyncio accepts every pending
# connection when it wakes), and keep-alive connections stay with the worker that accepted them.
STAGGER_S = 0.02
OPEN_LOOP_SERVED = 0.99  # open loop: share of the offered rate that must be answered
OTHER_LOAD_WARNING = 0.1  # cores used by other processes than the server and the generator


# --------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def http(method: str, port: int, path: str, body: bytes | None = None) -> tuple[int, bytes, dict]:
    """One plain request (not timed): status, body, headers."""
    request = urllib.request.Request(f"http://{HOST}:{port}{path}", data=body, method=method)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


@dataclass
class Server:
    """A uvicorn subprocess, in its own session so that it and its workers stop together."""

    process: subprocess.Popen
    port: int
    log: Path  # the server's stdout and stderr

    def output(self, tail: int = 4000) -> str:
        return self.log.read_text("utf-8", "replace")[-tail:]


def start_server(workers: int, app: str = APP) -> Server:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        app,
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
    ]
    env = dict(os.environ, CRUCE_RATE_LIMIT="0")
    handle, name = tempfile.mkstemp(prefix="cruce-uvicorn-", suffix=".log")
    os.close(handle)
    progress(f"starting: CRUCE_RATE_LIMIT=0 {' '.join(command[1:])}")
    with open(name, "ab") as log:  # the child appends; this process only reads the file
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(process, port, Path(name))
    try:
        wait_healthy(server, workers)
    except BaseException:
        stop_server(server)
        raise
    return server


def wait_healthy(server: Server, workers: int) -> None:
    """Until GET /healthz answers 200 and every worker has started."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"the server exited ({server.process.returncode}):\n{server.output()}"
            )
        with contextlib.suppress(OSError):
            status, _, _ = http("GET", server.port, "/healthz")
            # Each worker logs this once its app is loaded; /healthz may come from the first.
            started = server.output(tail=10**6).count("Application startup complete")
            if status == 200 and started >= workers:
                return
        time.sleep(0.1)
    raise RuntimeError(
        f"GET /healthz did not answer within {STARTUP_TIMEOUT_S} s:\n{server.output()}"
    )


def stop_server(server: Server) -> None:
    """SIGTERM to the server's own process group (graceful), SIGKILL if it does not stop."""
    if server.process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.process.pid, signal.SIGTERM)
        try:
            server.process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait()
    # Workers left behind by a killed master are still in its session: make sure they are gone.
    if server_pids(server):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(server.process.pid, signal.SIGKILL)
    server.log.unlink(missing_ok=True)


@contextlib.contextmanager
def running_server(workers: int, app: str = APP) -> Iterator[Server]:
    server = start_server(workers, app)
    try:
        yield server
    finally:
        stop_server(server)


def server_pids(server: Server) -> list[int]:
    """The server's master and every process in its session (workers), from /proc."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == server.process.pid:  # session id (field 6 of stat)
            pids.append(int(entry.name))
    return pids


def server_cpu(server: Server) -> dict[int, float]:
    """User + system CPU seconds used so far by each of the server's live processes (Linux;
    empty where /proc is not available)."""
    ticks = os.sysconf("SC_CLK_TCK")
    used = {}
    with contextlib.suppress(OSError):
        for pid in server_pids(server):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            used[pid] = (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return used


def cpu_used(before: dict[int, float], after: dict[int, float]) -> list[float]:
    """CPU seconds each server process used between two samples, busiest first."""
    return sorted((round(after[pid] - before.get(pid, 0.0), 2) for pid in after), reverse=True)


def machine_busy_s() -> float | None:
    """CPU seconds the whole machine has been busy (all CPUs, not idle or waiting), from
    /proc/stat; None where unavailable."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return None
    ticks = [int(value) for value in fields[:8]]  # user nice system idle iowait irq softirq steal
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


# --------------------------------------------------------------------------------------------
# The request
# --------------------------------------------------------------------------------------------


def spread_days(count: int, first: dt.date = FIRST_DAY, last: dt.date = LAST_DAY) -> list[str]:
    """``count`` ISO dates evenly spread from ``first`` to ``last``."""
    if count == 1:
        return [first.isoformat()]
    step = (last - first).days / (count - 1)
    return [(first + dt.timedelta(days=round(step * i))).isoformat() for i in range(count)]


def request_body(at: str, counterfactuals: bool) -> bytes:
    """The example case as a JSON client sends it (dates as ISO strings), at one instant."""
    case = yaml.safe_load(EXAMPLE.read_text("utf-8"))
    body: dict[str, Any] = {"case": case, "at": at}
    if counterfactuals:
        body["counterfactuals"] = True
    return json.dumps(body, default=str, separators=(",", ":")).encode("utf-8")


def encode_request(port: int, body: bytes) -> bytes:
    head = (
        f"POST {PATH} HTTP/1.1\r\n"
        f"Host: {HOST}:{port}\r\n"
        "Content-Type: application/json\r\n"
        "Accept: application/json\r\n"
        f"Content-Length: {len(body)}\r\n"
        "\r\n"
    )
    return head.encode("ascii") + body


def check_determinations(port: int, bodies: list[bytes]) -> dict[str, Any]:
    """Each request once before timing: each must be 200 and a determination."""
    regimes, sizes, content_types, questions = [], [], set(), set()
    for body in bodies:
        status, raw, headers = http("POST", port, PATH, body)
        if status != 200:
            raise RuntimeError(f"POST {PATH} answered {status}, not 200:\n{raw[:2000]!r}")
        data = json.loads(raw)
        asked = {o.get("question") for o in data.get("outcomes", [])}
        if not data.get("regime") or not {"expedited_removal", "procedure"} <= asked:
            raise RuntimeError(f"POST {PATH} did not answer a determination:\n{raw[:2000]!r}")
        regimes.append(data["regime"])
        sizes.append(len(raw))
        content_types.add(headers.get("content-type"))
        questions |= asked
    return {
        "regimes": sorted(set(regimes), key=regimes.index),
        "questions": sorted(q for q in questions if q),
        "response_bytes_min": min(sizes),
        "response_bytes_max": max(sizes),
        "response_bytes_mean": round(statistics.fmean(sizes)),
        "content_types": sorted(t for t in content_types if t),
    }


# --------------------------------------------------------------------------------------------
# The load generator
# --------------------------------------------------------------------------------------------


class BadResponse(Exception):
    pass


async def read_response(reader: asyncio.StreamReader) -> tuple[int, int, bool]:
    """Status, body length and whether the server closes the connection after it."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length, close = None, False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"connection":
            close = value.strip().lower() == b"close"
        elif name == b"transfer-encoding":
            raise BadResponse(f"unexpected Transfer-Encoding: {value.strip()!r}")
    if length is None:
        raise BadResponse(f"no Content-Length in {head[:200]!r}")
    await reader.readexactly(length)
    return status, length, close


@dataclass
class Tally:
    """What the connections recorded in the measured window."""

    latencies_ns: list[int]
    completed_in_window: int
    completed: int  # warm-up included
    statuses: Counter
    reconnects: int


@dataclass
class Pacer:
    """Open loop: request k is due at ``begin + k / rate``; a free connection sends it then (or at
    once if it is late), and its latency counts from when it was due, so that a server falling
    behind shows as latency instead of being hidden by a slower load (coordinated omission)."""

    begin: int
    interval_ns: float
    issued: int = 0

    def next_due(self) -> int:
        due = self.begin + int(self.issued * self.interval_ns)
        self.issued += 1
        return due


async def one_connection(
    port: int,
    requests: list[bytes],
    first: int,
    measure_from: int,
    stop_at: int,
    tally: Tally,
    opening: asyncio.Lock | None,
    pacer: Pacer | None = None,
) -> None:
    """Send ``requests`` in turn from the ``first``, one at a time, until ``stop_at``: each as
    soon as the previous answer is read (closed loop), or when ``pacer`` says it is due. With
    ``opening``, connect only after the previous connection has, and STAGGER_S later."""
    if opening is None:
        reader, writer = await asyncio.open_connection(HOST, port)
    else:
        async with opening:
            reader, writer = await asyncio.open_connection(HOST, port)
            await asyncio.sleep(STAGGER_S)
    clock = time.perf_counter_ns
    turn = first
    try:
        while True:
            if pacer is None:
                start = clock()
            else:
                start = pacer.next_due()
                if start - clock() > 0:
                    await asyncio.sleep((start - clock()) / 1e9)
            if start >= stop_at:
                return
            writer.write(requests[turn % len(requests)])
            turn += 1
            status, _, close = await read_response(reader)
            done = clock()
            tally.completed += 1
            if start >= measure_from:
                tally.latencies_ns.append(done - start)
                tally.statuses[status] += 1
            elif status != 200:  # an error in the warm-up is an error too
                tally.statuses[status] += 1
            if measure_from <= done <= stop_at:
                tally.completed_in_window += 1
            if close:
                writer.close()
                reader, writer = await asyncio.open_connection(HOST, port)
                tally.reconnects += 1
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()


async def generate_load(
    port: int,
    requests: list[bytes],
    concurrency: int,
    warmup_s: float,
    duration_s: float,
    burst: bool = False,
    rate: float | None = None,
) -> Tally:
    tally = Tally([], 0, 0, Counter(), 0)
    begin = time.perf_counter_ns()
    measure_from = begin + int(warmup_s * 1e9)
    stop_at = measure_from + int(duration_s * 1e9)
    opening = None if burst else asyncio.Lock()
    pacer = Pacer(begin, 1e9 / rate) if rate else None
    tasks = [
        one_connection(port, requests, i, measure_from, stop_at, tally, opening, pacer)
        for i in range(concurrency)
    ]
    await asyncio.gather(*tasks)
    return tally


# --------------------------------------------------------------------------------------------
# One run per worker count
# --------------------------------------------------------------------------------------------


@dataclass
class LoadRun:
    """``POST /v1/determinations`` with ``workers`` uvicorn workers and ``concurrency``
    keep-alive connections, over a measured window of ``duration_s`` after ``warmup_s``."""

    workers: int
    concurrency: int
    offered_rate: float | None  # open loop: requests/s sent on schedule; None: closed loop
    warmup_s: float
    duration_s: float
    requests: int
    completed_in_window: int
    requests_per_s: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float
    errors: int
    statuses: dict[str, int]
    reconnects: int
    server_processes: int
    server_cpu_s: float | None
    server_cpu_ms_per_request: float | None
    server_cpu_s_per_process: list[float]
    client_cpu_s: float
    other_load_cores: float | None


def measure(workers: int, args: argparse.Namespace, bodies: list[bytes]) -> tuple[LoadRun, dict]:
    with running_server(workers, args.app) as server:
        checked = check_determinations(server.port, bodies)
        requests = [encode_request(server.port, body) for body in bodies]
        processes = len(server_pids(server))
        progress(
            f"{workers} worker(s): {args.concurrency} connections, {args.warmup:g} s warm-up, "
            f"{args.duration:g} s measured"
        )
        # CPU is sampled around the whole load (warm-up included), then scaled to the window.
        cpu_before, client_before = server_cpu(server), time.process_time()
        busy_before = machine_busy_s()
        wall_before = time.perf_counter()
        tally = asyncio.run(
            generate_load(
                server.port,
                requests,
                args.concurrency,
                args.warmup,
                args.duration,
                args.burst,
                args.rate,
            )
        )
        wall = time.perf_counter() - wall_before
        cpu_after, client_cpu = server_cpu(server), time.process_time() - client_before
        busy_after = machine_busy_s()
    samples = sorted(ns / 1e6 for ns in tally.latencies_ns)
    if not samples:
        raise RuntimeError(f"no request completed in the measured window ({workers} workers)")
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    errors = sum(count for status, count in tally.statuses.items() if status != 200)
    per_process = cpu_used(cpu_before, cpu_after)
    other = None
    if busy_before is not None and busy_after is not None and per_process:
        other = max(busy_after - busy_before - sum(per_process) - client_cpu, 0.0) / wall
    cpu = sum(per_process) if per_process else None
    run = LoadRun(
        workers=workers,
        concurrency=args.concurrency,
        offered_rate=args.rate,
        warmup_s=args.warmup,
        duration_s=args.duration,
        requests=len(samples),
        completed_in_window=tally.completed_in_window,
        requests_per_s=round(tally.completed_in_window / args.duration, 1),
        p50_ms=round(statistics.median(samples), 2),
        p90_ms=round(cuts[89], 2),
        p99_ms=round(cuts[98], 2),
        max_ms=round(samples[-1], 2),
        mean_ms=round(statistics.fmean(samples), 2),
        errors=errors,
        statuses={str(status): count for status, count in sorted(tally.statuses.items())},
        reconnects=tally.reconnects,
        server_processes=processes,
        server_cpu_s=None if cpu is None else round(cpu, 2),
        server_cpu_ms_per_request=None if cpu is None else round(cpu / tally.completed * 1e3, 3),
        server_cpu_s_per_process=per_process,
        client_cpu_s=round(client_cpu, 2),
        other_load_cores=None if other is None else round(other, 2),
    )
    return run, checked


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def progress(message: str) -> None:
    print(f"… {message}", file=sys.stderr, flush=True)


def version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def environment() -> dict[str, Any]:
    return {
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cruce": version("cruce"),
        "fastapi": version("fastapi"),
        "starlette": version("starlette"),
        "pydantic": version("pydantic"),
        "uvicorn": version("uvicorn"),
        # uvicorn picks uvloop and httptools when installed, else asyncio and h11.
        "uvicorn_loop": "uvloop" if importlib.util.find_spec("uvloop") else "asyncio",
        "uvicorn_http": "httptools" if importlib.util.find_spec("httptools") else "h11",
    }


def load_of(run: LoadRun) -> str:
    loop = f"open loop at {run.offered_rate:,.0f}/s" if run.offered_rate else "closed loop"
    return f"{run.workers} worker(s), {run.concurrency} connections, {loop}"


def keeps_up(run: LoadRun) -> bool:
    """At least the budget's requests/s: measured (closed loop), or offered and served (open
    loop: all but 1% of the offered rate answered in the window)."""
    if run.offered_rate:
        served = run.requests_per_s >= OPEN_LOOP_SERVED * run.offered_rate
        return served and run.offered_rate >= THROUGHPUT_BUDGET_RPS
    return run.requests_per_s >= THROUGHPUT_BUDGET_RPS


def budgets(runs: list[LoadRun]) -> list[dict[str, Any]]:
    checks = []
    for run in runs:
        checks.append(
            {
                "what": f"requests/s, {load_of(run)}",
                "budget": f">= {THROUGHPUT_BUDGET_RPS:,.0f}",
                "value": run.requests_per_s,
                "pass": keeps_up(run),
            }
        )
        checks.append(
            {
                "what": f"p99 ms, {load_of(run)}",
                "budget": f"< {P99_BUDGET_MS:g}",
                "value": run.p99_ms,
                "pass": run.p99_ms < P99_BUDGET_MS,
            }
        )
    return checks


def met_by(runs: list[LoadRun]) -> list[int]:
    """Worker counts that meet both halves of the budget at once."""
    return [run.workers for run in runs if keeps_up(run) and run.p99_ms < P99_BUDGET_MS]


def print_report(
    env: dict[str, Any], checked: dict, runs: list[LoadRun], checks: list[dict]
) -> None:
    print(
        f"Machine: {env['cpu_count']} CPUs, {env['platform']}; Python {env['python']}, "
        f"uvicorn {env['uvicorn']} ({env['uvicorn_loop']} + {env['uvicorn_http']}), "
        f"FastAPI {env['fastapi']}, Starlette {env['starlette']}, Pydantic {env['pydantic']}"
    )
    days = checked["days"]
    span = days[0] if len(days) == 1 else f"{len(days)} dates from {days[0]} to {days[-1]}"
    print(
        f"\nPOST {PATH}, the example case E1 at {span} ({len(checked['regimes'])} regimes), "
        f"{checked['request_bytes']:,} B requests, {checked['response_bytes_min']:,}–"
        f"{checked['response_bytes_max']:,} B answers; keep-alive HTTP/1.1 on loopback, "
        + (
            f"open loop at {runs[0].offered_rate:,.0f} requests/s"
            if runs[0].offered_rate
            else "closed loop (each connection sends as soon as it has its answer)"
        )
    )
    print(
        f"{'workers':>7}{'conns':>6}{'requests':>10}{'req/s':>9}{'p50 ms':>8}{'p90 ms':>8}"
        f"{'p99 ms':>8}{'max ms':>8}{'errors':>7}{'srv CPU s':>10}{'CPU ms/req':>11}"
        f"{'client CPU s':>13}"
    )
    for run in runs:
        cpu = "n/a" if run.server_cpu_s is None else f"{run.server_cpu_s:.1f}"
        per = "n/a" if run.server_cpu_ms_per_request is None else f"{run.server_cpu_ms_per_request}"
        print(
            f"{run.workers:>7}{run.concurrency:>6}{run.requests:>10,}{run.requests_per_s:>9,.0f}"
            f"{run.p50_ms:>8.1f}{run.p90_ms:>8.1f}{run.p99_ms:>8.1f}{run.max_ms:>8.1f}"
            f"{run.errors:>7}{cpu:>10}{per:>11}{run.client_cpu_s:>13.1f}"
        )
    print(
        "  requests    requests started in the measured window (their latencies are the p's)\n"
        "  req/s       responses completed in the measured window / its length\n"
        "  srv CPU s   user+system CPU of the server's processes over warm-up and window;\n"
        "              CPU ms/req: that per request; client CPU s: the load generator's own"
    )
    for run in runs:
        if run.other_load_cores is not None and run.other_load_cores > OTHER_LOAD_WARNING:
            print(
                f"  warning: {run.workers} worker(s): other processes kept "
                f"{run.other_load_cores:.2f} cores busy during the run; its numbers are low"
            )
    for run in runs:
        if len(run.server_cpu_s_per_process) > 1:
            shares = ", ".join(f"{cpu:.1f}" for cpu in run.server_cpu_s_per_process)
            print(f"  {run.workers} worker(s): CPU s per server process, busiest first: {shares}")
    print(
        f"\nBudget: at least {THROUGHPUT_BUDGET_RPS:,.0f} requests/s, "
        f"p99 under {P99_BUDGET_MS:g} ms"
    )
    print_checks(checks)
    met = met_by(runs)
    print(
        "  Budget met with "
        + (f"{', '.join(map(str, met))} worker(s)" if met else "no worker count tried")
    )


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=list(DEFAULT_WORKERS))
    parser.add_argument("--concurrency", type=int, default=CONCURRENCY, help="connections")
    parser.add_argument("--warmup", type=float, default=WARMUP_S, help="seconds, not counted")
    parser.add_argument("--duration", type=float, default=DURATION_S, help="measured seconds")
    parser.add_argument("--instants", type=int, default=INSTANTS, help="dates the case is at")
    parser.add_argument("--at", help="one instant for every request (instead of --instants)")
    parser.add_argument(
        "--burst", action="store_true", help="open all connections at once (not staggered)"
    )
    parser.add_argument(
        "--rate",
        type=float,
        help="open loop: send this many requests/s on schedule (default: closed loop, each "
        "connection sends its next request as soon as it has the answer)",
    )
    parser.add_argument("--app", default=APP, help="the ASGI app to serve (to compare variants)")
    parser.add_argument("--counterfactuals", action="store_true", help="ask for them too")
    parser.add_argument("--output", type=Path, default=RESULTS_PATH)
    parser.add_argument("--strict", action="store_true", help="exit 1 if the budget is missed")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    env = environment()
    days = [args.at] if args.at else spread_days(args.instants)
    bodies = [request_body(day, args.counterfactuals) for day in days]
    runs, checked = [], {}
    for workers in args.workers:
        run, checked = measure(workers, args, bodies)
        runs.append(run)
        if run.errors:
            print(f"error: {run.errors} non-200 answers: {run.statuses}", file=sys.stderr)
    checked.update(days=days, request_bytes=max(len(body) for body in bodies))
    checks = budgets(runs)
    print_report(env, checked, runs, checks)
    errors = sum(run.errors for run in runs)
    save(
        {
            "timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "environment": env,
            "settings": {
                "app": args.app,
                "endpoint": f"POST {PATH}",
                "case": EXAMPLE.stem,
                "at": days,
                "counterfactuals": args.counterfactuals,
                "workers": args.workers,
                "concurrency": args.concurrency,
                "connections_opened": "at once" if args.burst else f"{STAGGER_S} s apart",
                "loop": f"open, {args.rate:g} requests/s offered" if args.rate else "closed",
                "warmup_s": args.warmup,
                "duration_s": args.duration,
                "rate_limit_env": {"CRUCE_RATE_LIMIT": "0"},
                "request_bytes": max(len(body) for body in bodies),
            },
            "checked_response": checked,
            "runs": [asdict(run) for run in runs],
            "budgets": checks,
            "budget_met_by_workers": met_by(runs),
            "errors": errors,
        },
        args.output,
    )
    print(f"\nSaved {args.output}")
    if errors:
        print(f"FAILED: {errors} requests were not answered 200", file=sys.stderr)
        return 1
    return 1 if args.strict and not met_by(runs) else 0


if __name__ == "__main__":
    sys.exit(main())
