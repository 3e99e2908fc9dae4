-- allocate-4-greedy-bucketed-sums (postgres); parameters: [0.25,0.001]
SELECT bk, COUNT(*) AS n, CAST(SUM(CAST(da AS NUMERIC)) AS DOUBLE PRECISION) AS da FROM (
  SELECT FLOOR((slope - CAST($1 AS DOUBLE PRECISION)) / CAST($2 AS DOUBLE PRECISION)) AS bk, da
  FROM "cia_wh_increments" WHERE q > 0
) s GROUP BY bk ORDER BY bk DESC
