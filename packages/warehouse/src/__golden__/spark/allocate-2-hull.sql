-- allocate-2-hull (spark); parameters: []
WITH nb AS (
  SELECT unit, action, row_id, tv, a, v, origin, pos, LAG(a, 1) OVER w AS pa1, LAG(v, 1) OVER w AS pv1, LEAD(a, 1) OVER w AS na1, LEAD(v, 1) OVER w AS nv1,
    LAG(a, 2) OVER w AS pa2, LAG(v, 2) OVER w AS pv2, LEAD(a, 2) OVER w AS na2, LEAD(v, 2) OVER w AS nv2
  FROM `cia_wh_points` WHERE status = 0
  WINDOW w AS (PARTITION BY unit ORDER BY pos)
)
SELECT unit, action, row_id, tv, a, v, origin, pos,
  CASE WHEN COALESCE(((a - pa1) * (nv1 - pv1) - (v - pv1) * (na1 - pa1)) > CAST(8.881784197001252e-16 AS DOUBLE) * (
      (ABS(a) + ABS(pa1)) * ABS(nv1 - pv1) + (ABS(nv1) + ABS(pv1)) * ABS(a - pa1)
      + (ABS(v) + ABS(pv1)) * ABS(na1 - pa1) + (ABS(na1) + ABS(pa1)) * ABS(v - pv1)), FALSE)
    OR COALESCE(((a - pa1) * (nv2 - pv1) - (v - pv1) * (na2 - pa1)) > CAST(8.881784197001252e-16 AS DOUBLE) * (
      (ABS(a) + ABS(pa1)) * ABS(nv2 - pv1) + (ABS(nv2) + ABS(pv1)) * ABS(a - pa1)
      + (ABS(v) + ABS(pv1)) * ABS(na2 - pa1) + (ABS(na2) + ABS(pa1)) * ABS(v - pv1)), FALSE)
    OR COALESCE(((a - pa2) * (nv1 - pv2) - (v - pv2) * (na1 - pa2)) > CAST(8.881784197001252e-16 AS DOUBLE) * (
      (ABS(a) + ABS(pa2)) * ABS(nv1 - pv2) + (ABS(nv1) + ABS(pv2)) * ABS(a - pa2)
      + (ABS(v) + ABS(pv2)) * ABS(na1 - pa2) + (ABS(na1) + ABS(pa2)) * ABS(v - pv2)), FALSE)
    OR COALESCE(((a - pa2) * (nv2 - pv2) - (v - pv2) * (na2 - pa2)) > CAST(8.881784197001252e-16 AS DOUBLE) * (
      (ABS(a) + ABS(pa2)) * ABS(nv2 - pv2) + (ABS(nv2) + ABS(pv2)) * ABS(a - pa2)
      + (ABS(v) + ABS(pv2)) * ABS(na2 - pa2) + (ABS(na2) + ABS(pa2)) * ABS(v - pv2)), FALSE) THEN 0 ELSE 1 END AS vertex
FROM nb
