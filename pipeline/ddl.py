"""Database structure from schemas/ and views from sql/: shared by the DuckDB and SQLite loaders."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pipeline import schemas

SQL_DIR = schemas.ROOT / "sql"
DUCKDB_TYPES = {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "boolean": "BOOLEAN", "date": "DATE"}


def loader_main(build, doc: str, argv=None) -> int:
    """The command line both database loaders share: --out DIR, --package DIR (the package root whose
    tables/ are loaded); one error line and exit 1 on failure, the previous database left in place."""
    import argparse
    import sys

    p = argparse.ArgumentParser(description=doc.splitlines()[0])
    p.add_argument("--out", type=Path, default=schemas.ROOT / "build")
    p.add_argument("--package", type=Path, default=schemas.ROOT, help="package root holding the built tables/")
    args = p.parse_args(argv)
    try:
        build(args.out, args.package)
    except Exception as e:  # duckdb, sqlite3 and sqlite-utils errors alike
        print(f"error: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    return 0


def load_order() -> list[str]:
    """Resources ordered so that every table comes after the tables its foreign keys reference."""
    deps = {n: {fk["reference"]["resource"] for fk in schemas.schema(n).get("foreignKeys", [])} - {n}
            for n in schemas.resource_names()}
    order: list[str] = []
    while len(order) < len(deps):
        ready = [n for n in schemas.resource_names() if n not in order and deps[n] <= set(order)]
        if not ready:
            raise ValueError(f"foreign keys form a cycle among {sorted(set(deps) - set(order))}")
        order += ready
    return order


def duckdb_create_table(name: str) -> str:
    sch = schemas.schema(name)
    lines = []
    for f in sch["fields"]:
        required = " NOT NULL" if f.get("constraints", {}).get("required") else ""
        lines.append(f"    {f['name']} {DUCKDB_TYPES[f['type']]}{required}")
    lines.append(f"    PRIMARY KEY ({', '.join(sch['primaryKey'])})")
    for fk in sch.get("foreignKeys", []):
        ref = fk["reference"]
        if ref["resource"] != name:
            lines.append(f"    FOREIGN KEY ({', '.join(fk['fields'])}) REFERENCES {ref['resource']} "
                         f"({', '.join(ref['fields'])})")
    return f"CREATE TABLE {name} (\n" + ",\n".join(lines) + "\n)"


def quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def duckdb_comments(name: str) -> list[str]:
    sch = schemas.schema(name)
    out = [f"COMMENT ON TABLE {name} IS {quote(schemas.resource(name)['title'] + ': ' + sch['description'])}"]
    out += [f"COMMENT ON COLUMN {name}.{f['name']} IS {quote(f['description'])}" for f in sch["fields"]]
    return out


@dataclass(frozen=True)
class View:
    name: str
    description: str  # the file's opening comment: the question it answers and its columns
    body: str         # the SELECT, in SQL that DuckDB and SQLite both run


def views(sql_dir: Path = SQL_DIR) -> list[View]:
    out = []
    for path in sorted(sql_dir.glob("*.sql")):
        text = path.read_text(encoding="utf-8")
        comment = [line[2:].strip() for line in text.splitlines() if line.startswith("--")]
        body = "\n".join(line for line in text.splitlines() if not line.startswith("--")).strip()
        if not comment or not re.match(r"(?is)^select\b", body):
            raise ValueError(f"{path}: a view file opens with a comment and holds one SELECT")
        out.append(View(path.stem, " ".join(comment), body))
    return out
