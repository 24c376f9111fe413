"""The audit read in batches (issue 18, item 8) gives what the whole file gives: the same
findings, and the same errors naming the same lines, wherever the batches are cut, quoted line
breaks and stray quotes included."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from cruce.audit.checks import audit_batches, audit_file, caseload_columns
from cruce.cli.app import app
from cruce.tables.export import write_csv
from cruce.tables.reader import TableError, read_table, read_table_batches

# From one record per batch to the whole file in one.
BATCH_BYTES = [1, 97, 700, 5_000, 10**9]


def _quoted_caseload(caseload: pl.DataFrame) -> pl.DataFrame:
    """Case ids with line breaks, commas and doubled quotes inside quoted cells."""
    odd = pl.int_range(pl.len()) % 3
    return caseload.with_columns(
        pl.when(odd == 0)
        .then(pl.col("case_id") + '\n"line two", here\r\nthree')
        .when(odd == 1)
        .then(pl.col("case_id") + ",x")
        .otherwise(pl.col("case_id"))
        .alias("case_id")
    )


def _batched(path: Path, size: int) -> pl.DataFrame:
    return pl.concat([b.findings for b in audit_batches(path, batch_bytes=size)])


@pytest.mark.parametrize("size", BATCH_BYTES)
def test_batched_findings_equal_the_whole_files(
    tmp_path: Path, caseload: pl.DataFrame, size: int
) -> None:
    path = tmp_path / "c.csv"
    _quoted_caseload(caseload).write_csv(path)
    whole, _ = audit_file(path)
    assert whole.height > 10 and whole.get_column("case_id").str.contains("\n").any()
    batches = list(audit_batches(path, batch_bytes=size))
    assert (len(batches) > 5) == (size < 5_000)  # the small sizes really cut the file
    assert pl.concat([b.findings for b in batches]).equals(whole)
    assert sum(b.rows for b in batches) == caseload.height


def test_cli_outputs_equal_the_whole_tables(tmp_path: Path, caseload: pl.DataFrame) -> None:
    path = tmp_path / "c.csv"
    _quoted_caseload(caseload).write_csv(path)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["audit", str(path), "--out", str(out), "--batch-mib", "0.001"]
    )
    assert result.exit_code == 0, result.output
    whole, _ = audit_file(path)
    expected = io.BytesIO()
    write_csv(whole, expected)
    assert (out / "findings.csv").read_bytes() == expected.getvalue()
    assert pl.read_parquet(out / "findings.parquet").equals(whole)
    assert (out / "findings.json").read_text(encoding="utf-8") == whole.write_json()
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]  # no parts left


def _lines_with_bad_cells(caseload: pl.DataFrame) -> tuple[str, dict[int, str]]:
    """A caseload CSV whose records span one to three lines, with a bad instant or action every
    few records; and the line each bad cell's record starts on, counted here by hand."""
    text = io.StringIO()
    _quoted_caseload(caseload.head(1)).write_csv(text)
    header = text.getvalue().split("\n", 1)[0]
    lines, bad, out = 1, {}, [header]
    for index, row in enumerate(_quoted_caseload(caseload).iter_rows(named=True)):
        record = io.StringIO()
        pl.DataFrame([row], schema=caseload.schema).write_csv(record, include_header=False)
        body = record.getvalue()
        if index % 4 == 1:
            body = body.replace(row["action"], "DEPORTED", 1)
            bad[lines + 1] = "action"
        out.append(body.removesuffix("\n"))
        lines += body.count("\n") + body.count("\r") - body.count("\r\n")
    return "\n".join(out) + "\n", bad


@pytest.mark.parametrize("size", BATCH_BYTES)
def test_bad_cells_across_batches_name_their_lines(
    tmp_path: Path, caseload: pl.DataFrame, size: int
) -> None:
    text, bad = _lines_with_bad_cells(caseload)
    path = tmp_path / "c.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TableError) as whole:
        read_table(path, caseload_columns())
    with pytest.raises(TableError) as batched:
        list(read_table_batches(path, caseload_columns(), batch_bytes=size))
    assert {(e.row, e.column) for e in batched.value.errors} == set(bad.items())
    assert batched.value.errors == whole.value.errors
    assert str(batched.value) == str(whole.value)


@pytest.mark.parametrize("size", [1, 300, 10**9])
def test_a_short_row_in_a_later_batch_names_its_line(tmp_path: Path, size: int) -> None:
    header = "case_id,action,action_instant,referred_for_credible_fear\n"
    good = "A,NTA_240,2019-08-15,yes\n"
    two_lines = 'B,NTA_240,2019-08-15,"ye\ns"\n'  # a bad bool, but the shape is refused first
    rows = [good] * 20 + [two_lines] * 5
    path = tmp_path / "c.csv"
    path.write_text(header + "".join(rows) + "C,NTA_240\n", encoding="utf-8")
    with pytest.raises(TableError) as batched:
        list(read_table_batches(path, caseload_columns(), batch_bytes=size))
    assert (batched.value.row, batched.value.column) == (1 + 20 + 5 * 2 + 1, "action_instant")
    assert "missing cell" in str(batched.value)


@pytest.mark.parametrize("size", [1, 40, 10**9])
def test_a_stray_quote_before_a_quoted_line_break(tmp_path: Path, size: int) -> None:
    # A quote inside an unquoted cell is text; the quote count then misleads the cutter, so a
    # cut can fall inside the later quoted cell: the batch must grow, not fail.
    header = "case_id,action,action_instant\n"
    body = 'A"1,NTA_240,2019-08-15\nB,NTA_240,2019-08-15\n"C\nD\nE",NTA_240,2019-08-15\n'
    path = tmp_path / "c.csv"
    path.write_text(header + body * 3, encoding="utf-8")
    with pytest.raises(TableError):
        read_table(path, caseload_columns())  # Polars and the csv module disagree on "A"1"
    with pytest.raises(TableError):
        list(read_table_batches(path, caseload_columns(), batch_bytes=size))
    # Quoted properly, the same records are read alike however the file is cut.
    path.write_text(header + body.replace('A"1', '"A""1"') * 3, encoding="utf-8")
    whole, _ = read_table(path, caseload_columns())
    batches = read_table_batches(path, caseload_columns(), batch_bytes=size)
    assert pl.concat(b.table for b in batches).equals(whole)
    assert whole.get_column("__row").to_list() == [2, 3, 4, 7, 8, 9, 12, 13, 14]


def test_latin1_in_a_later_batch_names_its_line(tmp_path: Path) -> None:
    lines = ["case_id,action,action_instant"] + [f"A{i},NTA_240,2019-08-15" for i in range(50)]
    lines[40] = "Jos\xe9,NTA_240,2019-08-15"
    path = tmp_path / "c.csv"
    path.write_bytes("\n".join(lines).encode("latin-1") + b"\n")
    with pytest.raises(TableError, match="not UTF-8") as batched:
        list(read_table_batches(path, caseload_columns(), batch_bytes=64))
    assert batched.value.row == 41


def test_a_refused_caseload_leaves_no_findings(tmp_path: Path, caseload: pl.DataFrame) -> None:
    text, _ = _lines_with_bad_cells(caseload)
    path = tmp_path / "c.csv"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["audit", str(path), "--out", str(out), "--batch-mib", "0.001"]
    )
    assert result.exit_code == 2
    assert sorted(p.name for p in out.iterdir()) == ["errors.csv"]
