"""Keep client mistakes out of the 5xx range, say what was wrong, and keep the server read-only.

1. Read-only: only GET, HEAD and OPTIONS reach Datasette; any other method gets 405 (Datasette 0.65 answers
   a POST to a table or a read-only canned query with a 500). OPTIONS is answered here, 204 with the
   methods allowed and CORS preflight headers (Datasette itself answers it 405 on most pages).
2. Before Datasette sees a request, the parameters it would choke on or silently ignore get a 400 (or a
   404 for a row key of the wrong shape) that names them: unknown filter columns and operators, unknown
   canned-query parameters and choices, a `_timelimit` or `_through` it cannot parse, a CSV of the
   database page without `sql`.
3. Exceptions Datasette raises from a value in the request (int() of `_next`, a binding it cannot fill,
   undecodable JSON) and its own 5xx DatasetteErrors become 400s with Datasette's message; anything else
   stays a 500, so a real fault still shows. tests/test_url_sweep.py sweeps generated URLs for 5xx.
4. With `rich` installed (frictionless brings it), Datasette 0.65's error handler pretty-prints every
   traceback with rich, which raises outside an `except` block for an error Datasette never raised (the
   404 of a URL no route matches), turning it into a 500: tell Datasette rich is absent.
"""
import json
import re
import sqlite3
from urllib.parse import parse_qsl, unquote

import datasette.handle_exception as default_errors
from datasette import hookimpl
from datasette.filters import Filters
from datasette.utils.asgi import BadRequest, NotFound, Request
from datasette.views.base import DatasetteError

default_errors.rich = None
READ_METHODS = {"GET", "HEAD", "OPTIONS"}
ALLOW = b"GET, HEAD, OPTIONS"
OPERATORS = set(Filters._filters_by_key)
FORMATS = {"", "json", "csv"}
FACETS = {"_facet", "_facet_array", "_facet_date"}
# Exceptions Datasette raises only from a value in the request: a client's mistake, not a fault.
CLIENT_MISTAKES = (ValueError, sqlite3.ProgrammingError, sqlite3.InterfaceError, UnicodeError, OverflowError)
PATH = re.compile(r"^/(?P<db>[^/.]+)(?:/(?P<name>[^/.]+)(?:/(?P<key>[^/]*?))?)?(?:\.(?P<fmt>\w+))?$")


class Relations:
    """Columns and primary keys of the immutable database's tables and views, read once."""

    def __init__(self, ds):
        self.ds, self.columns, self.pks = ds, {}, {}

    async def load(self, db_name: str) -> bool:
        if db_name in self.columns:
            return True
        if db_name not in self.ds.databases or db_name.startswith("_"):
            return False
        db = self.ds.get_database(db_name)
        names = await db.table_names() + await db.view_names()
        self.columns[db_name] = {n: set(await db.table_columns(n)) for n in names}
        self.pks[db_name] = {n: await db.primary_keys(n) for n in await db.table_names()}
        return True


def problem(ds, db: str, name: str | None, key: str | None, fmt: str, args: list, rel: Relations) -> Exception | None:
    """What is wrong with a request to /db[/name[/key]][.fmt]?args, as the exception to answer with."""
    given = dict(args)
    if "_timelimit" in given and not given["_timelimit"].isdigit():
        return BadRequest(f"_timelimit must be a whole number of milliseconds, not {given['_timelimit'][:40]!r}")
    if "_through" in given:
        try:
            through = json.loads(given["_through"])
            assert isinstance(through, dict) and {"table", "column", "value"} <= set(through)
        except (ValueError, AssertionError):
            return BadRequest('_through must be JSON like {"table": ..., "column": ..., "value": ...}')
    if name is None:
        if fmt == "csv" and not given.get("sql"):
            return BadRequest("A CSV of the database page needs a query: add ?sql=SELECT ...")
        return None
    queries = ds.metadata("queries", database=db) or {}
    if name in queries:
        return query_problem(name, queries[name], args, ds.plugin_config("client_errors") or {})
    columns = rel.columns[db].get(name)
    if columns is None:
        return None  # Datasette's own 404
    if key is not None:
        pks = rel.pks[db].get(name) or []
        parts = key.split(",")
        if pks and len(parts) != len(pks):
            return NotFound(f"A row of {name} is named by {len(pks)} value(s) separated by commas "
                            f"({', '.join(pks)}); {unquote(key)[:60]!r} has {len(parts)}")
        return None
    if name in rel.pks[db]:
        columns = columns | {"rowid"}
    facets = [v for k, v in args if k in FACETS and v not in columns]
    if facets:
        return BadRequest(f"Cannot facet {name} by {', '.join(repr(f[:60]) for f in facets)}: not a column. "
                          f"Columns: {', '.join(sorted(columns))}")
    unknown = [k for k, _ in args if not k.startswith("_") and not known_filter(k, columns)]
    if unknown:
        return BadRequest(f"Unknown filter {', '.join(repr(u[:60]) for u in dict.fromkeys(unknown))} on {name}: "
                          f"a filter is a column, or column__operator with an operator among "
                          f"{', '.join(sorted(OPERATORS))}. Columns: {', '.join(sorted(columns))}")
    return None


