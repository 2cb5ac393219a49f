"""Runaway queries do not starve readers: arbitrary SQL (?sql= on the database page, as the charts and
anyone's own queries send it) runs at most ADHOC_AT_ONCE at a time; the rest wait their turn without
holding a SQL thread. Datasette runs every query, canned or not, on one pool of num_sql_threads threads:
with 3 threads and 8 runaway queries (each cut off after 1 s) a table page waited seconds for a thread.
Now the other threads stay free for table pages and canned queries. A request that waits longer than
QUEUE_SECONDS gets 429 with Retry-After (a client's excess, not a server fault)."""
import asyncio
import json

from datasette import hookimpl

ADHOC_AT_ONCE = 1
QUEUE_SECONDS = 20


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
            try:
                await app(scope, receive, send)
            finally:
                semaphore.release()
        return limited
    return wrap
