-- Which barriers (Table 2.8) and which initiatives (Table 2.11) come first for each role group?
-- Columns: table_id; role_group; rank_in_group (derived: 1 = chosen most often within the role
-- group and table, ties share a rank); item_id; row_label; percent (printed).
SELECT
    r.table_id, r.role_group,
    RANK() OVER (PARTITION BY r.table_id, r.role_group ORDER BY r.percent DESC) AS rank_in_group,
    r.item_id, i.row_label, r.percent
FROM survey_results AS r
JOIN items AS i ON i.item_id = r.item_id
JOIN role_groups AS g ON g.role_group = r.role_group
WHERE r.table_id IN ('2.8', '2.11') AND r.survey_year = 2015
ORDER BY r.table_id, g.sort_order, rank_in_group, r.item_id
