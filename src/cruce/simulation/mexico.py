"""Mexico's side in one place: the non-Mexicans the United States returned to Mexico to await
their hearings (as applied), would have returned under the 2017 guidance as directed (a range
whose two ends are named by their assumptions) and may return from 2025; the published points
they are checked against; and the Mexican nationals the rules expose to expedited removal,
regime by regime; and the consulate's audit summary, what the audit of ICE's own records finds
for Mexican nationals. ``cruce mexico`` prints it and ``/mexico`` draws it, in English and Spanish.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import polars as pl

from cruce.simulation import montecarlo as mc
from cruce.simulation.data import as_of_date, rows
from cruce.simulation.data import datum as datum_of
from cruce.simulation.inputs import COUNTRY_NAMES, NATIONALITIES
from cruce.simulation.pipeline import METRICS
from cruce.simulation.scenario import load_scenario
from cruce.tables.reader import ROW, TableError


@dataclass(frozen=True)
class Run:
    """One scenario of the comparison, what it is called, and the assumptions that name it."""

    key: str
    scenario: str
    label: dict[str, str]
    assumptions: dict[str, str]


RUNS = (
    Run(
        "as_applied",
        "kelly-2017-as-applied",
        {"en": "As applied (2017–2024)", "es": "Como se aplicó (2017–2024)"},
        {
            "en": "the law in force each month; MPP only through its ports, at Mexico's pace "
            "before the 2019 agreement and at most 30 a day at a port in 2021–22; uptake and "
            "port capacity fitted on 2019",
            "es": "la ley vigente cada mes; MPP solo por sus puertos, al ritmo de México antes "
            "del acuerdo de 2019 y a lo sumo 30 al día por puerto en 2021–22; adopción y "
            "capacidad de los puertos ajustadas a 2019",
        },
    ),
    Run(
        "directed_low",
        "kelly-2017-as-directed-mexico-refuses",
        {"en": "As directed, low end", "es": "Según lo ordenado, extremo bajo"},
        {
            "en": "Mexico refuses non-Mexicans, as its Foreign Minister said in February 2017, "
            "until MPP in 2019: Part H returns no one",
            "es": "México rechaza a los no mexicanos, como dijo su canciller en febrero de 2017, "
            "hasta el MPP de 2019: la Parte H no devuelve a nadie",
        },
    ),
    Run(
        "directed",
        "kelly-2017-as-directed",
        {"en": "As directed, 2019 terms", "es": "Según lo ordenado, términos de 2019"},
        {
            "en": "from 2017-02-20 Mexico takes returns on its 2019 terms (the 2019 ports in the "
            "same order, its own pace until an agreement) and the ports process at their 2019 "
            "capacity; everyone the statute permits is returned where they can be",
            "es": "desde el 20-02-2017 México recibe devoluciones en sus términos de 2019 (los "
            "puertos de 2019 en el mismo orden, su propio ritmo hasta un acuerdo) y los puertos "
            "procesan a su capacidad de 2019; se devuelve a todos los que la ley permite donde "
            "se pueda",
        },
    ),
    Run(
        "directed_high",
        "kelly-2017-as-directed-no-limit",
        {"en": "As directed, high end", "es": "Según lo ordenado, extremo alto"},
        {
            "en": "Mexico takes every non-Mexican and the ports process everyone from "
            "2017-02-20; no source says either could have happened",
            "es": "México recibe a todos los no mexicanos y los puertos procesan a todos desde "
            "el 20-02-2017; ninguna fuente dice que pudiera haber ocurrido",
        },
    ),
    Run(
        "2025",
        "enforcement-2025",
        {"en": "2025 onward", "es": "De 2025 en adelante"},
        {
            "en": "MPP resumed under the 2019 policy, dependent on Mexico; encounters and uptake "
            "are assumed ranges (no shipped data after FY2024)",
            "es": "MPP reanudado con la política de 2019, sujeto a México; los encuentros y la "
            "adopción son rangos supuestos (no hay datos después del año fiscal 2024)",
        },
    ),
)
NON_MEXICAN = [n for n in NATIONALITIES if n != "MX"]
# The windows the as-applied run is compared in: MPP 1.0 to its last enrolling month, MPP 2.0.
WINDOWS = {
    "MPP 1.0": (dt.date(2019, 1, 1), dt.date(2021, 1, 1)),
    "MPP 2.0": (dt.date(2021, 12, 1), dt.date(2022, 8, 1)),
}
# The months Part H alone governs returns: from 2017-02-20 to the last month before MPP's first
# port opened (2019-01-28).
PART_H = (dt.date(2017, 2, 1), dt.date(2018, 12, 1))
# Regimes at which Mexican nationals' exposure to expedited removal is compared.
REGIMES = ("R-2014", "R-2017-KELLY", "R-2019-FULL", "R-2022-RESC", "R-2025-FULL", "R-2025-STAY")


@dataclass(frozen=True)
class Side:
    """Everything the page and the command show, as tables (each with its source rows)."""

    monthly: pl.DataFrame  # run, month, nationality, p05, p50, p95
    totals: pl.DataFrame  # run, window, p05, p50, p95
    published: pl.DataFrame  # month, what, value, row, source, url, confidence
    sources: pl.DataFrame  # run, row, what, value, source, url, confidence
    replicates: int


def _quantiles(values: np.ndarray, axis: int = 0) -> dict[str, np.ndarray]:
    return {
        name: np.quantile(values, q, axis=axis)
        for name, q in (("p05", 0.05), ("p50", 0.5), ("p95", 0.95))
    }


def _simulated(run: Run, replicates: int) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    scenario = load_scenario(run.scenario).model_copy(update={"replicates": replicates})
    prepared, evidence = mc.prepare(scenario)
    results = mc.run_replicates(prepared, scenario)
    months = prepared.inputs.months
    frames = []
    for code in [*NON_MEXICAN, "all"]:
        metric = "returns_to_mexico_non_mexican" if code == "all" else f"returns_to_mexico_{code}"
        values = results[:, METRICS.index(metric), :]
        frames.append(
            pl.DataFrame(
                {"run": run.key, "month": months, "nationality": COUNTRY_NAMES.get(code, "all")}
                | _quantiles(values)
            )
        )
    everyone = results[:, METRICS.index("returns_to_mexico_non_mexican"), :]
    windows = {"whole run": (months[0], months[-1])}
    if run.key == "as_applied":
        windows |= WINDOWS
    if run.key.startswith("directed"):
        windows |= {"Part H": PART_H}
    totals = []
    for window, (first, last) in windows.items():
        inside = [i for i, m in enumerate(months) if first <= m <= last]
        sums = everyone[:, inside].sum(axis=1)
        stats = {k: float(v) for k, v in _quantiles(sums).items()}
        totals.append({"run": run.key, "window": window, "first": first, "last": last} | stats)
    sources = pl.DataFrame(evidence.records()).with_columns(pl.lit(run.key).alias("run"))
    return pl.concat(frames), pl.DataFrame(totals), sources


def published() -> pl.DataFrame:
    """The published MPP points of data/mpp.csv: monthly counts and running totals."""
    keep = ("new_mpp_court_cases", "new_mpp_returns_peak_month", "cbp_mpp_enrollments")
    keep += ("cumulative_returned", "cumulative_enrolled")
    found = []
    for row in rows("mpp", lambda r: r["metric"] in keep and r["category"] == "all"):
        day = as_of_date(str(row["as_of"]))
        value = datum_of("mpp", row, row["value"], row["metric"])
        found.append(
            {
                "month": day.replace(day=1) if day else None,
                "as_of": str(row["as_of"]),
                "what": row["metric"],
                "kind": "running total" if row["metric"].startswith("cumulative") else "month",
                "value": float(row["value"]),
                "row": value.ref,
                "source": value.source,
                "url": value.url,
                "confidence": value.confidence,
            }
        )
    return pl.DataFrame(found)


@cache
def side(replicates: int) -> Side:
    """Every run of ``RUNS`` at ``replicates`` replicates (kept once computed)."""
    monthly, totals, sources = [], [], []
    for run in RUNS:
        m, t, s = _simulated(run, replicates)
        monthly.append(m)
        totals.append(t)
        sources.append(s)
    return Side(pl.concat(monthly), pl.concat(totals), published(), pl.concat(sources), replicates)


def the_range(found: Side, window: str = "Part H") -> dict[str, dict[str, float]]:
    """The guidance as directed: each end's and the middle's band over ``window``."""
    whole = found.totals.filter(pl.col("window") == window)
    return {
        key: whole.filter(pl.col("run") == key).select("p05", "p50", "p95").row(0, named=True)
        for key in ("directed_low", "directed", "directed_high")
    }


@cache
def mexicans_exposed(size: int = 20_000, seed: int = 2017) -> pl.DataFrame:
    """Mexican nationals in the synthetic unauthorized population (raked to the published
    counts) exposed to expedited removal at the start of each regime of ``REGIMES``."""
    from cruce.population import exposure as ex
    from cruce.population.synthetic import build_population

    population, _ = build_population(size=size, seed=seed)
    table = ex.exposure_table(population, ex.points([], list(REGIMES)))
    mexican = table.filter(pl.col("country") == "Mexico")
    (row,) = rows(
        "unauthorized_population_by_country",
        lambda r: r["country_of_birth"] == "Mexico" and str(r["reference_date"]) == "2012-01-01",
    )
    return (
        mexican.group_by("point", "at")
        .agg(
            pl.col("persons")
            .filter(pl.col("expedited_removal") == "ER_AVAILABLE")
            .sum()
            .alias("exposed"),
            pl.col("persons").sum().alias("mexicans"),
        )
        .sort("at")
        .with_columns(
            pl.lit(f"data/unauthorized_population_by_country.csv line {row['line']}").alias("row"),
            pl.lit(row["source"]).alias("source"),
        )
    )


# --- the consulate's audit summary: Mexican nationals in ICE's own records ----------------------

# What each record finding is called on Mexico's side (the audit's own titles are English only);
# a finding the audit adds without a label here is caught by tests/test_mexico_consulate.py.
FINDING_LABELS = {
    "ER_ON_A_CHARGE_NOT_AN_ER_GROUND": {
        "en": "Expedited removal on a charge expedited removal may not use",
        "es": "Deportación acelerada por un cargo que la deportación acelerada no puede usar",
    },
    "REINSTATEMENT_WITHOUT_REENTRY_CHARGE": {
        "en": "Reinstatement without a recorded prior removal and illegal re-entry",
        "es": "Restablecimiento sin constancia de deportación previa ni de reingreso ilegal",
    },
    "ER_OF_CUBAN_NATIONAL_BEFORE_2017": {
        "en": "Expedited removal of a Cuban national before 2017-01-13",
        "es": "Deportación acelerada de un cubano antes del 13-01-2017",
    },
    "ER_DURING_2019_INJUNCTION": {
        "en": "Expedited removal while the 2019 expansion was enjoined",
        "es": "Deportación acelerada mientras la ampliación de 2019 estaba suspendida por un juez",
    },
}
STATUS_LABELS = {
    "VIOLATION": {
        "en": "not permitted by the rules in force",
        "es": "no permitida por las normas vigentes",
    },
    "NEEDS_REVIEW": {"en": "needs review", "es": "requiere revisión"},
    "CLEARED": {"en": "permitted", "es": "permitida"},
}
# The words the page and the command share for the consulate's summary.
CONSULATE_WORDS = {
    "en": {
        "heading": "The consulate's audit: Mexican nationals in ICE's own records",
        "lead": "ICE's FOIA releases of removals and arrests (request 2019-ICFO-53623), each "
        "action judged at its own instant by the rules then in force: for Mexican nationals, the "
        "actions the rules did not permit and those that need review because the record lacks a "
        "fact the rules need. A finding is something to look into, not a conclusion about a "
        "person.",
        "finding": "Finding",
        "fiscal_year": "Fiscal year",
        "status": "What the audit finds",
        "actions": "Actions",
        "source": "Source rows",
        "citations": "Law cited [confidence]",
        "lines": "{file}, {rows:,} rows, lines {first:,}–{last:,}",
        "none": "no row of a Mexican national in these files",
        "chart": "Actions against Mexican nationals the audit faults, by fiscal year",
        "year_axis": "fiscal year (October–September)",
        "actions_axis": "actions (ICE records)",
        "source_line": "Source: ICE ERO FOIA release 2019-ICFO-53623; files {files}",
        "files": "Files read",
        "file": "File",
        "title": "Title",
        "rows": "Rows",
        "unreadable": "The ICE release files could not be read: {error}",
    },
    "es": {
        "heading": "La auditoría del consulado: mexicanos en los registros del propio ICE",
        "lead": "Las entregas del ICE por FOIA de deportaciones y arrestos (solicitud "
        "2019-ICFO-53623), cada acción juzgada en su propio instante con las normas vigentes "
        "entonces: para los mexicanos, las acciones que las normas no permitían y las que "
        "requieren revisión porque al registro le falta un hecho que las normas necesitan. Un "
        "hallazgo es algo que investigar, no una conclusión sobre una persona.",
        "finding": "Hallazgo",
        "fiscal_year": "Año fiscal",
        "status": "Qué encuentra la auditoría",
        "actions": "Acciones",
        "source": "Filas de origen",
        "citations": "Ley citada [confianza]",
        "lines": "{file}, {rows:,} filas, líneas {first:,}–{last:,}",
        "none": "ninguna fila de un mexicano en estos archivos",
        "chart": "Acciones contra mexicanos que la auditoría objeta, por año fiscal",
        "year_axis": "año fiscal (octubre–septiembre)",
        "actions_axis": "acciones (registros del ICE)",
        "source_line": "Fuente: entrega del ICE ERO por FOIA 2019-ICFO-53623; archivos {files}",
        "files": "Archivos leídos",
        "file": "Archivo",
        "title": "Título",
        "rows": "Filas",
        "unreadable": "No se pudieron leer los archivos de entregas del ICE: {error}",
    },
}


@dataclass(frozen=True)
class Consulate:
    """The audit of ICE's releases for one country's nationals: every row a record finding
    concerns (its file and line), the counts by finding, fiscal year and status with the lines
    they come from, each finding's citations, and the files read."""

    rows: pl.DataFrame  # file, line, fiscal_year, apprehension, finding, status
    counts: pl.DataFrame  # finding, fiscal_year, status, rows, file, first_line, last_line
    findings: pl.DataFrame  # finding, citations (every kind the audit has, found or not)
    files: pl.DataFrame  # file, sha256, layout, title, rows
    country: str


