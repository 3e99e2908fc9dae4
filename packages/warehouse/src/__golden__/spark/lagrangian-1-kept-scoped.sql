-- lagrangian-1-kept-scoped (spark); parameters: []
SELECT unit, pos, action, row_id, tv, a, v, a AS c0, CASE WHEN ch = 1 THEN CAST(1 AS DOUBLE) ELSE CAST(0 AS DOUBLE) END AS c1, CASE WHEN action = 2 THEN a ELSE CAST(0 AS DOUBLE) END AS c2 FROM `cia_wh_hull` WHERE vertex = 1 AND origin = 0
