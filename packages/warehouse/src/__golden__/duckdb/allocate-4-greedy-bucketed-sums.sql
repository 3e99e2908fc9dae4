-- allocate-4-greedy-bucketed-sums (duckdb); parameters: [0.25,0.001]
SELECT bk, COUNT(*) AS n, fsum(da) AS da FROM (
  SELECT FLOOR((slope - CAST($1 AS DOUBLE)) / CAST($2 AS DOUBLE)) AS bk, da
  FROM "cia_wh_increments" WHERE q > 0
) s GROUP BY bk ORDER BY bk DESC
