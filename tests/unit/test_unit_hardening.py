"""web/plugins/hardening.py's pure parts: each inline script allowed by its own hash, the policy of a page, of a
chart page and of anything else, and the headers every answer carries."""
import asyncio
import base64
import hashlib
import importlib

import pytest


@pytest.fixture
def hardening():
    return importlib.import_module("web.plugins.hardening")


def sha(body: bytes) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode() + "'"


def test_inline_scripts_by_hash_once_each_external_ones_not(hardening):
    page = (b"<script>a()</script><SCRIPT type='x'>b()\r\n</SCRIPT ><script src='/x.js'></script>"
            b"<script defer SRC = '/y.js'>c()</script><script>a()</script><script>d()</script>")
    assert hardening.inline_script_hashes(page) == [sha(b"a()"), sha(b"b()\n"), sha(b"d()")]
    assert hardening.inline_script_hashes(b"<p>no script</p>") == []
    assert hardening.inline_script_hashes(b"<script>x\ry</script>") == [sha(b"x\ny")]


def test_page_policies(hardening):
    page = hardening.page_policy("/managing_doctors", b"<script>a()</script>")
    assert page == ("default-src 'none'; script-src 'self' " + sha(b"a()") + "; style-src 'self' 'unsafe-inline'; "
                    "img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
                    "object-src 'none'; frame-ancestors 'none'")
    chart = hardening.page_policy("/-/dashboards/report", b"<script>a()</script><script>b()</script>")
    assert f"script-src 'self' {sha(b'a()')} {sha(b'b()')} 'unsafe-eval';" in chart
    assert "'unsafe-eval'" not in hardening.page_policy("/about", b"")
    assert hardening.NOT_A_PAGE == "default-src 'none'; frame-ancestors 'none'"


def test_security_headers_replace_any_sent(hardening):
    headers = hardening.with_security_headers([(b"content-type", b"text/html"), (b"X-Frame-Options", b"ALLOW"),
                                               (b"content-security-policy", b"x")], "p")
    assert headers == [(b"content-type", b"text/html"), (b"x-content-type-options", b"nosniff"),
                       (b"x-frame-options", b"DENY"), (b"content-security-policy", b"p")]


def test_not_found_is_json_with_the_headers(hardening):
    sent = []

    async def send(message):
        sent.append(message)
    asyncio.run(hardening.not_found(send))
    assert (sent[0]["type"], sent[0]["status"]) == ("http.response.start", 404)
    assert (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'") in sent[0]["headers"]
    assert (b"content-type", b"application/json; charset=utf-8") in sent[0]["headers"]
    assert sent[1] == {"type": "http.response.body",
                       "body": b'{"ok": false, "error": "Not found", "status": 404, "title": null}'}


@pytest.mark.parametrize("path,hidden", [("/-/threads", True), ("/-/threads.json", True), ("/-/permissions/", True),
                                         ("/validation/.passed", True), ("/-/versions.json", False),
                                         ("/managing_doctors", False), ("/-/threadsx", False)])
def test_debugging_pages_and_dot_files_are_hidden(hardening, path, hidden):
    assert bool(hardening.DEBUG_PAGES.match(path) or any(p.startswith(".") for p in path.split("/"))) is hidden


def test_the_databases_page_names_files_not_paths(hardening, monkeypatch):
    monkeypatch.setattr(hardening, "_connected", lambda self: [{"name": "db", "path": "/srv/x/db.sqlite"},
                                                               {"name": "memory", "path": None}])
    assert hardening.connected_databases(None) == [{"name": "db", "path": "db.sqlite"}, {"name": "memory", "path": None}]


def answered(hardening, path, messages, kind="http"):
    """What the wrapped app sends for a request of path, when Datasette sends messages."""
    sent, asked = [], []

    async def app(scope, receive, send):
        asked.append(scope["path"])
        for m in messages:
            await send(m)

    async def send(message):
        sent.append(message)
    asyncio.run(hardening.asgi_wrapper(None)(app)({"type": kind, "path": path}, None, send))
    return sent, asked


def test_every_answer_leaves_with_the_headers(hardening):
    json_start = {"type": "http.response.start", "status": 200,
                  "headers": [(b"content-type", b"application/json"), (b"x-frame-options", b"ALLOW")]}
    body = {"type": "http.response.body", "body": b"{}"}
    sent, _ = answered(hardening, "/managing_doctors.json", [json_start, body])
    assert sent == [dict(json_start, headers=[(b"content-type", b"application/json"),
                                              (b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
                                              (b"content-security-policy",
                                               b"default-src 'none'; frame-ancestors 'none'")]), body]
    # a page in two parts: held until whole, then sent with its own scripts' hashes
    page = {"type": "http.response.start", "status": 200, "headers": [(b"Content-Type", b"text/html; charset=utf-8")]}
    parts = [{"type": "http.response.body", "body": b"<script>a()</script>", "more_body": True},
             {"type": "http.response.body", "body": b"<p>x</p>"}]
    sent, _ = answered(hardening, "/managing_doctors", [page, *parts])
    policy = dict(sent[0]["headers"])[b"content-security-policy"].decode()
    assert len(sent) == 2 and sent[0]["status"] == 200 and sent[1] == {"type": "http.response.body",
                                                                       "body": b"<script>a()</script><p>x</p>"}
    assert f"script-src 'self' {sha(b'a()')};" in policy and dict(sent[0]["headers"])[b"x-frame-options"] == b"DENY"
    sent, _ = answered(hardening, "/-/dashboards/report", [page, *parts])
    assert "'unsafe-eval'" in dict(sent[0]["headers"])[b"content-security-policy"].decode()


@pytest.mark.parametrize("path", ["/-/threads", "/-/permissions.json", "/validation/.passed", "/.git/config"])
def test_debugging_pages_and_dot_files_answer_404_without_datasette(hardening, path):
    sent, asked = answered(hardening, path, [{"type": "http.response.start", "status": 200, "headers": []}])
    assert asked == [] and sent[0]["status"] == 404


def test_what_is_not_http_passes_as_it_is(hardening):
    message = {"type": "websocket.accept", "headers": []}
    assert answered(hardening, "/-/threads", [message], kind="websocket") == ([message], ["/-/threads"])
    sent, asked = answered(hardening, "/-/versions.json", [{"type": "http.response.start", "status": 200}])
    assert asked == ["/-/versions.json"] and (b"x-frame-options", b"DENY") in sent[0]["headers"]