def release_files(paths: Sequence[Path]) -> list[Path]:
    """The ICE release files ``paths`` name (a folder: the releases in it). A file that is not a
    release, or a folder with none, raises TableError naming it."""
    from cruce.audit.ice import LAYOUTS, is_release

    found = []
    for path in paths:
        inside = sorted(p for p in path.iterdir() if is_release(p)) if path.is_dir() else [path]
        if not inside:
            raise TableError(str(path), "the folder holds no ICE release file (.psv or .psv.gz)")
        for file in inside:
            if not file.is_file():
                raise TableError(str(file), "no such file")
            if not is_release(file):
                raise TableError(
                    str(file), f"not an ICE release: its header is none of {', '.join(LAYOUTS)}"
                )
        found += inside
    return found


@cache
def consulate(paths: tuple[Path, ...], country: str = "MX") -> Consulate:
    """The ICE release audit (``cruce.audit.ice``) of ``paths`` for ``country``'s nationals."""
    from cruce.audit import ice
    from cruce.audit.checks import AT
    from cruce.law.citations import citations_text

    audit = ice.audit_releases(release_files(paths))
    name = pl.col("file").cast(pl.String).str.extract(r"([^/\\]+)$")
    nationals = audit.mapped.filter(pl.col("iso_code") == country).select(
        pl.col(ROW).alias("row"), name.alias("file"), "line", "fiscal_year"
    )
    found = (
        audit.record_rows.drop("file")
        .join(nationals, on="row")
        .select(
            "file",
            "line",
            "fiscal_year",
            pl.col(AT).dt.convert_time_zone(ice.EASTERN).dt.date().alias("apprehension"),
            "finding",
            "status",
        )
        .sort("file", "line", "finding")
    )
    counts = (
        found.group_by("finding", "fiscal_year", "status", "file")
        .agg(
            pl.len().alias("rows"),
            pl.col("line").min().alias("first_line"),
            pl.col("line").max().alias("last_line"),
        )
        .sort("finding", "fiscal_year", "status")
    )
    kinds = pl.DataFrame(
        [
            {"finding": kind.code, "citations": citations_text(kind.citations)}
            for kind in ice.record_findings()
        ]
    )
    files = pl.DataFrame(
        [{k: r[k] for k in ("file", "sha256", "layout", "title", "rows")} for r in audit.releases]
    ).with_columns(pl.col("file").str.extract(r"([^/\\]+)$"))
    return Consulate(found, counts, kinds, files, country)


