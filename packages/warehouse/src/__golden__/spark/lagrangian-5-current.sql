-- lagrangian-5-current (spark); parameters: []
SELECT t.unit AS unit, t.pos AS pos, t.v AS v, t.c0, t.c1 FROM `cia_lg_mu` t
LEFT JOIN `cia_lg_drop` x ON x.unit = t.unit WHERE x.unit IS NULL
