-- lagrangian-7-fill-chunk (trino); parameters: [0.5,0.5,3,3,2]
SELECT unit, pos, v, s, has_cur, cur_v, c0, c1, cur_c0, cur_c1 FROM "cia_lg_cand"
WHERE s < CAST(? AS DOUBLE) OR (s = CAST(? AS DOUBLE) AND (unit > ? OR (unit = ? AND pos > ?)))
ORDER BY s DESC, unit, pos LIMIT 4096
