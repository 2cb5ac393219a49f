"""Plausibility as a rule (missing_answers_plausible): a printed cell may imply no more missing answers than the
report's own cells do at most, unless the register explains it. The limit is found here from the printed
cells by brute force, independently of analysis/."""
import csv
import dataclasses
import re
from fractions import Fraction
from math import floor

from conftest import ROOT

from analysis import derived, labels, rules
from checks import validate
from core import frames

RES = frames.load_all(ROOT)
RULE = "missing_answers_plausible"
CELL = ("positive_rating_local_relationships", "medical_director")  # Table 2.1, 62% (80) of n=131


def reproduces(count, percent, d) -> bool:
    return floor(Fraction(100 * count, d) + Fraction(1, 2)) == percent


def fewest_missing(count, percent, n) -> int | None:
    """n less the largest d <= n with count/d rounding (half up) to percent; None if there is none."""
    ds = [d for d in range(max(count, 1), n + 1) if reproduces(count, percent, d)]
    return n - max(ds) if ds else None


def printed_group_cells():
    """(table file, line, column heading, percent, count, n) of every 2015 role-group cell of Tables 2.1-2.11."""
    for path in sorted((ROOT / "transcription" / "printed").glob("table_2.*.csv")):
        with open(path, encoding="utf-8", newline="") as f:
            header, *rows = list(csv.reader(f))
        for line, row in enumerate(rows, start=2):
            if row[0] == "2002 figures":
                continue
            for heading, text in zip(header[1:-1], row[1:-1]):  # the last column is the overall one
                percent, count = int(text.split("%")[0]), int(text.split("(")[1].rstrip(")"))
                yield path.name, line, heading, percent, count, int(heading.split("(n=")[1].rstrip(")"))


def test_the_limit_is_the_largest_share_of_missing_answers_the_report_implies():
    shares = [(Fraction(m, n), m, n, name, line, heading)
              for name, line, heading, p, c, n in printed_group_cells()
              if (m := fewest_missing(c, p, n)) is not None]
    largest = max(s[0] for s in shares)
    most, of = rules.MOST_MISSING
    assert Fraction(most, of) == largest == Fraction(27, 132)
    at = sorted((name, heading) for s, _, _, name, _, heading in shares if s == largest)
    # Table 2.11, directorate managers: the only cells at the limit
    assert {heading for _, heading in at} == {"Directorate managers (n=132)"} and {n for n, _ in at} == {"table_2.11.csv"}
    assert len(shares) > 250  # every reconciling cell was looked at


def corrupted(percent):
    r = RES["survey_results"].copy()
    at = (r.item_id == CELL[0]) & (r.role_group == CELL[1]) & (r.survey_year == 2015)
    r.loc[at, "percent"] = percent
    r.loc[at, "cell_text"] = f"{percent}% (80)"
    res = {**RES, "survey_results": r}
    res["cell_denominators"] = labels.attach("cell_denominators", derived.cell_denominators(r), RES)
    return res


def test_a_cell_implying_more_missing_answers_is_refused_naming_where_it_was_typed():
    sources = validate.read_sources()
    # what the sources say was typed is the clean cell; a typist's 92% is named as the checks found it
    assert sources[("survey_results", *CELL[:1], 2015, CELL[1])].text == "62% (80)"
    problems, _ = validate.check(corrupted(92), validate.read_register(), only=[RULE], sources=sources)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"unregistered discrepancy {RULE}:T2.1:{CELL[0]}:{CELL[1]}:2015: printed "
                                  "92% (80) of n=131; recomputed it implies 44 of 131 answers missing (33.6%); "
                                  "the largest the report's own cells imply is 27 of 132 (20.5%)."), problems
    assert ("Typed at transcription/printed/table_2.1.csv, row 2, column 'Medical directors (n=131)', "
            "cell '62% (80)'.") in problems[0]
    # 62% (80) itself implies one missing answer (80/130 rounds to 62%): no finding
    assert fewest_missing(80, 62, 131) == 1
    assert validate.check(corrupted(62), validate.read_register(), only=[RULE])[0] == []


def test_the_register_can_explain_it_and_is_told_when_it_no_longer_occurs():
    did = f"{RULE}:T2.1:{CELL[0]}:{CELL[1]}:2015"
    register = {**validate.read_register(), did: "many_missing_answers"}
    assert validate.check(corrupted(92), register, only=[RULE])[0] == []
    problems, _ = validate.check(corrupted(62), register, only=[RULE])
    assert problems == [f"register entry {did} no longer occurs: remove it from "
                        "transcription/curation/discrepancies.csv"]


def test_every_printed_cell_passes_and_the_rule_is_reported():
    problems, report = validate.check(RES, validate.read_register(), only=[RULE])
    assert problems == []
    checked = sum(1 for *_, p, c, n in printed_group_cells() if fewest_missing(c, p, n) is not None)
    assert checked == 268  # 68 items x 4 groups, less the 4 cells that do not reconcile
    assert report[0] == f"{RULE}: {checked} checked, 0 not reconciling"


def test_the_readme_example_is_the_message_the_check_gives_and_the_docs_state_the_limit():
    """Prose is data: the README's example error is what checks.validate says when 92% (80) was typed."""
    sources = validate.read_sources()
    key = ("survey_results", CELL[0], 2015, CELL[1])
    sources[key] = dataclasses.replace(sources[key], text="92% (80)")
    problems, _ = validate.check(corrupted(92), validate.read_register(), only=[RULE], sources=sources)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```\n(error: unregistered discrepancy missing_answers_plausible:.*?)\n```", readme, re.S)[1]
    assert example.replace("\n", " ") == f"error: {problems[0]}"
    # the limit found above by brute force: 27 of 132 (Table 2.11, directorate managers), 2700/132 = 20.45%
    assert rules.MOST_MISSING == (27, 132)
    for doc in ("README.md", "docs/validation.md"):
        assert "27 of 132 (20.5%)" in (ROOT / doc).read_text(encoding="utf-8")
