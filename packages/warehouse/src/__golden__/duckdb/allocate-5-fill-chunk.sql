-- allocate-5-fill-chunk (duckdb); parameters: [3.5,120]
SELECT unit, q, da, top_q, rk FROM "cia_wh_greedy"
WHERE taken = 0 AND da <= CAST($1 AS DOUBLE) AND rk > $2
ORDER BY rk LIMIT 4096
