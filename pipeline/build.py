"""Build the package: read transcription/ (the hand-typed inputs), write tables/*.csv and datapackage.json.

    python -m pipeline.build [--inputs DIR] [--out DIR]

Writes into the staged build (build/stage/, core.schemas.STAGE) unless --out names another package root;
publish/ moves the staged build into place once every check has passed. All outputs are first written
to a temporary folder and validated with Frictionless; only then are they moved into --out, so a failed
build leaves the last good outputs there untouched.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from analysis.failures import FiguresError
from core import schemas
from core.stage import exit_now
from pipeline import csvw, derive, descriptor, tidy, transcription

ROOT = schemas.ROOT


TIMINGS: dict[str, float] = {}  # seconds per phase of the last build, for the benchmark


def render(inputs: Path) -> dict[str, bytes]:
    """Every output file's bytes, keyed by its path relative to the package root."""
    # Frictionless checks the inputs in a second process while this one reads them and derives the figures
    # (a core each); nothing is reported or written before its verdict, which comes first.
    inputs_valid = transcription.validate_beside(inputs)
    try:
        start = time.perf_counter()
        t = transcription.read(inputs)
        tidy_rows = {name: build(t) for name, build in tidy.BUILDERS.items()}
        TIMINGS["transcription to tidy"] = time.perf_counter() - start
        start = time.perf_counter()
        try:
            rows = derive.derive(tidy_rows, t.curation["discrepancies"])
        except FiguresError as e:  # well-formed figures the statistics or claims cannot compute on
            raise ValueError(transcription.refusal(e, transcription.sources(t))) from None
        TIMINGS["derived figures (pandera rules, scipy, statsmodels)"] = time.perf_counter() - start
    except Exception:
        inputs_valid()  # an input that breaks its schema explains the failure: named instead
        raise
    start = time.perf_counter()
    inputs_valid()
    TIMINGS["waiting for frictionless on the inputs"] = time.perf_counter() - start
    contents = {name: schemas.to_csv(name, rows[name]) for name in schemas.resource_names()}
    files = {schemas.resource(name)["path"]: data for name, data in contents.items()}
    files["csv-metadata.json"] = csvw.build()
    files["datapackage.json"] = descriptor.build(contents)
    return files


def validate(staging: Path) -> None:
    """Frictionless checks types, constraints, keys and hashes of the staged package."""
    from frictionless import Package

    report = Package(str(staging / "datapackage.json")).validate()
    if not report.valid:
        lines = []
        for task in report.tasks:
            for e in task.errors[:20]:
                where = f"row {e.row_number}, " if getattr(e, "row_number", None) else ""
                col = f"column {e.field_name!r}, " if getattr(e, "field_name", None) else ""
                val = f"value {e.cell!r}: " if getattr(e, "cell", None) is not None else ""
                lines.append(f"{schemas.resource(task.name)['path']}, {where}{col}{val}{e.message}")
        for e in report.errors:
            lines.append(e.message)
        raise ValueError("the built package does not match its schemas:\n  " + "\n  ".join(lines))


def build(inputs: Path, out: Path, check: bool = True) -> dict[str, bytes]:
    files = render(inputs)
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out))
    try:
        for rel, data in files.items():
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            (staging / rel).write_bytes(data)
        shutil.copytree(ROOT / "schemas", staging / "schemas")
        if check:
            start = time.perf_counter()
            validate(staging)
            TIMINGS["frictionless"] = time.perf_counter() - start
        # Data first, descriptor last: datapackage.json is the Makefile's target.
        for rel in sorted(files, key=lambda r: r == "datapackage.json"):
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / rel, out / rel)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return files


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--inputs", type=Path, default=ROOT / transcription.FOLDER, help="folder holding printed/ and curation/")
    p.add_argument("--out", type=Path, default=schemas.STAGE, help="package root to write into")
    args = p.parse_args(argv)
    try:
        build(args.inputs, args.out)
        if os.environ.get("BUILD_TIMINGS"):
            print(json.dumps(TIMINGS), file=sys.stderr)
    except transcription.TranscriptionError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    exit_now(main())
