"""pipeline/: what the build, the loaders and the reading of the inputs promise, each on a small case the
package's own run does not reach (the check of the inputs in its second process, the encoding a file looks
like, the loaders writing beside their target and replacing what was there)."""
import json
import os
import time
from pathlib import Path

import pytest

from pipeline import transcription as t

# The repository's root, found from this file (tests/unit/ is two folders down), not from the code under test:
# the command lines' defaults are written out from it below.
REPO = Path(__file__).resolve().parents[2]


class Exited(Exception):
    """os._exit, made to raise in the test's own process: the check's process is the test's."""


def beside(monkeypatch, *, pid, payload=b"", verdict=None):
    """validate_beside with fork, the pipe, waitpid and _exit stood in for: as the check's process (pid 0), whose
    validate() does what verdict says, or as the build's, reading payload from the check's process."""
    calls = {"waited": [], "exited": [], "written": None}
    read_end, write_end = os.pipe()
    kept = os.dup(read_end)  # the check's process closes its copy of the read end
    if payload:
        os.write(write_end, payload)

    def fake_exit(code):
        assert isinstance(code, int), "os._exit takes a whole number"
        calls["exited"].append(code)
        with os.fdopen(kept, "rb") as f:  # what the check's process left in the pipe, once it is closed
            calls["written"] = f.read()
        raise Exited

    def validate(folder):
        if isinstance(verdict, Exception):
            raise verdict

    monkeypatch.setattr(t.os, "pipe", lambda: (read_end, write_end))
    monkeypatch.setattr(t.os, "fork", lambda: pid)
    monkeypatch.setattr(t.os, "waitpid", lambda p, options: calls["waited"].append((p, options)))
    monkeypatch.setattr(t.os, "_exit", fake_exit)
    monkeypatch.setattr(t, "validate", validate)
    calls["kept"] = kept
    return calls


@pytest.mark.parametrize("verdict, written", [
    (None, b"null"),  # the inputs are valid: nothing to report
    (t.TranscriptionError("transcription/printed/table_2.2.csv", 4, "Overall", "7%", "not a figure"),
     b'["transcription/printed/table_2.2.csv", 4, "Overall", "7%", "not a figure"]'),
    (OSError("disk full"), b'"validating the inputs failed: disk full"'),
])
def test_the_check_of_the_inputs_writes_its_verdict_and_ends(monkeypatch, verdict, written):
    # the check's own process (fork returned 0): the verdict as JSON in the pipe, then it ends, status 0
    calls = beside(monkeypatch, pid=0, verdict=verdict)
    with pytest.raises(Exited):
        t.validate_beside(t.ROOT / "transcription")
    assert (calls["written"], calls["exited"]) == (written, [0])


@pytest.mark.parametrize("payload, raised", [
    (b'["transcription/printed/table_2.2.csv", 4, "Overall", "7%", "not a figure"]',
     "transcription/printed/table_2.2.csv, row 4, column 'Overall', value '7%': not a figure"),
    (b'"validating the inputs failed: disk full"', "validating the inputs failed: disk full"),
    (b"", "validating the inputs ended without a verdict"),  # the check's process died before writing
    (b"null", None),
])
def test_the_build_waits_for_the_check_and_raises_its_verdict(monkeypatch, payload, raised):
    calls = beside(monkeypatch, pid=4242, payload=payload)
    wait = t.validate_beside(t.ROOT / "transcription")
    assert calls["exited"] == []  # the build's process goes on
    if raised is None:
        assert wait() is None
    else:
        kind = t.TranscriptionError if payload.startswith(b"[") else ValueError
        with pytest.raises(kind) as e:
            wait()
        assert type(e.value) is kind and str(e.value) == raised
    assert calls["waited"] == [(4242, 0)]  # waited for, blocking (no WNOHANG): no process is left behind
    os.close(calls["kept"])


class Guess:
    def __init__(self, names):
        self.could_be_from_charset = names


@pytest.mark.parametrize("names, said", [
    (["latin_1", "cp1252"], "cp1252 (latin_1 read it alike)"),
    (["iso8859_15", "latin_1", "cp1252"], "cp1252 (iso8859_15, latin_1 read it alike)"),
    (["mac_roman", "iso8859_15"], "iso8859_15 (mac_roman read it alike)"),  # no cp1252: sorted by name
    (["cp1252"], "cp1252"),
])
def test_the_encoding_a_file_looks_like_names_each_reading(monkeypatch, names, said):
    import charset_normalizer

    class Found:
        def best(self):
            return Guess(names)
    monkeypatch.setattr(charset_normalizer, "from_bytes", lambda data: Found())
    assert t.looks_like(b"caf\xe9") == said


def test_a_refusal_whose_figures_were_not_typed_says_what_to_do_without_a_place():
    # a derived figure resting on nothing typed (a key no input holds): the problem, then what to do, no 'Typed at'
    e = t.FiguresError("the interval of the overall column cannot be computed", [("claims", "no_such_claim")])
    assert t.refusal(e, {}) == "the interval of the overall column cannot be computed. Correct what was mistyped."
    where = t.Source("transcription/curation/claims.csv", 7, "claim", "Most agreed")
    assert t.refusal(e, {("claims", "no_such_claim"): where}) == (
        "the interval of the overall column cannot be computed. Typed at transcription/curation/claims.csv, row 7, "
        "column 'claim', cell 'Most agreed'. Correct what was mistyped.")


def test_a_failed_duckdb_load_makes_its_folder_works_beside_it_and_leaves_nothing(tmp_path, monkeypatch):
    # The database cannot be opened (a full disk, say): the folder was made (parents too), the scratch folder
    # was made in it, and it is gone again, the error the loader's command line reports passed on.
    import duckdb

    from pipeline import load_duckdb
    made, opened = [], []
    mkdtemp = load_duckdb.tempfile.mkdtemp

    def recording(*args, **kwargs):
        made.append((args, kwargs))
        return mkdtemp(*args, **kwargs)

    def refuse(path):
        opened.append(path)
        raise duckdb.IOException("disk full")
    out = tmp_path / "not" / "yet"
    monkeypatch.setattr(load_duckdb.tempfile, "mkdtemp", recording)
    monkeypatch.setattr(load_duckdb.duckdb, "connect", refuse)
    with pytest.raises(duckdb.IOException, match="disk full"):
        load_duckdb.build(out)
    assert made == [((), {"prefix": ".duckdb-", "dir": out})]
    assert len(opened) == 1 and opened[0].startswith(str(out / ".duckdb-")) and opened[0].endswith("/managing_doctors.duckdb")
    assert list(out.iterdir()) == []


