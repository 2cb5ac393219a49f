"""Read the hand-typed layer: transcription/printed (as printed) and transcription/curation (the project's ids).

Frictionless first checks every file against its Table Schema (schemas/transcription/package.json lists
them); the code here parses the printed-cell grammar and checks what a schema cannot state. Every
problem is raised as a TranscriptionError that names the file, the row (the line number in the file,
header = row 1), the column and the value, and says what to fix; a problem of the whole file (a byte-order
mark) names the file alone.
"""
from __future__ import annotations

import copy
import csv
import json
import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Callable

from analysis.derived import OVERALL
from analysis.failures import FiguresError
from core import schemas
from core.schemas import ROOT, SCHEMA_DIR

FOLDER = "transcription"  # the inputs' folder in the repository; messages name files by their path from here
INPUTS = SCHEMA_DIR / "transcription" / "package.json"

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


class TranscriptionError(Exception):
    """A problem of one cell (file, row, column, value), or of the whole file (row None: the problem is said
    of the file, e.g. 'starts with ...')."""

    def __init__(self, path, row, column, value, problem: str):
        self.path, self.row, self.column, self.value, self.problem = str(path), row, column, value, problem
        super().__init__(f"{self.path} {problem}" if row is None
                         else f"{self.path}, row {row}, column {column!r}, value {value!r}: {problem}")


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
    marker_text: str | None = None  # everything after the percentage, as printed, without edge spaces
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
    lines: list[int] = field(default_factory=list)  # each row's line in the file


@dataclass(frozen=True)
class Source:
    """Where a figure was typed: the input file, its row (line, header = row 1), the column and the text."""
    path: str
    row: int
    column: str
    text: str


@dataclass
class Transcription:
    folder: Path
    captions: list[dict]
    results: dict[str, ResultsTable]
    profiles: dict[str, ProfileTable]
    curation: dict[str, list[dict]]
    text_figures: list[dict]



def rel(name: str) -> str:
    """How messages name an input: 'printed/table_2.2.csv' is transcription/printed/table_2.2.csv."""
    return f"{FOLDER}/{name}"


