"""Keep client mistakes out of the 5xx range, and the server read-only whatever the request.

1. The package is served read-only: only GET, HEAD and OPTIONS reach Datasette; any other method
   gets 405. (Datasette 0.65 itself answers a POST to a table, or to a read-only canned query,
   with a 500: an assertion and a failed response.)
2. Datasette reports a few bad requests (an unknown sort column, for example) as a 500 server error.
   They are the client's mistake: answer them as 400, with Datasette's own message and page.
3. With `rich` installed (frictionless brings it), Datasette 0.65's error handler pretty-prints every
   error's traceback with rich.get_console().print_exception(), which raises outside an `except` block
   for an error Datasette never raised (the 404 of a URL no route matches, such as //example.com/x).
   That turned every such 404 into a 500. Datasette falls back to plain handling when rich is absent,
   so tell it rich is absent.
"""
import json

import datasette.handle_exception
from datasette import hookimpl
from datasette.views.base import DatasetteError

datasette.handle_exception.rich = None
READ_METHODS = {"GET", "HEAD", "OPTIONS"}


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def read_only(scope, receive, send):
            if scope["type"] == "http" and scope["method"] not in READ_METHODS:
                body = json.dumps({"ok": False, "status": 405, "title": "Method not allowed",
                                   "error": "This package is served read-only: use GET."}).encode()
                await send({"type": "http.response.start", "status": 405,
                            "headers": [(b"content-type", b"application/json; charset=utf-8"),
                                        (b"allow", b"GET, HEAD, OPTIONS")]})
                await send({"type": "http.response.body", "body": body})
                return
            await app(scope, receive, send)
        return read_only
    return wrap


@hookimpl(tryfirst=True)
def handle_exception(datasette, request, exception):
    if isinstance(exception, DatasetteError) and exception.status >= 500:
        exception.status = 400
    return None  # Datasette's own handler renders the (now 400) error
