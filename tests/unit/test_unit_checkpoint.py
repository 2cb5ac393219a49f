"""Great Expectations run by checks/checkpoint.py on small suites of a database made from the committed tables:
what passes, what fails and how it is reported. (tests/test_great_expectations.py runs every suite.)"""
import sqlite3

import pytest
from package_frames import ROOT  # the committed tables: the unit layer needs no build/

from checks import checkpoint, expectations
from pipeline import load_duckdb, load_sqlite

SMALL = ["items_without_2015_cells", "survey_results_completeness", "external_factors"]


@pytest.fixture
def small_suites(monkeypatch):
    suites = {e: {n: s for n, s in expectations.suites("sqlite" if e == "sqlite" else "pandas", ROOT).items() if n in SMALL}
              for e in ("sqlite", "duckdb")}
    monkeypatch.setattr(checkpoint, "SUITES", suites)
    return suites


def test_small_suites_pass_then_fail_on_sqlite(tmp_path, small_suites, capsys):
    db = load_sqlite.build(tmp_path)
    docs, passed = tmp_path / "validation", tmp_path / "expectations.passed"
    assert checkpoint.main(["--sqlite", str(db), "--package", str(ROOT), "--docs", str(docs), "--passed", str(passed)]) == 0
    out = capsys.readouterr().out
    assert out == f"Great Expectations: all 11 expectations passed on sqlite; report in {docs}/summary.html\n"
    assert passed.read_text() == "11 expectations passed\n"
    assert "<h1>Validation report: every expectation passed</h1>" in (docs / "summary.html").read_text()
    con = sqlite3.connect(db)
    con.execute("DELETE FROM external_factors WHERE rowid = 1")
    con.execute("DELETE FROM survey_results WHERE item_id = 'positive_rating_local_relationships' "
                "AND role_group = 'chief_executive' AND survey_year = 2015")
    con.commit()
    con.close()
    assert checkpoint.main(["--sqlite", str(db), "--package", str(ROOT), "--docs", str(docs), "--passed", str(passed)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert "error: expectation failed: sqlite.external_factors: expect_table_row_count_to_equal(value=8) failed " \
           "(observed: 7)" in err
    assert ("error: expectation failed: sqlite.survey_results_completeness: expect_column_values_to_be_in_set("
            "column='cells') failed (observed: 1)") in err
    assert ("error: expectation failed: sqlite.items_without_2015_cells: expect_table_row_count_to_equal(value=0) "
            "failed") not in "\n".join(err)
    assert err[-1] == f"Great Expectations: 3 of 11 expectations failed; report in {docs}/summary.html"
    assert not passed.exists()
    assert "<h1>Validation report: 3 expectations failed</h1>" in (docs / "summary.html").read_text()


def test_small_suites_on_duckdb(tmp_path, small_suites, capsys):
    db = load_duckdb.build(tmp_path)
    rows = checkpoint.run(None, db, tmp_path / "docs", processes=1)
    assert len(rows) == 11 and all(ok for _, _, ok, _ in rows)
    assert {suite for suite, _, _, _ in rows} == {f"duckdb.{n}" for n in SMALL}
    assert "the DuckDB tables and views (engine duckdb)" in (tmp_path / "docs/summary.html").read_text()


def test_suites_shared_between_processes_by_size():
    suites = {"a": ("a", [1, 2, 3]), "b": ("b", [1, 2]), "c": ("c", [1, 2]), "d": ("d", [1])}
    assert checkpoint.shares(suites, 2) == [["a", "d"], ["b", "c"]]
    assert checkpoint.shares(suites, 1) == [["a", "b", "c", "d"]]
    assert checkpoint.shares({"a": ("a", [1])}, 3) == [["a"]]


def test_the_source_commit(tmp_path, monkeypatch):
    commit = checkpoint.source_commit()
    assert len(commit) == 40 or commit == "unknown"
    monkeypatch.setattr(checkpoint.schemas, "ROOT", tmp_path)  # not a git checkout
    assert checkpoint.source_commit() == "unknown"


def test_a_part_of_the_suites_in_this_process(tmp_path, small_suites):
    # what each forked process runs (run_part), here in this process
    db = load_sqlite.build(tmp_path)
    rows = checkpoint.run_part(("sqlite", db, ["external_factors"]))
    assert [(s, ok) for s, _, ok, _ in rows] == [("sqlite.external_factors", True)] * len(rows)
    assert rows[1][1] == "expect_table_row_count_to_equal(value=8)" and rows[1][3] == 8
    first = rows[0][1]
    assert first.startswith("expect_table_columns_to_match_ordered_list(column_list=") and "batch_id" not in first
    assert any(e.startswith("expect_column_values_to_be_in_type_list(column=") and "type_list" not in e.split("(")[1]
               for _, e, _, _ in rows)
    duck = load_duckdb.build(tmp_path)
    rows = checkpoint.run_part(("duckdb", duck, ["survey_results_completeness"]))
    assert [(s, e, ok, seen) for s, e, ok, seen in rows][2] == (
        "duckdb.survey_results_completeness", "expect_table_row_count_to_equal(value=73)", True, 73)
    assert rows[0][3] == 0  # no unexpected values


def test_the_report_in_detail(monkeypatch):
    monkeypatch.setattr(checkpoint, "source_commit", lambda: "abc")
    rows = [("sqlite.b", "expect_b()", True, 1), ("sqlite.a", "expect_a()", True, 2), ("sqlite.a", "expect_x()", False, 3),
            ("duckdb.a", "expect_a()", True, 0)]
    assert checkpoint.by_resource(rows) == [("a", "duckdb", 1, 0), ("a", "sqlite", 1, 1), ("b", "sqlite", 1, 0)]
    page = checkpoint.summary_html(rows, ["sqlite"])
    version = checkpoint.schemas.package_metadata()["version"]
    assert page.startswith(f"<!doctype html><html lang=en><meta charset=utf-8><title>Validation report, version {version}"
                           '</title><meta name="viewport" content="width=device-width, initial-scale=1">'
                           "<style>body{font-family:sans-serif;margin:2em;max-width:80em}td,th{padding:2px 8px;"
                           "border-bottom:1px solid #ddd;text-align:left}.n{text-align:right}.fail{background:#fdd}"
                           "nav{margin-bottom:1em}code{overflow-wrap:anywhere}@media (max-width:700px){body{margin:0.5em}"
                           "table,tr,td,th{display:block}tr{border-bottom:2px solid #333;padding:0.3em 0}td,th{border:0;"
                           "text-align:left}}</style>")
    assert (f"<p>Package version {version}, built from source commit <code>abc</code>. 4 Great Expectations "
            "expectations,") in page
    summary = ("<tr class=pass><td>a</td><td>duckdb</td><td class=n>1</td><td class=n>1</td><td class=n>0</td></tr>"
               "<tr class=fail><td>a</td><td>sqlite</td><td class=n>2</td><td class=n>1</td><td class=n>1</td></tr>"
               "<tr class=pass><td>b</td><td>sqlite</td><td class=n>1</td><td class=n>1</td><td class=n>0</td></tr>"
               "</table>")
    assert summary in page
    body = ("<tr class=fail><td>sqlite.a</td><td><code>expect_x()</code></td><td>FAILED</td><td>3</td></tr>"
            "<tr class=pass><td>duckdb.a</td><td><code>expect_a()</code></td><td>passed</td><td>0</td></tr>"
            "<tr class=pass><td>sqlite.a</td><td><code>expect_a()</code></td><td>passed</td><td>2</td></tr>"
            "<tr class=pass><td>sqlite.b</td><td><code>expect_b()</code></td><td>passed</td><td>1</td></tr></table>")
    assert body in page


def test_the_report_folder_is_written_beside_and_renamed(tmp_path, small_suites, monkeypatch):
    made = []
    mkdtemp = checkpoint.tempfile.mkdtemp

    def recording(*args, **kwargs):
        made.append((args, kwargs))
        return mkdtemp(*args, **kwargs)
    db = load_sqlite.build(tmp_path / "db")
    docs = tmp_path / "not" / "yet" / "validation"
    monkeypatch.setattr(checkpoint.tempfile, "mkdtemp", recording)
    checkpoint.run(db, None, docs, processes=1)
    assert ((), {"prefix": ".validation-", "dir": docs.parent}) in made
    assert (docs / "summary.html").exists() and sorted(p.name for p in docs.parent.iterdir()) == ["validation"]

    def broken(rows, engines):
        raise RuntimeError("no report")
    monkeypatch.setattr(checkpoint, "summary_html", broken)
    with pytest.raises(RuntimeError):
        checkpoint.run(db, None, docs, processes=1)
    assert sorted(p.name for p in docs.parent.iterdir()) == ["validation"]  # nothing half-written left


def test_the_command_line_defaults(monkeypatch, capsys, tmp_path):
    seen = []

    def run(sqlite, duckdb, docs, package):
        seen.append((sqlite, duckdb, docs, package))
        return [("sqlite.a", "expect_a()", True, 1)]
    monkeypatch.setattr(checkpoint, "run", run)
    passed = ["--passed", str(tmp_path / "passed")]
    assert checkpoint.main(["--docs", str(tmp_path), *passed]) == 0
    assert checkpoint.main(["--engines", "sqlite,duckdb", "--docs", str(tmp_path), *passed]) == 0
    assert checkpoint.main(["--engines", "duckdb", "--docs", str(tmp_path), "--duckdb", "x.duckdb", *passed]) == 0
    stage = ROOT / "build" / "stage"  # the staged build, which publishing serves
    build = stage / "build"
    assert checkpoint.BUILD == build
    assert seen == [(build / "managing_doctors.sqlite", None, tmp_path, stage),
                    (build / "managing_doctors.sqlite", build / "managing_doctors.duckdb", tmp_path, stage),
                    (None, checkpoint.Path("x.duckdb"), tmp_path, stage)]
    assert (tmp_path / "passed").read_text() == "1 expectations passed\n"
    out = capsys.readouterr().out.splitlines()
    assert out[1] == f"Great Expectations: all 1 expectations passed on sqlite and duckdb; report in {tmp_path}/summary.html"
    seen.clear()

    def stop(sqlite, duckdb, docs, package):
        seen.append(docs)
        raise KeyboardInterrupt
    monkeypatch.setattr(checkpoint, "run", stop)
    with pytest.raises(KeyboardInterrupt):
        checkpoint.main(passed)
    assert seen == [build / "validation"]
    with pytest.raises(SystemExit):
        checkpoint.main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert ("Run the Great Expectations suites against what is served: the SQLite database Datasette serves (GX's"
            in text and text.endswith("--engines ENGINES comma-separated: sqlite, duckdb"))
    assert "--package PACKAGE package root holding the built tables/ --sqlite" in text
    assert "--passed PASSED written when every expectation passes (the Makefile's target) --engines" in text


def test_parts_of_several_suites_tables_and_queries_in_this_process(tmp_path, small_suites):
    db, duck = load_sqlite.build(tmp_path), load_duckdb.build(tmp_path)
    for engine, path in (("sqlite", db), ("duckdb", duck)):
        rows = checkpoint.run_part((engine, path, ["external_factors", "survey_results_completeness"]))
        assert [s for s, _, _, _ in rows] == [f"{engine}.external_factors"] * 7 + [
            f"{engine}.survey_results_completeness"] * 3
        assert all(ok for _, _, ok, _ in rows), [r for r in rows if not r[2]]
        in_set = [e for _, e, _, _ in rows if e.startswith("expect_column_values_to_be_in_set(")]
        assert in_set and all("value_set" not in e for e in in_set)


def test_an_expectation_with_several_arguments_reads_as_a_call(tmp_path, monkeypatch):
    monkeypatch.setattr(checkpoint, "SUITES", {"sqlite": {"view_row_counts": expectations.suites("sqlite", ROOT)["view_row_counts"]},
                                               "duckdb": {}})
    rows = checkpoint.run_part(("sqlite", load_sqlite.build(tmp_path), ["view_row_counts"]))
    assert rows[0][:3] == ("sqlite.view_row_counts",
                           "expect_column_values_to_be_between(column='change_since_2002', min_value=1.0)", True)


def test_the_source_commit_is_git_head():
    import subprocess
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=checkpoint.schemas.ROOT, capture_output=True, text=True)
    if head.returncode == 0:
        assert checkpoint.source_commit() == head.stdout.strip()


def test_by_resource_counts_every_outcome():
    rows = [("sqlite.b", "x()", True, 1), ("sqlite.b", "y()", True, 1), ("sqlite.b", "z()", False, 1)]
    assert checkpoint.by_resource(rows) == [("b", "sqlite", 2, 1)]


def test_the_report_links_home_and_names_its_tables():
    page = checkpoint.summary_html([("sqlite.b", "x()", True, 1)], ["sqlite"])
    assert '<nav><a href="/">Home</a> · <a href="/about">About this data</a></nav>' in page
    assert "<h2>By resource and engine</h2><table class=by-resource><tr><th>resource</th><th>engine</th>" in page
    assert "<h2>Every expectation</h2>" in page and page.endswith('<p><a href="/">Back to the home page</a></p></html>')
