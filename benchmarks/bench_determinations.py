"""Benchmarks of Cruce's determinations: one explained case, and millions of compiled cases.

Two things are measured (budgets from the design doc):

1. **One explained determination** — ``determine(case)`` with its full explanation, for the
   shipped example E1 and for the same person with several facts unknown: p50, p99 and mean in
   microseconds over many repetitions after a warm-up. Budget: under 1 ms.
2. **Compiled rules over many cases** — ``determine_frame`` over 1,000,000 and 11,400,000 random
   cases at one instant. The cases are generated vectorised with NumPy (seeded; realistic-ish mixes
   of entry modes, nationalities, distances, presence; about 10% of every fact unknown), with
   every column of ``frame_schema()`` at its exact dtype. Only ``determine_frame`` is timed, best
   of 3 runs. Each size runs in a fresh subprocess so that its peak memory (``ru_maxrss``) is its
   own. Budget: 11.4M cases in under 3 s.

Run ``.venv/bin/python benchmarks/bench_determinations.py`` (``make bench``); results are printed
as a table and saved to ``benchmarks/results/determinations.json``. One size alone:
``... --size 1000000 --at 2025-03-01 --json`` (this is what the parent runs in each subprocess).
"""

from __future__ import annotations

import argparse
import datetime as dt
import enum
import gc
import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import Any, get_args

import polars as pl

from _common import environment as shared_environment
from _common import print_checks, save
from cruce.decide.determination import determine, determine_frame
from cruce.engine.logic import EASTERN
from cruce.facts.case import Case, frame_schema, load_case

try:
    import numpy as np
except ModuleNotFoundError as error:  # pragma: no cover - depends on the environment
    raise SystemExit(
        "the benchmarks generate cases with NumPy: .venv/bin/pip install numpy"
    ) from error

RESULTS_PATH = Path(__file__).resolve().parent / "results" / "determinations.json"
EXAMPLE = "examples/e1-guatemalan-interior.yaml"

LATENCY_BUDGET_US = 1000.0  # one explained determination: under 1 ms
FRAME_BUDGET_S = 3.0  # 11.4M compiled determinations: under 3 s
FRAME_BUDGET_ROWS = 11_400_000

DEFAULT_SIZES = (1_000_000, 11_400_000)
DEFAULT_INSTANTS = ("2019-08-15", "2025-03-01")
REPETITIONS = 2000
WARMUP = 200
FRAME_RUNS = 3
SEED = 20250301
NULL_SHARE = 0.10  # every fact is unknown in about this share of rows

# Facts made unknown in the second latency case (the example person, less well known).
UNKNOWN_FACTS = (
    "entry_mode",
    "inadmissibility_grounds",
    "continuous_presence_established_since",
    "encounter_distance_to_land_border_air_miles",
    "expressed_fear_or_asylum_intent",
    "date_of_birth",
    "was_admitted",
    "parole_granted",
)

# --------------------------------------------------------------------------------------------
# Value mixes for the random cases
# --------------------------------------------------------------------------------------------

