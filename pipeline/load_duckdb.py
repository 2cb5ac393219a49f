"""Load the validated CSVs into DuckDB (keys, types and comments from schemas/), create the views of
sql/, and write every resource as Parquet.

    python -m pipeline.load_duckdb [--package build/stage] [--out build/stage/build]
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import duckdb

from core import schemas
from core.stage import exit_now
from core.types import engine_type
from pipeline import ddl

ROOT = schemas.ROOT
DB_NAME = "managing_doctors.duckdb"


def build(out: Path, root: Path = ROOT) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".duckdb-", dir=out))
    try:
        db = tmp / DB_NAME
        con = duckdb.connect(str(db))
        # The same rows always give the same file: DuckDB's string compression (FSST, dictionary) writes the
        # unused tail of its segment buffers uninitialised, so two loads of the same CSVs differed in a few
        # bytes (duckdb/duckdb#23382). Uncompressed segments are written whole; one thread keeps the order in
        # which rows and segments are appended fixed. The tables are small: neither costs measurably.
        con.execute("SET force_compression = 'uncompressed'")
        con.execute("SET threads = 1")
        for name in ddl.load_order():
            con.execute(ddl.duckdb_create_table(name))
            columns = {f["name"]: engine_type(f["type"], "duckdb") for f in schemas.fields(name)}
            # The path as a literal: a prepared parameter makes duckdb import pandas (0.3 s) to inspect it.
            path = ddl.quote(str(root / schemas.resource(name)["path"]))
            con.execute(f"INSERT INTO {name} SELECT * FROM read_csv({path}, header = true, auto_detect = false, "
                        f"columns = {columns!r}, nullstr = '', quote = '\"', escape = '\"')")
            for statement in ddl.duckdb_comments(name):
                con.execute(statement)
        for view in ddl.views(root=root):
            con.execute(f"CREATE VIEW {view.name} AS {view.body}")
            con.execute(f"COMMENT ON VIEW {view.name} IS {ddl.quote(view.description)}")
        parquet = tmp / "parquet"
        parquet.mkdir()
        for name in ddl.load_order():
            con.execute(f"COPY (SELECT * FROM {name}) TO '{parquet / (name + '.parquet')}' (FORMAT parquet)")
        con.close()
        # Move into place only once everything above succeeded.
        if (out / "parquet").exists():
            shutil.rmtree(out / "parquet")
        os.replace(parquet, out / "parquet")
        os.replace(db, out / DB_NAME)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out / DB_NAME


def main(argv=None) -> int:
    return ddl.loader_main(build, __doc__, argv)


if __name__ == "__main__":
    exit_now(main())
