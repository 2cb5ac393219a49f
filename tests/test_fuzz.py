"""No answer of 500 or more from either server for any URL: at least 4,000 generated URLs (Hypothesis, a
fixed derandomized sequence) sent over HTTP to `make serve` and to `make serve-public`, both on a copy of
the served snapshot. Every table, view, row and canned query and the site's other pages, in every format
and with extensions Datasette has not; names and parameters percent-, tilde- and double-encoded; filters,
sorting, paging, facets, time limits, _where, caller SQL (refused functions and pragmas among it), huge,
binary and empty values. No body may carry a path of the server's files."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from served import get, publish
from test_url_sweep import COLUMNS, OPS, QUERIES, SPECIAL, TABLES, VIEWS, key, row_key, value

from core import schemas
from web import metadata as serve_metadata
from web import presentation, proxy, serve

DB = "managing_doctors"
URLS = 4_000
SQL = ["select 1", "select * from items", "select count(*) from survey_results", "select hex(fts3_tokenizer('simple'))",
       "select * from fts3tokenize", "select * from sqlite_stmt", "select * from dbstat", "pragma table_info(items)",
       "select * from pragma_database_list", "attach 'x' as y", "select load_extension('x')", "select randomblob(9)",
       "select printf('%.*c', 2000000, 'x')", "select wrap_label(item_wording, 20) from survey_results",
       "select * from items where", "select :x", "select ?", "with c as (select 1) select count(*) from c",
       "select json_each.value from json_each('[1,2]')", "select * from items_fts where items_fts match 'a*'",
       "select " + ",".join(["1"] * 150), "select " + "(" * 120 + "1" + ")" * 120, "select 1 union select 2 " * 12,
       "select zeroblob(5)", "select char(0)", "select x'00ff'", "select 1e999", "select -9223372036854775808 - 1"]
EXTENSIONS = ["", ".json", ".csv", ".jsono", ".xml", ".txt", ".db", ".blob", ".html", ".CSV", ".json5", ".%6Ason",
              ".tsv", "."]
PAGES = ["/", "/.json", "/about", "/-/dashboards", "/-/dashboards/report", "/-/dashboards/report/change-since-2002",
         "/-/dashboards/nope", "/-/versions.json", "/-/plugins.json", "/-/settings.json", "/-/databases.json",
         "/-/metadata.json", "/-/threads.json", "/-/static/app.css", "/-/static/nope.js", "/csv/items.csv",
         "/csv/../Makefile", "/package/datapackage.json", "/validation/summary.html", "/validation/.passed",
         "/parquet/items.parquet", "/site/site.css", "/downloads/", "/tables/T2.1", "/tables/T9.9", "/tables/",
         f"/{DB}.db", "/favicon.ico", "/robots.txt", "/-/", "//example.com", "/%2e%2e/%2e%2e/etc/passwd"]


def encoded(name: str, how: str) -> str:
    """A path part as a client may spell it: plain, percent-, tilde- or double-encoded."""
    if how == "percent":
        return "".join(f"%{ord(c):02X}" if c == "_" else c for c in name)
    if how == "tilde":
        return name.replace("_", "~5F").replace(".", "~2E")
    if how == "double":
        return name.replace("_", "%255F")
    return name


def query_key(k: str, how: str) -> str:
    if how == "percent" and k:
        return f"%{ord(k[0]):02x}" + quote(k[1:], safe="")
    return quote(k, safe="")


def view_columns() -> dict[str, list[str]]:
    import sqlite3

    con = sqlite3.connect(f"file:{serve.snapshot() / serve.DATABASE.name}?immutable=1", uri=True)
    try:
        return {v: [r[1] for r in con.execute(f'PRAGMA table_info("{v}")')] for v in VIEWS}
    finally:
        con.close()


# Each table's and view's own columns and a few of its real values and row keys, so that most URLs reach
# Datasette's queries rather than a 400 or 404 before them.
COLUMNS_OF = {t: schemas.field_names(t) for t in TABLES} | view_columns()
VALUES_OF = {t: [r for r in presentation.rows(t)[:3]] for t in TABLES}
KEYS_OF = {t: [",".join(r[k].replace("~", "~7E").replace(",", "~2C").replace(".", "~2E")
                        for k in schemas.schema(t)["primaryKey"]) for r in VALUES_OF[t]] for t in TABLES}
PARAMS_OF = {q: spec["params"] for q, spec in serve_metadata.canned_queries().items()}
spelling = st.sampled_from(["plain"] * 10 + ["percent", "tilde", "double"])
extensions = st.sampled_from([""] * 10 + [".json"] * 6 + [".csv"] * 4 + EXTENSIONS)


@st.composite
def own_param(draw, name: str) -> tuple[str, str]:
    """A parameter of this table, view or query, with one of its real values or a generated one."""
    if name in PARAMS_OF:
        k = draw(st.sampled_from(PARAMS_OF[name] or ["x"]))
        v = draw(st.one_of(st.sampled_from(["", "clinical_director", "Clinical directors", "pressure",
                                            "management_staff_high_quality", '"', "a*", "NEAR(a b)"]), value))
        return k, v
    column = draw(st.sampled_from(COLUMNS_OF[name]))
    k = draw(st.sampled_from([column, column, f"{column}__{draw(st.sampled_from(OPS))}", "_sort", "_sort_desc",
                              "_facet", "_col", "_nocol", "_size", "_next", "_where", "_search", "_shape"]))
    real = [str(r.get(column, "")) for r in VALUES_OF.get(name, [])]
    v = draw(st.one_of(st.sampled_from(real or ["1"]), st.just(column), st.sampled_from(["10", "max", "array",
                                                                                          "objects", "1 = 1"]), value))
    return k, v


@st.composite
def urls(draw) -> str:
    kind = draw(st.sampled_from(["name"] * 6 + ["row"] * 2 + ["database", "page"]))
    how = draw(spelling)
    if kind == "page":
        return draw(st.sampled_from(PAGES)) + draw(st.sampled_from(["", "?x=1", "?_size=5", "?sql=select+1"]))
    name = None
    if kind == "database":
        path = f"/{encoded(DB, how)}"
    elif kind == "row":
        table = draw(st.sampled_from(TABLES))
        row = draw(st.one_of(st.sampled_from(KEYS_OF[table] or ["x"]), row_key.map(lambda k: quote(k, safe="~,"))))
        path = f"/{DB}/{encoded(table, how)}/{row}"
    else:
        name = draw(st.sampled_from(TABLES + VIEWS + QUERIES))
        path = f"/{DB}/{encoded(name, how)}"
    path += draw(extensions)
    own = st.just(("sql", draw(st.sampled_from(SQL)))) if kind == "database" else own_param(name) if name else key.map(
        lambda k: (k, "1"))
    anything = st.tuples(st.one_of(key, st.sampled_from(SPECIAL + ["sql", "_where", "_search", "_nope"])),
                         st.one_of(value, st.sampled_from(SQL)))
    pairs = draw(st.lists(st.one_of(own, own, anything), max_size=4))
    query = "&".join(f"{query_key(k, how)}={quote(v, safe='')}" for k, v in pairs)
    return path + ("?" + query if query else "")


def generate(n: int) -> list[str]:
    found: list[str] = []

    @settings(max_examples=n, deadline=None, database=None, derandomize=True, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(urls())
    def collect(url):
        found.append(url)

    collect()
    return list(dict.fromkeys(found))


@pytest.fixture(scope="module")
def generated():
    found = generate(int(URLS * 1.25))
    assert len(found) >= URLS, f"only {len(found)} distinct URLs generated"
    return found


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("served")
    publish(folder)
    return folder


def sweep(port: int, found: list[str]) -> list[tuple[int | str, str]]:
    """(status, URL) of each answer of 500 or more, or that leaked a path; 4 clients at once."""
    leaks = (str(serve.ROOT), "/tmp/", "site-packages", "/usr/lib")

    def one(url):
        try:
            status, _, body = get(port, url, timeout=60)
        except OSError as e:
            return (f"no answer: {e}", url)
        if status >= 500 or any(s in body for s in leaks):
            return (status, url)
        return None

    with ThreadPoolExecutor(4) as pool:
        return [r for r in pool.map(one, found) if r is not None]


def test_the_generated_urls_cover_every_table_view_and_query_in_odd_formats_and_spellings(generated):
    joined = "\n".join(generated)
    for name in TABLES + VIEWS + QUERIES:
        assert f"/{name}" in joined or f"/{encoded(name, 'tilde')}" in joined, name
    for ext in (".txt", ".xml", ".jsono", ".db", ".csv"):
        assert ext + "?" in joined or ext + "\n" in joined, ext
    for spelled in ("~5F", "%5F", "%255F", "%73ql=", "_where="):
        assert spelled in joined, spelled
    assert sum(c in joined for c in COLUMNS) > len(COLUMNS) // 2


def test_make_serve_answers_no_generated_url_with_5xx(generated, served):
    proc, port = serve.start(served=served)
    try:
        bad = sweep(port, generated)
        assert proc.poll() is None, "the server stopped"
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    assert not bad, f"{len(bad)} of {len(generated)} URLs answered 5xx or leaked a path: {bad[:10]}"


@pytest.mark.skipif(not (shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")),
                    reason="Debian's nginx is not installed (make system-packages)")
def test_make_serve_public_answers_no_generated_url_with_5xx(generated, served):
    with tempfile.TemporaryDirectory(prefix="nginx-") as prefix, \
            proxy.Stack(serve.free_port(), backends=2, prefix=Path(prefix), served=served,
                        output=subprocess.DEVNULL) as s:
        bad = sweep(s.port, generated)
        assert all(p.poll() is None for p in s.processes()), "a process of the stack stopped"
    assert not bad, f"{len(bad)} of {len(generated)} URLs answered 5xx or leaked a path: {bad[:10]}"
