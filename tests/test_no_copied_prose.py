"""No copied prose: the report is (c) Nuffield Trust, and the package carries its figures, its printed labels
and a citation, never its sentences. No text the project writes shares a run of RUN or more consecutive
words (case-folded, punctuation dropped) with the report's text.

What the project writes: the README, docs/, CHANGELOG.md, the site's templates, the headers of sql/, every
description and title in schemas/, the claims and reasons of transcription/curation/claims.csv, the
register's explanations, and the published text the build writes from them (claims, claim_parts,
discrepancies, check_summary, the site's metadata).
What may repeat the report, as data the package carries: the printed labels (item wordings and row labels,
table titles, stub headers and footnotes, role-group names, profile categories, external factors, the
report's section headings that claim_sections records, the answer scale the items count) and the
bibliographic citations (the report's and the 2003 paper's). Each such label is masked before comparing,
so no run can pass through one, and a run of words inside one (a statement named by its core) is no copy."""
import json
import re
import unicodedata

import pytest
from conftest import ROOT, read_csv

RUN = 7
MASK = "\0"  # stands for a printed label: never a word of the report
TRUNCATED = "…"  # ends a label shortened for a message ('Lack of trust between management and medical st…')

DOCS = [ROOT / "README.md", ROOT / "CHANGELOG.md"] + sorted((ROOT / "docs").glob("*.md"))
TEMPLATES = sorted((ROOT / "web" / "templates").rglob("*.html"))
SQL = sorted((ROOT / "sql").rglob("*.sql"))
SCHEMAS = sorted((ROOT / "schemas").rglob("*.json"))
# Published text the build writes, by resource: the columns the project words.
PUBLISHED = {"claims": ["claim", "reason", "derived_result"], "claim_parts": ["part", "derived_result"],
             "discrepancies": ["explanation", "derived_finding"], "check_summary": ["description"]}
CURATED = {"claims": ["claim", "reason"], "discrepancies": ["explanation"]}
# Printed labels the package carries as data, by resource and column.
LABELS = {"items": ["row_label"], "survey_results": ["item_wording"], "tables": ["title", "stub_header", "footnote",
          "section"], "role_groups": ["column_label", "row_label"], "role_profile": ["category_label"],
          "external_factors": ["label"], "claim_sections": ["section"], "text_figures": ["section"]}


def words(text: str) -> list[str]:
    """Case-folded words, punctuation dropped: apostrophes join (report's), dashes and slashes part. An
    ellipsis stays, as a word of its own (TRUNCATED), where a label was shortened."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("...", f" {TRUNCATED} ")  # NFKC: … is ...
    text = re.sub(r"[’'‘`]", "", text)
    return re.sub(r"[^\w\s…]|_", " ", text).split()


def citations() -> list[str]:
    package = json.loads((ROOT / "schemas" / "package.json").read_text(encoding="utf-8"))
    found = [s["title"] for s in package.get("sources", [])]
    found += [c["title"] for c in package.get("contributors", [])]
    found += [r["citation"] for r in read_csv(ROOT / "transcription" / "curation" / "paper_2002_source.csv")]
    found += [r["title"] for r in read_csv(ROOT / "transcription" / "curation" / "paper_2002_source.csv")]
    found += [w["source_title"] for w in read_csv(ROOT / "tables" / "survey_waves.csv")]
    return found


def answer_scale() -> list[str]:
    """The answer scale as the items count it ('strongly agree or tend to agree'), and each answer alone."""
    counted = {r["percent_counts"] for r in read_csv(ROOT / "tables" / "items.csv")}
    return sorted(counted | {part for c in counted for part in c.split(" or ")})


def labels() -> list[tuple[str, ...]]:
    found = citations() + answer_scale()
    for name, columns in LABELS.items():
        found += [r[c] for r in read_csv(ROOT / "tables" / f"{name}.csv") for c in columns if r[c]]
    return sorted({tuple(words(x)) for x in found if len(words(x)) >= 2}, key=len, reverse=True)


class Comparer:
    def __init__(self, report: str, printed: list[tuple[str, ...]]):
        w = words(report)
        self.report = {tuple(w[i:i + RUN]) for i in range(len(w) - RUN + 1)}
        self.printed: dict[str, list[tuple[str, ...]]] = {}
        for label in printed:  # longest first
            self.printed.setdefault(label[0], []).append(label)
        # A run of words inside a label is the label still (a claim may name a statement by its core).
        self.report -= {label[i:i + RUN] for label in printed for i in range(len(label) - RUN + 1)}

    def span(self, w: list[str], i: int) -> int:
        """How many words from w[i] a printed label takes: the whole label, or its start shortened with an
        ellipsis (the last word cut anywhere); 0 where none starts there."""
        for label in self.printed.get(w[i], []):
            if tuple(w[i:i + len(label)]) == label:
                return len(label)
            end = w.index(TRUNCATED, i) if TRUNCATED in w[i:i + len(label) + 1] else None
            if end is not None and end - i >= 2 and tuple(w[i:end - 1]) == label[:end - i - 1] \
                    and label[end - i - 1].startswith(w[end - 1]):
                return end - i + 1
        return 0

    def masked(self, w: list[str]) -> list[str]:
        out, i = [], 0
        while i < len(w):
            n = self.span(w, i)
            out.append(MASK if n else w[i])
            i += n or 1
        return out

    def copied(self, text: str) -> list[str]:
        """Each run of RUN or more words the text shares with the report, outside printed labels."""
        w = self.masked(words(text))
        hits = [i for i in range(len(w) - RUN + 1) if tuple(w[i:i + RUN]) in self.report]
        runs: list[list[int]] = []
        for i in hits:
            if runs and i <= runs[-1][1] + 1:
                runs[-1][1] = i
            else:
                runs.append([i, i])
        return [" ".join(w[a:b + RUN]) for a, b in runs]


def sql_header(path) -> str:
    return "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("--"))


def schema_text(value) -> list[str]:
    """Every description and title of a schema, at any depth."""
    if isinstance(value, dict):
        return [v for k, v in value.items() if k in ("description", "title") and isinstance(v, str)] + \
            [t for k, v in value.items() if not (k in ("description", "title") and isinstance(v, str))
             for t in schema_text(v)]
    if isinstance(value, list):
        return [t for v in value for t in schema_text(v)]
    return []


def metadata_text(value) -> list[str]:
    """Every string of the site's generated metadata but the citations and addresses."""
    if isinstance(value, dict):
        return [t for k, v in value.items() if k not in ("sql", "source", "source_url", "license_url", "url")
                for t in metadata_text(v)]
    if isinstance(value, list):
        return [t for v in value for t in metadata_text(v)]
    return [value] if isinstance(value, str) else []


