"""CITATION.cff (Citation File Format 1.2.0) from schemas/package.json: this package, citing the report.

    python -m pipeline.citation [--check]

Generated, so the version and date are stated once, in schemas/package.json; --check exits 1 if the
committed file is stale.
"""
from __future__ import annotations

import re
import sys
from datetime import datetime

import yaml

from core import schemas

PATH = schemas.ROOT / "CITATION.cff"


def person(name: str) -> dict:
    given, family = name.rsplit(" ", 1)
    return {"family-names": family, "given-names": given}


def report(meta: dict) -> dict:
    """The report the figures come from, from the descriptor's source and contributors."""
    source = meta["sources"][0]
    # "Powell A and Davies H (2016) <title>. Research Report, Nuffield Trust, ...": the title between the
    # year and the first full stop.
    found = re.match(r".*?\((\d{4})\) (.+?)\. (.+?),", source["title"])
    if not found:
        raise ValueError(f"schemas/package.json: cannot read the report's title from {source['title']!r}")
    year, title, series = found.groups()
    published = datetime.strptime(source["version"], "%B %Y")
    role = {r: [c for c in meta["contributors"] if r in c["roles"]] for r in ("author", "publisher")}
    return {"type": "report", "title": title, "authors": [person(c["title"]) for c in role["author"]],
            "year": int(year), "month": published.month, "collection-title": series,
            "publisher": {"name": role["publisher"][0]["title"]}, "url": source["path"]}


def cff() -> dict:
    meta = schemas.package_metadata()
    out = {
        "cff-version": "1.2.0",
        "message": ("Cite this package, with its version, for the tidy data, and cite the report it transcribes "
                    "(see references) for the figures. The figures, table titles and row labels are (c) Nuffield "
                    "Trust 2016 and are not licensed by this package; its own metadata is under CC0-1.0 and its "
                    "code under the MIT License."),
        "type": "dataset",
        "title": meta["title"],
        "version": meta["version"],
        "date-released": meta["created"][:10],
        "abstract": meta["description"],
        "keywords": meta["keywords"],
        "authors": [{"name": c["title"]} for c in meta["contributors"] if "maintainer" in c["roles"]],
        "references": [report(meta)],
    }
    if schemas.repository():  # only a public address: no field that promises one
        out["repository-code"] = schemas.repository()
    return out


def render() -> str:
    return yaml.safe_dump(cff(), sort_keys=False, allow_unicode=True, width=100)


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if PATH.read_text(encoding="utf-8") != text:
            print("CITATION.cff is stale: run python -m pipeline.citation", file=sys.stderr)
            return 1
        return 0
    PATH.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
