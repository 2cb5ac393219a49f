"""The package over HTTP, for readers on other origins (notebooks, web pages, R and Python):

- CORS on every answer, the static mounts (/package/, /csv/, /parquet/, /downloads/) included:
  Datasette's --cors covers only its own pages;
- CSV as text/csv; charset=utf-8 (the files are UTF-8 without a byte-order mark);
- Parquet as a download: its registered media type and Content-Disposition: attachment (Python's
  mimetypes knows no .parquet, so Datasette served it as text/plain).
"""
import mimetypes

from datasette import hookimpl

mimetypes.add_type("application/vnd.apache.parquet", ".parquet")


def headers_for(path: str, headers: list) -> list:
    names = {k.lower() for k, _ in headers}
    out = [(k, v) for k, v in headers]
    if b"access-control-allow-origin" not in names:
        out.append((b"access-control-allow-origin", b"*"))
    if path.endswith(".csv") and path.startswith(("/package/", "/csv/")):
        out = [(k, v) for k, v in out if k.lower() != b"content-type"] + [(b"content-type", b"text/csv; charset=utf-8")]
    elif path.endswith(".parquet"):
        out = [(k, v) for k, v in out if k.lower() != b"content-type"]
        name = path.rsplit("/", 1)[-1].encode("ascii", "replace").replace(b'"', b"")
        out += [(b"content-type", b"application/vnd.apache.parquet"),
                (b"content-disposition", b'attachment; filename="' + name + b'"')]
    return out


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def with_headers(scope, receive, send):
            if scope["type"] != "http":
                return await app(scope, receive, send)

            async def send_with_headers(message):
                if message["type"] == "http.response.start":
                    message = dict(message, headers=headers_for(scope["path"], list(message.get("headers", []))))
                await send(message)
            await app(scope, receive, send_with_headers)
        return with_headers
    return wrap
