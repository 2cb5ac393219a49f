"""Keep client mistakes out of the 5xx range.

1. Datasette reports a few bad requests (an unknown sort column, for example) as a 500 server error.
   They are the client's mistake: answer them as 400, with Datasette's own message and page.
2. With `rich` installed (frictionless brings it), Datasette 0.65's error handler pretty-prints every
   error's traceback with rich.get_console().print_exception(), which raises outside an `except` block
   for an error Datasette never raised (the 404 of a URL no route matches, such as //example.com/x).
   That turned every such 404 into a 500. Datasette falls back to plain handling when rich is absent,
   so tell it rich is absent.
"""
import datasette.handle_exception
from datasette import hookimpl
from datasette.views.base import DatasetteError

datasette.handle_exception.rich = None


@hookimpl(tryfirst=True)
def handle_exception(datasette, request, exception):
    if isinstance(exception, DatasetteError) and exception.status >= 500:
        exception.status = 400
    # Datasette's own handler renders the (now 400) error
