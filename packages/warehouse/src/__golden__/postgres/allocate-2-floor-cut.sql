-- allocate-2-floor-cut (postgres); parameters: [1.5]
WITH vx AS (
  SELECT unit, action, row_id, tv, a, v, origin, pos,
    CASE WHEN COALESCE((v - LAG(v) OVER w) < CAST($1 AS DOUBLE PRECISION) * (a - LAG(a) OVER w), FALSE) THEN 1 ELSE 0 END AS cut_here
  FROM "cia_wh_hull_prev" WHERE vertex = 1
  WINDOW w AS (PARTITION BY unit ORDER BY pos)
), cut AS (
  SELECT unit, action, row_id, tv, a, v, origin, pos,
    MAX(cut_here) OVER (PARTITION BY unit ORDER BY pos ROWS UNBOUNDED PRECEDING) AS below
  FROM vx
)
SELECT unit, action, row_id, tv, a, v, origin, pos, 1 - below AS vertex, 0 AS retest, below FROM cut
UNION ALL
SELECT unit, action, row_id, tv, a, v, origin, pos, vertex, retest, 0 AS below FROM "cia_wh_hull_prev" WHERE vertex = 0
