-- lagrangian-9-single-item-scoped (postgres); parameters: [1000,50,120]
SELECT unit, row_id, v FROM "cia_wh_hull" WHERE origin = 0 AND v > 0 AND vertex = 1 AND a <= CAST($1 AS DOUBLE PRECISION) AND CASE WHEN ch = 1 THEN CAST(1 AS DOUBLE PRECISION) ELSE CAST(0 AS DOUBLE PRECISION) END <= CAST($2 AS DOUBLE PRECISION) AND CASE WHEN action = 2 THEN a ELSE CAST(0 AS DOUBLE PRECISION) END <= CAST($3 AS DOUBLE PRECISION)
ORDER BY v DESC, unit, a, action, row_id LIMIT 1
