"""Datasette metadata, generated from datapackage.json, schemas/ and sql/ (never written by hand).

    python -m web.metadata [--out build]

Writes build/metadata.json (titles, descriptions, licence, source, column descriptions, labels of
codes, default facets and sort orders, canned queries with their named parameters and choices, charts
coloured by role group, the version and the downloads), build/site/site.css, build/package/ (the whole
Frictionless package laid out as in the repository, so that the descriptor's relative paths resolve over
HTTP) and build/downloads/ (the workbook and the release bundle, served at /downloads/).
"""
from __future__ import annotations

import argparse
import hashlib
import html
import json
import os
import re
import shutil
from pathlib import Path

from core import schemas, sqlfiles
from core.stage import exit_now
from pipeline import ddl, dist
from web import presentation

ROOT = schemas.ROOT
DATABASE = "managing_doctors"
QUERIES_DIR = ROOT / "sql" / "queries"
MAX_FACET_VALUES = 12
SMALL_DIMENSIONS = ("role_groups", "survey_waves")
DOWNLOADS = ROOT / "build" / "downloads"
DUCKDB = ROOT / "build" / "managing_doctors.duckdb"


def download_files() -> dict[str, Path]:
    """What the home page offers for download under the version: label -> built file (if built)."""
    files = {"Workbook (Excel, accessible)": dist.workbook_path(ROOT / "build"),
             "Release bundle (zip: data, schemas, workbook, databases, checksums)": dist.path(ROOT / "dist")}
    return {label: p for label, p in files.items() if p.is_file()}


def size(n: int) -> str:
    return f"{n / 1024:,.1f} KB" if n < 1024 ** 2 else f"{n / 1024 ** 2:,.1f} MB"


def downloads_html(version: str) -> str:
    items = "".join(
        f'<li><a href="/downloads/{p.name}">{html.escape(label)}</a>: {p.name}, {size(p.stat().st_size)}, '
        f'SHA-256 <code>{hashlib.sha256(p.read_bytes()).hexdigest()}</code></li>'
        for label, p in download_files().items())
    return f'<h2 id="downloads">Version {html.escape(version)}</h2><ul>{items}</ul>' if items else ""


def canned_queries() -> dict:
    return {q.name: {"title": q.description.split(":")[0], "description": q.description, "sql": q.body,
                     "params": list(dict.fromkeys(re.findall(r"(?<!:):([a-z_]+)", q.body)))}
            for q in sqlfiles.read_all(QUERIES_DIR)}


def table_metadata(name: str) -> dict:
    sch = schemas.schema(name)
    # Facets: fields with a few allowed values, stated by an enum or by a foreign key to a small dimension.
    small = {fk["fields"][0] for fk in sch.get("foreignKeys", []) if fk["reference"]["resource"] in SMALL_DIMENSIONS}
    facets = [f["name"] for f in sch["fields"]
              if 1 < len(f.get("constraints", {}).get("enum", [])) <= MAX_FACET_VALUES or f["name"] in small]
    meta = {"title": schemas.resource(name)["title"], "description": sch["description"],
            "columns": {f["name"]: f["description"] for f in sch["fields"]},
            "sort": next((o for o in ("item_order", "table_order") if o in schemas.field_names(name)),
                         sch["primaryKey"][0])}  # the report's order where a resource has it
    if facets:
        meta["facets"] = facets
    label = presentation.label_columns().get(name)
    if label:
        meta["label_column"] = label  # a code in another table shows this beside it
    return meta


def links(package: dict) -> str:
    rows = "".join(
        f'<li>{html.escape(r["title"])}: <a href="/csv/{r["name"]}.csv">CSV</a>, '
        f'<a href="/parquet/{r["name"]}.parquet">Parquet</a>, <a href="/{DATABASE}/{r["name"]}">browse</a></li>'
        for r in package["resources"])
    return (f"<p>{html.escape(package['description'])}</p>" + downloads_html(package["version"]) +
            '<p><a href="/about"><strong>About this data</strong></a> (what was surveyed, how the tables were made, '
            'quality, licence, how to cite) · '
            '<a href="/validation/summary.html">Validation report</a> (what was checked, and that it passed) · '
            f'<a href="/{DATABASE}/check_summary">arithmetic checks</a> · '
            f'<a href="/{DATABASE}/discrepancies">register of discrepancies</a> · '
            f'<a href="/-/dashboards/report">charts</a> · '
            f'<a href="/package/datapackage.json">datapackage.json</a> (the Frictionless package: '
            f'<code>frictionless validate</code> or any reader can open it at this address)</p>'
            f"<p>Downloads (CSV with Table Schemas; Parquet):</p><ul>{rows}</ul>")


