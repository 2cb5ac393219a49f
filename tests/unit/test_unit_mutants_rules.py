"""analysis/rules.py subject by subject: what each rule's frame says of a subject (its discrepancy id, what is
printed, what was recomputed), the order it checks them in, the branches no committed figure reaches (a cell no
denominator reproduces, a text figure with no row, a paper figure with no count), and the printed figures a
finding rests on. Every expected value is worked by hand from the committed tables (the working is in the
comments), never read from the code under test."""
import pandas as pd
import pytest
from package_frames import published_all

from analysis import rules


def rule(name):
    return next(r for r in rules.RULES if r.name == name)


def checked(name, res=None):
    """(every subject, the failing ones) of one rule, on the committed figures or on res."""
    return rules.run(rule(name), published_all() if res is None else res)


def said(frame, did):
    """(printed, recomputed) of the one subject with this discrepancy id."""
    row = frame[frame.discrepancy_id == did]
    assert len(row) == 1, (did, len(row))
    return row.printed.iloc[0], row.recomputed.iloc[0]


# ---- what each rule says of a subject, on the committed figures ----

# Table 2.1, positive rating for local relationships, is the first item: chief executives 72% (42) of n=59,
# medical directors 62% (80) of n=131, directorate managers 64% (84) of n=132, clinical directors 50% (75) of
# n=150, overall 60%.
T21 = "positive_rating_local_relationships"

