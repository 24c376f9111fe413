"""The HTTP protocol Cruce serves with: Uvicorn's h11 protocol with read deadlines.

Uvicorn times out an idle keep-alive connection but not a client that trickles its request:
a socket sending one header byte a second stays open for ever. Here a request's headers must
arrive within ``CRUCE_HEADER_TIMEOUT_S`` seconds of the connection (or of its first byte on a
kept-alive connection), and its body within ``CRUCE_BODY_TIMEOUT_S`` of its headers; past a
deadline the connection is closed. ``cruce serve`` sets both (``--header-timeout``,
``--body-timeout``).
"""

from __future__ import annotations

import asyncio
import os

from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_TIMEOUT_S = 10.0
BODY_TIMEOUT_S = 60.0


def _seconds(variable: str, default: float) -> float:
    return float(os.environ.get(variable, default))


class DeadlineH11Protocol(H11Protocol):
    """h11 with a deadline for a request's headers and one for its body."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.header_timeout = _seconds("CRUCE_HEADER_TIMEOUT_S", HEADER_TIMEOUT_S)
        self.body_timeout = _seconds("CRUCE_BODY_TIMEOUT_S", BODY_TIMEOUT_S)
        self._phase: str | None = None
        self._deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm("headers", self.header_timeout)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._follow_the_request()

    def on_response_complete(self) -> None:
        super().on_response_complete()  # may start a pipelined request
        self._follow_the_request()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel()
        super().connection_lost(exc)

    def _follow_the_request(self) -> None:
        """Arm the deadline of the part of the request being read; none while the app works."""
        cycle = self.cycle
        if cycle is None or cycle.response_complete:
            self._arm("headers", self.header_timeout)  # bytes of a next request's headers
        elif cycle.more_body:
            self._arm("body", self.body_timeout)
        else:
            self._cancel()

    def _arm(self, phase: str, seconds: float) -> None:
        # The deadline runs from the start of the phase; a byte received does not extend it.
        if self._phase == phase:
            return
        self._cancel()
        self._phase = phase
        self._deadline = self.loop.call_later(seconds, self._expire)

    def _cancel(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._deadline, self._phase = None, None

    def _expire(self) -> None:
        self.logger.warning("Closed a connection whose request %s was too slow.", self._phase)
        self._deadline, self._phase = None, None
        if not self.transport.is_closing():
            self.transport.close()
