"""What the site shows from the package, escaped: a title, description, label or value holding <&'" reaches
the page as text, never as markup; and the request checks that keep client mistakes out of the 5xx range."""
import importlib

import pytest

from checks import checkpoint
from web import metadata

NASTY = "<b>R&D</b> 'quoted' \"double\""
ESCAPED = "&lt;b&gt;R&amp;D&lt;/b&gt; &#x27;quoted&#x27; &quot;double&quot;"


def test_the_home_page_escapes_titles_descriptions_and_the_version(monkeypatch, tmp_path):
    package = {"description": NASTY, "version": NASTY,
               "resources": [{"name": "survey_results", "title": NASTY}, {"name": "items", "title": "Items"}]}
    monkeypatch.setattr(metadata, "download_files", lambda: {NASTY: tmp_path / "w.xlsx"})
    (tmp_path / "w.xlsx").write_bytes(b"12345")
    page = metadata.links(package)
    assert NASTY not in page and "<b>" not in page
    assert page.count(ESCAPED) == 4  # the description, the version, a resource's title, a download's label
    assert page.startswith(f"<p>{ESCAPED}</p><h2 id=\"downloads\">Version {ESCAPED}</h2><ul><li>"
                           f"<a href=\"/downloads/w.xlsx\">{ESCAPED}</a>: w.xlsx, 0.0 KB, SHA-256 <code>")
    assert (f"<li>{ESCAPED}: <a href=\"/csv/survey_results.csv\">CSV</a>, <a href=\"/parquet/survey_results.parquet\">"
            "Parquet</a>, <a href=\"/managing_doctors/survey_results\">browse</a></li>") in page
    assert "5994471abb01112afcc18159f6cc74b4f511b99806da59b3caf5a9c173cacfc5" in page  # sha256 of 12345


def test_no_downloads_no_version_heading(monkeypatch):
    monkeypatch.setattr(metadata, "download_files", lambda: {})
    assert metadata.downloads_html("1.0") == ""