def test_a_failed_sqlite_load_leaves_nothing(tmp_path, monkeypatch):
    from pipeline import load_sqlite
    opened = []

    def refuse(path, recreate):
        opened.append((path, recreate))
        raise OSError("disk full")
    out = tmp_path / "not" / "yet"
    monkeypatch.setattr(load_sqlite.sqlite_utils, "Database", refuse)
    with pytest.raises(OSError, match="disk full"):
        load_sqlite.build(out)
    assert len(opened) == 1 and opened[0][0].startswith(str(out / ".sqlite-"))
    assert list(out.iterdir()) == []  # the half-made file is removed


def test_the_build_stages_beside_its_target_checks_then_moves_the_descriptor_last(tmp_path, monkeypatch):
    # render stood in for (the whole build is tests/unit/test_unit_build.py's): files two folders deep too
    from pipeline import build
    files = {"datapackage.json": b"{}\n", "tables/deep/x.csv": b"a\n1\n", "csv-metadata.json": b"{}\n"}
    made, seen, moved = [], [], []
    mkdtemp, replace = build.tempfile.mkdtemp, build.os.replace

    def recording(*args, **kwargs):
        made.append((args, kwargs))
        return mkdtemp(*args, **kwargs)

    def validate(staging):
        seen.append(sorted(str(p.relative_to(staging)) for p in staging.rglob("*") if p.is_file()
                           and "schemas" not in p.parts))
        assert (staging / "schemas/package.json").read_bytes() == (build.ROOT / "schemas/package.json").read_bytes()

    def moving(src, dst):
        moved.append(str(Path(dst).relative_to(out)))
        return replace(src, dst)
    out = tmp_path / "not" / "yet"
    monkeypatch.setattr(build, "render", lambda inputs: dict(files))
    monkeypatch.setattr(build, "validate", validate)
    monkeypatch.setattr(build.tempfile, "mkdtemp", recording)
    monkeypatch.setattr(build.os, "replace", moving)
    build.TIMINGS.pop("frictionless", None)
    start = time.perf_counter()
    assert build.build(build.ROOT / "transcription", out) == files
    took = time.perf_counter() - start
    assert made == [((), {"prefix": ".staging-", "dir": out})]
    assert seen == [["csv-metadata.json", "datapackage.json", "tables/deep/x.csv"]]
    assert moved[-1] == "datapackage.json" and sorted(moved) == sorted(files)  # the Makefile's target last
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*")) == [
        "csv-metadata.json", "datapackage.json", "tables", "tables/deep", "tables/deep/x.csv"]  # no staging left
    assert 0 <= build.TIMINGS["frictionless"] <= took  # seconds the check took, within the build's own


def test_the_build_command_line(monkeypatch, capsys):
    # build() stood in for: what the command line passes it and how it reports what it raises
    from pipeline import build
    called = []
    monkeypatch.setattr(build, "build", lambda inputs, out: called.append((inputs, out)))
    monkeypatch.delenv("BUILD_TIMINGS", raising=False)
    assert build.main([]) == 0
    assert build.main(["--inputs", "in", "--out", "there"]) == 0
    # by default the hand-typed inputs, written into the staged build (build/stage/, as the Makefile reads it)
    assert called == [(REPO / "transcription", REPO / "build" / "stage"), (Path("in"), Path("there"))]
    assert capsys.readouterr() == ("", "")  # no timings unless asked for
    monkeypatch.setenv("BUILD_TIMINGS", "1")
    monkeypatch.setattr(build, "TIMINGS", {"frictionless": 0.5, "transcription to tidy": 1.25})
    assert build.main([]) == 0
    assert capsys.readouterr() == ("", '{"frictionless": 0.5, "transcription to tidy": 1.25}\n')  # as JSON, one line
    monkeypatch.delenv("BUILD_TIMINGS")
    for raised in (t.TranscriptionError("transcription/printed/captions.csv", 3, "title", "", "a value is required"),
                   ValueError("tables/items.csv, row 4: broken")):
        def failing(inputs, out, raised=raised):
            raise raised
        monkeypatch.setattr(build, "build", failing)
        assert build.main([]) == 1
        assert capsys.readouterr() == ("", f"error: {raised}\n")
    with pytest.raises(SystemExit) as e:
        build.main(["--help"])
    assert e.value.code == 0
    shown = " ".join(capsys.readouterr().out.split())  # argparse wraps the help to the terminal's width
    assert "Build the package: read transcription/ (the hand-typed inputs), write tables/*.csv and datapackage.json." in shown
    assert "--inputs INPUTS folder holding printed/ and curation/" in shown
    assert "--out OUT package root to write into" in shown


def test_load_order_follows_the_foreign_keys_not_the_package_order(monkeypatch):
    # A package listed child first: c references b, b references a and itself (a parent row of its own rows);
    # x and y reference nothing and keep their places in the package's order among the tables ready first.
    from pipeline import ddl
    keys = {"c": [("b", "c")], "y": [], "b": [("a", "b"), ("b", "b")], "x": [], "a": []}
    monkeypatch.setattr(ddl.schemas, "resource_names", lambda: list(keys))
    monkeypatch.setattr(ddl.schemas, "schema", lambda name: {"foreignKeys": [
        {"fields": ["id"], "reference": {"resource": ref, "fields": ["id"]}} for ref, _ in keys[name]]})
    assert ddl.load_order() == ["y", "x", "a", "b", "c"]


def write_csv(path, rows):
    import csv
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerows(rows)


def test_the_views_column_lists_come_from_the_dimension_resources(tmp_path):
    # A package of three role groups typed out of their sort order, the overall column among them; a category
    # printed for two groups; claims restated in up to three sections.
    from pipeline import ddl
    write_csv(tmp_path / "tables/role_groups.csv", [
        ["role_group", "level", "sort_order", "column_label"],
        ["overall_col", "all_levels", "3", "Overall"], ["b_group", "board", "2", "B & C's"], ["a_group", "board", "1", "A"]])
    write_csv(tmp_path / "tables/role_profile.csv", [
        ["table_id", "category_id", "role_group"],
        ["T1.1", "inside", "a_group"], ["T1.1", "outside", "a_group"], ["T1.1", "inside", "b_group"]])
    write_csv(tmp_path / "tables/claim_sections.csv", [["claim_id", "position"], ["c1", "1"], ["c1", "3"], ["c1", "2"],
                                                       ["c2", "1"]])
    d = ddl.dimensions(tmp_path)
    assert [g["role_group"] for g in d["groups"]] == ["a_group", "b_group"]
    assert d["overall"]["role_group"] == "overall_col"
    # one per table and category, in the order first printed (the last row's cells)
    assert [(c["table_id"], c["category_id"], c["role_group"]) for c in d["categories"]] == [
        ("T1.1", "inside", "b_group"), ("T1.1", "outside", "a_group")]
    assert list(d["section_positions"]) == [1, 2, 3]
    assert d["verdicts"]["does_not_hold"] == "does not hold"
    sql = tmp_path / "sql"
    sql.mkdir()
    (sql / "v.sql").write_text("-- The groups' labels.\nSELECT {% for g in groups %}'{{ g.column_label }}'{{ ', ' if not loop.last }}"
                               "{% endfor %}, {{ section_positions | list | length }}\n", encoding="utf-8")
    (view,) = ddl.views(sql, tmp_path)
    assert (view.name, view.description) == ("v", "The groups' labels.")
    assert view.body == "SELECT 'A', 'B & C's', 3"  # rendered as text, nothing HTML-escaped
    (sql / "v.sql").write_text("-- A name the context lacks.\nSELECT {{ no_such_column }}\n", encoding="utf-8")
    import jinja2
    with pytest.raises(jinja2.UndefinedError):  # refused, not rendered as empty SQL
        ddl.views(sql, tmp_path)


