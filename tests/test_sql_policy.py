"""web/sqlpolicy.py: what the authorizer refuses and allows, that each of SQLite's limits holds, and that
each limit leaves room above the largest the package itself needs, measured here on every statement its
pages run (every table, view, row, canned query, chart and page of the site, in HTML, JSON and CSV) and
on its schema. docs/security.md states the limits and those needs: tested against both."""
import asyncio
import json
import re
import sqlite3
from urllib.parse import quote

import pytest

from core import schemas
from pipeline import ddl
from web import metadata as serve_metadata
from web import presentation, serve, sqlfunctions, sqlpolicy

DATABASE = serve.snapshot() / serve.DATABASE.name
SECURITY = schemas.ROOT / "docs" / "security.md"
HEADROOM = 4  # each limit at least this many times the package's own largest need (0 where it needs none)


def hardened() -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{DATABASE}?immutable=1", uri=True)
    sqlfunctions.register(conn)
    from datasette.utils import escape_fts

    conn.create_function("escape_fts", 1, escape_fts)
    sqlpolicy.harden(conn)
    return conn


@pytest.mark.parametrize("statement", [
    "select fts3_tokenizer('simple')", "select hex(fts3_tokenizer('simple'))", "select * from fts3tokenize",
    "select count(*) from fts3tokenize", "select * from sqlite_stmt", "select count(*) from dbstat",
    "select load_extension('libc.so.6')", "select randomblob(8)", "select zeroblob(8)",
    "select sqlite_compileoption_get(0)", "select fts5('x')", "select changes()",
    "attach database ':memory:' as other", "create temp table t (x)", "create temp view v as select 1",
    "create virtual table temp.t using fts5(x)", "pragma writable_schema = 1", "pragma journal_mode = wal",
    "pragma cache_size = 1", "pragma main.query_only = 0", "select * from pragma_database_list",
    "insert into items (item_id) values ('x')", "delete from items", "update items set row_label = ''",
    "drop table items", "select * from temp.sqlite_master", "select * from sqlite_temp_master",
    "with t as (select * from sqlite_stmt) select * from t", "select * from pragma_index_info('x') natural join sqlite_stmt",
])
def test_the_authorizer_refuses(statement):
    conn = hardened()
    with pytest.raises(sqlite3.DatabaseError, match="not authorized|prohibited|vtable constructor"):
        conn.execute(statement).fetchall()


@pytest.mark.parametrize("statement", [
    "with c(x) as (select 1 union all select x + 1 from c where x < 3) select count(*) from c",
    "select count(*) from (select 1 union select 2)", "select value from json_each('[1, 2]')",
    "select key, type from json_tree('{\"a\": [1]}')", "select '{\"a\": 5}' ->> 'a'",
    "select name from pragma_table_info('items')", "pragma foreign_key_list(survey_results)",
    "select rowid, highlight(items_fts, 0, '[', ']') from items_fts where items_fts match 'doctors' order by rank",
    "select round(avg(percent), 1), count(distinct role_group), group_concat(distinct survey_year) from survey_results",
    "select * from change_since_2002", "select * from printed_tables_2",
    "select item_id, row_number() over (partition by table_id order by item_order) from items",
    "select sqrt(4), date('2015-01-01', '+1 day'), printf('%5.1f', 2.25), instr('abc', 'b')",
])
def test_the_authorizer_lets_the_package_be_read_with_the_same_answers(statement):
    plain = sqlite3.connect(f"file:{DATABASE}?immutable=1", uri=True)
    assert hardened().execute(statement).fetchall() == plain.execute(statement).fetchall()
    assert hardened().execute("select wrap_label('one two three', 8)").fetchall() == [("one two\nthree",)]


