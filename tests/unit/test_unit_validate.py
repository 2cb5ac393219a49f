"""make validate's findings, one rule at a time on a doctored copy of the published frames: each names the
rule, the table, item and role group, what is printed and what was recomputed."""
import shutil

import pytest
from expected import RULES
from package_frames import ROOT, published_all

from analysis import rules
from checks import validate

EXPLAIN = ". Correct what was mistyped, or explain it in transcription/curation/discrepancies.csv"


def doctored(changes):
    res = published_all()
    for (name, column), (where, value) in changes.items():
        f = res[name]
        f.loc[where(f), column] = value
    return res


def cell(item, group, year=2015):
    return lambda f: (f.item_id == item) & (f.role_group == group) & (f.survey_year == year)


CASES = {
    "cells_complete": (
        {("survey_results", "role_group"): (cell("positive_rating_local_relationships", "chief_executive", 2002),
                                            "medical_director")},
        "unregistered discrepancy cells_complete:T2.1:positive_rating_local_relationships::2002: printed 5 cells for "
        "4 role groups; recomputed one cell for each of the 5 role groups, 2015 included"),
    "count_reconciles": (
        {("cell_denominators", "derived_reconciles"): (
            lambda f: (f.item_id == "positive_rating_local_relationships") & (f.role_group == "chief_executive"), False)},
        "unregistered discrepancy count_reconciles:T2.1:positive_rating_local_relationships:chief_executive:2015: "
        "printed 72% (42) of n=59; recomputed 42/59 = 71.2%; implied denominators 58–58; count at n 42"),
    "overall_reconciles": (
        {("overall_bases", "derived_base"): (lambda f: f.item_id == "positive_rating_local_relationships", "neither")},
        "unregistered discrepancy overall_reconciles:T2.1:positive_rating_local_relationships:all_respondents:2015: "
        "printed overall 60%; recomputed 281 over 467–470 who answered = 59.8–60.2%; over 472 = 59.5%"),
    "overall_within_group_range": (
        {("survey_results", "percent"): (cell("positive_rating_local_relationships", "all_respondents"), 48)},
        "unregistered discrepancy overall_within_group_range:T2.1:positive_rating_local_relationships:all_respondents:"
        "2015: printed overall 48%; groups 50–72%; recomputed an average of the groups lies within 49–73% after "
        "rounding"),
    "distribution_sums_to_100": (
        {("role_profile", "percent"): (lambda f: f.index == 0, 44)},
        "unregistered discrepancy distribution_sums_to_100:T1.1::chief_executive:2015: printed 6 categories summing "
        "to 105%; recomputed rounding allows 98–103%"),
    "group_n_matches_respondents": (
        {("role_groups", "respondents"): (lambda f: f.role_group == "chief_executive", 60)},
        "unregistered discrepancy group_n_matches_respondents:T2.1::chief_executive:2015: printed column n=59; "
        "respondents in the text 60; recomputed equal"),
    "share_reproduces": (
        {("role_groups", "share_of_respondents_percent"): (lambda f: f.role_group == "chief_executive", 14)},
        "unregistered discrepancy share_reproduces:::chief_executive:2015: printed 59 of 472 printed as 14%; "
        "recomputed 12.5%"),
    "respondents_add_up": (
        {("role_groups", "respondents"): (lambda f: f.role_group == "chief_executive", 60)},
        "unregistered discrepancy respondents_add_up:::all_respondents:2015: printed groups 60, 131, 132, 150; "
        "overall 472; recomputed groups sum to 473"),
    "response_rates_agree": (
        {("role_groups", "response_rate_percent"): (lambda f: f.role_group == "all_respondents", 25)},
        "unregistered discrepancy response_rates_agree:::all_respondents:2015: printed overall 25%; groups 34%, 41%, "
        "13%, 9%; recipients 2,650 online and 817 postal; recomputed group rates imply 3,045–3,319 recipients, "
        "giving 14.2–15.5% overall; 472 of 2,650 = 17.8%; 472 of 3,467 = 13.6%"),
    "text_matches_table": (
        {("text_figures", "compares_as"): (lambda f: f.figure_id == "op_positive_ce", "complement")},
        "unregistered discrepancy text_matches_table:T2.1:op_positive_ce:chief_executive:2015: printed text '72%' "
        "(positive rating for local relationships); table 72%; recomputed 100 − table: 27.5–27.6%, printed as 28%"),
    "text_figures_in_results": (
        {("survey_results", "percent"): (lambda f: f.figure_id == "ch_trust_ce_2002", 10)},
        "unregistered discrepancy text_figures_in_results:T2.8:ch_trust_ce_2002:chief_executive:2002: printed text "
        "figure ch_trust_ce_2002 (barrier_lack_of_trust) = 9.0; recomputed survey_results row: barrier_lack_of_trust, "
        "chief_executive, 2002, 10%"),
    "paper_2002_agrees": (
        {("survey_results", "paper_2003_denominator"): (cell("positive_rating_local_relationships",
                                                             "clinical_director", 2002), 400)},
        "unregistered discrepancy paper_2002_agrees:T2.1:positive_rating_local_relationships:clinical_director:2002: "
        "printed 2016 report 37%; 2003 paper '37% (164/443)'; recomputed paper count/denominator rounds to 41%; 2002 "
        "respondents in the group 445"),
    "claims_hold": (
        {("claims", "derived_verdict"): (lambda f: f.claim_id == "kp_overall_positive_rose", "does_not_hold")},
        "unregistered discrepancy claims_hold:T2.1:kp_overall_positive_rose::: printed claim: The overall share rating "
        "local relationships positively has risen since 2002; recomputed does not hold: Positive rating for local "
        "relationships (4 or 5…: overall up: overall 46.5–47.5% in 2002, 59.5–60.5% in 2015"),
    "participants_add_up": (
        {("interview_participants", "participants"): (lambda f: f.index == 0, 7)},
        "unregistered discrepancy participants_add_up:T1.3:::2015: printed Table 1.3 rows 7, 5, 5, 7; n=22; "
        "recomputed rows sum to 24; interviewees and focus group members 22"),
    "significance_reproduces": (
        {("significance_checks", "derived_agrees"): (lambda f: f.item_id == "positive_rating_local_relationships",
                                                     False)},
        "unregistered discrepancy significance_reproduces:T2.1:positive_rating_local_relationships:all_respondents:"
        "2015: printed marker * (chi_squared); recomputed p 0.011 to 0.016 over 8 feasible tables: *"),
    "choices_within_limit": (
        {("survey_results", "count"): (cell("positive_francis_reports", "chief_executive"), 400)},
        "unregistered discrepancy choices_within_limit:T2.9::chief_executive:2015: printed 504 choices by n=59; "
        "recomputed at most 177"),
}


