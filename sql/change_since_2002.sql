-- How has each figure changed since the 2002 survey, by item and role group, and is the change
-- significant? One row per item and role group with a figure in both waves: a plain self-join of
-- survey_results, 2015 against 2002, on the item's own wording (derived_percent_on_item_wording: a
-- 2002 figure the text states the other way round is taken as 100 minus it), with the test of
-- change_tests under its default assumption (at most 5% of a 2002 group, or the share the same 2015
-- cell implies where larger, did not answer; change_tests also gives 0%, 5%, 10% and 20%).
-- Columns: item_order; table_id; item_id; item_wording; role_group; role_group_label;
-- percent_2002 (printed, or 100 minus a text figure stated the other way round);
-- percent_2015 (printed); change_points
-- (derived: 2015 minus 2002); interval_low and interval_high (derived: 95% Newcombe interval for the
-- difference, in points, over every feasible denominator of both waves); p_min and p_max (derived:
-- two-proportion test p-value range); verdict (derived, in words: significant, not significant or
-- depends on denominators, at 5%); source_2002 ('Table 2.1', or 'text' and the text figure's id).
SELECT
    now.item_order, now.table_id, now.item_id, now.item_wording, now.role_group, now.role_group_label,
    was.derived_percent_on_item_wording AS percent_2002,
    now.percent AS percent_2015,
    now.percent - was.derived_percent_on_item_wording AS change_points,
    t.derived_diff_low_points AS interval_low, t.derived_diff_high_points AS interval_high,
    t.derived_p_min AS p_min, t.derived_p_max AS p_max, replace(t.derived_verdict, '_', ' ') AS verdict,
    CASE WHEN was.printed_in = 'table' THEN 'Table ' || substr(was.table_id, 2)
         WHEN was.printed_in = 'text' THEN 'text: ' || was.figure_id
         ELSE '2003 paper' END AS source_2002
FROM survey_results AS now
JOIN survey_results AS was
  ON was.item_id = now.item_id AND was.role_group = now.role_group AND was.survey_year = 2002
JOIN role_groups AS g ON g.role_group = now.role_group
LEFT JOIN change_tests AS t
  ON t.item_id = now.item_id AND t.role_group = now.role_group AND t.assumption = 'default'
WHERE now.survey_year = 2015
ORDER BY now.item_order, g.sort_order
