"""The request checks (web/plugins/client_errors.py) and the databases page (web/plugins/hardening.py) on the
cases the other unit tests leave open: the exact answer a client reads for each mistake (what was wrong, the
value as sent, cut to a readable length), a view's `_next`, a canned query's choices as the plugin's
configuration states them, and Datasette's objects passed on whole."""
import asyncio
import importlib
import sqlite3

import pytest

# Datasette's operators for a filter (column__operator), as Datasette 0.65 (pinned) names them.
OPERATORS = ("arraycontains, arraynotcontains, contains, date, endswith, exact, glob, gt, gte, in, isblank, isnull, "
             "like, lt, lte, not, notblank, notin, notlike, notnull, startswith")


@pytest.fixture
def ce():
    importlib.import_module("datasette.app")  # Datasette's plugin manager first (see test_unit_escaping.py)
    return importlib.import_module("web.plugins.client_errors")


class Datasette:
    """What problem() asks of Datasette: the canned queries of one database, and this plugin's configuration."""

    def __init__(self, queries=None, config=None):
        self.queries, self.config = queries or {}, config

    def metadata(self, key, database=None):
        return self.queries if key == "queries" and database == "db" else None

    def plugin_config(self, name):
        return self.config if name == "client_errors" else None


class Relations:
    columns = {"db": {"t": {"a", "b"}, "v": {"c"}, "w": {"x__y", "z"}}, "other": {"q": {"role_group"}}}
    pks = {"db": {"t": ["a", "b"]}, "other": {}}


def ask(ce, name, args, key=None, fmt="", ds=None):
    return ce.problem(ds or Datasette(), "db", name, key, fmt, args, Relations())


# ---- what each mistake is answered with, in full ----

def test_a_format_the_page_has_not_is_named_cut_to_20_characters(ce):
    found = ask(ce, "t", [], fmt="abcdefghij" * 3)
    assert isinstance(found, ce.NotFound)
    assert str(found) == "There is no .abcdefghijabcdefghij version of this page: it is served as HTML, .json and .csv"


def test_a_row_key_with_too_few_parts_is_quoted_up_to_60_characters(ce):
    found = ask(ce, "t", [], key="k" * 70)
    assert isinstance(found, ce.NotFound)
    assert str(found) == f"A row of t is named by 2 value(s) separated by commas (a, b); '{'k' * 60}' has 1"


def test_an_unknown_underscore_parameter_is_quoted_up_to_60_characters(ce):
    name = "_" + "q" * 70
    assert str(ask(ce, "t", [(name, "1")])) == (f"Unknown parameter '{name[:60]}': Datasette's own parameters start "
                                                "with _ (see docs.datasette.io)")


def test_a_timelimit_that_is_no_number_is_quoted_up_to_40_characters(ce):
    assert str(ask(ce, None, [("_timelimit", "x" * 50)])) == (
        f"_timelimit must be a whole number of milliseconds, not '{'x' * 40}'")


def test_through_needs_table_column_and_value(ce):
    # a JSON object, but without "column" and "value": Datasette would fail on it
    found = ask(ce, None, [("_through", '{"table": "t"}')])
    assert isinstance(found, ce.BadRequest)
    assert str(found) == '_through must be JSON like {"table": ..., "column": ..., "value": ...}'


def test_facets_that_are_no_columns_are_each_named(ce):
    assert str(ask(ce, "t", [("_facet", "zz"), ("_facet_array", "yy"), ("_facet_date", "f" * 70)])) == (
        f"Cannot facet t by 'zz', 'yy', '{'f' * 60}': not a column. Columns: a, b, rowid")


def test_unknown_filters_are_each_named_with_the_operators_and_columns(ce):
    found = ask(ce, "t", [("zz", "1"), ("a__nope", "1"), ("zz", "2"), ("u" * 70, "3")])
    assert isinstance(found, ce.BadRequest)
    assert str(found) == (f"Unknown filter 'zz', 'a__nope', '{'u' * 60}' on t: a filter is a column, or "
                          f"column__operator with an operator among {OPERATORS}. Columns: a, b, rowid")


def test_a_column_whose_name_holds_two_underscores_takes_an_operator(ce):
    # the operator is what follows the last "__": x__y__gt is column x__y, operator gt
    columns = {"x__y"}
    assert ce.known_filter("x__y__gt", columns) and not ce.known_filter("x__y__nope", columns)
    assert ask(ce, "w", [("x__y__gte", "1"), ("x__y", "2")]) is None


# ---- a view's next page is a row offset ----

@pytest.mark.parametrize("offset,answer", [
    ("0", None), ("200", None), (str(2**62 - 1), None),
    (str(2**62), f"_next on v is a row offset: a whole number, not '{2**62}'"),
    ("abc", "_next on v is a row offset: a whole number, not 'abc'"),
    ("-1", "_next on v is a row offset: a whole number, not '-1'"),
    ("9" * 50, f"_next on v is a row offset: a whole number, not '{'9' * 40}'"),
])
def test_a_views_next_page_is_a_whole_number_below_2_to_the_62(ce, offset, answer):
    found = ask(ce, "v", [("_next", offset)])
    if answer is None:
        assert found is None
    else:
        assert isinstance(found, ce.BadRequest) and str(found) == answer