def consulate_counts(found: Consulate, lang: str) -> list[dict[str, str]]:
    """The counts by finding, fiscal year and status in ``lang``, each with its source rows."""
    words = CONSULATE_WORDS[lang]
    return [
        {
            "finding": FINDING_LABELS[row["finding"]][lang],
            "fiscal_year": "" if row["fiscal_year"] is None else str(row["fiscal_year"]),
            "status": STATUS_LABELS[row["status"]][lang],
            "actions": f"{row['rows']:,}",
            "source": words["lines"].format(
                file=row["file"], rows=row["rows"], first=row["first_line"], last=row["last_line"]
            ),
        }
        for row in found.counts.iter_rows(named=True)
    ]


def consulate_findings(found: Consulate, lang: str) -> list[dict[str, str]]:
    """Every kind of record finding in ``lang``: how many actions on these nationals it
    concerns (or that none do) and the law it cites."""
    totals = dict(found.counts.group_by("finding").agg(pl.col("rows").sum()).iter_rows())
    return [
        {
            "finding": FINDING_LABELS[row["finding"]][lang],
            "actions": f"{totals[row['finding']]:,}"
            if row["finding"] in totals
            else CONSULATE_WORDS[lang]["none"],
            "citations": row["citations"],
        }
        for row in found.findings.iter_rows(named=True)
    ]
