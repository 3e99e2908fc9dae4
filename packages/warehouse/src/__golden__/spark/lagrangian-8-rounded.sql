-- lagrangian-8-rounded (spark); parameters: []
SELECT c.unit AS unit, c.pos AS pos FROM `cia_lg_cur` c
LEFT JOIN `cia_lg_fill` f ON f.unit = c.unit WHERE f.unit IS NULL
UNION ALL SELECT unit, pos FROM `cia_lg_fill`
