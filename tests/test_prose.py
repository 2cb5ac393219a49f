"""Prose is data too: every count the README, docs/, the about and home pages, the workbook's cover and the
bundle's README state about the package is the build's, and every link and section reference between them
resolves. The counts are read here from the built CSVs and the validation stamp, not from the code that
writes the prose. (docs/performance.md reports measured runs, each with its own date and counts, and
docs/data-dictionary.md is generated from the schemas: only their links are checked.)"""
import re
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT, fetch, read_csv

from pipeline import dist

DOCS = [ROOT / "README.md"] + sorted(p for p in (ROOT / "docs").glob("*.md"))
MEASURED = {"performance.md", "data-dictionary.md"}


def rows(name: str) -> list[dict]:
    return read_csv(ROOT / "tables" / f"{name}.csv")


def facts() -> dict[str, int]:
    tests = [r for r in rows("change_tests") if r["assumption"] == "default"]
    claims = [c["derived_verdict"] for c in rows("claims")]
    markers = rows("significance_checks")
    # the published validation report states how many expectations were run (and all passed, or nothing is)
    report = (ROOT / "build" / "validation" / "summary.html").read_text(encoding="utf-8")
    expectations = int(re.search(r"(\d+) Great Expectations expectations", report)[1])
    return {
        "rules": len(rows("check_summary")),
        "register": len(rows("discrepancies")),
        "expectations": expectations,
        "claims": len(claims),
        "claims_hold": claims.count("holds"),
        "claims_fail": claims.count("does_not_hold"),
        "claims_depend": claims.count("depends"),
        "claims_in_part": claims.count("holds_in_part"),
        "claims_undecidable": claims.count("undecidable"),
        "pairs": len(tests),
        "significant": sum(1 for r in tests if r["derived_verdict"] == "significant"),
        "not_significant": sum(1 for r in tests if r["derived_verdict"] == "not_significant"),
        "depends": sum(1 for r in tests if r["derived_verdict"] == "depends_on_denominators"),
        "markers": len(markers),
        "markers_agree": sum(1 for r in markers if r["derived_agrees"] == "true"),
        "text_figures": len(rows("text_figures")),
        "tables": len(rows("tables")),
        "figures": len(rows("survey_results")),
        "items": len(rows("items")),
    }


# What the prose says, and which count it states: each pattern's groups, in order, against these facts.
STATEMENTS = [
    (r"\b(\d+) arithmetic rules", ["rules"]),
    (r"\b(\d+) rules checked", ["rules"]),
    (r"Today: (\d+) entries", ["register"]),
    (r"register of discrepancies\W+\((\d+) entries\)", ["register"]),
    (r"\b(\d+) findings are in the register", ["register"]),
    (r"the register has (\d+) entries", ["register"]),
    (r"\b(\d[\d,]*) expectations\b", ["expectations"]),
    (r"\b(\d+) quantitative claims", ["claims"]),
    (r"\((\d+)\), with\s+the kind of comparison", ["claims"]),
    (r"\b(\d+) hold\b(?! in part)", ["claims_hold"]),
    (r"\b(\d+) hold on the printed figures and (\d+) do not", ["claims_hold", "claims_fail"]),
    (r"\b(\d+) distinct (?:quantitative or comparative )?claims[^.]*?, (\d+) hold[^,]*, (\d+) do not, (\d+) depend"
     r"[^,]*, (\d+) hold in part and (\d+) cannot be decided",
     ["claims", "claims_hold", "claims_fail", "claims_depend", "claims_in_part", "claims_undecidable"]),
    (r"\b(\d+) pairs(?! are)", ["pairs"]),
    (r"\((\d+) pairs\)", ["pairs"]),
    (r"\b(\d+) pairs are significant at 5%, (\d+) are not and (\d+) depend", ["significant", "not_significant", "depends"]),
    (r"significant at the 5% level for (\d+), not significant for (\d+), and depends on[\w\s]+? for (\d+)",
     ["significant", "not_significant", "depends"]),
    (r"\b(\d+) figures are printed for both surveys", ["pairs"]),
    (r"\b(\d+) of (\d+) agree", ["markers_agree", "markers"]),
    (r"\b(\d+) of (\d+) printed markers are reproduced", ["markers_agree", "markers"]),
    (r"marks (\d+) statements", ["markers"]),
    (r"figures themselves \((\d+)\)", ["text_figures"]),
    (r"\b(\d+) figures of the text", ["text_figures"]),
    (r"\b(\d+) printed tables\b", ["tables"]),
    (r"\b(\d+) tables, and", ["tables"]),
    (r"\b(\d+) percentages for a statement and role group", ["figures"]),
    (r"\b(\d+) items of 2015", ["items"]),
]


