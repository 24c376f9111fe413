"""Writing an ICE release audit: tables as CSV and Parquet, the findings as Parquet, the HTML
report and the DuckDB store with each file's provenance (docs/audit.md#ice-releases)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from cruce.audit.ice import ReleaseAudit, consulate_summary
from cruce.tables import store
from cruce.tables.export import write_csv


def write_audit(audit: ReleaseAudit, out: Path, country: str = "MX") -> dict[str, pl.DataFrame]:
    """Every table of the audit and the summary for ``country`` written to ``out``; returns the
    summary tables."""
    out.mkdir(parents=True, exist_ok=True)
    summary = consulate_summary(audit, country)
    tables = {
        "accounting": audit.accounting,
        "record_findings": audit.record_counts,
        "unmapped": audit.unmapped,
        **{f"summary_{country.lower()}_{name}": table for name, table in summary.items()},
    }
    for name, table in tables.items():
        write_csv(table, out / f"{name}.csv")
        table.write_parquet(out / f"{name}.parquet")
    # One row per finding (about one per action): Parquet only, its text dictionary-encoded.
    audit.findings.write_parquet(out / "findings.parquet")
    audit.record_rows.write_parquet(out / "record_finding_rows.parquet")
    store.save(
        out / "audit.duckdb",
        "ice-release-audit",
        {"files": audit.releases, "country": country},
        {
            **tables,
            "provenance": pl.DataFrame([{k: str(v) for k, v in r.items()} for r in audit.releases]),
        },
    )
    return summary
