"""Caller-written SQL in a process of its own, which the server kills when a statement overruns its time.

SQLite checks its time limit between virtual machine instructions, never inside one: a function that
runs long on one call (a huge printf, a quadratic user function) cannot be interrupted, and holds its
thread, and the GIL where the function is Python's, for as long as it runs. So SQL a caller wrote runs
here, in a child process at the lowest CPU priority, one statement at a time, with the same authorizer and
limits as every connection (web/sqlpolicy.py), a cap on SQLite's heap, on the address space and on the size
of a result. The server waits for each answer until the statement's time limit plus GRACE; past that it
kills the process, answers as for any query that took too long, and starts another. A crash inside SQLite
ends the child, never the server.

Answers come back as JSON, not pickle: the server never unpickles what a process running anyone's SQL sent.
"""
from __future__ import annotations

import base64
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
import weakref
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection

from web import sqlfunctions, sqlpolicy

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

GRACE = 0.5  # seconds past a statement's time limit before its process is killed
# SQLite instructions between time-limit checks: often, as a caller's functions can make each one slow (the
# server's own connections check every 50,000, to spare the GIL other requests need; here there are none).
CHECK_EVERY = 1_000
HEAP_LIMIT = 256 * 2**20  # SQLite's own allocations in the lane
ADDRESS_SPACE = 2 * 2**30  # the whole process: Python, SQLite and the result being built
RESULT_LIMIT = 16 * 2**20  # bytes of values in one answer (the largest page the package serves is about 1 MB)


class Interrupted(Exception):
    """The statement ran past its time limit (and was interrupted, or its process killed)."""


class LaneError(Exception):
    """SQLite, or the lane, refused the statement; the message says why."""


# The child: a connection of its own, answering one request at a time until the server hangs up.

def _encode(value):
    return {"b": base64.b64encode(value).decode("ascii")} if isinstance(value, bytes) else value


def _decode(value):
    return base64.b64decode(value["b"]) if isinstance(value, dict) else value


def _execute(conn: sqlite3.Connection, request: dict) -> dict:
    deadline = time.perf_counter() + request["time_limit_ms"] / 1000
    conn.set_progress_handler(lambda: 1 if time.perf_counter() >= deadline else None, CHECK_EVERY)
    try:
        cursor = conn.execute(request["sql"], request["params"])
        fetch = request["fetch"]
        rows = cursor.fetchmany(fetch) if fetch is not None else cursor.fetchall()
        names = [d[0] for d in cursor.description or ()]
        size = sum(len(v) if isinstance(v, (str, bytes)) else 8 for row in rows for v in row)
        if size > RESULT_LIMIT:
            return {"error": f"The result is larger than {RESULT_LIMIT // 2**20} MB: ask for fewer or smaller values"}
        return {"names": names, "rows": [[_encode(v) for v in row] for row in rows]}
    except sqlite3.OperationalError as e:
        if e.args == ("interrupted",):
            return {"interrupted": True}
        return {"error": str(e)}
    except MemoryError:
        return {"error": "The query needs more memory than a query may have"}
    except (sqlite3.Error, ValueError, OverflowError, TypeError) as e:
        return {"error": str(e) or type(e).__name__}
    finally:
        conn.set_progress_handler(None, CHECK_EVERY)


def serve(database: str) -> None:
    """The child's loop: lowest priority, capped, then request after request over stdin and stdout."""
    import resource

    from datasette.utils import escape_fts

    sqlite3.enable_callback_tracebacks(False)  # Datasette's import turned them on: one per refused call, in a log
    requests, answers = Connection(os.dup(0), writable=False), Connection(os.dup(1), readable=False)
    sys.stdout = sys.stderr  # nothing else may write to the answers' pipe
    os.nice(19)
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    conn = sqlite3.connect(f"file:{database}?immutable=1", uri=True)
    conn.text_factory = lambda b: str(b, "utf-8", "replace")  # as Datasette reads text
    conn.execute(f"PRAGMA hard_heap_limit = {HEAP_LIMIT}")
    sqlfunctions.register(conn)
    conn.create_function("escape_fts", 1, escape_fts)
    sqlpolicy.harden(conn)
    while True:
        try:
            request = json.loads(requests.recv_bytes())
        except (EOFError, OSError):
            return  # the server has gone
        answers.send_bytes(json.dumps(_execute(conn, request)).encode("utf-8"))


