"""The release bundle: dist/<name>-<version>.zip, from the built and validated files.

    python -m pipeline.dist [--package build/stage] [--out build/stage/dist]

Holds datapackage.json, schemas/, every CSV the descriptor lists, csv-metadata.json, the workbook, the
SQLite and DuckDB databases, the Parquet files, a user README, LICENSE, CITATION.cff, CHANGELOG.md and
dcat.jsonld (the package for data catalogues) and SHA256SUMS, under one folder <name>-<version>/. Members are sorted and carry fixed dates and permissions,
so the same files always give the same zip bytes.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import zipfile
from datetime import datetime
from pathlib import Path

from core import schemas
from core.stage import exit_now
from pipeline import catalogue

ROOT = schemas.ROOT
BUILD = ROOT / "build"
# What the bundle takes from the repository as it is, beside the built package.
SOURCES = ("LICENSE", "CITATION.cff", "CHANGELOG.md")
DATABASES = ("managing_doctors.sqlite", "managing_doctors.duckdb")


def release() -> str:
    meta = schemas.package_metadata()
    return f"{meta['name']}-{meta['version']}"


def path(out: Path) -> Path:
    return out / f"{release()}.zip"


def workbook_path(build: Path = BUILD) -> Path:
    """Where pipeline.workbook writes the workbook (here, so that finding it does not import pandas)."""
    return build / f"{release()}.xlsx"


def members(package: Path = schemas.STAGE) -> dict[str, Path]:
    """Name in the bundle -> file on disk: the built package under package (its descriptors, CSVs, and
    build/: databases, workbook, Parquet), the schemas and the repository's SOURCES."""
    build = package / "build"
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    files = {name: package / name for name in ("datapackage.json", "csv-metadata.json")}
    files.update({name: ROOT / name for name in SOURCES})
    files.update({p.relative_to(ROOT).as_posix(): p for p in sorted((ROOT / "schemas").glob("*.json"))})
    files.update({r["path"]: package / r["path"] for r in descriptor["resources"]})
    book = workbook_path(build)
    files[book.name] = book
    files.update({name: build / name for name in DATABASES})
    files.update({f"parquet/{p.name}": p for p in sorted((build / "parquet").glob("*.parquet"))})
    missing = [str(p) for p in files.values() if not p.is_file()]
    if missing:
        raise FileNotFoundError(f"not built: {', '.join(missing)} (run make)")
    return files


def user_readme(package: Path = schemas.STAGE) -> str:
    """The README for people who download the bundle: what is in it and how to use it, nothing on building."""
    meta = schemas.package_metadata()
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    book = workbook_path().name
    tables = "\n".join(["| file | table |", "|---|---|"] + [f"| `{r['path']}` | {r['title']}: {r['description']} |"
                                                           for r in descriptor["resources"]])
    return f"""# {meta['title']}

Version {meta['version']}. {meta['description']}

Source: {meta['sources'][0]['title']} {meta['sources'][0]['path']}

## What is in this bundle

| file | what it is |
|---|---|
| `{book}` | An accessible Excel workbook: every table of the report in its printed layout, with notes, the tidy results, the register of discrepancies and the checks. Start here if you use a spreadsheet. |
| `datapackage.json`, `schemas/` | The Frictionless Data Package descriptor and one Table Schema per CSV (types, keys, descriptions). |
| `tables/*.csv` | The data as tidy CSV (UTF-8, no byte-order mark), listed below. |
| `csv-metadata.json` | The same package described in W3C CSV on the Web. |
| `managing_doctors.sqlite`, `managing_doctors.duckdb` | Every table with its keys, and the canned views, in SQLite and DuckDB ({_duckdb_version()}). |
| `parquet/*.parquet` | Every table as Parquet. |
| `CITATION.cff`, `CHANGELOG.md`, `LICENSE` | How to cite, what changed, the licence. |
| `dcat.jsonld` | The package described for data catalogues (W3C DCAT, JSON-LD): every file with its media type, size and SHA-256. |
| `SHA256SUMS` | The SHA-256 checksum of every other file. |

{tables}

## Method and the register of discrepancies

Every table was typed once, exactly as printed, and checked by code against its counts, column n and
the report's text. `tables/check_summary.csv` (and the workbook's Checks sheet) lists every rule checked,
with the number of figures checked and failing; figures that do not reconcile are in
`tables/discrepancies.csv` (and the workbook's Discrepancies sheet), each with the simplest explanation
that reproduces it. {schemas.report_a_problem()}

## Opening the CSVs in Excel

The CSVs are UTF-8 and contain curly quotes, dashes and the dagger sign. Opened by double-click, Excel on
Windows may read them in another encoding and garble those characters. Use Data > From Text/CSV
instead, choose "65001: Unicode (UTF-8)" as the file origin, then Load. Or open the workbook, which
holds every table already.

## Checking the download

```sh
sha256sum -c SHA256SUMS               # every file as released
frictionless validate datapackage.json   # types, keys and hashes of every CSV
```

## How to cite

Cite the report for the figures and this package, with its version, for the tidy data; `CITATION.cff`
gives both.

## Licence

The figures, table titles and row labels belong to the Nuffield Trust (c) 2016 and are reproduced as facts
with a full citation, not relicensed. The package's own metadata is public domain (CC0 1.0) and its code
is under the MIT License; see `LICENSE`.
"""


def _duckdb_version() -> str:
    import importlib.metadata

    return f"DuckDB {importlib.metadata.version('duckdb')} file format"


def write(target: Path, package: Path = schemas.STAGE) -> Path:
    meta = schemas.package_metadata()
    catalogue.PACKAGE = package
    found = members(package)
    files = {name: p.read_bytes() for name, p in found.items()}
    files["README.md"] = user_readme(package).encode("utf-8")
    files["dcat.jsonld"] = (json.dumps(catalogue.dcat(found), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    files["SHA256SUMS"] = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n"
                                  for name, data in sorted(files.items())).encode("utf-8")
    # Every member dated the package's creation date (not the build's), mode 0644, in name order.
    stamp = datetime.fromisoformat(meta["created"]).timetuple()[:6]
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    with zipfile.ZipFile(tmp, "w") as z:
        for name in sorted(files):
            info = zipfile.ZipInfo(f"{release()}/{name}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so the mode below is read as one
            info.external_attr = 0o100644 << 16
            z.writestr(info, files[name], compresslevel=9)
    tmp.replace(target)
    return target


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--package", type=Path, default=schemas.STAGE, help="the built package (default: the staged build)")
    p.add_argument("--out", type=Path, default=schemas.STAGE / "dist")
    args = p.parse_args(argv)
    target = write(path(args.out), args.package)
    print(f"dist: {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target} "
          f"({target.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    exit_now(main())
