"""The ``cruce`` command line: explain one case, compare it across regimes, list the timeline.

Heavy modules (Polars, the rules) are imported inside the commands so that ``cruce --help``
starts fast.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cruce.cli.progress import progress as progress_display
from cruce.decide.notice import NOTICE, NOTICES

if TYPE_CHECKING:
    import polars as pl

    from cruce.decide.determination import Determination, OutcomeResult
    from cruce.facts.case import Case

app = typer.Typer(
    help="Cruce: US immigration enforcement law 2014–2026 as executable, cited rules. " + NOTICE,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# Pipes and CI logs get a wide page rather than Rich's 80-column default.
console = Console(width=None if sys.stdout.isatty() else 150)
errors = Console(stderr=True, width=None if sys.stderr.isatty() else 150)

MARKS = {True: "[green]✓[/]", False: "[red]✗[/]", None: "[yellow]?[/]"}

CaseArg = Annotated[
    Path | None,
    typer.Argument(help="Case facts as YAML or JSON (see docs/facts.md).", show_default=False),
]
ExampleOpt = Annotated[
    str | None,
    typer.Option(help="Use a shipped example case instead of a file (see `cruce examples`)."),
]


def _fail(message: str) -> NoReturn:
    errors.print(f"[bold red]error:[/] {message}", markup=True, highlight=False)
    raise typer.Exit(2)


def _load(case_file: Path | None, example: str | None) -> Case:
    from cruce.facts.case import CaseError, load_case

    if (case_file is None) == (example is None):
        _fail("give a CASE file or --example NAME (one of them)")
    try:
        if example is not None:
            return load_case(_example_path(example))
        return load_case(case_file)
    except CaseError as error:
        _fail(str(error))
    raise AssertionError  # unreachable: _fail exits


def _examples() -> dict[str, Path]:
    from importlib import resources

    folder = resources.files("cruce").joinpath("examples")
    return {Path(p.name).stem: Path(str(p)) for p in folder.iterdir() if p.name.endswith(".yaml")}


def _example_path(name: str) -> Path:
    found = _examples()
    if name not in found:
        _fail(f"no example {name!r}; valid: {', '.join(sorted(found))}")
    return found[name]


def _parse_at(value: str | None) -> dt.datetime | None:
    from cruce.engine.instants import parse_instant

    if value is None:
        return None
    try:
        return parse_instant(value)
    except ValueError as error:
        _fail(f"--at: {error}")
    raise AssertionError


def _cite_text(citations) -> str:
    from cruce.law.citations import citations_text

    return escape(citations_text(citations, hide_confirmed=True))


def _print_outcome(result: OutcomeResult, expanded: set[str]) -> None:
    title = result.question.replace("_", " ").capitalize()
    console.print(
        f"\n[bold]{title}:[/] [bold cyan]{result.outcome}[/] ({result.modality}) — {result.text}",
        highlight=False,
    )
    console.print("  Why:")
    skip_below: int | None = None
    for reason in result.reasons:
        if skip_below is not None and reason.depth > skip_below:
            continue
        skip_below = None
        if not reason.text:
            continue
        if reason.depth and reason.text in expanded:
            # A sub-rule explained in full for an earlier question: say so, once.
            skip_below = reason.depth
            mark = MARKS[reason.holds]
            indent = "    " + "  " * reason.depth
            console.print(f"{indent}{mark} {reason.text} [dim](explained above)[/]")
            continue
        expanded.add(reason.text)
        cites = _cite_text(reason.citations)
        cites = f"  [dim]({cites})[/]" if cites else ""
        note = f" [dim]— {reason.note}[/]" if reason.note and reason.depth else ""
        indent = "    " + "  " * reason.depth
        console.print(f"{indent}{MARKS[reason.holds]} {reason.text}{note}{cites}", highlight=False)
    if result.depends_on:
        console.print(f"  [yellow]Unknown facts that decide it:[/] {', '.join(result.depends_on)}")
    if result.unsettled:
        console.print("  [yellow]Open legal questions:[/] " + "; ".join(result.unsettled))
    if result.rests_on_unconfirmed:
        console.print(
            "  [yellow]Rests on points the legal notes mark unconfirmed:[/] "
            + "; ".join(result.rests_on_unconfirmed)
        )


def _print_determination(determination: Determination, source: str) -> None:
    from cruce.engine.logic import show
    from cruce.law.timeline import regimes

    regime = regimes().get(determination.regime or "")
    console.print(f"[bold]Cruce[/] — {NOTICE}", highlight=False)
    console.print(f"Case: {source}", highlight=False)
    console.print(f"Decided at: {show(determination.at)}", highlight=False)
    if regime is not None:
        console.print(f"Regime: {regime.id} — {regime.title}", highlight=False)
    if determination.timeline != "actual":
        console.print(f"[magenta]Hypothetical timeline: {determination.timeline}[/]")
    expanded: set[str] = set()
    changes = determination.what_would_change or {}
    for result in determination.outcomes.values():
        _print_outcome(result, expanded)
        _print_changes(changes.get(result.question, []))


def _print_changes(counterfactuals) -> None:
    if not counterfactuals:
        return
    console.print("  [bold]What would change it:[/]")
    for item in counterfactuals:
        console.print(
            f"    → if {item.change.describe()}: [bold]{item.outcome}[/] "
            f"[dim](because: {item.change.why})[/]",
            highlight=False,
        )


@app.command()
def explain(
    case_file: CaseArg = None,
    at: Annotated[
        str | None,
        typer.Option(help="Decide at this instant (ISO date or date-time with offset)."),
    ] = None,
    regime: Annotated[
        str | None, typer.Option(help="Decide in this named regime (see `cruce timeline`).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON schema.")] = False,
    example: ExampleOpt = None,
) -> None:
    """What the law in force lets DHS do with one case, why, and what is still unknown."""
    from cruce.decide.determination import DeterminationError, determine, to_json
    from cruce.law.timeline import TimelineError

    case = _load(case_file, example)
    try:
        determination = determine(case, at=_parse_at(at), regime=regime, counterfactuals=True)
    except (DeterminationError, TimelineError) as error:
        _fail(str(error))
    if as_json:
        sys.stdout.write(json.dumps(to_json(determination), indent=2) + "\n")
        return
    _print_determination(determination, str(case_file or f"example {example}"))


@app.command()
def compare(case_file: CaseArg = None, example: ExampleOpt = None) -> None:
    """The same case in every regime 2014–2026 and the 2017 hypothetical, side by side."""
    from cruce.decide.determination import compare as compare_regimes
    from cruce.engine.logic import show
    from cruce.facts.case import CaseError
    from cruce.law.timeline import regimes

    case = _load(case_file, example)
    try:
        results = compare_regimes(case)
    except CaseError as error:
        _fail(str(error))
    known = regimes()
    questions = list(results[0].outcomes)
    table = Table(
        title=f"{case_file or 'example ' + str(example)} across the regimes — {NOTICE}",
        caption="Each row moves the whole case in time to the regime's first instant (or keeps "
        "its own instant in its own regime); durations such as presence and age are unchanged.",
    )
    table.add_column("Regime", no_wrap=True)
    table.add_column("Decided at", no_wrap=True)
    for question in questions:
        table.add_column(question.replace("_", " ").capitalize(), overflow="fold")
    footnotes = []
    for determination in results:
        regime = known[determination.regime] if determination.regime else None
        name = regime.id if regime else "—"
        if determination.timeline != "actual":
            name = f"[magenta]{name}\n(hypothetical)[/]"
        outcomes = list(determination.outcomes.values())
        for result in outcomes:
            if result.depends_on or result.unsettled:
                footnotes.append(
                    f"{regime.id if regime else '—'} · {result.question}: depends on "
                    + ", ".join(result.depends_on + result.unsettled)
                )
        cells = [_outcome_cell(r) for r in outcomes]
        table.add_row(name, show(determination.at), *cells)
    console.print(table)
    for line in footnotes:
        console.print(f"  [yellow]?[/] {line}", highlight=False)


def _outcome_cell(result: OutcomeResult) -> str:
    colour = {"may": "green", "must": "cyan", "must not": "red"}.get(result.modality, "yellow")
    return f"[{colour}]{result.outcome.replace('_', ' ')}[/]"


@app.command()
def timeline() -> None:
    """The named regimes and the dated law behind them, with their sources."""
    from cruce.engine.logic import show
    from cruce.law.citations import citations_text
    from cruce.law.timeline import LawAt, actual_timeline, regimes, timeline_named

    keys = {
        "er_designation_sea": "2002 sea",
        "er_designation_land_2004": "2004 land",
        "er_designation_full": "full scope",
    }
    table = Table(
        title="Regimes (docs/law/regimes.md): expedited-removal designations in force at the start"
    )
    table.add_column("Regime", no_wrap=True)
    table.add_column("From", no_wrap=True)
    table.add_column("Until", no_wrap=True)
    for label in keys.values():
        table.add_column(label)
    table.add_column("What changed")
    for regime in regimes().values():
        timeline = timeline_named(regime.timeline) if regime.timeline else actual_timeline()
        law = LawAt(regime.start, timeline)
        cells = [MARKS[law.in_force(key)] for key in keys]
        until = show(regime.end) if regime.end else "—"
        table.add_row(regime.id, show(regime.start), until, *cells, regime.title)
    console.print(table)
    rows = Table(title="Dated rows, court orders and events")
    for column in ("Id", "Concerns", "Interval", "Effect", "Sources"):
        rows.add_column(column)
    for row in actual_timeline().rows():
        sources = citations_text(row.cites())
        effect = row.effect.value if row.effect else ""
        rows.add_row(row.id, row.key, row.interval(), effect, sources)
    console.print(rows)
    directives = Table(
        title="Resourcing directives (docs/law/resourcing.md#r8): attributes for the simulations"
    )
    for column in ("Id", "In force", "What", "Attributes"):
        directives.add_column(column)
    for row in actual_timeline().resourcing:
        attributes = ", ".join(f"{k}={v}" for k, v in row.attributes.items())
        directives.add_row(row.id, row.interval(), row.title, attributes)
    console.print(directives)


@app.command()
def facts(
    markdown: Annotated[bool, typer.Option(help="Print docs/facts.md instead of a table.")] = False,
) -> None:
    """The case facts Cruce reads: names, types and valid values."""
    from cruce.decide.catalogue import facts_markdown, valid_values
    from cruce.facts.case import FACT_KINDS

    if markdown:
        sys.stdout.write(facts_markdown())
        return
    table = Table(title="Case facts (any may be omitted or `unknown`)")
    table.add_column("Fact")
    table.add_column("Type")
    table.add_column("Valid values")
    for name, kind in FACT_KINDS.items():
        table.add_row(name, kind.value, valid_values(name))
    console.print(table)


@app.command()
def catalogue() -> None:
    """The rule catalogue (docs/rules.md): every rule, its citations, regimes, open questions."""
    from cruce.decide.catalogue import rules_markdown

    sys.stdout.write(rules_markdown())


@app.command()
def coverage(
    markdown: Annotated[bool, typer.Option(help="Print docs/coverage.md instead.")] = False,
) -> None:
    """Every rule and dated row with its verification status (confirmed/secondary/unconfirmed)."""
    from cruce.decide.catalogue import coverage_markdown, coverage_rows

    if markdown:
        sys.stdout.write(coverage_markdown())
        return
    table = Table(title="Coverage registry")
    for column in ("Kind", "Id", "What", "Verification"):
        table.add_column(column)
    colours = {"confirmed": "green", "secondary": "yellow", "unconfirmed": "red"}
    for kind, ident, what, status in coverage_rows():
        table.add_row(kind, ident, escape(what), f"[{colours[status]}]{status}[/]")
    console.print(table)


@app.command()
def audit(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="A caseload CSV or Parquet (docs/audit.md), or ICE FOIA release files "
            "(gzip or not; docs/audit.md#ice-releases).",
            show_default=False,
        ),
    ] = None,
    out: Annotated[Path, typer.Option(help="Folder for the findings and the report.")] = Path(
        "cruce-audit"
    ),
    example: Annotated[
        bool, typer.Option(help="Audit the shipped example caseload (planted violations).")
    ] = False,
    layout: Annotated[
        str | None,
        typer.Option(
            help="Read the files as this ICE release layout: ice-removals or ice-arrests."
        ),
    ] = None,
    country: Annotated[
        str, typer.Option(help="ISO 3166-1 alpha-2 code of the consulate's nationals (ICE files).")
    ] = "MX",
    batch_mib: Annotated[
        float | None,
        typer.Option(
            min=0.0001,
            help="Read a CSV caseload in batches of about this many MiB (default 32): memory "
            "grows with the batch, not the file (docs/audit.md#large-caseloads).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Check each recorded enforcement action against what the rules in force permitted."""
    from cruce.audit.examples import write_example_caseload
    from cruce.audit.ice import is_release

    files = files or []
    if bool(files) == example:
        _fail("give a CASELOAD file, ICE release files or --example (one of them)")
    if layout is not None or any(is_release(f) for f in files):
        _audit_releases(files, out, layout, country)
        return
    if len(files) > 1:
        _fail("give one caseload file (several files are read only as ICE releases)")
    caseload = files[0] if files else None
    out.mkdir(parents=True, exist_ok=True)
    if example:
        caseload = out / "example-caseload.csv"
        write_example_caseload(caseload)
    assert caseload is not None
    findings, rows = _audit_caseload(caseload, out, batch_mib)
    _print_audit_summary(findings, rows, out)


