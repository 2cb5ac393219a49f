"""SQL a caller writes cannot crash, freeze or starve the server.

1. Every connection Datasette opens to the package gets web/sqlpolicy.py's deny-by-default authorizer and
   limits (prepare_connection); its own in-memory ones, the limits.
2. One lane for all caller-written SQL, decided on the request as Datasette parses it: any spelling of
   `sql` (`?%73ql=` is `sql` too), `_where`, and the full-text search parameters (`_search*`, whose raw
   mode takes FTS5's query language, `_fts_table`, `_fts_pk`). Such a request waits its turn in an asyncio
   queue, holding no thread, one at a time (ADHOC_AT_ONCE); a request that waits longer than
   QUEUE_SECONDS gets 429 with Retry-After. Every statement it runs goes to web/lane.py's process, killed
   when a statement overruns. The charts' own queries (the dashboards' SQL, exactly) are not callers':
   they run with table pages and canned queries on Datasette's threads, which runaways never hold.
3. Datasette checks its time limit from a Python progress handler every 1,000 SQLite instructions, taking
   the GIL 12,000 times a second from every other request; here every CHECK_EVERY instructions (a few
   milliseconds), which still stops a query within milliseconds of its limit.
"""
import asyncio
import contextvars
import json
import time
from contextlib import contextmanager
from urllib.parse import parse_qsl

import datasette.database
from datasette import hookimpl
from datasette.database import Database, QueryInterrupted, Results
from datasette.tracer import trace

from web import lane as lanes
from web import sqlpolicy

ADHOC_AT_ONCE = 1
QUEUE_SECONDS = 20
CHECK_EVERY = 50_000
# Set for a request that carries caller SQL: the lane time its statements have taken. Past REQUEST_BUDGET
# time limits, or once one statement ran out of time, the request's other statements (a table page's
# count, rows and facets each carry a caller's _where) are not tried.
CALLER = contextvars.ContextVar("caller_sql", default=None)
REQUEST_BUDGET = 2
CALLER_KEYS = ("sql", "_where", "_fts_table", "_fts_pk")


@contextmanager
def sqlite_timelimit(conn, ms):
    """Datasette's time limit (datasette.utils.sqlite_timelimit), checked every CHECK_EVERY instructions."""
    deadline = time.perf_counter() + ms / 1000
    n = 1 if ms <= 20 else CHECK_EVERY  # Datasette's tests of tiny limits need every instruction checked

    def handler():
        return 1 if time.perf_counter() >= deadline else None  # 1 interrupts the query

    conn.set_progress_handler(handler, n)
    try:
        yield
    finally:
        conn.set_progress_handler(None, n)


_execute = Database.execute


async def execute(self, sql, params=None, truncate=False, custom_time_limit=None, page_size=None,
                  log_sql_errors=True):
    """Datasette's Database.execute, in the caller-SQL lane's process when the request carries caller SQL."""
    request = CALLER.get()
    if request is None or self.is_memory or not self.path:
        return await _execute(self, sql, params, truncate, custom_time_limit, page_size, log_sql_errors)
    if request["timed_out"] or request["spent"] >= REQUEST_BUDGET * self.ds.sql_time_limit_ms / 1000:
        raise QueryInterrupted(lanes.Interrupted("interrupted"), sql, params)
    page_size = page_size or self.ds.page_size
    time_limit = self.ds.sql_time_limit_ms
    if custom_time_limit and custom_time_limit < time_limit:
        time_limit = custom_time_limit
    most = self.ds.max_returned_rows
    if most == page_size:
        most += 1
    fetch = most + 1 if most and truncate else None
    started = time.monotonic()
    with trace("sql", database=self.name, sql=sql.strip(), params=params):
        try:
            names, rows = await lanes.lane(str(self.path)).run(sql, params, time_limit, fetch)
        except lanes.Interrupted as e:
            request["timed_out"] = True
            raise QueryInterrupted(e, sql, params) from None
        except lanes.LaneError as e:
            raise datasette.database.sqlite3.OperationalError(str(e)) from None
        finally:
            request["spent"] += time.monotonic() - started
    truncated = fetch is not None and len(rows) > most
    return Results(lanes.rows(names, rows[:most] if fetch is not None else rows), truncated,
                   tuple((n, None, None, None, None, None, None) for n in names))


datasette.database.sqlite_timelimit = sqlite_timelimit
Database.execute = execute


def chart_queries(datasette) -> frozenset[str]:
    boards = datasette.plugin_config("datasette-dashboards") or {}
    return frozenset(c["query"] for b in boards.values() for c in b.get("charts", {}).values() if c.get("query"))


def caller_sql(query_string: bytes, trusted: frozenset[str]) -> bool:
    """Whether a request carries SQL its caller wrote, its query string read as Datasette reads it."""
    args = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    written = [(k, v) for k, v in args if k in CALLER_KEYS or k.startswith("_search")]
    return bool(written) and not all(k == "sql" and v in trusted for k, v in written)


@hookimpl
def prepare_connection(conn, database, datasette):
    """Every connection gets the limits. Those to a served database file, which take readers' SQL, get the
    authorizer too; Datasette's own in-memory ones (its catalogue, which it writes and no reader may query,
    and the one /-/versions.json tries features on) run only Datasette's SQL."""
    db = datasette.databases.get(database)
    if db is not None and db.path and not db.is_memory:
        sqlpolicy.harden(conn)
    else:
        sqlpolicy.apply_limits(conn)


@hookimpl
def startup(datasette):
    async def start_lanes():
        for db in datasette.databases.values():
            if db.path and not db.is_memory:
                await asyncio.get_running_loop().run_in_executor(None, lanes.lane(str(db.path)).start)
    return start_lanes


@hookimpl
def asgi_wrapper(datasette):
    gate = {}

    def wrap(app):
        async def limited(scope, receive, send):
            if scope["type"] != "http" or not caller_sql(scope.get("query_string", b""), chart_queries(datasette)):
                return await app(scope, receive, send)
            semaphore = gate.setdefault("adhoc", asyncio.Semaphore(ADHOC_AT_ONCE))  # on the server's loop
            try:
                await asyncio.wait_for(semaphore.acquire(), QUEUE_SECONDS)
            except asyncio.TimeoutError:
                body = json.dumps({"ok": False, "status": 429, "title": "Too many queries",
                                   "error": "Too many SQL queries are waiting: try again shortly."}).encode()
                await send({"type": "http.response.start", "status": 429, "headers": [
                    (b"content-type", b"application/json; charset=utf-8"), (b"retry-after", b"5")]})
                return await send({"type": "http.response.body", "body": body})
            token = CALLER.set({"timed_out": False, "spent": 0.0})

            async def marked(message):  # so that the proxy keeps no answer to a caller's own SQL
                if message["type"] == "http.response.start":
                    message = dict(message, headers=[*message.get("headers", []), (b"x-caller-sql", b"1")])
                await send(message)
            try:
                await app(scope, receive, marked)
            finally:
                CALLER.reset(token)
                semaphore.release()
        return limited
    return wrap
