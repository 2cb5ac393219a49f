"""Fault injection's shared parts: the published tables, an oracle independent of the checks, and what counts
as detected. tests/test_fault_injection_cells.py corrupts one cell of survey_results at a time and
tests/test_fault_injection_rows.py one row, to show that the checks catch every corruption that breaks
arithmetic consistency. (Two files, so that the two halves run on both test workers.)

The oracle is a brute-force loop, independent of the vectorised checks: a 2015 group cell is consistent
when some whole denominator d, count <= d <= n, makes 100*count/d round (half up) to the percentage.

What arithmetic cannot detect, and why:
- a percent or count moved to another pair that some denominator still reproduces (for example a count
  moved by one where several missing answers are possible): the printed numbers stay mutually
  consistent, so only the original print could tell;
- counts swapped between two role groups whose n and percentages happen to allow both counts;
- the 2002 rows print no counts and no n, so a moved 2002 percentage is caught only if it leaves the
  range of the groups (overall_within_group_range).
Cells already in the register are not corrupted here: their printed numbers are inconsistent to begin with.
Dropped, duplicated and renamed rows break structure, not just arithmetic, and must always be caught.

KINDS are the well-formed errors a typist makes (each value still of the printed form and within its
n): a wrong digit, two digits transposed, a count taken from the column beside it, two cells swapped, a
row's figures typed on the line above. For each kind a fixed sample of corruptions is put through every
check of the gate (refused()); the share refused per kind is what README.md states, and
tests/test_fault_injection_*.py require it to be so.
"""
import csv
import random
import re
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from fractions import Fraction
from math import floor

import pandas as pd
from conftest import ROOT
from expected import RULES
from hypothesis import HealthCheck, settings

from analysis import derived, labels, statistics
from analysis.failures import FiguresError
from checks import validate
from core import frames
from pipeline import transcription
from pipeline.derive import DERIVED, derived_frames, records

RES = frames.load_all(ROOT)
REGISTER = validate.read_register()
NEEDED = ["survey_results", "items", "role_groups", "text_figures", "role_profile", "interview_participants",
          "wave_2002", "claims"]
SR = RES["survey_results"]
REGISTERED_CELLS = {tuple(k.split(":")[2:4]) for k in REGISTER if k.startswith("count_reconciles:")}
GROUP_CELLS = [i for i, r in SR.iterrows() if r.survey_year == 2015 and r.role_group != "all_respondents"
               and (r.item_id, r.role_group) not in REGISTERED_CELLS]
# Every rule but the significance tests, which rest on the same counts and take seconds to rerun.
ARITHMETIC = [r for r in RULES if r != "significance_reproduces"]
ROLES = ["chief_executive", "medical_director", "directorate_manager", "clinical_director"]
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def consistent(count, percent, n) -> bool:
    if not (0 <= percent <= 100 and 0 <= count <= n):
        return False
    return any(floor(Fraction(100 * count, d) + Fraction(1, 2)) == percent for d in range(max(count, 1), n + 1))


def detected(results, item_id: str, row: int | None = None) -> bool:
    """Caught only when validation names the corrupted item (or, for a row-level corruption, its row of
    tables/survey_results.csv): a crash or an unrelated complaint does not count."""
    res = {k: RES[k] for k in NEEDED}
    res["survey_results"] = results.reset_index(drop=True)
    try:
        cells = derived.cell_denominators(res["survey_results"])
        bases = derived.overall_bases(res["survey_results"], cells, 472)
        # labelled as the build labels them, so that only the corruption can fail the schema checks
        res["cell_denominators"] = labels.attach("cell_denominators", cells, RES)
        res["overall_bases"] = labels.attach("overall_bases", bases, RES)
    except Exception as e:
        problems = [f"{type(e).__name__}: {e}"]
    else:
        problems, _ = validate.check(res, REGISTER, only=ARITHMETIC)
    where = [item_id] + ([f"row {row}, "] if row is not None else [])
    return any(w in p for p in problems for w in where)


