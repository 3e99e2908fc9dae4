-- lagrangian-4-repair-chunk (duckdb); parameters: [0.5,0.5,3]
SELECT unit, s, c0, c1 FROM "cia_lg_mu"
WHERE s > CAST($1 AS DOUBLE) OR (s = CAST($2 AS DOUBLE) AND unit > $3)
ORDER BY s, unit LIMIT 4096
