-- lagrangian-9-single-item (postgres); parameters: [1000,200]
SELECT unit, row_id, v FROM "cia_wh_hull" WHERE origin = 0 AND v > 0 AND a <= CAST($1 AS DOUBLE PRECISION) AND CAST(1 AS DOUBLE PRECISION) <= CAST($2 AS DOUBLE PRECISION)
ORDER BY v DESC, unit, a, action, row_id LIMIT 1
