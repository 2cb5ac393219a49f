"""make serve-public: Datasette processes behind Debian's nginx as a caching reverse proxy, in the foreground.

    python -m web.proxy [--port 8080] [--backends 2] [--prefix build/proxy]

Starts the Datasette processes of web.serve on free loopback ports, fills in web/nginx.conf and runs
nginx on 127.0.0.1:PORT with its pid, temporary files and cache under the prefix. Ctrl-C, or either side
stopping, stops them all.

Caching: nginx keeps every answer for the life of a build. Its cache key (and the ETag clients revalidate
with) starts with the build id, a hash of everything the processes serve, so after a rebuild and a restart
no old entry can be served, while the URLs stay the ones Datasette publishes.
"""
from __future__ import annotations

import argparse
import hashlib
import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Self

from web import serve

TEMPLATE = serve.ROOT / "web" / "nginx.conf"
PREFIX = serve.BUILD / "proxy"
TEMP_DIRS = ("body", "proxy", "fastcgi", "uwsgi", "scgi")


def served_files(database: Path = serve.DATABASE) -> list[tuple[str, Path]]:
    """(name, path) of every file the Datasette processes serve from: names, not paths, so that the same
    build has the same id on every machine."""
    files = [("database", database), ("metadata", serve.METADATA)]
    files += [(f"plugins/{p.name}", p) for p in sorted(serve.PLUGINS.glob("*.py"))]
    for mount, path in serve.mounts():
        files += [(f"{mount}/{p.relative_to(path)}", p) for p in sorted(path.rglob("*")) if p.is_file()]
    return files


def build_id(database: Path = serve.DATABASE) -> str:
    """A hash of what the Datasette processes serve: the files, the settings and the Datasette version.
    Any of them changing changes every cache key."""
    import datasette.version

    h = hashlib.sha256(f"{datasette.version.__version__} {sorted(serve.SETTINGS.items())}".encode())
    for name, path in served_files(database):
        h.update(f"\0{name}\0".encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:20]


def fingerprint(database: Path = serve.DATABASE) -> list:
    """What a rebuild changes, cheaply: each served file's name, size, modification time and inode."""
    out = []
    for name, path in served_files(database):
        try:
            st = path.stat()
            out.append((name, st.st_size, st.st_mtime_ns, st.st_ino))
        except FileNotFoundError:  # mid-rebuild
            out.append((name, None))
    return out


def nginx_binary() -> str:
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if not found:
        raise SystemExit("nginx is not installed: make system-packages (Debian: apt-get install nginx)")
    return found


def render(port: int, backends: list[int], prefix: Path, build: str) -> str:
    text = TEMPLATE.read_text(encoding="utf-8")
    values = {"PORT": str(port), "PREFIX": str(prefix), "CACHE": str(prefix / "cache"), "BUILD": build,
              "UPSTREAMS": "\n".join(f"        server 127.0.0.1:{p};" for p in backends)}
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    left = re.findall(r"@[A-Z]+@", text)
    assert not left, f"{TEMPLATE} has placeholders no value fills: {left}"
    return text


def answers(port: int, path: str = "/-/versions.json") -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        conn.request("GET", path)
        return conn.getresponse().status == 200
    except OSError:
        return False


def unprivileged() -> dict:
    """Popen arguments that drop root to nobody: nginx never runs as root, whoever starts it."""
    if os.geteuid() != 0:
        return {}
    return {"user": "nobody", "group": "nogroup", "extra_groups": []}


