-- One role group's results across all items: every percentage the report gives (Tables 2.1 to 2.11
-- and its text) for the role group you choose, by code (clinical_director) or by name (Clinical
-- directors); leave it empty for every role group. Both survey years, with the count and column n as
-- printed, in the report's order.
SELECT r.table_id, r.item_id, r.item_wording, r.survey_year, r.role_group, r.role_group_label, r.percent,
       r.count, r.group_n, r.cell_text, r.printed_in
FROM survey_results AS r
JOIN role_groups AS g ON g.role_group = r.role_group
WHERE trim(:role_group) = ''
   OR lower(trim(:role_group)) IN (lower(g.role_group), lower(g.column_label), lower(g.row_label))
ORDER BY r.item_order, r.survey_year DESC, g.sort_order
