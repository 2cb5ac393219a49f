"""Malformed transcription stops the build with an error naming file, row, column and value, exits
non-zero, and leaves the previously built files untouched: cases for what Frictionless refuses against
the input schemas (schemas/transcription/), and one case for each way the transcription and tidy
layers refuse input (pipeline/transcription.py and pipeline/tidy.py)."""
import csv
import shutil

import pytest
from conftest import ROOT, build_in_process, built_file_count


def edit_csv(path, change):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows = change(rows)
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def set_cell(row, col, value):
    """rows are line numbers (header = row 1), columns count from 0."""
    def change(rows):
        rows[row - 1][col] = value
        return rows
    return change


def drop_column(col):
    return lambda rows: [r[:col] + r[col + 1:] for r in rows]


def drop_row(row):
    return lambda rows: rows[:row - 1] + rows[row:]


def duplicate_row(row):
    return lambda rows: [*rows, rows[row - 1]]


def move_row(row, to):
    def change(rows):
        moved = rows.pop(row - 1)
        rows.insert(to - 1, moved)
        return rows
    return change


def insert_row(at, cells):
    def change(rows):
        rows.insert(at - 1, cells)
        return rows
    return change


def shorten_row(row):
    def change(rows):
        rows[row - 1] = rows[row - 1][:-1]
        return rows
    return change


def line(rel, row):
    with open(ROOT / "transcription" / rel, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))[row - 1]


def delete(path):
    path.unlink()


def empty(path):
    path.write_text("", encoding="utf-8")


CE, MD, DM, CD, ALL = ("Chief executives (n=59)", "Medical directors (n=131)", "Directorate managers (n=132)",
                       "Clinical directors (n=150)", "Overall (n=472)")
STUB = "(row label)"
SIG_FOOTNOTE = line("printed/captions.csv", 6)[2]  # Table 2.2's footnote, with its '†' note
FIRST_ITEM_2_6 = line("printed/table_2.6.csv", 2)[0]

