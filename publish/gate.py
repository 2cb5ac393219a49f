"""Publish the staged build, and only once every check has passed on it.

    python -m publish.gate [--stage DIR] [--root DIR]

The staged build (build/stage/) is laid out as the repository. Every check runs on it: Frictionless on
the inputs and on the built package (pipeline.build), the pandera models, rules and register
(checks.validate, stamp register.passed), Great Expectations on the SQLite database that will be served
(checks.checkpoint, stamp expectations.passed). Publishing refuses unless both stamps are newer than what
they checked. Then each published file whose bytes differ from the staged one is replaced by an atomic
rename of a copy, data first, the descriptors and the served metadata last; published files the stage no
longer has are removed; and last the served snapshot is made (publish/snapshot.py). A refused build
therefore changes no published or served byte, and files whose bytes are unchanged keep their dates.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from core import schemas
from core.stage import exit_now
from publish import snapshot

ROOT = schemas.ROOT
# What is published: folders whose files are replaced and pruned as a whole, and single files.
FOLDERS = ("tables", "build/parquet", "build/package", "build/validation", "build/downloads", "build/site", "dist")
LAST = ("datapackage.json", "csv-metadata.json", "build/metadata.json")  # in this order, after everything else
# Each check's stamp in the stage, and the staged files it must be newer than.
STAMPS = {"register.passed": ("datapackage.json",),
          "expectations.passed": ("build/managing_doctors.sqlite", "datapackage.json")}


class Refused(Exception):
    """The staged build has not passed every check: nothing is published."""


def staged_files(stage: Path) -> list[str]:
    """Every file to publish, relative to the stage, in publishing order (LAST at the end)."""
    found = {p.relative_to(stage).as_posix() for folder in FOLDERS if (stage / folder).is_dir()
             for p in (stage / folder).rglob("*") if p.is_file() and not p.name.startswith(".")}
    build = stage / "build"
    found |= {f"build/{p.name}" for p in build.iterdir() if p.is_file() and not p.name.startswith(".")} \
        if build.is_dir() else set()
    missing = [rel for rel in LAST if not (stage / rel).is_file()]
    if missing:
        raise Refused(f"the staged build is incomplete: {', '.join(missing)} missing (run make)")
    return sorted(found - set(LAST)) + list(LAST)


def check_stamps(stage: Path) -> None:
    for stamp, checked in STAMPS.items():
        path = stage / stamp
        if not path.is_file():
            raise Refused(f"the staged build has not passed every check ({stamp} missing): nothing is published")
        stale = [rel for rel in checked if (stage / rel).stat().st_mtime_ns > path.stat().st_mtime_ns]
        if stale:
            raise Refused(f"{', '.join(stale)} changed after {stamp} was written: nothing is published (run make)")


def replace(source: Path, target: Path) -> bool:
    """target gets source's bytes by the rename of a copy beside it; False where they are the same already."""
    if target.is_file() and target.stat().st_size == source.stat().st_size and \
            target.read_bytes() == source.read_bytes():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.publishing")
    shutil.copyfile(source, tmp)
    os.replace(tmp, target)
    return True


def publish(stage: Path = schemas.STAGE, root: Path = ROOT) -> list[str]:
    """Publish the staged build under root; the files whose bytes changed (removed ones included)."""
    check_stamps(stage)
    files = staged_files(stage)
    changed = [rel for rel in files if replace(stage / rel, root / rel)]
    keep = set(files)
    for folder in FOLDERS:
        for p in sorted((root / folder).rglob("*"), reverse=True) if (root / folder).is_dir() else []:
            rel = p.relative_to(root).as_posix()
            if p.is_file() and rel not in keep:
                p.unlink()
                changed.append(rel)
            elif p.is_dir() and not any(p.iterdir()):
                p.rmdir()
    return changed


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--stage", type=Path, default=schemas.STAGE)
    p.add_argument("--root", type=Path, default=ROOT, help="the package root to publish into")
    args = p.parse_args(argv)
    try:
        changed = publish(args.stage, args.root)
    except Refused as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    build_id = snapshot.make(args.root)
    print(f"published: {len(changed)} files changed; served: build/served/{build_id}")
    return 0


if __name__ == "__main__":
    exit_now(main())
