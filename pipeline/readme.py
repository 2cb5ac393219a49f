"""Write the generated parts of the documentation from schemas/, sql/ and the built claims (never by hand):
the README's one-line lists of resources and views and its summary of the claims, docs/data-dictionary.md,
and in docs/validation.md the readings of the claims' words and the claims' summary.

    python -m pipeline.readme          rewrite them
    python -m pipeline.readme --check  exit 1 if any is stale
"""
from __future__ import annotations

import re
import sys

from core import schemas

BEGIN, END = "<!-- resources:begin -->", "<!-- resources:end -->"
VIEWS_BEGIN, VIEWS_END = "<!-- views:begin -->", "<!-- views:end -->"
CLAIMS_BEGIN, CLAIMS_END = "<!-- claims:begin -->", "<!-- claims:end -->"
WORDS_BEGIN, WORDS_END = "<!-- words:begin -->", "<!-- words:end -->"
README = schemas.ROOT / "README.md"
DICTIONARY = schemas.ROOT / "docs" / "data-dictionary.md"
VALIDATION = schemas.ROOT / "docs" / "validation.md"


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
    for v in ddl.views(root=schemas.ROOT):  # the committed resources: no build needed
        out.append(f"| [`{v.name}`](sql/{v.name}.sql) | {first_sentence(v.description)} |")
    return "\n".join([*out, "", VIEWS_END])


def built_claims() -> list[dict]:
    import csv

    with open(schemas.ROOT / schemas.resource("claims")["path"], encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def claims_block(detail: bool = False) -> str:
    """The claims' verdicts counted, from tables/claims.csv; with detail, the undecidable ones and why."""
    from analysis import verdicts

    claims = built_claims()
    out = [CLAIMS_BEGIN, "", verdicts.summary(verdicts.counts(c["derived_verdict"] for c in claims))]
    if detail:
        out += ["", "Undecidable, each with the reason:", ""]
        out += [f"- `{c['claim_id']}` ({c['claim']}): {c['reason']}" for c in claims
                if c["derived_verdict"] == verdicts.UNDECIDABLE]
    return "\n".join([*out, "", CLAIMS_END])


def words_block() -> str:
    """The one reading of each word the claims turn on (analysis/comparisons.py), as a table."""
    from analysis import comparisons as cmp

    out = [WORDS_BEGIN, "", "| the report's words | read as | key |", "|---|---|---|"]
    out += [f"| {r.words} | {r.reading} | `{key}` |" for key, r in cmp.WORDS.items()]
    out += [f"| {words}: how many parts of a claim | {reading} | quantifier `{key}` |"
            for key, (words, reading, _) in cmp.QUANTIFIERS.items()]
    out += [f"| {words} | {reading} | `{key}` |" for key, (words, reading) in cmp.SIGNIFICANCE.items()]
    return "\n".join([*out, "", WORDS_END])


def render_validation(text: str) -> str:
    return replace(replace(text, WORDS_BEGIN, WORDS_END, words_block()), CLAIMS_BEGIN, CLAIMS_END,
                   claims_block(detail=True))


def replace(text: str, begin: str, end: str, new: str) -> str:
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    return head + new + tail


def render_readme(text: str) -> str:
    text = replace(replace(text, BEGIN, END, resources_block()), VIEWS_BEGIN, VIEWS_END, views_block())
    return replace(text, CLAIMS_BEGIN, CLAIMS_END, claims_block())


def main(argv: list[str]) -> int:
    text = README.read_text(encoding="utf-8")
    outputs = {README: render_readme(text), DICTIONARY: dictionary(),
               VALIDATION: render_validation(VALIDATION.read_text(encoding="utf-8"))}
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
