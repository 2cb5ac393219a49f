"""Load benchmark on loopback: canned-query JSON from our Datasette against bare Datasette serving the same
file and query, at 16 and 32 connections, then again with a runaway query in flight. Bounded: five wrk
runs of 8 seconds each, under 60 seconds in all.

    python -m benchmarks.load [--seconds 8]
"""
from __future__ import annotations

import argparse
import http.client
import re
import shutil
import subprocess
import threading
from urllib.parse import quote

from web import metadata as serve_metadata
from web import serve

QUERY = "role_group_results"
PARAMS = "role_group=clinical_director"
RUNAWAY = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def wrk(url: str, connections: int, seconds: int) -> dict:
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    lat = {m[0]: float(m[1]) * UNITS[m[2]] for m in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "p50": lat["50"], "p99": lat["99"],
            "non2xx": int(errors.group(1)) if errors else 0}


def runaway_loop(port: int, stop: threading.Event, answers: list) -> None:
    while not stop.is_set():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", f"/managing_doctors.json?sql={quote(RUNAWAY)}")
        answers.append(conn.getresponse().status)


def measure(seconds: int = 8) -> tuple[list, dict, list]:
    """([(connections, ours, bare)], ours with a runaway query in flight, runaway statuses)."""
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: make system-packages (Debian: apt-get install wrk)")
    sql = serve_metadata.canned_queries()[QUERY]["sql"]
    ours, ours_port = serve.start(bare=False)
    bare, bare_port = serve.start(bare=True)
    try:
        ours_url = f"http://127.0.0.1:{ours_port}/managing_doctors/{QUERY}.json?{PARAMS}"
        bare_url = f"http://127.0.0.1:{bare_port}/managing_doctors.json?sql={quote(sql)}&{PARAMS}"
        rows = []
        for c in (16, 32):
            rows.append((c, wrk(ours_url, c, seconds), wrk(bare_url, c, seconds)))
        stop, answers = threading.Event(), []
        t = threading.Thread(target=runaway_loop, args=(ours_port, stop, answers))
        t.start()
        with_runaway = wrk(ours_url, 16, seconds)
        stop.set()
        t.join()
    finally:
        for proc in (ours, bare):
            proc.terminate()
            proc.wait(timeout=10)
    return rows, with_runaway, answers


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=int, default=8)
    args = p.parse_args(argv)
    rows, with_runaway, answers = measure(args.seconds)
    print(f"load benchmark: canned query {QUERY}?{PARAMS}, wrk -t2, {args.seconds} s per run, loopback; "
          f"Datasette {serve.SETTINGS['num_sql_threads']} SQL threads")
    print(f"{'conns':>5} {'ours req/s':>11} {'bare req/s':>11} {'ratio':>6} {'ours p50':>9} {'bare p50':>9} "
          f"{'ours p99':>9} {'bare p99':>9}")
    for c, o, b in rows:
        print(f"{c:>5} {o['rps']:>11.1f} {b['rps']:>11.1f} {o['rps'] / b['rps']:>6.2f} {o['p50']:>7.1f}ms "
              f"{b['p50']:>7.1f}ms {o['p99']:>7.1f}ms {b['p99']:>7.1f}ms")
    print(f"with a runaway query in flight (16 conns): {with_runaway['rps']:.1f} req/s, p50 "
          f"{with_runaway['p50']:.1f}ms, p99 {with_runaway['p99']:.1f}ms, non-2xx {with_runaway['non2xx']}; "
          f"runaway queries answered {len(answers)} times, statuses {sorted(set(answers))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
