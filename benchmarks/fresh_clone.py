"""Benchmark: a fresh clone's `make serve` to its first HTTP answer, cold (empty pip and uv caches) and then
warm (the caches the cold run filled, in another fresh clone). Downloads from PyPI, so not part of make bench.

    python -m benchmarks.fresh_clone [--commit REV ...] [--machine-pip-config]

Each --commit is measured in turn, e.g. the commit before uv (pip) against HEAD (uv). The caches live in a
temporary folder, so the caches of whoever runs it are neither used nor cleared. Unless
--machine-pip-config is given, pip reads no configuration file and no PIP_* variable, so both installers
download from PyPI alone.
"""
from __future__ import annotations

import argparse
import http.client
import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from core import schemas
from web import serve

ROOT = schemas.ROOT


def first_answer(clone: Path, env: dict, timeout: float = 600) -> float:
    """Seconds from `make serve` in a fresh clone to the first HTTP answer; the server is then stopped."""
    port = serve.free_port()
    start = time.monotonic()
    with open(clone / "make-serve.log", "w") as log:
        proc = subprocess.Popen(["make", "serve", f"PORT={port}"], cwd=clone, env=env, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
    try:
        while time.monotonic() - start < timeout:
            if proc.poll() is not None:
                raise RuntimeError(f"make serve stopped: see {clone / 'make-serve.log'}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/")
                conn.getresponse()
                return time.monotonic() - start
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"no answer within {timeout:.0f} s")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # make and the Datasette it started: the session is theirs alone
        proc.wait()


def measure(commit: str, tmp: Path, machine_pip_config: bool) -> dict[str, float]:
    env = {k: v for k, v in os.environ.items() if machine_pip_config or not k.startswith("PIP_")}
    if not machine_pip_config:
        env["PIP_CONFIG_FILE"] = os.devnull
    caches = tmp / f"caches-{commit}"
    env |= {"PIP_CACHE_DIR": str(caches / "pip"), "UV_CACHE_DIR": str(caches / "uv")}
    out = {}
    for run in ("cold", "warm"):
        clone = tmp / f"{commit}-{run}"
        subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(ROOT), str(clone)], check=True)
        subprocess.run(["git", "checkout", "--quiet", commit], cwd=clone, check=True)
        out[run] = first_answer(clone, env)
        print(f"{commit}: {run} {out[run]:.1f} s", flush=True)
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--commit", action="append", help="revision to measure (repeatable); default HEAD")
    p.add_argument("--machine-pip-config", action="store_true", help="let pip use this machine's configuration")
    args = p.parse_args(argv)
    commits = [subprocess.run(["git", "rev-parse", "--short", c], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip() for c in args.commit or ["HEAD"]]
    with tempfile.TemporaryDirectory(prefix="fresh-clone-") as tmp:
        figures = {c: measure(c, Path(tmp), args.machine_pip_config) for c in commits}
    print(f"{'commit':<10} {'cold s':>7} {'warm s':>7}   fresh clone: make serve to the first HTTP answer")
    for c, f in figures.items():
        print(f"{c:<10} {f['cold']:>7.1f} {f['warm']:>7.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
