-- How has each figure changed since the 2002 survey, by item and role group?
-- One row per item and role group for which the report prints both years: the '2002 figures' rows
-- of Table 2.1, and the 2002 figures its text gives for other items (taken in the item's own
-- direction: a text figure stated the other way round is turned into 100 minus it).
-- Columns: table_id, item_id, role_group; percent_2002 (printed, or derived for text figures
-- stated the other way round); percent_2015 (printed); change_points (derived: 2015 minus 2002);
-- source_2002 ('Table 2.1', or the text figure's figure_id). The report gives no 2002 group sizes,
-- so these changes cannot be tested for significance here.
SELECT
    now.table_id, now.item_id, now.role_group,
    was.percent AS percent_2002, now.percent AS percent_2015,
    now.percent - was.percent AS change_points,
    'Table 2.1' AS source_2002
FROM survey_results AS now
JOIN survey_results AS was
  ON was.item_id = now.item_id AND was.role_group = now.role_group AND was.survey_year = 2002
WHERE now.survey_year = 2015
UNION ALL
SELECT
    now.table_id, now.item_id, now.role_group,
    CAST(CASE WHEN f.compares_as = 'complement' THEN 100 - f.derived_value ELSE f.derived_value END AS INTEGER),
    now.percent,
    now.percent - CAST(CASE WHEN f.compares_as = 'complement' THEN 100 - f.derived_value ELSE f.derived_value END AS INTEGER),
    f.figure_id
FROM text_figures AS f
JOIN survey_results AS now
  ON now.item_id = f.item_id AND now.role_group = f.role_group AND now.survey_year = 2015
WHERE f.survey_year = 2002 AND f.table_id <> '2.1'
ORDER BY 1, 2, 3