def _audit_caseload(caseload: Path, out: Path, batch_mib: float | None) -> tuple[pl.DataFrame, int]:
    """Audit a caseload in batches, writing the findings as they come, then the report: the
    findings and the rows read. Only the findings (not the caseload) are held whole, for the
    report's tables."""

    import polars as pl

    from cruce.audit.checks import audit_batches
    from cruce.tables.export import FindingsWriter, write_csv
    from cruce.tables.reader import BATCH_BYTES, TableError
    from cruce.web.audit_report import render_report, write_report

    batch_bytes = BATCH_BYTES if batch_mib is None else max(1, round(batch_mib * 2**20))
    size = caseload.stat().st_size if caseload.exists() else 0
    writer = FindingsWriter(out, "findings")
    parts, case_ids, rows, absent, done = [], [], 0, [], 0
    with progress_display(errors) as progress:
        task = progress.add_task("reading, checking and deciding each action", total=size + 1)
        try:
            for batch in audit_batches(caseload, batch_bytes=batch_bytes):
                writer.write(batch.findings)
                parts.append(batch.findings)
                case_ids.append(batch.case_ids)
                rows, absent = rows + batch.rows, batch.absent
                progress.update(task, advance=batch.read - done)
                done = batch.read
        except TableError as error:
            writer.discard()
            if error.errors:
                write_csv(error.report(), out / "errors.csv")
                _fail(f"{error}\nevery bad cell is listed in {out / 'errors.csv'}")
            _fail(str(error))
        progress.update(task, description="writing the findings and the report")
        writer.commit()
        findings = pl.concat(parts)
        html = render_report(
            findings,
            source=caseload.name,
            cases=pl.concat(case_ids).n_unique(),
            rows=rows,
            absent_columns=absent,
        )
        write_report(out / "report.html", html)
        progress.update(task, advance=size + 1 - done)
    return findings, rows