def test_a_pragma_that_would_give_the_file_path_answers_nothing():
    assert hardened().execute("pragma database_list").fetchall() == []


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")  # a refusal is SQLite's error alone
def test_each_limit_holds():
    conn = hardened()
    length = sqlpolicy.LIMITS["LENGTH"][0]
    with pytest.raises(sqlite3.DataError, match="too big"):
        conn.execute("select ? || ?", ("x" * (length // 2), "y" * (length // 2 + 1))).fetchall()
    assert conn.execute("select printf('%.*c', ?, 'x') is null", (length + 1,)).fetchall() == [(1,)]
    with pytest.raises(sqlite3.DataError, match="too large"):
        conn.execute("select 1 " + " " * sqlpolicy.LIMITS["SQL_LENGTH"][0]).fetchall()
    with pytest.raises(sqlite3.OperationalError, match="too many columns"):
        conn.execute("select " + ", ".join(["1"] * (sqlpolicy.LIMITS["COLUMN"][0] + 1))).fetchall()
    depth = sqlpolicy.LIMITS["EXPR_DEPTH"][0]
    with pytest.raises(sqlite3.OperationalError, match="maximum depth"):
        conn.execute("select " + " + ".join(["1"] * (depth + 2))).fetchall()
    with pytest.raises(sqlite3.OperationalError, match="too many terms"):
        conn.execute(" union ".join(["select 1"] * (sqlpolicy.LIMITS["COMPOUND_SELECT"][0] + 1))).fetchall()
    with pytest.raises(sqlite3.OperationalError, match="too many arguments"):
        conn.execute("select coalesce(" + ", ".join(["1"] * (sqlpolicy.LIMITS["FUNCTION_ARG"][0] + 1)) + ")")
    with pytest.raises(sqlite3.OperationalError, match="too complex"):
        conn.execute("select 'a' like ?", ("%" * (sqlpolicy.LIMITS["LIKE_PATTERN_LENGTH"][0] + 1),)).fetchall()
    with pytest.raises(sqlite3.OperationalError, match="variable number"):
        conn.execute(f"select ?{sqlpolicy.LIMITS['VARIABLE_NUMBER'][0] + 1}").fetchall()
    with pytest.raises(MemoryError):  # SQLite answers SQLITE_NOMEM past VDBE_OP: three per value listed here
        conn.execute("select 1 where 2 in (" + ",".join(["0"] * (sqlpolicy.LIMITS["VDBE_OP"][0] // 3 + 1)) + ")")
    most = sqlfunctions.WRAP_LABEL_MAX
    assert sqlfunctions.wrap_label("x" * most, 8).split("\n") == ["x" * 8] * (most // 8)  # a long word, cut
    # Refused as the caller-SQL lane refuses it (web/lane.py): SQLite's error, without the function's own
    # exception reported on the side (Datasette's import turns callback tracebacks on; the lane turns them off).
    sqlite3.enable_callback_tracebacks(False)
    try:
        with pytest.raises(sqlite3.OperationalError, match="user-defined function raised exception"):
            conn.execute("select wrap_label(?, 8)", ("x" * (sqlfunctions.WRAP_LABEL_MAX + 1),)).fetchall()
    finally:
        sqlite3.enable_callback_tracebacks(True)  # as Datasette's import left it for the other tests


def the_package_statements() -> list[tuple[str, dict | list]]:
    """Every statement (with its parameters) that Datasette runs for the site's pages, in-process."""
    import datasette.database

    found: set[tuple[str, str]] = set()
    execute = datasette.database.Database.execute

    async def recorded(self, sql, params=None, *args, **kwargs):
        if not self.is_memory:
            found.add((sql, json.dumps(dict(params) if isinstance(params, dict) else list(params or []))))
        return await execute(self, sql, params, *args, **kwargs)

    db = serve.DATABASE.stem
    names = schemas.resource_names() + [v.name for v in ddl.views()]
    pages = ["/", f"/{db}", "/about", "/-/dashboards/report"]
    pages += [f"/tables/{t['table_id']}" for t in presentation.rows("tables")]
    for n in names:
        pages += [f"/{db}/{n}", f"/{db}/{n}.json?_size=max&_labels=on", f"/{db}/{n}.csv?_stream=on"]
    for n in schemas.resource_names():
        row = presentation.rows(n)[0]
        pages.append(f"/{db}/{n}/" + ",".join(quote(row[k].replace(".", "~2E"), safe="~") for k in schemas.schema(n)["primaryKey"]))
    examples = {"role_group": "clinical_director", "item_id": "management_staff_high_quality", "words": "doctors"}
    for q, spec in serve_metadata.canned_queries().items():
        pages += [f"/{db}/{q}", f"/{db}/{q}.json?" + "&".join(f"{p}={examples.get(p, '')}" for p in spec["params"])]
    boards = json.loads((serve.snapshot() / "metadata.json").read_text())["plugins"]["datasette-dashboards"]
    pages += [f"/{db}.json?sql={quote(c['query'])}&_shape=objects" for b in boards.values()
              for c in b["charts"].values() if c.get("query")]
    pages += [f"/{db}/survey_results?_facet=item_id&_sort_desc=percent&item_wording__contains=doctors",
              f"/{db}/items?_search=doctors"]

    async def crawl():
        datasette.database.Database.execute = recorded
        try:
            ds = serve.app()
            await ds.invoke_startup()
            for p in pages:
                r = await ds.client.get(p)
                assert r.status_code in (200, 302), (p, r.status_code)
            for name in ("survey_results", "change_since_2002"):  # the second page of a table and of a view
                following = (await ds.client.get(f"/{db}/{name}.json?_size=10")).json()["next_url"]
                path = "/" + following.split("://", 1)[1].split("/", 1)[1]
                assert (await ds.client.get(path)).status_code == 200, path
        finally:
            datasette.database.Database.execute = execute

    asyncio.run(crawl())
    return [(sql, json.loads(params)) for sql, params in sorted(found)]


def runs_within(statements, limit: str, value: int) -> bool:
    """Whether the schema loads and every statement runs with the limit at `value` (set before the schema
    is read, as on the servers' connections)."""
    conn = sqlite3.connect(f"file:{DATABASE}?immutable=1", uri=True)
    try:
        sqlfunctions.register(conn)
        from datasette.utils import escape_fts

        conn.create_function("escape_fts", 1, escape_fts)
        conn.setlimit(getattr(sqlite3, f"SQLITE_LIMIT_{limit}"), value)
        conn.execute("select count(*) from sqlite_master").fetchall()
        for sql, params in statements:
            conn.execute(sql, params).fetchall()
        return True
    except (sqlite3.Error, MemoryError):
        return False
    finally:
        conn.close()


def need(statements, limit: str) -> int:
    """The smallest value of a limit under which the package runs: its largest need."""
    low, high = -1, sqlpolicy.LIMITS[limit][0]
    assert runs_within(statements, limit, high), f"the package does not run under its own {limit} limit"
    while low + 1 < high:
        mid = (low + high) // 2
        low, high = (low, mid) if runs_within(statements, limit, mid) else (mid, high)
    return high


def documented() -> dict[str, tuple[int, int]]:
    """docs/security.md's table of limits: {limit: (value, the package's largest need)}."""
    rows = re.findall(r"^\| `(\w+)` \| ([\d,]+) \| ([\d,]+) \|", SECURITY.read_text(encoding="utf-8"), re.MULTILINE)
    return {name: (int(v.replace(",", "")), int(n.replace(",", ""))) for name, v, n in rows}


def test_each_limit_leaves_room_above_the_packages_largest_need_as_docs_security_md_states():
    statements = the_package_statements()
    assert len(statements) > 200
    needs = {limit: need(statements, limit) for limit in sqlpolicy.LIMITS
             if limit not in ("ATTACHED", "TRIGGER_DEPTH", "WORKER_THREADS")}
    needs |= {"ATTACHED": 0, "TRIGGER_DEPTH": 0, "WORKER_THREADS": 0}  # none attached, no triggers, no sorter threads
    cramped = {k: (sqlpolicy.LIMITS[k][0], n) for k, n in needs.items() if sqlpolicy.LIMITS[k][0] < HEADROOM * n}
    assert not cramped, f"limits closer than {HEADROOM} times to what the package needs: {cramped}"
    stated = {k: (v, needs[k]) for k, (v, _) in sqlpolicy.LIMITS.items()}
    rows = "\n".join(f"| `{k}` | {v:,} | {n:,} |" for k, (v, n) in stated.items())
    assert documented() == stated, f"docs/security.md's table of limits should read:\n{rows}"


def test_docs_security_md_states_the_numbers_the_code_uses():
    """Each bound docs/security.md states, read from the code or configuration that sets it."""
    from test_fuzz import URLS

    from web import backend, lane
    from web.plugins import sql_limits

    text = SECURITY.read_text(encoding="utf-8")
    nginx = "\n".join((schemas.ROOT / "web" / n).read_text(encoding="utf-8") for n in ("nginx.conf", "nginx-cache.conf"))
    megabytes = {"heap": lane.HEAP_LIMIT // 2**20, "result": lane.RESULT_LIMIT // 2**20}
    stated = {
        r"after (\d+) seconds of\s+waiting": sql_limits.QUEUE_SECONDS,
        r"SQLite's heap capped at (\d+) MB": megabytes["heap"],
        r"address space at (\d+) GB": lane.ADDRESS_SPACE // 2**30,
        r"an answer at (\d+) MB": megabytes["result"],
        r"time limit \((\d+) second": serve.SETTINGS["sql_time_limit_ms"] // 1000,
        r"running ([\d.]+) seconds later": lane.GRACE,
        r"together get\s+(\d+) time limits": sql_limits.REQUEST_BUDGET,
        r"takes at most ([\d,]+) characters": sqlfunctions.WRAP_LABEL_MAX,
        r"at least (\w+) times the largest": {4: "four"}[HEADROOM],
        r"longer than (\d+) KB gets 414": int(re.search(r"large_client_header_buffers \d+ (\d+)k;", nginx)[1]),
        r"headers up to (\d+) KB": int(re.search(r"proxy_buffer_size (\d+)k;", nginx)[1]),
        r"The cache is at\s+most (\d+) MB": int(re.search(r"max_size=(\d+)m", nginx)[1]),
        r"unused for (\d+) days": int(re.search(r"inactive=(\d+)d", nginx)[1]),
        r"\(at most (\d+) seconds\)": backend.GRACEFUL,
        r"\(([\d,]+) generated URLs against both": URLS,
    }
    wrong = {}
    for pattern, value in stated.items():
        found = re.search(pattern, text)
        said = found[1].replace(",", "") if found else None
        if said != str(value).replace(",", ""):
            wrong[pattern] = (said, value)
    assert not wrong, f"docs/security.md says (left) what the code does not (right): {wrong}"