class Stack:
    """nginx in front of `backends` Datasette processes, serving `database`; a context manager."""

    def __init__(self, port: int, backends: int = 2, prefix: Path = PREFIX, database: Path = serve.DATABASE):
        self.port, self.count, self.prefix, self.database = port, backends, Path(prefix), Path(database)
        self.datasettes: list[subprocess.Popen] = []
        self.nginx: subprocess.Popen | None = None
        self.build = ""

    def start(self, timeout: float = 30) -> Stack:
        try:
            self.build = build_id(self.database)
            with ThreadPoolExecutor(self.count) as pool:  # side by side: each takes a few seconds to answer
                futures = [pool.submit(serve.start, database=self.database) for _ in range(self.count)]
            started = [f.result() for f in futures if f.exception() is None]
            self.datasettes = [proc for proc, _ in started]  # so that stop() ends them if one failed
            if len(started) < self.count:
                raise next(f.exception() for f in futures if f.exception() is not None)
            self.prefix.mkdir(parents=True, exist_ok=True)
            for d in TEMP_DIRS:
                (self.prefix / "temp" / d).mkdir(parents=True, exist_ok=True)
            (self.prefix / "cache").mkdir(exist_ok=True)
            (self.prefix / "gzip.sock").unlink(missing_ok=True)  # left behind by an nginx that was killed
            conf = self.prefix / "nginx.conf"
            conf.write_text(render(self.port, [port for _, port in started], self.prefix, self.build), encoding="utf-8")
            if os.geteuid() == 0:  # nginx, as nobody, writes its pid, temporary files and cache here
                for path in [self.prefix, *self.prefix.rglob("*")]:
                    os.chown(path, *_nobody())
            self.nginx = subprocess.Popen([nginx_binary(), "-p", str(self.prefix), "-c", str(conf), "-e", "stderr"],
                                          **unprivileged())
            deadline = time.monotonic() + timeout
            while not answers(self.port):
                if self.nginx.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not start on 127.0.0.1:{self.port} (see its messages above)")
                time.sleep(0.1)
        except BaseException:
            self.stop()
            raise
        return self

    def processes(self) -> list[subprocess.Popen]:
        return [p for p in [self.nginx, *self.datasettes] if p is not None]

    def stop(self) -> None:
        for proc in self.processes():
            if proc.poll() is None:
                proc.terminate()
        for proc in self.processes():
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.nginx, self.datasettes = None, []

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _nobody() -> tuple[int, int]:
    import grp
    import pwd

    return pwd.getpwnam("nobody").pw_uid, grp.getgrnam("nogroup").gr_gid


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def serve_until_stopped(stack: Stack, settle: float = 2.0) -> int:
    """Serve until Ctrl-C or a process stops. A rebuild underneath restarts the stack once the files have
    settled, so the cache moves to the new build id: old answers outlive a rebuild by seconds only."""
    seen, changed_at = fingerprint(stack.database), None
    while all(proc.poll() is None for proc in stack.processes()):
        time.sleep(0.5)
        now = fingerprint(stack.database)
        if now != seen:
            seen, changed_at = now, time.monotonic()
        elif changed_at is not None and time.monotonic() - changed_at >= settle:
            stack.stop()
            stack.start()
            changed_at = None
            print(f"the build changed: restarted on build {stack.build}", flush=True)
    print("a process of the stack stopped: stopping the others", file=sys.stderr)
    return 1


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--backends", type=int, default=2, help="Datasette processes behind the proxy")
    p.add_argument("--prefix", type=Path, default=PREFIX, help="nginx's configuration, pid, temporary files and cache")
    p.add_argument("--database", type=Path, default=serve.DATABASE, help="another copy of the database (tests)")
    args = p.parse_args(argv)
    # Ctrl-C or a SIGTERM stops every process, even where a parent shell left SIGINT ignored.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    with Stack(args.port, args.backends, args.prefix, args.database) as stack:
        print(f"serving on http://127.0.0.1:{args.port}/ through nginx (cache in {args.prefix}, build {stack.build}) "
              f"from {args.backends} Datasette processes; Ctrl-C stops them all", flush=True)
        try:
            return serve_until_stopped(stack)
        except KeyboardInterrupt:
            return 0


if __name__ == "__main__":
    raise SystemExit(main())
