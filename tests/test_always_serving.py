"""Both servers keep serving, as the Makefile runs them (`python -m web.serve`, `python -m web.proxy`) on a
copy of the served snapshot: two rebuilds published underneath while clients read, and a process killed,
refuse or fail no request; each rebuild is taken once; and behind the proxy no answer of one build is ever
given under another build's ETag (the cache key and the ETag both start with the serving id). Half the
readers keep their connection alive throughout: a retiring process or nginx never cuts one under them."""
import http.client
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from served import WAVES, publish

from web import serve

CALLER = "/managing_doctors.json?sql=select+respondents+from+survey_waves+where+survey_year%3D2015&_shape=array"


class Readers:
    """Threads reading pages in a loop until stopped: half on a new connection per request, half on one
    kept-alive connection, reopened only when an answer says Connection: close. Each answer: (status,
    ETag, 2015 respondents)."""

    def __init__(self, port: int, paths: list[str], threads: int = 4):
        self.port, self.paths, self.stop = port, paths, threading.Event()
        self.answers: list[tuple] = []
        self.failures: list[str] = []
        self.threads = [threading.Thread(target=self.read, args=(i % 2 == 0,)) for i in range(threads)]

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join(60)

    def read(self, keep_alive: bool):
        conn, n = None, 0
        while not self.stop.is_set():
            path = self.paths[n % len(self.paths)]
            n += 1
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                conn.request("GET", path)
                r = conn.getresponse()
                body = r.read()
                figure = None
                if r.status == 200:
                    figure = next(row["respondents"] for row in json.loads(body) if row.get("survey_year", 2015) == 2015)
                else:
                    self.failures.append(f"{path}: {r.status}")
                self.answers.append((r.status, r.getheader("ETag"), figure))
                if not keep_alive or r.will_close:
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException, ValueError) as e:
                self.failures.append(f"{path}: {type(e).__name__} {e}")
                conn = None

    def seen(self, figure) -> bool:
        return any(a[2] == figure for a in self.answers[-20:])


def lines(proc, until: str, timeout: float = 90) -> list[str]:
    """The process's lines of output up to one containing `until` (or all within `timeout`)."""
    out, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], 1)
        if ready:
            line = proc.stdout.readline()
            if not line:
                break
            out.append(line)
            if until in line:
                break
    return out


def rebuild_twice(served, readers, proc) -> list[str]:
    """Publish two rebuilds while the readers read; each is served within a minute. The server's lines."""
    said = []
    for figure in (473, 474):
        folder = publish(served, figure)
        said += lines(proc, f"serving build {folder.name}")
        deadline = time.monotonic() + 60
        while not readers.seen(figure) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert readers.seen(figure), f"the rebuild with {figure} respondents was not served: {said}"
        time.sleep(1)
    return said


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise


def children(pid: int) -> list[int]:
    found = []
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                status = (p / "status").read_text()
                cmdline = (p / "cmdline").read_bytes()
            except OSError:
                continue
            if f"\nPPid:\t{pid}\n" in status and b"web.backend" in cmdline:
                found.append(int(p.name))
    return found


def test_make_serve_takes_each_rebuild_and_a_restart_without_refusing_a_request(tmp_path):
    served = tmp_path / "served"
    first = publish(served)
    port = serve.free_port()
    proc = subprocess.Popen([sys.executable, "-m", "web.serve", "--port", str(port), "--served", str(served)],
                            cwd=serve.ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout.readline().startswith(f"Serving the package read-only: open http://127.0.0.1:{port}/")
        said = lines(proc, f"serving build {first.name}")
        with Readers(port, [WAVES, CALLER]) as readers:
            time.sleep(1)
            said += rebuild_twice(served, readers, proc)
        assert readers.failures == [], readers.failures[:10]
        assert len(readers.answers) > 50
        assert sum("serving build" in line for line in said) == 3, said  # the first build and each rebuild, once
        # The Datasette process killed (what it was answering is lost with it): the supervisor holds the
        # socket, so the requests that come meanwhile wait for the process started in its place.
        [worker] = children(proc.pid)
        os.kill(worker, signal.SIGKILL)
        with Readers(port, [WAVES, CALLER]) as meanwhile:
            deadline = time.monotonic() + 60
            while len(meanwhile.answers) < 20 and time.monotonic() < deadline:
                time.sleep(0.2)
        restarted = [c for c in children(proc.pid) if c != worker]
        assert restarted, "the killed Datasette process was not started again"
        assert meanwhile.failures == [] and len(meanwhile.answers) >= 20, meanwhile.failures[:10]
    finally:
        assert stop(proc) == 0


def test_serve_public_takes_each_rebuild_and_a_dead_backend_without_refusing_a_request(tmp_path):
    served = tmp_path / "served"
    publish(served)
    port = serve.free_port()
    with tempfile.TemporaryDirectory(prefix="nginx-") as prefix:
        proc = subprocess.Popen([sys.executable, "-m", "web.proxy", "--port", str(port), "--backends", "2",
                                 "--prefix", prefix, "--served", str(served)],
                                cwd=serve.ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            said = lines(proc, "serving on")
            assert any(line.startswith(f"serving on http://127.0.0.1:{port}/") for line in said), said
            # Cached pages, and uncached ones (each JSON page size once per build is a new key).
            paths = [WAVES, CALLER] + [f"{WAVES}&_size={n}" for n in range(2, 200)]
            with Readers(port, paths, threads=6) as readers:
                time.sleep(1)
                said += rebuild_twice(served, readers, proc)
                backends = children(proc.pid)
                os.kill(backends[0], signal.SIGKILL)
                deadline = time.monotonic() + 60
                while len(set(children(proc.pid)) - set(backends)) < 1 and time.monotonic() < deadline:
                    time.sleep(0.2)
                restarted = set(children(proc.pid)) - set(backends)
                time.sleep(1)
            assert len(backends) == 2 and restarted, "the killed backend was not started again"
            assert readers.failures == [], readers.failures[:10]
            assert sum("serving build" in line for line in said) == 2, said  # each rebuild, once
            # Never one build's figures under another's ETag.
            by_etag: dict[str, set] = {}
            for _, etag, figure in readers.answers:
                by_etag.setdefault(etag, set()).add(figure)
            assert len(by_etag) == 3 and all(len(f) == 1 for f in by_etag.values()), by_etag
        finally:
            assert stop(proc) == 0
