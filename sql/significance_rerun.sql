-- Do the report's significance markers survive a rerun of its tests on the recovered counts?
-- One row per 2015 item of Tables 2.1 to 2.7.
-- Columns: table_id, item_id, row_label; test (chi_squared, or fisher_exact where the report
-- marks '-'); printed_marker; p_min and p_max (derived: the p-value range over every feasible
-- combination of denominators); recomputed_markers (derived: the markers that range implies);
-- agrees (derived: whether the printed marker is among them).
SELECT
    s.table_id, s.item_id, s.item_wording AS row_label, s.test, s.printed_marker,
    s.derived_p_min AS p_min, s.derived_p_max AS p_max, s.derived_markers AS recomputed_markers,
    s.derived_agrees AS agrees
FROM significance_checks AS s
ORDER BY s.item_order