# --- well-formed typing errors, by kind, through every check of the gate ----------------------------------

SEED = 20161101
PER_KIND = 20  # corruptions tried per kind: each costs a full run of the checks (about 0.6 s)
SOURCES = validate.read_sources()
# The printed resources (claims' own columns among them): what the derived ones are recomputed from.
PRINTED = {k: v for k, v in RES.items() if k not in DERIVED or k == "claims"}
PS = RES["printed_significance"]
TABLE_CELLS = SR[SR.printed_in == "table"]


@dataclass
class Corruption:
    kind: str
    where: str  # for messages: table, item, role group
    cells: dict = field(default_factory=dict)  # row index of survey_results -> {"percent": p, "count": c}
    markers: dict = field(default_factory=dict)  # item_id -> (marker, test) of printed_significance
    copied: dict = field(default_factory=dict)  # row index -> the row whose printed cell was typed in its place

    def results(self):
        bad = SR.copy()
        for i, values in self.cells.items():
            for column, value in values.items():
                bad.loc[i, column] = value
        return bad

    def significance(self):
        bad = PS.copy()
        for item, (marker, test) in self.markers.items():
            bad.loc[bad.item_id == item, ["marker", "test"]] = [marker, test]
        return bad

    def breaks_arithmetic(self) -> bool:
        """The oracle: some corrupted 2015 group cell that no denominator up to its n reproduces."""
        bad = self.results()
        return any(not consistent(int(bad.loc[i, "count"]), int(bad.loc[i, "percent"]), int(bad.loc[i, "group_n"]))
                   for i in self.cells if i in GROUP_CELLS)

    def texts(self, printed=lambda r: SOURCES[_key(r)].text) -> dict[tuple, str]:
        """The corrupted cells as a typist would have typed them, by key of pipeline.transcription.sources:
        the printed text (as printed(row) gives it) with its numbers replaced (a marker kept), or, for a cell
        typed from another line, that line's text."""
        out = {}
        for i, values in self.cells.items():
            r = SR.loc[i]
            if i in self.copied and r.item_id in self.markers:
                out[_key(r)] = printed(SR.loc[self.copied[i]])
                continue
            text = printed(r)
            if "percent" in values:
                text = re.sub(r"^\d+%", f"{int(values['percent'])}%", text)
            if "count" in values and pd.notna(values["count"]):
                text = re.sub(r"\(\d+\)", f"({int(values['count'])})", text)
            out[_key(r)] = text
        return out

    def sources(self) -> dict:
        """SOURCES as the corrupted inputs give them: each corrupted cell with the text typed."""
        return {**SOURCES, **{k: replace(SOURCES[k], text=t) for k, t in self.texts().items()}}

    def type_into(self, inputs) -> None:
        """Type the corruption into a copy of transcription/ (inputs): each cell at its file, row and column."""
        by_file: dict[str, list] = {}
        for k, text in self.texts().items():
            by_file.setdefault(SOURCES[k].path, []).append((SOURCES[k], text))
        for rel, edits in by_file.items():
            path = inputs.parent / rel
            with open(path, encoding="utf-8", newline="") as f:
                rows = list(csv.reader(f))
            for src, text in edits:
                row = rows[src.row - 1]
                column = rows[0].index(src.column)
                assert row[column] == src.text, (rel, src, row)
                row[column] = text
            with open(path, "w", encoding="utf-8", newline="") as f:
                csv.writer(f, lineterminator="\n").writerows(rows)

    def typed_at(self) -> list[str]:
        """Where the corrupted cells were typed: 'file, row R' and the column, as a message names them. Found
        from the transcription's files themselves (printed_cell), not from pipeline.transcription's sources,
        whose places the messages cite."""
        texts = self.texts(printed=lambda r: printed_cell(r)[3])
        out = []
        for i in self.cells:
            r = SR.loc[i]
            path, row, column, _ = printed_cell(r)
            out.append((f"{path}, row {row}", f"column {column!r}", f"cell {texts[_key(r)]!r}"))
        return out