def test_sqlite_refuses_a_row_whose_foreign_key_has_no_parent(tmp_path, capsys):
    # items.csv names a table no row of tables.csv holds: the load stops at that row, nothing is left behind
    import shutil

    from pipeline import load_sqlite
    package = tmp_path / "package"
    shutil.copytree(t.ROOT / "tables", package / "tables")
    items = package / "tables/items.csv"
    lines = items.read_text(encoding="utf-8").split("\n")
    assert lines[1].startswith("positive_rating_local_relationships,1,T2.1,")
    lines[1] = lines[1].replace(",T2.1,", ",T9.9,", 1)
    items.write_text("\n".join(lines), encoding="utf-8")
    out = tmp_path / "out"
    assert load_sqlite.main(["--out", str(out), "--package", str(package)]) == 1
    assert capsys.readouterr().err == "error: loading the database failed: FOREIGN KEY constraint failed\n"
    assert list(out.iterdir()) == []


def test_the_loaders_command_line(monkeypatch, capsys):
    # the database build stood in for: what the shared command line passes it and how it reports a failure
    from pipeline import ddl
    called = []
    doc = "Load the tables into a database.\n\n    python -m pipeline.load_x [--package DIR]\n"
    assert ddl.loader_main(lambda out, package: called.append((out, package)), doc, []) == 0
    assert ddl.loader_main(lambda out, package: called.append((out, package)), doc,
                           ["--out", "db", "--package", "pkg"]) == 0
    # by default the staged build's build/ folder, loaded from the staged build's tables/
    assert called == [(REPO / "build" / "stage" / "build", REPO / "build" / "stage"), (Path("db"), Path("pkg"))]
    assert capsys.readouterr() == ("", "")

    def failing(out, package):
        raise OSError("no such table: items")
    assert ddl.loader_main(failing, doc, []) == 1
    assert capsys.readouterr() == ("", "error: loading the database failed: no such table: items\n")
    with pytest.raises(SystemExit) as e:
        ddl.loader_main(failing, doc, ["--help"])
    assert e.value.code == 0
    shown = " ".join(capsys.readouterr().out.split())
    assert "Load the tables into a database." in shown and "--package PACKAGE package root holding the built tables/" in shown


# ---- the printed tables as typed: each refusal in full (file, row, column, value, what to fix) ----

ROLES = {"Chief executives": "chief_executive", "Overall": "all_respondents"}
HEADER = ["", "Chief executives (n=59)", "Overall (n=472)"]


def results(tmp_path, rows, header=HEADER, table_id="T2.1", labels=("Doctors lead", "Managers lead"), marked=True):
    path = tmp_path / "table_2.1.csv"
    write_csv(path, [header, *rows])
    return t.read_results_table(table_id, path, ROLES, set(labels), marked)


def refused(tmp_path, rows, **kwargs) -> str:
    with pytest.raises(t.TranscriptionError) as e:
        results(tmp_path, rows, **kwargs)
    return str(e.value)


def test_a_results_table_read_in_its_parts(tmp_path):
    table = results(tmp_path, [["Doctors lead †", "72% (59)", "60%*** -"], ["2002 figures", "76%", "47%"],
                               ["Managers lead", "0% (0)", "12% n.s."]])
    assert (table.table_id, table.path, table.stub_header) == ("T2.1", "transcription/printed/table_2.1.csv", "")
    first, second = table.items
    assert (first.row_label, first.reverse_worded, first.row_number) == ("Doctors lead", True, 1)
    assert (second.row_label, second.reverse_worded, second.row_number) == ("Managers lead", False, 2)
    ce, overall = first.cells_2015
    # a count equal to the column's n is allowed
    assert (ce.path, ce.row, ce.column, ce.text, ce.role_group, ce.group_n, ce.percent, ce.count) == (
        "transcription/printed/table_2.1.csv", 2, "Chief executives (n=59)", "72% (59)", "chief_executive", 59, 72, 59)
    assert (ce.marker, ce.marker_text, ce.fisher) == (None, None, False)
    assert (overall.role_group, overall.group_n, overall.count, overall.marker, overall.marker_text, overall.fisher) == (
        "all_respondents", 472, None, "***", "*** -", True)
    assert [(c.percent, c.group_n, c.row) for c in first.cells_2002] == [(76, None, 3), (47, None, 3)]
    assert (second.cells_2015[1].marker, second.cells_2015[1].marker_text, second.cells_2002) == ("n.s.", "n.s.", [])


