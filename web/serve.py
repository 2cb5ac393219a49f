"""Serve the package read-only through Datasette: one definition of how, for make serve and the tests.

    python -m web.serve [--port 8001] [--bare] [--database PATH]

--bare serves the same database file with Datasette's defaults only (no metadata, plugins or
limits): the baseline of the load benchmark.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from core import schemas

ROOT = schemas.ROOT
BUILD = ROOT / "build"
DATABASE = BUILD / "managing_doctors.sqlite"
METADATA = BUILD / "metadata.json"
PLUGINS = ROOT / "web" / "plugins"
TEMPLATES = ROOT / "web" / "templates"
STATIC = {"csv": ROOT / "tables", "parquet": BUILD / "parquet", "package": BUILD / "package",
          "validation": BUILD / "validation", "downloads": BUILD / "downloads", "site": BUILD / "site"}
# Public and read-only: queries stop after 1 s, at most 1,000 rows come back, facets give up quickly.
# Table pages offer the facets the schemas imply (web/metadata.py), not Datasette's suggestions, which
# would offer the label columns the pages hide.
# Arbitrary SQL runs on a low-priority thread of its own (plugins/sql_limits.py): these three are for table
# pages and canned queries, however many runaway queries are sent.
SETTINGS = {"sql_time_limit_ms": 1000, "max_returned_rows": 1000, "facet_time_limit_ms": 200,
            "allow_download": True, "default_cache_ttl": 300, "num_sql_threads": 3,
            "suggest_facets": False}


def free_port() -> int:
    """A free port on loopback, for test and benchmark servers."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(bare: bool = False, timeout: float = 30, database: Path | None = None):
    """`python -m web.serve` in the background on a free loopback port, once it answers:
    (process, port). For the browser test and the load benchmark."""
    import http.client
    import subprocess
    import time

    port = free_port()
    args = [sys.executable, "-m", "web.serve", "--port", str(port)] + (["--bare"] if bare else [])
    args += ["--database", str(database)] if database else []
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/-/versions.json")
            if conn.getresponse().status == 200:
                return proc, port
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"Datasette did not answer within {timeout:.0f} seconds")


def mounts() -> list[tuple[str, Path]]:
    return [(m, p) for m, p in STATIC.items() if p.is_dir()]


def cli_args(port: int, bare: bool = False, database: Path = DATABASE) -> list[str]:
    if bare:
        return ["serve", "--immutable", str(database), "-h", "127.0.0.1", "-p", str(port)]
    args = ["serve", "--immutable", str(database), "--metadata", str(METADATA), "--plugins-dir", str(PLUGINS),
            "--template-dir", str(TEMPLATES), "--cors", "-h", "127.0.0.1", "-p", str(port)]
    for mount, path in mounts():
        args += ["--static", f"{mount}:{path}"]
    for key, value in SETTINGS.items():
        args += ["--setting", key, str(value).lower() if isinstance(value, bool) else str(value)]
    return args


def app():
    """The same server in-process, for Datasette's test client."""
    import json

    from datasette.app import Datasette

    return Datasette(immutables=[str(DATABASE)], metadata=json.loads(METADATA.read_text(encoding="utf-8")),
                     static_mounts=[(m, str(p)) for m, p in mounts()], settings=SETTINGS,
                     plugins_dir=str(PLUGINS), template_dir=str(TEMPLATES), cors=True)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8001")))
    p.add_argument("--bare", action="store_true")
    p.add_argument("--database", type=Path, default=DATABASE, help="another copy of the database (tests)")
    args = p.parse_args(argv)
    exe = Path(sys.executable).with_name("datasette")
    if not args.bare:  # make serve's first line: where to go (Uvicorn confirms once it listens)
        print(f"Serving the package read-only: open http://127.0.0.1:{args.port}/ (Ctrl-C stops it)", flush=True)
    os.execv(str(exe), [str(exe)] + cli_args(args.port, args.bare, args.database))


if __name__ == "__main__":
    raise SystemExit(main())
