-- Which barriers (Table 2.8) and which initiatives (Table 2.11) come first for each role group?
-- Columns: table_id; role_group; role_group_label; rank_in_group (derived: 1 = chosen most often within the role
-- group and table, ties share a rank); item_id; row_label; percent (printed).
SELECT
    r.table_id, r.role_group, r.role_group_label,
    RANK() OVER (PARTITION BY r.table_id, r.role_group ORDER BY r.percent DESC) AS rank_in_group,
    r.item_id, r.item_wording AS row_label, r.percent
FROM survey_results AS r
JOIN tables AS t ON t.table_id = r.table_id
JOIN role_groups AS g ON g.role_group = r.role_group
WHERE r.table_id IN ('T2.8', 'T2.11') AND r.survey_year = 2015
ORDER BY t.table_order, g.sort_order, rank_in_group, r.item_order
