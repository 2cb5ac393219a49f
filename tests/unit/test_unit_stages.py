"""Each stage of the build on its own, against the committed outputs (the reviewed record of what the package
publishes): the hand-typed inputs to each tidy resource, and the printed figures to each derived one. Cheap
enough to run on every mutant; checks/committed.py names what differs. What the values must be is tested
apart from the code in the other files of tests/unit."""
import pandas as pd
import pytest
from expected import COLUMNS
from package_frames import ROOT, committed_bytes, published, published_all, transcription

from analysis import change, claims, derived, labels, statistics
from analysis.failures import FiguresError
from checks import committed
from core import frames, schemas
from pipeline import derive, tidy

# The resources made from the hand-typed inputs alone; tables and claims get derived columns later.
TIDY = ["role_groups", "items", "survey_waves", "wave_2002", "role_group_codes", "external_factors",
        "external_factor_references", "survey_results", "printed_significance", "role_profile",
        "interview_participants", "text_figures", "claim_sections"]


def as_published(name: str, df: pd.DataFrame, res: dict) -> bytes:
    return schemas.to_csv(name, derive.records(labels.attach(name, df, res), name))


def differences(name: str, built: bytes) -> list[str]:
    return committed.csv_changes(name, committed_bytes(name), built) if built != committed_bytes(name) else []


@pytest.mark.parametrize("name", TIDY)
def test_a_tidy_resource_from_the_inputs(name):
    t = transcription()
    res = {n: frames.from_rows(n, tidy.BUILDERS[n](t)) for n in {"items", "role_groups", "survey_waves", name}}
    assert differences(name, as_published(name, res[name], published_all())) == []


def test_tables_from_the_inputs_before_their_derived_column():
    built = frames.from_rows("tables", tidy.BUILDERS["tables"](transcription()))
    printed = [c for c in COLUMNS["tables"].split() if not c.startswith("derived_")]
    pd.testing.assert_frame_equal(built[printed], published("tables")[printed])


def test_cell_denominators_from_the_printed_cells():
    built = derived.cell_denominators(published("survey_results"))
    assert differences("cell_denominators", as_published("cell_denominators", built, published_all())) == []


def test_overall_bases_from_the_printed_cells():
    built = derived.overall_bases(published("survey_results"), published("cell_denominators"), 472)
    assert differences("overall_bases", as_published("overall_bases", built, published_all())) == []


def test_table_bases():
    # docs/validation.md: Tables 2.1 to 2.7 over those who answered, 2.8 to 2.10 either, 2.11 over all 472.
    expected = {**{f"T2.{i}": "answered" for i in range(1, 8)}, **{f"T2.{i}": "either" for i in (8, 9, 10)},
                "T2.11": "all_respondents"}
    assert derived.table_bases(published("overall_bases")) == expected


def test_significance_checks_from_the_recovered_counts():
    built = statistics.significance_checks(published("cell_denominators"), published("printed_significance"))
    assert differences("significance_checks", as_published("significance_checks", built, published_all())) == []


def test_percent_intervals_from_the_recovered_counts():
    built = statistics.percent_intervals(published("cell_denominators"), published("overall_bases"), 472)
    assert differences("percent_intervals", as_published("percent_intervals", built, published_all())) == []


def test_change_tests_from_both_waves():
    built = change.change_tests(published_all())
    assert differences("change_tests", as_published("change_tests", built, published_all())) == []


def test_claims_and_their_parts_decided_on_the_published_figures():
    res = published_all()
    built, parts = claims.evaluate(res["claims"].drop(columns=[c for c in res["claims"] if c.startswith("derived_")]),
                                   res)
    assert differences("claims", as_published("claims", built, res)) == []
    assert differences("claim_parts", as_published("claim_parts", parts, res)) == []



