"""What a public, anonymous, read-only site answers beyond Datasette's defaults.

1. Security headers on every answer: X-Content-Type-Options: nosniff, X-Frame-Options: DENY and a
   Content-Security-Policy with frame-ancestors 'none'. On HTML pages the policy allows scripts from this
   origin and the page's own inline scripts, each by its SHA-256 (Datasette's templates, the plugins'
   body scripts and the charts' set-up are inline): no inline event handler, no javascript: URL, nothing
   from another origin, no plugin object, no <base>, no form posting elsewhere. The chart pages also
   allow eval, which Vega compiles its expressions with. Styles may be inline (Datasette's templates and
   Vega write style attributes and elements). JSON, CSV and files get default-src 'none'.
2. Datasette's debugging pages (threads, which show the server's file paths; permissions, messages,
   allow-debug, patterns, auth-token, logout) answer 404, as does any path with a part that starts with a
   dot (the build's stamps, such as validation/.passed).
3. /-/databases.json names each database's file, never its path on the server.
4. The charts fetch their data from this origin by a relative address, not from one built from the
   request's Host and scheme.
"""
import base64
import hashlib
import re
from pathlib import Path

from datasette import hookimpl
from datasette.app import Datasette

DEBUG_PAGES = re.compile(r"^/-/(threads|permissions|messages|allow-debug|patterns|auth-token|logout)(\.json)?/?$")
SCRIPT = re.compile(rb"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
CHARTS = "/-/dashboards"
NOT_A_PAGE = "default-src 'none'; frame-ancestors 'none'"
PAGE = ("default-src 'none'; script-src 'self'{scripts}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; "
        "frame-ancestors 'none'")
HEADERS = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY")]


def inline_script_hashes(html: bytes) -> list[str]:
    """'sha256-...' of each inline script of a page, as a browser hashes it (line ends as the HTML parser
    leaves them)."""
    found = []
    for m in SCRIPT.finditer(html):
        if re.search(rb"\bsrc\s*=", m["attrs"], re.IGNORECASE):
            continue
        body = m["body"].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        found.append("'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode("ascii") + "'")
    return list(dict.fromkeys(found))


def page_policy(path: str, html: bytes) -> str:
    scripts = "".join(" " + h for h in inline_script_hashes(html))
    if path.startswith(CHARTS):
        scripts += " 'unsafe-eval'"
    return PAGE.format(scripts=scripts)


def with_security_headers(headers: list, policy: str) -> list:
    drop = {k for k, _ in HEADERS} | {b"content-security-policy"}
    return [(k, v) for k, v in headers if k.lower() not in drop] + HEADERS + [
        (b"content-security-policy", policy.encode("ascii"))]


async def not_found(send) -> None:
    body = b'{"ok": false, "error": "Not found", "status": 404, "title": null}'
    await send({"type": "http.response.start", "status": 404, "headers": with_security_headers(
        [(b"content-type", b"application/json; charset=utf-8")], NOT_A_PAGE)})
    await send({"type": "http.response.body", "body": body})


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def hardened(scope, receive, send):
            if scope["type"] != "http":
                return await app(scope, receive, send)
            path = scope["path"]
            if DEBUG_PAGES.match(path) or any(part.startswith(".") for part in path.split("/")):
                return await not_found(send)
            start, chunks = None, []

            async def send_hardened(message):
                nonlocal start
                if message["type"] == "http.response.start":
                    start = message
                    content_type = dict((k.lower(), v) for k, v in message.get("headers", [])).get(b"content-type", b"")
                    if not content_type.startswith(b"text/html"):  # sent as it comes (CSV streams)
                        start = None
                        await send(dict(message, headers=with_security_headers(list(message.get("headers", [])),
                                                                                NOT_A_PAGE)))
                    return
                if start is None:
                    return await send(message)
                chunks.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                body = b"".join(chunks)
                headers = with_security_headers(list(start.get("headers", [])), page_policy(path, body))
                await send(dict(start, headers=headers))
                await send({"type": "http.response.body", "body": body})

            await app(scope, receive, send_hardened)
        return hardened
    return wrap


_connected = Datasette._connected_databases


def connected_databases(self):
    return [dict(d, path=d["path"] and Path(d["path"]).name) for d in _connected(self)]  # None: in memory


Datasette._connected_databases = connected_databases


@hookimpl
def extra_template_vars(template, datasette):
    if template in ("dashboard_view.html", "dashboard_chart.html"):
        return {"absolute_url": datasette.urls.instance()}
    return {}
