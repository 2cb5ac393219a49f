"""Datasette metadata, generated from datapackage.json, schemas/ and sql/ (never written by hand).

    python -m web.metadata [--package build/stage] [--out build/stage/build]

Reads the staged build (--package) and writes into its build/ folder (--out): publishing moves it into
place with the rest, so the checksums it states are those of the very files served. Writes metadata.json (titles, descriptions, licence, source, column descriptions, labels of
codes, default facets and sort orders, canned queries with their named parameters and choices, charts
coloured by role group, the version and the downloads), site/site.css, package/ (the whole Frictionless
package laid out as in the repository, so that the descriptor's relative paths resolve over HTTP) and
downloads/ (the workbook and the release bundle, served at /downloads/), each written by rename.
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

from analysis import verdicts
from core import schemas, sqlfiles
from core.stage import exit_now
from pipeline import catalogue, ddl, dist
from web import presentation

ROOT = schemas.ROOT
DATABASE = "managing_doctors"
QUERIES_DIR = ROOT / "sql" / "queries"
MAX_FACET_VALUES = 12
SMALL_DIMENSIONS = ("role_groups", "survey_waves")
# The built package read (main's --package): the staged build, so that the sizes and checksums stated are
# those of the very files published beside this metadata.
PACKAGE = schemas.STAGE
DUCKDB = PACKAGE / "build" / "managing_doctors.duckdb"
SQLITE = PACKAGE / "build" / "managing_doctors.sqlite"


def download_files() -> dict[str, Path]:
    """What the home page offers for download under the version: label -> built file (if built)."""
    files = {"Workbook (Excel, accessible)": dist.workbook_path(PACKAGE / "build"),
             "Release bundle (zip: data, schemas, workbook, databases, checksums)": dist.path(PACKAGE / "dist")}
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
    # Every page in the file's order, which is the report's: rowid is the row's place in the CSV, so a
    # filtered page keeps it too (sorting by item_order alone left ties in key order: 2002 before 2015).
    meta = {"title": schemas.resource(name)["title"], "description": sch["description"],
            "columns": {f["name"]: f["description"] for f in sch["fields"]},
            "sort": "rowid", "sortable_columns": schemas.field_names(name) + ["rowid"]}
    if facets:
        meta["facets"] = facets
    label = presentation.label_columns().get(name)
    if label:
        meta["label_column"] = label  # a code in another table shows this beside it
    return meta


def view_metadata(view) -> dict:
    """A view's question as its description; how it is computed and what each column means folded below.
    The question in plain text too, for the database page's list of views (web/plugins/pages.py)."""
    question, _, rest = view.description.partition("Columns:")
    text = html.escape(question.strip())
    if rest.strip():
        text = (f"<p>{text}</p><details class=\"column-descriptions-box\"><summary>What each column means</summary>"
                f"<p>Columns: {html.escape(rest.strip())}</p></details>")
    return {"description_html": text, "description": question.strip()}


def facet_order(tables: dict) -> dict:
    """table -> facet column -> its values in the report's order: a dimension's rows in their file's order,
    an enum's values in the schema's order (Datasette sorts facets by count)."""
    out: dict = {}
    for name, meta in tables.items():
        for column in meta.get("facets", []):
            fk = next((fk for fk in schemas.schema(name).get("foreignKeys", []) if fk["fields"] == [column]), None)
            if fk:
                target = fk["reference"]["resource"]
                values = [r[fk["reference"]["fields"][0]] for r in presentation.rows(target)]
            else:
                values = [str(v) for v in schemas.field(name, column)["constraints"]["enum"]]
            out.setdefault(name, {})[column] = values
    return out


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
    package = json.loads((PACKAGE / "datapackage.json").read_text(encoding="utf-8"))
    source = package["sources"][0]
    licences = package["licenses"]
    tables = {name: table_metadata(name) for name in schemas.resource_names()}
    tables.update({v.name: view_metadata(v) for v in ddl.views(root=PACKAGE)})
    dashboards = presentation.colour_charts(json.loads((ROOT / "sql" / "dashboards.json").read_text(encoding="utf-8")),
                                            SQLITE)
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
                    "presentation": {"booleans": presentation.boolean_columns(DUCKDB), "about": about_facts(package),
                                     "facet_order": facet_order(tables),
                                     "p_values": presentation.p_value_columns(DUCKDB)},
                    "pages": pages_config(package)},
    }