COUNTRIES = {
    "MX": 0.30,
    "GT": 0.15,
    "HN": 0.13,
    "SV": 0.07,
    "CU": 0.07,
    "VE": 0.08,
    "HT": 0.05,
    "CA": 0.03,
    "IN": 0.06,
    "CN": 0.06,
}
ENTRY_MODES = {
    "LAND_BETWEEN_POES": 0.55,
    "LAND_AT_POE": 0.17,
    "AIR_AT_POE": 0.20,
    "SEA": 0.05,
    "INTERDICTED_AT_SEA_BROUGHT_IN": 0.03,
}
CLAIMED_STATUS = {"NONE": 0.85, "USC": 0.04, "LPR": 0.05, "REFUGEE": 0.03, "ASYLEE": 0.03}
CLAIM_VERIFICATION = {"VERIFIED": 0.3, "REFUTED": 0.4, "UNVERIFIABLE": 0.3}
GROUND_SETS: dict[tuple[str, ...], float] = {
    (): 0.05,
    ("I212a6Ai_PRESENT_WITHOUT_ADMISSION",): 0.15,
    ("I212a6Ai_PRESENT_WITHOUT_ADMISSION", "I212a7A_IMMIGRANT_NO_VALID_DOCS"): 0.40,
    ("I212a7A_IMMIGRANT_NO_VALID_DOCS",): 0.12,
    ("I212a6Ci_FRAUD_MISREP",): 0.05,
    ("I212a6Ci_FRAUD_MISREP", "I212a7A_IMMIGRANT_NO_VALID_DOCS"): 0.06,
    ("I212a6Cii_FALSE_CLAIM_USC",): 0.02,
    ("I212a7B_NONIMMIGRANT_NO_VALID_DOCS",): 0.07,
    ("I212a2_CRIMINAL", "I212a6Ai_PRESENT_WITHOUT_ADMISSION"): 0.04,
    (
        "I212a9_PRIOR_REMOVAL",
        "I212a6Ai_PRESENT_WITHOUT_ADMISSION",
        "I212a7A_IMMIGRANT_NO_VALID_DOCS",
    ): 0.04,
}
# Share of rows in which a boolean fact holds (when known); others default to DEFAULT_TRUE.
TRUE_SHARE = {
    "is_us_citizen": 0.01,
    "claim_under_oath": 0.30,
    "has_lawful_immigration_status": 0.05,
    "was_admitted": 0.15,
    "vwp_applicant": 0.03,
    "parole_granted": 0.10,
    "parole_at_poe": 0.50,
    "is_stowaway": 0.005,
    "is_crewman": 0.005,
    "encountered_upon_arrival_at_or_near_border": 0.35,
    "dhs_charging_other_grounds": 0.10,
    "documentary_requirements_waived": 0.02,
    "prior_removal_order_exists": 0.15,
    "reentered_illegally_after_removal": 0.60,
    "parent_or_legal_guardian_in_us": 0.30,
    "parent_or_guardian_available_to_provide_care_and_custody": 0.50,
    "accompanied_by_parent_or_legal_guardian": 0.30,
    "expressed_fear_or_asylum_intent": 0.40,
}
DEFAULT_TRUE = 0.20
PRESENCE_SCALE_DAYS = 600.0  # presence is roughly exponential: many recent, some long
PRESENCE_CAP_DAYS = 5000
DISTANCE_SCALE_MILES = 300.0
DISTANCE_CAP_MILES = 2000.0
DAY_US = 86_400_000_000

MEMORY_LEGEND = """\
  gen. MiB   ru_maxrss after generating the cases (the baseline, before evaluation)
  eval MiB   ru_maxrss after the evaluations (peak reset just before them where Linux allows)
  eval +MiB  eval MiB minus the RSS just before evaluating
  undecided  per question, the share of rows whose outcome depends on unknown facts (null)"""


# --------------------------------------------------------------------------------------------
# One explained determination
# --------------------------------------------------------------------------------------------


@dataclass
class Latency:
    """Wall-clock time of one ``determine(case)``, in microseconds."""

    case: str
    unknown_facts: int
    repetitions: int
    p50_us: float
    p99_us: float
    mean_us: float
    min_us: float
    max_us: float
    outcomes: dict[str, str]


def example_case() -> Case:
    """The shipped example E1 (a Guatemalan encountered in the interior)."""
    return load_case(Path(str(resources.files("cruce").joinpath(EXAMPLE))))


def with_unknowns(case: Case, names: Sequence[str]) -> Case:
    """The same case with the named facts unknown."""
    return case.model_copy(update=dict.fromkeys(names))


def time_calls(call: Callable[[], object], repetitions: int, warmup: int) -> list[float]:
    """Microseconds per call, after ``warmup`` untimed calls."""
    for _ in range(warmup):
        call()
    gc.collect()
    samples = []
    for _ in range(repetitions):
        start = time.perf_counter_ns()
        call()
        samples.append((time.perf_counter_ns() - start) / 1000)
    return samples


def measure_latency(name: str, case: Case, repetitions: int) -> Latency:
    samples = time_calls(lambda: determine(case), repetitions, WARMUP)
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    outcomes = {q: r.outcome for q, r in determine(case).outcomes.items()}
    unknown = sum(value is None for value in case.facts().values())
    return Latency(
        name,
        unknown,
        repetitions,
        round(statistics.median(samples), 1),
        round(cuts[98], 1),
        round(statistics.fmean(samples), 1),
        round(min(samples), 1),
        round(max(samples), 1),
        outcomes,
    )


