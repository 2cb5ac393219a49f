"""What the package holds and checks, written out by hand: the tests compare the code with these lists, never
with lists read from the code they test. When a resource, column or rule is added or removed on purpose, the
list here changes with it, in the same commit."""

# Every resource and its columns, in order, as published (schemas/ states them; written out here so that
# a resource or column the code drops or adds fails until this list is changed deliberately).
COLUMNS = {
    "tables": "table_id table_label table_order title stub_header footnote title_n theme section "
              "also_printed_as percentage_base significance_test derived_overall_base",
    "role_groups": "role_group column_label row_label respondents share_of_respondents_percent "
                   "response_rate_percent level medical sort_order",
    "items": "item_id item_order table_id row_number row_label theme question_type percent_counts "
             "reverse_worded reverse_worded_note favourable factor_id",
    "survey_waves": "survey_year label title scope fieldwork_start fieldwork_end respondents source_title "
                    "source_url",
    "wave_2002": "fact_id fact role_group level value unit value_text source_id source_section "
                 "source_paragraph derived_code derived_role_groups derived_period_start derived_period_end "
                 "derived_invited_min derived_invited_max",
    "role_group_codes": "role_group code_system code code_label precision note source_title source_url",
    "external_factors": "factor_id label",
    "external_factor_references": "factor_id reference_id title identifier_scheme identifier date year "
                                  "date_meaning source_title source_url",
    "survey_results": "item_order table_id item_id item_wording survey_year wave_label role_group "
                      "role_group_label percent count group_n cell_text printed_in table_row figure_id "
                      "compares_as derived_percent_on_item_wording paper_2003_text paper_2003_percent "
                      "paper_2003_count paper_2003_denominator",
    "printed_significance": "item_order item_id item_wording table_id marker test marker_text",
    "role_profile": "table_id role_group category_id category_label percent table_n cell_text",
    "interview_participants": "table_id role_group participants table_n",
    "text_figures": "figure_id section subject role_group survey_year value_text unit derived_value "
                    "derived_qualifier derived_period_start derived_period_end table_id item_id category_id "
                    "compares_as",
    "cell_denominators": "item_order table_id item_id item_wording role_group role_group_label percent count "
                         "group_n derived_denominator_min derived_denominator_max derived_missing_min "
                         "derived_missing_max derived_count_at_n derived_reconciles",
    "overall_bases": "item_order table_id item_id item_wording percent derived_count_sum "
                     "derived_denominator_sum_min derived_denominator_sum_max "
                     "derived_percent_over_answered_min derived_percent_over_answered_max "
                     "derived_percent_over_all derived_answered_reproduces derived_all_respondents_reproduces "
                     "derived_base",
    "discrepancies": "discrepancy_id rule table_id item_id figure_id claim_id role_group survey_year printed "
                     "recomputed explanation_class explanation derived_finding derived_severity",
    "check_summary": "rule description checked failing",
    "significance_checks": "item_order table_id item_id item_wording test printed_marker "
                           "derived_tables_tested derived_p_min derived_p_max derived_markers derived_agrees",
    "percent_intervals": "item_order table_id item_id item_wording role_group role_group_label percent count "
                         "derived_denominator_min derived_denominator_max derived_wilson_low "
                         "derived_wilson_high",
    "change_tests": "item_order table_id item_id item_wording role_group role_group_label assumption "
                    "percent_2002 percent_2015 change_points n_2002 derived_max_missing_2002_percent "
                    "derived_pair_2002 derived_count_2002_min derived_count_2002_max "
                    "derived_denominator_2002_min derived_denominator_2002_max derived_denominator_2015_min "
                    "derived_denominator_2015_max derived_diff_low_points derived_diff_high_points "
                    "derived_p_min derived_p_max derived_verdict",
    "claims": "claim_id claim_order section claim cites comparison tables items other_items role_groups "
              "other_groups survey_year direction word amount significance quantifier figures reason "
              "derived_verdict derived_parts derived_parts_holding derived_result",
    "claim_sections": "claim_id position section",
    "claim_parts": "claim_id part_order table_id item_id role_group survey_year part derived_verdict "
                   "derived_result",
}

# The views of sql/, one file each, in name order (tests/test_views.py counts their rows by hand).
VIEWS = ["change_since_2002", "claims_checked", "clinical_director_gap", "discrepancies_explained",
         "external_factor_net_impact", "percent_intervals_explained", "printed_tables_1", "printed_tables_2",
         "ranked_barriers_and_initiatives", "significance_rerun"]

# The arithmetic rules, in the order they run and report, with the subjects each checks and the number that
# fail on the committed figures (all of those are in the register).
RULES = {
    "cells_complete": (73, 0),  # 68 items of Tables 2.1 to 2.11 in 2015, and 5 of Table 2.1 in 2002
    "count_reconciles": (272, 4),  # 68 items x 4 role groups, 2015
    "missing_answers_plausible": (268, 0),  # the 2015 group cells that reconcile (272 less the 4 that do not)
    "overall_reconciles": (68, 2),  # each 2015 item's overall column
    "overall_within_group_range": (73, 0),  # the overall columns of the 73 item-years
    "distribution_sums_to_100": (8, 0),  # 4 role groups x Tables 1.1 and 1.2
    "group_n_matches_respondents": (44, 0),  # 11 tables x 4 role groups
    "share_reproduces": (5, 0),  # 4 role groups, and the non-responders to Table 2.11's question
    "respondents_add_up": (1, 0),
    "response_rates_agree": (1, 1),  # the 18% over the online recipients
    "text_matches_table": (136, 5),
    "text_figures_in_results": (16, 0),
    "paper_2002_agrees": (5, 0),  # the 2003 paper's five counts with their denominators
    "claims_hold": (110, 19),  # the claims the printed figures can decide: 113 less 3 undecidable
    "participants_add_up": (1, 0),
    "significance_reproduces": (37, 2),  # the items of Tables 2.1 to 2.7 with a printed marker
    "choices_within_limit": (12, 0),  # Tables 2.9 to 2.11 x 4 role groups
}

# The expectations Great Expectations runs on each engine, by kind (tests/unit/test_unit_expectations.py).
EXPECTATIONS = 688
