"""csv-metadata.json (W3C CSV on the Web), generated from schemas/ and schemas/package.json, never by hand."""
from __future__ import annotations

import json
import re

from core import schemas
from core.types import engine_type


def datatype(field: dict):
    c = field.get("constraints", {})
    dt: dict = {"base": engine_type(field["type"], "csvw")}
    if field["type"] == "boolean":
        dt["format"] = "true|false"
    if "enum" in c and field["type"] == "string":
        dt["format"] = "|".join(re.escape(v) for v in c["enum"])
    elif "enum" in c:
        dt["minimum"], dt["maximum"] = min(c["enum"]), max(c["enum"])
    if "pattern" in c:
        dt["format"] = c["pattern"]
    if "minimum" in c:
        dt["minimum"] = c["minimum"]
    if "maximum" in c:
        dt["maximum"] = c["maximum"]
    return dt if len(dt) > 1 else dt["base"]


def table(name: str) -> dict:
    res, sch = schemas.resource(name), schemas.schema(name)
    columns = [{"name": f["name"], "titles": f.get("title", f["name"]), "dc:description": f["description"],
                "datatype": datatype(f), "required": bool(f.get("constraints", {}).get("required"))}
               for f in sch["fields"]]
    out = {"url": res["path"], "dc:title": res["title"], "dc:description": sch["description"],
           "tableSchema": {"columns": columns, "primaryKey": sch["primaryKey"]}}
    fks = [{"columnReference": fk["fields"],
            "reference": {"resource": schemas.resource(fk["reference"]["resource"])["path"],
                          "columnReference": fk["reference"]["fields"]}}
           for fk in sch.get("foreignKeys", []) if fk["reference"]["resource"] != name]
    if fks:
        out["tableSchema"]["foreignKeys"] = fks
    return out


def build() -> bytes:
    meta = schemas.package_metadata()
    doc = {"@context": ["http://www.w3.org/ns/csvw", {"@language": "en"}],
           "dc:title": meta["title"], "dc:description": meta["description"],
           "dc:source": meta["sources"][0]["title"], "dc:license": [lic["title"] for lic in meta["licenses"]],
           "dcat:version": meta["version"],
           "tables": [table(name) for name in schemas.resource_names()]}
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
