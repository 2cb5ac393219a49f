-- How far do clinical directors differ from the mean of the other three role groups, item by item?
-- One row per 2015 item of Tables 2.1 to 2.11, largest gap (either direction) first.
-- Columns: item_order; table_id, item_id, row_label; one column per role group (printed
-- percentages), clinical directors first; others_mean (derived: the unweighted mean of the other
-- three groups' percentages, one decimal); gap_points (derived: clinical_director minus
-- others_mean, in percentage points; negative where clinical directors agree less).
-- The role-group columns are generated from role_groups.
{%- set others = groups | rejectattr("role_group", "equalto", "clinical_director") | list %}
{%- set others_sum %}({% for g in others %}{{ g.role_group }}{{ " + " if not loop.last }}{% endfor %}){% endset %}
SELECT
    item_order, table_id, item_id, row_label, clinical_director,
    {% for g in others %}{{ g.role_group }}, {% endfor %}
    ROUND({{ others_sum }} / {{ others | length }}.0, 1) AS others_mean,
    ROUND(clinical_director - {{ others_sum }} / {{ others | length }}.0, 1) AS gap_points
FROM (
    SELECT
        r.item_order, r.table_id, r.item_id, r.item_wording AS row_label,
        {%- for g in groups %}
        MAX(CASE WHEN r.role_group = '{{ g.role_group }}' THEN r.percent END) AS {{ g.role_group }}{{ "," if not loop.last }}
        {%- endfor %}
    FROM survey_results AS r
    WHERE r.survey_year = 2015 AND r.printed_in = 'table'
    GROUP BY r.item_order, r.table_id, r.item_id, r.item_wording
) AS wide
ORDER BY ABS(clinical_director - {{ others_sum }} / {{ others | length }}.0) DESC, item_order
