"""make serve-public: Datasette processes behind Debian's nginx as a caching reverse proxy, in the foreground.

    python -m web.proxy [--port 8080] [--backends 2] [--prefix build/proxy] [--served build/served]
                        [--host NAME[:PORT] ...]

Serves the published snapshot build/served/current: BACKENDS Datasette processes (web/backend.py) on
loopback ports, a caching nginx in front of them (web/nginx-cache.conf, filled in) and a second nginx on
127.0.0.1:PORT in front of that (web/nginx.conf), the public face. Ctrl-C or a SIGTERM stops them all.

It keeps serving:
- a backend that dies is started again on its port; meanwhile nginx sends its requests to the others;
- when `current` moves to a new snapshot, new backends start on it and are checked, the caching nginx is
  reloaded with them and the new serving id (which starts every cache key and is the ETag), its old
  workers finish what they were answering, and only then do the old backends stop. No request is
  refused, and no answer of one build is cached under another's key. Once per build: the snapshot is
  made once. The public face is never reloaded, so no client's kept-alive connection is closed by a
  rebuild: when the cache closes one of the public face's, nginx sends the request again itself.

Least privilege: nginx never runs as root (as nobody when started by root). It writes only under the
prefix's run/ and cache/ folders, made fresh at each start and given to its user at once (a new folder
in a folder only we can write: nothing to follow); its configuration is written by rename into the
prefix, which only we can write. Its sockets are in run/, which only its user can open.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Self

from web import serve
from web.backend import Backend

FRONT = serve.ROOT / "web" / "nginx.conf"
CACHE = serve.ROOT / "web" / "nginx-cache.conf"
PREFIX = serve.BUILD / "proxy"
RELOAD_WAIT = 60  # seconds the old nginx workers may take to finish what they answer


def nginx_binary() -> str:
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if not found:
        raise SystemExit("nginx is not installed: make system-packages (Debian: apt-get install nginx)")
    return found


def nginx_user() -> tuple[int, int] | None:
    """(uid, gid) nginx runs as: nobody when we are root, else ourselves (None)."""
    if os.geteuid() != 0:
        return None
    import grp
    import pwd

    return pwd.getpwnam("nobody").pw_uid, grp.getgrnam("nogroup").gr_gid


def render(template: Path, **values: str) -> str:
    text = template.read_text(encoding="utf-8")
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    left = re.findall(r"@[A-Z]+@", text)
    assert not left, f"{template} has placeholders no value fills: {left}"
    return text


def front(port: int, prefix: Path, hosts: list[str]) -> str:
    """The public face's configuration: the same for the stack's life."""
    names = [f"127.0.0.1:{port}", f"localhost:{port}", *hosts]
    return render(FRONT, PORT=str(port), RUN=str(prefix / "run"),
                  HOSTS="\n".join(f'        "{h}" "{h}";' for h in dict.fromkeys(names)))


def cache(backends: list[int], prefix: Path, build: str) -> str:
    """The cache's configuration for one build and its backends."""
    return render(CACHE, RUN=str(prefix / "run"), CACHE=str(prefix / "cache"), BUILD=build,
                  UPSTREAMS="\n".join(f"        server 127.0.0.1:{p} max_fails=0;" for p in backends),
                  MOUNTS="|".join(re.escape(m) for m in serve.STATIC), DATABASES=re.escape(serve.DATABASE.stem))