def read_rows(path: Path) -> list[tuple[int, list[str]]]:
    """All rows of a validated CSV with their line numbers (header = row 1)."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        return [(reader.line_num, cells) for cells in reader]


def read_dicts(path: Path) -> list[dict]:
    """A validated CSV as dicts, each with its line number under '_row'."""
    (_, header), *body = read_rows(path)
    return [{**dict(zip(header, cells)), "_row": line} for line, cells in body]


@cache
def inputs() -> dict:
    """The input package: every hand-typed file with its Table Schema."""
    return json.loads(INPUTS.read_text(encoding="utf-8"))


@cache
def input_schema(path: str) -> dict:
    """An input's Table Schema. A field stated by its name alone is the field of that name in the
    published schema of the same resource (schemas/<name>.json): a column the package publishes as typed
    is defined once, where it is published."""
    sch = json.loads((ROOT / path).read_text(encoding="utf-8"))
    name = Path(path).stem
    published = {f["name"]: f for f in schemas.fields(name)} if name in schemas.resource_names() else {}
    sch["fields"] = [published[f["name"]] if set(f) == {"name"} else f for f in sch["fields"]]
    return sch


# Within a row: a missing cell before what follows from it (an empty required cell), a cell's own error
# before the row's key (a key left empty).
RANK = {"missing-cell": 0, "extra-cell": 0, "primary-key": 2}


BOM = b"\xef\xbb\xbf"


def looks_like(data: bytes) -> str:
    """The encodings charset-normalizer finds the bytes read as (several code pages read most text alike),
    the most common Western one first, or '' where it cannot tell."""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return ""
    names = sorted(best.could_be_from_charset, key=lambda n: (n != "cp1252", n))
    return names[0] + (f" ({', '.join(names[1:])} read it alike)" if len(names) > 1 else "")


def check_encoding(path: Path, name: str) -> None:
    """Inputs are UTF-8 without a byte-order mark. Anything else is refused naming the row (line), the
    column, the byte offset and the encoding the file looks like, rather than read wrongly or in part."""
    data = path.read_bytes()
    if data.startswith(BOM):
        raise TranscriptionError(name, None, None, None,
                                 "starts with a UTF-8 byte-order mark (bytes EF BB BF at byte 0); inputs are UTF-8 "
                                 "without one: save it as 'UTF-8', not 'UTF-8 with BOM'")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        start = data.rfind(b"\n", 0, e.start) + 1
        line = data.count(b"\n", 0, e.start) + 1
        header = next(csv.reader([data.split(b"\n", 1)[0].decode("utf-8", "backslashreplace")]), [])
        before = next(csv.reader([data[start:e.start].decode("utf-8")]), None) or [""]  # the row up to the byte
        end = data.find(b"\n", e.start)
        rest = next(csv.reader([data[e.start:None if end < 0 else end].decode("utf-8", "backslashreplace")]),
                    None) or [""]
        column = header[len(before) - 1] if len(before) <= len(header) else ""
        guess = looks_like(data)
        raise TranscriptionError(
            name, line, column, before[-1] + rest[0],
            f"byte {e.start} of the file (byte {e.start - start} of the row), 0x{data[e.start]:02X}, is not UTF-8"
            + (f"; the file looks like {guess}" if guess else "") + ": save it as UTF-8") from None


def validate(folder: Path) -> None:
    """Frictionless checks every input against its schema (header, cells, keys across files) and the
    first error is raised. Errors within a file come before foreign keys', so that a bad key is named
    where it is defined rather than everywhere it is used. Each file's encoding is checked first."""
    from frictionless import Package

    resources = inputs()["resources"]
    for r in resources:
        path = folder / Path(r["path"]).relative_to(FOLDER)
        if path.is_file():
            check_encoding(path, r["path"])
    descriptor = {**inputs(), "resources": [
        # the schemas are the repository's; the files are under folder, which may be a scratch copy
        {**r, "path": str(Path(r["path"]).relative_to(FOLDER)), "schema": copy.deepcopy(input_schema(r["schema"]))}
        for r in resources]}
    report = Package(descriptor, basepath=str(folder)).validate()
    errors = [(e.type == "foreign-key", n, getattr(e, "row_number", None) or 0, RANK.get(e.type, 1),
               getattr(e, "field_number", None) or 0, e)
              for n, task in enumerate(report.tasks) for e in task.errors
              if not (e.type == "blank-label" and e.field_name == "")]  # a column heading the report leaves blank
    if errors:
        _, n, *_, e = min(errors, key=lambda x: x[:5])
        raise TranscriptionError(resources[n]["path"], *explain(e, resources[n]))
    if report.errors:  # the descriptor itself
        raise ValueError("the input package is not valid: " + "; ".join(e.message for e in report.errors))


def validate_beside(folder: Path) -> Callable[[], None]:
    """validate() in a forked process, beside whatever this one does next; the function returned waits for
    it and raises what it found. On two cores the check adds almost nothing to the build's time."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        try:
            validate(folder)
            found = None
        except TranscriptionError as e:
            found = [e.path, e.row, e.column, e.value, e.problem]
        except Exception as e:  # reported by the parent, as any failure of the check
            found = f"validating the inputs failed: {e}"
        with os.fdopen(write_end, "w", encoding="utf-8") as f:
            json.dump(found, f)
        os._exit(0)  # no interpreter teardown: the parent's state is not the child's to clean up
    os.close(write_end)

    def wait() -> None:
        with os.fdopen(read_end, encoding="utf-8") as f:
            text = f.read()
        os.waitpid(pid, 0)
        found = json.loads(text) if text else "validating the inputs ended without a verdict"
        if isinstance(found, list):
            raise TranscriptionError(*found)
        if found:
            raise ValueError(found)
    return wait


def defined_in(res: dict, field_name: str) -> str:
    """The schema file that defines an input's field: its own, or the published one where it is named alone."""
    written = json.loads((ROOT / res["schema"]).read_text(encoding="utf-8"))["fields"]
    if {"name": field_name} in written:
        return f"schemas/{res['name']}.json"
    return res["schema"]


