-- lagrangian-4-repair-chunk (trino); parameters: [0.5,0.5,3]
SELECT unit, s, c0, c1 FROM "cia_lg_mu"
WHERE s > CAST(? AS DOUBLE) OR (s = CAST(? AS DOUBLE) AND unit > ?)
ORDER BY s, unit LIMIT 4096
