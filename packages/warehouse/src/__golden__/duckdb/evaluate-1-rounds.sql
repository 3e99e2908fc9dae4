-- evaluate-1-rounds (duckdb); parameters: [50]
WITH lg AS (
  SELECT CAST("unit_id" AS BIGINT) AS unit, CAST("action" AS BIGINT) AS action,
    CAST("propensity" AS DOUBLE) AS p, CAST("value" AS DOUBLE) AS r, CAST("cost" AS DOUBLE) AS c
  FROM "analytics"."logged"
), pe AS (
  SELECT CAST("unit_id" AS BIGINT) AS unit, CAST("action" AS BIGINT) AS action, CAST("probability" AS DOUBLE) AS prob
  FROM "analytics"."assignment"
), pu AS (
  SELECT DISTINCT unit FROM pe
), q AS (
  SELECT CAST("unit_id" AS BIGINT) AS unit, CAST("action" AS BIGINT) AS action,
    CAST("q_value" AS DOUBLE) AS qv, CAST("q_cost" AS DOUBLE) AS qc
  FROM "analytics"."q_hat"
), dm AS (
  SELECT pe.unit AS unit, SUM(pe.prob * q.qv) / SUM(pe.prob) AS dm_v, SUM(pe.prob * q.qc) / SUM(pe.prob) AS dm_c,
    COUNT(q.unit) AS q_rows, COUNT(*) AS pe_rows
  FROM pe LEFT JOIN q ON q.unit = pe.unit AND q.action = pe.action GROUP BY pe.unit
), joined AS (
  SELECT lg.*, LEAST(COALESCE(pe.prob, 0) / lg.p, CAST($1 AS DOUBLE)) AS w, CASE WHEN pu.unit IS NULL THEN 0 ELSE 1 END AS has_policy, dm.dm_v AS dm_v, ql.qv AS ql_v, dm.dm_c AS dm_c, ql.qc AS ql_c, dm.q_rows - dm.pe_rows AS q_missing, ql.unit AS ql_unit,
    ((lg.unit % 67108859) + 67108859) % 67108859 AS h0
  FROM lg LEFT JOIN pe ON pe.unit = lg.unit AND pe.action = lg.action
    LEFT JOIN pu ON pu.unit = lg.unit LEFT JOIN dm ON dm.unit = lg.unit LEFT JOIN q ql ON ql.unit = lg.unit AND ql.action = lg.action
), hash1 AS (
  SELECT joined.*, ((h0 * h0 + h0 * 1000003 + 12345) % 67108859) AS h1 FROM joined
), hashed AS (
  SELECT hash1.*, ((h1 * h1 + h1 * 1000003 + 12345) % 67108859) % 100000 AS bag FROM hash1
)
SELECT unit, bag, w, w * r AS ips_v, w * c AS ips_c, dm_v + w * (r - ql_v) AS dr_v, dm_c + w * (c - ql_c) AS dr_c, CASE WHEN q_missing < 0 OR ql_unit IS NULL THEN 1 ELSE 0 END AS q_missing, p, has_policy FROM hashed
