"""Simulation jobs for the web app: run in the background, report progress, keep results a while.

A job holds a scenario (not a case: nothing personal) and, when done, its summary, bands and
hiring measures.
Jobs run one at a time on a worker thread, in process; at most ``MAX_WAITING`` wait, the newest
``KEEP`` finished jobs are kept in memory, and nothing is written to disk.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from cruce.simulation.scenario import Scenario

KEEP = 20
MAX_WAITING = 4


class Busy(RuntimeError):
    """Too many jobs waiting: try again later."""


@dataclass
class Job:
    id: str
    scenario: Scenario
    status: str = "queued"  # queued, running, done, failed
    done: int = 0
    error: str | None = None
    summary: list[dict[str, Any]] = field(default_factory=list)
    bands: list[dict[str, Any]] = field(default_factory=list)
    hiring: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def total(self) -> int:
        return self.scenario.replicates

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")

    def view(self, with_bands: bool) -> dict[str, Any]:
        """The job as the API shows it, from one consistent moment."""
        with self.lock:
            return self._view(with_bands)

    def _view(self, with_bands: bool) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "scenario": self.scenario.name,
            "seed": self.scenario.seed,
            "status": self.status,
            "progress": {"replicates_done": self.done, "replicates": self.total},
        }
        if self.error:
            out["error"] = self.error
        if self.status == "done":
            out["summary"] = self.summary
            out["hiring"] = self.hiring
            if with_bands:
                out["bands"] = self.bands
        return out


class Jobs:
    """The server's simulation jobs."""

    def __init__(self) -> None:
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cruce-simulation")

    def submit(self, scenario: Scenario) -> Job:
        job = Job(uuid.uuid4().hex[:16], scenario)
        with self._lock:
            if sum(not j.finished for j in self._jobs.values()) >= MAX_WAITING:
                raise Busy(f"{MAX_WAITING} simulations are already waiting or running")
            self._jobs[job.id] = job
            finished = [key for key, j in self._jobs.items() if j.finished]
            for key in finished[: max(0, len(finished) - KEEP)]:  # the oldest finished go
                del self._jobs[key]
        self._pool.submit(self._run, job)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def _run(self, job: Job) -> None:
        from cruce.simulation import hiring
        from cruce.simulation import montecarlo as mc

        with job.lock:
            job.status = "running"
        try:
            prepared, _ = mc.prepare(job.scenario)

            def advance(n: int) -> None:
                with job.lock:
                    job.done += n

            results = mc.run_replicates(prepared, job.scenario, progress=advance)
            bands = mc.bands(results, prepared, job.scenario.name)
            bands = bands.fill_nan(None).with_columns(bands["month"].cast(str)).to_dicts()
            summary = mc.summary(results, job.scenario.name).fill_nan(None).to_dicts()
            staffing = hiring.summary(results, prepared, job.scenario.name)
            with job.lock:
                job.bands, job.summary, job.status = bands, summary, "done"
                job.hiring = staffing.fill_nan(None).to_dicts()
        except Exception as error:  # reported to the caller, who sees the job failed and why
            with job.lock:
                job.error, job.status = f"{type(error).__name__}: {error}", "failed"
