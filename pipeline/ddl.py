"""Database structure from schemas/ and views from sql/: shared by the DuckDB and SQLite loaders."""
from __future__ import annotations

import csv
import dataclasses
import graphlib
from pathlib import Path

import jinja2

from analysis import verdicts
from core import schemas, sqlfiles
from core.types import engine_type

SQL_DIR = schemas.ROOT / "sql"
OVERALL_LEVEL = "all_levels"  # role_groups.level of the overall column


def loader_main(build, doc: str, argv=None) -> int:
    """The command line both database loaders share: --out DIR, --package DIR (the package root whose
    tables/ are loaded), by default the staged build; one error line and exit 1 on failure, the previous
    database left in place."""
    import argparse
    import sys

    p = argparse.ArgumentParser(description=doc.splitlines()[0])
    p.add_argument("--out", type=Path, default=schemas.STAGE / "build")
    p.add_argument("--package", type=Path, default=schemas.STAGE, help="package root holding the built tables/")
    args = p.parse_args(argv)
    try:
        build(args.out, args.package)
    except Exception as e:  # duckdb, sqlite3 and sqlite-utils errors alike: their message, not their class
        print(f"error: loading the database failed: {e}", file=sys.stderr)
        return 1
    return 0


def load_order() -> list[str]:
    """Resources ordered so that every table comes after the tables its foreign keys reference
    (graphlib, ties kept in the package's order)."""
    names = schemas.resource_names()
    deps = {n: {fk["reference"]["resource"] for fk in schemas.schema(n).get("foreignKeys", [])} - {n} for n in names}
    sorter = graphlib.TopologicalSorter(deps)
    sorter.prepare()  # raises graphlib.CycleError naming the cycle
    order: list[str] = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready(), key=names.index)
        order += ready
        sorter.done(*ready)
    return order


def duckdb_create_table(name: str) -> str:
    sch = schemas.schema(name)
    lines = []
    for f in sch["fields"]:
        required = " NOT NULL" if f.get("constraints", {}).get("required") else ""
        lines.append(f"    {f['name']} {engine_type(f['type'], 'duckdb')}{required}")
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


def dimensions(root: Path = schemas.STAGE) -> dict:
    """What SQL that must list columns is generated from: the role groups (the four, then the overall
    column) and the categories of Tables 1.1 and 1.2, read from the built dimension resources; the
    positions of claim_sections and the verdicts of claims in words."""
    def rows(name: str) -> list[dict]:
        with open(root / schemas.resource(name)["path"], encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))

    groups = sorted(rows("role_groups"), key=lambda g: int(g["sort_order"]))
    categories = list({(r["table_id"], r["category_id"]): r for r in rows("role_profile")}.values())
    positions = range(1, max(int(r["position"]) for r in rows("claim_sections")) + 1)
    return {"groups": [g for g in groups if g["level"] != OVERALL_LEVEL],
            "overall": next(g for g in groups if g["level"] == OVERALL_LEVEL), "categories": categories,
            # the sections that make a claim, as many as the most restated one has, and the verdicts in words
            "section_positions": positions, "verdicts": verdicts.VERDICT_WORDS}


def views(sql_dir: Path = SQL_DIR, root: Path = schemas.STAGE) -> list[sqlfiles.SqlFile]:
    """The views of sql/, their column lists rendered (Jinja) from the dimension resources of the package
    under root (the staged build unless named)."""
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)
    context = dimensions(root)
    return [dataclasses.replace(v, body=env.from_string(v.body).render(**context).strip())
            for v in sqlfiles.read_all(sql_dir)]
