"""The accessible workbook (gptables): cover, contents, notes, every printed table in the report's own
layout, and the tidy results, the register of discrepancies and the checks, from the validated resources.

    python -m pipeline.workbook [--package build/stage] [--out build/stage/build]

Writes <out>/<name>-<version>.xlsx (name and version from schemas/package.json) from the resources of the
staged build; two runs give the same bytes.
"""
from __future__ import annotations

import argparse
import hashlib
import re
import warnings
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from core import schemas
from core.stage import exit_now
from pipeline import dist
from pipeline.ddl import OVERALL_LEVEL

ROOT = schemas.ROOT
# The report prints this after a reverse-worded statement (see items.reverse_worded).
REVERSE_MARK = " †"
# Widest column, in pixels (about 85 characters, as the cover): longer text wraps, since gptables' theme
# wraps every cell, instead of a column several screens wide.
MAX_WIDTH_PX = 600
# Sheets of the tidy resources, in this order, after the printed tables.
TIDY_SHEETS = {"survey_results": "Survey_results", "discrepancies": "Discrepancies", "check_summary": "Checks"}
# The claims sheet: the view claims_checked, its SQL run on the validated frames, its columns titled.
CLAIMS_VIEW, CLAIMS_SHEET = "claims_checked", "Claims"
CLAIMS_TITLES = {"claim_order": "Order", "claim_id": "Claim", "claim": "Claim (our words)",
                 "sections": "Made in sections", "cites": "Cites", "decided_by": "Decided by", "verdict": "Verdict",
                 "parts": "Parts", "parts_holding": "Parts holding", "result": "Computed",
                 "reason": "Why it cannot be decided"}
# What an empty cell means on each tidy sheet (the Analysis Function's shorthand, explained in its legend).
EMPTY = {"survey_results": ("[x]", "[x] = not printed in the report (no count for the overall column or for "
                                   "2002, no n for 2002)"),
         "discrepancies": ("[z]", "[z] = not applicable (for example no item for a figure of the text)"),
         "check_summary": ("[z]", "[z] = not applicable")}

# The package's own notes (its words, not the report's), each referenced from the sheets it applies to.
OWN_NOTES = {
    "as_printed": "Cells on the printed-table sheets are text exactly as the report prints them: the "
                  "percentage, the count in brackets where the report gives one, and the significance marker "
                  "of the overall column. The Survey_results sheet holds the same figures as numbers.",
    "column_n": "The n in a column heading is the group's number of respondents. The report left missing answers "
                "out of its percentages, so a cell's real base can be smaller than n.",
    "earlier_wave": "A row labelled with an earlier survey year gives that survey's percentage for the statement "
                    "above it; the report gives no counts or group sizes for it.",
    "discrepancies": "Some printed figures of this table do not reconcile with the others. Each is listed, with "
                     "the simplest explanation that reproduces it, on the Discrepancies sheet.",
    "also_printed": "The report prints this table a second time, under another number (see the title).",
}
# How a sheet names each note it refers to, above its table.
NOTE_LINES = {"footnote": "Note: the report's footnote to this table", "as_printed": "Note: cells as printed",
              "column_n": "Note: the n in a column heading", "earlier_wave": "Note: rows of the 2002 survey",
              "discrepancies": "Note: figures that do not reconcile", "also_printed": "Note: printed twice"}


def path(out: Path) -> Path:
    return dist.workbook_path(out)


def printed_number(table: pd.Series) -> str:
    """The table's number as printed ('2.10'), from its printed label ('Table 2.10')."""
    return str(table["table_label"]).removeprefix("Table ")


def sheet_name(number: str) -> str:
    return "Table_" + re.sub(r"[^0-9A-Za-z]+", "_", number)


def _groups(frames) -> pd.DataFrame:
    return frames["role_groups"].sort_values("sort_order")


