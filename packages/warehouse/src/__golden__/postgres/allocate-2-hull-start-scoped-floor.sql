-- allocate-2-hull-start-scoped-floor (postgres); parameters: []
SELECT unit, action, row_id, tv, a, v, origin, pos, ch, chain AS vertex, chain AS retest FROM "cia_wh_points" WHERE status = 0
