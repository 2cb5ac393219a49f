"""Benchmark: a clean build from an installed .venv to a served-ready package, stage by stage; `make`
with nothing changed; and `make test`.

    python -m benchmarks.build [--skip-test]
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time

from core import schemas

ROOT = schemas.ROOT
PY = sys.executable
# Each stage as make runs it, into the staged build (build/stage/), then the gate that publishes it.
STAGES = [
    ("transcription to tidy, derived figures, frictionless (pipeline.build)", [PY, "-m", "pipeline.build"]),
    ("frictionless validate datapackage.json", [str(ROOT / ".venv/bin/frictionless"), "validate",
                                                str(schemas.STAGE / "datapackage.json")]),
    ("pandera models, rules and register (checks.validate)", [PY, "-m", "checks.validate"]),
    ("DuckDB tables, views, Parquet (pipeline.load_duckdb)", [PY, "-m", "pipeline.load_duckdb"]),
    ("SQLite with sqlite-utils (pipeline.load_sqlite)", [PY, "-m", "pipeline.load_sqlite"]),
    ("Great Expectations on the SQLite to be served, and its report (checks.checkpoint)",
     [PY, "-m", "checks.checkpoint"]),
    ("accessible workbook with gptables (pipeline.workbook)", [PY, "-m", "pipeline.workbook"]),
    ("release bundle (pipeline.dist)", [PY, "-m", "pipeline.dist"]),
    ("Datasette metadata (web.metadata)", [PY, "-m", "web.metadata"]),
    ("publish the checked build, served snapshot (publish.gate)", [PY, "-m", "publish.gate"]),
]


def clean() -> None:
    """Remove everything the build makes (the committed CSVs come back byte for byte)."""
    for rel in ["datapackage.json", "csv-metadata.json"] + [schemas.resource(n)["path"] for n in schemas.resource_names()]:
        (ROOT / rel).unlink(missing_ok=True)
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    shutil.rmtree(ROOT / "dist", ignore_errors=True)


def timed(cmd: list[str], env: dict | None = None) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env, check=True)
    return time.perf_counter() - start, result.stderr


def clean_build_stages() -> tuple[list[tuple[str, float]], dict]:
    import os
    clean()
    out, phases = [], {}
    for name, cmd in STAGES:
        seconds, err = timed(cmd, env={**os.environ, "BUILD_TIMINGS": "1"})
        if cmd[-1] == "pipeline.build":
            phases = json.loads(err.strip().splitlines()[-1])
        out.append((name, seconds))
    return out, phases


def clean_make(jobs: int) -> float:
    clean()
    return timed(["make", f"-j{jobs}", "all"])[0]


def make_noop(runs: int = 5) -> float:
    timed(["make"])
    return statistics.median(timed(["make"])[0] for _ in range(runs))


def make_test() -> float:
    return timed(["make", "test"])[0]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--skip-test", action="store_true")
    args = p.parse_args(argv)
    stages, phases = clean_build_stages()
    total = sum(s for _, s in stages)
    for name, seconds in stages:
        print(f"{name:<72} {seconds:6.2f} s {100 * seconds / total:5.1f}%")
    for name, seconds in phases.items():
        print(f"  of which {name:<62} {seconds:6.2f} s")
    print(f"{'clean build, stages one after another':<72} {total:6.2f} s")
    print(f"{'clean build, make -j2 all':<72} {clean_make(2):6.2f} s")
    print(f"{'make with nothing changed (median of 5)':<72} {make_noop():6.3f} s")
    if not args.skip_test:
        print(f"{'make test':<72} {make_test():6.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
