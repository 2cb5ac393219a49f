"""Read the Table Schemas in schemas/: the one place that states structure."""
from __future__ import annotations

import csv
import io
import json
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = ROOT / "schemas"
# The staged build: every stage writes here, laid out as the repository (STAGE/tables/x.csv is published as
# tables/x.csv, STAGE/build/x as build/x, STAGE/dist/x as dist/x); publish/ moves it into place only once
# every check has passed on it.
STAGE = ROOT / "build" / "stage"


@cache
def package_metadata() -> dict:
    return json.loads((SCHEMA_DIR / "package.json").read_text(encoding="utf-8"))


def repository() -> str | None:
    """The public address of the package's source ("repository" in schemas/package.json), stated once and
    used by the citation file, the about page, the workbook and the bundle; None while no public address is
    set, and then no page promises one."""
    return package_metadata().get("repository") or None


def report_a_problem() -> str:
    """How to report a problem, in one sentence, for every page that says it."""
    where = repository()
    return (f"Report a problem or ask a question through the issue tracker at {where}, giving the version, the "
            "table and row, the role group and the year." if where else
            "Report a problem or ask a question to whoever gave you this package, giving the version, the table "
            "and row, the role group and the year: this version has no public source address.")


def resource_names() -> list[str]:
    return [r["name"] for r in package_metadata()["resources"]]


def resource(name: str) -> dict:
    for r in package_metadata()["resources"]:
        if r["name"] == name:
            return r
    raise KeyError(name)


@cache
def schema(name: str) -> dict:
    return json.loads((ROOT / resource(name)["schema"]).read_text(encoding="utf-8"))


def fields(name: str) -> list[dict]:
    return schema(name)["fields"]


def field_names(name: str) -> list[str]:
    return [f["name"] for f in fields(name)]


def field(name: str, field_name: str) -> dict:
    for f in fields(name):
        if f["name"] == field_name:
            return f
    raise KeyError(f"{name}.{field_name}")


def enum(name: str, field_name: str) -> list:
    return field(name, field_name)["constraints"]["enum"]


def _format(value, ftype: str) -> str:
    if value is None:
        return ""
    if ftype == "boolean":
        return "true" if value else "false"
    if ftype == "number":
        # Whole numbers without a trailing .0, so that text and numbers read alike.
        return str(int(value)) if float(value).is_integer() else f"{float(value):.12g}"
    return str(value)


def to_csv(name: str, rows: list[dict]) -> bytes:
    """Render rows as the resource's CSV: schema column order, UTF-8, LF, one header row."""
    names = field_names(name)
    types = {f["name"]: f["type"] for f in fields(name)}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    for row in rows:
        extra = set(row) - set(names)
        if extra:
            raise ValueError(f"{name}: columns not in schemas/{name}.json: {sorted(extra)}")
        writer.writerow([_format(row.get(n), types[n]) for n in names])
    return out.getvalue().encode("utf-8")
