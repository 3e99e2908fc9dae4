-- allocate-1-points-scoped (spark); parameters: []
WITH src AS (
  SELECT CAST(`unit` AS BIGINT) AS unit, CAST(`action` AS BIGINT) AS action, CAST(`row_id` AS BIGINT) AS row_id,
    CAST(`tau_value` AS DOUBLE) AS tv, CAST(`tau_cost` AS DOUBLE) AS a, CAST(`tau_value` AS DOUBLE) AS v, CAST(`eligible` AS BIGINT) AS el, CAST(`channel` AS BIGINT) AS ch
  FROM `analytics`.`scores`
), st AS (
  SELECT unit, action, row_id, tv, a, v, ch,
    CASE WHEN el = 0 THEN 1 WHEN NOT (v > 0) THEN 2 WHEN FALSE THEN 3 ELSE 0 END AS status
  FROM src
), ranked AS (
  SELECT unit, action, row_id, tv, a, v, status, ch,
    MAX(v) OVER (PARTITION BY unit, ch, CASE WHEN action IN (2, 3) THEN action ELSE 0 END ORDER BY a, v DESC, action, row_id
      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_best,
    MAX(v) OVER (PARTITION BY unit ORDER BY a, v DESC, action, row_id
      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_all,
    ROW_NUMBER() OVER (PARTITION BY unit ORDER BY a, v DESC, action, row_id) AS rn
  FROM st WHERE status = 0
), marked AS (
  SELECT unit, action, row_id, tv, a, v, status, 0 AS origin, CAST(NULL AS BIGINT) AS pos, ch, 0 AS chain
  FROM st WHERE status <> 0
  UNION ALL
  SELECT unit, action, row_id, tv, a, v,
    CASE WHEN prev_best IS NULL OR v > prev_best THEN 0 ELSE 4 END AS status, 0 AS origin, rn AS pos, ch,
    CASE WHEN prev_all IS NULL OR v > prev_all THEN 1 ELSE 0 END AS chain
  FROM ranked
)
SELECT unit, action, row_id, tv, a, v, status, origin, CASE WHEN status = 0 THEN pos END AS pos, ch, chain FROM marked
UNION ALL
SELECT unit, 0 AS action, -1 AS row_id, CAST(0 AS DOUBLE) AS tv, CAST(0 AS DOUBLE) AS a, CAST(0 AS DOUBLE) AS v,
  0 AS status, 1 AS origin, CAST(0 AS BIGINT) AS pos, CAST(-1 AS BIGINT) AS ch, 1 AS chain
FROM marked WHERE status = 0 GROUP BY unit HAVING MIN(a) > 0
