"""CSV files the project writes, safe to open in a spreadsheet.

A spreadsheet evaluates a cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula (CSV or formula injection). Following OWASP's rule
(https://owasp.org/www-community/attacks/CSV_Injection), every such text cell is written with a
leading ``'``, which the spreadsheet shows as text. Only CSV is changed: Parquet and JSON keep
the original text, so nothing is lost.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

import polars as pl

FORMULA_START = r"^[=+\-@\t\r]"


def neutralised(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with every text cell a spreadsheet would evaluate prefixed with ``'``."""
    text = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(FORMULA_START))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name in text
    )


def write_csv(frame: pl.DataFrame, target: str | Path | IO[bytes]) -> None:
    """Write ``frame`` as CSV with formula-like text neutralised (the one way the project writes
    CSV)."""
    neutralised(frame).write_csv(target)


class FindingsWriter:
    """A table written batch by batch as ``stem``.csv (neutralised), .parquet and .json, each
    the same as writing the whole table at once. The files are written under temporary names
    and take their own only at ``commit`` (``discard`` removes them), so a run refused midway
    leaves no partial table behind."""

    def __init__(self, folder: Path, stem: str) -> None:
        self.final = {ext: folder / f"{stem}.{ext}" for ext in ("csv", "parquet", "json")}
        self.temporary = {ext: folder / f".{stem}.{ext}.partial" for ext in self.final}
        self.parts = folder / f".{stem}.parquet.parts"
        self.parts.mkdir(exist_ok=True)
        self.csv = self.temporary["csv"].open("wb")
        self.json = self.temporary["json"].open("w", encoding="utf-8")
        self.json.write("[")
        self.batches = 0
        self.any_rows = False

    def write(self, frame: pl.DataFrame) -> None:
        neutralised(frame).write_csv(self.csv, include_header=not self.batches)
        frame.write_parquet(self.parts / f"{self.batches:06d}.parquet")
        rows = frame.write_json()[1:-1]  # the batch's objects, without the array's brackets
        if rows:
            self.json.write(("," if self.any_rows else "") + rows)
            self.any_rows = True
        self.batches += 1

    def commit(self) -> None:
        self.csv.close()
        self.json.write("]")
        self.json.close()
        # Polars streams the parts into one file; nothing is held whole.
        pl.scan_parquet(sorted(self.parts.glob("*.parquet"))).sink_parquet(
            self.temporary["parquet"]
        )
        self._remove_parts()
        for ext, path in self.temporary.items():
            path.replace(self.final[ext])

    def discard(self) -> None:
        self.csv.close()
        self.json.close()
        self._remove_parts()
        for path in self.temporary.values():
            path.unlink(missing_ok=True)

    def _remove_parts(self) -> None:
        for part in self.parts.glob("*.parquet"):
            part.unlink()
        self.parts.rmdir()
