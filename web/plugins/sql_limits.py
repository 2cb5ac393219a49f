"""Runaway queries do not starve readers.

Datasette runs every query, canned or not, on one pool of num_sql_threads threads: with 3 threads and 8
runaway queries (each cut off after 1 s) a table page waited seconds for a thread. Here arbitrary SQL
(?sql= on the database page, as the charts and anyone's own queries send it) runs on a pool of its own,
ADHOC_AT_ONCE thread(s) at the lowest CPU priority (nice 19, Linux threads have their own), so that:
- table pages and canned queries always have Datasette's threads to themselves, and the CPU first;
- arbitrary SQL waits its turn in the asyncio queue, holding no thread; a request that waits longer than
  QUEUE_SECONDS gets 429 with Retry-After (a client's excess, not a server fault).

The time limit is also checked less often. Datasette checks it from a Python progress handler every
1,000 SQLite instructions (about 0.08 ms), so a running query takes the GIL 12,000 times a second and
every other request's Python waits behind those calls. Every CHECK_EVERY instructions (a few
milliseconds) still stops a query within a few milliseconds of its limit.
"""
import asyncio
import contextvars
import json
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import datasette.database
from datasette import hookimpl
from datasette.database import Database

ADHOC_AT_ONCE = 1
QUEUE_SECONDS = 20
CHECK_EVERY = 50_000
ADHOC = contextvars.ContextVar("adhoc_sql", default=False)  # set for the request's task, read in execute_fn


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


def lowest_priority() -> None:
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
    except (AttributeError, OSError):  # not Linux: the separate pool alone still keeps threads free
        pass


ADHOC_POOL = ThreadPoolExecutor(ADHOC_AT_ONCE, thread_name_prefix="adhoc-sql", initializer=lowest_priority)
_execute_fn = Database.execute_fn


async def execute_fn(self, fn):
    """Datasette's Database.execute_fn, on the arbitrary-SQL pool when the request is arbitrary SQL."""
    if not ADHOC.get() or self.ds.executor is None:
        return await _execute_fn(self, fn)

    def in_thread():  # as Datasette's: one connection per thread and database
        conn = getattr(datasette.database.connections, self.name, None)
        if not conn:
            conn = self.connect()
            self.ds._prepare_connection(conn, self.name)
            setattr(datasette.database.connections, self.name, conn)
        return fn(conn)

    return await asyncio.get_running_loop().run_in_executor(ADHOC_POOL, in_thread)


datasette.database.sqlite_timelimit = sqlite_timelimit
Database.execute_fn = execute_fn


def is_adhoc(scope, databases) -> bool:
    path = scope["path"].strip("/")
    base = path.rsplit(".", 1)[0] if path.endswith((".json", ".csv")) else path
    query = scope.get("query_string", b"")
    return base in databases and (query.startswith(b"sql=") or b"&sql=" in query)


@hookimpl
def asgi_wrapper(datasette):
    gate = {}

    def wrap(app):
        async def limited(scope, receive, send):
            if scope["type"] != "http" or not is_adhoc(scope, datasette.databases):
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
            token = ADHOC.set(True)
            try:
                await app(scope, receive, send)
            finally:
                ADHOC.reset(token)
                semaphore.release()
        return limited
    return wrap
