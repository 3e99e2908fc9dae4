-- allocate-4-greedy (trino); parameters: [1000]
WITH ordered AS (
  SELECT unit, q, to_action, to_row, from_action, from_row, to_tv, to_cost, to_v, da, dv, slope,
    SUM(da) OVER (ORDER BY slope DESC, unit, q ROWS UNBOUNDED PRECEDING) AS cum
  FROM "cia_wh_increments" WHERE q > 0
), flagged AS (
  SELECT unit, q, to_action, to_row, from_action, from_row, to_tv, to_cost, to_v, da, dv, slope,
    CASE WHEN cum <= CAST(? AS DOUBLE) THEN 1 ELSE 0 END AS taken
  FROM ordered
)
SELECT unit, q, to_action, to_row, from_action, from_row, to_tv, to_cost, to_v, da, dv, slope, taken,
  MAX(CASE WHEN taken = 1 THEN q ELSE 0 END) OVER (PARTITION BY unit) AS top_q
FROM flagged
