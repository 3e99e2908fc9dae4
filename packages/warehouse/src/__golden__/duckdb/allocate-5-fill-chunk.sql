-- allocate-5-fill-chunk (duckdb); parameters: [3.5,1.25,1.25,7,7,1]
SELECT unit, q, da, top_q, slope FROM "cia_wh_greedy"
WHERE taken = 0 AND da <= CAST($1 AS DOUBLE)
  AND (slope < CAST($2 AS DOUBLE) OR (slope = CAST($3 AS DOUBLE) AND (unit > $4 OR (unit = $5 AND q > $6))))
ORDER BY slope DESC, unit, q LIMIT 4096