def _key(r) -> tuple:
    return ("survey_results", r.item_id, int(r.survey_year), r.role_group)


def _printed_files() -> tuple[dict, dict]:
    """item_id -> (table file, row label) from transcription/curation/items.csv, and each table file's rows."""
    with open(ROOT / "transcription/curation/items.csv", encoding="utf-8", newline="") as f:
        items = {r["item_id"]: (f"table_{r['table_id'][1:]}.csv", r["row_label"]) for r in csv.DictReader(f)}
    files = {}
    for name in {name for name, _ in items.values()}:
        with open(ROOT / "transcription/printed" / name, encoding="utf-8", newline="") as f:
            files[name] = list(csv.reader(f))
    return items, files


_ITEMS, _FILES = _printed_files()


def printed_cell(r) -> tuple[str, int, str, str]:
    """(file, row, column heading, text) where a table cell of survey_results was typed, read off the files: the
    line whose label is the item's (a 2015 row), or the '2002 figures' line under it; the groups' columns in
    the report's order, the overall one last."""
    name, label = _ITEMS[r.item_id]
    rows = _FILES[name]
    line = next(k for k, row in enumerate(rows, start=1) if row[0].removesuffix(" †") == label)
    if int(r.survey_year) == 2002:
        line += 1
        assert rows[line - 1][0] == "2002 figures", (name, line)
    column = len(rows[0]) - 1 if r.role_group == "all_respondents" else ROLES.index(r.role_group) + 1
    return f"transcription/printed/{name}", line, rows[0][column], rows[line - 1][column]


_fisher = statistics.fisher_p
_fisher_seen: dict[bytes, object] = {}


def _remembered_fisher(tables):
    """statistics.fisher_p, remembered: the Monte Carlo test is the costliest step of a check and depends on
    an item's tables only (its seed is fixed), so only the items a corruption touches are computed again."""
    key = tables.tobytes() + bytes(str(tables.shape), "ascii")
    if key not in _fisher_seen:
        _fisher_seen[key] = _fisher(tables)
    return _fisher_seen[key]


@contextmanager
def remembering_fisher():
    """statistics.fisher_p remembered only while a corruption is checked: left in place for the session, the
    memo would answer every later caller in the process (a unit test of fisher_p, or make mutation's run of a
    mutant of it) with the unchanged code's p."""
    statistics.fisher_p = _remembered_fisher
    try:
        yield
    finally:
        statistics.fisher_p = _fisher


def refused(c: Corruption) -> list[str]:
    """What the gate says of the corrupted inputs: every derived resource recomputed as the build does
    (its schema's types), then every rule and the register (checks.validate), the messages naming where
    figures were typed. Empty when the gate would publish them."""
    with remembering_fisher():
        return _refused(c)


def _refused(c: Corruption) -> list[str]:
    res = {**PRINTED, "survey_results": c.results(), "printed_significance": c.significance()}
    sources = c.sources()
    try:
        res.update({n: frames.from_rows(n, records(df, n)) for n, df in derived_frames(res).items()})
    except FiguresError as e:  # the statistics or claims cannot compute on them: said as the build says it
        return [transcription.refusal(e, sources)]
    except ValueError as e:  # the derivation itself refuses (a cell without its count, say)
        return [str(e)]
    return validate.check(res, REGISTER, sources=sources)[0]


def names_a_corrupted_cell(c: Corruption, problems: list[str]) -> bool:
    """A finding of the checks, or a refusal of the statistics or claims stages, names where a corrupted
    cell was typed and what was typed there (file, row, column and cell), as pipeline.transcription.cite
    says it: 'file, row R, column C, cell V' for one cell of a row, 'file, row R: column C cell V, ...' for
    several."""
    return any(f"{at}, {column}, {cell}" in p or (f"{at}:" in p and f"{column} {cell}" in p)
               for p in problems for at, column, cell in c.typed_at())


