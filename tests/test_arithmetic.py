"""Hand-worked examples from the report for the arithmetic and for each explanation class of the register."""
import pandas as pd
from conftest import ROOT, read_csv

from analysis import arithmetic as ar
from analysis import explanations
from checks import validate


def cell(item_id, role_group):
    rows = read_csv(ROOT / "tables/cell_denominators.csv")
    return next(r for r in rows if r["item_id"] == item_id and r["role_group"] == role_group)


def test_table_2_1_chief_executives_positive_rating_72_percent_of_42_implies_58_answers():
    # 42/57 = 73.7%, 42/58 = 72.4%, 42/59 = 71.2%: only 58 rounds to 72, so one answer is missing.
    lo, hi = ar.denominators_for(42, 72, 42, 59)
    assert (int(lo), int(hi)) == (58, 58)
    row = cell("positive_rating_local_relationships", "chief_executive")
    assert (row["derived_denominator_min"], row["derived_denominator_max"]) == ("58", "58")
    assert (row["derived_missing_min"], row["derived_missing_max"], row["derived_count_at_n"]) == ("1", "1", "42")


def test_rounding_is_half_up_at_exact_halves():
    # Table 2.9, chief executives are 59 of 472 respondents: 12.5%, printed as 13%.
    assert int(ar.round_half_up(59, 472)) == 13
    assert int(ar.round_half_up(1, 8)) == 13  # 12.5
    assert int(ar.round_half_up(1, 3)) == 33


def test_two_step_rounding_table_2_8_chief_executives_time_demands_on_doctors():
    # 70% (41) of n=59: 41/59 = 69.49%, which rounds to 69 directly but to 69.5 and then 70 in two steps.
    assert int(ar.round_half_up(41, 59)) == 69
    lo, hi = ar.denominators_for(41, 70, 41, 59)
    assert lo > hi
    lo, hi = ar.denominators_for(41, 70, 41, 59, decimals_first=True)
    assert (int(lo), int(hi)) == (59, 59)
    row = pd.Series({"count": 41, "percent": 70, "group_n": 59})
    assert explanations.two_step_rounding(row, None)


def test_count_off_by_one_table_2_10_chief_executives_health_and_social_care_act():
    # 51% (31) of n=59: 31/59 = 52.5%; 30/59 = 50.8% gives the printed 51%.
    assert ar.denominators_for(31, 51, 31, 59)[0] > ar.denominators_for(31, 51, 31, 59)[1]
    lo, hi = ar.denominators_for(30, 51, 30, 59)
    assert (int(lo), int(hi)) == (59, 59)
    row = pd.Series({"rule": "count_reconciles", "count": 31, "percent": 51, "group_n": 59})
    assert explanations.count_off_by_one(row, None)
    assert not explanations.count_off_by_one(row.copy().replace({31: 36}), None)


def test_count_off_by_one_in_the_overall_column_of_table_2_11_joint_discussion_events():
    # 44 + 69 + 70 + 65 = 248; 248/472 = 52.5% rounds to 53, 247/472 = 52.3% to the printed 52.
    counts = [int(r["count"]) for r in read_csv(ROOT / "tables/survey_results.csv")
              if r["item_id"] == "initiative_joint_discussion_events" and r["survey_year"] == "2015" and r["count"]]
    assert counts == [44, 69, 70, 65]  # as printed in Table 2.11
    bases = {r["item_id"]: r for r in read_csv(ROOT / "tables/overall_bases.csv")}
    assert bases["initiative_joint_discussion_events"]["derived_count_sum"] == "248"
    assert int(ar.round_half_up(248, 472)) == 53 and int(ar.round_half_up(247, 472)) == 52
    row = pd.Series({"rule": "overall_reconciles", "percent": 52, "derived_count_sum": 248,
                     "derived_denominator_sum_min": 407, "derived_denominator_sum_max": 410, "overall_n": 472})
    assert explanations.count_off_by_one(row, None)


def test_different_base_the_18_percent_response_rate_is_over_the_online_recipients():
    # 472/2,650 = 17.8% -> 18%; the group rates (34, 41, 13, 9%) need at least 3,045 recipients.
    assert int(ar.round_half_up(472, 2650)) == 18
    lo, hi = ar.denominators_for([59, 131, 132, 150], [34, 41, 13, 9])
    assert (int(lo.sum()), int(hi.sum())) == (3045, 3319)
    row = pd.Series({"respondents": 472, "rate": 18, "online_recipients": 2650, "recipients_min": 3045,
                     "recipients_max": 3319})
    assert explanations.different_base(row, None)


def test_text_one_point_off_directorate_managers_clinical_commitments():
    # Text: 9% of directorate managers have clinical commitments. Table 1.2's row (8%, 2%, 1%, 90% none)
    # needs 10 + 2 + 1 = 13 with commitments of 124 to 132: 10.5% to 9.8%, printed 10%, over those who answered
    # or over all 132 alike. 12 with commitments (9.1% of 132) would leave the row's cells unreproduced.
    assert int(ar.round_half_up(13, 132)) == int(ar.round_half_up(13, 124)) == 10
    row = pd.Series({"derived_qualifier": "exact", "derived_value": 9.0, "prints_as": "10", "prints_over_group": "10"})
    assert explanations.text_one_point_off(row, None)
    assert not explanations.text_one_point_off(row.copy().replace({9.0: 8.0}), None)  # two points off
    assert not explanations.text_one_point_off(row.copy().replace({"exact": "around"}), None)


