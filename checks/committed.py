"""make committed-outputs: are the committed outputs what a build of the committed sources writes? Where
they are not, say which values changed, so that an unintended change is seen before anyone commits it.

    python -m checks.committed BUILT_DIR [--root DIR]

A CSV is compared row by row on its primary key (schemas/): each changed value as resource, row key,
column, old -> new; rows only on one side as added or removed. A JSON file is compared value by value
at its JSON path. Exit 1 when anything differs.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path

from core import schemas
from core.stage import exit_now

SHOWN = 40  # changes listed per file; the rest are counted


def _rows(data: bytes) -> tuple[list[str], list[dict]]:
    reader = csv.DictReader(io.StringIO(data.decode("utf-8")))
    return list(reader.fieldnames or []), list(reader)


def csv_changes(name: str, old: bytes, new: bytes) -> list[str]:
    """The differences between two versions of a resource's CSV, one line each."""
    key = schemas.schema(name)["primaryKey"]
    old_columns, old_rows = _rows(old)
    new_columns, new_rows = _rows(new)
    out = []
    if old_columns != new_columns:
        out.append(f"{name}: columns {old_columns} -> {new_columns}")
    before = {tuple(r.get(k) for k in key): r for r in old_rows}
    after = {tuple(r.get(k) for k in key): r for r in new_rows}
    for k, row in after.items():
        label = ", ".join(f"{c}={v}" for c, v in zip(key, k))
        if k not in before:
            out.append(f"{name} [{label}]: row added")
            continue
        for column in new_columns:
            was, now = before[k].get(column), row.get(column)
            if was != now:
                out.append(f"{name} [{label}] {column}: {was!r} -> {now!r}")
    out += [f"{name} [{', '.join(f'{c}={v}' for c, v in zip(key, k))}]: row removed" for k in before if k not in after]
    if not out and [tuple(r.get(k) for k in key) for r in old_rows] != [tuple(r.get(k) for k in key) for r in new_rows]:
        out.append(f"{name}: the same rows in another order")
    if not out:
        out.append(f"{name}: the same values, other bytes (quoting, line endings or number format)")
    return out


def json_changes(label: str, old, new, path: str = "") -> list[str]:
    """The differences between two JSON values, each at its path (resources[3].title)."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for k in list(old) + [k for k in new if k not in old]:
            at = f"{path}.{k}" if path else str(k)
            if k not in new:
                out.append(f"{label} {at}: removed")
            elif k not in old:
                out.append(f"{label} {at}: added {json.dumps(new[k])[:80]}")
            else:
                out += json_changes(label, old[k], new[k], at)
        return out
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [line for i, (a, b) in enumerate(zip(old, new)) for line in json_changes(label, a, b, f"{path}[{i}]")]
    if old != new:
        return [f"{label} {path or '(whole file)'}: {json.dumps(old)[:80]} -> {json.dumps(new)[:80]}"]
    return []


def file_changes(rel: str, old: bytes, new: bytes) -> list[str]:
    if old == new:
        return []
    names = {schemas.resource(n)["path"]: n for n in schemas.resource_names()}
    if rel in names:
        return csv_changes(names[rel], old, new)
    if rel.endswith(".json"):
        lines = json_changes(rel, json.loads(old), json.loads(new))
        return lines or [f"{rel}: the same values, other bytes"]
    return [f"{rel}: differs"]


def outputs() -> list[str]:
    """The files a build writes, as paths from the package root: the data first, the descriptors (whose
    hashes and sizes follow from the data) last."""
    return [schemas.resource(n)["path"] for n in schemas.resource_names()] + ["csv-metadata.json", "datapackage.json"]


def compare(committed: Path, built: Path) -> list[str]:
    """Every change from the committed outputs under `committed` to the built ones under `built`."""
    out = []
    for rel in outputs():
        old = (committed / rel).read_bytes() if (committed / rel).exists() else b""
        new = (built / rel).read_bytes()
        if not old:
            out.append(f"{rel}: not committed")
            continue
        changes = file_changes(rel, old, new)
        out += changes[:SHOWN] + ([f"{rel}: and {len(changes) - SHOWN} more changes"] if len(changes) > SHOWN else [])
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("built", type=Path, help="the folder a build of the committed sources wrote")
    p.add_argument("--root", type=Path, default=schemas.ROOT, help="the checkout holding the committed outputs")
    args = p.parse_args(argv)
    changes = compare(args.root, args.built)
    if changes:
        print("error: the committed outputs differ from what the build writes:", file=sys.stderr)
        for line in changes:
            print(f"  {line}", file=sys.stderr)
        print("If every change above is intended, run make and commit the outputs; if not, the sources or the "
              "code changed them.", file=sys.stderr)
        return 1
    print("committed outputs: as the build writes them")
    return 0


if __name__ == "__main__":
    exit_now(main())
