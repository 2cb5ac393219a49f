"""Datasette metadata, generated from datapackage.json, schemas/ and sql/ (never written by hand).

    python -m pipeline.serve_metadata [--out build]

Writes build/metadata.json (titles, descriptions, licence, source, column descriptions, default
facets and sort orders, canned queries with their named parameters, charts) and build/package/
(the descriptor, for download beside the CSV and Parquet files).
"""
from __future__ import annotations

import argparse
import html
import json
import re
import shutil
from pathlib import Path

from pipeline import ddl, schemas
from pipeline.stage import exit_now

ROOT = schemas.ROOT
DATABASE = "managing_doctors"
QUERIES_DIR = ROOT / "sql" / "queries"
MAX_FACET_VALUES = 12


def canned_queries() -> dict:
    out = {}
    for path in sorted(QUERIES_DIR.glob("*.sql")):
        text = path.read_text(encoding="utf-8")
        comment = " ".join(line[2:].strip() for line in text.splitlines() if line.startswith("--"))
        sql = "\n".join(line for line in text.splitlines() if not line.startswith("--")).strip()
        title = comment.split(":")[0]
        out[path.stem] = {"title": title, "description": comment, "sql": sql,
                          "params": list(dict.fromkeys(re.findall(r"(?<!:):([a-z_]+)", sql)))}
    return out


def table_metadata(name: str) -> dict:
    sch = schemas.schema(name)
    facets = [f["name"] for f in sch["fields"]
              if 1 < len(f.get("constraints", {}).get("enum", [])) <= MAX_FACET_VALUES]
    meta = {"title": schemas.resource(name)["title"], "description": sch["description"],
            "columns": {f["name"]: f["description"] for f in sch["fields"]},
            "sort": next((o for o in ("item_order", "table_order") if o in schemas.field_names(name)),
                         sch["primaryKey"][0])}  # the report's order where a resource has it
    if facets:
        meta["facets"] = facets
    return meta


def links(package: dict) -> str:
    rows = "".join(
        f'<li>{html.escape(r["title"])}: <a href="/csv/{r["name"]}.csv">CSV</a>, '
        f'<a href="/parquet/{r["name"]}.parquet">Parquet</a>, <a href="/{DATABASE}/{r["name"]}">browse</a></li>'
        for r in package["resources"])
    return (f"<p>{html.escape(package['description'])}</p>"
            f'<p><a href="/validation/summary.html">Validation report</a> (what was checked, and that it passed; Great Expectations Data Docs for <a href="/validation/sqlite/index.html">SQLite</a> and <a href="/validation/duckdb/index.html">DuckDB</a>) · '
            f'<a href="/{DATABASE}/check_summary">arithmetic checks</a> · '
            f'<a href="/{DATABASE}/discrepancies">register of discrepancies</a> · '
            f'<a href="/-/dashboards/report">charts</a> · '
            f'<a href="/package/datapackage.json">datapackage.json</a></p>'
            f"<p>Downloads (CSV with Table Schemas; Parquet):</p><ul>{rows}</ul>")


def metadata() -> dict:
    package = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    source = package["sources"][0]
    licences = package["licenses"]
    tables = {name: table_metadata(name) for name in schemas.resource_names()}
    tables.update({v.name: {"description": v.description} for v in ddl.views()})
    dashboards = json.loads((ROOT / "sql" / "dashboards.json").read_text(encoding="utf-8"))
    for board in dashboards.values():
        for chart in board["charts"].values():
            chart.setdefault("db", DATABASE)
    return {
        "title": package["title"],
        "description_html": links(package),
        "license": "; ".join(lic["name"] for lic in licences),
        "license_url": licences[0]["path"],
        "source": source["title"],
        "source_url": source["path"],
        "databases": {DATABASE: {"description": package["description"], "tables": tables,
                                 "queries": canned_queries()}},
        "plugins": {"datasette-dashboards": dashboards},
    }


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=ROOT / "build")
    args = p.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    tmp = args.out / "metadata.json.tmp"
    tmp.write_text(json.dumps(metadata(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (args.out / "package").mkdir(exist_ok=True)
    shutil.copyfile(ROOT / "datapackage.json", args.out / "package" / "datapackage.json")
    tmp.replace(args.out / "metadata.json")
    return 0


if __name__ == "__main__":
    exit_now(main())