# name: (file under transcription/ (or: the file corrupted, the file the message names), corruption of its rows or of the file, row, column, value, what the message says)
CASES = {
    # Files and headers
    "a transcription file is missing (Table 2.5)": (
        "printed/table_2.5.csv", delete, 0, "", "", "file is missing"),
    "a curation file is empty (categories)": (
        "curation/categories.csv", empty, 1, "", "", "file is empty; it needs a header row"),
    "a required column is missing from a header (items: question_type)": (
        "curation/items.csv", drop_column(4), 1, "question_type", "percent_counts",
        "column heading must read 'question_type' (schemas/transcription/curation/items.json)"),
    "the last column is missing from a header (items: favourable)": (
        "curation/items.csv", drop_column(6), 1, "favourable", "", "column 'favourable' is missing"),
    "a column not in the schema (role groups: an extra column)": (
        "curation/role_groups.csv", lambda rows: [r + ["x"] for r in rows], 1, "x", "x",
        "column is not in schemas/transcription/curation/role_groups.json"),
    "a header is renamed (items: item_id spelt itemid)": (
        "curation/items.csv", set_cell(1, 2, "itemid"), 1, "item_id", "itemid", "column heading must read 'item_id'"),
    "a header is renamed (text figures: value_text spelt value)": (
        "printed/text_figures.csv", set_cell(1, 5, "value"), 1, "value_text", "value",
        "column heading must read 'value_text'"),
    "a row is one cell short (text figures, row 5)": (
        "printed/text_figures.csv", shorten_row(5), 5, "compares_as", ",".join(line("printed/text_figures.csv", 5)[:-1]),
        "row has 10 cells but the header has 11"),
    "a row of a printed table is one cell short (Table 2.3, row 2)": (
        "printed/table_2.3.csv", shorten_row(2), 2, ALL, ",".join(line("printed/table_2.3.csv", 2)[:-1]),
        "row has 5 cells but the header has 6"),
    # Values the schemas enumerate
    "unknown question type (items, row 2)": (
        "curation/items.csv", set_cell(2, 4, "free_text"), 2, "question_type", "free_text",
        "unknown value; schemas/items.json allows"),
    "unknown role group in the curated role groups": (
        "curation/role_groups.csv", set_cell(2, 0, "chief_exec"), 2, "role_group", "chief_exec", "unknown value"),
    "unknown explanation class in the register": (
        "curation/discrepancies.csv", set_cell(2, 1, "typo"), 2, "explanation_class", "typo", "unknown value"),
    "unknown role group in a code list": (
        "curation/role_group_codes.csv", set_cell(2, 0, "nurse_director"), 2, "role_group", "nurse_director",
        "unknown value"),
    "unknown role group in the text figures": (
        "printed/text_figures.csv", set_cell(7, 3, "nurse_director"), 7, "role_group", "nurse_director",
        "unknown value"),
    "unknown unit in the text figures": (
        "printed/text_figures.csv", set_cell(7, 6, "percentage"), 7, "unit", "percentage",
        "unknown value; schemas/text_figures.json allows"),
    "unknown table in the captions": (
        "printed/captions.csv", set_cell(2, 0, "T1.9"), 2, "table_id", "T1.9", "unknown value"),
    "a captioned table missing from the curated tables (Table 2.11)": (
        ("curation/tables.csv", "printed/captions.csv"), lambda rows: [r for r in rows if r[0] != "T2.11"], 15,
        "table_id", "T2.11", "no such table_id in transcription/curation/tables.csv"),
    "an item of a table not in the curated tables (items, row 2: T2.12)": (
        "curation/items.csv", set_cell(2, 0, "T2.12"), 2, "table_id", "T2.12",
        "no such table_id in transcription/curation/tables.csv"),
    "a text figure of an item not in the items (text figures, row 7)": (
        "printed/text_figures.csv", set_cell(7, 8, "no_such_item"), 7, "item_id", "no_such_item",
        "no such item_id in transcription/curation/items.csv"),
    # Values the schemas require, keys they make unique
    "a missing required value (items, row 3: item_id)": (
        "curation/items.csv", set_cell(3, 2, ""), 3, "item_id", "", "a value is required"),
    "a missing required value (text figures, row 7: value_text)": (
        "printed/text_figures.csv", set_cell(7, 5, ""), 7, "value_text", "", "a value is required"),
    "a duplicated key (items: the item_id of row 2 again in row 3)": (
        "curation/items.csv", set_cell(3, 2, line("curation/items.csv", 2)[2]), 3, "item_id",
        line("curation/items.csv", 2)[2], "duplicated row: item_id is the same as in the row at position 2"),
    "a duplicated key (captions: Table 1.1 twice)": (
        "printed/captions.csv", set_cell(3, 0, "T1.1"), 3, "table_id", "T1.1",
        "duplicated row: table_id is the same as in the row at position 2"),
    "a value not of the schema's type (role groups, row 2: sort_order)": (
        "curation/role_groups.csv", set_cell(2, 5, "first"), 2, "sort_order", "first", "not a value of type integer"),
    # The printed-cell grammar: the schemas' patterns, then the count against the heading's n
    "an empty printed cell (Table 2.5, overall)": (
        "printed/table_2.5.csv", set_cell(2, 5, ""), 2, ALL, "", "a value is required"),
    "a doubled percent sign (Table 2.1, positive rating, chief executives)": (
        "printed/table_2.1.csv", set_cell(2, 1, "72%% (42)"), 2, CE, "72%% (42)", "not in the form the column allows"),
    "a percentage that is not a number (Table 2.3, clinical directors)": (
        "printed/table_2.3.csv", set_cell(2, 4, "3x% (49)"), 2, CD, "3x% (49)", "not in the form the column allows"),
    "a percentage above 100 (Table 2.2, chief executives)": (
        "printed/table_2.2.csv", set_cell(2, 1, "170% (40)"), 2, CE, "170% (40)", "not in the form the column allows"),
    "a count above its n (Table 2.2, relative power, chief executives n=59)": (
        "printed/table_2.2.csv", set_cell(2, 1, "70% (60)"), 2, CE, "70% (60)", "count 60 is above the column's n=59"),
    "a cell both significant and n.s. (Table 2.2, overall)": (
        "printed/table_2.2.csv", set_cell(2, 5, "57%*** n.s."), 2, ALL, "57%*** n.s.",
        "not in the form the column allows"),
    "a marker after a count (Table 2.2, chief executives)": (
        "printed/table_2.2.csv", set_cell(2, 1, "70% (40) n.s."), 2, CE, "70% (40) n.s.",
        "not in the form the column allows"),
    "Fisher's '-' without a marker (Table 2.7, overall)": (
        "printed/table_2.7.csv", set_cell(2, 5, "97% -"), 2, ALL, "97% -", "not in the form the column allows"),
    # Column headings
    "a column heading without its n (Table 2.3)": (
        "printed/table_2.3.csv", set_cell(1, 1, "Chief executives n=59"), 1, CE,
        "Chief executives n=59", f"column heading must read {CE!r}"),
    "a role group heading twice (Table 2.4)": (
        "printed/table_2.4.csv", set_cell(1, 2, "Chief executives (n=131)"), 1, MD,
        "Chief executives (n=131)", f"column heading must read {MD!r}"),
    "a role group's column missing (Table 2.5 without clinical directors)": (
        "printed/table_2.5.csv", drop_column(4), 1, CD, ALL, f"column heading must read {CD!r}"),
    "a heading's role group not in the curated role groups (Table 2.1, medical directors)": (
        ("curation/role_groups.csv", "printed/table_2.1.csv"), set_cell(3, 1, "Medical director"), 1, MD,
        "Medical directors", "unknown role group"),
    # Rows and where they may stand
    "a '2002 figures' row before any item (Table 2.1)": (
        "printed/table_2.1.csv", move_row(3, 2), 2, STUB, "2002 figures", "must directly follow an item row"),
    "two '2002 figures' rows under one item (Table 2.1)": (
        "printed/table_2.1.csv", insert_row(4, line("printed/table_2.1.csv", 3)), 4, STUB,
        "2002 figures", "must directly follow an item row"),
    "a '2002 figures' row in a table that prints none (Table 2.2)": (
        "printed/table_2.2.csv", insert_row(3, ["2002 figures", "50%", "50%", "50%", "50%", "50%"]), 3, STUB,
        "2002 figures", "must directly follow an item row of Table 2.1"),
    "a duplicated row (Table 2.6, sufficient clinical resources twice)": (
        "printed/table_2.6.csv", duplicate_row(3), 6, STUB, line("printed/table_2.6.csv", 3)[0],
        "duplicated row: the same label is at row 3"),
    "a printed label that differs from the curated one (Table 2.6)": (
        "printed/table_2.6.csv", set_cell(2, 0, FIRST_ITEM_2_6 + "s"), 2, STUB, FIRST_ITEM_2_6 + "s",
        "row label is not in transcription/curation/items.csv"),
    "a curated item missing from the transcription (Table 2.6, first row dropped)": (
        "printed/table_2.6.csv", drop_row(2), 5, STUB, FIRST_ITEM_2_6,
        "row of transcription/curation/items.csv is not in the transcription"),
    # Where counts and markers may stand
    "a 2002 figure printed with a count (Table 2.1)": (
        "printed/table_2.1.csv", set_cell(3, 1, "76% (45)"), 3, CE, "76% (45)",
        "2002 figures are printed as a bare percentage"),
    "a marker in a role group's column (Table 2.2, chief executives)": (
        "printed/table_2.2.csv", set_cell(2, 1, "70%*"), 2, CE, "70%*", "not in the form the column allows"),
    "a marker in a table that prints none (Table 2.9, overall)": (
        "printed/table_2.9.csv", set_cell(2, 5, "66%*"), 2, ALL, "66%*", "not in the form the column allows"),
    "an overall cell without its marker (Table 2.2)": (
        "printed/table_2.2.csv", set_cell(2, 5, "57%"), 2, ALL, "57%", "prints a significance marker"),
    "an overall cell with a count (Table 2.8)": (
        "printed/table_2.8.csv", set_cell(2, 5, "45% (200)"), 2, ALL, "45% (200)", "not in the form the column allows"),
    "a 2015 group cell without its count (Table 2.8, chief executives)": (
        "printed/table_2.8.csv", set_cell(2, 1, "49%"), 2, CE, "49%", "not in the form the column allows"),
    "a 2015 group cell without its count (Table 2.1, chief executives)": (
        "printed/table_2.1.csv", set_cell(2, 1, "72%"), 2, CE, "72%", "prints a count in parentheses"),
    # The profile tables (1.1 to 1.3)
    "a profile column heading misspelt (Table 1.1)": (
        "printed/table_1.1.csv", set_cell(1, 5, "Rotating posts"), 1, "Rotating post", "Rotating posts",
        "column heading must read 'Rotating post'"),
    "a profile column not in the categories (Table 1.1: 'Other' missing from categories)": (
        ("curation/categories.csv", "printed/table_1.1.csv"), lambda rows: [r for r in rows if r[1] != "Other"], 1,
        "Other", "Other", "column is not in transcription/curation/categories.csv"),
    "a category's column missing (Table 1.1: a category no column prints)": (
        ("curation/categories.csv", "printed/table_1.1.csv"), insert_row(3, ["T1.1", "Seconded", "seconded"]), 1,
        "Seconded", "", "column of transcription/curation/categories.csv is missing"),
    "unknown role group in a row (Table 1.1)": (
        "printed/table_1.1.csv", set_cell(3, 0, "Nurse director"), 3, "Role", "Nurse director", "unknown role group"),
    "a role's row twice (Table 1.2)": (
        "printed/table_1.2.csv", duplicate_row(2), 6, "Role", "Chief executive",
        "duplicated row: Role is the same as in the row at position 2"),
    "a profile percentage without its sign (Table 1.1)": (
        "printed/table_1.1.csv", set_cell(2, 1, "39"), 2, "Headhunted from outside this organisation", "39",
        "not in the form the column allows"),
    "a profile percentage above 100 (Table 1.1)": (
        "printed/table_1.1.csv", set_cell(2, 1, "139%"), 2, "Headhunted from outside this organisation", "139%",
        "not in the form the column allows"),
    "a participant count in words (Table 1.3)": (
        "printed/table_1.3.csv", set_cell(2, 1, "five"), 2, "Number", "five", "not a value of type integer"),
    # Text figures
    "a duplicated figure id (text figures)": (
        "printed/text_figures.csv", duplicate_row(7), None, "figure_id",
        line("printed/text_figures.csv", 7)[0], "duplicated row: figure_id is the same as in the row at position 7"),
    "a period without its month (text figures: online fieldwork)": (
        "printed/text_figures.csv", set_cell(4, 5, "Summer 2015"), 4, "value_text", "Summer 2015",
        "a period must name its month(s) and year"),
    "a percentage without its sign (text figures: overall response rate)": (
        "printed/text_figures.csv", set_cell(7, 5, "18"), 7, "value_text", "18", "not a figure of unit 'percent'"),
    "a role group without its respondents figure (text figures: chief executives)": (
        ("printed/text_figures.csv", "curation/role_groups.csv"), set_cell(12, 2, "respondent"), 2, "role_group",
        "chief_executive",
        "has no figure with subject 'respondents'"),
    "a dagger row whose table's footnote has no dagger note (Table 2.2)": (
        "printed/captions.csv", set_cell(6, 2, SIG_FOOTNOTE.replace("†", "")), 6, "footnote",
        SIG_FOOTNOTE.replace("†", ""), "carries the dagger (†) but this footnote has no '† ...' note"),
}


