"""A finding names where the printed figures it rests on were typed (file, row, column, cell), for each kind
of subject a rule checks: one cell, an item's row, a role group's profile, a figure of the text with its
table cell, a claim with the cells of its parts that do not hold. The places below were read off the
transcription's CSVs by hand (row 1 is the header)."""
import pytest
from package_frames import published_all

from checks import validate

T21 = "transcription/printed/table_2.1.csv"
CE, MD, DM, CD, ALL = ("Chief executives (n=59)", "Medical directors (n=131)", "Directorate managers (n=132)",
                       "Clinical directors (n=150)", "Overall (n=472)")


def row(path, number, cells):
    return f"{path}, row {number}: " + ", ".join(f"column {c!r} cell {v!r}" for c, v in cells)


T21_ROW_2 = row(T21, 2, [(CE, "72% (42)"), (MD, "62% (80)"), (DM, "64% (84)"), (CD, "50% (75)"), (ALL, "60%*")])
T21_ROW_3 = row(T21, 3, [(CE, "76%"), (MD, "57%"), (DM, "44%"), (CD, "37%"), (ALL, "47%")])


def rated(res, item, group, year=2015):
    f = res["survey_results"]
    return (f.item_id == item) & (f.role_group == group) & (f.survey_year == year)


@pytest.fixture  # read in each test (see package_frames): a shared one would tie its code to the first test only
def sources():
    return validate.read_sources()


def findings(res, rule, sources, registered=None):
    problems, _ = validate.check(res, validate.read_register() if registered is None else registered,
                                 only=[rule], sources=sources)
    return problems


def test_one_cell_and_an_items_row(sources):
    res = published_all()
    d = res["cell_denominators"]
    d.loc[(d.item_id == "positive_rating_local_relationships") & (d.role_group == "chief_executive"),
          "derived_reconciles"] = False
    [found] = findings(res, "count_reconciles", sources)
    assert f"Typed at {T21}, row 2, column {CE!r}, cell '72% (42)'. Correct what was mistyped" in found
    res = published_all()
    res["survey_results"].loc[rated(res, "positive_rating_local_relationships", "all_respondents"), "percent"] = 48
    [found] = findings(res, "overall_within_group_range", sources)
    assert f"Typed at {T21_ROW_2}. Correct what was mistyped" in found


def test_a_profile_and_a_text_figure_with_its_cell(sources):
    res = published_all()
    res["role_profile"].loc[res["role_profile"].index == 0, "percent"] = 44
    [found] = findings(res, "distribution_sums_to_100", sources)
    cells = [("Headhunted from outside this organisation", "39%"), ("Headhunted from inside this organisation", "10%"),
             ("Applied from outside this organisation", "29%"), ("Applied from inside this organisation", "20%"),
             ("Rotating post", "0%"), ("Other", "2%")]
    assert f"Typed at {row('transcription/printed/table_1.1.csv', 2, cells)}. Correct" in found
    res = published_all()
    t = res["text_figures"]
    t.loc[t.figure_id == "op_positive_ce", "compares_as"] = "complement"
    [found] = findings(res, "text_matches_table", sources)
    assert ("Typed at transcription/printed/text_figures.csv, row 83, column 'value_text', cell '72%'; "
            f"{T21}, row 2, column {CE!r}, cell '72% (42)'. Correct") in found


def test_a_claim_and_the_cells_of_its_parts_that_do_not_hold(sources):
    res = published_all()
    c, p = res["claims"], res["claim_parts"]
    c.loc[c.claim_id == "kp_overall_positive_rose", "derived_verdict"] = "does_not_hold"
    [found] = findings(res, "claims_hold", sources)
    claim = ("transcription/curation/claims.csv, row 2, column 'claim', cell 'The overall share rating local "
             "relationships positively has risen since 2002'")
    assert f"Typed at {claim}. Correct" in found  # its one part holds: the claim's own row only
    # A change compares both waves: the item's cells of every group, 2015 then 2002.
    p.loc[p.claim_id == "kp_overall_positive_rose", "derived_verdict"] = "does_not_hold"
    [found] = findings(res, "claims_hold", sources)
    assert f"Typed at {claim}; {T21_ROW_2}; {T21_ROW_3}. Correct" in found
    # A ranking rests on the items it ranks, in the part's group and wave: here one item, overall, 2015.
    res = published_all()
    c, p = res["claims"], res["claim_parts"]
    c.loc[c.claim_id == "ba_managers_time_fourth", "derived_verdict"] = "does_not_hold"
    p.loc[p.claim_id == "ba_managers_time_fourth", "derived_verdict"] = "does_not_hold"
    [found] = findings(res, "claims_hold", sources)
    assert found.split(". Typed at ")[1].split("; ")[1] == (
        f"transcription/printed/table_2.8.csv, row 5, column {ALL!r}, cell '36%'. Correct what was mistyped, or "
        "explain it in transcription/curation/discrepancies.csv")


def test_register_entries_name_where_to_look(sources):
    key = "count_reconciles:T2.1:positive_rating_local_relationships:chief_executive:2015"
    registered = validate.read_register() | {key: "two_step_rounding"}
    found = findings(published_all(), "count_reconciles", sources, registered)
    assert found == [f"register entry {key} no longer occurs: remove it from transcription/curation/discrepancies.csv, "
                     f"or restore what was typed at {T21}, row 2, column {CE!r}, cell '72% (42)'."]
    key = "count_reconciles:T2.10:negative_health_and_social_care_act:chief_executive:2015"
    registered = validate.read_register() | {key: "two_step_rounding"}
    found = findings(published_all(), "count_reconciles", sources, registered)
    assert found == [f"register entry {key}: its explanation 'two_step_rounding' no longer reproduces the printed "
                     "51% (31) of n=59. Typed at transcription/printed/table_2.10.csv, row 4, column "
                     f"{CE!r}, cell '51% (31)'."]
