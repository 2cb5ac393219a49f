"""make serve-public: Datasette processes behind Debian's nginx as a caching reverse proxy, in the foreground.

    python -m web.proxy [--port 8080] [--backends 2] [--prefix build/proxy] [--served build/served]
                        [--host NAME[:PORT] ...]

Serves the published snapshot build/served/current: BACKENDS Datasette processes (web/backend.py) on
loopback ports, and nginx on 127.0.0.1:PORT in front of them (web/nginx.conf, filled in). Ctrl-C or a
SIGTERM stops them all.

It keeps serving:
- a backend that dies is started again on its port; meanwhile nginx sends its requests to the others;
- when `current` moves to a new snapshot, new backends start on it and are checked, nginx is reloaded
  with them and the new serving id (which starts every cache key and is the ETag), the old nginx workers
  finish what they were answering, and only then do the old backends stop. No request is refused, and
  no answer of one build is cached under another's key. Once per build: the snapshot is made once.

Least privilege: nginx never runs as root (as nobody when started by root). It writes only under the
prefix's run/ and cache/ folders, made fresh at each start and given to its user at once (a new folder
in a folder only we can write: nothing to follow); its configuration is written by rename into the
prefix, which only we can write. Its gzip socket is in run/, which only its user can open.
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

TEMPLATE = serve.ROOT / "web" / "nginx.conf"
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


def render(port: int, backends: list[int], prefix: Path, build: str, hosts: list[str]) -> str:
    text = TEMPLATE.read_text(encoding="utf-8")
    names = [f"127.0.0.1:{port}", f"localhost:{port}", *hosts]
    values = {"PORT": str(port), "RUN": str(prefix / "run"), "CACHE": str(prefix / "cache"), "BUILD": build,
              "UPSTREAMS": "\n".join(f"        server 127.0.0.1:{p} max_fails=0;" for p in backends),
              "HOSTS": "\n".join(f'        "{h}" "{h}";' for h in dict.fromkeys(names)),
              "MOUNTS": "|".join(re.escape(m) for m in serve.STATIC),
              "DATABASES": re.escape(serve.DATABASE.stem)}
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    left = re.findall(r"@[A-Z]+@", text)
    assert not left, f"{TEMPLATE} has placeholders no value fills: {left}"
    return text


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
        self.nginx: subprocess.Popen | None = None
        self.snapshot: Path | None = None
        self.build = ""
        self.switches = 0

    @property
    def conf(self) -> Path:
        return self.prefix / "nginx.conf"

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

    def _configure(self, backends: list[Backend], build: str) -> None:
        """nginx's configuration for these backends and build, checked by nginx itself (as the user it runs
        as) before it replaces the one in use."""
        text = render(self.port, [b.port for b in backends], self.prefix, build, self.hosts)
        candidate = self.prefix / "nginx.conf.next"
        write_private(candidate, text)
        checked = subprocess.run([nginx_binary(), "-t", "-q", "-p", str(self.prefix / "run"), "-c", str(candidate),
                                  "-e", "stderr"], capture_output=True, text=True, **self._as_nginx_user())
        if checked.returncode != 0:
            candidate.unlink()
            raise RuntimeError(f"nginx refused its configuration: {checked.stderr.strip()}")
        os.replace(candidate, self.conf)

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
            self._configure(self.backends, self.build)
            self.nginx = subprocess.Popen([nginx_binary(), "-p", str(self.prefix / "run"), "-c", str(self.conf),
                                           "-e", "stderr"], umask=0o077, stdout=self.output, stderr=self.output,
                                          **self._as_nginx_user())
            deadline = time.monotonic() + timeout
            while not serve.answers(self.port):
                if self.nginx.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not start on 127.0.0.1:{self.port} (see its messages above)")
                time.sleep(0.1)
            # nginx makes its unix sockets 0666; only its own user needs this one (its folder is 0700 too).
            # Changed as that user, so that nothing planted in its folder can redirect a root chmod.
            subprocess.run(["chmod", "600", str(self.prefix / "run" / "gzip.sock")], check=True,
                           **self._as_nginx_user())
        except BaseException:
            self.stop()
            raise
        return self

    def switch(self, snapshot: Path) -> None:
        """Serve a new snapshot without refusing a request: new backends, checked; nginx reloaded with them;
        the old workers left to finish; then the old backends stopped."""
        fresh, build = self._backends(snapshot), serve.serving_id(snapshot)
        try:
            self._configure(fresh, build)
        except RuntimeError:
            for b in fresh:
                b.stop()
            raise
        old, old_workers = self.backends, nginx_workers(self.nginx.pid)
        self.backends, self.snapshot, self.build = fresh, snapshot, build
        self.nginx.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + RELOAD_WAIT
        while old_workers & nginx_workers(self.nginx.pid) and time.monotonic() < deadline:
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
        return [p for p in [self.nginx, *(b.process for b in self.backends)] if p is not None]

    def stop(self) -> None:
        if self.nginx is not None and self.nginx.poll() is None:
            self.nginx.terminate()
        for b in self.backends:
            b.terminate()
        if self.nginx is not None:
            try:
                self.nginx.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.nginx.kill()
                self.nginx.wait()
        for b in self.backends:
            b.stop()
        self.nginx, self.backends = None, []

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def serve_until_stopped(stack: Stack, poll: float = serve.POLL) -> int:
    """Serve until Ctrl-C or nginx stops: restart dead backends, switch to each new snapshot."""
    failed: set[Path] = set()
    while stack.nginx.poll() is None:
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