def survey_layout(frames, table_id: str) -> tuple[pd.DataFrame, dict, list[str]]:
    """A table of survey_results as printed: a row per item (and per earlier wave under it), a column per
    role group with its n. Returns the frame, units by column and the package notes it needs."""
    results = frames["survey_results"]
    # The table's own cells: figures only the text gives are in the tidy sheet, not in the printed layout.
    cells = results[(results["table_id"] == table_id) & (results["printed_in"] == "table")]
    items = frames["items"][frames["items"]["table_id"] == table_id].sort_values("row_number")
    groups = _groups(frames)
    latest = int(cells["survey_year"].max())
    n = cells[cells["survey_year"] == latest].groupby("role_group")["group_n"].first()
    headers = {g.role_group: f"{g.column_label} (n={n[g.role_group]})" for g in groups.itertuples()
               if g.role_group in n.index}
    text = cells.set_index(["item_id", "survey_year", "role_group"])["cell_text"]
    rows = []
    for item in items.itertuples():
        for year in sorted(cells.loc[cells["item_id"] == item.item_id, "survey_year"].unique(), reverse=True):
            label = (item.row_label + (REVERSE_MARK if item.reverse_worded else "") if year == latest
                     else f"{year} figures")
            rows.append([label] + [text.get((item.item_id, year, g), None) for g in headers])
    stub = _stub(frames, table_id) or schemas.field("items", "row_label")["title"]
    frame = pd.DataFrame(rows, columns=[stub] + list(headers.values()))
    notes = ["as_printed", "column_n"] + (["earlier_wave"] if cells["survey_year"].nunique() > 1 else [])
    # The overall column prints no count (and 2002 rows none anywhere): its unit is a percentage alone.
    overall = {g.role_group for g in groups.itertuples() if g.level == OVERALL_LEVEL}
    units = {h: "%" if code in overall else "% (count)" for code, h in headers.items()}
    return frame, units, notes


def profile_layout(frames, table_id: str) -> tuple[pd.DataFrame, dict, list[str]]:
    """Tables 1.1 and 1.2 as printed: a row per role group, a column per category, percentages."""
    cells = frames["role_profile"][frames["role_profile"]["table_id"] == table_id]
    categories = list(dict.fromkeys(cells["category_label"]))  # the resource keeps the printed order
    text = cells.set_index(["role_group", "category_label"])["cell_text"]
    rows = [[g.row_label] + [text[(g.role_group, c)] for c in categories]
            for g in _groups(frames).itertuples() if g.role_group in set(cells["role_group"])]
    frame = pd.DataFrame(rows, columns=[_stub(frames, table_id)] + categories)
    return frame, {c: "%" for c in categories}, ["as_printed"]


def participants_layout(frames, table_id: str) -> tuple[pd.DataFrame, dict, list[str]]:
    """Table 1.3 as printed: a row per role group and the number of participants."""
    cells = frames["interview_participants"]
    cells = cells[cells["table_id"] == table_id].set_index("role_group")
    rows = [[g.row_label, int(cells.loc[g.role_group, "participants"])]
            for g in _groups(frames).itertuples() if g.role_group in cells.index]
    frame = pd.DataFrame(rows, columns=[_stub(frames, table_id), "Number"])
    return frame, {"Number": "people"}, []


LAYOUTS = {"survey_results": survey_layout, "role_profile": profile_layout,
           "interview_participants": participants_layout}


def _stub(frames, table_id: str):
    stub = frames["tables"].set_index("table_id").loc[table_id, "stub_header"]
    return None if pd.isna(stub) else str(stub)


def printed_tables(frames) -> list[dict]:
    """One entry per printed table, in the order of tables.csv: its sheet, frame, units and notes."""
    discrepant = set(frames["discrepancies"]["table_id"].dropna())
    out = []
    for table in frames["tables"].itertuples(index=False):
        row = pd.Series(table._asdict())
        holders = [r for r in LAYOUTS if table.table_id in set(frames[r]["table_id"])]
        if len(holders) != 1:
            raise ValueError(f"table {table.table_id}: its cells are in {holders or 'no resource'}")
        frame, units, notes = LAYOUTS[holders[0]](frames, table.table_id)
        number = printed_number(row)
        if pd.notna(table.footnote):
            notes.insert(0, footnote_key(table.footnote))
        if table.table_id in discrepant:
            notes.append("discrepancies")
        title = f"Table {number}: {table.title}"
        if pd.notna(table.also_printed_as):
            title += f" (also printed as Table {table.also_printed_as})"
            notes.append("also_printed")
        out.append({"table_id": table.table_id, "sheet": sheet_name(number), "title": title, "frame": frame,
                    "units": units, "notes": notes,
                    "description": (f"Percentages of {table.percentage_base}." if "%" in "".join(units.values())
                                    else table.percentage_base[:1].upper() + table.percentage_base[1:] + "."),
                    "section": table.section})
    return out