def _audit_releases(files: list[Path], out: Path, layout: str | None, country: str) -> None:
    """Audit ICE FOIA release files and write the tables, the report and the store."""
    import polars as pl

    from cruce.audit.ice import audit_releases
    from cruce.audit.ice_output import write_audit
    from cruce.facts.case import iso_country_codes
    from cruce.tables.reader import TableError
    from cruce.web.audit_report import write_report
    from cruce.web.ice_report import render_ice_report

    country = country.upper()
    if country not in iso_country_codes():
        _fail(f"--country {country!r} is not an ISO 3166-1 alpha-2 code (e.g. MX, GT, HN)")
    with progress_display(errors) as progress:
        task = progress.add_task("reading and judging the release records", total=2)
        try:
            result = audit_releases(files, layout)
        except TableError as error:
            _fail(str(error))
        progress.update(task, advance=1, description="writing tables, report and store")
        summary = write_audit(result, out, country)
        write_report(out / "report.html", render_ice_report(result, summary, country=country))
        progress.update(task, advance=1)
    for release in result.releases:
        console.print(
            f"{release['file']}: layout [bold]{release['layout']}[/] recognised, "
            f"{release['rows']:,} rows ({release['title']})",
            highlight=False,
        )
    table = Table(title=f"Rows read, by outcome — {NOTICE}")
    for column in ("Outcome", "Rows"):
        table.add_column(column)
    totals = result.accounting.group_by("outcome").agg(pl.col("rows").sum()).sort("outcome")
    for outcome, rows in totals.iter_rows():
        table.add_row(outcome, f"{rows:,}")
    console.print(table)
    findings = Table(title="Record findings")
    for column in ("Finding", "Rows", "Violations", "Needs review", "Cleared"):
        findings.add_column(column)
    for row in result.record_counts.iter_rows(named=True):
        findings.add_row(
            row["finding"],
            *(f"{row[k]:,}" for k in ("rows", "violations", "needs_review", "cleared")),
        )
    console.print(findings)
    if result.unmapped.height:
        console.print(
            f"[yellow]{result.unmapped.height} unmapped spellings[/] "
            f"({int(result.unmapped.get_column('count').sum()):,} cells): {out}/unmapped.csv"
        )
    console.print(f"Tables, findings.parquet, report.html and audit.duckdb in {out}/")


