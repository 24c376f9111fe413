"""Progress on long work: Rich bars on a terminal; when stderr is not a terminal (a pipe, a log,
CI), plain lines on stderr at least every two seconds, so that a piped run is never silent."""

from __future__ import annotations

import sys
import threading
import time
from contextlib import AbstractContextManager
from typing import Any, TextIO

from rich.console import Console

INTERVAL_S = 2.0


class PlainProgress(AbstractContextManager):
    """The part of ``rich.progress.Progress`` the commands use, written as plain lines: one on
    every change of description and, while work goes on, one every ``interval`` seconds."""

    def __init__(self, stream: TextIO | None = None, interval: float = INTERVAL_S):
        self.stream = stream or sys.stderr
        self.interval = interval
        self.tasks: dict[int, dict[str, Any]] = {}
        self.started = time.monotonic()
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.ticker = threading.Thread(target=self._tick, daemon=True)

    def __enter__(self) -> PlainProgress:
        self.ticker.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self.ticker.join()

    def add_task(self, description: str, total: float | None = None) -> int:
        with self.lock:
            task = len(self.tasks)
            self.tasks[task] = {"description": description, "total": total, "completed": 0.0}
        self._line(task)
        return task

    def update(
        self, task: int, advance: float | None = None, description: str | None = None
    ) -> None:
        with self.lock:
            state = self.tasks[task]
            state["completed"] += advance or 0
            changed = description is not None and description != state["description"]
            if changed:
                state["description"] = description
        if changed:
            self._line(task)

    def advance(self, task: int, advance: float = 1) -> None:
        self.update(task, advance=advance)

    def _tick(self) -> None:
        while not self.stopped.wait(self.interval):
            for task in list(self.tasks):
                if not self._finished(task):
                    self._line(task)

    def _finished(self, task: int) -> bool:
        """A task done with its total says so once, not at every tick."""
        with self.lock:
            state = self.tasks[task]
            return bool(state["total"]) and state["completed"] >= state["total"]

    def _line(self, task: int) -> None:
        with self.lock:
            state = dict(self.tasks[task])
        total = state["total"]
        done = f" {state['completed']:,.0f}/{total:,.0f}" if total else ""
        elapsed = time.monotonic() - self.started
        print(f"… {state['description']}{done} ({elapsed:.0f} s)", file=self.stream, flush=True)


def progress(console: Console) -> AbstractContextManager:
    """A Rich progress bar when ``console`` is a terminal, plain progress lines otherwise."""
    if console.is_terminal:
        from rich.progress import Progress

        return Progress(console=console, transient=True)
    return PlainProgress(console.file)
