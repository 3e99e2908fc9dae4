-- lagrangian-9-single-item-scoped (duckdb); parameters: [1000,50,120]
SELECT unit, row_id, v FROM "cia_wh_hull" WHERE origin = 0 AND v > 0 AND vertex = 1 AND a <= CAST($1 AS DOUBLE) AND CASE WHEN ch = 1 THEN CAST(1 AS DOUBLE) ELSE CAST(0 AS DOUBLE) END <= CAST($2 AS DOUBLE) AND CASE WHEN action = 2 THEN a ELSE CAST(0 AS DOUBLE) END <= CAST($3 AS DOUBLE)
ORDER BY v DESC, unit, a, action, row_id LIMIT 1