def test_a_results_table_refused_cell_by_cell(tmp_path):
    where = "transcription/printed/table_2.1.csv"
    ok = ["Managers lead", "10% (6)", "12%**"]
    assert refused(tmp_path, [ok], header=["", "Nurses (n=5)", "Overall (n=472)"]) == (
        f"{where}, row 1, column 'Nurses (n=5)', value 'Nurses': unknown role group; transcription/curation/role_groups.csv "
        "knows Chief executives, Overall")
    assert refused(tmp_path, [ok], header=["", "Chief executives n=59", "Overall (n=472)"]) == (
        f"{where}, row 1, column 'Chief executives n=59', value 'Chief executives n=59': unknown role group; "
        "transcription/curation/role_groups.csv knows Chief executives, Overall")
    assert refused(tmp_path, [["2002 figures", "76%", "47%"], ok]) == (
        f"{where}, row 2, column '(row label)', value '2002 figures': a '2002 figures' row must directly follow an item "
        "row of Table 2.1")
    assert refused(tmp_path, [ok, ["2002 figures", "76%", "47%"]], table_id="T2.2") == (
        f"{where}, row 3, column '(row label)', value '2002 figures': a '2002 figures' row must directly follow an item "
        "row of Table 2.1")
    assert refused(tmp_path, [ok, ["2002 figures", "76%", "47%"], ["2002 figures", "76%", "47%"]]) == (
        f"{where}, row 4, column '(row label)', value '2002 figures': a '2002 figures' row must directly follow an item "
        "row of Table 2.1")
    assert refused(tmp_path, [ok, ["Managers lead †", "10% (6)", "12%**"]]) == (
        f"{where}, row 3, column '(row label)', value 'Managers lead †': duplicated row: the same label is at row 2")
    assert refused(tmp_path, [["Nurses lead", "10% (6)", "12%**"]], header=["Item", *HEADER[1:]]) == (
        f"{where}, row 2, column 'Item', value 'Nurses lead': row label is not in transcription/curation/items.csv; add it "
        "there with an item_id")
    assert refused(tmp_path, [ok, ["2002 figures", "76% (40)", "47%"]]) == (
        f"{where}, row 3, column 'Chief executives (n=59)', value '76% (40)': 2002 figures are printed as a bare percentage")
    assert refused(tmp_path, [ok, ["2002 figures", "76%", "47%*"]]) == (
        f"{where}, row 3, column 'Overall (n=472)', value '47%*': 2002 figures are printed as a bare percentage")
    assert refused(tmp_path, [["Managers lead", "10% (6)", "12%"]]) == (
        f"{where}, row 2, column 'Overall (n=472)', value '12%': the overall column of Tables 2.1 to 2.7 prints a "
        "significance marker")
    assert refused(tmp_path, [["Managers lead", "10%", "12%**"]]) == (
        f"{where}, row 2, column 'Chief executives (n=59)', value '10%': a role group's 2015 cell prints a count in "
        "parentheses")
    assert refused(tmp_path, [["Managers lead", "10% (60)", "12%**"]]) == (
        f"{where}, row 2, column 'Chief executives (n=59)', value '10% (60)': count 60 is above the column's n=59")
    assert refused(tmp_path, [ok], labels=("Managers lead", "Doctors lead", "Boards lead")) == (
        f"{where}, row 3, column '(row label)', value 'Boards lead': row of transcription/curation/items.csv is not in "
        "the transcription")
    # a table that prints no markers: an overall cell without one is as printed
    assert [c.marker for c in results(tmp_path, [["Managers lead", "10% (6)", "12%"]], labels=("Managers lead",),
                                      marked=False).items[0].cells_2015] == [None, None]


def profile(tmp_path, rows, header=("Role", "Inside", "Outside"), categories=("Inside", "Outside")):
    path = tmp_path / "table_1.1.csv"
    write_csv(path, [list(header), *rows])
    roles = {"Chief executive": "chief_executive", "Medical director": "medical_director"}
    return t.read_profile_table("T1.1", path, roles, None if categories is None else list(categories))


def test_a_profile_table_read_and_refused(tmp_path):
    table = profile(tmp_path, [["Chief executive", "39%", "61%"], ["Medical director", "12%", "88%"]])
    assert (table.table_id, table.path, table.stub_header, table.columns, table.lines) == (
        "T1.1", "transcription/printed/table_1.1.csv", "Role", ["Inside", "Outside"], [2, 3])
    assert table.rows == [("chief_executive", [("Inside", "39%"), ("Outside", "61%")]),
                          ("medical_director", [("Inside", "12%"), ("Outside", "88%")])]
    # a table without categories (the participants of Table 1.3): any columns
    assert profile(tmp_path, [["Chief executive", "5"]], header=("Role", "Number"), categories=None).columns == ["Number"]
    where = "transcription/printed/table_1.1.csv"
    for rows, header, categories, said in [
        ([], ("Role", "Inside", "Seconded"), ("Inside",), f"{where}, row 1, column 'Seconded', value 'Seconded': column "
         "is not in transcription/curation/categories.csv; add it there with a category_id"),
        ([], ("Role", "Inside"), ("Inside", "Outside"), f"{where}, row 1, column 'Outside', value '': column of "
         "transcription/curation/categories.csv is missing"),
        ([["Chief executive", "1%", "2%"], ["Nurse director", "3%", "4%"]], ("Role", "Inside", "Outside"),
         ("Inside", "Outside"), f"{where}, row 3, column 'Role', value 'Nurse director': unknown role group; "
         "transcription/curation/role_groups.csv knows Chief executive, Medical director"),
    ]:
        with pytest.raises(t.TranscriptionError) as e:
            profile(tmp_path, rows, header, categories)
        assert str(e.value) == said


def figure(text, unit="percent", subject="respondents", role_group="", row=7):
    return {"figure_id": f"f{row}", "subject": subject, "role_group": role_group, "value_text": text, "unit": unit,
            "_path": "transcription/printed/text_figures.csv", "_row": row}


def test_a_text_figures_value_read_by_hand():
    from datetime import date

    from pipeline import tidy
    assert tidy.parse_value(figure("18%")) == (18.0, "exact", None, None)
    assert tidy.parse_value(figure("2,650", "count")) == (2650.0, "exact", None, None)
    assert tidy.parse_value(figure("Around 88%")) == (88.0, "around", None, None)
    assert tidy.parse_value(figure("Over two thirds")) == (66.7, "over", None, None)
    assert tidy.parse_value(figure("less than half")) == (50, "less_than", None, None)
    assert tidy.parse_value(figure("At least eleven", "count")) == (11, "at_least", None, None)
    assert tidy.parse_value(figure("typically around 5% or lower")) == (5, "less_than", None, None)
    assert tidy.parse_value(figure("May–June 2015", "period")) == (None, "exact", date(2015, 5, 1), date(2015, 6, 30))
    assert tidy.parse_value(figure("over February 2016", "period")) == (None, "over", date(2016, 2, 1), date(2016, 2, 29))
    where = "transcription/printed/text_figures.csv, row 7, column 'value_text'"
    for text, unit, said in [
        ("Summer 2015", "period", "a period must name its month(s) and year, like 'May–June 2015'"),
        ("May–June", "period", "a period must name its month(s) and year, like 'May–June 2015'"),
        ("18", "percent", "not a figure of unit 'percent' as printed (for example '18%', '2,650', 'Around 88%')"),
        ("18%", "count", "not a figure of unit 'count' as printed (for example '18%', '2,650', 'Around 88%')"),
        ("Around", "percent", "not a figure of unit 'percent' as printed (for example '18%', '2,650', 'Around 88%')"),
    ]:
        with pytest.raises(t.TranscriptionError) as e:
            tidy.parse_value(figure(text, unit))
        assert str(e.value) == f"{where}, value {text!r}: {said}"