def test_sizes():
    assert metadata.size(1023) == "1.0 KB" and metadata.size(1536) == "1.5 KB"
    assert metadata.size(1024 ** 2) == "1.0 MB" and metadata.size(3 * 1024 ** 2 + 1024 ** 2 // 2) == "3.5 MB"


def test_the_validation_report_escapes_every_value(monkeypatch):
    monkeypatch.setattr(checkpoint, "source_commit", lambda: NASTY)
    rows = [(f"sqlite.{NASTY}", f"expect_x(column={NASTY!r})", False, NASTY),
            ("sqlite.items", "expect_y()", True, 3)]
    page = checkpoint.summary_html(rows, ["sqlite"])
    assert "<b>" not in page
    assert f"<code>{ESCAPED}</code>" in page  # the source commit
    assert "<h1>Validation report: 1 expectations failed</h1>" in page
    assert f"<tr class=fail><td>sqlite.{ESCAPED}</td>" in page
    assert "<tr class=pass><td>items</td><td>sqlite</td><td class=n>1</td><td class=n>1</td><td class=n>0</td></tr>" in page
    assert checkpoint.by_resource(rows) == [(NASTY, "sqlite", 0, 1), ("items", "sqlite", 1, 0)]
    assert "<h1>Validation report: every expectation passed</h1>" in checkpoint.summary_html(rows[1:], ["sqlite"])
    both = checkpoint.summary_html(rows[1:], ["sqlite", "duckdb"])
    assert ("were run on the SQLite database this site serves (engine sqlite) and on the DuckDB tables and views "
            "(engine duckdb).") in both


def test_failures_are_listed_one_a_line():
    rows = [("sqlite.items", "expect_y()", True, 3), ("sqlite.tables", "expect_z(value=1)", False, 2)]
    assert checkpoint.failures(rows) == ["sqlite.tables: expect_z(value=1) failed (observed: 2)"]


# ---- the request checks (web/plugins/client_errors.py) ----

@pytest.fixture
def ce():
    # Datasette's plugin manager first: imported the other way round, datasette.handle_exception would be
    # registered half-initialised, without its default handler, for every later test in this process.
    importlib.import_module("datasette.app")
    return importlib.import_module("web.plugins.client_errors")


def test_known_filters(ce):
    columns = {"percent", "role_group"}
    assert ce.known_filter("percent", columns) and ce.known_filter("percent__gte", columns)
    assert not ce.known_filter("percent__nope", columns) and not ce.known_filter("nope__gte", columns)
    assert not ce.known_filter("nope", columns)


def test_canned_query_parameters_and_choices(ce):
    query = {"params": ["role_group"]}
    config = {"choices": {"q": {"role_group": {"accepts": ["chief_executive", "Chief executives"],
                                               "noun": "role group", "hint": "choose one of chief_executive"}}}}
    assert ce.query_problem("q", query, [("role_group", "Chief Executives ")], config) is None  # any case, trimmed
    assert ce.query_problem("q", query, [("role_group", ""), ("_size", "5")], config) is None
    bad = ce.query_problem("q", query, [("role_group", "<script>")], config)
    assert isinstance(bad, ce.BadRequest)
    assert str(bad) == "'<script>' is not a role group: choose one of chief_executive"
    unknown = ce.query_problem("q", query, [("nope", "1"), ("nope", "2"), ("x", "")], config)
    assert str(unknown) == "Unknown parameter 'nope', 'x': q takes role_group"
    assert str(ce.query_problem("q", {}, [("a", "1")], {})) == "Unknown parameter 'a': q takes no parameters"


class Datasette:
    def __init__(self, queries=None):
        self.queries = queries or {}

    def metadata(self, key, database=None):
        return self.queries if key == "queries" else None

    def plugin_config(self, name):
        return {}


class Relations:
    columns = {"db": {"t": {"a", "b"}, "v": {"c"}}}
    pks = {"db": {"t": ["a", "b"]}}


@pytest.mark.parametrize("name,key,fmt,args,answer", [
    (None, None, "", [("_timelimit", "12x")], "_timelimit must be a whole number of milliseconds, not '12x'"),
    (None, None, "", [("_timelimit", "12")], None),
    (None, None, "", [("_through", "[1]")], '_through must be JSON like {"table": ..., "column": ..., "value": ...}'),
    (None, None, "", [("_through", "{")], '_through must be JSON like {"table": ..., "column": ..., "value": ...}'),
    (None, None, "", [("_through", '{"table": 1, "column": 2, "value": 3}')], None),
    (None, None, "csv", [], "A CSV of the database page needs a query: add ?sql=SELECT ..."),
    (None, None, "csv", [("sql", "select 1")], None),
    (None, None, "json", [], None),
    ("nope", None, "", [("x", "1")], None),
    ("t", "1", "", [], "A row of t is named by 2 value(s) separated by commas (a, b); '1' has 1"),
    ("t", "1,2", "", [], None),
    ("v", "1", "", [], None),
    ("t", None, "", [("_facet", "zz"), ("_facet_array", "a")], "Cannot facet t by 'zz': not a column. "
                                                               "Columns: a, b, rowid"),
    ("t", None, "", [("_facet", "rowid")], None),
    ("v", None, "", [("_facet", "rowid")], "Cannot facet v by 'rowid': not a column. Columns: c"),
    ("t", None, "", [("zz", "1"), ("zz", "2"), ("a__gt", "1"), ("_sort", "a")],
     "Unknown filter 'zz' on t: a filter is a column, or column__operator with an operator among "),
    ("q", None, "", [("z", "1")], "Unknown parameter 'z': q takes no parameters"),
    (None, None, "db", [], None), (None, None, "blob", [], "There is no .blob version of this page"),
    ("t", "1,2", "blob", [], None), ("t", "1,2", "db", [], "There is no .db version of this page: it is served as "
                                                         "HTML, .json and .csv"),
    ("t", None, "jsono", [], None), ("t", None, "blob", [], "There is no .blob version"),
    ("t", None, "", [("_sort", "a"), ("_search_a", "x"), ("_filter_op_2", "x"), ("_size", "5")], None),
    ("t", None, "", [("_nope", "1"), ("_nope", "2"), ("_x", "")], "Unknown parameter '_nope', '_x': Datasette's own "
                                                                   "parameters start with _ (see docs.datasette.io)"),
    ("t", None, "", [("_sortx", "a")], "Unknown parameter '_sortx'"),
])
def test_request_problems(ce, name, key, fmt, args, answer):
    found = ce.problem(Datasette({"q": {"params": []}}), "db", name, key, fmt, args, Relations())
    if answer is None:
        assert found is None
    else:
        assert str(found).startswith(answer)
        assert type(found).__name__ == ("NotFound" if key or answer.startswith("There is no") else "BadRequest")


def test_relations_read_once_from_the_database(ce, tmp_path):
    import asyncio
    import sqlite3

    from datasette.app import Datasette

    path = tmp_path / "db.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (a, b, c, PRIMARY KEY (a, b))")
    con.execute("CREATE VIEW v AS SELECT a AS d FROM t")
    con.commit()
    con.close()
    rel = ce.Relations(Datasette([str(path)]))

    async def go():
        return [await rel.load("db"), await rel.load("db"), await rel.load("nope"), await rel.load("_internal")]
    assert asyncio.run(go()) == [True, True, False, False]
    assert rel.columns == {"db": {"t": {"a", "b", "c"}, "v": {"d"}}}
    assert rel.pks == {"db": {"t": ["a", "b"]}}


def test_an_early_answer_is_datasettes_error_page(ce, tmp_path):
    import asyncio

    from datasette.app import Datasette

    sent = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request"}
    scope = {"type": "http", "method": "GET", "path": "/db.json", "raw_path": b"/db.json", "query_string": b"",
             "headers": [], "scheme": "http", "server": ("x", 80)}
    asyncio.run(ce.answer(Datasette([]), scope, receive, send, ce.BadRequest("no good")))
    assert sent[0]["status"] == 400
    assert b"no good" in sent[-1]["body"]


def test_a_refused_querys_csv_is_a_400_with_the_error(ce, monkeypatch):
    import asyncio
    from types import SimpleNamespace

    from datasette.views.base import DatasetteError

    answers = {"refused": ({"ok": False, "error": "near \"SELEC\": syntax error"}, None, None),
               "answered": ({"ok": True, "rows": []}, None, None), "redirect": SimpleNamespace(status=302)}

    async def datasettes(self, request, *args, **kwargs):
        return answers[request.which]

    monkeypatch.setattr(ce, "_query_data", datasettes)

    def ask(which, fmt):
        return asyncio.run(ce.query_data(None, SimpleNamespace(which=which, url_vars={"format": fmt})))

    with pytest.raises(DatasetteError) as e:
        ask("refused", "csv")
    assert (str(e.value), e.value.title, e.value.status) == ('near "SELEC": syntax error', "Invalid SQL", 400)
    assert ask("refused", "json") == answers["refused"]  # Datasette's JSON says the error itself
    assert ask("answered", "csv") == answers["answered"]
    assert ask("redirect", "csv") is answers["redirect"]  # a response of Datasette's own, passed on as it is
