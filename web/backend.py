"""One Datasette process serving one snapshot, on a listening socket it is handed; and the handle that
starts, checks, restarts and stops it (web/serve.py and web/proxy.py supervise them).

    python -m web.backend --fd N --snapshot DIR --ready-fd W [--proxied]

The process builds Datasette on the snapshot, checks that it answers a few pages in process (a home page,
a table, a canned query, SQL in the caller lane), then serves with Uvicorn on the inherited socket and
writes "ready" to the ready pipe once it accepts. A SIGTERM stops it gracefully: it stops accepting,
finishes what it is answering (at most GRACEFUL seconds), then exits. A kept-alive connection is not cut
under a client that may be sending on it: its next answer says Connection: close, or it closes when idle
for the keep-alive timeout, as on any other day. Its parent going away stops it too.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import select
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

GRACEFUL = 30  # seconds: longer than a caller's SQL may wait for its turn (20 s) and run (1 s)
CHECKS = ("/", "/-/versions.json", "/{db}/{table}.json?_size=1", "/{db}.json?sql=select+1")


def listening_socket(port: int = 0, host: str = "127.0.0.1") -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(1024)
    sock.set_inheritable(True)
    return sock


def _die_with_parent() -> None:
    """Linux: SIGTERM this process when its parent (the supervisor) dies, so no orphan keeps serving."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


async def _check(ds) -> str | None:
    """The first page that does not answer 200, or None."""
    db = next(n for n in ds.databases if not n.startswith("_"))
    table = (await ds.get_database(db).table_names())[0]
    for path in CHECKS:
        path = path.format(db=db, table=table)
        r = await ds.client.get(path)
        if r.status_code != 200:
            return f"{path} answered {r.status_code}"
    return None


def gentle(app):
    """Uvicorn's HTTP/1.1, and the ASGI app, for a gentle shutdown: Uvicorn closes idle kept-alive
    connections at once, under any request a client is sending on one; here they stay until their next
    answer, which carries Connection: close, or until their keep-alive timeout."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    closing = asyncio.Event()

    class Gentle(H11Protocol):
        def shutdown(self) -> None:
            closing.set()
            if self.cycle is not None and not self.cycle.response_complete:
                self.cycle.keep_alive = False

    async def closing_app(scope, receive, send):
        async def send_closing(message):
            if closing.is_set() and message["type"] == "http.response.start":
                message = dict(message, headers=[*message.get("headers", []), (b"connection", b"close")])
            await send(message)
        await app(scope, receive, send_closing if scope["type"] == "http" else send)

    return Gentle, closing_app


def run(fd: int, snapshot: Path, ready_fd: int, proxied: bool) -> int:
    import uvicorn

    from web import serve

    _die_with_parent()
    sock = socket.socket(fileno=fd)  # its own family (TCP), so that asyncio sets TCP_NODELAY on connections
    ds = serve.datasette(snapshot)
    protocol, app = gentle(ds.app())
    config = uvicorn.Config(app, http=protocol, lifespan="on", log_level="info", server_header=False,
                            proxy_headers=proxied, forwarded_allow_ips="127.0.0.1" if proxied else None,
                            timeout_graceful_shutdown=GRACEFUL, timeout_keep_alive=5)
    server = uvicorn.Server(config)

    async def main() -> int:
        await ds.invoke_startup()
        failed = await _check(ds)
        if failed:
            print(f"the snapshot {snapshot.name} does not serve: {failed}", file=sys.stderr, flush=True)
            return 3
        serving = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started and not serving.done():
            await asyncio.sleep(0.05)
        if server.started:
            os.write(ready_fd, b"ready\n")
        os.close(ready_fd)
        await serving
        return 0

    code = asyncio.run(main())
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # no waiting on a thread SQLite still holds


class Backend:
    """A backend process for a snapshot on a socket. keep_socket: the supervisor keeps the socket open
    while the process restarts, so that no connection is refused (make serve); otherwise a dead process
    refuses connections at once and a proxy turns to the others, and a restart listens on the same port."""

    def __init__(self, snapshot: Path, sock: socket.socket | None = None, proxied: bool = False,
                 keep_socket: bool = True, output=None):
        self.snapshot, self.proxied, self.keep_socket, self.output = Path(snapshot), proxied, keep_socket, output
        self.sock = sock or listening_socket()
        self.port = self.sock.getsockname()[1]
        self.process: subprocess.Popen | None = None
        self._ready_r: int | None = None
        self.restarts = 0

    def start(self) -> Backend:
        if self.sock is None:  # restarted after its process died: the same port again
            self.sock = listening_socket(self.port)
        ready_r, ready_w = os.pipe()
        args = [sys.executable, "-m", "web.backend", "--fd", str(self.sock.fileno()), "--snapshot", str(self.snapshot),
                "--ready-fd", str(ready_w)] + (["--proxied"] if self.proxied else [])
        self.process = subprocess.Popen(args, cwd=Path(__file__).resolve().parent.parent,
                                        pass_fds=(self.sock.fileno(), ready_w), stdout=self.output,
                                        stderr=self.output)
        os.close(ready_w)
        self._ready_r = ready_r
        return self

    def ready(self, timeout: float = 60) -> bool:
        """Wait until the process accepts on the socket; False if it stopped or did not in time."""
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                readable, _, _ = select.select([self._ready_r], [], [], 0.2)
                if readable:
                    ok = os.read(self._ready_r, 16).startswith(b"ready")
                    break
                if self.process.poll() is not None:
                    ok = False
                    break
            else:
                ok = False
        finally:
            os.close(self._ready_r)
            self._ready_r = None
        if ok and not self.keep_socket:
            self.sock.close()  # the process holds it now: if it dies, the port refuses
            self.sock = None
        return ok

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def restart(self, timeout: float = 60) -> bool:
        self.restarts += 1
        return self.start().ready(timeout)

    def terminate(self) -> None:
        if self.alive():
            self.process.terminate()

    def wait(self, timeout: float = GRACEFUL + 10) -> None:
        if self.process is None:
            return
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def stop(self) -> None:
        self.terminate()
        self.wait()
        if self._ready_r is not None:
            os.close(self._ready_r)
            self._ready_r = None
        if self.sock is not None:
            self.sock.close()
            self.sock = None


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--fd", type=int, required=True)
    p.add_argument("--snapshot", type=Path, required=True)
    p.add_argument("--ready-fd", type=int, required=True)
    p.add_argument("--proxied", action="store_true", help="behind nginx: trust X-Forwarded-* from loopback")
    args = p.parse_args(argv)
    return run(args.fd, args.snapshot, args.ready_fd, args.proxied)


if __name__ == "__main__":
    raise SystemExit(main())