def _print_audit_summary(findings, rows: int, out: Path) -> None:
    import polars as pl

    summary = findings.group_by("finding", "status").agg(pl.len().alias("n")).sort("finding")
    table = Table(title=f"Audit of {rows:,} recorded actions — {NOTICE}")
    for column in ("Finding", "Status", "Count"):
        table.add_column(column)
    for finding, status, count in summary.iter_rows():
        colour = "red" if status == "VIOLATION" else "yellow"
        table.add_row(finding, f"[{colour}]{status}[/]", f"{count:,}")
    console.print(table)
    console.print(f"Findings: {out}/findings.csv, .parquet, .json — report: {out}/report.html")


@app.command()
def exposure(
    at: Annotated[
        list[str] | None, typer.Option("--at", help="An instant to compare (repeat the option).")
    ] = None,
    regime: Annotated[
        list[str] | None, typer.Option("--regime", help="A named regime (repeat the option).")
    ] = None,
    size: Annotated[
        int, typer.Option(min=1, help="Synthetic persons (weighted to the total).")
    ] = 1_000_000,
    seed: Annotated[int, typer.Option(help="Seed: same seed, same numbers.")] = 2017,
    out: Annotated[Path, typer.Option(help="Folder for tables, chart and store.")] = Path(
        "cruce-exposure"
    ),
    microdata: Annotated[
        Path | None,
        typer.Option(
            help="Your own cases (CSV/Parquet of Case columns, optional weight and state) "
            "instead of the synthetic population."
        ),
    ] = None,
    assume: Annotated[
        list[str] | None,
        typer.Option(
            "--assume",
            help="Set an assumption of the synthetic population, NAME=SHARE (repeat): "
            "share_entered_without_inspection, share_presence_documentable, "
            "share_within_100_miles_elsewhere, share_minors.",
        ),
    ] = None,
    sweep: Annotated[
        str | None,
        typer.Option(
            help="Run across one assumption, NAME=START:STOP:STEP (e.g. "
            "share_presence_documentable=0:1:0.25), and report the range.",
        ),
    ] = None,
    png: Annotated[
        bool, typer.Option(help="Also draw the chart as a PNG (headless Chromium, about 2 s).")
    ] = False,
) -> None:
    """How many people each regime exposes to expedited removal, regimes side by side."""
    import polars as pl

    from cruce.law.timeline import TimelineError
    from cruce.population import exposure as ex
    from cruce.population.synthetic import (
        AssumptionError,
        Assumptions,
        build_population,
        default_controls,
        parse_setting,
        parse_sweep,
    )
    from cruce.tables.export import write_csv

    if not at and not regime:
        at = ["2016-06-01", "2019-08-01"]
    try:
        compared = ex.points(at or [], regime or [])
        assumptions = Assumptions().with_settings(dict(parse_setting(a) for a in assume or []))
        swept = parse_sweep(sweep) if sweep else None
    except (TimelineError, AssumptionError) as error:
        _fail(str(error))
    if microdata is not None and (assume or sweep):
        _fail("--assume and --sweep set the synthetic population; your microdata is taken as given")
    out.mkdir(parents=True, exist_ok=True)
    controls = default_controls()
    cases = _read_microdata(microdata, out) if microdata is not None else None
    variants = (
        [assumptions.with_settings({swept[0]: value}) for value in swept[1]]
        if swept
        else [assumptions]
    )
    tables = []
    with progress_display(errors) as progress:
        task = progress.add_task("preparing", total=len(variants) * (len(compared) + 1))
        for variant in variants:
            if cases is None:
                progress.update(task, description="building the synthetic population")
                population, report = build_population(size, seed, controls, variant)
            else:
                population, report = cases, ex.empty_control_report()
                controls = ex.microdata_controls(microdata)
            progress.update(task, advance=1)
            for point in compared:
                progress.update(task, description=f"deciding everyone at {point.label}")
                table = (
                    ex.exposure_table(population, [point])
                    if cases is None
                    else ex.microdata_table(cases, [point])
                )
                label = variant.label() if cases is None else "microdata as given"
                tables.append(ex.with_assumptions(table, label))
                progress.update(task, advance=1)
    if cases is None:
        population.write_parquet(out / "population.parquet")
    table = pl.concat(tables)
    summary = ex.headline(table)
    write_csv(table, out / "exposure.csv")
    table.write_parquet(out / "exposure.parquet")
    write_csv(report, out / "population-controls.csv")
    described = [] if cases is not None else variants[0].described()
    if swept:
        described[0] += f" (swept: {sweep})"
    figure = ex.chart(summary, described, swept[0] if swept else None)
    _write_figure(figure, out / "exposure.html", out / "exposure.png" if png else None)
    rows = population.height if cases is not None else size
    run_id = ex.store(
        out / "cruce.duckdb",
        table,
        ex.provenance(compared, seed, rows, [v.to_dict() for v in variants], controls.sources),
    )
    who = f"microdata {microdata.name}" if microdata else "synthetic population"
    _print_exposure(summary, report, out, run_id, who, swept[0] if swept else None)
    for line in described:
        console.print(line)
    _print_exposed_by_country(ex.first_variant(table))


