"""The package described for catalogues, from datapackage.json and the built files (never by hand):

- schema.org `Dataset` JSON-LD, which dataset search engines read from the site's pages
  (web/metadata.py puts it in every page of the publication; site paths start with '/' and the server
  makes them absolute for the host it answers on);
- DCAT (W3C Data Catalog Vocabulary) JSON-LD, for government catalogues, in the release bundle
  (pipeline/dist.py; file names relative to the bundle).

Both name every download with its media type, size and SHA-256 checksum, its licences, creator, the
period and places surveyed and the report to cite.
"""
from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

from core import schemas

ROOT = schemas.ROOT
PACKAGE = schemas.STAGE  # the built package described (web.metadata's and pipeline.dist's --package)
MEDIA_TYPES = {".csv": "text/csv", ".parquet": "application/vnd.apache.parquet", ".json": "application/json",
               ".jsonld": "application/ld+json",
               ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               ".zip": "application/zip", ".sqlite": "application/vnd.sqlite3", ".duckdb": "application/octet-stream",
               ".md": "text/markdown", ".cff": "application/x-yaml", "": "text/plain"}


def descriptor() -> dict:
    return json.loads((PACKAGE / "datapackage.json").read_text(encoding="utf-8"))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def media_type(name: str) -> str:
    return MEDIA_TYPES.get(Path(name).suffix, "application/octet-stream")


def waves() -> list[dict]:
    with open(PACKAGE / schemas.resource("survey_waves")["path"], encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def temporal_coverage() -> str:
    """ISO 8601 interval from the first fieldwork day of the earliest wave to the last of the latest."""
    w = [x for x in waves() if x["fieldwork_start"] and x["fieldwork_end"]]
    return f"{min(x['fieldwork_start'] for x in w)}/{max(x['fieldwork_end'] for x in w)}"


def creators(package: dict) -> list[dict]:
    return [{"@type": "Organization", "name": c["title"]} for c in package["contributors"]
            if "maintainer" in c["roles"]]


def schema_org(downloads: list[dict], url: str = "/", name: str | None = None, description: str | None = None,
               part_of: bool = False) -> dict:
    """schema.org Dataset. downloads: {name, url, path (the file), title} for every file offered."""
    package = descriptor()
    report = package["sources"][0]
    data = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": name or package["title"],
        "description": description or package["description"],
        "url": url,
        "version": package["version"],
        "datePublished": package["created"][:10],
        "keywords": package["keywords"],
        "creator": creators(package),
        "license": [lic["path"] for lic in package["licenses"]],
        "isAccessibleForFree": True,
        "temporalCoverage": temporal_coverage(),
        "spatialCoverage": [{"@type": "Place", "name": w["scope"], "description": w["label"]} for w in waves()],
        "citation": [{"@type": "CreativeWork", "name": s["title"], "url": s["path"]} for s in package["sources"]],
        "isBasedOn": {"@type": "Report", "name": report["title"], "url": report["path"]},
    }
    files = [{"@type": "DataDownload", "name": d["title"], "contentUrl": d["url"],
              "encodingFormat": media_type(d["path"].name), "contentSize": f"{d['path'].stat().st_size} B",
              "sha256": sha256(d["path"])} for d in downloads]
    if part_of:
        data["isPartOf"] = {"@type": "Dataset", "name": package["title"], "url": "/"}
    data["distribution"] = files
    return data


def dcat(members: dict[str, Path]) -> dict:
    """DCAT-AP style JSON-LD of the bundle: one dcat:Distribution per member file, named relative to it."""
    package = descriptor()
    start, end = temporal_coverage().split("/")
    spdx = "http://spdx.org/rdf/terms#"
    return {
        "@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
                     "foaf": "http://xmlns.com/foaf/0.1/", "spdx": spdx, "owl": "http://www.w3.org/2002/07/owl#",
                     "xsd": "http://www.w3.org/2001/XMLSchema#", "schema": "https://schema.org/"},
        "@id": f"urn:x-data-package:{package['name']}:{package['version']}",
        "@type": "dcat:Dataset",
        "dct:identifier": f"{package['name']}-{package['version']}",
        "dct:title": package["title"],
        "dct:description": package["description"],
        "owl:versionInfo": package["version"],
        "dct:issued": {"@value": package["created"][:10], "@type": "xsd:date"},
        "dcat:keyword": package["keywords"],
        "dct:creator": [{"@type": "foaf:Agent", "foaf:name": c["name"]} for c in creators(package)],
        "dct:license": [{"@id": lic["path"]} for lic in package["licenses"]],
        "dct:temporal": {"@type": "dct:PeriodOfTime",
                         "dcat:startDate": {"@value": start, "@type": "xsd:date"},
                         "dcat:endDate": {"@value": end, "@type": "xsd:date"}},
        "dct:spatial": [{"@type": "dct:Location", "dct:description": w["scope"]} for w in waves()],
        "dct:source": [{"@id": s["path"], "dct:title": s["title"]} for s in package["sources"]],
        "dcat:distribution": [{
            "@type": "dcat:Distribution",
            "dct:title": name,
            "dcat:downloadURL": {"@id": name},
            "dcat:mediaType": media_type(name),
            "dcat:byteSize": {"@value": str(path.stat().st_size), "@type": "xsd:nonNegativeInteger"},
            "spdx:checksum": {"@type": "spdx:Checksum", "spdx:algorithm": {"@id": spdx + "checksumAlgorithm_sha256"},
                              "spdx:checksumValue": sha256(path)},
        } for name, path in sorted(members.items())],
    }
