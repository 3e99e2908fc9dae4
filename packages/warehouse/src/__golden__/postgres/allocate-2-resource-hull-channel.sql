-- allocate-2-resource-hull-channel (postgres); parameters: []
WITH k AS (
  SELECT unit, action, row_id, tv, CASE WHEN ch = 1 THEN CAST(1 AS DOUBLE PRECISION) ELSE CAST(0 AS DOUBLE PRECISION) END AS a, h.a AS cost, v, ch
  FROM "cia_wh_hull" h WHERE vertex = 1 AND origin = 0
), o AS (
  SELECT unit, action, row_id, tv, a, cost, v, ch,
    ROW_NUMBER() OVER (PARTITION BY unit ORDER BY a, v DESC, cost, action, row_id) AS rn,
    MAX(v) OVER (PARTITION BY unit ORDER BY a, v DESC, cost, action, row_id
      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_best
  FROM k
)
SELECT unit, action, row_id, tv, a, cost, v, ch, 0 AS origin, pos, chain AS vertex, chain AS retest FROM (
  SELECT unit, action, row_id, tv, a, cost, v, ch, 2 * rn AS pos,
    CASE WHEN prev_best IS NULL OR v > prev_best THEN 1 ELSE 0 END AS chain
  FROM o
) c
UNION ALL
SELECT unit, 0 AS action, -1 AS row_id, CAST(0 AS DOUBLE PRECISION) AS tv, CAST(0 AS DOUBLE PRECISION) AS a, CAST(0 AS DOUBLE PRECISION) AS cost,
  CAST(0 AS DOUBLE PRECISION) AS v, CAST(-1 AS BIGINT) AS ch, 1 AS origin, CAST(1 AS BIGINT) AS pos, 1 AS vertex, 1 AS retest
FROM o GROUP BY unit HAVING MIN(a) > 0