# What must never reach a user: a traceback, or the name of a Python exception class.
EXCEPTION_NAME = re.compile(r"Traceback|\b[A-Z][A-Za-z]*(Error|Exception|Warning)\b|\w+Error\(")


def digits_replaced(value: int) -> list[int]:
    """Every value one typed digit away: one digit replaced by another."""
    text = str(value)
    return sorted({int(text[:k] + d + text[k + 1:]) for k in range(len(text)) for d in "0123456789"} - {value})


def transposed(value: int) -> list[int]:
    text = str(value)
    return sorted({int(text[:k] + text[k + 1] + text[k] + text[k + 2:]) for k in range(len(text) - 1)} - {value})


def _label(r) -> str:
    return f"{r.table_id} {r.item_id} {r.role_group} {int(r.survey_year)}"


def _neighbour(i, step):
    """The row of survey_results for the role group printed `step` columns away, same item and wave."""
    r = SR.loc[i]
    k = ROLES.index(r.role_group) + step
    if not 0 <= k < len(ROLES):
        return None
    j = SR.index[(SR.item_id == r.item_id) & (SR.survey_year == r.survey_year) & (SR.role_group == ROLES[k])]
    return j[0] if len(j) and j[0] in GROUP_CELLS else None


def wrong_digit_in_percent(cells):
    return [Corruption("", _label(SR.loc[i]), {i: {"percent": p}}) for i in cells
            for p in digits_replaced(int(SR.loc[i, "percent"])) if p <= 100]


def wrong_digit_in_count():
    return [Corruption("", _label(SR.loc[i]), {i: {"count": c}}) for i in GROUP_CELLS
            for c in digits_replaced(int(SR.loc[i, "count"])) if c <= SR.loc[i, "group_n"]]


def transposed_digits():
    return ([Corruption("", _label(SR.loc[i]), {i: {"percent": p}}) for i in GROUP_CELLS
             for p in transposed(int(SR.loc[i, "percent"])) if p <= 100]
            + [Corruption("", _label(SR.loc[i]), {i: {"count": c}}) for i in GROUP_CELLS
               for c in transposed(int(SR.loc[i, "count"])) if c <= SR.loc[i, "group_n"]])


def count_from_the_next_column():
    out = []
    for i in GROUP_CELLS:
        for step in (-1, 1):
            j = _neighbour(i, step)
            if j is not None and SR.loc[j, "count"] != SR.loc[i, "count"] and SR.loc[j, "count"] <= SR.loc[i, "group_n"]:
                out.append(Corruption("", _label(SR.loc[i]), {i: {"count": SR.loc[j, "count"]}}))
    return out


def neighbouring_cells_swapped():
    out = []
    for i in GROUP_CELLS:
        j = _neighbour(i, 1)
        a, b = (SR.loc[i], SR.loc[j]) if j is not None else (None, None)
        if j is not None and (a.percent, a["count"]) != (b.percent, b["count"]) \
                and b["count"] <= a.group_n and a["count"] <= b.group_n:
            out.append(Corruption("", _label(a) + " and " + b.role_group,
                                  {i: {"percent": b.percent, "count": b["count"]},
                                   j: {"percent": a.percent, "count": a["count"]}}))
    return out