def test_role_groups_from_the_curation_and_the_texts_figures():
    from types import SimpleNamespace

    from pipeline import tidy

    def group(g, row, sort_order, medical):
        return {"role_group": g, "column_label": g.title(), "row_label": "" if g == "everyone" else g, "level": "board",
                "medical": medical, "sort_order": sort_order, "_row": row}
    figures = [figure("1,234", "count", "respondents", "everyone"), figure("18%", subject="response rate", role_group="everyone"),
               figure("59", "count", "respondents", "ce"), figure("13%", subject="share of respondents", role_group="ce"),
               figure("34%", subject="response rate", role_group="ce")]
    t_ = SimpleNamespace(curation={"role_groups": [group("everyone", 2, "2", ""), group("ce", 3, "1", "false")]},
                         text_figures=figures)
    assert tidy.role_groups(t_) == [
        {"role_group": "ce", "column_label": "Ce", "row_label": "ce", "respondents": 59, "share_of_respondents_percent": 13,
         "response_rate_percent": 34, "level": "board", "medical": False, "sort_order": 1},
        {"role_group": "everyone", "column_label": "Everyone", "row_label": None, "respondents": 1234,
         "share_of_respondents_percent": None, "response_rate_percent": 18, "level": "board", "medical": None,
         "sort_order": 2}]
    for subject in ("respondents", "response rate"):
        t_.text_figures = [f for f in figures if not (f["role_group"] == "ce" and f["subject"] == subject)]
        with pytest.raises(t.TranscriptionError) as e:
            tidy.role_groups(t_)
        assert str(e.value) == (
            f"transcription/curation/role_groups.csv, row 3, column 'role_group', value 'ce': "
            f"transcription/printed/text_figures.csv has no figure with subject {subject!r} for this role group")


def test_a_dagger_row_needs_its_tables_note():
    from types import SimpleNamespace

    from pipeline import tidy
    item = t.Item("Managers lead", True, 1, [])
    note = "* p < 0.05. † Reverse-worded: disagreeing is favourable. Source: survey."
    t_ = SimpleNamespace(
        results={"T2.2": t.ResultsTable("T2.2", "transcription/printed/table_2.2.csv", "", [item])},
        captions=[{"table_id": "T2.2", "footnote": note, "_row": 6}],
        curation={"items": [{"table_id": "T2.2", "row_label": "Managers lead", "item_id": "managers_lead",
                             "question_type": "agreement", "percent_counts": "agree", "favourable": "",
                             "factor_id": ""}],
                  "tables": [{"table_id": "T2.2", "theme": "relationships"}]})
    (row,) = tidy.items(t_)
    assert (row["reverse_worded"], row["reverse_worded_note"], row["favourable"], row["factor_id"]) == (
        True, "Reverse-worded: disagreeing is favourable.", None, None)
    t_.captions[0]["footnote"] = "* p < 0.05."
    with pytest.raises(t.TranscriptionError) as e:
        tidy.items(t_)
    assert str(e.value) == (
        "transcription/printed/captions.csv, row 6, column 'footnote', value '* p < 0.05.': the row 'Managers lead' of "
        "transcription/printed/table_2.2.csv carries the dagger (†) but this footnote has no '† ...' note")


def test_duckdb_create_table_from_a_schema_with_composite_keys(monkeypatch):
    # Every key of the package is one column but the primary keys: a composite foreign key written by hand here,
    # and a reference to the table itself, which DuckDB cannot declare and the loader leaves out.
    from pipeline import ddl
    schema = {"fields": [{"name": "item_id", "type": "string", "constraints": {"required": True}},
                         {"name": "survey_year", "type": "integer", "constraints": {"required": True}},
                         {"name": "parent_id", "type": "string"}, {"name": "share", "type": "number", "constraints": {}}],
              "primaryKey": ["item_id", "survey_year"],
              "foreignKeys": [{"fields": ["item_id", "survey_year"],
                               "reference": {"resource": "waves", "fields": ["item_id", "year"]}},
                              {"fields": ["parent_id"], "reference": {"resource": "cells", "fields": ["item_id"]}}]}
    monkeypatch.setattr(ddl.schemas, "schema", lambda name: schema)
    assert ddl.duckdb_create_table("cells") == (
        "CREATE TABLE cells (\n"
        "    item_id VARCHAR NOT NULL,\n"
        "    survey_year BIGINT NOT NULL,\n"
        "    parent_id VARCHAR,\n"
        "    share DOUBLE,\n"
        "    PRIMARY KEY (item_id, survey_year),\n"
        "    FOREIGN KEY (item_id, survey_year) REFERENCES waves (item_id, year)\n"
        ")")


