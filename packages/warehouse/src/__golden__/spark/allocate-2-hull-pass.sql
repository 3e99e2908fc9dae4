-- allocate-2-hull-pass (spark); parameters: []
WITH nb AS (
  SELECT unit, action, row_id, tv, a, v, origin, pos,
    LAG(a) OVER w AS pa, LAG(v) OVER w AS pv, LEAD(a) OVER w AS na, LEAD(v) OVER w AS nv
  FROM `cia_wh_hull_prev` WHERE vertex = 1 AND retest = 1
  WINDOW w AS (PARTITION BY unit ORDER BY pos)
), tested AS (
  SELECT unit, action, row_id, tv, a, v, origin, pos,
    CASE WHEN COALESCE(((a - pa) * (nv - pv) - (v - pv) * (na - pa)) > CAST(8.881784197001252e-16 AS DOUBLE) * (
        (ABS(a) + ABS(pa)) * ABS(nv - pv) + (ABS(nv) + ABS(pv)) * ABS(a - pa)
        + (ABS(v) + ABS(pv)) * ABS(na - pa) + (ABS(na) + ABS(pa)) * ABS(v - pv)), FALSE)
      THEN 0 ELSE 1 END AS vertex
  FROM nb
)
SELECT unit, action, row_id, tv, a, v, origin, pos, vertex,
  MIN(vertex) OVER (PARTITION BY unit) * -1 + 1 AS retest
FROM tested
UNION ALL
SELECT unit, action, row_id, tv, a, v, origin, pos, vertex, 0 AS retest FROM `cia_wh_hull_prev` WHERE vertex = 0 OR retest = 0
