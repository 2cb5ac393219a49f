"""make serve-public: nginx in front of two Datasette processes, started as the Makefile starts it (on a free
loopback port, with its own prefix and a copy of the served snapshot in a temporary folder), attacked as a
client would attack it: pages are cached, gzipped and read-only; no client can steer it (mark a backend
failed, poison the cache, multiply its entries, get a 502 for a long header); nginx never runs as root,
never writes outside its own folders and follows no symlink planted in them."""
import gzip
import http.client
import json
import os
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote

import pytest
from served import WAVES, get, publish

from web import proxy, serve

RUNAWAY = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
ROOT_ONLY = os.geteuid() == 0

pytestmark = pytest.mark.skipif(not (shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")),
                                reason="Debian's nginx is not installed (make system-packages)")


def serving_id(served: Path) -> str:
    """The ETag's serving id, worked out here rather than asked of web.serve.serving_id or the stack: the first
    20 hex digits of the SHA-256 over the build id current points to, Datasette's version and the settings,
    then, in sorted order, each file of web/ (Python) and web/templates/ (HTML), by path and bytes."""
    import hashlib

    import datasette.version

    root = serve.ROOT
    h = hashlib.sha256(f"{os.readlink(served / 'current')} {datasette.version.__version__} "
                       f"{sorted(serve.SETTINGS.items())}".encode())
    for path in sorted([*(root / "web").rglob("*.py"), *(root / "web" / "templates").rglob("*.html")]):
        h.update(b"\0" + path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:20]


def proc_status(proc: Path) -> dict:
    """A process's /proc status lines as {field: value}; empty once it has gone."""
    try:
        return dict(line.split(":\t", 1) for line in (proc / "status").read_text().splitlines() if ":\t" in line)
    except OSError:
        return {}


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """One stack for the module's tests that only read; its log is kept for the forwarded-header test.
    nginx's prefix is under /tmp rather than pytest's root-only folder, as nginx runs as nobody under root."""
    served = tmp_path_factory.mktemp("served")
    publish(served)
    with tempfile.TemporaryDirectory(prefix="nginx-") as prefix, open(served / "stack.log", "w+") as log:
        with proxy.Stack(serve.free_port(), backends=2, prefix=Path(prefix), served=served, output=log) as s:
            s.log = log
            yield s


def test_pages_are_cached_gzipped_and_read_only(stack):
    s = stack
    first, second = get(s.port, WAVES), get(s.port, WAVES)
    assert (first[0], first[1]["x-cache-status"]) == (200, "MISS")
    assert (second[0], second[1]["x-cache-status"]) == (200, "HIT")
    assert second[2] == first[2] and [w["survey_year"] for w in json.loads(second[2])] == [2002, 2015]
    assert second[1]["etag"] == f'W/"{serving_id(s.served)}"' and second[1]["cache-control"] == "no-cache"

    table = "/managing_doctors/survey_results"
    conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=20)
    conn.request("GET", table, headers={"Accept-Encoding": "gzip"})
    r = conn.getresponse()
    zipped = r.read()
    assert r.status == 200 and r.getheader("Content-Encoding") == "gzip"
    status, headers, plain = get(s.port, table)  # cached gzipped, unzipped for a client without gzip
    assert status == 200 and "content-encoding" not in headers and plain == gzip.decompress(zipped).decode()
    assert "<table" in plain

    for method in ("POST", "PUT", "DELETE", "PATCH"):
        status, headers, _ = get(s.port, table, method=method)
        assert status == 405 and headers["allow"] == "GET, HEAD, OPTIONS"
        assert headers["x-content-type-options"] == "nosniff"
    assert get(s.port, "/managing_doctors/role_group_results?role_group=x", method="POST")[0] == 405
    assert get(s.port, "/managing_doctors/no_such_table")[0] == 404

    # A runaway query is cut by Datasette's time limit: a 400, never cached, and the server answers on.
    runaway = f"/managing_doctors.json?sql={quote(RUNAWAY)}"
    assert [get(s.port, runaway)[0] for _ in range(2)] == [400, 400]
    assert get(s.port, runaway)[1]["x-cache-status"] != "HIT"
    assert get(s.port, WAVES)[0] == 200

    for nginx in (s.nginx, s.cache):  # the public face and the cache
        master = Path(f"/proc/{nginx.pid}")
        workers = [p for p in Path("/proc").iterdir() if p.name.isdigit() and proc_status(p).get("PPid") == master.name]
        assert workers and all(proc_status(p)["Uid"].split()[0] != "0" for p in [master, *workers])
    listens = [line.split() for conf in (s.conf, s.cache_conf) for line in conf.read_text().splitlines()
               if line.strip().startswith("listen")]
    # Loopback only: a TCP port on 127.0.0.1, or a socket inside the stack's own prefix.
    assert listens and all(w[1].startswith(("127.0.0.1:", f"unix:{s.prefix}/")) for w in listens)
    assert sum(w[1].startswith("127.0.0.1:") for w in listens) == 1


