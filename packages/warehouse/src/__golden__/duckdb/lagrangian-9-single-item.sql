-- lagrangian-9-single-item (duckdb); parameters: [1000,200]
SELECT unit, row_id, v FROM "cia_wh_hull" WHERE origin = 0 AND v > 0 AND a <= CAST($1 AS DOUBLE) AND CAST(1 AS DOUBLE) <= CAST($2 AS DOUBLE)
ORDER BY v DESC, unit, a, action, row_id LIMIT 1