def footnote_key(text: str) -> str:
    """One note per distinct footnote: tables sharing a footnote share its note."""
    return "footnote_" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def tidy_table(frames, name: str) -> tuple[pd.DataFrame, dict, str]:
    """A resource as a sheet: columns headed by their schema titles, units in the headers, empties marked."""
    fields = schemas.fields(name)
    frame = frames[name].astype(object).copy()
    mark, legend = EMPTY[name]
    frame = frame.where(frame.notna(), mark)
    for f in fields:
        if f["type"] == "boolean":
            frame[f["name"]] = frame[f["name"]].map({True: "true", False: "false"}).fillna(mark)
    frame.columns = [f["title"] for f in fields]
    units = {f["title"]: ("%" if "percent" in f["name"] else "number") for f in fields
             if f["type"] in ("integer", "number") and not f["name"].endswith("year")}
    return frame, units, legend


def claims_table(frames) -> pd.DataFrame:
    """The claims in the report's order with their verdict in words: the rows of the view claims_checked,
    from the same SQL (DuckDB over the frames), so that the sheet and the view cannot differ."""
    import duckdb

    from pipeline import ddl

    view = next(v for v in ddl.views() if v.name == CLAIMS_VIEW)
    con = duckdb.connect()
    for name in ("claims", "claim_sections"):
        con.register(name, frames[name])
    frame = con.execute(view.body).df()
    con.close()
    if list(frame.columns) != list(CLAIMS_TITLES):
        raise ValueError(f"sql/{CLAIMS_VIEW}.sql gives columns {list(frame.columns)}, not {list(CLAIMS_TITLES)}")
    whole = ["claim_order", "parts", "parts_holding"]
    frame[whole] = frame[whole].astype("int64")
    text = frame.columns.difference(whole)
    frame[text] = frame[text].astype(object).where(frame[text].notna(), "[z]")
    return frame.rename(columns=CLAIMS_TITLES)


def notes_table(frames, printed: list[dict]) -> pd.DataFrame:
    """The report's footnotes (one per distinct text) and the package's own notes, with where each applies."""
    applies: dict[str, list[str]] = {}
    for t in printed:
        for key in t["notes"]:
            applies.setdefault(key, []).append(t["sheet"])
    texts = {footnote_key(f): f"The report's footnote: {f}" for f in frames["tables"]["footnote"].dropna()}
    texts.update(OWN_NOTES)
    rows = [[key, texts[key], ", ".join(sheets)] for key, sheets in applies.items()]
    return pd.DataFrame(rows, columns=["reference", "Note text", "Sheets it applies to"])


def cover():
    import gptables as gpt

    meta = schemas.package_metadata()
    source = meta["sources"][0]
    heading = {"bold": True, "font_size": 14}
    return gpt.Cover(
        title=f"{meta['title']} (version {meta['version']})",
        intro=[meta["description"]],
        about=[
            [heading, "Version"],
            f"Version {meta['version']} of the data package '{meta['name']}'. The version is also on the "
            "Datasette pages and in the file names of the downloads.",
            [heading, "Source and citation"],
            f"The figures are from: {source['title']}",
            f"[{source['path']}]({source['path']})",
            "Cite the report for the figures, and this package, with its version, for the tidy data "
            "(see CITATION.cff in the release bundle).",
            [heading, "Licence"],
            "The figures, table titles and row labels belong to the Nuffield Trust (© Nuffield Trust 2016). They "
            "are reproduced here as facts with a full citation; they are not relicensed, so ask the Nuffield "
            "Trust before reusing them beyond that.",
            "The package's own metadata and notes are in the public domain (CC0 1.0): anyone may use them for "
            "any purpose without asking. Its code is under the MIT License.",
            [heading, "Method and the register of discrepancies"],
            "Every table was typed once, exactly as printed, and checked by code: each percentage against its "
            "count and column n, each overall figure against the groups, and every figure the text restates "
            "against its table. The Checks sheet lists every rule checked and how many figures failed it.",
            "Figures that do not reconcile are listed, with the simplest explanation that reproduces each, on "
            "the Discrepancies sheet and in tables/discrepancies.csv.",
            [heading, "How this workbook is laid out"],
            "Each printed table has a sheet of its own, in the report's layout, with its cells exactly as printed. "
            "Notes are on the Notes sheet and are referred to as [note 1], [note 2] and so on. The last sheets "
            "hold the report's claims with their verdicts, the tidy figures, the register of discrepancies and "
            "the checks.",
        ],
        contact=[schemas.report_a_problem()],
    )


