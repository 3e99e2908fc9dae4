-- allocate-5-break (spark); parameters: []
SELECT unit, q, da, dv, slope, from_action, to_action FROM `cia_wh_greedy`
WHERE taken = 0 ORDER BY slope DESC, unit, q LIMIT 1
