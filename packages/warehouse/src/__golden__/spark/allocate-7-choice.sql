-- allocate-7-choice (spark); parameters: []
WITH tops AS (
  SELECT unit, MAX(q) AS q FROM (
    SELECT unit, q FROM `cia_wh_greedy` WHERE taken = 1
    UNION ALL SELECT unit, q FROM `cia_wh_fill`
    UNION ALL SELECT unit, q FROM `cia_wh_increments` WHERE q = 0
  ) t GROUP BY unit
)
SELECT i.unit AS unit, i.to_action AS action, i.to_row AS row_id, i.to_tv AS tv, i.to_cost AS cost, i.to_v AS v
FROM `cia_wh_increments` i JOIN tops ON i.unit = tops.unit AND i.q = tops.q