def stated(text: str) -> list[tuple[str, str, int, int]]:
    """Every count the text states that the build contradicts: (pattern, words, stated, built)."""
    built = facts()
    wrong = []
    flat = re.sub(r"\s+", " ", text)
    for pattern, keys in STATEMENTS:
        for m in re.finditer(pattern, flat):
            for key, value in zip(keys, m.groups()):
                if int(value.replace(",", "")) != built[key]:
                    wrong.append((key, m.group(0), int(value.replace(",", "")), built[key]))
    return wrong


def test_the_statements_can_catch_a_stale_count():
    """The check itself: the stale figures the issue found are caught."""
    stale = ("the 14 arithmetic rules; Today: 11 entries, among them; (481 expectations); of 74 distinct claims "
             "beyond single percentages, 72 hold, 2 do not, 0 depend on rounding, 0 hold in part and 0 cannot be decided")
    assert {w[0] for w in stated(stale)} >= {"rules", "register", "expectations", "claims", "claims_in_part"}


@pytest.mark.parametrize("doc", [d for d in DOCS if d.name not in MEASURED], ids=lambda d: d.name)
def test_no_count_in_the_docs_differs_from_the_build(doc):
    assert not stated(doc.read_text(encoding="utf-8")), doc.name


def visible(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", re.sub(r"<script.*?</script>", " ", html, flags=re.S))


def test_no_count_on_the_site_differs_from_the_build():
    about, home = fetch("/about", "/")
    assert about.status_code == home.status_code == 200
    for name, page in (("about", about), ("home", home)):
        assert not stated(visible(page.text)), name


def test_the_about_page_says_what_the_package_does():
    [about] = fetch("/about")
    text = re.sub(r"\s+", " ", visible(about.text))
    assert "not tested for significance" not in text  # change_tests tests every change since 2002
    assert "Changes since 2002 are tested" in text


def cover_text() -> str:
    book = openpyxl.load_workbook(dist.workbook_path(ROOT / "build"))
    return "\n".join(str(c.value) for row in book["Cover"].iter_rows() for c in row if c.value is not None)


def test_no_count_in_the_workbook_cover_or_the_bundle_readme_differs_from_the_build():
    for name, text in (("cover", cover_text()), ("bundle README", dist.user_readme())):
        assert not stated(text), name


def headings(path: Path) -> set[str]:
    """GitHub's anchors of a Markdown file's headings."""
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            out.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return out


def titles(path: Path) -> set[str]:
    return {line.lstrip("#").strip() for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#")}


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.name)
def test_every_link_between_the_docs_resolves(doc):
    dead = []
    for target in re.findall(r"\]\(([^)\s]+)\)", doc.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target) or target.startswith("/"):
            continue  # a web address, or a path of the site the package serves
        path, _, anchor = target.partition("#")
        file = (doc.parent / path).resolve() if path else doc
        if not file.exists():
            dead.append(target)
        elif anchor and file.suffix == ".md" and anchor not in headings(file):
            dead.append(target)
    assert not dead, f"{doc.name}: {dead}"


SECTION = re.compile(r"sections? ['\"‘“]([^'\"’”]+)['\"’”](?: and ['\"‘“]([^'\"’”]+)['\"’”])?")


def test_every_section_the_docs_cover_and_bundle_name_exists():
    """'see section X' in our own texts names a heading of the README or docs/ (the report's sections, named
    on the site's table pages, are the report's own)."""
    known = set().union(*(titles(d) for d in DOCS))
    texts = {d.name: d.read_text(encoding="utf-8") for d in DOCS}
    texts.update({"workbook cover": cover_text(), "bundle README": dist.user_readme()})
    missing = [(name, s) for name, text in texts.items() for m in SECTION.finditer(text) for s in m.groups()
               if s and s not in known]
    assert not missing, missing


def test_no_page_promises_an_address_the_package_does_not_have():
    from core import schemas

    repository = schemas.repository()
    citation = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    [about] = fetch("/about")
    texts = {"about": visible(about.text), "cover": cover_text(), "bundle README": dist.user_readme()}
    if repository is None:
        assert "repository-code" not in citation
        for name, text in texts.items():
            assert "issue tracker" not in text and "package's repository" not in text, name
    else:
        assert f"repository-code: {repository}" in citation
        assert all(repository in text for text in texts.values())


def test_internal_links_of_the_about_and_table_pages_resolve():
    pages = fetch("/about", "/tables/T2.1", "/")
    links = set()
    for page in pages:
        links |= {h.split("#")[0] for h in re.findall(r'href="(/[^"#]*)', page.text) if not h.startswith("//")}
    links = sorted(h.replace("&amp;", "&") for h in links if h)
    answers = fetch(*links)
    dead = [(h, a.status_code) for h, a in zip(links, answers) if a.status_code != 200]
    assert not dead, dead
