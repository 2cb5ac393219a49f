-- Tables 1.1 to 1.3 in their printed layout: how were respondents appointed, how much of their week
-- is clinical, and who took part in interviews? One row per printed row (a role), one column per
-- printed category, each cell as printed.
-- Columns: table_id; row_order; role (the printed row label); then for Table 1.1
-- headhunted_from_outside, headhunted_from_inside, applied_from_outside, applied_from_inside,
-- rotating_post, other; for Table 1.2 less_than_one_third, one_to_two_thirds,
-- greater_than_two_thirds, no_clinical_commitments; for Table 1.3 number (interview and focus
-- group participants). Columns a table does not print are empty.
SELECT
    p.table_id,
    g.sort_order AS row_order,
    g.row_label AS role,
    MAX(CASE WHEN p.category_id = 'headhunted_from_outside' THEN p.cell_text END) AS headhunted_from_outside,
    MAX(CASE WHEN p.category_id = 'headhunted_from_inside' THEN p.cell_text END) AS headhunted_from_inside,
    MAX(CASE WHEN p.category_id = 'applied_from_outside' THEN p.cell_text END) AS applied_from_outside,
    MAX(CASE WHEN p.category_id = 'applied_from_inside' THEN p.cell_text END) AS applied_from_inside,
    MAX(CASE WHEN p.category_id = 'rotating_post' THEN p.cell_text END) AS rotating_post,
    MAX(CASE WHEN p.category_id = 'other' THEN p.cell_text END) AS other,
    MAX(CASE WHEN p.category_id = 'less_than_one_third' THEN p.cell_text END) AS less_than_one_third,
    MAX(CASE WHEN p.category_id = 'one_to_two_thirds' THEN p.cell_text END) AS one_to_two_thirds,
    MAX(CASE WHEN p.category_id = 'greater_than_two_thirds' THEN p.cell_text END) AS greater_than_two_thirds,
    MAX(CASE WHEN p.category_id = 'no_clinical_commitments' THEN p.cell_text END) AS no_clinical_commitments,
    NULL AS number
FROM role_profile AS p
JOIN role_groups AS g ON g.role_group = p.role_group
GROUP BY p.table_id, g.sort_order, g.row_label
UNION ALL
SELECT ip.table_id, g.sort_order, g.row_label, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       CAST(ip.participants AS VARCHAR)
FROM interview_participants AS ip
JOIN role_groups AS g ON g.role_group = ip.role_group
ORDER BY 1, 2
