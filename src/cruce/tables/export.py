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
