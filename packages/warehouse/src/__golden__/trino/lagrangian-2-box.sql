-- lagrangian-2-box (trino); parameters: [2.5]
SELECT MAX(CASE WHEN c0 > 0 THEN v / c0 END) AS x0, MAX(CASE WHEN c1 > 0 THEN (v + (CAST(0 AS DOUBLE) - CASE WHEN c0 < 0 THEN c0 * CAST(? AS DOUBLE) ELSE CAST(0 AS DOUBLE) END)) / c1 END) AS x1 FROM "cia_lg_kept"