def test_frictionless_errors_explained_by_row_column_value_and_what_to_fix(tmp_path):
    # A schema of its own (keys of two columns, an enum, a pattern) and Frictionless's errors as it reports them
    # (type, note, row, field, cell): what the contributor is told, in full.
    from types import SimpleNamespace as E
    schema = {"fields": [{"name": "table_id", "type": "string", "description": "The table's id.",
                          "constraints": {"required": True}},
                         {"name": "level", "type": "integer", "constraints": {"enum": [1, 2]}},
                         {"name": "code", "type": "string", "description": "A code.", "constraints": {"pattern": "[a-z]+"}}],
              "primaryKey": ["table_id", "level"],
              "foreignKeys": [{"fields": ["table_id"], "reference": {"resource": "tables", "fields": ["table_id"]}}]}
    path = tmp_path / "odd_input.json"
    path.write_text(json.dumps(schema), encoding="utf-8")
    res = {"name": "odd_input", "schema": str(path), "path": "transcription/curation/odd_input.csv"}

    def said(**error):
        return t.explain(E(**{"row_number": None, "field_name": "", "note": "", **error}), res)
    assert said(type="source-error", note="the file is empty") == (1, "", "", "file is empty; it needs a header row")
    assert said(type="scheme-error", note="[Errno 2] No such file") == (0, "", "", "file is missing")
    assert said(type="extra-label", label="colour") == (1, "colour", "colour", f"column is not in {path}")
    assert said(type="missing-label", field_name="code") == (1, "code", "", f"column 'code' is missing from the header ({path})")
    assert said(type="incorrect-label", field_name="level", label="lvl") == (
        1, "level", "lvl", f"column heading must read 'level' ({path})")
    assert said(type="extra-cell", row_number=4, field_name="", cells=["T2.1", "1", "ab", "x"]) == (
        4, "", "T2.1,1,ab,x", "row has 4 cells but the header has 3")
    assert said(type="primary-key", row_number=5, cells=["T2.1", "1", "ab"], note='the same as in the row at position 2') == (
        5, "table_id", "T2.1", "duplicated row: table_id, level is the same as in the row at position 2")
    assert said(type="foreign-key", row_number=6, cells=["T9.9", "1", "ab"],
                note='for "table_id": values "T9.9" not found in the lookup table') == (
        6, "table_id", "T9.9", "unknown value: no such table_id in transcription/curation/tables.csv; add it there or "
        "correct it")
    assert said(type="encoding-error", message="the file is not UTF-8") == (1, "", "", "the file is not UTF-8")
    assert said(type="encoding-error", row_number=3, message="the file is not UTF-8") == (3, "", "", "the file is not UTF-8")
    assert said(type="unique-error", row_number=7, field_name="code", cell="ab", note="the same as in the row at position 3") == (
        7, "code", "ab", "duplicated row: code is the same as in the row at position 3")
    assert said(type="constraint-error", row_number=8, field_name="level", cell="3",
                note='constraint "enum" is "[1, 2]"') == (8, "level", "3", f"unknown value; {path} allows 1, 2")
    assert said(type="constraint-error", row_number=9, field_name="code", cell="A1",
                note='constraint "pattern" is "[a-z]+"') == (
        9, "code", "A1", "not in the form the column allows; the column holds: A code.")
    assert said(type="constraint-error", row_number=9, field_name="table_id", cell="",
                note='constraint "required" is "True"') == (
        9, "table_id", "", "a value is required; the column holds: The table's id.")
    assert said(type="type-error", row_number=10, field_name="level", cell="one", note="type is integer") == (
        10, "level", "one", "not a value of type integer; the column holds: ")
    # a constraint with no words of its own: Frictionless's note stands
    assert said(type="constraint-error", row_number=11, field_name="code", cell="abcdef",
                note='constraint "maxLength" is "5"') == (
        11, "code", "abcdef", 'constraint "maxLength" is "5"; the column holds: A code.')


def test_where_figures_were_typed_cited_row_by_row():
    a = t.Source("transcription/printed/table_2.2.csv", 4, "Chief executives (n=59)", "70% (40)")
    b = t.Source("transcription/printed/table_2.2.csv", 4, "Overall (n=472)", "57%***")
    c = t.Source("transcription/printed/text_figures.csv", 9, "value_text", "Around 88%")
    assert t.cite([a, c, b, a]) == (
        "transcription/printed/table_2.2.csv, row 4: column 'Chief executives (n=59)' cell '70% (40)', "
        "column 'Overall (n=472)' cell '57%***'; transcription/printed/text_figures.csv, row 9, column 'value_text', "
        "cell 'Around 88%'")


def test_each_kind_of_printed_figure_keyed_to_where_it_was_typed():
    # Places read by hand from the committed inputs (transcription/): line numbers with the header as row 1.
    from package_frames import transcription
    found = t.sources(transcription())
    S, CE = t.Source, "Chief executives (n=59)"
    assert found[("survey_results", "positive_rating_local_relationships", 2015, "chief_executive")] == S(
        "transcription/printed/table_2.1.csv", 2, CE, "72% (42)")
    assert found[("survey_results", "positive_rating_local_relationships", 2002, "all_respondents")] == S(
        "transcription/printed/table_2.1.csv", 3, "Overall (n=472)", "47%")
    assert found[("group_n", "T2.1", "chief_executive")] == S("transcription/printed/table_2.1.csv", 1, CE, CE)
    assert found[("role_profile", "T1.1", "headhunted_from_outside", "chief_executive")] == S(
        "transcription/printed/table_1.1.csv", 2, "Headhunted from outside this organisation", "39%")
    assert found[("interview_participants", "chief_executive")] == S("transcription/printed/table_1.3.csv", 2, "Number", "5")
    assert found[("text_figures", "online_recipients")] == S("transcription/printed/text_figures.csv", 2, "value_text", "2,650")
    assert found[("claims", "kp_overall_positive_rose")] == S(
        "transcription/curation/claims.csv", 2, "claim", "The overall share rating local relationships positively has "
        "risen since 2002")
    assert found[("paper_2002_figures", "relationships_likely_to_improve", "chief_executive")] == S(
        "transcription/curation/paper_2002_figures.csv", 4, "value_text", "78% (80/102)")
    # the paper's p-value (row 7) is about several items: no figure of one, no key
    assert not [k for k in found if k[0] == "paper_2002_figures" and not k[1]]


def test_profile_tables_split_into_categories_and_participants_whatever_their_order():
    # Participants tables (no categories) typed before and after tables of categories, numbered past 9 so that
    # their printed order (1.2 before 1.10) is not the order of their ids as text.
    from types import SimpleNamespace

    from pipeline import tidy

    def caption(tid, n):
        return {"table_id": tid, "title": f"Table {tid[1:]} (n={n})", "footnote": "", "_row": 2}

    def curated(tid):
        return {"table_id": tid, "theme": "roles", "section": "1", "also_printed_as": "", "percentage_base": "all",
                "significance_test": ""}

    def participants(tid, n):
        return t.ProfileTable(tid, "p.csv", "Role", ["Number"], [("chief_executive", [("Number", str(n))])])

    def shares(tid, inside):
        return t.ProfileTable(tid, "s.csv", "Role", ["Inside"], [("chief_executive", [("Inside", f"{inside}%")])])
    tables = {"T1.3": participants("T1.3", 5), "T1.10": shares("T1.10", 40), "T1.11": participants("T1.11", 7),
              "T1.9": shares("T1.9", 30)}
    t_ = SimpleNamespace(captions=[caption(tid, 100 + i) for i, tid in enumerate(tables)], results={}, profiles=tables,
                         curation={"tables": [curated(tid) for tid in tables],
                                   "categories": [{"table_id": tid, "column_label": "Inside", "category_id": "inside"}
                                                  for tid in ("T1.9", "T1.10")]})
    assert tidy.role_profile(t_) == [
        {"table_id": "T1.9", "role_group": "chief_executive", "category_id": "inside", "category_label": "Inside",
         "percent": 30, "table_n": 103, "cell_text": "30%"},
        {"table_id": "T1.10", "role_group": "chief_executive", "category_id": "inside", "category_label": "Inside",
         "percent": 40, "table_n": 101, "cell_text": "40%"}]
    assert tidy.interview_participants(t_) == [
        {"table_id": "T1.3", "role_group": "chief_executive", "participants": 5, "table_n": 100},
        {"table_id": "T1.11", "role_group": "chief_executive", "participants": 7, "table_n": 102}]


