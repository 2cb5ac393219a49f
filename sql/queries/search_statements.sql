-- Statements matching words you type: full-text search of the printed row labels of Tables 2.1 to
-- 2.11 (for example: doctors respected, or pressure), best match first, with the overall 2015 figure;
-- leave it empty for every statement in the report's order.
SELECT i.item_id, i.table_id, i.row_label, i.question_type, r.cell_text AS overall_2015
FROM items AS i
JOIN survey_results AS r ON r.item_id = i.item_id AND r.role_group = 'all_respondents' AND r.survey_year = 2015
WHERE trim(:words) = ''
   OR i.rowid IN (SELECT rowid FROM items_fts WHERE items_fts MATCH escape_fts(:words))
ORDER BY CASE WHEN trim(:words) = '' THEN 0
              ELSE (SELECT rank FROM items_fts WHERE items_fts MATCH escape_fts(:words) AND items_fts.rowid = i.rowid)
         END, i.item_order