@pytest.mark.parametrize("rule", CASES)
def test_a_doctored_figure_is_named_by_its_rule(rule):
    changes, message = CASES[rule]
    frame, failing = rules.run(next(r for r in rules.RULES if r.name == rule), doctored(changes))
    assert len(frame) == RULES[rule][0]  # every subject still checked
    found = [f"unregistered discrepancy {r.discrepancy_id}: printed {r.printed}; recomputed {r.recomputed}"
             for r in failing.itertuples()]
    assert message in found


@pytest.mark.parametrize("rule", ["count_reconciles", "response_rates_agree"])
def test_make_validate_reports_the_finding(rule):
    changes, message = CASES[rule]
    problems, report = validate.check(doctored(changes), validate.read_register(ROOT / "transcription"), only=[rule])
    if rule == "count_reconciles":
        assert problems == [message + EXPLAIN]
    else:  # the register explains the 18% over the online recipients, which 25% is not
        assert problems == ["register entry response_rates_agree:::all_respondents:2015: its explanation "
                            "'different_base' no longer reproduces the printed overall 25%; groups 34%, 41%, 13%, "
                            "9%; recipients 2,650 online and 817 postal"]
    failing = RULES[rule][1] + (rule == "count_reconciles")  # the overall rate's subject already fails
    assert report[0] == f"{rule}: {RULES[rule][0]} checked, {failing} not reconciling"
    assert report[-1].startswith(f"1 rules checked {RULES[rule][0]} cells, items and figures; ")


