-- allocate-8-prune-counts (trino); parameters: []
SELECT p.total AS total, p.ineligible AS ineligible, p.non_positive_value AS non_positive_value,
  p.cost_per_value_above_cap AS cost_per_value_above_cap, p.dominated AS dominated, p.non_finite AS non_finite,
  h.lp_dominated AS lp_dominated, h.kept AS kept, h.vmax AS vmax, h.below_floor AS below_floor
FROM (SELECT COALESCE(SUM(CASE WHEN origin = 0 THEN 1 ELSE 0 END), 0) AS total, COALESCE(SUM(CASE WHEN status = 1 THEN 1 ELSE 0 END), 0) AS ineligible,
    COALESCE(SUM(CASE WHEN status = 2 THEN 1 ELSE 0 END), 0) AS non_positive_value, COALESCE(SUM(CASE WHEN status = 3 THEN 1 ELSE 0 END), 0) AS cost_per_value_above_cap,
    COALESCE(SUM(CASE WHEN status = 4 THEN 1 ELSE 0 END), 0) AS dominated,
    COALESCE(SUM(CASE WHEN origin = 0 AND status <> 1 AND (ABS(tv) > CAST(1.7976931348623157e308 AS DOUBLE) OR ABS(a) > CAST(1.7976931348623157e308 AS DOUBLE) OR ABS(v) > CAST(1.7976931348623157e308 AS DOUBLE)) THEN 1 ELSE 0 END), 0) AS non_finite
  FROM "cia_wh_points") p
CROSS JOIN (SELECT COALESCE(SUM(CASE WHEN origin = 0 AND vertex = 0 THEN 1 ELSE 0 END), 0) AS lp_dominated,
    COALESCE(SUM(CASE WHEN origin = 0 AND vertex = 1 THEN 1 ELSE 0 END), 0) AS kept,
    0 AS below_floor,
    MAX(CASE WHEN origin = 0 AND vertex = 1 THEN v END) AS vmax
  FROM "cia_wh_hull") h
