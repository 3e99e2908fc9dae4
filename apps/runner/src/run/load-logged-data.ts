import { join } from "node:path";
import { createRng } from "@cia/core";
import {
  buildHorizonTables,
  readDecisions,
  readExperimentTable,
  readOutcomeEvents,
  readTable,
  writeTable,
} from "@cia/logging-schema";
import type { Decision, ExperimentTable, LabelReport, OutcomeEvent } from "@cia/logging-schema";
import type { ResolvedRunConfig } from "../config/load-run-config.js";
import type { CostRule } from "../config/run-config-schema.js";
import { usageError } from "../io/usage-error.js";

/** The logged data of a config run, as one experiment table in the catalogue's action order. */
export interface LoggedData {
  /** The experiment table CIA learns from (also written to `out/table.csv`). */
  table: ExperimentTable;
  /** Action names, index 0 = no offer. */
  actions: string[];
  /** n x K logging probabilities when the design is known ("uniform"), else null. */
  loggingProbabilities: Float64Array | null;
  /** Label reports when the table was built from logs (learning and accounting horizons). */
  labels: { learning: LabelReport; accounting: LabelReport } | null;
  /** Rows read before the subsample (`data.sample`). */
  rowsRead: number;
  /** Human-readable assumptions the run made about the data (cost rule, design): printed on the report. */
  assumptions: string[];
}

const RESERVED = ["unit_id", "action", "propensity", "value", "cost"] as const;

/** The cost rule of an action: its own, else the config's default. */
function ruleOf(cfg: ResolvedRunConfig, action: string): CostRule | undefined {
  return cfg.actions?.find((a) => a.name === action)?.cost ?? cfg.cost;
}

/** The cost rules as a sentence for the report. */
function describeCostRules(cfg: ResolvedRunConfig, actions: string[]): string {
  const parts = actions.slice(1).map((a) => {
    const r = ruleOf(cfg, a);
    const bits = [
      r?.perTreated ? `${r.perTreated} per treated unit` : "",
      r?.shareOfValue ? `${(r.shareOfValue * 100).toFixed(1)}% of the unit's value` : "",
    ].filter(Boolean);
    return `${a}: ${bits.length ? bits.join(" + ") : "0"}`;
  });
  const sources = [
    ...new Set([cfg.cost?.source, ...(cfg.actions ?? []).map((a) => a.cost?.source)].filter(Boolean)),
  ];
  return `COST ASSUMPTION (the data have no cost column): cost of a treated unit = ${parts.join("; ")}; no offer costs 0.${sources.length ? ` Source: ${sources.map((x) => x!.replace(/[.\s]+$/, "")).join("; ")}.` : ""}`;
}

/**
 * Read a config run's data into one experiment table: a ready table (with optional column names,
 * a known uniform design in place of a propensity column, and a cost rule in place of a cost
 * column), or decisions and outcome events joined into labels over the learning horizon (value)
 * and the accounting horizon (cost). The normalized table is written to `out/table.csv`, so what
 * the model learned from is on disk. Bad input is a usage error naming the file, line and column.
 *
 * @example
 * const data = await loadLoggedData(cfg); data.table.n;
 */