def latency_suite(repetitions: int) -> list[Latency]:
    progress(f"determine(case): {repetitions:,} repetitions per case")
    example = example_case()
    return [
        measure_latency("E1 example", example, repetitions),
        measure_latency("E1, 8 facts unknown", with_unknowns(example, UNKNOWN_FACTS), repetitions),
    ]


# --------------------------------------------------------------------------------------------
# Random cases, vectorised
# --------------------------------------------------------------------------------------------


@dataclass
class Draw:
    """A seeded source of columns of ``n`` random values around the instant ``at``."""

    rng: np.random.Generator
    n: int
    at: dt.datetime

    def pick(self, mix: dict[str, float]) -> pl.Series:
        """Strings drawn from a weighted mix."""
        return pl.Series(list(mix), dtype=pl.String).gather(self._indices(list(mix.values())))

    def pick_lists(self, mix: dict[tuple[str, ...], float]) -> pl.Series:
        """Lists of strings drawn from a weighted mix of lists."""
        choices = pl.Series([list(key) for key in mix], dtype=pl.List(pl.String))
        return choices.gather(self._indices(list(mix.values())))

    def flags(self, share_true: float) -> pl.Series:
        return pl.Series(self.rng.random(self.n, dtype=np.float32) < share_true)

    def chance(self, share: float) -> np.ndarray:
        return self.rng.random(self.n, dtype=np.float32) < share

    def days(self, scale: float, cap: int) -> np.ndarray:
        """Whole days, roughly exponential with mean ``scale``, at most ``cap``."""
        return np.minimum(self.rng.exponential(scale, self.n), cap).astype(np.int64)

    def uniform_days(self, low: int, high: int) -> np.ndarray:
        return self.rng.integers(low, high, self.n, dtype=np.int64)

    def dates_before(self, days: np.ndarray) -> pl.Series:
        """Calendar dates ``days`` before the instant's date in US Eastern time."""
        anchor = np.datetime64(self.at.astimezone(EASTERN).date().isoformat(), "D")
        return pl.Series(anchor - days.astype("timedelta64[D]")).cast(pl.Date)

    def instants_before(self, micros: np.ndarray) -> pl.Series:
        """Instants (UTC, microseconds) ``micros`` before the instant."""
        anchor = np.datetime64(self.at.astimezone(dt.UTC).replace(tzinfo=None), "us")
        values = pl.Series(anchor - micros.astype("timedelta64[us]"))
        return values.dt.replace_time_zone("UTC")

    def _indices(self, weights: list[float]) -> pl.Series:
        probabilities = np.asarray(weights) / sum(weights)
        return pl.Series(self.rng.choice(len(weights), self.n, p=probabilities).astype(np.uint32))


def null_where(series: pl.Series, mask: np.ndarray) -> pl.Series:
    """The series with nulls (unknown) where ``mask`` holds."""
    frame = pl.DataFrame({"value": series, "mask": mask})
    expr = pl.when(pl.col("mask")).then(None).otherwise(pl.col("value"))
    return frame.select(expr.alias(series.name)).to_series()


def identity_columns(draw: Draw) -> dict[str, pl.Series]:
    """Nationality, birth and claimed status (docs/facts.md)."""
    nationality = draw.pick(COUNTRIES)
    adult = draw.chance(0.88)
    age_days = np.where(
        adult, draw.uniform_days(18 * 365, 70 * 365), draw.uniform_days(365, 18 * 365)
    )
    return {
        "nationalities": nationality.reshape((draw.n, 1)).cast(pl.List(pl.String)),
        "native_country": nationality,
        "habitual_residence_country": draw.pick(COUNTRIES),
        "date_of_birth": draw.dates_before(age_days),
        "claimed_status": draw.pick(CLAIMED_STATUS),
        "claim_verification": draw.pick(CLAIM_VERIFICATION),
    }


