"""make serve-public: nginx in front of two Datasette processes, started as the Makefile starts it (on a free
loopback port, nginx with its own prefix, pid, temporary files and cache under a temporary folder). Pages
are cached (HIT), gzipped and never written to; a rebuilt database is never served from the old cache."""
import gzip
import http.client
import json
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

import pytest

from web import proxy, serve

WAVES = "/managing_doctors/survey_waves.json?_shape=array"
RUNAWAY = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"

pytestmark = pytest.mark.skipif(not (shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")),
                                reason="Debian's nginx is not installed (make system-packages)")


def proc_status(proc: Path) -> dict:
    """A process's /proc status lines as {field: value}; empty once it has gone."""
    try:
        return dict(line.split(":\t", 1) for line in (proc / "status").read_text().splitlines() if ":\t" in line)
    except OSError:
        return {}


def request(port, path, method="GET", headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request(method, path, headers=headers or {})
    r = conn.getresponse()
    return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()


@pytest.fixture
def database(tmp_path):
    """A copy of the built database, which the test may rebuild."""
    copy = tmp_path / "db" / serve.DATABASE.name
    copy.parent.mkdir()
    shutil.copyfile(serve.DATABASE, copy)
    return copy


@pytest.fixture
def prefix():
    """nginx's prefix: under /tmp rather than pytest's root-only folder, as nginx runs as nobody under root."""
    with tempfile.TemporaryDirectory(prefix="nginx-") as d:
        yield Path(d)


def stack(database, prefix, port=None):
    return proxy.Stack(port or serve.free_port(), backends=2, prefix=prefix, database=database)


def test_pages_are_cached_gzipped_and_read_only(database, prefix):
    with stack(database, prefix) as s:
        first, second = request(s.port, WAVES), request(s.port, WAVES)
        assert (first[0], first[1]["x-cache-status"]) == (200, "MISS")
        assert (second[0], second[1]["x-cache-status"]) == (200, "HIT")
        assert second[2] == first[2] and [w["survey_year"] for w in json.loads(second[2])] == [2002, 2015]
        etag = second[1]["etag"]
        assert etag == f'W/"{s.build}"'
        assert request(s.port, WAVES, headers={"If-None-Match": etag})[0] == 304

        table = "/managing_doctors/survey_results"
        status, headers, body = request(s.port, table, headers={"Accept-Encoding": "gzip"})
        assert status == 200 and headers["content-encoding"] == "gzip" and b"<table" in gzip.decompress(body)
        status, headers, plain = request(s.port, table)  # cached gzipped, unzipped for a client without gzip
        assert status == 200 and "content-encoding" not in headers and plain == gzip.decompress(body)

        for method in ("POST", "PUT", "DELETE", "PATCH"):
            status, headers, _ = request(s.port, table, method)
            assert status == 405 and headers["allow"] == "GET, HEAD, OPTIONS"
        assert request(s.port, "/managing_doctors/role_group_results?role_group=x", "POST")[0] == 405
        assert request(s.port, "/managing_doctors/no_such_table")[0] == 404

        # A runaway query is cut by Datasette's time limit: a 400, never cached, and the server answers on.
        runaway = f"/managing_doctors.json?sql={quote(RUNAWAY)}"
        assert [request(s.port, runaway)[0] for _ in range(2)] == [400, 400]
        assert request(s.port, runaway)[1]["x-cache-status"] != "HIT"
        assert request(s.port, WAVES)[0] == 200

        master = Path(f"/proc/{s.nginx.pid}")
        workers = [p for p in Path("/proc").iterdir() if p.name.isdigit() and proc_status(p).get("PPid") == master.name]
        assert workers and all(proc_status(p)["Uid"].split()[0] != "0" for p in [master, *workers])
    listens = [line.split() for line in (prefix / "nginx.conf").read_text().splitlines()
               if line.strip().startswith("listen")]
    # Loopback only: a TCP port on 127.0.0.1, or a socket inside the stack's own prefix.
    assert listens and all(w[1].startswith(("127.0.0.1:", f"unix:{prefix}/")) for w in listens)
    assert any(w[1].startswith("127.0.0.1:") for w in listens)


def test_a_rebuilt_database_is_never_served_stale(database, prefix):
    port = serve.free_port()  # the same address each time, as make serve-public PORT=... restarts it
    with stack(database, prefix, port) as s:
        before = request(s.port, WAVES)
        assert request(s.port, WAVES)[1]["x-cache-status"] == "HIT"
    # Restarted on the same build, the cache on disk still answers: what follows could go stale.
    with stack(database, prefix, port) as s:
        again = request(s.port, WAVES)
        assert again[1]["x-cache-status"] == "HIT" and again[2] == before[2]

    with sqlite3.connect(database) as con:  # the rebuild: one cell changes
        con.execute("UPDATE survey_waves SET respondents = 473 WHERE survey_year = 2015")
    con.close()
    with stack(database, prefix, port) as s:
        after = request(s.port, WAVES)
        assert after[1]["x-cache-status"] == "MISS"
        assert [w["respondents"] for w in json.loads(after[2])] == [1092, 473]
        assert after[1]["etag"] != before[1]["etag"]
        assert request(s.port, WAVES, headers={"If-None-Match": before[1]["etag"]})[0] == 200


def next_line(proc, timeout=60) -> str:
    """The process's next line of output, or "" after `timeout` seconds without one."""
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    return proc.stdout.readline() if ready else ""


def test_make_serve_public_restarts_itself_on_a_rebuild_and_stops_on_sigterm(database, prefix):
    """`python -m web.proxy`, as make serve-public runs it: a database rebuilt underneath it is served
    within seconds, and a SIGTERM stops nginx and Datasette with it."""
    port = serve.free_port()
    cmd = [sys.executable, "-m", "web.proxy", "--port", str(port), "--backends", "1", "--prefix", str(prefix),
           "--database", str(database)]
    proc = subprocess.Popen(cmd, cwd=serve.ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert "serving on" in next_line(proc)
        assert request(port, WAVES)[0] == 200 and request(port, WAVES)[1]["x-cache-status"] == "HIT"
        nginx = int((prefix / "nginx.pid").read_text())
        with sqlite3.connect(database) as con:
            con.execute("UPDATE survey_waves SET respondents = 474 WHERE survey_year = 2015")
        con.close()
        assert "restarted on build" in next_line(proc)  # within the 2 s settling time and a restart
        assert [w["respondents"] for w in json.loads(request(port, WAVES)[2])] == [1092, 474]
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
    assert not (prefix / "nginx.pid").exists() and not Path(f"/proc/{nginx}").exists()  # the first nginx, gone
