-- lagrangian-3-dual (trino); parameters: [0.75,1.25]
SELECT COALESCE(SUM(s), 0) AS total, COALESCE(SUM(c0), 0) AS u0, COALESCE(SUM(c1), 0) AS u1 FROM (SELECT unit, pos, v, s, c0, c1 FROM (
  SELECT unit, pos, v, s, c0, c1, ROW_NUMBER() OVER (PARTITION BY unit ORDER BY s DESC, pos) AS rk
  FROM (SELECT unit, pos, v, c0, c1, ((v - CAST(? AS DOUBLE) * c0) - CAST(? AS DOUBLE) * c1) AS s FROM "cia_lg_kept") x
  WHERE s > 0
) y WHERE rk = 1) b
