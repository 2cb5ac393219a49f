"""Read the hand-typed layer: tables/source (as printed) and tables/curation (the project's ids).

Every problem is raised as a TranscriptionError that names the file, the row
(the line number in the file, header = row 1), the column and the value, and
says what to fix.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from core import schemas

DAGGER = " †"
YEAR_2002_LABEL = "2002 figures"  # the printed label of Table 2.1's comparison rows
TABLE_WITH_2002_ROWS = "T2.1"


def printed_number(table_id: str) -> str:
    """The number the report prints for a table id: T2.10 is Table 2.10."""
    return table_id.removeprefix("T")
HEADER_N = re.compile(r"^(?P<label>.+) \(n=(?P<n>\d+)\)$")
TITLE_N = re.compile(r"\(n=(?P<n>\d+)\)")
PERCENT_CELL = re.compile(
    r"^(?P<percent>\d{1,3})%(?P<stars>\*{1,3})?(?: \((?P<count>\d+)\))?(?P<ns> n\.s\.)?(?P<fisher> -)?$"
)
PASSTHROUGH = ["role_group_codes", "external_factors", "external_factor_references", "wave_2002"]
CELL_FORMS = "'72% (42)', '47%', '60%*', '62% n.s.' or '97%* -'"


class TranscriptionError(Exception):
    def __init__(self, path, row, column, value, problem: str):
        self.path, self.row, self.column, self.value, self.problem = str(path), row, column, value, problem
        super().__init__(f"{self.path}, row {row}, column {column!r}, value {value!r}: {problem}")


@dataclass
class Cell:
    path: str
    row: int
    column: str
    text: str
    role_group: str
    group_n: int | None
    percent: int
    count: int | None
    marker: str | None = None      # '*', '**', '***' or 'n.s.'
    marker_text: str | None = None  # everything after the percentage, as printed
    fisher: bool = False


@dataclass
class Item:
    row_label: str
    reverse_worded: bool
    row_number: int
    cells_2015: list[Cell]
    cells_2002: list[Cell] = field(default_factory=list)


@dataclass
class ResultsTable:
    table_id: str
    path: str
    stub_header: str
    items: list[Item]


@dataclass
class ProfileTable:
    table_id: str
    path: str
    stub_header: str
    columns: list[str]
    rows: list[tuple[str, list[tuple[str, str]]]]  # role_group, [(column label, cell text)]


@dataclass
class Transcription:
    root: Path
    captions: list[dict]
    results: dict[str, ResultsTable]
    profiles: dict[str, ProfileTable]
    curation: dict[str, list[dict]]
    text_figures: list[dict]

    def rel(self, path: Path) -> str:
        return display(path, self.root)


def display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def read_rows(path: Path, root: Path) -> list[tuple[int, list[str]]]:
    """All rows of a CSV with their line numbers (header = row 1)."""
    if not path.exists():
        raise TranscriptionError(display(path, root), 0, "", "", "file is missing")
    rows = []
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        for cells in reader:
            rows.append((reader.line_num, cells))
    if not rows:
        raise TranscriptionError(display(path, root), 1, "", "", "file is empty; it needs a header row")
    return rows


def read_dicts(path: Path, root: Path, required: list[str]) -> list[dict]:
    """A CSV as dicts, each with its line number under '_row'; checks the header."""
    rows = read_rows(path, root)
    (_, header), body = rows[0], rows[1:]
    rel = display(path, root)
    for name in required:
        if name not in header:
            raise TranscriptionError(rel, 1, name, "", f"column {name!r} is missing from the header")
    out = []
    for line, cells in body:
        check_row_length(rel, line, cells, header)
        d = dict(zip(header, cells))
        d["_row"] = line
        out.append(d)
    return out


def check_row_length(rel: str, line: int, cells: list[str], header: list[str]) -> None:
    if len(cells) != len(header):
        col = header[min(len(cells), len(header) - 1)]
        raise TranscriptionError(rel, line, col, ",".join(cells),
                                 f"row has {len(cells)} cells but the header has {len(header)}")


def check_enum(rel: str, d: dict, column: str, resource: str, field_name: str | None = None,
               keys: dict[str, list[str]] | None = None) -> None:
    """A value must be one the schema allows, by its enum or, for a foreign key, among the referenced
    resource's keys in `keys` (empty is left to the schema's 'required')."""
    f = schemas.field(resource, field_name or column)
    ref = next((fk["reference"]["resource"] for fk in schemas.schema(resource).get("foreignKeys", [])
                if fk["fields"] == [f["name"]]), None)
    allowed = [str(v) for v in f["constraints"]["enum"]] if "enum" in f.get("constraints", {}) else keys[ref]
    value = d[column]
    if value != "" and value not in allowed:
        raise TranscriptionError(rel, d["_row"], column, value,
                                 f"unknown value; schemas/{resource}.json allows {', '.join(allowed)}")


def parse_percent_cell(rel, line, column, text, role_group, group_n) -> Cell:
    m = PERCENT_CELL.match(text)
    if not m:
        raise TranscriptionError(rel, line, column, text,
                                 f"not a percentage as printed; expected a form like {CELL_FORMS}")
    percent = int(m["percent"])
    if percent > 100:
        raise TranscriptionError(rel, line, column, text, f"percentage {percent} is above 100")
    count = int(m["count"]) if m["count"] else None
    if count is not None and group_n is not None and count > group_n:
        raise TranscriptionError(rel, line, column, text,
                                 f"count {count} is above the column's n={group_n}")
    if m["stars"] and m["ns"]:
        raise TranscriptionError(rel, line, column, text, "a cell cannot be both significant and n.s.")
    marker = m["stars"] or (m["ns"].strip() if m["ns"] else None)
    marker_text = text[len(m["percent"]) + 1:] if marker else None
    if marker_text and count is not None:
        raise TranscriptionError(rel, line, column, text, "a significance marker after a count is not a printed form")
    if m["fisher"] and not marker:
        raise TranscriptionError(rel, line, column, text, "'-' (Fisher's exact test) must follow a marker")
    return Cell(rel, line, column, text, role_group, group_n, percent, count,
                marker, marker_text, bool(m["fisher"]))


def read_results_table(table_id: str, path: Path, root: Path, role_columns: dict[str, str],
                       curated_labels: set[str], marked: bool) -> ResultsTable:
    rel = display(path, root)
    rows = read_rows(path, root)
    (_, header), body = rows[0], rows[1:]
    columns: list[tuple[str, int]] = []  # role_group, n per column
    seen: dict[str, str] = {}
    for col in header[1:]:
        m = HEADER_N.match(col)
        if not m:
            raise TranscriptionError(rel, 1, col, col, "column heading must read 'Role group (n=N)'")
        label = m["label"]
        if label not in role_columns:
            raise TranscriptionError(rel, 1, col, label,
                                     f"unknown role group; tables/curation/role_groups.csv knows {', '.join(role_columns)}")
        group = role_columns[label]
        if group in seen:
            raise TranscriptionError(rel, 1, col, col, f"role group is already the column {seen[group]!r}")
        seen[group] = col
        columns.append((group, int(m["n"])))
    for label, group in role_columns.items():
        if group not in seen:
            raise TranscriptionError(rel, 1, f"{label} (n=...)", "", f"column for role group {group!r} is missing")

    stub = header[0] or "(row label)"  # most tables print no heading over their labels
    items: list[Item] = []
    labels_at: dict[str, int] = {}
    for line, cells in body:
        check_row_length(rel, line, cells, header)
        label = cells[0]
        is_2002 = label == YEAR_2002_LABEL
        if is_2002:
            if table_id != TABLE_WITH_2002_ROWS or not items or items[-1].cells_2002:
                raise TranscriptionError(rel, line, stub, label,
                                         "a '2002 figures' row must directly follow an item row of Table 2.1")
        else:
            reverse = label.endswith(DAGGER)
            label = label[: -len(DAGGER)] if reverse else label
            if label in labels_at:
                raise TranscriptionError(rel, line, stub, cells[0],
                                         f"duplicated row: the same label is at row {labels_at[label]}")
            if label not in curated_labels:
                raise TranscriptionError(rel, line, stub, cells[0],
                                         "row label is not in tables/curation/items.csv; add it there with an item_id")
            labels_at[label] = line
        parsed = []
        for (group, n), col, text in zip(columns, header[1:], cells[1:]):
            cell = parse_percent_cell(rel, line, col, text, group, None if is_2002 else n)
            overall = group == "all_respondents"
            if is_2002 and (cell.count is not None or cell.marker):
                raise TranscriptionError(rel, line, col, text, "2002 figures are printed as a bare percentage")
            if cell.marker and not (marked and overall and not is_2002):
                raise TranscriptionError(rel, line, col, text,
                                         "significance markers are printed only in the overall column of Tables 2.1 to 2.7")
            if marked and overall and not is_2002 and not cell.marker:
                raise TranscriptionError(rel, line, col, text,
                                         "the overall column of Tables 2.1 to 2.7 prints a significance marker")
            if overall and cell.count is not None:
                raise TranscriptionError(rel, line, col, text, "the overall column prints no count")
            if not overall and not is_2002 and cell.count is None:
                raise TranscriptionError(rel, line, col, text, "a role group's 2015 cell prints a count in parentheses")
            parsed.append(cell)
        if is_2002:
            items[-1].cells_2002 = parsed
        else:
            items.append(Item(label, reverse, len(items) + 1, parsed))
    missing = curated_labels - set(labels_at)
    if missing:
        raise TranscriptionError(rel, len(rows) + 1, stub, sorted(missing)[0],
                                 "row of tables/curation/items.csv is not in the transcription")
    return ResultsTable(table_id, rel, header[0], items)


def read_profile_table(table_id: str, path: Path, root: Path, role_rows: dict[str, str],
                       categories: list[str] | None) -> ProfileTable:
    rel = display(path, root)
    rows = read_rows(path, root)
    (_, header), body = rows[0], rows[1:]
    if categories is not None:
        for col in header[1:]:
            if col not in categories:
                raise TranscriptionError(rel, 1, col, col,
                                         "column is not in tables/curation/categories.csv; add it there with a category_id")
        for col in categories:
            if col not in header[1:]:
                raise TranscriptionError(rel, 1, col, "", "column of tables/curation/categories.csv is missing")
    out_rows = []
    seen: dict[str, int] = {}
    for line, cells in body:
        check_row_length(rel, line, cells, header)
        label = cells[0]
        if label not in role_rows:
            raise TranscriptionError(rel, line, header[0], label,
                                     f"unknown role group; tables/curation/role_groups.csv knows {', '.join(role_rows)}")
        if label in seen:
            raise TranscriptionError(rel, line, header[0], label, f"duplicated row: the same role is at row {seen[label]}")
        seen[label] = line
        for col, text in zip(header[1:], cells[1:]):
            ok = re.fullmatch(r"\d{1,3}%", text) if categories is not None else re.fullmatch(r"\d+", text)
            if not ok:
                want = "a percentage like '39%'" if categories is not None else "a whole number"
                raise TranscriptionError(rel, line, col, text, f"not {want}")
            if categories is not None and int(text[:-1]) > 100:
                raise TranscriptionError(rel, line, col, text, "percentage is above 100")
        out_rows.append((role_rows[label], list(zip(header[1:], cells[1:]))))
    return ProfileTable(table_id, rel, header[0], header[1:], out_rows)


def read(root: Path) -> Transcription:
    """Read and check every file of the hand-typed layer under root (normally tables/)."""
    root = Path(root)
    src, cur = root / "source", root / "curation"
    curation = {
        "tables": read_dicts(cur / "tables.csv", root, ["table_id", "theme", "section", "also_printed_as",
                                                      "percentage_base", "significance_test"]),
        "role_groups": read_dicts(cur / "role_groups.csv", root, ["role_group", "column_label", "row_label",
                                                                 "level", "medical", "sort_order"]),
        "items": read_dicts(cur / "items.csv", root, ["table_id", "row_label", "item_id", "factor_id",
                                                     "question_type", "percent_counts"]),
        "categories": read_dicts(cur / "categories.csv", root, ["table_id", "column_label", "category_id"]),
        "discrepancies": read_dicts(cur / "discrepancies.csv", root, ["discrepancy_id", "explanation_class",
                                                                     "explanation"]),
        "survey_waves": read_dicts(cur / "survey_waves.csv", root, ["survey_year", "label", "title", "scope",
                                                                   "source_title", "source_url"]),
        # The report's claims in the project's words, with how each is decided (analysis/claims.py).
        "claims": read_dicts(cur / "claims.csv", root, ["claim_id", "section", "claim", "kind", "item_id", "table_id",
                                                       "role_groups", "survey_year", "low", "high"]),
        # The 2003 paper's figures (tables/curation/paper_2002_figures.csv): its item figures join survey_results.
        "paper_2002_figures": read_dicts(cur / "paper_2002_figures.csv", root, ["figure_id", "role_group", "item_id",
                                                                               "compares_as", "value_text", "percent",
                                                                               "count", "denominator"]),
    }
    # Code lists kept by the project in a resource's own layout: the schema gives their columns.
    for name in PASSTHROUGH:
        rel = display(cur / f"{name}.csv", root)
        curation[name] = read_dicts(cur / f"{name}.csv", root, schemas.field_names(name))
        for d in curation[name]:
            for f in schemas.fields(name):
                if "enum" in f.get("constraints", {}):
                    check_enum(rel, d, f["name"], name)
    for d in curation["role_groups"]:
        check_enum(display(cur / "role_groups.csv", root), d, "role_group", "role_groups")
    for d in curation["items"]:
        check_enum(display(cur / "items.csv", root), d, "question_type", "items")
    for d in curation["discrepancies"]:
        check_enum(display(cur / "discrepancies.csv", root), d, "explanation_class", "discrepancies")
    role_columns = {d["column_label"]: d["role_group"] for d in curation["role_groups"]}
    role_rows = {d["row_label"]: d["role_group"] for d in curation["role_groups"] if d["row_label"]}

    captions = read_dicts(src / "captions.csv", root, ["table_id", "title", "footnote"])
    cap_rel = display(src / "captions.csv", root)
    for d in captions:
        check_enum(cap_rel, d, "table_id", "tables")
    curated_tables = {d["table_id"] for d in curation["tables"]}
    results, profiles = {}, {}
    for d in captions:
        tid = d["table_id"]
        if tid not in curated_tables:
            raise TranscriptionError(cap_rel, d["_row"], "table_id", tid, "table is not in tables/curation/tables.csv")
        path = src / f"table_{printed_number(tid)}.csv"  # files are named as the report numbers its tables
        if printed_number(tid).startswith("2."):
            labels = {i["row_label"] for i in curation["items"] if i["table_id"] == tid}
            marked = next(t for t in curation["tables"] if t["table_id"] == tid)["significance_test"] != ""
            results[tid] = read_results_table(tid, path, root, role_columns, labels, marked)
        else:
            cats = [c["column_label"] for c in curation["categories"] if c["table_id"] == tid] or None
            profiles[tid] = read_profile_table(tid, path, root, role_rows, cats)

    text_figures = read_dicts(src / "text_figures.csv", root,
                              ["figure_id", "section", "subject", "role_group", "survey_year", "value_text",
                               "unit", "table_id", "item_id", "category_id", "compares_as"])
    tf_rel = display(src / "text_figures.csv", root)
    seen_ids: dict[str, int] = {}
    keys = {"role_groups": [d["role_group"] for d in curation["role_groups"]],
            "survey_waves": [d["survey_year"] for d in curation["survey_waves"]]}
    for d in text_figures:
        for column in ("role_group", "survey_year", "unit", "compares_as"):
            check_enum(tf_rel, d, column, "text_figures", keys=keys)
        check_enum(tf_rel, d, "table_id", "tables")
        if d["figure_id"] in seen_ids:
            raise TranscriptionError(tf_rel, d["_row"], "figure_id", d["figure_id"],
                                     f"duplicated row: the same figure_id is at row {seen_ids[d['figure_id']]}")
        seen_ids[d["figure_id"]] = d["_row"]
        d["_path"] = tf_rel
    return Transcription(root, captions, results, profiles, curation, text_figures)