def project_texts() -> dict[str, str]:
    """Where -> text, for everything the project writes."""
    out = {}
    for path in DOCS + TEMPLATES:
        out[path.relative_to(ROOT).as_posix()] = path.read_text(encoding="utf-8")
    for path in SQL:
        out[path.relative_to(ROOT).as_posix()] = sql_header(path)
    for path in SCHEMAS:
        out[path.relative_to(ROOT).as_posix()] = "\n".join(schema_text(json.loads(path.read_text(encoding="utf-8"))))
    for name, columns in CURATED.items():
        for n, r in enumerate(read_csv(ROOT / "transcription" / "curation" / f"{name}.csv"), start=2):
            for c in columns:
                out[f"transcription/curation/{name}.csv, row {n}, column {c!r}"] = r[c]
    for name, columns in PUBLISHED.items():
        for n, r in enumerate(read_csv(ROOT / "tables" / f"{name}.csv"), start=2):
            for c in columns:
                out[f"tables/{name}.csv, row {n}, column {c!r}"] = r[c]
    metadata = json.loads((ROOT / "build" / "metadata.json").read_text(encoding="utf-8"))
    out["build/metadata.json"] = "\n".join(metadata_text(metadata))
    return out


@pytest.fixture(scope="module")
def comparer(report_text):
    return Comparer(report_text, labels())


def test_the_comparison_finds_a_copied_sentence_and_passes_a_printed_label(comparer, report_text):
    # A sentence of the report's own prose, taken from the middle of its longest paragraph, is found...
    paragraph = max(report_text.split("\n\n"), key=len)
    sentence = " ".join(paragraph.split()[40:52])
    assert comparer.copied(f"As we see it, {sentence}, or so."), sentence
    # ...and one word changed in every sixth breaks every run.
    w = sentence.split()
    assert not comparer.copied(" ".join("x" if i % 6 == 5 else t for i, t in enumerate(w)))
    # A printed label, here an item's wording, passes however long it is, and so does the citation.
    item = max((r["row_label"] for r in read_csv(ROOT / "tables" / "items.csv")), key=lambda x: len(x.split()))
    assert len(words(item)) >= RUN and not comparer.copied(f"The item '{item}' was asked of every group.")
    assert not comparer.copied(citations()[0])


def test_no_project_text_shares_a_run_of_seven_words_with_the_report(comparer):
    found = {where: runs for where, text in project_texts().items() if (runs := comparer.copied(text))}
    assert not found, "shares a run of seven or more words with the report (say it in our own words):\n" + \
        "\n".join(f"{where}: '{run}'" for where, runs in found.items() for run in runs)
