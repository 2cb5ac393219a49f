-- How far do clinical directors differ from the other three role groups, item by item?
-- One row per 2015 item of Tables 2.1 to 2.11, largest gap (either direction) first.
-- Columns: table_id, item_id, row_label; clinical_director, chief_executive, medical_director,
-- directorate_manager (printed percentages); others_mean (derived: the unweighted mean of the other
-- three groups' percentages, one decimal); gap_points (derived: clinical_director minus
-- others_mean, in percentage points; negative where clinical directors agree less).
SELECT
    table_id, item_id, row_label, clinical_director, chief_executive, medical_director, directorate_manager,
    ROUND((chief_executive + medical_director + directorate_manager) / 3.0, 1) AS others_mean,
    ROUND(clinical_director - (chief_executive + medical_director + directorate_manager) / 3.0, 1) AS gap_points
FROM (
    SELECT
        r.table_id, r.item_id, i.row_label,
        MAX(CASE WHEN r.role_group = 'clinical_director' THEN r.percent END) AS clinical_director,
        MAX(CASE WHEN r.role_group = 'chief_executive' THEN r.percent END) AS chief_executive,
        MAX(CASE WHEN r.role_group = 'medical_director' THEN r.percent END) AS medical_director,
        MAX(CASE WHEN r.role_group = 'directorate_manager' THEN r.percent END) AS directorate_manager
    FROM survey_results AS r
    JOIN items AS i ON i.item_id = r.item_id
    WHERE r.survey_year = 2015 AND r.printed_in = 'table'
    GROUP BY r.table_id, r.item_id, i.row_label
) AS wide
ORDER BY ABS(clinical_director - (chief_executive + medical_director + directorate_manager) / 3.0) DESC, item_id
