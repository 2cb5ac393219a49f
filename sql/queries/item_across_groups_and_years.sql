-- One item across role groups and years: for the item_id you choose (see the items table; leave it
-- empty for every item), every printed cell in 2015 and 2002, with the implied denominators and 95%
-- Wilson interval of each 2015 percentage, in the report's order.
SELECT r.item_id, r.item_wording, r.survey_year, r.role_group, r.role_group_label, r.percent, r.count,
       r.group_n, r.cell_text,
       p.derived_denominator_min AS denominator_min, p.derived_denominator_max AS denominator_max,
       p.derived_wilson_low AS wilson_low, p.derived_wilson_high AS wilson_high
FROM survey_results AS r
JOIN role_groups AS g ON g.role_group = r.role_group
LEFT JOIN percent_intervals AS p ON p.item_id = r.item_id AND p.role_group = r.role_group AND r.survey_year = 2015
WHERE trim(:item_id) = '' OR r.item_id = trim(:item_id)
ORDER BY r.item_order, r.survey_year DESC, g.sort_order
