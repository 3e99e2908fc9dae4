-- allocate-4-greedy-bucketed-sums (trino); parameters: [0.25,0.001]
SELECT bk, COUNT(*) AS n, SUM(da) AS da FROM (
  SELECT FLOOR((slope - CAST(? AS DOUBLE)) / CAST(? AS DOUBLE)) AS bk, da
  FROM "cia_wh_increments" WHERE q > 0
) s GROUP BY bk ORDER BY bk DESC
