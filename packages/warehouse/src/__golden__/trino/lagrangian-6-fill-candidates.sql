-- lagrangian-6-fill-candidates (trino); parameters: [0.75,1.25,990,1000,200,200]
SELECT k.unit AS unit, k.pos AS pos, k.v AS v, k.c0, k.c1, ((k.v - CAST(? AS DOUBLE) * k.c0) - CAST(? AS DOUBLE) * k.c1) AS s,
  CASE WHEN cu.unit IS NULL THEN 0 ELSE 1 END AS has_cur, cu.pos AS cur_pos, cu.v AS cur_v, cu.c0 AS cur_c0, cu.c1 AS cur_c1
FROM "cia_lg_kept" k LEFT JOIN "cia_lg_cur" cu ON cu.unit = k.unit
WHERE (cu.unit IS NULL OR (cu.pos <> k.pos AND cu.v < k.v)) AND NOT ((k.c0 - COALESCE(cu.c0, CAST(0 AS DOUBLE))) > 0 AND CAST(? AS DOUBLE) + (k.c0 - COALESCE(cu.c0, CAST(0 AS DOUBLE))) > CAST(? AS DOUBLE)) AND NOT ((k.c1 - COALESCE(cu.c1, CAST(0 AS DOUBLE))) > 0 AND CAST(? AS DOUBLE) + (k.c1 - COALESCE(cu.c1, CAST(0 AS DOUBLE))) > CAST(? AS DOUBLE))