def explain(e, res: dict) -> tuple[int, str, str, str]:
    """(row, column, value, what to fix) of a Frictionless error in the input resource res."""
    schema = input_schema(res["schema"])
    names = [f["name"] for f in schema["fields"]]
    if e.type in ("scheme-error", "source-error"):
        return (1, "", "", "file is empty; it needs a header row") if "empty" in e.note else (0, "", "", "file is missing")
    if e.type == "extra-label":
        return 1, e.label, e.label, f"column is not in {res['schema']}"
    if e.type == "missing-label":
        return 1, e.field_name, "", f"column {e.field_name!r} is missing from the header ({res['schema']})"
    if e.type.endswith("-label"):
        return 1, e.field_name, e.label, f"column heading must read {e.field_name!r} ({res['schema']})"
    if e.type in ("missing-cell", "extra-cell"):
        return e.row_number, e.field_name, ",".join(e.cells), f"row has {len(e.cells)} cells but the header has {len(names)}"
    if e.type == "primary-key":
        key = schema["primaryKey"]
        return (e.row_number, key[0], e.cells[names.index(key[0])],
                f"duplicated row: {', '.join(key)} is {e.note}")
    if e.type == "foreign-key":
        fk = next(fk for fk in schema["foreignKeys"] if f'for "{", ".join(fk["fields"])}"' in e.note)
        ref = next(r for r in inputs()["resources"] if r["name"] == fk["reference"]["resource"])
        return (e.row_number, fk["fields"][0], e.cells[names.index(fk["fields"][0])],
                f"unknown value: no such {', '.join(fk['reference']['fields'])} in {ref['path']}; add it there or correct it")
    field_name = getattr(e, "field_name", "")  # errors of a whole file (encoding, format) name no field
    if not field_name:
        return getattr(e, "row_number", None) or 1, "", "", e.message
    f = schema["fields"][names.index(field_name)] if field_name in names else {}
    if e.type == "unique-error":
        return e.row_number, e.field_name, e.cell, f"duplicated row: {e.field_name} is {e.note}"
    constraint = re.match(r'constraint "(\w+)"', e.note)
    if constraint and constraint[1] == "enum":
        allowed = ", ".join(str(v) for v in f["constraints"]["enum"])
        return e.row_number, e.field_name, e.cell, f"unknown value; {defined_in(res, e.field_name)} allows {allowed}"
    what = {"required": "a value is required", "pattern": "not in the form the column allows",
            "type-error": f"not a value of type {f.get('type')}"}.get(constraint[1] if constraint else e.type, e.note)
    return e.row_number, e.field_name, getattr(e, "cell", ""), f"{what}; the column holds: {f.get('description', '')}"


def parse_percent_cell(rel, line, column, text, role_group, group_n) -> Cell:
    """A cell the schema's pattern has admitted, in its parts; its count is checked against the column's n."""
    m = PERCENT_CELL.match(text)
    count = int(m["count"]) if m["count"] else None
    if count is not None and group_n is not None and count > group_n:
        raise TranscriptionError(rel, line, column, text, f"count {count} is above the column's n={group_n}")
    marker = m["stars"] or (m["ns"].strip() if m["ns"] else None)
    marker_text = text[len(m["percent"]) + 1:].strip() if marker else None  # no edge spaces: readers trim them
    return Cell(rel, line, column, text, role_group, group_n, int(m["percent"]), count,
                marker, marker_text, bool(m["fisher"]))


