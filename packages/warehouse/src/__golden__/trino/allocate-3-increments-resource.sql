-- allocate-3-increments-resource (trino); parameters: []
WITH vx AS (
  SELECT unit, action, row_id, tv, a, v, origin, cost,
    LAG(a) OVER w AS fa, LAG(v) OVER w AS fv, LAG(action) OVER w AS faction,
    LAG(row_id) OVER w AS frow, LAG(origin) OVER w AS forigin,
    ROW_NUMBER() OVER w AS hq
  FROM "cia_wh_hull" WHERE vertex = 1
  WINDOW w AS (PARTITION BY unit ORDER BY pos)
), steps AS (
  SELECT unit, hq - 1 AS q, action AS to_action, row_id AS to_row,
    CASE WHEN hq = 1 THEN -1 WHEN forigin = 1 THEN 0 ELSE faction END AS from_action,
    CASE WHEN hq = 1 THEN -1 WHEN forigin = 1 THEN -1 ELSE frow END AS from_row,
    tv AS to_tv, cost AS to_cost, a AS to_a, v AS to_v,
    CASE WHEN hq = 1 THEN a ELSE a - fa END AS da,
    CASE WHEN hq = 1 THEN v ELSE v - fv END AS dv
  FROM vx WHERE NOT (hq = 1 AND origin = 1)
)
SELECT unit, q, to_action, to_row, from_action, from_row, to_tv, to_cost, to_a, to_v, da, dv,
  CASE WHEN q = 0 THEN NULL ELSE MIN(CASE WHEN q = 0 THEN NULL ELSE dv / da END)
    OVER (PARTITION BY unit ORDER BY q ROWS UNBOUNDED PRECEDING) END AS slope
FROM steps
