-- lagrangian-3-dual (postgres); parameters: [0.75,1.25]
SELECT COALESCE(CAST(SUM(CAST(s AS NUMERIC)) AS DOUBLE PRECISION), 0) AS total, COALESCE(CAST(SUM(CAST(c0 AS NUMERIC)) AS DOUBLE PRECISION), 0) AS u0, COALESCE(CAST(SUM(CAST(c1 AS NUMERIC)) AS DOUBLE PRECISION), 0) AS u1 FROM (SELECT unit, pos, v, s, c0, c1 FROM (
  SELECT unit, pos, v, s, c0, c1, ROW_NUMBER() OVER (PARTITION BY unit ORDER BY s DESC, pos) AS rk
  FROM (SELECT unit, pos, v, c0, c1, ((v - CAST($1 AS DOUBLE PRECISION) * c0) - CAST($2 AS DOUBLE PRECISION) * c1) AS s FROM "cia_lg_kept") x
  WHERE s > 0
) y WHERE rk = 1) b