def presence_columns(draw: Draw, presence: np.ndarray) -> dict[str, pl.Series]:
    """Entry, encounter and continuous presence (docs/facts.md), consistent with ``presence``
    (days from the last entry to the instant): presence is shown as a count or as a date."""
    as_count = draw.chance(0.5)
    since_encounter = np.minimum(presence, draw.uniform_days(0, 60))
    encounter_us = since_encounter * DAY_US + draw.uniform_days(0, DAY_US // 4)
    shown_days = presence - draw.uniform_days(0, 30).clip(max=presence)
    return {
        "entry_mode": draw.pick(ENTRY_MODES),
        "last_entry_date": draw.dates_before(presence),
        "encounter_datetime": draw.instants_before(encounter_us),
        "determination_datetime": draw.instants_before(draw.uniform_days(0, DAY_US // 4)),
        "encounter_distance_to_land_border_air_miles": pl.Series(
            np.minimum(draw.rng.exponential(DISTANCE_SCALE_MILES, draw.n), DISTANCE_CAP_MILES)
        ),
        "cp_days_established_before_determination": null_where(pl.Series(shown_days), ~as_count),
        "cp_days_established_before_encounter": pl.Series(
            np.maximum(shown_days - since_encounter, 0)
        ),
        "continuous_presence_established_since": null_where(
            draw.dates_before(shown_days), as_count
        ),
    }


def history_columns(draw: Draw, presence: np.ndarray) -> dict[str, pl.Series]:
    """Parole, grounds and prior orders (docs/facts.md), dated around the last entry."""
    parole_days = np.maximum(presence - draw.uniform_days(0, 30), 0)
    return {
        "parole_date": draw.dates_before(parole_days),
        "parole_basis": draw.pick(dict.fromkeys(enum_values("parole_basis"), 1.0)),
        "parole_terminated_on": draw.dates_before(
            np.maximum(parole_days - draw.uniform_days(30, 1000), 0)
        ),
        "inadmissibility_grounds": draw.pick_lists(GROUND_SETS),
        "prior_removal_order_date": draw.dates_before(presence + draw.uniform_days(30, 4000)),
    }


def enum_values(name: str) -> list[str]:
    """The codes of an enum fact, read from the Case model (countries if it is not an enum)."""
    pending = [Case.model_fields[name].annotation]
    while pending:
        item = pending.pop()
        if isinstance(item, type) and issubclass(item, enum.Enum):
            return [member.value for member in item]
        pending.extend(get_args(item))
    return list(COUNTRIES)


def default_column(draw: Draw, name: str, dtype: pl.DataType) -> pl.Series:
    """A column for a fact without a specific mix above (booleans and any new fact)."""
    if dtype == pl.Boolean:
        return draw.flags(TRUE_SHARE.get(name, DEFAULT_TRUE))
    if dtype == pl.String:
        return draw.pick(dict.fromkeys(enum_values(name), 1.0))
    if dtype == pl.Int64:
        return pl.Series(draw.days(PRESENCE_SCALE_DAYS, PRESENCE_CAP_DAYS))
    if dtype == pl.Float64:
        return pl.Series(draw.rng.exponential(DISTANCE_SCALE_MILES, draw.n))
    if dtype == pl.Date:
        return draw.dates_before(draw.days(PRESENCE_SCALE_DAYS, PRESENCE_CAP_DAYS))
    if isinstance(dtype, pl.Datetime):
        return draw.instants_before(draw.uniform_days(0, DAY_US))
    if isinstance(dtype, pl.List):
        return pl.Series([[]], dtype=dtype).gather(pl.Series(np.zeros(draw.n, np.uint32)))
    raise TypeError(f"no generator for fact {name!r} of dtype {dtype}")


def generate_cases(n: int, at: dt.datetime, seed: int = SEED) -> pl.DataFrame:
    """``n`` random cases as a DataFrame with exactly ``frame_schema()``; ~10% of each fact null."""
    draw = Draw(np.random.default_rng(seed), n, at)
    presence = draw.days(PRESENCE_SCALE_DAYS, PRESENCE_CAP_DAYS)
    specific = {
        **identity_columns(draw),
        **presence_columns(draw, presence),
        **history_columns(draw, presence),
    }
    schema = frame_schema()
    stale = sorted(set(specific) - set(schema))
    if stale:
        print(f"warning: not in frame_schema(), ignored: {', '.join(stale)}", file=sys.stderr)
    columns = []
    for name, dtype in schema.items():
        series = specific.pop(name, None)
        series = default_column(draw, name, dtype) if series is None else series
        unknown = draw.chance(NULL_SHARE)
        columns.append(null_where(series.alias(name).cast(dtype), unknown))
    frame = pl.DataFrame(columns)
    if frame.schema != pl.Schema(schema):
        raise AssertionError(f"generated schema {frame.schema} is not frame_schema()")
    return frame


# --------------------------------------------------------------------------------------------
# Many cases: one size, in this process
# --------------------------------------------------------------------------------------------


def maxrss_kib() -> int:
    """Peak resident set size of this process so far (KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def current_rss_kib() -> int | None:
    """Resident set size now (Linux /proc), or None where unavailable."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    line = next((ln for ln in status.splitlines() if ln.startswith("VmRSS:")), None)
    return int(line.split()[1]) if line else None


def reset_peak_rss() -> bool:
    """Reset the peak RSS (Linux ≥ 4.0, ``clear_refs`` 5), so that the next peak is the
    evaluation's alone; False where not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


@dataclass
class FrameRun:
    """``determine_frame`` over ``rows`` random cases at one instant, in a fresh process."""

    rows: int
    at: str
    generation_s: float
    runs_s: list[float]
    best_s: float
    rows_per_s: float
    maxrss_after_generation_kib: int
    rss_before_evaluation_kib: int | None
    peak_reset: bool
    maxrss_after_evaluation_kib: int
    evaluation_peak_increase_kib: int | None
    threads: int
    undecided_share: dict[str, float]


def undecided_shares(result: pl.DataFrame) -> dict[str, float]:
    """Per question, the share of rows whose outcome depends on unknowns (null)."""
    counts = result.null_count().row(0, named=True)
    return {name: round(count / max(result.height, 1), 4) for name, count in counts.items()}


def time_frame(frame: pl.DataFrame, at: dt.datetime) -> tuple[list[float], pl.DataFrame]:
    """Seconds of each of FRAME_RUNS evaluations, and the last result."""
    times, result = [], pl.DataFrame()
    for _ in range(FRAME_RUNS):
        del result
        gc.collect()
        start = time.perf_counter()
        result = determine_frame(frame, at)
        times.append(time.perf_counter() - start)
    return times, result


def run_size(rows: int, at: dt.datetime) -> FrameRun:
    start = time.perf_counter()
    frame = generate_cases(rows, at)
    generation_s = time.perf_counter() - start
    gc.collect()
    after_generation = maxrss_kib()
    before = current_rss_kib()
    reset = reset_peak_rss()
    times, result = time_frame(frame, at)
    peak = maxrss_kib()
    best = min(times)
    return FrameRun(
        rows=rows,
        at=at.isoformat(),
        generation_s=round(generation_s, 2),
        runs_s=[round(t, 3) for t in times],
        best_s=round(best, 3),
        rows_per_s=round(rows / best),
        maxrss_after_generation_kib=after_generation,
        rss_before_evaluation_kib=before,
        peak_reset=reset,
        maxrss_after_evaluation_kib=peak,
        evaluation_peak_increase_kib=peak - before if reset and before is not None else None,
        threads=pl.thread_pool_size(),
        undecided_share=undecided_shares(result),
    )


def run_in_subprocess(rows: int, day: str) -> FrameRun:
    """One size in a fresh interpreter, so that ``ru_maxrss`` is that size's own."""
    command = [sys.executable, __file__, "--size", str(rows), "--at", day, "--json"]
    progress(f"determine_frame: {rows:,} rows at {day}, {FRAME_RUNS} runs, in a subprocess")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr}")
    return FrameRun(**json.loads(done.stdout.strip().splitlines()[-1]))


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def progress(message: str) -> None:
    print(f"… {message}", file=sys.stderr, flush=True)


def instant_of(day: str) -> dt.datetime:
    """Noon US Eastern on an ISO date (well inside the day's law)."""
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(12), EASTERN)


def environment() -> dict[str, Any]:
    """The shared machine record (with its load), and NumPy's version."""
    return {**shared_environment(), "numpy": np.__version__}


def budgets(latencies: list[Latency], frames: list[FrameRun]) -> list[dict[str, Any]]:
    checks = []
    for lat in latencies:
        for metric in ("p50_us", "p99_us"):
            value = getattr(lat, metric)
            checks.append(
                {
                    "what": f"determine(case) {metric} — {lat.case}",
                    "budget": LATENCY_BUDGET_US,
                    "value": value,
                    "pass": value < LATENCY_BUDGET_US,
                }
            )
    for run in frames:
        if run.rows == FRAME_BUDGET_ROWS:
            checks.append(
                {
                    "what": f"determine_frame {run.rows:,} rows, best of {FRAME_RUNS} s — {run.at}",
                    "budget": FRAME_BUDGET_S,
                    "value": run.best_s,
                    "pass": run.best_s < FRAME_BUDGET_S,
                }
            )
    return checks


def mib(kib: int | None) -> str:
    return "n/a" if kib is None else f"{kib / 1024:,.0f}"


def print_report(
    env: dict[str, Any], latencies: list[Latency], frames: list[FrameRun], checks: list[dict]
) -> None:
    print(
        f"Machine: {env['cpu_count']} CPUs ({env['polars_threads']} Polars threads), "
        f"{env['platform']}; Python {env['python']}, Polars {env['polars']}, "
        f"NumPy {env['numpy']}"
    )
    print(f"\nOne explained determination, determine(case), {WARMUP} warm-up calls")
    print(f"{'case':<24}{'unknown':>8}{'reps':>7}{'p50 µs':>9}{'p99 µs':>9}{'mean µs':>9}")
    for lat in latencies:
        print(
            f"{lat.case:<24}{lat.unknown_facts:>8}{lat.repetitions:>7}"
            f"{lat.p50_us:>9.1f}{lat.p99_us:>9.1f}{lat.mean_us:>9.1f}"
        )
    print(f"\nCompiled rules, determine_frame, best of {FRAME_RUNS} (generation not timed)")
    print(
        f"{'rows':>12} {'instant':<26}{'best s':>8}{'rows/s':>14}"
        f"{'gen. MiB':>10}{'eval MiB':>10}{'eval +MiB':>10}{'undecided':>22}"
    )
    for run in frames:
        undecided = "/".join(f"{share:.0%}" for share in run.undecided_share.values())
        print(
            f"{run.rows:>12,} {run.at:<26}{run.best_s:>8.3f}{run.rows_per_s:>14,}"
            f"{mib(run.maxrss_after_generation_kib):>10}{mib(run.maxrss_after_evaluation_kib):>10}"
            f"{mib(run.evaluation_peak_increase_kib):>10}{undecided:>22}"
        )
    print(MEMORY_LEGEND)
    print("\nBudgets")
    print_checks(checks)


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, help="run one size in this process (a child run)")
    parser.add_argument("--at", default=DEFAULT_INSTANTS[-1], help="ISO date for --size")
    parser.add_argument("--json", action="store_true", help="with --size: print JSON only")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--instants", nargs="+", default=list(DEFAULT_INSTANTS))
    parser.add_argument("--repetitions", type=int, default=REPETITIONS)
    parser.add_argument("--output", type=Path, default=RESULTS_PATH)
    parser.add_argument("--strict", action="store_true", help="exit 1 if a budget fails")
    return parser.parse_args(argv)


def child(args: argparse.Namespace) -> None:
    run = run_size(args.size, instant_of(args.at))
    if args.json:
        print(json.dumps(asdict(run)))
    else:
        print(json.dumps(asdict(run), indent=2))


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.size is not None:
        child(args)
        return 0
    env = environment()
    latencies = latency_suite(args.repetitions)
    frames = [run_in_subprocess(rows, day) for rows in args.sizes for day in args.instants]
    checks = budgets(latencies, frames)
    print_report(env, latencies, frames, checks)
    save(
        {
            "timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "environment": env,
            "settings": {
                "repetitions": args.repetitions,
                "warmup": WARMUP,
                "frame_runs": FRAME_RUNS,
                "sizes": args.sizes,
                "instants": [instant_of(day).isoformat() for day in args.instants],
                "seed": SEED,
                "null_share": NULL_SHARE,
            },
            "latency": [asdict(lat) for lat in latencies],
            "frames": [asdict(run) for run in frames],
            "budgets": checks,
            "all_budgets_pass": all(check["pass"] for check in checks),
        },
        args.output,
    )
    print(f"\nSaved {args.output}")
    return 1 if args.strict and not all(check["pass"] for check in checks) else 0


if __name__ == "__main__":
    sys.exit(main())