MESSAGES = {
    "count_reconciles": {
        # 42/59 = 71.19%; only d=58 gives 42/58 = 72.41% -> 72; 72% of 59 = 42.48 -> 42
        f"count_reconciles:T2.1:{T21}:chief_executive:2015": (
            "72% (42) of n=59", "42/59 = 71.2%; implied denominators 58–58; count at n 42"),
        # Table 2.7, doctors respected by the public, chief executives 97% (55) of n=59: 55/59 = 93.2%, and 55/d
        # for d from 55 to 59 is 100, 98.2, 96.5, 94.8, 93.2: none prints as 97; 97% of 59 = 57.23 -> 57
        "count_reconciles:T2.7:doctors_respected_by_public:chief_executive:2015": (
            "97% (55) of n=59", "55/59 = 93.2%; no denominator from the count to n reproduces 97%; count at n 57"),
    },
    "missing_answers_plausible": {
        # d=58 of 59: 1 missing, 1/59 = 1.7%
        f"missing_answers_plausible:T2.1:{T21}:chief_executive:2015": (
            "72% (42) of n=59", "it implies 1 of 59 answers missing (1.7%); the largest the report's own cells "
                                "imply is 27 of 132 (20.5%)"),
        # 80/129 = 62.02% and 80/130 = 61.54% print as 62 (80/128 = 62.5 and 80/131 = 61.07 do not): 1 to 2
        # missing, the fewest 1/131 = 0.76 -> 0.8%; 27/132 = 20.45 -> 20.5%
        f"missing_answers_plausible:T2.1:{T21}:medical_director:2015": (
            "62% (80) of n=131", "it implies 1 to 2 of 131 answers missing (0.8%); the largest the report's own "
                                 "cells imply is 27 of 132 (20.5%)"),
    },
    "overall_reconciles": {
        # 42+80+84+75 = 281 counts; 281/470 = 59.79, 281/467 = 60.17, 281/472 = 59.53
        f"overall_reconciles:T2.1:{T21}:all_respondents:2015": (
            "overall 60%", "281 over 467–470 who answered = 59.8–60.2%; over 472 = 59.5%"),
    },
    "overall_within_group_range": {
        f"overall_within_group_range:T2.1:{T21}:all_respondents:2015": (
            "overall 60%; groups 50–72%", "an average of the groups lies within 49–73% after rounding"),
        # 2002: 76, 57, 44, 37 and overall 47
        f"overall_within_group_range:T2.1:{T21}:all_respondents:2002": (
            "overall 47%; groups 37–76%", "an average of the groups lies within 36–77% after rounding"),
    },
    "distribution_sums_to_100": {
        # Table 1.1, chief executives: 39 + 10 + 29 + 20 + 0 + 2; six categories allow 100 - 5//2 to 100 + 6//2
        "distribution_sums_to_100:T1.1::chief_executive:2015": (
            "6 categories summing to 100%", "rounding allows 98–103%"),
    },
    "group_n_matches_respondents": {
        "group_n_matches_respondents:T2.1::medical_director:2015": (
            "column n=131; respondents in the text 131", "equal"),
    },
    "share_reproduces": {
        "share_reproduces:::chief_executive:2015": ("59 of 472 printed as 13%", "12.5%"),
        "share_reproduces:::directorate_manager:2015": ("132 of 472 printed as 28%", "28.0%"),  # 27.97
        # 65 of the 472 did not answer Table 2.11's question: 13.77 -> 13.8, printed 14
        "share_reproduces:T2.11:in_nonresponse_share:all_respondents:2015": ("65 of 472 printed as 14%", "13.8%"),
    },
    "respondents_add_up": {
        "respondents_add_up:::all_respondents:2015": ("groups 59, 131, 132, 150; overall 472", "groups sum to 472"),
    },
    "response_rates_agree": {
        # 472 of 2,650 online = 17.81%; of 2,650 + 817 = 3,467: 13.61%
        "response_rates_agree:::all_respondents:2015": (
            "overall 18%; groups 34%, 41%, 13%, 9%; recipients 2,650 online and 817 postal",
            "group rates imply 3,045–3,319 recipients, giving 14.2–15.5% overall; 472 of 2,650 = 17.8%; 472 of "
            "3,467 = 13.6%"),
    },
    "text_figures_in_results": {
        "text_figures_in_results:T2.8:ch_trust_ce_2002:chief_executive:2002": (
            "text figure ch_trust_ce_2002 (barrier_lack_of_trust) = 9.0",
            "survey_results row: barrier_lack_of_trust, chief_executive, 2002, 9%"),
    },
    "paper_2002_agrees": {
        # 78/103 = 75.7 -> 76; 164/443 = 37.02 -> 37
        f"paper_2002_agrees:T2.1:{T21}:chief_executive:2002": (
            "2016 report 76%; 2003 paper 'About three quarters (78/103, 76%)'",
            "paper count/denominator rounds to 76%; 2002 respondents in the group 103"),
        f"paper_2002_agrees:T2.1:{T21}:clinical_director:2002": (
            "2016 report 37%; 2003 paper '37% (164/443)'",
            "paper count/denominator rounds to 37%; 2002 respondents in the group 445"),
    },
    "participants_add_up": {
        "participants_add_up:T1.3:::2015": (
            "Table 1.3 rows 5, 5, 5, 7; n=22", "rows sum to 22; interviewees and focus group members 22"),
    },
    "significance_reproduces": {
        f"significance_reproduces:T2.1:{T21}:all_respondents:2015": (
            "marker * (chi_squared)", "p 0.011 to 0.016 over 8 feasible tables: *"),
    },
    "choices_within_limit": {
        # Table 2.8, chief executives: three choices each at most, 3 x 59
        "choices_within_limit:T2.8::chief_executive:2015": ("160 choices by n=59", "at most 177"),
    },
    "cells_complete": {
        "cells_complete:T2.1:positive_rating_local_relationships::2002": (
            "5 cells for 5 role groups", "one cell for each of the 5 role groups, 2015 included"),
    },
    "text_matches_table": {
        # 42 of d=58 (the only d that reproduces 72%) is 72.41%, shown rounded outwards to one decimal
        "text_matches_table:T2.1:op_positive_ce:chief_executive:2015": (
            "text '72%' (positive rating for local relationships); table 72%", "table: 72.4–72.5%, printed as 72%"),
        # Table 1.2: 90% of directorate managers have clinical commitments; the text's 9% is read as 100 minus
        # the row's share, from every cell of the row: 9.8–10.5%, which prints as 10
        "text_matches_table:T1.2:clinical_commitments_dm:directorate_manager:2015": (
            "text '9%' (respondents with clinical commitments); table 90%",
            "100 − table: 9.8–10.5%, printed as 10%"),
    },
    "claims_hold": {
        "claims_hold:T2.1:kp_overall_positive_rose::": (
            "claim: The overall share rating local relationships positively has risen since 2002",
            "holds: Positive rating for local relationships (4 or 5…: overall up: overall 46.5–47.5% in 2002, "
            "59.5–60.5% in 2015"),
    },
}


def test_every_rule_has_its_messages_here():
    assert set(MESSAGES) == {r.name for r in rules.RULES}


@pytest.mark.parametrize("name", MESSAGES)
def test_what_a_rule_says_of_a_subject(name):
    frame, _ = checked(name)
    assert {did: said(frame, did) for did in MESSAGES[name]} == MESSAGES[name]
    assert (frame.rule == name).all()


# ---- the printed figures a finding rests on (keys of pipeline.transcription.sources), on small tables ----

def groups_res(**frames):
    # three role groups whose sort order is not their alphabetical nor their row order
    return {"role_groups": pd.DataFrame({"role_group": ["b", "a", "c"], "sort_order": [2, 1, 3]}), **frames}


def test_an_items_cells_are_one_per_role_group_in_their_sort_order():
    res = groups_res()
    assert rules._cells(res, "i", 2015.0, None) == [("survey_results", "i", 2015, g) for g in "abc"]
    assert rules._cells(res, "i", 2002, ["c"]) == [("survey_results", "i", 2002, "c")]
    row = pd.Series({"item_id": "i", "survey_year": 2015, "role_group": "b"})
    assert rules._one_cell(row, res) == [("survey_results", "i", 2015, "b")]
    assert rules._item_cells(row, res) == [("survey_results", "i", 2015, g) for g in "abc"]


