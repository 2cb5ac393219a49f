"""The accessible workbook, read back with openpyxl: every printed cell exactly as transcribed in
transcription/printed/, the structure the Analysis Function's spreadsheet guidance asks for, and identical bytes
from two runs."""
import json
import re
import zipfile

import openpyxl
import pytest
from conftest import ROOT, printed, read_csv
from openpyxl.utils import range_boundaries

from pipeline import workbook

PACKAGE = json.loads((ROOT / "schemas" / "package.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("workbook")
    first = workbook.write(out / "first.xlsx")
    second = workbook.write(out / "second.xlsx")
    return first, second


@pytest.fixture(scope="module")
def wb(built):
    return openpyxl.load_workbook(built[0])


def text(value) -> str:
    return "" if value is None else str(value)


def table_cells(ws) -> list[list[str]]:
    """The rows of the sheet's one Excel table (header first), as text."""
    (table,) = ws.tables.values()
    return [[text(c.value) for c in row] for row in ws[table.ref]]


def data_sheets(wb):
    return [ws for ws in wb.worksheets if ws.title not in ("Cover", "Contents", "Notes")]


def sheet_text(ws) -> str:
    return "\n".join(text(c.value) for row in ws.iter_rows() for c in row if c.value is not None)


def test_two_runs_give_identical_bytes_with_fixed_dates(built):
    first, second = built
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as z:
        assert {info.date_time for info in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert f"<dcterms:created xsi:type=\"dcterms:W3CDTF\">{PACKAGE['created']}</dcterms:created>" in core


def test_the_file_is_named_by_package_and_version():
    assert workbook.path(ROOT / "build").name == f"{PACKAGE['name']}-{PACKAGE['version']}.xlsx"


def test_every_printed_table_is_on_one_sheet_exactly_as_transcribed(wb):
    """For each transcription/printed/table_<id>.csv, exactly one sheet's table has the same rows, cell for cell,
    and its headers begin with the printed headers (a printed blank stub header may be named)."""
    bodies = {ws.title: table_cells(ws) for ws in data_sheets(wb)}
    captions = {r["table_id"]: r for r in read_csv(ROOT / "transcription" / "printed" / "captions.csv")}
    tables = read_csv(ROOT / "tables" / "tables.csv")
    assert len(tables) == len(captions) == 14
    for t in tables:
        header, *rows = printed(t["table_label"].removeprefix("Table "))
        matches = [name for name, (head, *body) in bodies.items() if body == rows]
        assert len(matches) == 1, f"table {t['table_id']}: sheets with its printed rows: {matches}"
        head = bodies[matches[0]][0]
        assert len(head) == len(header)
        for printed_head, sheet_head in zip(header, head):
            assert sheet_head.split("\n")[0] == printed_head or (not printed_head and sheet_head), (
                t["table_id"], printed_head, sheet_head)
        title = text(wb[matches[0]]["A1"].value)
        assert title.startswith("Table ") and f": {captions[t['table_id']]['title']}" in title, title


def sheet_of_table(wb) -> dict:
    """table_id -> its sheet, found by the printed title (whatever form table_id takes)."""
    sheets = {}
    for t in read_csv(ROOT / "tables" / "tables.csv"):
        (ws,) = [ws for ws in data_sheets(wb) if f": {t['title']}" in text(ws["A1"].value)]
        sheets[t["table_id"]] = ws
    return sheets


def test_cells_agree_with_the_tidy_cell_text(wb):
    """A second oracle: every cell_text of survey_results and role_profile is on its table's sheet."""
    sheets = sheet_of_table(wb)
    for resource in ("survey_results", "role_profile"):
        for row in read_csv(ROOT / "tables" / f"{resource}.csv"):
            if row.get("printed_in") == "text":
                continue  # a figure only the text gives: on the tidy sheet, not in the table's layout
            ws = sheets[row["table_id"]]
            assert any(row["cell_text"] in r for r in table_cells(ws)[1:]), (resource, row)


def test_sheet_order_and_one_table_per_sheet_without_merged_cells(wb):
    assert wb.sheetnames[:3] == ["Cover", "Contents", "Notes"]
    assert not wb["Cover"].tables
    for ws in wb.worksheets:
        assert not ws.merged_cells.ranges, ws.title
    for ws in wb.worksheets[1:]:
        assert len(ws.tables) == 1, ws.title
        (table,) = ws.tables.values()
        min_col, first_row, max_col, max_row = range_boundaries(table.ref)
        for row in ws.iter_rows():
            for c in row:
                if c.value is None:
                    continue
                inside = first_row <= c.row <= max_row and min_col <= c.column <= max_col
                # Above the table only column A: title, description, instructions, legend, source.
                assert inside or (c.row < first_row and c.column == 1), (ws.title, c.coordinate)
        body = table_cells(ws)
        assert all(any(cell for cell in r) for r in body), f"{ws.title}: blank row inside the table"
        assert all(h for h in body[0]), f"{ws.title}: a column without a header"


# The sheets after Cover, Contents and Notes, written out: one per printed table (Tables 1.1 to 1.3 and 2.1 to
# 2.11, the report's order), the claims, then the three tidy resources.
SHEETS = ([f"Table_1_{i}" for i in range(1, 4)] + [f"Table_2_{i}" for i in range(1, 12)]
          + ["Claims", "Survey_results", "Discrepancies", "Checks"])


def test_contents_links_every_sheet(wb):
    ws = wb["Contents"]
    listed = [r[0] for r in table_cells(ws)[1:]]
    assert listed == wb.sheetnames[3:] == SHEETS
    (table,) = ws.tables.values()
    links = [c.hyperlink.location or c.hyperlink.target for r in ws[table.ref][1:] for c in r[:1]]
    assert all(link and name in link for link, name in zip(links, listed))


def test_descriptions_units_and_sources(wb):
    source = PACKAGE["sources"][0]["title"]
    for ws in data_sheets(wb):
        (table,) = ws.tables.values()
        above = [text(ws.cell(row=r, column=1).value) for r in range(1, ws[table.ref][0][0].row)]
        assert len(above) >= 4, f"{ws.title}: title, description, instructions and source expected"
        assert any(source in line for line in above), ws.title
        assert any(line.startswith("This worksheet contains one table") for line in above), ws.title
    # Units in the headers of every figure column: % (count) for the survey tables, % for 1.1 and 1.2.
    for ws in data_sheets(wb):
        head = table_cells(ws)[0]
        if "(n=" in head[1]:
            # the groups print a count, the overall column none
            assert all(h.endswith("\n(% (count))") for h in head[1:] if not h.startswith("Overall")), ws.title
            assert all(h.endswith("\n(%)") for h in head[1:] if h.startswith("Overall")), ws.title
    results = wb["Survey_results"]
    head = table_cells(results)[0]
    assert "Percent\n(%)" in head and "Count\n(number)" in head


def test_notes_hold_every_footnote_and_tables_refer_to_theirs(wb):
    notes = {int(r[0]): r[1] for r in table_cells(wb["Notes"])[1:]}
    assert sorted(notes) == list(range(1, len(notes) + 1))
    sheets = sheet_of_table(wb)
    referenced = set()
    for ws in wb.worksheets:
        referenced |= {int(n) for n in re.findall(r"\[note (\d+)\]", sheet_text(ws))}
    assert referenced == set(notes), "every note is referred to, and every reference has a note"
    for t in read_csv(ROOT / "tables" / "tables.csv"):
        if not t["footnote"]:
            continue
        refs = {int(n) for n in re.findall(r"\[note (\d+)\]", sheet_text(sheets[t["table_id"]]))}
        assert any(t["footnote"] in notes[n] for n in refs), f"table {t['table_id']}: footnote not referred to"


def test_tidy_sheets_hold_every_row(wb):
    for resource, sheet in {"survey_results": "Survey_results", "discrepancies": "Discrepancies",
                            "check_summary": "Checks"}.items():
        rows = read_csv(ROOT / "tables" / f"{resource}.csv")
        body = table_cells(wb[sheet])[1:]
        assert len(body) == len(rows), resource
        fields = list(rows[0])
        for r, line in zip(rows, body):
            for f, cell in zip(fields, line):
                assert cell == (r[f] or cell) and (r[f] or cell in ("[x]", "[z]")), (resource, f, r[f], cell)
    # Numbers are numbers, not text.
    ws = wb["Survey_results"]
    (table,) = ws.tables.values()
    assert isinstance(ws[table.ref][1][4].value, int)


def test_cover_says_what_where_and_who(wb):
    cover = sheet_text(wb["Cover"])
    assert f"version {PACKAGE['version']}" in cover.lower()
    assert PACKAGE["sources"][0]["title"] in cover
    assert PACKAGE["sources"][0]["path"] in cover
    for words in ("Licence", "© Nuffield Trust 2016", "Discrepancies sheet", "tables/discrepancies.csv",
                  "Report a problem"):
        assert words in cover, words
    # No promise of an address the package does not have, and no reference to sections that do not exist.
    assert "repository" not in cover.lower() or PACKAGE.get("repository") in cover
    assert "How it is built" not in cover


def test_each_sheet_lists_its_notes_in_order_and_separated(wb):
    for ws in data_sheets(wb):
        refs = re.findall(r"\[note (\d+)\]", sheet_text(ws))
        assert "][note" not in sheet_text(ws), ws.title
        assert [int(n) for n in refs] == sorted(int(n) for n in refs), (ws.title, refs)