def sheets(frames) -> tuple[dict, pd.DataFrame]:
    import gptables as gpt

    source = source_line(schemas.package_metadata())
    printed = printed_tables(frames)
    # gptables numbers the notes in the order the sheets first refer to them: each sheet lists its notes in
    # that order, separated, "[note 1], [note 3]".
    numbered = list(dict.fromkeys(k for t in printed for k in t["notes"]))
    out = {}
    for t in printed:
        # One line per note, each ending in its reference (gptables puts a reference at the end of its line).
        refs = [f"{NOTE_LINES.get(k, NOTE_LINES['footnote'])} $${k}$$" for k in sorted(t["notes"], key=numbered.index)]
        out[t["sheet"]] = gpt.GPTable(
            table=t["frame"], table_name=t["sheet"].lower(), title=t["title"],
            subtitles=[f"{t['description']} Report section: {t['section']}."] + refs,
            instructions="This worksheet contains one table. The notes listed above it are on the Notes sheet."
                         if refs else "This worksheet contains one table.",
            source=source, units=t["units"], index_columns={2: 0})
    claims = schemas.resource("claims")
    out[CLAIMS_SHEET] = gpt.GPTable(
        table=claims_table(frames), table_name=CLAIMS_SHEET.lower(), title=claims["title"],
        subtitles=[f"{claims['description']} The same as the view {CLAIMS_VIEW} of the package's databases; the "
                   "parts of each claim are in tables/claim_parts.csv."],
        instructions="This worksheet contains one table.", legend=["[z] = not applicable"], source=source,
        units={"Parts": "number", "Parts holding": "number"}, index_columns={})
    for name, label in TIDY_SHEETS.items():
        frame, units, legend = tidy_table(frames, name)
        res = schemas.resource(name)
        out[label] = gpt.GPTable(
            table=frame, table_name=label.lower(), title=res["title"],
            subtitles=[f"{res['description']} The same as {res['path']} in the package."],
            instructions="This worksheet contains one table.", legend=[legend], source=source, units=units or None,
            index_columns={})
    return out, notes_table(frames, printed)


def write(target: Path, frames=None, package: Path = schemas.STAGE) -> Path:
    """Write the workbook to target, atomically, from the resources under package (or frames); identical
    bytes every run."""
    import gptables as gpt

    from core import frames as typed

    frames = frames if frames is not None else typed.load_all(package)
    data_sheets, notes = sheets(frames)
    meta = schemas.package_metadata()
    tmp = target.with_name(f".{target.name}.tmp")
    target.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a gptables warning (an unreferenced note, an empty cell) is a bug here
        # gptables 2.0.2 calls pandas methods with inplace=, which pandas 3.1 deprecates: not ours to fix.
        warnings.filterwarnings("ignore", category=pd.errors.Pandas4Warning)
        # in_memory: XlsxWriter then dates every zip member 1980-01-01 instead of its temporary files' times.
        wb = gpt.produce_workbook(
            str(tmp), data_sheets, cover=cover(), notes_table=notes,
            contentsheet_options={"additional_elements": ["subtitles"]},
            workbook_options={"in_memory": True})
    for ws in wb.worksheets()[1:]:
        for col, info in sorted(ws.col_info.items()):
            if info.width and info.width > MAX_WIDTH_PX:
                ws.set_column_pixels(col, col, MAX_WIDTH_PX, info.column_format)
    # The document properties carry the package's date, not the time of the build.
    created = datetime.fromisoformat(meta["created"]).astimezone(UTC)
    wb.set_properties({"title": meta["title"], "subject": f"version {meta['version']}",
                       "author": ", ".join(c["title"] for c in meta["contributors"] if "maintainer" in c["roles"]),
                       "comments": source_line(meta), "keywords": ", ".join(meta["keywords"]),
                       "created": created.replace(tzinfo=None)})
    wb.close()
    tmp.replace(target)
    return target


def source_line(meta: dict) -> str:
    return "Source: " + meta["sources"][0]["title"]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--package", type=Path, default=schemas.STAGE, help="package root holding the built tables/")
    p.add_argument("--out", type=Path, default=schemas.STAGE / "build")
    args = p.parse_args(argv)
    target = write(path(args.out), package=args.package)
    print(f"workbook: {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
    return 0


if __name__ == "__main__":
    exit_now(main())