@pytest.mark.parametrize("item,year", [(pd.NA, 2015), ("i", pd.NA), (pd.NA, pd.NA)])
def test_a_subject_without_an_item_or_a_wave_rests_on_no_cells(item, year):
    # cells_complete's item without any cell has no wave; its finding names no cell
    assert rules._item_cells(pd.Series({"item_id": item, "survey_year": year}), groups_res()) == []


def test_a_profile_rests_on_its_own_tables_categories_for_its_own_group():
    p = pd.DataFrame({"table_id": ["T1.1", "T1.1", "T1.1", "T1.2"], "role_group": ["a", "a", "b", "a"],
                      "category_id": ["c1", "c2", "c3", "c4"]})
    row = pd.Series({"table_id": "T1.1", "role_group": "a"})
    assert rules._profile_cells(row, {"role_profile": p}) == [("role_profile", "T1.1", "c1", "a"),
                                                               ("role_profile", "T1.1", "c2", "a")]


def test_a_text_figure_rests_on_its_own_row_and_its_cell_or_category():
    res = groups_res()
    item = pd.Series({"figure_id": "f", "item_id": "i", "survey_year": 2015, "role_group": "b", "table_id": "T2.1",
                      "category_id": pd.NA})
    assert rules._text_cells(item, res) == [("text_figures", "f"), ("survey_results", "i", 2015, "b")]
    share = pd.Series({"figure_id": "g", "item_id": pd.NA, "survey_year": 2015, "role_group": "b",
                       "table_id": "T1.2", "category_id": "c"})
    assert rules._text_cells(share, res) == [("text_figures", "g"), ("role_profile", "T1.2", "c", "b")]
    alone = pd.Series({"figure_id": "h", "item_id": pd.NA, "category_id": pd.NA})
    assert rules._text_cells(alone, res) == [("text_figures", "h")]


def claims_res():
    parts = pd.DataFrame([
        # claim, table, item, role group, wave, verdict
        ("c1", "T2.1", pd.NA, pd.NA, pd.NA, "does_not_hold"),  # no item and no ranking: rests on nothing more
        ("c1", "T2.1", "i1", pd.NA, pd.NA, "does_not_hold"),   # a change: both waves
        ("c1", "T2.1", "i2", pd.NA, 2015, "holds"),            # holds: not named
        ("c1", pd.NA, pd.NA, pd.NA, pd.NA, "depends"),         # no table: not named
        ("c2", "T2.1", "i3", "a", 2015, "does_not_hold"),      # another claim's
        ("c3", "T2.1", pd.NA, "a", 2015, "does_not_hold"),     # a ranking of the items the claim names
        ("c4", "T2.1", pd.NA, pd.NA, 2002, "does_not_hold"),   # a ranking of its table's items, every group
    ], columns=["claim_id", "table_id", "item_id", "role_group", "survey_year", "derived_verdict"])
    items = pd.DataFrame({"item_id": ["i1", "i2", "i3"], "table_id": ["T2.1", "T2.1", "T2.2"]})
    return groups_res(claim_parts=parts, items=items)


def claim(claim_id, comparison, items=pd.NA):
    return pd.Series({"claim_id": claim_id, "comparison": comparison, "items": items})


def test_a_claim_rests_on_its_row_and_the_cells_of_its_parts_that_do_not_hold():
    res = claims_res()
    assert rules._claim_cells(claim("c1", "change", "i1"), res) == [("claims", "c1")] + [
        ("survey_results", "i1", y, g) for y in (2015, 2002) for g in "abc"]
    # a part with an item: the item's row, every group, in the part's wave
    assert rules._claim_cells(claim("c2", "compare"), res) == [("claims", "c2")] + [
        ("survey_results", "i3", 2015, g) for g in "abc"]
    # a ranking: the items the claim names, in its order, in the part's group and wave
    assert rules._claim_cells(claim("c3", "rank", "i2;i1"), res) == [
        ("claims", "c3"), ("survey_results", "i2", 2015, "a"), ("survey_results", "i1", 2015, "a")]
    # naming none, every item of the part's table (i3 is of another table), in every group
    assert rules._claim_cells(claim("c4", "items_ordering"), res) == [("claims", "c4")] + [
        ("survey_results", i, 2002, g) for i in ("i1", "i2") for g in "abc"]
    # without claim_parts (claims decided apart from their parts): the claim's own row
    assert rules._claim_cells(claim("c1", "change", "i1"), groups_res()) == [("claims", "c1")]