def known_filter(key: str, columns: set[str]) -> bool:
    if key in columns:
        return True
    column, _, op = key.rpartition("__")
    return column in columns and op in OPERATORS


def query_problem(name: str, query: dict, args: list, config: dict) -> Exception | None:
    """Unknown parameters of a canned query, and values outside a parameter's choices, named."""
    params = query.get("params", [])
    unknown = [k for k, _ in args if not k.startswith("_") and k not in params]
    if unknown:
        return BadRequest(f"Unknown parameter {', '.join(repr(u[:60]) for u in dict.fromkeys(unknown))}: "
                          f"{name} takes {', '.join(params) or 'no parameters'}")
    for param, value in args:
        choice = config.get("choices", {}).get(name, {}).get(param)
        if choice and value.strip() and value.strip().casefold() not in {v.casefold() for v in choice["accepts"]}:
            return BadRequest(f"{value[:60]!r} is not a {choice['noun']}: {choice['hint']}")
    return None


async def answer(ds, scope, receive, send, exception: Exception) -> None:
    """Datasette's own error page (HTML, or JSON for .json) for an exception raised before Datasette ran."""
    response = await default_errors.handle_exception(ds, Request(scope, receive), exception)()
    await response.asgi_send(send)


@hookimpl
def asgi_wrapper(datasette):
    relations = Relations(datasette)

    def wrap(app):
        async def guarded(scope, receive, send):
            if scope["type"] != "http":
                return await app(scope, receive, send)
            if scope["method"] not in READ_METHODS:
                body = json.dumps({"ok": False, "status": 405, "title": "Method not allowed",
                                   "error": "This package is served read-only: use GET."}).encode()
                await send({"type": "http.response.start", "status": 405,
                            "headers": [(b"content-type", b"application/json; charset=utf-8"), (b"allow", ALLOW)]})
                return await send({"type": "http.response.body", "body": body})
            if scope["method"] == "OPTIONS":
                await send({"type": "http.response.start", "status": 204, "headers": [
                    (b"allow", ALLOW), (b"access-control-allow-origin", b"*"),
                    (b"access-control-allow-methods", ALLOW), (b"access-control-allow-headers", b"*"),
                    (b"access-control-max-age", b"86400")]})
                return await send({"type": "http.response.body", "body": b""})
            m = PATH.match(scope["path"])
            if m and (m["fmt"] or "") in FORMATS and await relations.load(m["db"]):
                raw = scope.get("query_string", b"").decode("latin-1")
                args = parse_qsl(raw, keep_blank_values=True, encoding="utf-8", errors="replace")
                raw_key = m["key"]
                if raw_key is not None:  # the key as sent, before percent-decoding: its commas separate the parts
                    raw_key = scope.get("raw_path", scope["path"].encode()).decode("latin-1").split("/")[3]
                    raw_key = raw_key.split(".")[0] if m["fmt"] else raw_key
                found = problem(datasette, m["db"], m["name"], raw_key, m["fmt"] or "", args, relations)
                if found is not None:
                    return await answer(datasette, scope, receive, send, found)
            await app(scope, receive, send)
        return guarded
    return wrap


@hookimpl(tryfirst=True)
def handle_exception(datasette, request, exception):
    if isinstance(exception, DatasetteError) and exception.status >= 500:
        exception.status = 400
    elif isinstance(exception, CLIENT_MISTAKES):
        message = f"This page cannot use a value in the request ({type(exception).__name__}: {exception})"
        return default_errors.handle_exception(datasette, request, BadRequest(message[:500]))
    return None  # Datasette's own handler renders the error
