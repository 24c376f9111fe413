"""The server's logs hold no fact sent to the screener: a real Uvicorn process, access log on
and debug logging, walked by the three people to their results, asked for a PDF and for a
rebuild from a link's answers; then its whole stdout and stderr are searched for their facts."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from conftest import _free_port
from test_screener import PEOPLE, answer

SRC = Path(__file__).resolve().parents[1] / "src"


def _walk(http: httpx.Client, person: dict[str, object]) -> list[tuple[str, str]]:
    """The interview over HTTP to the result; returns the form that reached it."""
    page = http.get("/screener?lang=es").text
    data, _ = answer(page, person)
    data = [(k, v) for k, v in data if k != "decide_at"] + [("decide_at", str(person["decide_at"]))]
    for _ in range(15):
        page = http.post("/screener?lang=es", data=_grouped(data)).text
        if 'class="cards"' in page and 'name="_go" value="next"' not in page:
            return data
        data, _ = answer(page, person)
    raise AssertionError("the interview did not end")


def _grouped(data: list[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for key, value in data:
        grouped.setdefault(key, []).append(value)
    return grouped


def _facts(person: dict[str, object]) -> set[str]:
    """The values a log must never show: every answer but the yes/no ones and one-digit
    numbers (a port or a clock holds those anyway)."""
    values = {str(v) for v in person.values() if not isinstance(v, list)}
    values |= {c for v in person.values() if isinstance(v, list) for c in v}
    return {v for v in values if v not in ("true", "false", "none") and len(v) > 1}


def test_the_server_logs_hold_no_fact(tmp_path: Path) -> None:
    port = _free_port()
    log = tmp_path / "server.log"
    env = {**os.environ, "PYTHONPATH": str(SRC), "CRUCE_RATE_LIMIT": "0"}
    command = [sys.executable, "-m", "uvicorn", "cruce.web.api:app", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--access-log", "--log-level", "debug"]
    with log.open("w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(200):
                try:
                    httpx.get(f"{base}/healthz", timeout=1)
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            with httpx.Client(base_url=base, timeout=120) as http:
                forms = {who: _walk(http, person) for who, person in PEOPLE.items()}
                printed = http.post("/screener/pdf?lang=es", data=_grouped(forms["mother"]))
                assert printed.headers["content-type"] == "application/pdf"
                http.post("/screener?lang=en", data=_grouped(forms["child"]))  # a link's rebuild
        finally:
            process.terminate()
            process.wait(timeout=20)
    logged = log.read_text("utf-8")
    assert '"POST /screener?lang=es HTTP/1.1" 200' in logged  # the access log was on
    assert '"POST /screener/pdf?lang=es HTTP/1.1" 200' in logged
    for who, person in PEOPLE.items():
        found = sorted(v for v in _facts(person) if v in logged)
        assert not found, f"{who}: the log shows {found}"