def row_typed_from_the_next():
    """An item's 2015 figures typed from the next item's line of the same table (every column, the
    overall column's marker with them): the eye slipped one line."""
    out = []
    items = RES["items"].sort_values("item_order")
    rows = TABLE_CELLS[TABLE_CELLS.survey_year == 2015]
    for _, table in items.groupby("table_id", sort=False):
        ids = table.item_id.tolist()
        for item, below in zip(ids, ids[1:]):
            there = rows[rows.item_id == below].reset_index().set_index("role_group")
            cells = {i: {"percent": there.loc[r.role_group, "percent"], "count": there.loc[r.role_group, "count"]}
                     for i, r in rows[rows.item_id == item].iterrows()}
            markers = {}
            if item in set(PS.item_id) and below in set(PS.item_id):
                m = PS[PS.item_id == below].iloc[0]
                markers[item] = (m.marker, m.test)
            copied = {i: there.loc[r.role_group, "index"] for i, r in rows[rows.item_id == item].iterrows()}
            out.append(Corruption("", f"{table.table_id.iloc[0]} {item} from {below}", cells, markers, copied))
    return out


def wrong_digit_in_overall():
    overall = TABLE_CELLS[(TABLE_CELLS.survey_year == 2015) & (TABLE_CELLS.role_group == "all_respondents")]
    return wrong_digit_in_percent(overall.index.tolist())


def wrong_digit_in_2002():
    return wrong_digit_in_percent(TABLE_CELLS[TABLE_CELLS.survey_year == 2002].index.tolist())


# kind -> (how the README names it, every candidate corruption)
KINDS = {
    "wrong_digit_percent": ("a wrong digit in a group's percentage (62% typed 92%)",
                            lambda: wrong_digit_in_percent(GROUP_CELLS)),
    "wrong_digit_count": ("a wrong digit in a group's count ((80) typed (30))", wrong_digit_in_count),
    "transposed_digits": ("two digits transposed in a group's percentage or count (45 typed 54)", transposed_digits),
    "count_from_next_column": ("a count typed from the column beside it", count_from_the_next_column),
    "cells_swapped": ("two neighbouring groups' cells swapped", neighbouring_cells_swapped),
    "row_shifted": ("an item's 2015 row typed from the line below it", row_typed_from_the_next),
    "wrong_digit_overall": ("a wrong digit in an overall percentage", wrong_digit_in_overall),
    "wrong_digit_2002": ("a wrong digit in a 2002 percentage", wrong_digit_in_2002),
}


def sample(kind: str) -> list[Corruption]:
    """PER_KIND corruptions of a kind, the same every run."""
    candidates = KINDS[kind][1]()
    for c in candidates:
        c.kind = kind
    return random.Random(f"{SEED}:{kind}").sample(candidates, min(PER_KIND, len(candidates)))


def readme_row(kind: str, tried: int, refused_count: int) -> str:
    return f"| {KINDS[kind][0]} | {tried} | {refused_count} ({round(100 * refused_count / tried)}%) |"


def readme_rows() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if re.match(r"^\| .+ \| \d+ \| \d+ \(\d+%\) \|$", line)]


def tally(kind: str) -> tuple[int, int]:
    """(tried, refused) for a kind's sample, requiring of each corruption: well-formed; refused whenever it
    breaks the arithmetic (the oracle); and, when refused, named where it was typed (file, row, column)."""
    tried = sample(kind)
    count = 0
    for c in tried:
        bad = c.results()
        for i in c.cells:
            r = bad.loc[i]
            assert 0 <= r.percent <= 100 and (r.group_n is pd.NA or pd.isna(r["count"]) or r["count"] <= r.group_n), c
        problems = refused(c)
        if c.breaks_arithmetic():
            assert problems, f"{c.kind} {c.where} {c.cells}: breaks the arithmetic, yet nothing refused it"
        if problems:
            count += 1
            assert names_a_corrupted_cell(c, problems), f"{c.kind} {c.where}: refused without naming the cell: {problems}"
            assert not any(EXCEPTION_NAME.search(p) for p in problems), f"{c.kind} {c.where}: {problems}"
    return len(tried), count


def require_readme_states(kind: str) -> None:
    tried, count = tally(kind)
    row = readme_row(kind, tried, count)
    assert row in readme_rows(), f"README.md should state, for {kind}: {row}"