def metadata() -> dict:
    package = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    source = package["sources"][0]
    licences = package["licenses"]
    tables = {name: table_metadata(name) for name in schemas.resource_names()}
    tables.update({v.name: {"description": v.description} for v in ddl.views()})
    dashboards = presentation.colour_charts(json.loads((ROOT / "sql" / "dashboards.json").read_text(encoding="utf-8")))
    queries = canned_queries()
    for board in dashboards.values():
        for chart in board["charts"].values():
            chart.setdefault("db", DATABASE)
    return {
        "title": package["title"],
        "description_html": links(package),
        # Readable names, pointing to the about page's licence in plain English (the descriptor keeps the ids).
        "license": "; ".join(lic["name"].removeprefix("LicenseRef-").replace("-", " ") for lic in licences),
        "license_url": "/about#licence",
        "source": source["title"],
        "source_url": source["path"],
        # Datasette prints "about" in every page's footer: the version, everywhere.
        "about": f"Version {package['version']}",
        "about_url": "/#downloads",
        "extra_css_urls": ["/site/site.css"],
        "databases": {DATABASE: {"description": package["description"], "tables": tables,
                                 "queries": queries}},
        "plugins": {"datasette-dashboards": dashboards,
                    "client_errors": {"choices": presentation.parameter_choices(queries)},
                    "presentation": {"booleans": presentation.boolean_columns(DUCKDB), "about": about_facts(package)}},
    }


def latest_changes() -> list[str]:
    """The newest CHANGELOG.md entry's items (continuation lines joined), each to its first clause, for
    the about page."""
    items: list[str] = []
    in_entry = False
    for line in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            if in_entry:
                break
            in_entry = True
        elif in_entry and line.startswith("- "):
            items.append(line[2:].strip())
        elif in_entry and items and line.startswith("  "):
            items[-1] += " " + line.strip()
    return [re.split(r"[:;(]", item, maxsplit=1)[0].replace("`", "").strip().rstrip(".,") for item in items]


def about_facts(package: dict) -> dict:
    """What the about page (web/templates/pages/about.html) states, read from the package."""
    wave = presentation.rows("survey_waves")
    checks = presentation.rows("check_summary")
    return {"version": package["version"], "released": package["created"][:10], "changes": latest_changes(), "waves": wave, "tables": len(presentation.rows("tables")),
            "figures": len(presentation.rows("survey_results")),
            "rules": len(checks), "cells_checked": sum(int(r["checked"]) for r in checks),
            "discrepancies": len(presentation.rows("discrepancies")),
            "source": package["sources"][0]["title"], "source_url": package["sources"][0]["path"],
            "title": package["title"]}


def hidden_columns() -> dict[str, list[str]]:
    return {n: cols for n in schemas.resource_names()
            if (cols := presentation.repeated_labels(n) + presentation.sparse_columns(n))}


def publish_package(folder: Path) -> None:
    """The Frictionless package as published (descriptor, CSVW, schemas, CSVs) in the folder Datasette
    serves at /package/, laid out as in the repository so that every relative path resolves."""
    shutil.rmtree(folder, ignore_errors=True)
    package = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    files = ["datapackage.json", "csv-metadata.json"]
    files += [p for r in package["resources"] for p in (r["path"], r["schema"]) if isinstance(p, str)]
    for rel in files:
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(ROOT / rel, folder / rel)
        except OSError:
            shutil.copyfile(ROOT / rel, folder / rel)


def publish_downloads(folder: Path) -> None:
    """The built workbook and bundle, and nothing else, in the folder Datasette serves at /downloads/."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for p in download_files().values():
        try:
            os.link(p, folder / p.name)  # the same bytes, without a copy
        except OSError:
            shutil.copyfile(p, folder / p.name)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=ROOT / "build")
    args = p.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    tmp = args.out / "metadata.json.tmp"
    tmp.write_text(json.dumps(metadata(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    publish_package(args.out / "package")
    (args.out / "site").mkdir(exist_ok=True)
    (args.out / "site" / "site.css").write_text(presentation.stylesheet(hidden_columns()), encoding="utf-8")
    publish_downloads(args.out / "downloads")
    tmp.replace(args.out / "metadata.json")
    return 0


if __name__ == "__main__":
    exit_now(main())
