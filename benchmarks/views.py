"""Benchmark: every canned view on DuckDB and on SQLite (median of 20 runs, milliseconds).

    python -m benchmarks.views
"""
from __future__ import annotations

import sqlite3
import statistics
import time

import duckdb

from core import schemas
from pipeline import ddl

BUILD = schemas.ROOT / "build"
RUNS = 20


def median_ms(run) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def measure() -> list[tuple[str, float, float]]:
    duck = duckdb.connect(str(BUILD / "managing_doctors.duckdb"), read_only=True)
    lite = sqlite3.connect(f"file:{BUILD / 'managing_doctors.sqlite'}?mode=ro", uri=True)
    out = []
    for view in ddl.views():
        sql = f"SELECT * FROM {view.name}"
        out.append((view.name, median_ms(lambda sql=sql: duck.execute(sql).fetchall()),
                    median_ms(lambda sql=sql: lite.execute(sql).fetchall())))
    return out


def main() -> int:
    print(f"{'view':<34} {'DuckDB ms':>10} {'SQLite ms':>10}")
    for name, d, s in measure():
        print(f"{name:<34} {d:>10.2f} {s:>10.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
