"""pipeline/: what the build, the loaders and the reading of the inputs promise, each on a small case the
package's own run does not reach (the check of the inputs in its second process, the encoding a file looks
like, the loaders writing beside their target and replacing what was there)."""
import json
import os
import time
from pathlib import Path

import pytest

from pipeline import transcription as t


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
    assert called == [(build.ROOT / "transcription", build.schemas.STAGE), (Path("in"), Path("there"))]
    assert capsys.readouterr() == ("", "")  # no timings unless asked for
    monkeypatch.setenv("BUILD_TIMINGS", "1")
    assert build.main([]) == 0
    assert capsys.readouterr() == ("", json.dumps(build.TIMINGS) + "\n")
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
    assert called == [(ddl.schemas.STAGE / "build", ddl.schemas.STAGE), (Path("db"), Path("pkg"))]
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
