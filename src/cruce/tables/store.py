"""The embedded DuckDB store: every run (exposure, simulation) with its provenance and tables.

One ``runs`` table (run id, time, kind, provenance as JSON) and one table per kind of result,
each row carrying its run id. Nothing about a case is ever written here.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import uuid
from pathlib import Path
from typing import Any

import polars as pl


def save(path: Path, kind: str, provenance: dict[str, Any], tables: dict[str, pl.DataFrame]) -> str:
    """Store a run's tables and provenance in the DuckDB file ``path``; returns the run id."""
    import duckdb

    run_id = uuid.uuid4().hex[:12]
    with duckdb.connect(str(path)) as connection, tempfile.TemporaryDirectory() as folder:
        connection.execute(
            "CREATE TABLE IF NOT EXISTS runs (run_id VARCHAR PRIMARY KEY, created TIMESTAMPTZ, "
            "kind VARCHAR, provenance JSON)"
        )
        connection.execute(
            "INSERT INTO runs VALUES (?, ?, ?, ?)",
            [run_id, dt.datetime.now(dt.UTC), kind, json.dumps(provenance, default=str)],
        )
        for name, table in tables.items():
            staged = Path(folder) / f"{name}.parquet"  # DuckDB reads Polars' Parquet directly
            table.select(pl.lit(run_id).alias("run_id"), pl.all()).write_parquet(staged)
            connection.execute(
                f'CREATE TABLE IF NOT EXISTS "{name}" AS SELECT * FROM read_parquet(?) LIMIT 0',
                [str(staged)],
            )
            connection.execute(f'INSERT INTO "{name}" SELECT * FROM read_parquet(?)', [str(staged)])
    return run_id