def test_qualifier_depends_medical_directors_at_least_a_quarter():
    # Table 2.1: 32 of 126 to 130 medical directors dissatisfied, 25.4% to 24.6%: 'at least a quarter' depends.
    row = pd.Series({"derived_qualifier": "at_least", "verdict": "depends"})
    assert explanations.qualifier_depends(row, None)
    assert not explanations.qualifier_depends(row.copy().replace({"depends": "does_not_hold"}), None)
    assert explanations.qualifier_not_met(row.copy().replace({"depends": "does_not_hold"}), None)


def test_inconsistent_restatement_of_a_figure_the_text_also_gives_exactly():
    frame = pd.DataFrame({"figure_id": ["pa_discharge_pressure", "ch_discharge_pressure_all"],
                          "item_id": ["no_pressure_early_discharge"] * 2, "role_group": ["all_respondents"] * 2,
                          "survey_year": [2015, 2015], "derived_qualifier": ["around", "exact"],
                          "derived_value": [65.0, 67.0], "verdict": ["does_not_hold", "holds"]})
    assert explanations.inconsistent_restatement(frame.iloc[0], frame)
    assert not explanations.inconsistent_restatement(frame.iloc[0], frame.iloc[:1])


def test_table_2_11_overall_column_is_over_all_472_respondents():
    tables = {t["table_id"]: t for t in read_csv(ROOT / "tables/tables.csv")}
    assert tables["T2.11"]["derived_overall_base"] == "all_respondents"
    assert {tables[f"T2.{i}"]["derived_overall_base"] for i in range(1, 8)} == {"answered"}
    bases = {b["item_id"]: b for b in read_csv(ROOT / "tables/overall_bases.csv")}
    collab = bases["initiative_collaboration_on_projects"]
    assert (collab["derived_count_sum"], collab["derived_percent_over_all"]) == ("319", "67.6")


def test_on_the_clean_data_nothing_fires_but_the_register():
    problems, report = validate.problems(ROOT)
    assert problems == []
    register = read_csv(ROOT / "transcription/curation/discrepancies.csv")
    published = read_csv(ROOT / "tables/discrepancies.csv")
    assert [r["discrepancy_id"] for r in published] == sorted(r["discrepancy_id"] for r in register)
    assert all(r["explanation_class"] for r in published)


def test_a_stale_register_entry_fails(tmp_path):
    res = validate.frames.load_all(ROOT)
    registered = validate.read_register()
    registered["count_reconciles:T2.3:medical_staff_high_quality:clinical_director:2015"] = "two_step_rounding"
    problems, _ = validate.check(res, registered)
    assert problems == ["register entry count_reconciles:T2.3:medical_staff_high_quality:clinical_director:2015 "
                        "no longer occurs: remove it from transcription/curation/discrepancies.csv"]


def test_make_validate_fails_naming_a_discrepancy_missing_from_the_register(tmp_path, source_copy):
    import subprocess
    import sys

    from conftest import build_in_process
    register = source_copy / "curation" / "discrepancies.csv"
    lines = register.read_text(encoding="utf-8").splitlines(keepends=True)
    dropped = next(line for line in lines if line.startswith("count_reconciles:T2.8:"))
    register.write_text("".join(line for line in lines if line != dropped), encoding="utf-8")
    assert build_in_process(source_copy, tmp_path).returncode == 0
    published = read_csv(tmp_path / "tables/discrepancies.csv")
    entry = next(r for r in published if r["discrepancy_id"].startswith("count_reconciles:T2.8:"))
    assert entry["explanation_class"] == ""
    passed = tmp_path / "register.passed"
    result = subprocess.run([sys.executable, "-m", "checks.validate", "--root", str(tmp_path),
                             "--inputs", str(source_copy), "--passed", str(passed)], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 1 and not passed.exists()
    assert ("error: unregistered discrepancy count_reconciles:T2.8:barrier_time_demands_on_doctors:"
            "chief_executive:2015: printed 70% (41) of n=59") in result.stderr
    # and where it was typed, so that it can be checked against the page
    assert ("Typed at transcription/printed/table_2.8.csv, row 2, column 'Chief executives (n=59)', "
            "cell '70% (41)'.") in result.stderr


def test_marker_one_level_off_table_2_2_pressure_to_reduce_tests():
    # Printed '***'; the rerun chi-squared test gives p = 0.005 to 0.009 over every feasible denominator: '**'.
    row = pd.Series({"printed_marker": "***", "derived_markers": "**"})
    assert explanations.marker_one_level_off(row, None)
    assert not explanations.marker_one_level_off(row.copy().replace({"**": "*"}), None)  # two levels off
    assert not explanations.marker_one_level_off(row.copy().replace({"**": "*** **"}), None)  # already agrees
