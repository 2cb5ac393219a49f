"""The served snapshot: an immutable folder of everything the servers serve, and a link to the current one.

    python -m publish.snapshot [--root DIR]

build/served/<build_id>/ holds managing_doctors.sqlite, metadata.json and one folder per static mount
(csv/, parquet/, package/, validation/, downloads/, site/), each file a hard link to the published file
(a copy where the file system refuses links). Published files are only ever replaced by rename, so a
snapshot's files never change afterwards. build_id is the first 20 hex digits of the SHA-256 over
every file's relative path and bytes in sorted order: the same bytes always give the same id, and the
page's checksums, computed from the same bytes, hold within a snapshot. build/served/current, a
relative symlink to the id, is swapped atomically (a new link under a temporary name, then rename),
so a server resolving it sees one whole build or the other. The three most recent snapshots are kept,
and never the one current points to is removed.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from core import schemas
from core.stage import exit_now

ROOT = schemas.ROOT
SERVED = Path("build") / "served"
CURRENT = "current"
KEEP = 3
# Where each part of a snapshot is published, relative to the package root: a file, or a folder whose
# files are taken whole. The folders are the static mounts of web/serve.py, named alike.
SOURCES = {
    "managing_doctors.sqlite": "build/managing_doctors.sqlite",
    "metadata.json": "build/metadata.json",
    "csv": "tables",
    "parquet": "build/parquet",
    "package": "build/package",
    "validation": "build/validation",
    "downloads": "build/downloads",
    "site": "build/site",
}


def files(root: Path = ROOT) -> dict[str, Path]:
    """Every file of the snapshot, by its path within it, from the published files under root."""
    out: dict[str, Path] = {}
    for name, rel in SOURCES.items():
        source = root / rel
        if source.is_file():
            out[name] = source
        elif source.is_dir():
            out.update({f"{name}/{p.relative_to(source).as_posix()}": p
                        for p in source.rglob("*") if p.is_file() and not p.name.startswith(".")})
        else:
            raise FileNotFoundError(f"{rel} is not published (run make)")
    return dict(sorted(out.items()))


def build_id(snapshot: dict[str, Path]) -> str:
    """The first 20 hex digits of the SHA-256 over each file's relative path (UTF-8), a NUL, its length
    as 8 bytes and its bytes, in sorted path order."""
    h = hashlib.sha256()
    for rel in sorted(snapshot):
        data = snapshot[rel].read_bytes()
        h.update(rel.encode("utf-8") + b"\0" + len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()[:20]


def link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:  # another file system, or one without hard links
        shutil.copyfile(source, target)


def current(root: Path = ROOT) -> Path | None:
    """The snapshot folder build/served/current points to, resolved (None before the first publish)."""
    pointer = root / SERVED / CURRENT
    return pointer.resolve() if pointer.is_symlink() else None


def make(root: Path = ROOT, keep: int = KEEP) -> str:
    """Snapshot the published files under root, point build/served/current at it; returns its build id."""
    snapshot = files(root)
    bid = build_id(snapshot)
    served = root / SERVED
    served.mkdir(parents=True, exist_ok=True)
    folder = served / bid
    if folder.is_dir():
        os.utime(folder)  # the same bytes served again: the newest snapshot, unchanged
    else:
        tmp = Path(tempfile.mkdtemp(prefix=f".{bid}-", dir=served))
        try:
            for rel, source in snapshot.items():
                link(source, tmp / rel)
            tmp.chmod(0o755)  # mkdtemp's 0700 would keep a server of another user out
            os.rename(tmp, folder)  # whole or not at all
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    pointer = served / f".{CURRENT}-{os.getpid()}"
    pointer.unlink(missing_ok=True)
    os.symlink(bid, pointer)
    os.replace(pointer, served / CURRENT)
    prune(served, bid, keep)
    return bid


def prune(served: Path, keep_id: str, keep: int) -> None:
    """Remove all but the `keep` most recent snapshots, never the current one."""
    folders = sorted((p for p in served.iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith(".")),
                     key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in folders[keep:]:
        if old.name != keep_id:
            shutil.rmtree(old, ignore_errors=True)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--root", type=Path, default=ROOT, help="the package root whose published files are served")
    args = p.parse_args(argv)
    print(f"served: build/served/{make(args.root)}")
    return 0


if __name__ == "__main__":
    exit_now(main())
