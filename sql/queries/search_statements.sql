-- Statements matching words you type: full-text search of the printed row labels of Tables 2.1 to
-- 2.11 (for example: doctors respected, or pressure), best match first, with the overall 2015 figure.
SELECT i.item_id, i.table_id, i.row_label, i.question_type, r.cell_text AS overall_2015
FROM items_fts
JOIN items AS i ON i.rowid = items_fts.rowid
JOIN survey_results AS r ON r.item_id = i.item_id AND r.role_group = 'all_respondents' AND r.survey_year = 2015
WHERE items_fts MATCH escape_fts(:words)
ORDER BY items_fts.rank, i.item_id
