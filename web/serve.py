"""Serve the package read-only through Datasette: one definition of how, for make serve and the tests.

    python -m web.serve [--port 8001] [--served build/served] [--bare]

Serves the published snapshot build/served/current (publish/snapshot.py), resolved to its folder, from a
Datasette process (web/backend.py) on a socket this supervisor holds. When `current` moves to a new
snapshot it starts a process on the new one, waits until it answers, then stops the old one gracefully:
no request is refused and none is answered from a mix of two builds. A process that dies is started
again on the same socket, where connections wait meanwhile.

--bare serves the published database file with Datasette's defaults only (no metadata, plugins or
limits): the baseline of the load benchmark.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import signal
import sys
import time
from pathlib import Path

from core import schemas

ROOT = schemas.ROOT
BUILD = ROOT / "build"
DATABASE = BUILD / "managing_doctors.sqlite"
METADATA = BUILD / "metadata.json"
SERVED = BUILD / "served"
PLUGINS = ROOT / "web" / "plugins"
TEMPLATES = ROOT / "web" / "templates"
# Where each static mount is published; a snapshot holds a folder of the same name for each.
STATIC = {"csv": ROOT / "tables", "parquet": BUILD / "parquet", "package": BUILD / "package",
          "validation": BUILD / "validation", "downloads": BUILD / "downloads", "site": BUILD / "site"}
# Public and read-only: queries stop after 1 s, at most 1,000 rows come back, facets give up quickly.
# Table pages offer the facets the schemas imply (web/metadata.py), not Datasette's suggestions, which
# would offer the label columns the pages hide.
# SQL a caller writes runs in a process of its own (plugins/sql_limits.py, web/lane.py): these three
# threads are for table pages, canned queries and charts, however many runaway queries are sent.
# Browsers revalidate every page (max-age 0): a rebuild is never hidden behind a cached page.
SETTINGS = {"sql_time_limit_ms": 1000, "max_returned_rows": 1000, "facet_time_limit_ms": 200,
            "allow_download": True, "default_cache_ttl": 0, "num_sql_threads": 3,
            "suggest_facets": False}
POLL = 0.5  # seconds between looks at build/served/current and the backend


def snapshot(served: Path = SERVED) -> Path:
    """The snapshot folder `served`/current points to, resolved."""
    pointer = Path(served) / "current"
    if not pointer.is_symlink() or not pointer.resolve().is_dir():
        raise SystemExit(f"nothing is published in {served}: run make")
    return pointer.resolve()


def serving_id(folder: Path) -> str:
    """What a server answers from a snapshot: its build id (the folder's name, from its bytes) with the code
    that serves it (web/, the plugins and templates), Datasette's version and the settings. The proxy's
    cache key and ETag start with it."""
    import datasette.version

    h = hashlib.sha256(f"{folder.name} {datasette.version.__version__} {sorted(SETTINGS.items())}".encode())
    for path in sorted([*(ROOT / "web").rglob("*.py"), *TEMPLATES.rglob("*.html")]):
        h.update(f"\0{path.relative_to(ROOT)}\0".encode() + path.read_bytes())
    return h.hexdigest()[:20]


def datasette(folder: Path | None = None):
    """Datasette on a snapshot folder (the current one by default), as every server runs it."""
    from datasette.app import Datasette

    folder = folder or snapshot()
    mounts = [(m, str(folder / m)) for m in STATIC if (folder / m).is_dir()]
    return Datasette(immutables=[str(folder / DATABASE.name)],
                     metadata=json.loads((folder / METADATA.name).read_text(encoding="utf-8")),
                     static_mounts=mounts, settings=SETTINGS, plugins_dir=str(PLUGINS), template_dir=str(TEMPLATES),
                     cors=True)


def app():
    """The same server in-process, for Datasette's test client."""
    return datasette()


def free_port() -> int:
    """A free port on loopback, for test and benchmark servers."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(port: int, path: str = "/-/versions.json", timeout: float = 2) -> bool:
    import http.client

    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        conn.request("GET", path)
        return conn.getresponse().status == 200
    except OSError:
        return False


def start(bare: bool = False, timeout: float = 60, served: Path | None = None, output=None):
    """`python -m web.serve` in the background on a free loopback port, once it answers: (process, port).
    For the tests and the load benchmark."""
    import subprocess

    port = free_port()
    args = [sys.executable, "-m", "web.serve", "--port", str(port)] + (["--bare"] if bare else [])
    args += ["--served", str(served)] if served else []
    proc = subprocess.Popen(args, cwd=ROOT, stdout=output or subprocess.DEVNULL, stderr=output or subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if answers(port):
            return proc, port
        if proc.poll() is not None:
            break
        time.sleep(0.2)
    proc.kill()
    proc.wait()
    raise RuntimeError(f"Datasette did not answer within {timeout:.0f} seconds")


def bare(port: int, served: Path) -> int:
    exe = Path(sys.executable).with_name("datasette")
    database = snapshot(served) / DATABASE.name
    os.execv(str(exe), [str(exe), "serve", "--immutable", str(database), "-h", "127.0.0.1", "-p", str(port)])


class Stopped(Exception):
    pass


def _stop(signum, frame):
    raise Stopped


def supervise(port: int, served: Path) -> int:
    """make serve: the socket, a backend on the current snapshot, a new one for each new snapshot."""
    from web.backend import Backend, listening_socket

    try:
        sock = listening_socket(port)
    except OSError as e:
        print(f"cannot listen on 127.0.0.1:{port}: {e.strerror} (make serve PORT=... for another port)", file=sys.stderr)
        return 1
    folder = snapshot(served)
    backend = Backend(folder, sock)
    retiring: list[Backend] = []  # finishing what they answer after a switch
    failed: set[Path] = set()  # snapshots that did not start: not tried again
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        if not backend.start().ready():
            print(f"the build {folder.name} did not start (see above)", file=sys.stderr)
            return 1
        print(f"serving build {folder.name}", flush=True)
        while True:
            time.sleep(POLL)
            retiring = [b for b in retiring if b.alive()]
            if not backend.alive():
                print("the Datasette process stopped: starting it again", file=sys.stderr, flush=True)
                backend.restart()
            try:
                newest = snapshot(served)
            except SystemExit:  # mid-publish, or removed: keep serving what is served
                continue
            if newest == folder or newest in failed:
                continue
            fresh = Backend(newest, sock)
            retiring.append(fresh)  # until it is ready, stopped with the others
            if fresh.start().ready():
                retiring.remove(fresh)
                backend.terminate()  # it finishes what it is answering; the new one takes new connections
                retiring.append(backend)
                backend, folder = fresh, newest
                print(f"serving build {folder.name}", flush=True)
            else:
                failed.add(newest)
                print(f"the build {newest.name} did not start: still serving {folder.name}", file=sys.stderr, flush=True)
    except Stopped:
        return 0
    finally:
        for b in [backend, *retiring]:
            b.terminate()
        for b in [backend, *retiring]:
            b.wait()
        sock.close()


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8001")))
    p.add_argument("--served", type=Path, default=SERVED, help="the folder of snapshots and their current link")
    p.add_argument("--bare", action="store_true")
    args = p.parse_args(argv)
    if args.bare:
        return bare(args.port, args.served)
    # make serve's first line: where to go.
    print(f"Serving the package read-only: open http://127.0.0.1:{args.port}/ (Ctrl-C stops it)", flush=True)
    return supervise(args.port, args.served)


if __name__ == "__main__":
    raise SystemExit(main())
