"""Rebuilds under load: `make serve-public` (`python -m web.proxy`, on a copy of the served snapshot in a
scratch folder) read by wrk the whole time while two rebuilds are published underneath; every request
must be answered, none refused or failed.

    python -m benchmarks.rebuild [--seconds 20]
"""
from __future__ import annotations

import argparse
import os
import re
import select
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

from publish import snapshot
from web import serve

WAVES = "/managing_doctors/survey_waves.json?_shape=array"
# Cached pages, pages cached once per build (every page size a key of its own) and a caller's own SQL.
PATHS = ([WAVES, "/managing_doctors/survey_results", "/managing_doctors/role_group_results.json?role_group=clinical_director",
          "/managing_doctors.json?sql=" + quote("select respondents from survey_waves where survey_year = 2015")]
         + [f"{WAVES}&_size={n}" for n in range(2, 400)])
ROTATE = """
local paths = {%s}
local i = 0
function request() i = i + 1; return wrk.format(nil, paths[(i %% #paths) + 1]) end
"""


def publish(served: Path, respondents_2015: int | None = None) -> Path:
    """A copy of the current snapshot published in `served` (its current link swapped to it, as publishing
    does), with the 2015 wave's respondents changed if given: a rebuild whose pages differ in one figure."""
    source = serve.snapshot()
    served.mkdir(parents=True, exist_ok=True)
    staging = served / ".staging"
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(source, staging)
    if respondents_2015 is not None:
        con = sqlite3.connect(staging / serve.DATABASE.name)
        with con:
            con.execute("UPDATE survey_waves SET respondents = ? WHERE survey_year = 2015", (respondents_2015,))
        con.close()
    bid = snapshot.build_id({p.relative_to(staging).as_posix(): p for p in staging.rglob("*") if p.is_file()})
    folder = served / bid
    if folder.exists():
        shutil.rmtree(staging)
    else:
        os.rename(staging, folder)
    pointer = served / ".current-new"
    pointer.unlink(missing_ok=True)
    os.symlink(bid, pointer)
    os.replace(pointer, served / "current")
    return folder


def wrk_totals(out: str) -> dict:
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    connect, read, write, timeout = (int(g) for g in errors.groups()) if errors else (0, 0, 0, 0)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
    return {"requests": int(re.search(r"(\d+) requests in", out).group(1)), "refused": connect,
            "failed": read + write + timeout + (int(non2xx.group(1)) if non2xx else 0),
            "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p99": float(p99.group(1)) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[p99.group(2)] if p99 else 0.0}


def measure(seconds: int = 20) -> dict:
    """{requests, refused, failed, rps, switches: [seconds from publishing to serving the build]}."""
    with tempfile.TemporaryDirectory(prefix="rebuild-") as tmp, \
            tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        served = Path(tmp) / "served"
        os.chmod(tmp, 0o755)  # nginx's user reads its prefix below
        publish(served)
        script.write(ROTATE % ", ".join(f'"{p}"' for p in PATHS))
        script.flush()
        port = serve.free_port()
        proxy = subprocess.Popen([sys.executable, "-m", "web.proxy", "--port", str(port), "--prefix",
                                  str(Path(tmp) / "proxy"), "--served", str(served)], cwd=serve.ROOT,
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        switches: list[float] = []
        try:
            deadline = time.monotonic() + 120
            while not serve.answers(port) and time.monotonic() < deadline:
                time.sleep(0.2)

            def rebuild_twice():
                for figure in (473, 474):
                    time.sleep(seconds / 4)
                    started, folder = time.monotonic(), publish(served, figure)
                    while time.monotonic() - started < 120:
                        ready, _, _ = select.select([proxy.stdout], [], [], 1)
                        if ready and f"serving build {folder.name}" in proxy.stdout.readline():
                            switches.append(time.monotonic() - started)
                            break

            publisher = threading.Thread(target=rebuild_twice)
            publisher.start()
            # A slow answer is not a failed one: wrk waits 30 s (not its 2 s) before it counts a request lost.
            out = subprocess.run(["wrk", "-t2", "-c16", f"-d{seconds}s", "--timeout", "30s", "--latency", "-s",
                                  script.name, "-H", "Accept-Encoding: gzip", f"http://127.0.0.1:{port}/"],
                                 capture_output=True, text=True, check=True).stdout
            publisher.join()
        finally:
            proxy.terminate()
            proxy.wait(timeout=60)
    return wrk_totals(out) | {"switches": switches}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=int, default=20)
    m = measure(p.parse_args(argv).seconds)
    print(f"through make serve-public during {len(m['switches'])} rebuilds: {m['requests']} requests, "
          f"{m['refused']} refused, {m['failed']} failed, {m['rps']:.0f} req/s, p99 {m['p99']:.0f} ms; each rebuild served "
          f"{', '.join(f'{s:.1f}' for s in m['switches'])} s after it was published")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
