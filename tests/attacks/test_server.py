"""The server under attack: loopback only unless asked, Host checked, forwarded headers not
trusted, the rate limit's memory bounded without resetting anyone, problem+json for any error."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import Request
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cruce.cli.app import app
from cruce.web import api

SRC = Path(__file__).resolve().parents[2] / "src"


def test_serve_refuses_a_public_host_without_allow_remote() -> None:
    with socket.socket() as taken:  # held, so code that did bind would fail at once, not hang
        taken.bind(("0.0.0.0", 0))
        port = str(taken.getsockname()[1])
        result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--port", port])
    assert result.exit_code == 2
    assert "--allow-remote" in result.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


HEADER_TIMEOUT_S, BODY_TIMEOUT_S = 1.5, 2.0


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """A real ``cruce serve`` on loopback, with a low rate limit; stopped by its own pid."""
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "CRUCE_RATE_LIMIT": "2",
        "CRUCE_HEAVY_AT_ONCE": "1",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from cruce.cli.app import app; app()",
            "serve",
            "--port",
            str(port),
            "--header-timeout",
            str(HEADER_TIMEOUT_S),
            "--body-timeout",
            str(BODY_TIMEOUT_S),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise AssertionError("cruce serve did not start in 15 s")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_x_forwarded_for_does_not_pick_the_rate_limit_bucket(server: str) -> None:
    time.sleep(2)  # a full bucket
    statuses = [
        httpx.get(
            f"{server}/healthz", headers={"X-Forwarded-For": f"10.0.{i}.1"}, timeout=5
        ).status_code
        for i in range(12)
    ]
    assert 429 in statuses


def test_a_foreign_host_header_is_refused(server: str) -> None:
    time.sleep(2)
    response = httpx.get(f"{server}/healthz", headers={"Host": "rebound.example"}, timeout=5)
    assert response.status_code == 421
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert httpx.get(f"{server}/healthz", headers={"Host": "localhost"}, timeout=5).status_code in (
        200,
        429,
    )


def test_limiter_memory_is_bounded_without_resetting_anyone() -> None:
    # One request per 100 s: no bucket refills while the flood runs, however loaded the machine.
    limit = api.RateLimit(0.01, clients=100)
    assert limit.allow("victim")
    assert not limit.allow("victim")  # burst of 1 spent
    for i in range(10_000):
        limit.allow(f"spoof-{i}")
    assert len(limit._buckets) <= 101
    assert not limit.allow("victim")  # still limited: the flood did not reset the bucket


def test_any_unexpected_error_is_problem_json_with_security_headers() -> None:
    @api.app.get("/__attack_boom", include_in_schema=False)
    def boom(request: Request) -> None:
        raise ZeroDivisionError("case facts would be here")

    try:
        response = TestClient(api.app, raise_server_exceptions=False).get("/__attack_boom")
    finally:
        api.app.router.routes[:] = [
            r for r in api.app.router.routes if getattr(r, "path", "") != "/__attack_boom"
        ]
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "case facts" not in response.text


def test_deep_yaml_scenario_is_a_clear_422() -> None:
    deep = "[" * 900 + "]" * 900
    response = TestClient(api.app).post("/v1/simulations", json={"scenario_yaml": deep})
    assert response.status_code == 422
    assert "nested too deeply" in response.json()["detail"]


def test_deep_yaml_case_is_a_clear_cli_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("case: " + "[" * 900 + "]" * 900 + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["explain", str(path)])
    assert result.exit_code == 2 and "nested too deeply" in result.output


def _closed_by_server(sock: socket.socket) -> bool:
    """True once the server has closed ``sock`` (EOF or reset); never blocks."""
    sock.setblocking(False)
    try:
        return sock.recv(1024) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


def _trickle(server: str, opening: bytes, count: int, limit_s: float) -> list[float]:
    """``count`` clients that send ``opening`` then one header byte every 0.2 s; the seconds
    until the server closed each (``limit_s`` for one still open when the test stops)."""
    port = int(server.rsplit(":", 1)[1])
    sockets = [socket.create_connection(("127.0.0.1", port)) for _ in range(count)]
    start = time.monotonic()
    closed_after = [limit_s] * count
    open_ = set(range(count))
    try:
        for sock in sockets:
            sock.sendall(opening)
        while open_ and time.monotonic() - start < limit_s:
            for i in list(open_):
                if _closed_by_server(sockets[i]):
                    closed_after[i] = time.monotonic() - start
                    open_.discard(i)
                    continue
                try:
                    sockets[i].send(b"X")
                except OSError:
                    closed_after[i] = time.monotonic() - start
                    open_.discard(i)
            time.sleep(0.2)
    finally:
        for sock in sockets:
            sock.close()
    return closed_after


def test_clients_trickling_headers_are_cut_at_the_header_timeout(server: str) -> None:
    opening = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
    closed_after = _trickle(server, opening, count=60, limit_s=4 * HEADER_TIMEOUT_S)
    assert max(closed_after) < 3 * HEADER_TIMEOUT_S, closed_after
    assert min(closed_after) >= HEADER_TIMEOUT_S * 0.9
    assert httpx.get(f"{server}/healthz", timeout=5).status_code in (200, 429)


def test_a_silent_connection_is_cut_at_the_header_timeout(server: str) -> None:
    port = int(server.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.settimeout(4 * HEADER_TIMEOUT_S)
        start = time.monotonic()
        assert sock.recv(1024) == b""
        assert time.monotonic() - start < 3 * HEADER_TIMEOUT_S


def test_a_body_that_trickles_is_cut_at_the_body_timeout(server: str) -> None:
    opening = (
        b"POST /v1/determinations HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"
    )
    time.sleep(2)  # a full rate-limit bucket, so the request reaches the body read
    closed_after = _trickle(server, opening, count=2, limit_s=4 * BODY_TIMEOUT_S)
    assert max(closed_after) < 3 * BODY_TIMEOUT_S, closed_after
    assert min(closed_after) >= BODY_TIMEOUT_S * 0.9


def test_heavy_requests_beyond_the_limit_get_503_with_retry_after(server: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    time.sleep(2)  # a full rate-limit bucket: four requests at once pass it
    body = {"at": ["2018-06-01", "2020-01-01", "2025-03-01"], "size": 200_000}

    def post(_: int) -> httpx.Response:
        return httpx.post(f"{server}/v1/exposure", json=body, timeout=120)

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(post, range(4)))
    statuses = sorted(a.status_code for a in answers)
    assert statuses.count(200) >= 1 and 503 in statuses, statuses
    busy = next(a for a in answers if a.status_code == 503)
    assert busy.headers["retry-after"] == "5"
    assert busy.headers["content-type"].startswith("application/problem+json")
    assert busy.headers["x-content-type-options"] == "nosniff"
    time.sleep(2)
    assert httpx.post(f"{server}/v1/exposure", json=body | {"size": 1000}, timeout=60).is_success