def downloads(package: dict) -> list[dict]:
    """Every file the site offers for download with its checksum: the workbook, the bundle, the descriptor,
    and each resource as CSV and Parquet (for the JSON-LD; the home page lists the first two)."""
    out = [{"title": label, "url": f"/downloads/{p.name}", "path": p} for label, p in download_files().items()]
    out.append({"title": "The Frictionless Data Package descriptor", "url": "/package/datapackage.json",
                "path": PACKAGE / "datapackage.json"})
    for r in package["resources"]:
        out.append({"title": f"{r['title']} (CSV)", "url": f"/csv/{r['name']}.csv", "path": PACKAGE / r["path"]})
        parquet = PACKAGE / "build" / "parquet" / f"{r['name']}.parquet"
        if parquet.is_file():
            out.append({"title": f"{r['title']} (Parquet)", "url": f"/parquet/{r['name']}.parquet", "path": parquet})
    return out


# What a table's page shows of each claim that touches it (the view claims_checked has the rest).
CLAIM_COLUMNS = ("claim", "section", "cites", "derived_verdict", "derived_result")


def reader_fields(name: str) -> list[dict]:
    """A resource's columns as the publication's pages show them: title, type, whether its values are codes
    of an enum (shown in words) and whether it is only an identifier (left out)."""
    sch = schemas.schema(name)
    return [{"name": f["name"], "title": f.get("title", f["name"]), "type": f["type"],
             "enum": bool(f.get("constraints", {}).get("enum")),
             "identifier": f["name"] in sch["primaryKey"] and len(sch["primaryKey"]) == 1 and f["type"] == "string"}
            for f in sch["fields"]]


def share(part: int, whole: int) -> str:
    return f"{part} of {whole}"


def home_facts(package: dict) -> dict:
    """What the home page states, each figure counted in the built resources."""
    tests = [r for r in presentation.rows("change_tests") if r["assumption"] == "default"]
    changes = {v: sum(1 for r in tests if r["derived_verdict"] == v) for v in schemas.enum("change_tests", "derived_verdict")}
    markers = presentation.rows("significance_checks")
    agree = sum(1 for r in markers if r["derived_agrees"] == "true")
    claims = verdicts.counts(r["derived_verdict"] for r in presentation.rows("claims"))
    register = presentation.rows("discrepancies")
    figures = presentation.rows("survey_results")
    db = f"/{DATABASE}"
    first_change = next(t for t in presentation.rows("tables") if t["table_id"] in {r["table_id"] for r in tests})
    return {
        "tables": len(presentation.rows("tables")),
        "lead": (f"The survey figures of the Nuffield Trust report Managing doctors, doctors managing (Powell and "
                 f"Davies, 2016) as open data: {len(presentation.rows('tables'))} printed tables and "
                 f"{len(figures)} percentages for a statement and role group, from the 2015 survey of "
                 f"{respondents()} senior "
                 f"managers and doctors in management roles, compared with the 2002 survey. Every figure is as "
                 f"printed and checked against the others; what does not add up is in a register."),
        "questions": [
            {"question": "How have views changed since 2002?", "url": f"{db}/change_since_2002",
             "answer": (f"{len(tests)} figures are printed for both surveys. Tested with the 2002 survey's own "
                        f"group sizes, the change is significant at the 5% level for {changes['significant']}, "
                        f"not significant for {changes['not_significant']}, and depends on the denominators "
                        f"the printed figures allow for {changes['depends_on_denominators']}."),
             "links": [{"label": "every change, with its test", "url": f"{db}/change_since_2002"},
                       {"label": first_change["table_label"], "url": f"/tables/{first_change['table_id']}"},
                       {"label": "chart", "url": "/-/dashboards/report#chart-change-since-2002"}]},
            {"question": "How do the role groups differ?", "url": f"{db}/significance_rerun",
             "answer": (f"The report marks {len(markers)} statements with a test of equality across the four "
                        f"groups. Rerun on the counts its figures imply, {share(agree, len(markers))} printed "
                        f"markers are reproduced."),
             "links": [{"label": "the tests rerun", "url": f"{db}/significance_rerun"},
                       {"label": "clinical directors against the others", "url": f"{db}/clinical_director_gap"}]},
            {"question": "Which of the report's claims hold?", "url": f"{db}/claims_checked",
             "answer": verdicts.summary(claims),
             "links": [{"label": "every claim, decided", "url": f"{db}/claims_checked"},
                       {"label": "the parts of each", "url": f"{db}/claim_parts"}]},
            {"question": "Which printed figures do not add up?", "url": f"{db}/discrepancies",
             "answer": (f"{len(register)} findings are in the register of discrepancies, each kept as printed "
                        f"with the simplest explanation that reproduces it."),
             "links": [{"label": "the register", "url": f"{db}/discrepancies"},
                       {"label": "the checks run", "url": f"{db}/check_summary"}]},
        ],
    }