def fresh_folder(path: Path, owner: tuple[int, int] | None, mode: int = 0o700) -> None:
    """`path` made anew for nginx's user: whatever was there removed (shutil.rmtree follows no symlink),
    then created and given away before anything else can see it. Its parent must be ours alone."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)
    os.mkdir(path, mode)
    if owner is not None:
        os.chown(path, *owner, follow_symlinks=False)


def own_folder(path: Path) -> None:
    """The prefix: a real folder that we own, that only we can write and nginx's user can enter; anything
    else there is replaced."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        st = path.lstat()
        if st.st_uid != os.geteuid() or st.st_mode & 0o022:
            shutil.rmtree(path)  # left by another user (an older stack gave it to nobody)
    path.mkdir(mode=0o755, parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        os.fchmod(fd, 0o755)
    finally:
        os.close(fd)


def write_private(path: Path, text: str) -> None:
    """Written to a new temporary file and renamed over `path`, in a folder only we can write."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def nginx_workers(master: int) -> set[int]:
    found = set()
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                status = (proc / "status").read_text()
            except OSError:
                continue
            if re.search(rf"^PPid:\s+{master}$", status, re.MULTILINE):
                found.add(int(proc.name))
    return found


class Stack:
    """nginx in front of `backends` Datasette processes serving the current snapshot of `served`; a
    context manager. output: where the processes' messages and access logs go (inherited by default)."""

    def __init__(self, port: int, backends: int = 2, prefix: Path = PREFIX, served: Path = serve.SERVED,
                 hosts: list[str] | None = None, output=None):
        self.port, self.count, self.prefix, self.served = port, backends, Path(prefix), Path(served)
        self.hosts, self.output = hosts or [], output
        self.backends: list[Backend] = []
        self.nginx: subprocess.Popen | None = None  # the public face
        self.cache: subprocess.Popen | None = None
        self.snapshot: Path | None = None
        self.build = ""
        self.switches = 0

    @property
    def conf(self) -> Path:
        return self.prefix / "nginx.conf"

    @property
    def cache_conf(self) -> Path:
        return self.prefix / "nginx-cache.conf"

    def _backends(self, snapshot: Path) -> list[Backend]:
        """`count` backends on a snapshot, started side by side (each takes a few seconds), all ready."""
        started = [Backend(snapshot, proxied=True, keep_socket=False, output=self.output) for _ in range(self.count)]
        for b in started:
            b.start()
        with ThreadPoolExecutor(self.count) as pool:
            ready = list(pool.map(lambda b: b.ready(), started))
        if not all(ready):
            for b in started:
                b.stop()
            raise RuntimeError(f"the build {snapshot.name} did not start (see its messages above)")
        return started

    def _configure(self, path: Path, text: str) -> None:
        """A configuration checked by nginx itself (as the user it runs as) before it replaces the one at
        `path`."""
        candidate = path.with_name(path.name + ".next")
        write_private(candidate, text)
        checked = subprocess.run([nginx_binary(), "-t", "-q", "-p", str(self.prefix / "run"), "-c", str(candidate),
                                  "-e", "stderr"], capture_output=True, text=True, **self._as_nginx_user())
        if checked.returncode != 0:
            candidate.unlink()
            raise RuntimeError(f"nginx refused its configuration: {checked.stderr.strip()}")
        os.replace(candidate, path)

    def _nginx(self, conf: Path) -> subprocess.Popen:
        return subprocess.Popen([nginx_binary(), "-p", str(self.prefix / "run"), "-c", str(conf), "-e", "stderr"],
                                umask=0o077, stdout=self.output, stderr=self.output, **self._as_nginx_user())

    @staticmethod
    def _as_nginx_user() -> dict:
        user = nginx_user()
        return {"user": user[0], "group": user[1], "extra_groups": []} if user else {}

    def start(self, timeout: float = 30) -> Stack:
        try:
            own_folder(self.prefix)
            user = nginx_user()
            fresh_folder(self.prefix / "run", user)
            fresh_folder(self.prefix / "cache", user)
            self.snapshot = serve.snapshot(self.served)
            self.build = serve.serving_id(self.snapshot)
            self.backends = self._backends(self.snapshot)
            self._configure(self.cache_conf, cache([b.port for b in self.backends], self.prefix, self.build))
            self._configure(self.conf, front(self.port, self.prefix, self.hosts))
            self.cache = self._nginx(self.cache_conf)
            sockets = [self.prefix / "run" / s for s in ("cache.sock", "gzip.sock")]
            deadline = time.monotonic() + timeout
            while not all(s.exists() for s in sockets):
                if self.cache.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the caching nginx did not start (see its messages above)")
                time.sleep(0.05)
            # nginx makes its unix sockets 0666; only its own user needs them (their folder is 0700 too).
            # Changed as that user, so that nothing planted in its folder can redirect a root chmod.
            subprocess.run(["chmod", "600", *map(str, sockets)], check=True, **self._as_nginx_user())
            self.nginx = self._nginx(self.conf)
            while not serve.answers(self.port):
                if self.nginx.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not start on 127.0.0.1:{self.port} (see its messages above)")
                time.sleep(0.1)
        except BaseException:
            self.stop()
            raise
        return self

    def switch(self, snapshot: Path) -> None:
        """Serve a new snapshot without refusing a request: new backends, checked; nginx reloaded with them;
        the old workers left to finish; then the old backends stopped."""
        fresh, build = self._backends(snapshot), serve.serving_id(snapshot)
        try:
            self._configure(self.cache_conf, cache([b.port for b in fresh], self.prefix, build))
        except RuntimeError:
            for b in fresh:
                b.stop()
            raise
        old, old_workers = self.backends, nginx_workers(self.cache.pid)
        self.backends, self.snapshot, self.build = fresh, snapshot, build
        self.cache.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + RELOAD_WAIT
        while old_workers & nginx_workers(self.cache.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        for b in old:
            b.terminate()
        for b in old:
            b.stop()
        self.switches += 1

    def heal(self) -> list[int]:
        """Start again any backend that died; the ports of those restarted."""
        restarted = []
        for b in self.backends:
            if not b.alive():
                try:
                    if b.restart():
                        restarted.append(b.port)
                except OSError:  # its port was taken meanwhile: tried again next time
                    pass
        return restarted

    def processes(self) -> list[subprocess.Popen]:
        return [p for p in [self.nginx, self.cache, *(b.process for b in self.backends)] if p is not None]

    def running(self) -> bool:
        """Both nginx processes are: backends are restarted, nginx is not."""
        return all(p is not None and p.poll() is None for p in (self.nginx, self.cache))

    def stop(self) -> None:
        servers = [p for p in (self.nginx, self.cache) if p is not None]
        for p in servers:
            if p.poll() is None:
                p.terminate()
        for b in self.backends:
            b.terminate()
        for p in servers:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        for b in self.backends:
            b.stop()
        self.nginx, self.cache, self.backends = None, None, []

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def serve_until_stopped(stack: Stack, poll: float = serve.POLL) -> int:
    """Serve until Ctrl-C or nginx stops: restart dead backends, switch to each new snapshot."""
    failed: set[Path] = set()
    while stack.running():
        time.sleep(poll)
        for port in stack.heal():
            print(f"a Datasette process stopped: started it again on port {port}", file=sys.stderr, flush=True)
        try:
            newest = serve.snapshot(stack.served)
        except SystemExit:
            continue
        if newest != stack.snapshot and newest not in failed:
            try:
                stack.switch(newest)
                print(f"serving build {newest.name} (serving id {stack.build})", flush=True)
            except RuntimeError as e:
                failed.add(newest)
                print(f"{e}: still serving {stack.snapshot.name}", file=sys.stderr, flush=True)
    print("nginx stopped: stopping the Datasette processes", file=sys.stderr)
    return 1


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--backends", type=int, default=2, help="Datasette processes behind the proxy")
    p.add_argument("--prefix", type=Path, default=PREFIX, help="nginx's configuration, run folder and cache")
    p.add_argument("--served", type=Path, default=serve.SERVED, help="the folder of snapshots and their current link")
    p.add_argument("--host", action="append", default=[], help="another Host the site answers to (name[:port])")
    args = p.parse_args(argv)
    # Ctrl-C or a SIGTERM stops every process, even where a parent shell left SIGINT ignored.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    with Stack(args.port, args.backends, args.prefix, args.served, args.host) as stack:
        print(f"serving on http://127.0.0.1:{args.port}/ through nginx (cache in {args.prefix}, build "
              f"{stack.snapshot.name}, serving id {stack.build}) from {args.backends} Datasette processes; "
              f"Ctrl-C stops them all", flush=True)
        try:
            return serve_until_stopped(stack)
        except KeyboardInterrupt:
            return 0


if __name__ == "__main__":
    raise SystemExit(main())
