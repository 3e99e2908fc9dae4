-- lagrangian-7-fill-chunk (duckdb); parameters: [0.5,0.5,3,3,2]
SELECT unit, pos, v, s, has_cur, cur_v, c0, c1, cur_c0, cur_c1 FROM "cia_lg_cand"
WHERE s < CAST($1 AS DOUBLE) OR (s = CAST($2 AS DOUBLE) AND (unit > $3 OR (unit = $4 AND pos > $5)))
ORDER BY s DESC, unit, pos LIMIT 4096
