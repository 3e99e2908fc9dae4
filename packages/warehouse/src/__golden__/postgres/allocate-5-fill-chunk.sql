-- allocate-5-fill-chunk (postgres); parameters: [3.5,1.25,1.25,7,7,1]
SELECT unit, q, da, top_q, slope FROM "cia_wh_greedy"
WHERE taken = 0 AND da <= CAST($1 AS DOUBLE PRECISION)
  AND (slope < CAST($2 AS DOUBLE PRECISION) OR (slope = CAST($3 AS DOUBLE PRECISION) AND (unit > $4 OR (unit = $5 AND q > $6))))
ORDER BY slope DESC, unit, q LIMIT 4096
