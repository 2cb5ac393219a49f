"""A printed cell corrupted in a copy of the checkout, caught by the commands users run.

In a scratch copy of the package (code, schemas and the hand-typed transcription/), a 2015 group cell's
count is moved so that no denominator reproduces its printed percentage; `python -m pipeline.build`
then `python -m checks.validate` must exit non-zero naming the table and the item.

Undetectable by arithmetic, and so documented here rather than tested as caught: a count moved to a
value that some denominator between the count and the column n still rounds to the printed percentage
(for example Table 2.2, chief executives, 70% (40) of n=59 read as 70% (39): 39/56 = 69.6% rounds to 70,
three answers missing).
Only the printed page can tell such a change; tests/test_report_transcription.py compares every cell
with the report's text.
"""
import csv
import random
import shutil
import subprocess
import sys
from fractions import Fraction
from math import floor

import pytest
from conftest import ROOT

CELL_COUNT = 3  # corruptions per run: bounded, since each costs a build and a validation
SEED = 20161101
COPIED = ["core", "analysis", "pipeline", "checks", "schemas", "sql", "tables", "transcription"]


def consistent(count: int, percent: int, n: int) -> bool:
    """Some whole denominator d, count <= d <= n, rounds 100*count/d half up to percent."""
    return any(floor(Fraction(100 * count, d) + Fraction(1, 2)) == percent for d in range(max(count, 1), n + 1))


def group_cells() -> list[tuple[str, int, int, str, str]]:
    """(table file, line, column, cell text, item_id) of every 2015 role-group cell of Tables 2.1-2.11."""
    with open(ROOT / "transcription/curation/items.csv", encoding="utf-8", newline="") as f:
        ids = {(r["table_id"], r["row_label"]): r["item_id"] for r in csv.DictReader(f)}
    out = []
    for path in sorted((ROOT / "transcription/printed").glob("table_2.*.csv")):
        table_id = "T" + path.stem.removeprefix("table_")  # table_2.10.csv holds Table 2.10, id T2.10
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        for line, row in enumerate(rows[1:], start=2):
            label = row[0].removesuffix(" †")
            if label == "2002 figures":
                continue
            for col, text in enumerate(row[1:-1], start=1):  # the last column is the overall one
                out.append((path.name, line, col, text, ids[(table_id, label)]))
    return out


def corrupt(text: str, n: int, rng: random.Random) -> str:
    percent, count = int(text.split("%")[0]), int(text.split("(")[1].rstrip(")"))
    moves = [c for c in range(0, n + 1) if abs(c - count) <= 20 and not consistent(c, percent, n)]
    return f"{percent}% ({rng.choice(moves)})"


def scratch_copy(tmp_path):
    for part in COPIED:
        shutil.copytree(ROOT / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("datapackage.json", "csv-metadata.json"):
        shutil.copyfile(ROOT / name, tmp_path / name)
    return tmp_path


def build_and_validate(root) -> subprocess.CompletedProcess:
    """The two commands of make validate's pandera step, run in the copy (its modules, its tables)."""
    build = subprocess.run([sys.executable, "-m", "pipeline.build"], cwd=root, capture_output=True, text=True)
    if build.returncode != 0:
        return build
    return subprocess.run([sys.executable, "-m", "checks.validate"], cwd=root, capture_output=True, text=True)


def set_cell(path, line, col, text):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows[line - 1][col] = text
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def n_of(path, col) -> int:
    with open(path, encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    return int(header[col].split("(n=")[1].rstrip(")"))


CELLS = random.Random(SEED).sample(group_cells(), CELL_COUNT)


@pytest.mark.parametrize("cell", CELLS, ids=lambda c: f"{c[0]} row {c[1]} column {c[2]}")
def test_a_count_no_denominator_reproduces_is_caught_naming_table_and_item(tmp_path, cell):
    name, line, col, text, item_id = cell
    root = scratch_copy(tmp_path)
    path = root / "transcription" / "printed" / name
    bad = corrupt(text, n_of(path, col), random.Random(f"{SEED}:{name}:{line}:{col}"))
    set_cell(path, line, col, bad)
    result = build_and_validate(root)
    table_id = "T" + name.removeprefix("table_").removesuffix(".csv")
    assert result.returncode != 0, f"{name} row {line}: {text} -> {bad} passed"
    assert f":{table_id}:{item_id}:" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_a_count_that_stays_consistent_is_not_detectable_by_arithmetic(tmp_path):
    # Table 2.2, relative power about right, chief executives: 70% (40) of n=59 read as 70% (39).
    assert consistent(40, 70, 59) and consistent(39, 70, 59)
    root = scratch_copy(tmp_path)
    path = root / "transcription" / "printed" / "table_2.2.csv"
    set_cell(path, 2, 1, "70% (39)")
    result = build_and_validate(root)
    assert result.returncode == 0, result.stderr