@app.command()
def simulate(
    scenarios: Annotated[
        list[str],
        typer.Argument(
            help="A scenario YAML file or a shipped scenario's name (see `cruce scenarios`); "
            "give two to compare them.",
            show_default=False,
        ),
    ],
    replicates: Annotated[
        int | None, typer.Option(help="Monte Carlo replicates (default: the scenario's).")
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Seed (default: the scenario's).")] = None,
    workers: Annotated[
        int, typer.Option(help="Dask LocalCluster worker processes; 0 runs in process.")
    ] = 2,
    scheduler: Annotated[
        str | None, typer.Option(help="Address of a running Dask scheduler instead.")
    ] = None,
    out: Annotated[Path, typer.Option(help="Folder for tables, charts and store.")] = Path(
        "cruce-simulation"
    ),
) -> None:
    """Run the enforcement pipeline for a scenario (or two, side by side) with uncertainty."""
    from cruce.simulation.report import (
        chart_figure,
        comparison,
        hiring_comparison,
        hiring_differences,
        hiring_figure,
        write,
    )
    from cruce.simulation.scenario import ScenarioError, load_scenario

    if not 1 <= len(scenarios) <= 2:
        _fail("give one scenario, or two to compare")
    try:
        loaded = [load_scenario(s) for s in scenarios]
    except ScenarioError as error:
        _fail(str(error))
    overrides = {k: v for k, v in (("replicates", replicates), ("seed", seed)) if v is not None}
    loaded = [s.model_copy(update=overrides) for s in loaded]
    where = scheduler or (f"LocalCluster({workers} workers)" if workers else "in process")
    with progress_display(errors) as progress:
        runs = _simulate_all(loaded, workers, scheduler, progress)
        task = progress.add_task("writing tables, charts and store", total=2)
        run_ids = write(runs, out, where)
        progress.update(task, advance=1, description="drawing the charts")
        with ThreadPoolExecutor(2) as pool:  # two Chromiums, one a core
            drawn = [
                pool.submit(
                    _write_figure,
                    chart_figure(runs),
                    out / "simulation.html",
                    out / "simulation.png",
                ),
                pool.submit(
                    _write_figure, hiring_figure(runs), out / "hiring.html", out / "hiring.png"
                ),
            ]
            for future in drawn:
                future.result()
        progress.update(task, advance=1)
    _print_simulation(comparison(runs), run_ids, out)
    _print_hiring(hiring_comparison(runs), hiring_differences(runs), out)


def _simulate_all(scenarios, workers: int, scheduler: str | None, progress) -> list:
    """Each scenario's prepared inputs and replicates, overlapped: the Dask cluster starts
    while the first scenario is prepared, and each scenario's replicates run while the next
    one is prepared (the numbers do not depend on it: each replicate owns its random stream)."""
    from cruce.simulation import montecarlo as mc
    from cruce.simulation.inputs import MissingInput
    from cruce.simulation.report import SimulationRun

    with ExitStack() as stack, ThreadPoolExecutor() as pool:
        starting = pool.submit(stack.enter_context, mc.dask_client(workers, scheduler))
        pending = []
        for scenario in scenarios:
            task = progress.add_task(f"{scenario.name}: rules", total=scenario.replicates + 1)
            try:
                prepared, evidence = mc.prepare_cached(scenario)
            except MissingInput as error:
                pool.shutdown(cancel_futures=True)
                _fail(f"{scenario.name}: {error}")
            progress.update(task, advance=1, description=f"{scenario.name}: replicates")
            done = pool.submit(
                mc.run_replicates,
                prepared,
                scenario,
                starting.result(),
                lambda n, t=task: progress.update(t, advance=n),
            )
            pending.append((scenario, prepared, evidence, done))
        return [SimulationRun(s, p, e, done.result()) for s, p, e, done in pending]


def _print_simulation(table, run_ids: dict[str, str], out: Path) -> None:
    view = Table(title="Simulation: median (5%–95%) over replicates")
    for column in table.columns:
        view.add_column(column.replace("_", " "))
    for row in table.iter_rows():
        view.add_row(*(str(cell) for cell in row))
    console.print(view)
    console.print(
        f"Bands and summaries: {out}/*-bands.csv, *-summary.csv — charts: {out}/simulation.html"
        f" (.png) — store: {out}/cruce.duckdb, runs {', '.join(run_ids.values())}"
    )


MEXICO_WORDS = {
    "en": {
        "title": "Non-Mexicans returned to Mexico to await US hearings: median [5% – 95%]",
        "run": "Run",
        "window": "Months",
        "returned": "Returned",
        "assumptions": "Assumptions",
        "published": "Published, {what}: {value:,.0f} ({row})",
        "range": "The 2017 guidance as directed, while Part H alone governed (February 2017 to "
        "December 2018): from {low} ({low_why}) to {high} ({high_why}); on Mexico's 2019 terms, "
        "{mid}.",
        "exposed": "Mexican nationals exposed to expedited removal, by regime",
        "regime": "Regime (from)",
        "of": "of {total:,.0f} Mexican-born unauthorized residents ({row})",
        "files": "Tables (CSV) and the chart by month (HTML, PNG): {out}",
        "whole run": "whole run",
        "exposed_column": "Exposed",
        "no_ice": "The consulate's audit summary needs ICE's FOIA releases: give them with --ice "
        "FILE (or a folder; docs/audit.md#ice-releases).",
    },
    "es": {
        "title": "No mexicanos devueltos a México a esperar audiencias en EE. UU.: mediana "
        "[5% – 95%]",
        "run": "Escenario",
        "window": "Meses",
        "returned": "Devueltos",
        "assumptions": "Supuestos",
        "published": "Publicado, {what}: {value:,.0f} ({row})",
        "range": "La guía de 2017 según lo ordenado, mientras solo regía la Parte H (de febrero "
        "de 2017 a diciembre de 2018): de {low} ({low_why}) a {high} ({high_why}); en los términos "
        "de México de 2019, {mid}.",
        "exposed": "Mexicanos expuestos a la deportación acelerada, por régimen",
        "regime": "Régimen (desde)",
        "of": "de {total:,.0f} residentes no autorizados nacidos en México ({row})",
        "files": "Tablas (CSV) y el gráfico por mes (HTML, PNG): {out}",
        "whole run": "todo el periodo",
        "Part H": "Parte H",
        "exposed_column": "Expuestos",
        "no_ice": "El resumen de la auditoría del consulado necesita las entregas del ICE por "
        "FOIA: páselas con --ice ARCHIVO (o una carpeta; docs/audit.md#ice-releases).",
    },
}


def _band_text(row: dict) -> str:
    return f"{row['p50']:,.0f} [{row['p05']:,.0f} – {row['p95']:,.0f}]"


@app.command()
def mexico(
    lang: Annotated[str, typer.Option(help="Language of the output: en or es.")] = "en",
    replicates: Annotated[int, typer.Option(min=1, help="Monte Carlo replicates a run.")] = 50,
    out: Annotated[Path, typer.Option(help="Folder for the tables (CSV).")] = Path("cruce-mexico"),
    ice: Annotated[
        list[Path] | None,
        typer.Option(
            help="An ICE FOIA release file, or a folder of them, for the consulate's audit "
            "summary (repeat; docs/audit.md#ice-releases).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Mexico's side: non-Mexicans returned to Mexico as applied, as the 2017 guidance directed
    (a range named by its assumptions) and from 2025; Mexicans exposed to expedited removal; and,
    given ICE's releases, what the audit of ICE's own records finds for Mexican nationals."""
    from cruce.simulation import mexico as mx
    from cruce.tables.export import write_csv
    from cruce.tables.reader import TableError

    if lang not in MEXICO_WORDS:
        _fail(f"--lang {lang!r}: valid: {', '.join(MEXICO_WORDS)}")
    words = MEXICO_WORDS[lang]
    consulate = None
    if ice:  # read first: a file that is not a release is refused before the minute of runs
        try:
            consulate = mx.consulate(tuple(ice))
        except TableError as error:
            _fail(str(error))
    side = mx.side(replicates)
    view = Table(title=words["title"])
    for column in ("run", "window", "returned", "assumptions"):
        view.add_column(words[column])
    for run in mx.RUNS:
        for row in side.totals.filter(side.totals["run"] == run.key).iter_rows(named=True):
            window = words.get(row["window"], row["window"])
            months = f"{window}, {row['first']:%Y-%m} – {row['last']:%Y-%m}"
            view.add_row(run.label[lang], months, _band_text(row), run.assumptions[lang])
    console.print(view)
    for what in ("cumulative_enrolled", "cumulative_returned"):
        for row in side.published.filter(side.published["what"] == what).iter_rows(named=True):
            if row["as_of"].startswith(("2021-01", "MPP 2.0")):
                console.print(
                    words["published"].format(
                        what=row["as_of"].replace("2021-01-31", "MPP 1.0 (2019-01 – 2021-01-31)"),
                        value=row["value"],
                        row=row["row"],
                    )
                )
    ends = mx.the_range(side)
    by_key = {run.key: run for run in mx.RUNS}
    console.print(
        words["range"].format(
            low=_band_text(ends["directed_low"]),
            low_why=by_key["directed_low"].assumptions[lang],
            high=_band_text(ends["directed_high"]),
            high_why=by_key["directed_high"].assumptions[lang],
            mid=_band_text(ends["directed"]),
        )
    )
    exposed = mx.mexicans_exposed()
    table = Table(title=words["exposed"])
    table.add_column(words["regime"])
    table.add_column(words["exposed_column"])
    for row in exposed.iter_rows(named=True):
        of = words["of"].format(total=row["mexicans"], row=row["row"])
        table.add_row(f"{row['point']} ({row['at']:%Y-%m-%d})", f"{row['exposed']:,.0f} {of}")
    console.print(table)
    out.mkdir(parents=True, exist_ok=True)
    tables = {
        "returns-by-month": side.monthly,
        "returns-totals": side.totals,
        "published": side.published,
        "sources": side.sources,
        "mexicans-exposed": exposed,
    }
    if consulate is None:
        console.print(words["no_ice"])
    else:
        _print_consulate(consulate, lang)
        tables |= {
            "consulate-findings": consulate.counts,
            "consulate-rows": consulate.rows,
            "consulate-files": consulate.files,
        }
    for name, frame in tables.items():
        write_csv(frame, out / f"{name}.csv")
    from cruce.web.mexico import by_month_figure

    _write_figure(
        by_month_figure(side, lang), out / "returns-by-month.html", out / "returns-by-month.png"
    )
    console.print(words["files"].format(out=out))


def _print_consulate(consulate, lang: str) -> None:
    """What the audit of ICE's releases finds for Mexican nationals, each count with its rows."""
    from cruce.simulation import mexico as mx

    words = mx.CONSULATE_WORDS[lang]
    console.print(f"[bold]{words['heading']}[/] — {NOTICES[lang]}\n{words['lead']}")
    counts = mx.consulate_counts(consulate, lang)
    columns = ("fiscal_year", "status", "actions", "source")
    # One table a finding, so each row's source stays on one line at the width of a pipe.
    for finding in dict.fromkeys(row["finding"] for row in counts):
        view = Table(title=finding)
        for column in columns:
            view.add_column(words[column], justify="right" if column == "actions" else "left")
        for row in counts:
            if row["finding"] == finding:
                view.add_row(*(escape(row[column]) for column in columns))
        console.print(view)
    kinds = Table(title=words["citations"])
    for column in ("finding", "actions", "citations"):
        kinds.add_column(words[column])
    for row in mx.consulate_findings(consulate, lang):
        kinds.add_row(escape(row["finding"]), row["actions"], escape(row["citations"]))
    console.print(kinds)


def _print_hiring(table, changed, out: Path) -> None:
    """Years to each agency's 2017 target, applicants and cost, scenario by scenario; with two
    scenarios, what the first's hiring changes against the second's, replicate by replicate."""
    if table.is_empty():
        return
    titles = [(table, "Hiring toward the 2017 targets: median (5%–95%) over replicates")]
    if changed is not None:
        titles.append(
            (changed, "What the hiring changes: first scenario minus second, paired replicates")
        )
    for frame, title in titles:
        view = Table(title=title)
        for column in frame.columns:
            view.add_column(column.replace("_", " "))
        for row in frame.iter_rows():
            view.add_row(*("" if cell is None else str(cell) for cell in row))
        console.print(view)
    console.print(f"Hiring: {out}/*-hiring.csv — chart: {out}/hiring.html (.png)")


@app.command()
def scenarios() -> None:
    """The shipped simulation scenarios."""
    from cruce.simulation.scenario import load_scenario, shipped_scenarios

    view = Table(title="Shipped scenarios (cruce simulate NAME)")
    for column in ("Name", "Title", "Timeline", "Months from", "Horizon"):
        view.add_column(column)
    for name in shipped_scenarios():
        s = load_scenario(name)
        view.add_row(name, s.title, s.timeline, s.start, f"{s.months} months")
    console.print(view)


def _read_microdata(path: Path, out: Path):
    from cruce.population import exposure as ex
    from cruce.tables.export import write_csv
    from cruce.tables.reader import TableError, read_table

    try:
        return read_table(path, ex.microdata_columns())[0]
    except TableError as error:
        if error.errors:
            write_csv(error.report(), out / "errors.csv")
            _fail(f"{error}\nevery bad cell is listed in {out / 'errors.csv'}")
        _fail(str(error))


def _write_figure(figure, html: Path, png: Path | None) -> None:
    """A chart as interactive HTML (plotly.js embedded) and as a PNG figure: the figure alone,
    drawn by Debian's Chromium without Plotly's toolbar or any scrollbar."""
    from cruce.web import browser

    html.write_text(figure.to_html(include_plotlyjs=True, full_html=True), encoding="utf-8")
    if png is None:
        return
    if browser.chromium() is None:
        errors.print("no chromium: the PNG of the chart was not made (the HTML was)")
        return
    browser.figure_png(figure, png)


def _print_exposed_by_country(table) -> None:
    """Who is exposed, by country of birth: the consulates' question."""
    import polars as pl

    exposed = (
        table.filter(pl.col("expedited_removal") == "ER_AVAILABLE")
        .pivot(on="point", index="country", values="persons", aggregate_function="sum")
        .fill_null(0.0)
    )
    if exposed.is_empty():
        return
    points = [c for c in exposed.columns if c != "country"]
    exposed = exposed.sort(points[-1], descending=True)
    view = Table(title="Exposed to expedited removal, by country of birth")
    view.add_column("Country")
    for point in points:
        view.add_column(point, justify="right")
    for row in exposed.iter_rows(named=True):
        view.add_row(row["country"], *(f"{row[p]:,.0f}" for p in points))
    console.print(view)


OUTCOME_COLUMNS = ("ER_AVAILABLE", "ER_NOT_AVAILABLE", "UNDECIDED")


def _print_exposure(summary, report, out: Path, run_id: str, who: str, swept: str | None) -> None:
    table = Table(title=f"People exposed to expedited removal — {who} — {NOTICE}")
    table.add_column("Regime or instant")
    if swept:
        table.add_column(swept)
    shown = [c for c in OUTCOME_COLUMNS if c in summary.columns]
    for column in shown:
        table.add_column(column.replace("_", " ").lower(), justify="right")
    for row in summary.iter_rows(named=True):
        setting = [row["assumptions"].split(f"{swept}=")[1].split(";")[0]] if swept else []
        table.add_row(row["point"], *setting, *(f"{row[c]:,.0f}" for c in shown))
    console.print(table)
    if swept and "ER_AVAILABLE" in summary.columns:
        for (point,), rows in summary.group_by("point", maintain_order=True):
            low, high = rows["ER_AVAILABLE"].min(), rows["ER_AVAILABLE"].max()
            console.print(f"{point}: exposed {low:,.0f}–{high:,.0f} across {swept}")
    if report.height:
        worst = report.get_column("relative_error").abs().max()
        console.print(
            f"Population raked to {report.height} control totals (largest error {worst:.1e}); "
            f"the persons are in {out}/population.parquet."
        )
    console.print(
        f"Tables: {out}/exposure.csv, .parquet; chart: {out}/exposure.html (--png for a PNG); "
        f"controls: {out}/population-controls.csv; stored as run {run_id} in {out}/cruce.duckdb"
    )


LOOPBACK = ("127.0.0.1", "::1", "localhost")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to bind (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(help="Server processes (one per core).")] = 1,
    allow_remote: Annotated[
        bool, typer.Option(help="Allow binding an address other machines can reach.")
    ] = False,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(help="A Host name the server answers for (repeat; loopback always)."),
    ] = None,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(
            help="Proxies whose X-Forwarded-For is trusted (comma-separated); none by default."
        ),
    ] = None,
    header_timeout: Annotated[
        float, typer.Option(min=0.1, help="Seconds a client has to send a request's headers.")
    ] = 10.0,
    body_timeout: Annotated[
        float, typer.Option(min=0.1, help="Seconds a client has to send a request's body.")
    ] = 60.0,
    ice: Annotated[
        list[Path] | None,
        typer.Option(
            help="An ICE FOIA release file, or a folder of them, for the consulate's audit on "
            "/mexico (repeat).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Start the HTTP API and the pages (the audit page is at /audit)."""
    import os

    import uvicorn

    from cruce.simulation.mexico import release_files
    from cruce.tables.reader import TableError
    from cruce.web.mexico import ICE_RELEASES

    if host not in LOOPBACK and not allow_remote:
        _fail(f"--host {host} is reachable from other machines; give --allow-remote to mean it")
    if host not in LOOPBACK:
        errors.print(
            f"[yellow]Warning: serving on {host}, reachable from other machines; the API has no "
            "authentication.[/]"
        )
    names = {*LOOPBACK, *(allowed_host or []), *([host] if host not in ("0.0.0.0", "::") else [])}
    os.environ["CRUCE_ALLOWED_HOSTS"] = ",".join(sorted(n.lower() for n in names))
    os.environ["CRUCE_HEADER_TIMEOUT_S"] = str(header_timeout)
    os.environ["CRUCE_BODY_TIMEOUT_S"] = str(body_timeout)
    if ice:  # checked now, so a wrong path fails here and not on the page's first visit
        try:
            release_files(ice)
        except TableError as error:
            _fail(str(error))
        os.environ[ICE_RELEASES] = os.pathsep.join(str(p.resolve()) for p in ice)
    console.print(
        f"Cruce on http://{host}:{port}/screener  (pages: /screener /scenarios /audit /timeline "
        "/rules /sources; API schema at /openapi.json)"
    )
    # No access log: paths carry no case facts, but a log of who audited what is not ours to keep.
    # Forwarded headers are trusted only from the proxies named, so X-Forwarded-For cannot pick
    # the address the rate limit counts. An idle keep-alive connection is closed after 5 s, a
    # request slower than the header/body timeouts is cut (web/server.py), and past 200 open
    # connections or tasks a request is answered 503.
    uvicorn.run(
        "cruce.web.api:app",
        host=host,
        port=port,
        workers=workers,
        access_log=False,
        proxy_headers=forwarded_allow_ips is not None,
        forwarded_allow_ips=forwarded_allow_ips,
        http="cruce.web.server:DeadlineH11Protocol",
        timeout_keep_alive=5,
        limit_concurrency=200,
    )


@app.command()
def examples() -> None:
    """The example cases shipped with Cruce."""
    for name in sorted(_examples()):
        console.print(name)


if __name__ == "__main__":  # pragma: no cover
    app()
