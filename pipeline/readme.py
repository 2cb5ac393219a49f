"""Write the generated parts of the documentation from schemas/ and sql/ (never by hand):
the README's one-line lists of resources and views, and docs/data-dictionary.md.

    python -m pipeline.readme          rewrite them
    python -m pipeline.readme --check  exit 1 if any is stale
"""
from __future__ import annotations

import re
import sys

from core import schemas

BEGIN, END = "<!-- resources:begin -->", "<!-- resources:end -->"
VIEWS_BEGIN, VIEWS_END = "<!-- views:begin -->", "<!-- views:end -->"
README = schemas.ROOT / "README.md"
DICTIONARY = schemas.ROOT / "docs" / "data-dictionary.md"


def first_sentence(text: str) -> str:
    return re.match(r"(.+?[.?])(\s|$)", text).group(1)


def resources_block() -> str:
    out = [BEGIN, "", "| file | what it holds |", "|---|---|"]
    for name in schemas.resource_names():
        res = schemas.resource(name)
        anchor = res["path"].replace("/", "").replace(".", "")
        out.append(f"| [`{res['path']}`](docs/data-dictionary.md#{anchor}) | {first_sentence(res['description'])} |")
    return "\n".join([*out, "", END])


def dictionary() -> str:
    out = ["# Data dictionary", "",
           "Generated from `schemas/` by `python -m pipeline.readme`; do not edit by hand.", ""]
    for name in schemas.resource_names():
        res, sch = schemas.resource(name), schemas.schema(name)
        out += [f"## {res['path']}", "", f"**{res['title']}.** {res['description']} Key: "
                f"{', '.join(sch['primaryKey'])}.", "", "| column | type | description |", "|---|---|---|"]
        for f in sch["fields"]:
            enum = f.get("constraints", {}).get("enum")
            extra = f" One of: {', '.join(f'`{v}`' for v in enum)}." if enum and len(enum) <= 6 else ""
            out.append(f"| `{f['name']}` | {f['type']} | {f['description']}{extra} |")
        out.append("")
    return "\n".join(out)


def views_block() -> str:
    from pipeline import ddl

    out = [VIEWS_BEGIN, "", "| view | what it answers |", "|---|---|"]
    for v in ddl.views():
        out.append(f"| [`{v.name}`](sql/{v.name}.sql) | {first_sentence(v.description)} |")
    return "\n".join([*out, "", VIEWS_END])


def replace(text: str, begin: str, end: str, new: str) -> str:
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    return head + new + tail


def render_readme(text: str) -> str:
    return replace(replace(text, BEGIN, END, resources_block()), VIEWS_BEGIN, VIEWS_END, views_block())


def main(argv: list[str]) -> int:
    text = README.read_text(encoding="utf-8")
    outputs = {README: render_readme(text), DICTIONARY: dictionary()}
    if "--check" in argv:
        stale = [p.name for p, new in outputs.items() if not p.exists() or p.read_text(encoding="utf-8") != new]
        if stale:
            print(f"{', '.join(stale)} stale: run python -m pipeline.readme", file=sys.stderr)
            return 1
        return 0
    for path, new in outputs.items():
        path.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
