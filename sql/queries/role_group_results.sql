-- One role group's results across all items: every printed percentage of Tables 2.1 to 2.11 for the
-- role group you choose (chief_executive, medical_director, directorate_manager, clinical_director or
-- all_respondents), both survey years, with the count and column n as printed.
SELECT r.table_id, r.item_id, i.row_label, r.survey_year, r.percent, r.count, r.group_n, r.cell_text
FROM survey_results AS r
JOIN items AS i ON i.item_id = r.item_id
WHERE r.role_group = :role_group
ORDER BY CAST(substr(r.table_id, 3) AS INTEGER), i.row_number, r.survey_year DESC
