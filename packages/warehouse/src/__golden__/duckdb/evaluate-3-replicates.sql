-- evaluate-3-replicates (duckdb); parameters: []
WITH reps AS (
  SELECT r, (r + 7) % 67108859 AS k0 FROM (SELECT CAST(range AS BIGINT) AS r FROM range(200)) s
), reps1 AS (
  SELECT r, ((k0 * k0 + k0 * 1000003 + 12345) % 67108859) AS k1 FROM reps
), pairs AS (
  SELECT reps1.r AS r, b.*, (reps1.k1 + b.bag) % 67108859 AS h1
  FROM reps1 CROSS JOIN "cia_wh_bags" b
), pairs2 AS (
  SELECT pairs.*, ((h1 * h1 + h1 * 1000003 + 12345) % 67108859) AS h2 FROM pairs
), pairs3 AS (
  SELECT pairs2.*, ((h2 * h2 + h2 * 1000003 + 12345) % 67108859) AS h3 FROM pairs2
), weighted AS (
  SELECT pairs3.*, CASE WHEN h3 >= 24687970 THEN 1 ELSE 0 END + CASE WHEN h3 >= 49375939 THEN 1 ELSE 0 END + CASE WHEN h3 >= 61719924 THEN 1 ELSE 0 END + CASE WHEN h3 >= 65834585 THEN 1 ELSE 0 END + CASE WHEN h3 >= 66863251 THEN 1 ELSE 0 END + CASE WHEN h3 >= 67068984 THEN 1 ELSE 0 END + CASE WHEN h3 >= 67103273 THEN 1 ELSE 0 END + CASE WHEN h3 >= 67108171 THEN 1 ELSE 0 END + CASE WHEN h3 >= 67108783 THEN 1 ELSE 0 END + CASE WHEN h3 >= 67108852 THEN 1 ELSE 0 END + CASE WHEN h3 >= 67108858 THEN 1 ELSE 0 END AS c FROM pairs3
)
SELECT r, SUM(c * n) AS total, SUM(c * "s_ips_v") AS "r_ips_v", SUM(c * "s_w") AS "r_w", SUM(c * "s_ips_c") AS "r_ips_c", SUM(c * "s_dr_v") AS "r_dr_v", SUM(c * "s_dr_c") AS "r_dr_c" FROM weighted GROUP BY r ORDER BY r