def test_a_register_entry_that_no_longer_occurs_and_one_for_a_rule_not_run():
    registered = validate.read_register(ROOT / "transcription")
    registered["count_reconciles:T2.3:medical_staff_high_quality:clinical_director:2015"] = "two_step_rounding"
    problems, report = validate.check(published_all(), registered, only=["count_reconciles"])
    assert problems == ["register entry count_reconciles:T2.3:medical_staff_high_quality:clinical_director:2015 no "
                        "longer occurs: remove it from transcription/curation/discrepancies.csv"]
    assert report[-1].endswith("the register has 5 entries")  # the rule's own entries only


def test_an_explanation_that_no_longer_reproduces_its_figure():
    registered = validate.read_register(ROOT / "transcription")
    key = "count_reconciles:T2.10:negative_health_and_social_care_act:chief_executive:2015"
    assert registered[key] == "count_off_by_one"
    registered[key] = "two_step_rounding"  # 31/59 = 52.54% -> 52.5 -> 53: two steps do not give 51 either
    problems, _ = validate.check(published_all(), registered, only=["count_reconciles"])
    assert problems == [f"register entry {key}: its explanation 'two_step_rounding' no longer reproduces the printed "
                        "51% (31) of n=59"]


def test_a_schema_failure_names_file_row_column_and_value():
    res = doctored({("role_groups", "level"): (lambda f: f.role_group == "chief_executive", "ward")})
    problems, _ = validate.check(res, validate.read_register(ROOT / "transcription"), only=[])
    assert problems == ["tables/role_groups.csv, row 2, column 'level', value 'ward': fails isin(['board', "
                        "'directorate', 'all_levels'])"]


def test_a_rule_that_cannot_run_is_a_finding():
    res = published_all()
    res["survey_results"] = res["survey_results"].drop(columns=["printed_in"])
    problems, report = validate.check(res, validate.read_register(ROOT / "transcription"), only=["overall_within_group_range"])
    assert "rule overall_within_group_range cannot run on these tables: " in problems[-1]
    assert not any(line.startswith("overall_within_group_range:") for line in report)


def test_a_stale_derived_resource_and_a_missing_file(tmp_path):
    root = tmp_path / "package"
    for sub in ("tables", "transcription"):
        shutil.copytree(ROOT / sub, root / sub)
    path = root / "tables/cell_denominators.csv"
    path.write_text(path.read_text().replace(",42,true\n", ",41,true\n", 1))
    found, _ = validate.problems(root)
    assert found == ["tables/cell_denominators.csv is stale: it differs from the figures recomputed from "
                     "survey_results (run make)"]
    (root / "tables/claims.csv").unlink()
    assert validate.problems(root) == ([f"{root / 'tables/claims.csv'} is missing: run make"], [])


def test_the_command_line(capsys, tmp_path):
    # The committed package passes with its register: every rule run, each finding registered.
    passed = tmp_path / "register.passed"
    assert validate.main(["--root", str(ROOT), "-v", "--passed", str(passed)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert (out[0], out[-1], len(out)) == ("cells_complete: 73 checked, 0 not reconciling", "17 rules checked 1130 "
                                           "cells, items and figures; 33 do not reconcile; the register has 33 entries",
                                           18)
    assert passed.read_text() == out[-1] + "\n"  # the stamp make waits for, only when every check passed


def test_the_command_line_names_each_problem(capsys, tmp_path):
    passed = tmp_path / "register.passed"
    passed.write_text("from an earlier run")
    assert validate.main(["--root", str(tmp_path), "--passed", str(passed)]) == 1
    assert not passed.exists()
    captured = capsys.readouterr()
    assert captured.err.startswith(f"error: {tmp_path}/tables/") and captured.err.endswith(" is missing: run make\n")
    assert captured.out == ""