def test_a_bug_in_a_comparison_keeps_its_traceback_while_figures_it_cannot_read_name_the_claim(monkeypatch):
    # A TypeError is a mistake in the code, not in what was typed: it must not read as "cannot be decided".
    res = published_all()
    plain = res["claims"].drop(columns=[c for c in res["claims"] if c.startswith("derived_")])
    first = plain.sort_values("claim_order").comparison.iloc[0]

    def broken(claim, fig):
        raise TypeError("unsupported operand")
    monkeypatch.setitem(claims.COMPARISONS, first, broken)
    with pytest.raises(TypeError):
        claims.evaluate(plain, res)

    def unreadable(claim, fig):
        raise ZeroDivisionError("division by zero")
    monkeypatch.setitem(claims.COMPARISONS, first, unreadable)
    with pytest.raises(FiguresError, match=r"claim kp_overall_positive_rose cannot be decided on these figures"):
        claims.evaluate(plain, res)


def test_the_papers_2002_figures_join_the_reports_row_or_make_their_own():
    from types import SimpleNamespace

    def paper(item, group, text, percent, count="", denominator="", compares_as=""):
        return {"item_id": item, "role_group": group, "value_text": text, "percent": percent, "count": count,
                "denominator": denominator, "compares_as": compares_as}

    report = {"table_id": "T9", "item_id": "a", "survey_year": 2002, "role_group": "ce", "percent": 70}
    t = SimpleNamespace(curation={"paper_2002_figures": [
        paper("a", "ce", "70% (7/10)", "70", "7", "10"),       # the report prints it too: its row gains the paper's
        paper("a", "md", "about a third", "33"),               # the report prints none: a row of its own
        paper("b", "md", "12% disagreed", "12", compares_as="complement"),
        paper("", "", "p < 0.01", "0")]})                      # about several items: no figure of one
    rows = tidy._with_paper_figures(t, [dict(report)], {"a": "T9", "b": "T8"})
    assert rows[0] == {**report, "paper_2003_text": "70% (7/10)", "paper_2003_percent": 70, "paper_2003_count": 7,
                       "paper_2003_denominator": 10}
    assert rows[1:] == [
        {"table_id": "T9", "item_id": "a", "survey_year": 2002, "role_group": "md", "percent": 33, "count": None,
         "group_n": None, "cell_text": "about a third", "printed_in": "2003 paper", "compares_as": "same",
         "derived_percent_on_item_wording": 33, "paper_2003_text": "about a third", "paper_2003_percent": 33,
         "paper_2003_count": None, "paper_2003_denominator": None},
        {"table_id": "T8", "item_id": "b", "survey_year": 2002, "role_group": "md", "percent": 12, "count": None,
         "group_n": None, "cell_text": "12% disagreed", "printed_in": "2003 paper", "compares_as": "complement",
         "derived_percent_on_item_wording": 88, "paper_2003_text": "12% disagreed", "paper_2003_percent": 12,
         "paper_2003_count": None, "paper_2003_denominator": None}]
    # a second figure for a pair the paper already gave a row: it updates that row, not a new one
    again = tidy._with_paper_figures(SimpleNamespace(curation={"paper_2002_figures": [
        paper("a", "md", "about a third", "33"), paper("a", "md", "34% (34/100)", "34", "34", "100")]}), [], {"a": "T9"})
    assert len(again) == 1 and (again[0]["percent"], again[0]["paper_2003_count"]) == (33, 34)


def test_the_register_joins_each_failing_subject_once_and_keeps_unregistered_ones():
    import csv

    t = transcription()
    rows = {name: build(t) for name, build in tidy.BUILDERS.items()}
    with open(ROOT / "transcription/curation/discrepancies.csv", encoding="utf-8", newline="") as f:
        register = list(csv.DictReader(f))
    # with no register every failing subject is still listed, unexplained (the committed register explains each)
    out = derive.derive(rows, [])["discrepancies"]
    assert sorted(r["discrepancy_id"] for r in out) == sorted(r["discrepancy_id"] for r in register)
    assert {r["explanation_class"] for r in out} == {None} and {r["derived_severity"] for r in out} == {None}
    with pytest.raises(pd.errors.MergeError):  # one subject explained twice
        derive.derive(rows, register + register[:1])