def respondents() -> int:
    return next(int(w["respondents"]) for w in catalogue.waves() if w["survey_year"] == max(
        w["survey_year"] for w in catalogue.waves()))


def citation_text(package: dict) -> str:
    """How to cite the package itself: its maintainers, title, version and year."""
    who = ", ".join(c["name"] for c in catalogue.creators(package))
    return f"{who} ({package['created'][:4]}) {package['title']}, version {package['version']}."


def pages_config(package: dict) -> dict:
    """Configuration of web/plugins/pages.py: what the publication's pages need from the build."""
    files = downloads(package)
    offered = [{"label": label, "url": f"/downloads/{p.name}", "name": p.name, "size": size(p.stat().st_size),
                "sha256": catalogue.sha256(p)} for label, p in download_files().items()]
    book = dist.workbook_path(PACKAGE / "build")
    table_pages = {}
    for t in presentation.rows("tables"):
        page = {"json_ld": catalogue.schema_org(
            files, url=f"/tables/{t['table_id']}", name=f"{t['table_label']}: {t['title']}",
            description=(f"{t['table_label']} of the report Managing doctors, doctors managing (Powell and Davies, "
                         f"2016), as printed and as tidy data: {t['title']}. Part of the data package "
                         f"{package['title']}, version {package['version']}."), part_of=True)}
        del page["json_ld"]["distribution"]  # the package's, added by the plugin: stated once in the metadata
        if book.is_file():
            page["workbook"] = {"sheet": "Table_" + re.sub(r"[^0-9A-Za-z]+", "_", t["table_label"].removeprefix("Table ")),
                                "url": f"/downloads/{book.name}", "name": book.name, "size": size(book.stat().st_size)}
        table_pages[t["table_id"]] = page
    return {
        "database": DATABASE,
        "colours": presentation.role_group_colours_by_code(),
        "fields": {"claims": [f for f in reader_fields("claims") if f["name"] in CLAIM_COLUMNS],
                   "discrepancies": reader_fields("discrepancies")},
        "package": {"title": package["title"], "version": package["version"], "source": package["sources"][0]["title"],
                    "cite": citation_text(package)},
        "home": home_facts(package),
        "downloads": offered,
        "resources": [{"title": r["title"], "csv": f"/csv/{r['name']}.csv", "parquet": f"/parquet/{r['name']}.parquet",
                       "browse": f"/{DATABASE}/{r['name']}"} for r in package["resources"]],
        "json_ld": catalogue.schema_org(files),
        "table_pages": table_pages,
    }


