"""No 5xx for any URL: a generated sweep (Hypothesis) of malformed URLs over every table, row, view and
canned query, in HTML, JSON and CSV, with bad keys, bad paging, sorting, facets, time limits, where
clauses, unknown filters and columns, huge and binary values. Every answer must be below 500; the
sweep covers at least 1,000 distinct URLs."""
import asyncio
from urllib.parse import quote

import pytest
from conftest import RESOURCES as TABLES
from conftest import VIEWS
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from core import schemas
from web import serve

DB = "managing_doctors"
# Typed out (as tests/test_datasette.py's QUERY_PARAMS): the targets are not read from the server's own lists.
QUERIES = ["item_across_groups_and_years", "role_group_results", "search_statements"]
COLUMNS = sorted({f["name"] for t in TABLES for f in schemas.fields(t)})
OPS = ["exact", "not", "gt", "lte", "contains", "in", "notin", "isnull", "date", "arraycontains", "like",
       "glob", "nope", "", "__", "gt__lt"]
SPECIAL = ["_size", "_sort", "_sort_desc", "_next", "_facet", "_facet_array", "_facet_date", "_facet_size",
           "_timelimit", "_where", "_search", "_search_col", "_shape", "_col", "_nocol", "_labels", "_stream",
           "_dl", "_json", "_nofacet", "_nocount", "_through", "_trace", "_filter_column", "_filter_op",
           "_filter_value", "_ttl", "_header", "sql", "_hash", "_nl"]
SAMPLE_VALUES = ["", "0", "-1", "1", "abc", "9" * 400, "1e999", "nan", "-0.5", "%", "'", '"', "\\", "{}",
                 "[1,2]", '{"a": 1}', "null", "true", "T2.10", "clinical_director", "Clinical directors", "2015",
                 "item_id", "percent", "no_such_column", "1=1) OR (1=1", "x" * 10_000, "a,b,c", "~", "%00"]
value = st.one_of(st.sampled_from(SAMPLE_VALUES + COLUMNS), st.text(max_size=30),
                  st.binary(max_size=20).map(lambda b: b.decode("latin-1")))
key = st.one_of(st.sampled_from(SPECIAL), st.sampled_from(COLUMNS + ["no_such_column", "rowid", "role_group"]),
                st.builds(lambda c, op: f"{c}__{op}", st.sampled_from(COLUMNS + ["nope"]), st.sampled_from(OPS)),
                st.sampled_from(["role_group", "item_id", "words", "x"]))
row_key = st.one_of(st.sampled_from(["x", "x,y", "x,y,z,w", "T2.10", "1", "", ",", "%ff", "~2C", "a~", "-1",
                                     "clinical_director", "a" * 3000]), st.text(max_size=20))
target = st.one_of(
    st.sampled_from(TABLES + VIEWS + QUERIES),
    st.builds(lambda t, k: f"{t}/{quote(k, safe='~,')}" if k else f"{t}/", st.sampled_from(TABLES + VIEWS), row_key),
    st.just(""),
)
extension = st.sampled_from(["", ".json", ".csv", ".jsono", ".xml"])
SWEPT: set[str] = set()
SERVER_ERRORS: list[tuple[str, int]] = []


@pytest.fixture(scope="module")
def client():
    loop = asyncio.new_event_loop()
    ds = serve.app()
    loop.run_until_complete(ds.invoke_startup())
    yield lambda path: loop.run_until_complete(ds.client.get(path)).status_code
    loop.close()


def url(tgt: str, ext: str, params: list[tuple[str, str]]) -> str:
    path = f"/{DB}/{tgt}" if tgt else f"/{DB}"
    if ext and not path.endswith("/"):
        path += ext
    query = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in params)
    return path + ("?" + query if query else "")


@settings(max_examples=1300, deadline=None, database=None, derandomize=True, phases=[Phase.generate],
          suppress_health_check=list(HealthCheck))
@given(tgt=target, ext=extension, params=st.lists(st.tuples(key, value), max_size=4))
def test_no_malformed_url_answers_5xx(client, tgt, ext, params):
    path = url(tgt, ext, params)
    SWEPT.add(path)
    status = client(path)
    if status >= 500:
        SERVER_ERRORS.append((path[:200], status))


def test_the_sweep_covered_over_1000_urls_and_found_no_5xx():
    assert len(SWEPT) >= 1000, len(SWEPT)
    assert not SERVER_ERRORS, f"{len(SERVER_ERRORS)} URLs answered 5xx, for example {SERVER_ERRORS[:10]}"
