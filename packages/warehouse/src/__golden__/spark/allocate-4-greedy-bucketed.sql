-- allocate-4-greedy-bucketed (spark); parameters: [0.25,0.001,812,17.5,812,812]
WITH inc AS (
  SELECT unit, q, to_action, to_row, from_action, from_row, to_tv, to_cost, to_v, da, dv, slope, FLOOR((slope - CAST(? AS DOUBLE)) / CAST(? AS DOUBLE)) AS bk
  FROM `cia_wh_increments` WHERE q > 0
), brk AS (
  SELECT unit, q, to_action, to_row, from_action, from_row, to_tv, to_cost, to_v, da, dv, slope, SUM(da) OVER (ORDER BY slope DESC, unit, q ROWS UNBOUNDED PRECEDING) AS cum
  FROM inc WHERE bk = CAST(? AS DOUBLE)
), flagged AS (
  SELECT unit, q, to_action, to_row, from_action, from_row, to_tv, to_cost, to_v, da, dv, slope, CASE WHEN cum <= CAST(? AS DOUBLE) THEN 1 ELSE 0 END AS taken FROM brk
  UNION ALL SELECT unit, q, to_action, to_row, from_action, from_row, to_tv, to_cost, to_v, da, dv, slope, 1 AS taken FROM inc WHERE bk > CAST(? AS DOUBLE)
  UNION ALL SELECT unit, q, to_action, to_row, from_action, from_row, to_tv, to_cost, to_v, da, dv, slope, 0 AS taken FROM inc WHERE bk < CAST(? AS DOUBLE)
)
SELECT unit, q, to_action, to_row, from_action, from_row, to_tv, to_cost, to_v, da, dv, slope, taken, MAX(CASE WHEN taken = 1 THEN q ELSE 0 END) OVER (PARTITION BY unit) AS top_q
FROM flagged
