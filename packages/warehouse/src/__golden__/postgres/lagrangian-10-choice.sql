-- lagrangian-10-choice (postgres); parameters: []
SELECT k.unit AS unit, k.action AS action, k.row_id AS row_id, k.tv AS tv, k.a AS cost, k.v AS v
FROM "cia_lg_best" b JOIN "cia_lg_kept" k ON k.unit = b.unit AND k.pos = b.pos