def test_a_papers_statement_about_several_items_does_not_end_its_figures():
    # the p-value comes first here: the figure after it still makes its row
    from types import SimpleNamespace

    from pipeline import tidy
    t_ = SimpleNamespace(curation={"paper_2002_figures": [
        {"item_id": "", "role_group": "", "value_text": "P<0.01", "percent": "", "count": "", "denominator": "",
         "compares_as": ""},
        {"item_id": "a", "role_group": "md", "value_text": "37% (164/443)", "percent": "37", "count": "164",
         "denominator": "443", "compares_as": ""}]})
    rows = tidy._with_paper_figures(t_, [], {"a": "T2.1"})
    assert [(r["item_id"], r["role_group"], r["percent"], r["paper_2003_count"], r["paper_2003_denominator"]) for r in rows] == [
        ("a", "md", 37, 164, 443)]


def test_a_texts_figure_restated_becomes_one_row():
    # the text gives the same item, wave and group twice: the first is the figure, the restatement stays in text_figures
    from types import SimpleNamespace

    from pipeline import tidy

    def said(fid, text, compares_as=""):
        return {"figure_id": fid, "item_id": "i", "survey_year": "2002", "role_group": "chief_executive",
                "unit": "percent", "value_text": text, "compares_as": compares_as, "_path": "text_figures.csv", "_row": 2}
    t_ = SimpleNamespace(text_figures=[said("f1", "30%", "complement"), said("f2", "70%")])
    rows = tidy._text_rows(t_, set(), {"i": "T2.1"})
    assert [(r["figure_id"], r["percent"], r["compares_as"], r["derived_percent_on_item_wording"]) for r in rows] == [
        ("f1", 30, "complement", 70)]


def test_a_problem_of_a_whole_file_names_the_file_alone():
    e = t.TranscriptionError(Path("transcription/printed/captions.csv"), None, None, None, "starts with a byte-order mark")
    assert (str(e), e.path) == ("transcription/printed/captions.csv starts with a byte-order mark",
                                "transcription/printed/captions.csv")


@pytest.mark.parametrize("guess, said", [
    ("", "byte 4 of the file (byte 0 of the row), 0xE9, is not UTF-8: save it as UTF-8"),
    ("cp1252", "byte 4 of the file (byte 0 of the row), 0xE9, is not UTF-8; the file looks like cp1252: save it as UTF-8"),
])
def test_a_byte_that_is_not_utf8_said_with_or_without_a_guess(tmp_path, monkeypatch, guess, said):
    monkeypatch.setattr(t, "looks_like", lambda data: guess)
    path = tmp_path / "x.csv"
    path.write_bytes(b"a,b\n\xe9x,y\n")
    with pytest.raises(t.TranscriptionError) as e:
        t.check_encoding(path, "transcription/x.csv")
    assert e.value.problem == said


def test_survey_results_in_printed_order_then_the_texts_and_the_papers_figures():
    # Tables 2.2 and 2.10 (printed in that order, though 'T2.10' sorts first as text); the text's figures: one not
    # exact, one exact, one of no role group, one not a percentage; the paper's figure of a cell the report
    # prints nowhere.
    from types import SimpleNamespace

    from pipeline import tidy

    def cell(text, group, n, percent, count, marker=None, fisher=False):
        return t.Cell("p.csv", 2, "col", text, group, n, percent, count, marker, text[len(str(percent)) + 1:] or None,
                      fisher)

    def said(fid, text, group="medical_director", unit="percent"):
        return {"figure_id": fid, "item_id": "two", "survey_year": "2002", "role_group": group, "unit": unit,
                "value_text": text, "compares_as": "", "_path": "text_figures.csv", "_row": 2}
    two = t.Item("Two", False, 1, [cell("70% (7)", "chief_executive", 10, 70, 7), cell("60%*** -", "all_respondents", 20, 60,
                                                                                     None, "***", True)],
                 [cell("50%", "chief_executive", None, 50, None)])
    ten = t.Item("Ten", False, 1, [cell("40%*", "all_respondents", 20, 40, None, "*")])
    t_ = SimpleNamespace(
        results={"T2.10": t.ResultsTable("T2.10", "p10.csv", "", [ten]), "T2.2": t.ResultsTable("T2.2", "p2.csv", "", [two])},
        curation={"items": [{"table_id": "T2.10", "row_label": "Ten", "item_id": "ten"},
                            {"table_id": "T2.2", "row_label": "Two", "item_id": "two"}],
                  "paper_2002_figures": [{"item_id": "ten", "role_group": "medical_director", "value_text": "30%",
                                          "percent": "30", "count": "", "denominator": "", "compares_as": ""}]},
        text_figures=[said("f0", "Around 20%"), said("f1", "25%"), said("f2", "33%", group=""),
                      said("f3", "12", group="clinical_director", unit="count")])
    table = {"count": None, "group_n": None, "printed_in": "table", "table_row": 1, "compares_as": "same"}
    assert tidy.survey_results(t_) == [
        {**table, "table_id": "T2.2", "item_id": "two", "survey_year": 2015, "role_group": "chief_executive", "percent": 70,
         "count": 7, "group_n": 10, "cell_text": "70% (7)", "derived_percent_on_item_wording": 70},
        {**table, "table_id": "T2.2", "item_id": "two", "survey_year": 2015, "role_group": "all_respondents", "percent": 60,
         "group_n": 20, "cell_text": "60%*** -", "derived_percent_on_item_wording": 60},
        {**table, "table_id": "T2.2", "item_id": "two", "survey_year": 2002, "role_group": "chief_executive", "percent": 50,
         "cell_text": "50%", "derived_percent_on_item_wording": 50},
        {**table, "table_id": "T2.10", "item_id": "ten", "survey_year": 2015, "role_group": "all_respondents", "percent": 40,
         "group_n": 20, "cell_text": "40%*", "derived_percent_on_item_wording": 40},
        {"table_id": "T2.2", "item_id": "two", "survey_year": 2002, "role_group": "medical_director", "percent": 25,
         "count": None, "group_n": None, "cell_text": "25%", "printed_in": "text", "figure_id": "f1", "compares_as": "same",
         "derived_percent_on_item_wording": 25},
        {"table_id": "T2.10", "item_id": "ten", "survey_year": 2002, "role_group": "medical_director", "percent": 30,
         "count": None, "group_n": None, "cell_text": "30%", "printed_in": "2003 paper", "compares_as": "same",
         "derived_percent_on_item_wording": 30, "paper_2003_text": "30%", "paper_2003_percent": 30,
         "paper_2003_count": None, "paper_2003_denominator": None}]
    assert tidy.printed_significance(t_) == [
        {"item_id": "two", "table_id": "T2.2", "marker": "***", "test": "fisher_exact", "marker_text": "*** -"},
        {"item_id": "ten", "table_id": "T2.10", "marker": "*", "test": "chi_squared", "marker_text": "*"}]


