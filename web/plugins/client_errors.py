"""Keep client mistakes out of the 5xx range, say what was wrong, and keep the server read-only.

1. Read-only: only GET, HEAD and OPTIONS reach Datasette; any other method gets 405 (Datasette 0.65 answers
   a POST to a table or a read-only canned query with a 500). OPTIONS is answered here, 204 with the
   methods allowed and CORS preflight headers (Datasette itself answers it 405 on most pages).
2. Before Datasette sees a request, the parameters it would choke on or silently ignore get a 400 (or a
   404 for a row key of the wrong shape or a format it has not) that names them: unknown filter columns
   and operators, unknown canned-query parameters and choices, parameters starting with _ that Datasette
   does not know (so that every URL the proxy caches is one Datasette reads whole), a `_timelimit` or
   `_through` it cannot parse, a CSV of the database page without `sql`. The path is read as Datasette
   routes it: the raw path, each name tilde-decoded (`survey~5Fresults` is `survey_results`).
3. Exceptions Datasette raises from a value in the request (int() of `_next`, a binding it cannot fill,
   undecodable JSON, a query over its time limit or SQLite's limits on size) and its own 5xx
   DatasetteErrors become 400s with Datasette's message; anything else stays a 500, so a real fault still
   shows. tests/test_url_sweep.py sweeps generated URLs for 5xx.
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
from datasette.database import QueryInterrupted
from datasette.filters import Filters
from datasette.utils import tilde_decode
from datasette.utils.asgi import BadRequest, NotFound, Request
from datasette.views.base import DatasetteError
from datasette.views.database import QueryView

default_errors.rich = None
READ_METHODS = {"GET", "HEAD", "OPTIONS"}
ALLOW = b"GET, HEAD, OPTIONS"
OPERATORS = set(Filters._filters_by_key)
FORMATS = {"", "json", "csv", "jsono"}  # .jsono redirects to .json?_shape=objects
DATABASE_FORMATS = FORMATS | {"db"}  # the database file itself
ROW_FORMATS = FORMATS | {"blob"}  # a binary value of a row
FACETS = {"_facet", "_facet_array", "_facet_date"}
# The parameters starting with _ that Datasette 0.65 reads (its views, filters, facets and renderers).
KNOWN = re.compile(r"_(sort|sort_desc|sort_by_desc|where|col|nocol|timelimit|shape|next|facet|facet_array|facet_date|"
                   r"facet_size|blob_column|blob_hash|through|label|labels|json|json_infinity|ttl|trace|stream|size|"
                   r"show_hidden|searchmode|search|search_.+|nosuggest|nofacet|nocount|nl|header|fts_table|fts_pk|"
                   r"filter_(column|op|value)(_\d+)?|extras|dl|context|show_sql|hide_sql|success)")
# Exceptions Datasette raises only from a value in the request: a client's mistake, not a fault. SQLite's
# DataError and MemoryError are its limits on size (web/sqlpolicy.py) refusing what a query asked for.
CLIENT_MISTAKES = (ValueError, sqlite3.ProgrammingError, sqlite3.InterfaceError, sqlite3.DataError, UnicodeError,
                   OverflowError, MemoryError)
# Datasette's routes, read from the raw path as Datasette reads it.
PATH = re.compile(r"^/(?P<db>[^/.]+)(?:/(?P<name>[^/.]+)(?:/(?P<key>[^/]+?))?)?(?:\.(?P<fmt>\w+))?$")


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
        columns = {n: set(await db.table_columns(n)) for n in names}
        pks = {n: await db.primary_keys(n) for n in await db.table_names()}
        # Both at once, after every await: a request arriving meanwhile (a new process under load) reads
        # them whole or reads them itself.
        self.pks[db_name], self.columns[db_name] = pks, columns
        return True


def problem(ds, db: str, name: str | None, key: str | None, fmt: str, args: list, rel: Relations) -> Exception | None:
    """What is wrong with a request to /db[/name[/key]][.fmt]?args, as the exception to answer with."""
    allowed = DATABASE_FORMATS if name is None else ROW_FORMATS if key is not None else FORMATS
    if fmt not in allowed:
        return NotFound(f"There is no .{fmt[:20]} version of this page: it is served as HTML, .json and .csv")
    unknown = [k for k, _ in args if k.startswith("_") and not KNOWN.fullmatch(k)]
    if unknown:
        return BadRequest(f"Unknown parameter {', '.join(repr(u[:60]) for u in dict.fromkeys(unknown))}: "
                          f"Datasette's own parameters start with _ (see docs.datasette.io)")
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
    elif "_next" in given and not (given["_next"].isdigit() and int(given["_next"]) < 2**62):
        # A view's next page is a row offset, which Datasette writes into its SQL.
        return BadRequest(f"_next on {name} is a row offset: a whole number, not {given['_next'][:40]!r}")
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


_query_data = QueryView.data


async def query_data(self, request, *args, **kwargs):
    """Datasette's query view, whose CSV of a query SQLite refused was an empty 200: a 400 with the error."""
    result = await _query_data(self, request, *args, **kwargs)
    if request.url_vars.get("format") == "csv" and isinstance(result, tuple) and result[0].get("error"):
        raise DatasetteError(result[0]["error"], title="Invalid SQL", status=400)
    return result


QueryView.data = query_data


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
            raw_path = scope.get("raw_path") or scope["path"].encode("utf-8")
            m = PATH.match(raw_path.decode("latin-1").partition("?")[0])
            db = tilde_decode(m["db"]) if m else None
            if m and await relations.load(db):
                raw = scope.get("query_string", b"").decode("latin-1")
                args = parse_qsl(raw, keep_blank_values=True, encoding="utf-8", errors="replace")
                name = tilde_decode(m["name"]) if m["name"] is not None else None
                # The key as sent, before decoding: its commas separate the parts.
                found = problem(datasette, db, name, m["key"], m["fmt"] or "", args, relations)
                if found is not None:
                    return await answer(datasette, scope, receive, send, found)
            await app(scope, receive, send)
        return guarded
    return wrap


@hookimpl(tryfirst=True)
def handle_exception(datasette, request, exception):
    if isinstance(exception, DatasetteError) and exception.status >= 500:
        exception.status = 400
    elif isinstance(exception, QueryInterrupted):  # a CSV's query over its time limit (pages answer it themselves)
        limit = datasette.setting("sql_time_limit_ms") / 1000
        message = f"SQL query took too long: the time limit is {limit:g} s, or the lower _timelimit the request asked for"
        return default_errors.handle_exception(datasette, request, BadRequest(message))
    elif isinstance(exception, CLIENT_MISTAKES):
        message = f"This page cannot use a value in the request ({type(exception).__name__}: {exception})"
        return default_errors.handle_exception(datasette, request, BadRequest(message[:500]))
    return None  # Datasette's own handler renders the error