# The server's side.

class Lane:
    """One child process for one database file: statements queue on a single thread that waits for the
    child's answer, or kills it."""

    def __init__(self, database: str):
        self.database = database
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="caller-sql")
        self.process: subprocess.Popen | None = None
        self.requests = self.answers = None
        self.restarts = 0  # processes killed or found dead (for tests and the log)
        weakref.finalize(self, Lane._kill, self.__dict__)

    @staticmethod
    def _kill(state: dict) -> None:
        process = state.get("process")
        if process is not None and process.poll() is None:
            process.kill()
            process.wait(5)

    def _start(self) -> None:
        process = subprocess.Popen([sys.executable, "-m", "web.lane", self.database], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, cwd=ROOT, close_fds=True)
        self.requests = Connection(os.dup(process.stdin.fileno()), readable=False)
        self.answers = Connection(os.dup(process.stdout.fileno()), writable=False)
        process.stdin.close()
        process.stdout.close()
        self.process = process

    def _stop(self) -> None:
        Lane._kill(self.__dict__)
        self.requests.close()
        self.answers.close()
        self.process = self.requests = self.answers = None
        self.restarts += 1

    def start(self) -> None:
        """Start the child now (the first statement would): its process is ready before a caller waits."""
        self.pool.submit(self._ensure).result()

    def _ensure(self) -> None:
        if self.process is None or self.process.poll() is not None:
            if self.process is not None:
                self._stop()
            self._start()

    def _round_trip(self, request: dict) -> dict:
        self._ensure()
        try:
            self.requests.send_bytes(json.dumps(request).encode("utf-8"))
            if self.answers.poll(request["time_limit_ms"] / 1000 + GRACE):
                return json.loads(self.answers.recv_bytes())
            self._stop()  # past its time and still running: a statement SQLite could not interrupt
            return {"interrupted": True}
        except (EOFError, OSError):  # the child died under the statement
            self._stop()
            return {"error": "The query stopped the process that ran it"}

    async def run(self, sql: str, params, time_limit_ms: int, fetch: int | None) -> tuple[list[str], list[tuple]]:
        """(column names, rows) of the statement, at most `fetch` rows if given; raises Interrupted or
        LaneError. The parameters are adapted as the server's own connections would adapt them."""
        import asyncio

        if isinstance(params, dict):
            params = {k: _adapted(v) for k, v in params.items()}
        else:
            params = [_adapted(v) for v in params or []]
        request = {"sql": sql, "params": params, "time_limit_ms": time_limit_ms, "fetch": fetch}
        try:
            json.dumps(request)
        except (TypeError, ValueError) as e:
            raise LaneError(f"A parameter cannot be sent: {e}") from None
        reply = await asyncio.get_running_loop().run_in_executor(self.pool, self._round_trip, request)
        return _answer(reply)


def _adapted(value):
    """A value as sqlite3 would bind it on this side: through the adapter registered for its type, if any
    (a label shown beside its code binds as the code, web/plugins/presentation.py)."""
    adapter = sqlite3.adapters.get((type(value), sqlite3.PrepareProtocol))
    return adapter(value) if adapter else value


def _answer(reply: dict) -> tuple[list[str], list[tuple]]:
    if reply.get("interrupted"):
        raise Interrupted("interrupted")
    if "error" in reply:
        raise LaneError(reply["error"])
    return reply["names"], [tuple(_decode(v) for v in row) for row in reply["rows"]]


_lanes: dict[str, Lane] = {}
_lanes_lock = threading.Lock()


def lane(database: str) -> Lane:
    """The process's lane for a database file (one, however many Datasette instances serve it)."""
    with _lanes_lock:
        if database not in _lanes:
            _lanes[database] = Lane(database)
        return _lanes[database]


_rows_connection = sqlite3.connect(":memory:", check_same_thread=False)
_rows_lock = threading.Lock()


def rows(names: list[str], values: list[tuple]) -> list:
    """sqlite3.Row objects, as Datasette's own connections give them (by name and by position)."""
    if not names:
        return values
    columns = ", ".join('NULL AS "{}"'.format(n.replace('"', '""')) for n in names)
    with _rows_lock:
        cursor = _rows_connection.execute(f"SELECT {columns}")
    return [sqlite3.Row(cursor, v) for v in values]


if __name__ == "__main__":
    serve(sys.argv[1])
