-- Tables 1.1 to 1.3 in their printed layout: how were respondents appointed, how much of their week
-- is clinical, and who took part in interviews? One row per printed row (a role), one column per
-- printed category, each cell as printed.
-- Columns: table_id; row_order; role (the printed row label); then one column per category of
-- Tables 1.1 and 1.2 (role_profile.category_id, in printed order); number (Table 1.3's interview
-- and focus group participants). Columns a table does not print are empty.
SELECT
    p.table_id,
    g.sort_order AS row_order,
    g.row_label AS role,
    {%- for c in categories %}
    MAX(CASE WHEN p.category_id = '{{ c.category_id }}' THEN p.cell_text END) AS {{ c.category_id }},
    {%- endfor %}
    NULL AS number
FROM role_profile AS p
JOIN role_groups AS g ON g.role_group = p.role_group
GROUP BY p.table_id, g.sort_order, g.row_label
UNION ALL
SELECT ip.table_id, g.sort_order, g.row_label,{% for c in categories %} NULL,{% endfor %}
       CAST(ip.participants AS VARCHAR)
FROM interview_participants AS ip
JOIN role_groups AS g ON g.role_group = ip.role_group
ORDER BY 1, 2
