-- How precise is each 2015 percentage, and on how many answers does it rest?
-- One row per role-group and overall cell of Tables 2.1 to 2.11.
-- Columns: table_id, item_id, row_label, role_group, role_group_label; percent and count (printed; the overall
-- count is the sum of the groups'); denominator_min and denominator_max (derived: the implied
-- denominators, see cell_denominators and overall_bases); wilson_low and wilson_high (derived:
-- the 95% Wilson interval in percent, the envelope over the denominators); reconciles (derived:
-- whether the printed count and percentage agree over some denominator up to n; empty for the
-- overall column).
SELECT
    p.table_id, p.item_id, p.item_wording AS row_label, p.role_group, p.role_group_label, p.percent, p.count,
    p.derived_denominator_min AS denominator_min, p.derived_denominator_max AS denominator_max,
    p.derived_wilson_low AS wilson_low, p.derived_wilson_high AS wilson_high,
    c.derived_reconciles AS reconciles
FROM percent_intervals AS p
JOIN role_groups AS g ON g.role_group = p.role_group
LEFT JOIN cell_denominators AS c ON c.item_id = p.item_id AND c.role_group = p.role_group
ORDER BY p.item_order, g.sort_order
