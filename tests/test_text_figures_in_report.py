"""Every figure of transcription/printed/text_figures.csv is printed in the report's section it names."""
import re

import pytest
from conftest import ROOT, read_csv

FIGURES = read_csv(ROOT / "transcription" / "printed" / "text_figures.csv")

# The markdown's heading levels do not follow the report's structure (chapter 2 is '##', its boxes '###'),
# so chapters are found by name: the level-1 headings, the numbered chapters and Key points.
CHAPTER = re.compile(r"^(\d+\. |Key points$)")
HEADING = re.compile(r"^(#+)\s+(.*?)\s*$", re.M)


def normalise(text: str) -> str:
    """Curly quotes to straight, every dash to '-', runs of blanks to one space: layout, not wording."""
    text = text.translate(str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"',
                                         "–": "-", "—": "-", "‑": "-", "−": "-"}))
    return re.sub(r"\s+", " ", text)


def headings(report: str) -> list[tuple[int, str, int, int]]:
    """(level, title, start, end of the heading line) for each markdown heading, bold marks removed."""
    return [(len(m[1]), m[2].replace("*", "").strip(), m.start(), m.end()) for m in HEADING.finditer(report)]


def section_text(report: str, path: str) -> str:
    """The text under a heading path like '2. Findings from the survey / Box 2.1: ...': the chapter runs to
    the next chapter; a heading inside it runs to the next heading of its level or above."""
    hs = headings(report)
    parts = [normalise(p.strip()) for p in path.split(" / ")]
    i = next((k for k, h in enumerate(hs) if normalise(h[1]) == parts[0]), None)
    assert i is not None, f"no heading {parts[0]!r}"
    lo = i
    hi = next((k for k in range(i + 1, len(hs)) if hs[k][0] == 1 or CHAPTER.match(hs[k][1])), len(hs))
    for part in parts[1:]:
        i = next((k for k in range(lo + 1, hi) if normalise(hs[k][1]) == part), None)
        assert i is not None, f"no heading {part!r} under {hs[lo][1]!r}"
        lo, hi = i, next((k for k in range(i + 1, hi) if hs[k][0] <= hs[i][0]), hi)
    end = hs[hi][2] if hi < len(hs) else len(report)
    return normalise(report[hs[lo][3]:end])


def occurs(value: str, text: str) -> bool:
    """The figure as a whole word or number (9% is not the end of 49%); a percentage may also be the
    low end of a printed range, '8' in '8-11%'."""
    v = re.escape(normalise(value))
    edge = r"(?<![\w.,])"
    if value.endswith("%"):
        low = re.escape(normalise(value[:-1]))
        return re.search(rf"{edge}({v}|{low}-\d+%)", text) is not None
    return re.search(rf"{edge}{v}(?![\w]|,\d)", text) is not None


def test_sections_are_found(report_text):
    for path in sorted({d["section"] for d in FIGURES}):
        assert section_text(report_text, path).strip(), path


@pytest.mark.parametrize("figure", FIGURES, ids=[d["figure_id"] for d in FIGURES])
def test_value_text_is_printed_in_its_section(report_text, figure):
    text = section_text(report_text, figure["section"])
    assert occurs(figure["value_text"], text), \
        f"{figure['value_text']!r} is not printed under {figure['section']!r}"


def test_occurs_is_exact_on_the_figure():
    assert occurs("9%", "a rate of 9% here") and not occurs("9%", "a rate of 49% here")
    assert occurs("8%", "(27% versus 8-11%)") and occurs("11%", "(27% versus 8-11%)")
    assert not occurs("1%", "(27% versus 8-11%)")
    assert occurs("2,650", "to 2,650 recipients") and not occurs("650", "to 2,650 recipients")
    assert not occurs("around half", "Around half")  # case as printed
