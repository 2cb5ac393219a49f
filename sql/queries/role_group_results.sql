-- One role group's results across all items: every printed percentage of Tables 2.1 to 2.11 for the
-- role group you choose (chief_executive, medical_director, directorate_manager, clinical_director or
-- all_respondents), both survey years, with the count and column n as printed.
SELECT r.table_id, r.item_id, r.item_wording AS row_label, r.survey_year, r.percent, r.count, r.group_n,
       r.cell_text, r.printed_in
FROM survey_results AS r
WHERE r.role_group = :role_group
ORDER BY r.item_order, r.survey_year DESC