def read_results_table(table_id: str, path: Path, role_columns: dict[str, str],
                       curated_labels: set[str], marked: bool) -> ResultsTable:
    """A table of Tables 2.1 to 2.11. Its schema fixes the headings and the cells' forms; here, what
    depends on other files or on the row: the role groups, the items, the '2002 figures' rows."""
    rel_path = rel(f"printed/{path.name}")
    (_, header), *body = read_rows(path)
    columns: list[tuple[str, int]] = []  # role_group, n per column
    for col in header[1:]:
        m = HEADER_N.match(col)
        if not m or m["label"] not in role_columns:
            raise TranscriptionError(rel_path, 1, col, m["label"] if m else col,
                                     f"unknown role group; {rel('curation/role_groups.csv')} knows {', '.join(role_columns)}")
        columns.append((role_columns[m["label"]], int(m["n"])))

    stub = header[0] or "(row label)"  # most tables print no heading over their labels
    items: list[Item] = []
    labels_at: dict[str, int] = {}
    for line, cells in body:
        label = cells[0]
        is_2002 = label == YEAR_2002_LABEL
        if is_2002:
            if table_id != TABLE_WITH_2002_ROWS or not items or items[-1].cells_2002:
                raise TranscriptionError(rel_path, line, stub, label,
                                         "a '2002 figures' row must directly follow an item row of Table 2.1")
        else:
            reverse = label.endswith(DAGGER)
            label = label[: -len(DAGGER)] if reverse else label
            if label in labels_at:
                raise TranscriptionError(rel_path, line, stub, cells[0],
                                         f"duplicated row: the same label is at row {labels_at[label]}")
            if label not in curated_labels:
                raise TranscriptionError(rel_path, line, stub, cells[0],
                                         f"row label is not in {rel('curation/items.csv')}; add it there with an item_id")
            labels_at[label] = line
        parsed = []
        for (group, n), col, text in zip(columns, header[1:], cells[1:]):
            # The schema's patterns allow a count only in a group's column and a marker only in the overall one.
            cell = parse_percent_cell(rel_path, line, col, text, group, None if is_2002 else n)
            overall = group == OVERALL
            if is_2002 and (cell.count is not None or cell.marker):
                raise TranscriptionError(rel_path, line, col, text, "2002 figures are printed as a bare percentage")
            if marked and overall and not is_2002 and not cell.marker:
                raise TranscriptionError(rel_path, line, col, text,
                                         "the overall column of Tables 2.1 to 2.7 prints a significance marker")
            if not overall and not is_2002 and cell.count is None:
                raise TranscriptionError(rel_path, line, col, text, "a role group's 2015 cell prints a count in parentheses")
            parsed.append(cell)
        if is_2002:
            items[-1].cells_2002 = parsed
        else:
            items.append(Item(label, reverse, len(items) + 1, parsed))
    missing = curated_labels - set(labels_at)
    if missing:
        raise TranscriptionError(rel_path, len(body) + 2, stub, sorted(missing)[0],
                                 f"row of {rel('curation/items.csv')} is not in the transcription")
    return ResultsTable(table_id, rel_path, header[0], items)


def read_profile_table(table_id: str, path: Path, role_rows: dict[str, str],
                       categories: list[str] | None) -> ProfileTable:
    """A table of Tables 1.1 to 1.3; its schema fixes headings and cells, here the role groups and categories."""
    rel_path = rel(f"printed/{path.name}")
    (_, header), *body = read_rows(path)
    if categories is not None:
        for col in header[1:]:
            if col not in categories:
                raise TranscriptionError(rel_path, 1, col, col, f"column is not in {rel('curation/categories.csv')}; "
                                         "add it there with a category_id")
        for col in categories:
            if col not in header[1:]:
                raise TranscriptionError(rel_path, 1, col, "", f"column of {rel('curation/categories.csv')} is missing")
    out_rows, lines = [], []
    for line, cells in body:
        if cells[0] not in role_rows:
            raise TranscriptionError(rel_path, line, header[0], cells[0],
                                     f"unknown role group; {rel('curation/role_groups.csv')} knows {', '.join(role_rows)}")
        out_rows.append((role_rows[cells[0]], list(zip(header[1:], cells[1:]))))
        lines.append(line)
    return ProfileTable(table_id, rel_path, header[0], header[1:], out_rows, lines)


CURATION = ["tables", "role_groups", "items", "categories", "discrepancies", "survey_waves",
            # the report's claims in the project's words, with how each is decided (analysis/claims.py)
            "claims", "claim_sections",
            # the 2003 paper's figures: its item figures join survey_results
            "paper_2002_figures", *PASSTHROUGH]