def test_a_tables_next_page_is_left_to_datasette(ce):
    # a table's _next is a key Datasette reads itself (its rowid or primary key), not an offset
    assert ask(ce, "t", [("_next", "abc")]) is None
    assert ask(ce, "v", [("_size", "5")]) is None


# ---- canned queries: their parameters, and the choices the plugin's configuration states ----

CHOICES = {"choices": {"q": {"role_group": {"accepts": ["chief_executive"], "noun": "role group",
                                            "hint": "choose chief_executive"}}}}


def test_a_canned_querys_choices_come_from_the_plugins_configuration(ce):
    ds = Datasette({"q": {"params": ["role_group"]}}, CHOICES)
    found = ask(ce, "q", [("role_group", "nurse")], ds=ds)
    assert isinstance(found, ce.BadRequest) and str(found) == "'nurse' is not a role group: choose chief_executive"
    assert ask(ce, "q", [("role_group", "chief_executive")], ds=ds) is None
    # the queries are the database's own: in another database, q is a view with a column role_group
    assert ce.problem(ds, "other", "q", None, "", [("role_group", "nurse")], Relations()) is None


def test_a_canned_query_without_configured_choices(ce):
    ds = Datasette({"q": {"params": ["role_group"]}}, None)  # no configuration for the plugin
    assert ask(ce, "q", [("role_group", "nurse")], ds=ds) is None
    query = {"params": ["x"]}
    assert ce.query_problem("q", query, [("x", "1")], {}) is None  # no choices at all
    assert ce.query_problem("q", query, [("x", "1")], {"choices": {"other": {"x": {}}}}) is None  # none for q


def test_a_canned_querys_answers_name_every_parameter_and_quote_up_to_60_characters(ce):
    query = {"params": ["a", "b"]}
    assert str(ce.query_problem("q", query, [("c" * 70, "1")], {})) == f"Unknown parameter '{'c' * 60}': q takes a, b"
    choice = {"choices": {"q": {"a": {"accepts": ["x"], "noun": "letter", "hint": "x only"}}}}
    assert str(ce.query_problem("q", query, [("a", "y" * 70)], choice)) == f"'{'y' * 60}' is not a letter: x only"


# ---- Datasette's objects passed on whole ----

def test_the_query_view_is_datasettes_called_with_everything_it_was_given(ce, monkeypatch):
    from types import SimpleNamespace
    seen = []

    async def datasettes(self, request, *args, **kwargs):
        seen.append((self, request, args, kwargs))
        return {"ok": True}, None, None

    monkeypatch.setattr(ce, "_query_data", datasettes)
    view, request = object(), SimpleNamespace(url_vars={"format": "csv"})
    asyncio.run(ce.query_data(view, request, "a", "b", canned_query="q"))
    assert seen == [(view, request, ("a", "b"), {"canned_query": "q"})]


def test_an_early_answer_gives_datasette_the_request_as_it_came(ce, monkeypatch):
    seen = []

    def handler(ds, request, exception):
        seen.append((request.scope, request.receive, exception))

        async def response():
            class Sent:
                async def asgi_send(self, send):
                    await send({"type": "http.response.body", "body": b""})
            return Sent()
        return response

    async def receive():
        return {"type": "http.request"}

    async def send(message):
        pass
    monkeypatch.setattr(ce.default_errors, "handle_exception", handler)
    scope, problem = {"type": "http", "path": "/db"}, ce.BadRequest("no good")
    asyncio.run(ce.answer(None, scope, receive, send, problem))
    assert seen == [(scope, receive, problem)]


def test_relations_are_read_from_the_database_asked_for(ce, tmp_path):
    from datasette.app import Datasette as Real

    paths = []
    for name, sql in (("first", "CREATE TABLE one (a PRIMARY KEY)"), ("second", "CREATE TABLE two (b, c)")):
        paths.append(str(tmp_path / f"{name}.sqlite"))
        con = sqlite3.connect(paths[-1])
        con.execute(sql)
        con.commit()
        con.close()
    rel = ce.Relations(Real(paths))
    assert asyncio.run(rel.load("second"))
    assert rel.columns == {"second": {"two": {"b", "c"}}} and rel.pks == {"second": {"two": []}}


# ---- /-/databases.json (web/plugins/hardening.py) ----

def test_the_databases_page_names_each_file_not_its_path(tmp_path):
    from datasette.app import Datasette as Real
    hardening = importlib.import_module("web.plugins.hardening")

    path = tmp_path / "data.sqlite"
    sqlite3.connect(path).close()
    ds = Real([str(path)], memory=True)
    paths = {d["name"]: d["path"] for d in hardening.connected_databases(ds)}
    assert paths == {"data": "data.sqlite", "_memory": None}
