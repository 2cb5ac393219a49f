"""The package's structure and its checks as literals, not read from the code under test: every resource and
column, every rule, in order. A rule deleted from analysis/rules.py, or a column the build drops, fails here
until this file is changed deliberately."""
import csv

from expected import COLUMNS, RULES
from package_frames import ROOT, published_all

from analysis import rules
from core import schemas


def test_the_resources_and_their_columns():
    assert schemas.resource_names() == list(COLUMNS)
    assert {n: " ".join(schemas.field_names(n)) for n in COLUMNS} == COLUMNS


def test_every_committed_resource_has_its_columns():
    # The build writes these files (tests/unit/test_unit_committed.py): their headers, and nothing else.
    assert sorted(p.name for p in (ROOT / "tables").glob("*.csv")) == sorted(f"{n}.csv" for n in COLUMNS)
    for name, columns in COLUMNS.items():
        with open(ROOT / "tables" / f"{name}.csv", encoding="utf-8", newline="") as f:
            assert " ".join(next(csv.reader(f))) == columns, name


def test_the_rules_in_order():
    assert [r.name for r in rules.RULES] == list(RULES)


def test_each_rule_checks_its_subjects_and_finds_the_registered_failures():
    summary, failing = rules.findings(published_all())
    assert {r.rule: (r.checked, r.failing) for r in summary.itertuples()} == RULES
    with open(ROOT / "transcription/curation/discrepancies.csv", encoding="utf-8", newline="") as f:
        registered = sorted(r["discrepancy_id"] for r in csv.DictReader(f))
    assert sorted(failing.discrepancy_id) == registered


def test_the_counts_of_subjects_from_the_printed_tables():
    # Counted here from survey_results.csv with the csv module, apart from the rules' own frames.
    with open(ROOT / "tables/survey_results.csv", encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["printed_in"] == "table"]
    group_cells_2015 = [r for r in rows if r["survey_year"] == "2015" and r["role_group"] != "all_respondents"]
    assert len(group_cells_2015) == RULES["count_reconciles"][0]
    assert len({(r["item_id"], r["survey_year"]) for r in rows}) == RULES["cells_complete"][0]
    assert len({r["item_id"] for r in group_cells_2015}) == RULES["overall_reconciles"][0]
    assert len({(r["table_id"], r["role_group"]) for r in group_cells_2015}) == RULES["group_n_matches_respondents"][0]
