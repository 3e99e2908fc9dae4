-- allocate-6-single-item (duckdb); parameters: [1000]
SELECT unit, row_id, gain FROM (
  SELECT p.unit AS unit, p.row_id AS row_id, p.action AS action, p.a AS a, p.v - COALESCE(b.to_v, 0) AS gain, p.a - COALESCE(b.to_cost, 0) AS da
  FROM "cia_wh_hull" p LEFT JOIN "cia_wh_increments" b ON b.unit = p.unit AND b.q = 0
  WHERE p.origin = 0
) s WHERE gain > 0 AND da <= CAST($1 AS DOUBLE)
ORDER BY gain DESC, unit, a, action, row_id LIMIT 1