export async function loadLoggedData(cfg: ResolvedRunConfig, stageDir = cfg.out): Promise<LoggedData> {
  const assumptions: string[] = [];
  let rows: Record<string, unknown>[];
  // Each row's line in the user's file (ready tables only), for messages.
  let lines: number[] | null = null;
  let labels: LoggedData["labels"] = null;
  let source: string;
  if (cfg.data.table !== undefined) {
    source = cfg.data.table;
    ({ rows, lines } = await readMappedTable(cfg, source));
  } else {
    source = cfg.data.decisions!;
    let censoredForCost: number;
    ({ rows, labels, censoredForCost } = await labelsFromLogs(cfg));
    if (censoredForCost > 0)
      assumptions.push(
        `${censoredForCost} decisions labelled for value but still open for cost (the accounting window had not closed by asOf) are left out, never costed 0.`,
      );
  }
  if (rows.length === 0) throw usageError(`${source}: no rows`);
  const rowsRead = rows.length;
  if (cfg.data.sample !== undefined && cfg.data.sample < rows.length) {
    const order = createRng(`${cfg.seed}/sample`).shuffle(
      Int32Array.from({ length: rows.length }, (_, i) => i),
    );
    const keep = Int32Array.from(order.subarray(0, cfg.data.sample)).sort();
    rows = Array.from(keep, (i) => rows[i]!);
    if (lines) {
      const all = lines;
      lines = Array.from(keep, (i) => all[i]!);
    }
    assumptions.push(`A seeded random sample of ${rows.length} of the ${rowsRead} rows (data.sample).`);
  }

  // The catalogue: the config's, else the data's actions with "control" (or the first seen) first.
  const seen = [...new Set(rows.map((r) => String(r.action)))];
  const actions = cfg.actions
    ? cfg.actions.map((a) => a.name)
    : [
        seen.includes("control") ? "control" : seen[0]!,
        ...seen.filter((a) => a !== "control").sort((a, b) => a.localeCompare(b, "en", { numeric: true })),
      ].filter((a, i, all) => all.indexOf(a) === i);
  const k = actions.length;

  // Cost: the data's column, else the rule (an assumption, stated on the report).
  // A cost column with a missing cell is an error the table reader reports (file, line, field);
  // the rule only stands in when the data have no cost at all.
  const hasCost = rows.some((r) => r.cost !== undefined && r.cost !== null);
  const anyRule = cfg.cost !== undefined || (cfg.actions ?? []).some((a) => a.cost !== undefined);
  if (!hasCost) {
    if (!anyRule)
      throw usageError(
        `${source}: no cost column: add a "cost" column, name yours with data.columns.cost, or state a cost rule ("cost": { "perTreated": 0.1, "shareOfValue": 0.05, "source": "..." }) in ${cfg.file}`,
      );
    for (const r of rows) {
      const a = String(r.action);
      const rule = a === actions[0] ? undefined : ruleOf(cfg, a);
      const v = typeof r.value === "number" ? r.value : Number.NaN;
      r.cost = rule ? (rule.perTreated ?? 0) + (rule.shareOfValue ?? 0) * Math.max(0, v) : 0;
    }
    assumptions.push(describeCostRules(cfg, actions));
  } else if (anyRule) {
    assumptions.push("The data have a cost column: the config's cost rule is not used.");
  }

  // Propensity: the data's column, else a declared uniform design.
  // As for cost: a propensity column with a gap is the reader's error, never filled in.
  const hasPropensity = rows.some((r) => r.propensity !== undefined && r.propensity !== null);
  // A gap in a column the data do have is named at its line in the user's file.
  for (const [field, has] of [
    ["cost", hasCost],
    ["propensity", hasPropensity],
    ["value", true],
  ] as const) {
    if (!has) continue;
    const gap = rows.find((r) => r[field] === undefined || r[field] === null);
    if (gap) {
      const name = cfg.data.columns?.[field] ?? field;
      const line = lines?.[rows.indexOf(gap)];
      const where = line !== undefined ? `${source}:${line}` : source;
      throw usageError(
        `${where}: ${name}: missing ${field} (every row needs one; fill it in, or drop the row from the file and say why)`,
      );
    }
  }
  let loggingProbabilities: Float64Array | null = null;
  if (cfg.data.design === "uniform") {
    if (!hasPropensity) for (const r of rows) r.propensity = 1 / k;
    assumptions.push(
      `Design: every unit had probability 1/${k} of each action (a balanced randomized test), as the config states.`,
    );
  } else if (!hasPropensity) {
    throw usageError(
      `${source}: no propensity column: off-policy evaluation needs the probability with which each logged action was chosen. Add a "propensity" column (name yours with data.columns.propensity), or set "design": "uniform" in ${cfg.file}'s data if every action had the same chance`,
    );
  }

  const featureColumns = Object.keys(rows[0]!).filter(
    (c) => !(RESERVED as readonly string[]).includes(c) && !(cfg.data.ignore ?? []).includes(c),
  );
  const features = cfg.data.features ?? featureColumns;
  // A named feature that is not a column is a mistake in the config, not in out/table.csv.
  cfg.data.features?.forEach((f, i) => {
    if (!featureColumns.includes(f))
      throw usageError(
        `${cfg.file}: data.features[${i}]: column '${f}' does not exist in ${source} (its feature columns: ${featureColumns.join(", ") || "none"})`,
      );
  });
  // Written to the run's staging folder (renamed into out/ with the other outputs at the end), but
  // named as out/table.csv in messages: that is where the user finds it.
  const tableFile = join(stageDir, "table.csv");
  const shownFile = join(cfg.out, "table.csv");
  await writeTable(
    tableFile,
    rows.map((r) => {
      const o: Record<string, unknown> = {};
      for (const c of RESERVED) o[c] = r[c];
      for (const f of features) o[f] = r[f];
      return o;
    }),
    { columns: [...RESERVED, ...features], format: "csv" },
  );
  let table: ExperimentTable;
  try {
    table = await readExperimentTable(tableFile, {
      require: ["action", "propensity", "value", "cost"],
      knownActions: actions,
    });
  } catch (e) {
    if (e instanceof Error) e.message = e.message.split(tableFile).join(shownFile);
    throw e;
  }
  table.file = shownFile;
  if (cfg.data.design === "uniform") loggingProbabilities = new Float64Array(table.n * k).fill(1 / k);
  return { table, actions, loggingProbabilities, labels, rowsRead, assumptions };
}