def text_figures_rows() -> int:
    with open(ROOT / "transcription/printed/text_figures.csv", encoding="utf-8", newline="") as f:
        return len(list(csv.reader(f)))


@pytest.mark.parametrize("case", CASES)
def test_malformed_transcription_is_refused_and_nothing_is_lost(tmp_path, source_copy, good_build, case):
    out = tmp_path / "out"
    shutil.copytree(good_build, out)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}
    assert len(before) == built_file_count()

    rel, corrupt, row, column, value, problem = CASES[case]
    rel, named = rel if isinstance(rel, tuple) else (rel, rel)
    if row is None:  # a row appended at the end
        row = text_figures_rows() + 1
    target = source_copy / rel
    if corrupt in (delete, empty):
        corrupt(target)
    else:
        edit_csv(target, corrupt)
    bad = build_in_process(source_copy, out)

    assert bad.returncode != 0
    message = bad.stderr.strip()
    assert message.startswith(f"error: transcription/{named}, row {row}, column {column!r}, value {value!r}: "), message
    assert problem in message, message
    assert "Traceback" not in message
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}
    assert after == before


def test_every_refusal_in_the_transcription_and_tidy_layers_has_a_case():
    raises = sum(path.read_text(encoding="utf-8").count("raise TranscriptionError")
                 for path in (ROOT / "pipeline" / "transcription.py", ROOT / "pipeline" / "tidy.py"))
    distinct_problems = {c[5] for c in CASES.values()}
    assert len(distinct_problems) >= raises - 1  # unknown values share one check_enum, tested per file
