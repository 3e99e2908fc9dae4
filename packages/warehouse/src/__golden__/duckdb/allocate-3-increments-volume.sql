-- allocate-3-increments-volume (duckdb); parameters: []
WITH last AS (
  SELECT unit, action, row_id, tv, a, v,
    ROW_NUMBER() OVER (PARTITION BY unit ORDER BY pos DESC) AS back
  FROM "cia_wh_hull" WHERE vertex = 1 AND origin = 0
)
SELECT unit, 1 AS q, action AS to_action, row_id AS to_row, 0 AS from_action, -1 AS from_row,
  tv AS to_tv, a AS to_cost, v AS to_v, CAST(1 AS DOUBLE) AS da, v AS dv, v AS slope
FROM last WHERE back = 1
