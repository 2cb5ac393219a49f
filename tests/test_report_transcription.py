"""The transcription against the report's own text: each table, row and cell exactly as printed."""
import csv
import re

import pytest
from conftest import ROOT, printed, tid

SOURCE = ROOT / "transcription" / "printed"
TITLE = re.compile(r"^\**Table (\d+\.\d+|A1): (.*?)\**$")


def clean(cell: str) -> str:
    cell = re.sub(r"</?b>", "", cell).strip()
    return re.sub(r"\s*<sup>†</sup>", " †", cell)


def report_tables(text: str) -> dict:
    """{table number: (title, rows of cells)} from the tab-separated rows under each title."""
    lines, found = text.split("\n"), {}
    for i, line in enumerate(lines):
        m = TITLE.match(line.strip())
        if not m:
            continue
        rows, j = [], i + 1
        while j < len(lines) and (not lines[j].strip() or "\t" in lines[j]):
            if "\t" in lines[j]:
                rows.append([clean(c) for c in lines[j].split("\t")])
            elif rows:
                break
            j += 1
        found[m.group(1)] = (m.group(2), rows)
    return found



TABLE_IDS = ["1.1", "1.2", "1.3"] + [f"2.{i}" for i in range(1, 12)]


@pytest.mark.parametrize("table_id", TABLE_IDS)
def test_transcription_matches_the_report_cell_for_cell(report_text, table_id):
    title, rows = report_tables(report_text)[table_id]
    assert printed(table_id) == rows
    with open(SOURCE / "captions.csv", encoding="utf-8", newline="") as f:
        captions = {r["table_id"]: r for r in csv.DictReader(f)}
    assert captions[tid(table_id)]["title"] == title


def test_table_a1_is_table_1_3_reprinted(report_text):
    tables = report_tables(report_text)
    assert tables["A1"] == tables["1.3"]


def test_every_table_of_the_report_is_transcribed(report_text):
    assert set(report_tables(report_text)) - {"A1"} == set(TABLE_IDS)
