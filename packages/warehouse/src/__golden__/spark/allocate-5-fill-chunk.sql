-- allocate-5-fill-chunk (spark); parameters: [3.5,1.25,1.25,7,7,1]
SELECT unit, q, da, top_q, slope FROM `cia_wh_greedy`
WHERE taken = 0 AND da <= CAST(? AS DOUBLE)
  AND (slope < CAST(? AS DOUBLE) OR (slope = CAST(? AS DOUBLE) AND (unit > ? OR (unit = ? AND q > ?))))
ORDER BY slope DESC, unit, q LIMIT 4096