def test_no_request_marks_a_backend_failed_and_long_headers_get_414_or_431(stack):
    """Datasette's redirect for .jsono echoes the URL in two headers: with nginx's 4 KB buffer that was a
    502, and with max_fails=1 it took the backend out for every uncached page."""
    s = stack
    long_redirects = [f"/managing_doctors/items.jsono?_sort={'x' * 2200}&n={i}" for i in range(4)]
    long_redirects += [f"/managing_doctors/items.jsono?_sort={'%C3%BF' * 1200}&n={i}" for i in range(4)]
    statuses = [get(s.port, u)[0] for u in long_redirects]
    assert all(st < 500 for st in statuses), statuses
    uncached = [get(s.port, f"/managing_doctors/survey_results.json?_size={n}")[0] for n in range(1, 21)]
    assert uncached == [200] * 20
    status, headers, _ = get(s.port, "/managing_doctors/items?" + "x" * 9000)
    assert status == 414 and headers["x-content-type-options"] == "nosniff", status
    status, headers, _ = get(s.port, "/managing_doctors/items", headers={"X-Long": "y" * 9000})
    assert status == 431 and "frame-ancestors 'none'" in headers["content-security-policy"], status


def test_forwarded_headers_come_from_nginx_never_from_the_client(stack):
    s = stack
    page = "/managing_doctors/survey_results.json?_size=5&_labels=on"
    spoofed = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example", "Forwarded": "proto=https",
               "X-Forwarded-For": "203.0.113.77"}
    first = json.loads(get(s.port, page, headers=spoofed)[2])
    later = json.loads(get(s.port, page)[2])
    assert first["next_url"].startswith(f"http://127.0.0.1:{s.port}/"), first["next_url"]
    assert later["next_url"] == first["next_url"]
    s.log.flush()
    s.log.seek(0)
    assert "203.0.113.77" not in s.log.read(), "a client's X-Forwarded-For reached the access log"
    assert get(s.port, page, headers={"Host": "evil.example"})[0] == 421


def test_the_cache_keeps_only_known_parameters_and_no_caller_sql(stack):
    s = stack
    unknown = "/managing_doctors/items.json?_cachebuster=1"
    assert [get(s.port, unknown)[0], get(s.port, unknown)[1]["x-cache-status"]] == [400, "MISS"]
    # A static file's query is not part of its key: a thousand variants are one entry.
    get(s.port, "/-/static/app.css?a=1")
    assert get(s.port, "/-/static/app.css?a=2")[1]["x-cache-status"] == "HIT"
    # Pages outside the databases ignore a query: answered, never kept.
    get(s.port, "/about?x=1")
    assert get(s.port, "/about?x=1")[1]["x-cache-status"] != "HIT"
    # A caller's own SQL is answered, never kept; the charts' queries are.
    mine = f"/managing_doctors.json?sql={quote('select 41 + 1')}"
    assert [get(s.port, mine)[1]["x-cache-status"] for _ in range(2)] == ["MISS", "MISS"]
    # The ETag gives 304 for a page that exists, never for one that does not.
    etag = get(s.port, WAVES)[1]["etag"]
    assert get(s.port, WAVES, headers={"If-None-Match": etag})[0] == 304
    assert get(s.port, "/managing_doctors/no_such_table", headers={"If-None-Match": etag})[0] == 404
    assert get(s.port, "/no/such/page", headers={"If-None-Match": etag})[0] == 404


def test_stamps_are_not_served(stack):
    assert get(stack.port, "/validation/.passed")[0] == 404
    assert get(stack.port, "/validation/summary.html")[0] == 200


def test_nginx_writes_only_its_own_fresh_folders_and_follows_no_planted_symlink(tmp_path):
    """An older stack, or any process running as nobody, left symlinks where nginx's folders and
    configuration go: starting a stack as root must neither chown nor write through them."""
    served = tmp_path / "served"
    publish(served)
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "secret").write_text("root's")
    before = {p.name: (p.stat().st_uid, p.stat().st_mode, p.read_text() if p.is_file() else None)
              for p in [victim, victim / "secret"]}
    with tempfile.TemporaryDirectory(prefix="nginx-") as d:
        os.chmod(d, 0o755)  # as build/ is: nginx's user may enter
        prefix = Path(d) / "proxy"
        prefix.mkdir()
        for name in ("cache", "run"):
            (prefix / name).symlink_to(victim)
        for name in ("nginx.conf", "nginx-cache.conf", "nginx.conf.next"):
            (prefix / name).symlink_to(victim / "secret")
        if ROOT_ONLY:
            os.chown(prefix, *proxy.nginx_user())  # as the old stack left it: nobody's
        with proxy.Stack(serve.free_port(), backends=1, prefix=prefix, served=served,
                         output=subprocess.DEVNULL) as s:
            assert get(s.port, WAVES)[0] == 200
            conf, run, cache = (prefix / n for n in ("nginx.conf", "run", "cache"))
            assert not any(p.is_symlink() for p in (conf, s.cache_conf, run, cache))
            st = prefix.lstat()
            assert st.st_uid == os.geteuid() and not st.st_mode & 0o022, "the prefix is writable by others"
            for c in (conf, s.cache_conf):
                assert not c.lstat().st_mode & 0o022 and c.lstat().st_uid == os.geteuid()
            for folder in (run, cache):
                assert stat.S_IMODE(folder.lstat().st_mode) == 0o700
            for name in ("gzip.sock", "cache.sock"):
                sock = (run / name).lstat()
                assert stat.S_ISSOCK(sock.st_mode) and stat.S_IMODE(sock.st_mode) == 0o600, name
            if ROOT_ONLY:
                assert (run.lstat().st_uid, cache.lstat().st_uid) == (proxy.nginx_user()[0],) * 2
    after = {p.name: (p.stat().st_uid, p.stat().st_mode, p.read_text() if p.is_file() else None)
             for p in [victim, victim / "secret"]}
    assert after == before and sorted(os.listdir(victim)) == ["secret"]
