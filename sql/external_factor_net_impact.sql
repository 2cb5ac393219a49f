-- Which external factors did each role group see as more positive than negative for doctor-manager
-- relationships? Tables 2.9 (positive impact) and 2.10 (negative impact) joined by factor_id.
-- Columns: factor_id; row_label (the factor as printed); role_group; role_group_label; positive_percent and
-- negative_percent (printed: chose it as one of up to three positive, or negative, factors);
-- net_points (derived: positive minus negative, in percentage points). Ordered by role group,
-- then net impact, most positive first.
SELECT
    pos_i.factor_id, pos_i.row_label, pos.role_group, pos.role_group_label,
    pos.percent AS positive_percent, neg.percent AS negative_percent,
    pos.percent - neg.percent AS net_points
FROM items AS pos_i
JOIN items AS neg_i ON neg_i.factor_id = pos_i.factor_id AND neg_i.table_id = 'T2.10'
JOIN survey_results AS pos ON pos.item_id = pos_i.item_id AND pos.survey_year = 2015
JOIN survey_results AS neg ON neg.item_id = neg_i.item_id AND neg.role_group = pos.role_group
                          AND neg.survey_year = 2015
JOIN role_groups AS g ON g.role_group = pos.role_group
WHERE pos_i.table_id = 'T2.9'
ORDER BY g.sort_order, net_points DESC, pos_i.factor_id
