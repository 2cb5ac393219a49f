"""Write the README's list of resources and columns from schemas/ (never by hand).

    python -m pipeline.readme          rewrite the block between the markers
    python -m pipeline.readme --check  exit 1 if the README's block is stale
"""
from __future__ import annotations

import re
import sys

from pipeline import schemas

BEGIN, END = "<!-- resources:begin -->", "<!-- resources:end -->"
VIEWS_BEGIN, VIEWS_END = "<!-- views:begin -->", "<!-- views:end -->"
README = schemas.ROOT / "README.md"


def block() -> str:
    out = [BEGIN, ""]
    for name in schemas.resource_names():
        res, sch = schemas.resource(name), schemas.schema(name)
        out.append(f"### `{res['path']}` ({res['title']})")
        out.append("")
        out.append(f"{res['description']} Key: {', '.join(sch['primaryKey'])}.")
        out.append("")
        out.append("| column | type | description |")
        out.append("|---|---|---|")
        for f in sch["fields"]:
            enum = f.get("constraints", {}).get("enum")
            extra = f" One of: {', '.join(f'`{v}`' for v in enum)}." if enum and len(enum) <= 6 else ""
            out.append(f"| `{f['name']}` | {f['type']} | {f['description']}{extra} |")
        out.append("")
    out.append(END)
    return "\n".join(out)


def views_block() -> str:
    from pipeline import ddl

    out = [VIEWS_BEGIN, "", "| view | what it answers |", "|---|---|"]
    for v in ddl.views():
        first = re.match(r"(.+?[.?])(\s|$)", v.description).group(1)  # the question the view answers
        out.append(f"| `{v.name}` | {first} |")
    return "\n".join(out + ["", VIEWS_END])


def replace(text: str, begin: str, end: str, new: str) -> str:
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    return head + new + tail


def render(text: str) -> str:
    return replace(replace(text, BEGIN, END, block()), VIEWS_BEGIN, VIEWS_END, views_block())


def main(argv: list[str]) -> int:
    text = README.read_text(encoding="utf-8")
    new = render(text)
    if "--check" in argv:
        if new != text:
            print("README.md's resource list is stale: run python -m pipeline.readme", file=sys.stderr)
            return 1
        return 0
    README.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
