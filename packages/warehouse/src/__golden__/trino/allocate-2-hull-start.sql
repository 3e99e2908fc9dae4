-- allocate-2-hull-start (trino); parameters: []
SELECT unit, action, row_id, tv, a, v, origin, pos, 1 AS vertex, 1 AS retest FROM "cia_wh_points" WHERE status = 0
