-- lagrangian-3-dual (duckdb); parameters: [0.75,1.25]
SELECT COALESCE(fsum(s), 0) AS total, COALESCE(fsum(c0), 0) AS u0, COALESCE(fsum(c1), 0) AS u1 FROM (SELECT unit, pos, v, s, c0, c1 FROM (
  SELECT unit, pos, v, s, c0, c1, ROW_NUMBER() OVER (PARTITION BY unit ORDER BY s DESC, pos) AS rk
  FROM (SELECT unit, pos, v, c0, c1, ((v - CAST($1 AS DOUBLE) * c0) - CAST($2 AS DOUBLE) * c1) AS s FROM "cia_lg_kept") x
  WHERE s > 0
) y WHERE rk = 1) b