def test_survey_waves_keep_no_reading_notes():
    # the curated rows' line numbers ('_row') are the reader's, not the resource's
    from types import SimpleNamespace

    from pipeline import tidy
    t_ = SimpleNamespace(
        text_figures=[figure("May–June 2015", "period", row=3) | {"figure_id": "online_fieldwork"},
                      figure("July–August 2015", "period", row=4) | {"figure_id": "postal_fieldwork"},
                      figure("472", "count", row=5) | {"figure_id": "responses"}],
        curation={"survey_waves": [{"survey_year": "2002", "label": "2002 survey", "_row": 2},
                                   {"survey_year": "2015", "label": "2015 survey", "_row": 3}],
                  "wave_2002": [{"fact_id": "fieldwork_period", "derived_period_start": "2002-01-01",
                                 "derived_period_end": "2002-03-31"}, {"fact_id": "respondents_all", "value": "1404"}]})
    assert tidy.survey_waves(t_) == [
        {"survey_year": 2015, "label": "2015 survey", "fieldwork_start": "2015-05-01", "fieldwork_end": "2015-08-31",
         "respondents": 472},
        {"survey_year": 2002, "label": "2002 survey", "fieldwork_start": "2002-01-01", "fieldwork_end": "2002-03-31",
         "respondents": 1404}]


ITEMS = ["table_id", "row_label", "item_id", "factor_id", "question_type", "percent_counts", "favourable"]


def first_named(monkeypatch, tmp_path, errors, package_errors=()):
    """validate() with Frictionless's report stood in for: errors by input (its place in the input package, as
    listed), each as Frictionless gives it. Which one the contributor is told of first."""
    from types import SimpleNamespace

    import frictionless
    resources = t.inputs()["resources"]
    report = SimpleNamespace(tasks=[SimpleNamespace(errors=errors.get(r["name"], [])) for r in resources],
                             errors=list(package_errors))
    described = []

    class Package:
        def __init__(self, descriptor, basepath):
            described.append((descriptor["resources"][0]["path"], basepath))

        def validate(self):
            return report
    monkeypatch.setattr(frictionless, "Package", Package)
    with pytest.raises(t.TranscriptionError) as e:
        t.validate(tmp_path)  # an empty folder: no file to check the encoding of
    assert described == [("printed/captions.csv", str(tmp_path))]
    return e.value.path, e.value.row, e.value.column


def cell_error(kind, row, field, note='constraint "required" is "True"'):
    from types import SimpleNamespace
    return SimpleNamespace(type=kind, row_number=row, field_number=ITEMS.index(field) + 1 if field else None,
                           field_name=field, cell="", cells=["T2.1", "a label", "an_item", "", "", "", ""], note=note,
                           message="the row is blank", label="")


def test_the_first_error_named_is_a_files_own_before_a_foreign_key_then_by_row_and_cell(monkeypatch, tmp_path):
    items = "transcription/curation/items.csv"
    fk = cell_error("foreign-key", 2, "table_id", note='for "table_id": values "T9" not found')
    later = cell_error("constraint-error", 9, "item_id")
    # captions come first in the package, but a foreign key is named after every file's own errors
    assert first_named(monkeypatch, tmp_path, {"captions": [fk], "items": [later]}) == (items, 9, "item_id")
    assert first_named(monkeypatch, tmp_path, {"items": [later, cell_error("constraint-error", 4, "favourable")]}) == (
        items, 4, "favourable")
    # within a row: a missing cell, then a cell's own error, then the row's key
    key = cell_error("primary-key", 5, "table_id", note="the same as in the row at position 2")
    required = cell_error("constraint-error", 5, "favourable")
    short = cell_error("missing-cell", 5, "percent_counts")
    assert first_named(monkeypatch, tmp_path, {"items": [key, required, short]}) == (items, 5, "percent_counts")
    assert first_named(monkeypatch, tmp_path, {"items": [key, required]}) == (items, 5, "favourable")
    # within a row and kind: by column, an error of the whole row first
    assert first_named(monkeypatch, tmp_path, {"items": [cell_error("constraint-error", 6, "favourable"),
                                                         cell_error("constraint-error", 6, "row_label")]}) == (
        items, 6, "row_label")
    assert first_named(monkeypatch, tmp_path, {"items": [cell_error("constraint-error", 6, "table_id"),
                                                         cell_error("blank-row", 6, "")]}) == (items, 6, "")
    # two errors of one cell: the first reported
    both = [cell_error("constraint-error", 7, "item_id"), cell_error("constraint-error", 7, "item_id", 'constraint "pattern" is "x"')]
    assert first_named(monkeypatch, tmp_path, {"items": both}) == (items, 7, "item_id")
    # a heading the report leaves blank (a trailing comma) is not an error of its own; a blank named heading is
    blank = cell_error("blank-label", None, "")
    assert first_named(monkeypatch, tmp_path, {"captions": [blank], "items": [later]}) == (items, 9, "item_id")
    named_blank = cell_error("blank-label", None, "favourable")
    assert first_named(monkeypatch, tmp_path, {"items": [later, named_blank]}) == (items, 1, "favourable")


def test_an_input_package_frictionless_cannot_read_is_said_so(monkeypatch, tmp_path):
    from types import SimpleNamespace

    import frictionless
    report = SimpleNamespace(tasks=[], errors=[SimpleNamespace(message="descriptor is not valid"),
                                               SimpleNamespace(message="names are not unique")])
    monkeypatch.setattr(frictionless, "Package", lambda descriptor, basepath: SimpleNamespace(validate=lambda: report))
    with pytest.raises(ValueError) as e:
        t.validate(tmp_path)
    assert str(e.value) == "the input package is not valid: descriptor is not valid; names are not unique"


def test_a_byte_that_is_not_utf8_at_the_start_of_a_row(tmp_path):
    # a , b \n \xe9 x , y \n: the byte at 4 of the file, 0 of its row, in the first column
    path = tmp_path / "x.csv"
    path.write_bytes(b"a,b\n\xe9x,y\n")
    with pytest.raises(t.TranscriptionError) as e:
        t.check_encoding(path, "transcription/x.csv")
    assert (e.value.path, e.value.row, e.value.column, e.value.value) == ("transcription/x.csv", 2, "a", "\\xe9x")
    assert e.value.problem.startswith("byte 4 of the file (byte 0 of the row), 0xE9, is not UTF-8")
