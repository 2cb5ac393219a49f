-- Does the report's text bear out its own claims? Each distinct claim the text makes beyond a single
-- restated percentage, in the report's order and the project's words, with its verdict in words.
-- Columns: claim_order (the report's order); claim_id; claim (the project's words); sections (every
-- section that makes or restates it, the first first, '; ' between); cites (the table or box the report
-- cites); decided_by (the comparison); verdict (derived: holds, does not hold, depends on rounding or
-- denominators, holds in part, or cannot be decided from the printed figures); parts and parts_holding
-- (derived: the parts it was decided on, in claim_parts, and how many hold for every feasible value);
-- result (derived: the numbers that decided it); reason (why the printed figures cannot decide it).
SELECT
    c.claim_order, c.claim_id, c.claim,
    {%- for i in section_positions %}
    {% if not loop.first %}|| COALESCE('; ' || {% endif %}MAX(CASE WHEN s.position = {{ i }} THEN s.section END){% if not loop.first %}, ''){% endif %}
    {%- endfor %} AS sections,
    c.cites, c.comparison AS decided_by,
    CASE c.derived_verdict
    {%- for code, words in verdicts.items() %}
        WHEN '{{ code }}' THEN '{{ words }}'
    {%- endfor %}
    END AS verdict,
    c.derived_parts AS parts, c.derived_parts_holding AS parts_holding, c.derived_result AS result, c.reason
FROM claims AS c
JOIN claim_sections AS s ON s.claim_id = c.claim_id
GROUP BY c.claim_order, c.claim_id, c.claim, c.cites, c.comparison, c.derived_verdict, c.derived_parts,
    c.derived_parts_holding, c.derived_result, c.reason
ORDER BY c.claim_order