def about_facts(package: dict) -> dict:
    """What the about page (web/templates/pages/about.html) states, read from the package."""
    checks = presentation.rows("check_summary")
    tests = [r for r in presentation.rows("change_tests") if r["assumption"] == "default"]
    claims = presentation.rows("claims")
    return {"version": package["version"], "released": package["created"][:10], "waves": presentation.rows("survey_waves"),
            "tables": len(presentation.rows("tables")), "figures": len(presentation.rows("survey_results")),
            "rules": len(checks), "cells_checked": sum(int(r["checked"]) for r in checks),
            "discrepancies": len(presentation.rows("discrepancies")),
            "change_pairs": len(tests),
            "change_significant": sum(1 for r in tests if r["derived_verdict"] == "significant"),
            "claims": verdicts.counts(r["derived_verdict"] for r in claims),
            "source": package["sources"][0]["title"], "source_url": package["sources"][0]["path"],
            "paper_2002": package["sources"][1]["title"], "title": package["title"],
            "cite": citation_text(package), "repository": schemas.repository(),
            "report_a_problem": schemas.report_a_problem()}


# The claims' table page shows each claim and its verdict; the columns that say what decides it (tables,
# items, groups, word, amount, ...) are on its row page and in JSON and CSV.
CLAIM_PAGE_COLUMNS = ("claim_order", "claim_id", "section", "claim", "cites", "comparison", "derived_verdict",
                      "derived_parts", "derived_parts_holding", "derived_result", "reason")


def hidden_columns() -> dict[str, list[str]]:
    hidden = {n: cols for n in schemas.resource_names()
              if (cols := presentation.repeated_labels(n) + presentation.sparse_columns(n))}
    hidden["claims"] = list(dict.fromkeys(hidden.get("claims", []) + [
        c for c in schemas.field_names("claims") if c not in CLAIM_PAGE_COLUMNS]))
    hidden.update(presentation.view_codes(DUCKDB))
    return hidden


def publish_package(folder: Path) -> None:
    """The Frictionless package as published (descriptor, CSVW, schemas, CSVs) in the folder Datasette
    serves at /package/, laid out as in the repository so that every relative path resolves."""
    shutil.rmtree(folder, ignore_errors=True)
    package = json.loads((PACKAGE / "datapackage.json").read_text(encoding="utf-8"))
    files = ["datapackage.json", "csv-metadata.json"]
    files += [p for r in package["resources"] for p in (r["path"], r["schema"]) if isinstance(p, str)]
    for rel in files:
        source = (ROOT if rel.startswith("schemas/") else PACKAGE) / rel
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, folder / rel)
        except OSError:
            shutil.copyfile(source, folder / rel)


def publish_downloads(folder: Path) -> None:
    """The built workbook and bundle, and nothing else, in the folder Datasette serves at /downloads/."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for p in download_files().values():
        try:
            os.link(p, folder / p.name)  # the same bytes, without a copy
        except OSError:
            shutil.copyfile(p, folder / p.name)


def write(path: Path, text: str) -> None:
    """By rename, never in place: a published or served copy may be a hard link to the old file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def main(argv=None) -> int:
    global PACKAGE, DUCKDB, SQLITE
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--package", type=Path, default=schemas.STAGE, help="the built package (default: the staged build)")
    p.add_argument("--out", type=Path, default=schemas.STAGE / "build")
    args = p.parse_args(argv)
    PACKAGE = presentation.PACKAGE = catalogue.PACKAGE = args.package
    DUCKDB, SQLITE = PACKAGE / "build" / DUCKDB.name, PACKAGE / "build" / SQLITE.name
    args.out.mkdir(parents=True, exist_ok=True)
    meta = json.dumps(metadata(), indent=2, ensure_ascii=False) + "\n"
    publish_package(args.out / "package")
    write(args.out / "site" / "site.css", presentation.stylesheet(hidden_columns(), presentation.column_counts(DUCKDB)))
    publish_downloads(args.out / "downloads")
    write(args.out / "metadata.json", meta)  # last: the Makefile's target
    return 0


if __name__ == "__main__":
    exit_now(main())
