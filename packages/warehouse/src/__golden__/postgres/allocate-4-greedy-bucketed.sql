-- allocate-4-greedy-bucketed (postgres); parameters: [0.25,0.001,812,17.5,812,812]
WITH inc AS (
  SELECT unit, q, to_action, to_row, from_action, from_row, to_tv, to_cost, to_v, da, dv, slope, FLOOR((slope - CAST($1 AS DOUBLE PRECISION)) / CAST($2 AS DOUBLE PRECISION)) AS bk
  FROM "cia_wh_increments" WHERE q > 0
), brk AS (
  SELECT unit, q, to_action, to_row, from_action, from_row, to_tv, to_cost, to_v, da, dv, slope, SUM(da) OVER (ORDER BY slope DESC, unit, q ROWS UNBOUNDED PRECEDING) AS cum
  FROM inc WHERE bk = CAST($3 AS DOUBLE PRECISION)
), flagged AS (
  SELECT unit, q, to_action, to_row, from_action, from_row, to_tv, to_cost, to_v, da, dv, slope, CASE WHEN cum <= CAST($4 AS DOUBLE PRECISION) THEN 1 ELSE 0 END AS taken FROM brk
  UNION ALL SELECT unit, q, to_action, to_row, from_action, from_row, to_tv, to_cost, to_v, da, dv, slope, 1 AS taken FROM inc WHERE bk > CAST($5 AS DOUBLE PRECISION)
  UNION ALL SELECT unit, q, to_action, to_row, from_action, from_row, to_tv, to_cost, to_v, da, dv, slope, 0 AS taken FROM inc WHERE bk < CAST($6 AS DOUBLE PRECISION)
)
SELECT unit, q, to_action, to_row, from_action, from_row, to_tv, to_cost, to_v, da, dv, slope, taken, MAX(CASE WHEN taken = 1 THEN q ELSE 0 END) OVER (PARTITION BY unit) AS top_q
FROM flagged
