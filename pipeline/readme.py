"""Write the README's list of resources and columns from schemas/ (never by hand).

    python -m pipeline.readme          rewrite the block between the markers
    python -m pipeline.readme --check  exit 1 if the README's block is stale
"""
from __future__ import annotations

import sys

from pipeline import schemas

BEGIN, END = "<!-- resources:begin -->", "<!-- resources:end -->"
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


def render(text: str) -> str:
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return head + block() + tail


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
