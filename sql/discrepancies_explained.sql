-- Which printed figures do not reconcile with the others, and why? The register of discrepancies
-- with the item's label and the rule's description.
-- Columns: discrepancy_id; rule; rule_description; table_id; item_id; row_label (empty for
-- figures of the text only); figure_id; role_group; printed; recomputed; explanation_class;
-- explanation; finding (derived_finding: what kind of finding); severity (derived_severity: how much
-- it matters), both in words.
SELECT
    d.discrepancy_id, d.rule, c.description AS rule_description, d.table_id, d.item_id, i.row_label,
    d.figure_id, d.role_group, d.printed, d.recomputed, d.explanation_class, d.explanation,
    replace(d.derived_finding, '_', ' ') AS finding, d.derived_severity AS severity
FROM discrepancies AS d
JOIN check_summary AS c ON c.rule = d.rule
LEFT JOIN items AS i ON i.item_id = d.item_id
ORDER BY d.discrepancy_id
