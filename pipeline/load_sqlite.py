"""Load the validated CSVs into SQLite with sqlite-utils (types and keys from schemas/) and create
the same views of sql/ as in DuckDB: the database Datasette serves.

    python -m pipeline.load_sqlite [--package build/stage] [--out build/stage/build]
"""
from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

import sqlite_utils

from core import schemas
from core.stage import exit_now
from core.types import engine_type
from pipeline import ddl
from pipeline.tidy import typed

ROOT = schemas.ROOT
DB_NAME = "managing_doctors.sqlite"


def create(db: sqlite_utils.Database, name: str, root: Path = ROOT) -> None:
    sch = schemas.schema(name)
    columns = {f["name"]: engine_type(f["type"], "sqlite") for f in sch["fields"]}
    not_null = {f["name"] for f in sch["fields"] if f.get("constraints", {}).get("required")}
    fks = [(fk["fields"][0], fk["reference"]["resource"], fk["reference"]["fields"][0])
           for fk in sch.get("foreignKeys", []) if fk["reference"]["resource"] != name]
    pk = sch["primaryKey"]
    db[name].create(columns, pk=pk[0] if len(pk) == 1 else tuple(pk), not_null=not_null, foreign_keys=fks)
    with open(root / schemas.resource(name)["path"], encoding="utf-8", newline="") as f:
        db[name].insert_all(typed(name, list(csv.DictReader(f))))


def build(out: Path, root: Path = ROOT) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".sqlite-", dir=out)
    os.close(fd)
    try:
        db = sqlite_utils.Database(tmp, recreate=True)
        # A row whose key has no parent is refused as it is inserted (the tables load parents first).
        db.conn.execute("PRAGMA foreign_keys = ON")
        for name in ddl.load_order():
            create(db, name, root)
        # Full-text search on the printed item wording, for the search_statements canned query.
        db["items"].enable_fts(["row_label"], tokenize="porter", create_triggers=False)
        for view in ddl.views(root=root):
            db.create_view(view.name, view.body)
        db.conn.commit()
        db.vacuum()
        db.close()
        os.replace(tmp, out / DB_NAME)
    finally:  # on any failure the half-built file goes and the previous database stays
        if os.path.exists(tmp):
            os.remove(tmp)
    return out / DB_NAME


def main(argv=None) -> int:
    return ddl.loader_main(build, __doc__, argv)


if __name__ == "__main__":
    exit_now(main())
