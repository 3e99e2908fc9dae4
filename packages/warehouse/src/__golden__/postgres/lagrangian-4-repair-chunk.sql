-- lagrangian-4-repair-chunk (postgres); parameters: [0.5,0.5,3]
SELECT unit, s, c0, c1 FROM "cia_lg_mu"
WHERE s > CAST($1 AS DOUBLE PRECISION) OR (s = CAST($2 AS DOUBLE PRECISION) AND unit > $3)
ORDER BY s, unit LIMIT 4096