/** A ready table's rows with the reserved names, action names mapped to the catalogue's. */
async function readMappedTable(
  cfg: ResolvedRunConfig,
  file: string,
): Promise<{ rows: Record<string, unknown>[]; lines: number[] }> {
  const col = {
    unit_id: cfg.data.columns?.unit ?? "unit_id",
    action: cfg.data.columns?.action ?? "action",
    propensity: cfg.data.columns?.propensity ?? "propensity",
    value: cfg.data.columns?.value ?? "value",
    cost: cfg.data.columns?.cost ?? "cost",
  };
  const byLogged = new Map<string, string>();
  for (const a of cfg.actions ?? []) byLogged.set(a.logged ?? a.name, a.name);
  const source = new Set<string>(Object.values(col));
  const rows: Record<string, unknown>[] = [];
  const lines: number[] = [];
  let header: string[] | null = null;
  for await (const { record, line } of readTable(file, { stringColumns: [col.unit_id, col.action] })) {
    if (!header) {
      header = Object.keys(record);
      for (const need of ["action", "value"] as const)
        if (!header.includes(col[need]))
          throw usageError(
            `${file}: no '${col[need]}' column (the ${need}); name yours with data.columns.${need === "action" ? "action" : "value"} in ${cfg.file}`,
          );
    }
    const logged = String(record[col.action] ?? "");
    const action = cfg.actions ? byLogged.get(logged) : logged;
    if (!action)
      throw usageError(
        `${file}:${line}: ${col.action}: action '${logged}' is not in the config's actions (${[...byLogged.keys()].join(", ")}); add it to "actions" (with "logged": "${logged}") in ${cfg.file}`,
      );
    const r: Record<string, unknown> = {
      unit_id: header.includes(col.unit_id) ? record[col.unit_id] : `row${line}`,
      action,
      propensity: record[col.propensity],
      value: record[col.value],
      cost: record[col.cost],
    };
    for (const [k, v] of Object.entries(record)) if (!source.has(k)) r[k] = v;
    rows.push(r);
    lines.push(line);
  }
  return { rows, lines };
}

/** Labels from decisions and outcome events: value over the learning horizon, cost over the accounting horizon. */
async function labelsFromLogs(cfg: ResolvedRunConfig): Promise<{
  rows: Record<string, unknown>[];
  labels: { learning: LabelReport; accounting: LabelReport };
  censoredForCost: number;
}> {
  if (!cfg.horizons)
    throw usageError(
      `${cfg.file}: data from logs needs "horizons": { "learningDays": N, "accountingDays": M } (the label windows)`,
    );
  const decisions: Decision[] = [];
  for await (const { record } of readDecisions(cfg.data.decisions!)) decisions.push(record);
  const outcomes: OutcomeEvent[] = [];
  for await (const { record } of readOutcomeEvents(cfg.data.outcomes!)) outcomes.push(record);
  const learningDays = cfg.horizons.learningDays;
  const accountingDays = cfg.horizons.accountingDays ?? learningDays;
  let asOf = cfg.data.asOf;
  if (asOf === undefined) {
    let latest = 0;
    for (const d of decisions) latest = Math.max(latest, Date.parse(d.decision_time));
    asOf = new Date(latest + Math.max(learningDays, accountingDays) * 86_400_000 + 1).toISOString();
  }
  const { learning, accounting } = buildHorizonTables(decisions, outcomes, {
    learningHorizonDays: learningDays,
    accountingHorizonDays: accountingDays,
    asOf,
    includeIds: true,
  });
  const costById = new Map<string, number>();
  for (const r of accounting.rows) costById.set(String(r.decision_id), r.cost);
  // A decision labelled for value but censored for cost is dropped with a count, never costed 0.
  const rows: Record<string, unknown>[] = [];
  let censoredForCost = 0;
  for (const r of learning.rows) {
    const c = costById.get(String(r.decision_id));
    if (c === undefined) {
      censoredForCost++;
      continue;
    }
    const { decision_id: _d, decision_time: _t, ...rest } = r;
    rows.push({ ...rest, cost: c });
  }
  return { rows, labels: { learning: learning.report, accounting: accounting.report }, censoredForCost };
}
