-- lagrangian-1-kept (duckdb); parameters: []
SELECT unit, pos, action, row_id, tv, a, v, a AS c0, CAST(1 AS DOUBLE) AS c1 FROM "cia_wh_hull" WHERE vertex = 1 AND origin = 0
