-- allocate-5-fill-chunk (spark); parameters: [3.5,120]
SELECT unit, q, da, top_q, rk FROM `cia_wh_greedy`
WHERE taken = 0 AND da <= CAST(? AS DOUBLE) AND rk > ?
ORDER BY rk LIMIT 4096
