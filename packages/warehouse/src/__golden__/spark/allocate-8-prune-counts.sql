-- allocate-8-prune-counts (spark); parameters: []
SELECT
  (SELECT COUNT(*) FROM `cia_wh_points` WHERE origin = 0) AS total,
  (SELECT COUNT(*) FROM `cia_wh_points` WHERE status = 1) AS ineligible,
  (SELECT COUNT(*) FROM `cia_wh_points` WHERE status = 2) AS non_positive_value,
  (SELECT COUNT(*) FROM `cia_wh_points` WHERE status = 3) AS cost_per_value_above_cap,
  (SELECT COUNT(*) FROM `cia_wh_points` WHERE status = 4) AS dominated,
  (SELECT COUNT(*) FROM `cia_wh_hull` WHERE origin = 0 AND vertex = 0) AS lp_dominated,
  (SELECT COUNT(*) FROM `cia_wh_hull` WHERE origin = 0 AND vertex = 1) AS kept,
  (SELECT MAX(v) FROM `cia_wh_hull` WHERE origin = 0 AND vertex = 1) AS vmax,
  (SELECT MAX(unit) FROM `cia_wh_points`) AS max_unit,
  (SELECT COUNT(*) FROM `cia_wh_points` WHERE origin = 0 AND status <> 1
    AND (ABS(tv) > CAST(1.7976931348623157e308 AS DOUBLE) OR ABS(a) > CAST(1.7976931348623157e308 AS DOUBLE) OR ABS(v) > CAST(1.7976931348623157e308 AS DOUBLE))) AS non_finite