def read(folder: Path) -> Transcription:
    """Read every file of the hand-typed layer under folder (normally transcription/), once validate()
    has passed it."""
    folder = Path(folder)
    printed, cur = folder / "printed", folder / "curation"
    curation = {name: read_dicts(cur / f"{name}.csv") for name in CURATION}
    role_columns = {d["column_label"]: d["role_group"] for d in curation["role_groups"]}
    role_rows = {d["row_label"]: d["role_group"] for d in curation["role_groups"] if d["row_label"]}

    captions = read_dicts(printed / "captions.csv")
    results, profiles = {}, {}
    for d in captions:
        tid = d["table_id"]
        path = printed / f"table_{printed_number(tid)}.csv"  # files are named as the report numbers its tables
        if printed_number(tid).startswith("2."):
            labels = {i["row_label"] for i in curation["items"] if i["table_id"] == tid}
            marked = next(t for t in curation["tables"] if t["table_id"] == tid)["significance_test"] != ""
            results[tid] = read_results_table(tid, path, role_columns, labels, marked)
        else:
            cats = [c["column_label"] for c in curation["categories"] if c["table_id"] == tid] or None
            profiles[tid] = read_profile_table(tid, path, role_rows, cats)

    text_figures = read_dicts(printed / "text_figures.csv")
    for d in text_figures:
        d["_path"] = rel("printed/text_figures.csv")
    return Transcription(folder, captions, results, profiles, curation, text_figures)


def cite(found: list[Source]) -> str:
    """Where figures were typed, for a message: file, row, column and cell; cells of one row together."""
    parts: dict[tuple[str, int], list[Source]] = {}
    for src in dict.fromkeys(found):
        parts.setdefault((src.path, src.row), []).append(src)
    return "; ".join(
        f"{path}, row {row}, column {cells[0].column!r}, cell {cells[0].text!r}" if len(cells) == 1
        else f"{path}, row {row}: " + ", ".join(f"column {c.column!r} cell {c.text!r}" for c in cells)
        for (path, row), cells in parts.items())


def refusal(e: FiguresError, found: dict[tuple, Source]) -> str:
    """A derived figure that cannot be computed, said with where the printed figures it rests on were typed."""
    typed = [found[k] for k in e.rests_on if k in found]
    return f"{e.problem}." + (f" Typed at {cite(typed)}." if typed else "") + " Correct what was mistyped."


def sources(t: Transcription) -> dict[tuple, Source]:
    """Where each printed figure was typed, by the key of the published row it becomes: a table's cell as
    ("survey_results", item_id, survey_year, role_group), a column's n as ("group_n", table_id, role_group),
    ("role_profile", table_id, category_id, role_group), ("interview_participants", role_group), a figure of
    the text as ("text_figures", figure_id), a claim as ("claims", claim_id), a figure of the 2003 paper
    as ("paper_2002_figures", item_id, role_group). The checks name these when a
    figure derived from them does not reconcile, so that an error leads back to what was typed."""
    ids = {(d["table_id"], d["row_label"]): d["item_id"] for d in t.curation["items"]}
    out: dict[tuple, Source] = {}
    for tid, table in t.results.items():
        for it in table.items:
            for year, cells in ((2015, it.cells_2015), (2002, it.cells_2002)):
                for c in cells:
                    out[("survey_results", ids[(tid, it.row_label)], year, c.role_group)] = \
                        Source(c.path, c.row, c.column, c.text)
                    out.setdefault(("group_n", tid, c.role_group), Source(c.path, 1, c.column, c.column))
    categories = {(d["table_id"], d["column_label"]): d["category_id"] for d in t.curation["categories"]}
    for tid, table in t.profiles.items():
        for (group, cells), line in zip(table.rows, table.lines):
            for label, text in cells:
                key = (("role_profile", tid, categories[(tid, label)], group) if (tid, label) in categories
                       else ("interview_participants", group))
                out[key] = Source(table.path, line, label, text)
    for d in t.text_figures:
        out[("text_figures", d["figure_id"])] = Source(d["_path"], d["_row"], "value_text", d["value_text"])
    for d in t.curation["claims"]:
        out[("claims", d["claim_id"])] = Source(rel("curation/claims.csv"), d["_row"], "claim", d["claim"])
    for d in t.curation["paper_2002_figures"]:
        if d["item_id"]:
            out[("paper_2002_figures", d["item_id"], d["role_group"])] = Source(
                rel("curation/paper_2002_figures.csv"), d["_row"], "value_text", d["value_text"])
    return out
