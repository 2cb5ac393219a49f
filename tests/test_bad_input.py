"""Malformed transcription stops the build with an error naming file, row, column and value,
exits non-zero, and leaves the previously built files untouched."""
import csv

import pytest
from conftest import built_file_count, run_build


def edit_csv(path, change):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows = change(rows)
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def set_cell(row, col, value):
    def change(rows):
        rows[row - 1][col] = value
        return rows
    return change


def drop_column(col):
    return lambda rows: [r[:col] + r[col + 1:] for r in rows]


def duplicate_row(row):
    return lambda rows: rows + [rows[row - 1]]


# (file, corruption, row, column, value) -- rows are line numbers, header = row 1
CASES = {
    "percentage that is not a number (Table 2.3, management staff, clinical directors)": (
        "source/table_2.3.csv", set_cell(2, 4, "3x% (49)"), 2, "Clinical directors (n=150)", "3x% (49)"),
    "count above its n (Table 2.2, relative power, chief executives n=59)": (
        "source/table_2.2.csv", set_cell(2, 1, "70% (60)"), 2, "Chief executives (n=59)", "70% (60)"),
    "missing column (Table 2.5 without clinical directors)": (
        "source/table_2.5.csv", drop_column(4), 1, "Clinical directors (n=...)", ""),
    "duplicated row (Table 2.6, sufficient clinical resources twice)": (
        "source/table_2.6.csv", duplicate_row(3), 6, "(row label)",
        "Within this organisation there are generally sufficient clinical resources"),
    "unknown role group in a column heading (Table 2.4)": (
        "source/table_2.4.csv", set_cell(1, 2, "Nurse directors (n=131)"), 1, "Nurse directors (n=131)",
        "Nurse directors"),
    "unknown role group in a row (Table 1.1)": (
        "source/table_1.1.csv", set_cell(3, 0, "Nurse director"), 3, "Role", "Nurse director"),
    "unknown role group in the text figures": (
        "source/text_figures.csv", set_cell(7, 3, "nurse_director"), 7, "role_group", "nurse_director"),
    "2002 figure printed with a count (Table 2.1)": (
        "source/table_2.1.csv", set_cell(3, 1, "76% (45)"), 3, "Chief executives (n=59)", "76% (45)"),
}


@pytest.mark.parametrize("case", CASES)
def test_malformed_transcription_is_refused_and_nothing_is_lost(tmp_path, source_copy, case):
    out = tmp_path / "out"
    good = run_build(source_copy, out)
    assert good.returncode == 0, good.stderr
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}
    assert len(before) == built_file_count()

    rel, corrupt, row, column, value = CASES[case]
    edit_csv(source_copy / rel, corrupt)
    bad = run_build(source_copy, out)

    assert bad.returncode != 0
    message = bad.stderr.strip()
    assert message.startswith(f"error: tables/{rel}, row {row}, column {column!r}, value {value!r}: "), message
    assert "Traceback" not in message
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}
    assert after == before
