"""Long commands are never silent: off a terminal, progress comes as plain lines on stderr."""

from __future__ import annotations

import io
import time

from rich.console import Console

from cruce.cli.progress import PlainProgress, progress


def test_off_a_terminal_progress_is_plain_lines_at_each_step_and_while_waiting() -> None:
    stream = io.StringIO()
    with PlainProgress(stream, interval=0.05) as shown:
        task = shown.add_task("reading", total=2)
        shown.update(task, advance=1, description="deciding")
        time.sleep(0.2)  # a long step: the ticker repeats the current state
        shown.update(task, advance=1)
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("… reading 0/2")
    assert lines[1].startswith("… deciding 1/2")
    assert len([line for line in lines if line.startswith("… deciding")]) >= 3


def test_a_terminal_gets_rich_bars_and_a_pipe_gets_lines() -> None:
    from rich.progress import Progress

    assert isinstance(progress(Console(file=io.StringIO(), force_terminal=True)), Progress)
    assert isinstance(progress(Console(file=io.StringIO(), force_terminal=False)), PlainProgress)
