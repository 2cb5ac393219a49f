-- Tables 2.1 to 2.11 in their printed layout: which cells does the report print, row by row?
-- One row per printed row (the '2002 figures' rows of Table 2.1 under their 2015 row), one column
-- per role group, each cell exactly as printed (percentage, count in parentheses, marker).
-- Columns: table_id; row_order (position within the table); row_label (as printed, dagger
-- included); one column per role group and the overall column (the printed cells), generated from
-- role_groups. Column headings with their n are in role_groups and survey_results.group_n.
SELECT
    r.table_id,
    i.row_number * 2 + CASE WHEN r.survey_year = 2002 THEN 1 ELSE 0 END AS row_order,
    CASE WHEN r.survey_year = 2002 THEN '2002 figures'
         ELSE i.row_label || CASE WHEN i.reverse_worded THEN ' †' ELSE '' END END AS row_label,
    {%- for g in groups %}
    MAX(CASE WHEN r.role_group = '{{ g.role_group }}' THEN r.cell_text END) AS {{ g.role_group }},
    {%- endfor %}
    MAX(CASE WHEN r.role_group = '{{ overall.role_group }}' THEN r.cell_text END) AS overall
FROM survey_results AS r
JOIN items AS i ON i.item_id = r.item_id
WHERE r.printed_in = 'table'
GROUP BY r.table_id, i.item_order, i.row_number, r.survey_year, i.row_label, i.reverse_worded
ORDER BY i.item_order, row_order
