import { readFileSync } from "node:fs";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { describeFailure, EXIT_BAD_INPUT, EXIT_OK } from "./io/exit-code.js";
import { LIMITS } from "./io/limits.js";

/** Parse a number flag, with a usage error naming the flag. */
export function numberFlag(
  name: string,
  { min, integer, max }: { min?: number; integer?: boolean; max?: number } = {},
) {
  return (raw: string): number => {
    const x = Number(raw);
    if (raw.trim() === "" || !Number.isFinite(x))
      throw new InvalidArgumentError(`${name} must be a number, got '${raw}'`);
    if (integer && !Number.isInteger(x))
      throw new InvalidArgumentError(`${name} must be an integer, got '${raw}'`);
    if (min !== undefined && x < min)
      throw new InvalidArgumentError(`${name} must be >= ${min}, got '${raw}'`);
    if (max !== undefined && x > max)
      throw new InvalidArgumentError(`${name} must be at most ${max} (the CLI's limit), got '${raw}'`);
    return x;
  };
}

/**
 * Build the `cia` program. Handlers are imported lazily so `--help` stays instant.
 *
 * @example
 * await buildProgram().parseAsync(["node", "cia", "allocate", "--help"]);
 */
export function buildProgram(): Command {
  const program = new Command("cia")
    .description("Causal incentive allocation: identify, learn, decide, validate.")
    .version(runnerVersion(), "-V, --version", "print the version of cia")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) })
    .exitOverride();

  program
    .command("simulate")
    .description(
      "simulate a randomized experiment in a named world: decisions.jsonl, outcomes.jsonl, table.csv, truth.csv",
    )
    .option("--world <name>", "world: default, sparse-value, many-actions, interference, drift", "default")
    .option(
      "--units <n>",
      "number of units",
      numberFlag("--units", { min: 1, integer: true, max: LIMITS.units }),
      20_000,
    )
    .option("--seed <s>", "random seed", "1")
    .addOption(
      new Option("--design <design>", "assignment design")
        .choices(["uniform", "warm-start"])
        .default("warm-start"),
    )
    .addOption(
      new Option("--format <format>", "format of table.* and truth.* (the logs are JSONL)")
        .choices(["csv", "parquet"])
        .default("csv"),
    )
    .requiredOption("--out <dir>", "output directory")
    .action(async (opts) => (await import("./commands/simulate.js")).simulateCommand(opts));

  program
    .command("import")
    .description("import a real public dataset (hillstrom, ihdp) from CIA_DATA_DIR into the experiment table")
    .addOption(new Option("--dataset <name>", "dataset").choices(["hillstrom", "ihdp"]).makeOptionMandatory())
    .option("--data-dir <dir>", "shared data folder (default CIA_DATA_DIR, else ../shared/data)")
    .option(
      "--replication <r>",
      "IHDP replication 1..10",
      numberFlag("--replication", { min: 1, integer: true, max: 10 }),
      1,
    )
    .addOption(
      new Option("--split <split>", "rows of the dataset's fixed split")
        .choices(["train", "test", "all"])
        .default("all"),
    )
    .addOption(
      new Option("--outcome <col>", "Hillstrom outcome used as value")
        .choices(["spend", "conversion", "visit"])
        .default("spend"),
    )
    .option(
      "--cost-per-treated <c>",
      "Hillstrom: ASSUMED cost per e-mailed customer (the data have no cost), written as a cost column",
      numberFlag("--cost-per-treated", { min: 0 }),
    )
    .option(
      "--cost-share-of-value <r>",
      "Hillstrom: ASSUMED cost as a share of an e-mailed customer's value (a discount), added to --cost-per-treated",
      numberFlag("--cost-share-of-value", { min: 0 }),
    )
    .requiredOption("--out <file>", "experiment table (CSV or JSONL)")
    .action(async (opts) => (await import("./commands/import-dataset.js")).importCommand(opts));

  program
    .command("split")
    .description("a seeded holdout: split an experiment table into train and test rows, within each action")
    .requiredOption("--data <file>", "experiment table (CSV or JSONL)")
    .option(
      "--test-share <s>",
      "share of rows in the test table",
      numberFlag("--test-share", { min: 0 }),
      0.3,
    )
    .option("--stratify <column>", "split within each value of this column", "action")
    .option("--no-stratify", "split the rows as one group")
    .option("--seed <s>", "random seed", "1")
    .requiredOption("--train <file>", "training rows")
    .requiredOption("--test <file>", "holdout rows")
    .action(async (opts) => (await import("./commands/split.js")).splitCommand(opts));

  program
    .command("labels")
    .description("join decisions with outcome events into an experiment table for a learning horizon")
    .requiredOption("--decisions <file>", "decisions (JSONL or CSV)")
    .requiredOption("--outcomes <file>", "outcome events (JSONL or CSV)")
    .requiredOption(
      "--horizon-days <d>",
      "learning horizon in days",
      numberFlag("--horizon-days", { min: 0 }),
    )
    .option(
      "--as-of <time>",
      "evaluation time (ISO 8601); decisions whose horizon has not elapsed are excluded and counted",
    )
    .option("--rejects <file>", "quarantine invalid rows here instead of failing")
    .requiredOption("--out <file>", "experiment table (CSV)")
    .action(async (opts) => (await import("./commands/labels.js")).labelsCommand(opts));

  program
    .command("train")
    .description("train value and cost uplift heads and write one JSON model")
    .requiredOption("--data <file>", "experiment table (CSV or JSONL)")
    .requiredOption("--out <file>", "model JSON")
    .addOption(new Option("--learner <kind>", "meta-learner").choices(["x", "t", "s", "dr"]).default("x"))
    .addOption(new Option("--base <kind>", "base learner").choices(["gbdt", "ridge"]).default("gbdt"))
    .option(
      "--bootstraps <b>",
      "bootstrap resamples (0 = none)",
      numberFlag("--bootstraps", { min: 0, integer: true, max: LIMITS.modelBootstraps }),
      0,
    )
    .addOption(
      new Option("--propensity <source>", "logged propensity column or estimated")
        .choices(["column", "estimate"])
        .default("column"),
    )
    .option("--control <name>", "name of the no-offer action", "control")
    .option("--no-cost", "train the value head only")
    .option("--contract <file>", "feature contract JSON to use instead of inferring one")
    .option(
      "--segment <column>",
      "train one model per value of this column (lifecycle), with a pooled fallback",
    )
    .option("--seed <s>", "random seed", "1")
    .action(async (opts) => (await import("./commands/train.js")).trainCommand(opts));

  program
    .command("score")
    .description("score units with a trained model: tau_value, tau_cost (and intervals) per unit and action")
    .requiredOption("--model <file>", "model JSON from cia train")
    .requiredOption("--data <file>", "units (CSV or JSONL) with unit_id and the contract's features")
    .requiredOption("--out <file>", "scores CSV")
    .option("--report-only", "report contract violations in the summary instead of refusing")
    .action(async (opts) => (await import("./commands/score.js")).scoreCommand(opts));

  program
    .command("diagnose")
    .description(
      "calibration, ranking, stability, Qini/AUUC and cost curves on a holdout with logged propensities",
    )
    .requiredOption("--model <file>", "model JSON")
    .requiredOption("--data <file>", "holdout experiment table")
    .requiredOption("--out <file>", "diagnostics JSON")
    .option(
      "--bins <k>",
      "quantile bins",
      numberFlag("--bins", { min: 2, integer: true, max: LIMITS.bins }),
      10,
    )
    .action(async (opts) => (await import("./commands/diagnose.js")).diagnoseCommand(opts));

  program
    .command("allocate")
    .description("allocate at most one action per unit under a budget and guardrails")
    .option("--scores <file>", "scores CSV from cia score (or --engine with --table)")
    .requiredOption("--budget <b>", "budget on total incremental cost", numberFlag("--budget", { min: 0 }))
    .option(
      "--max-treated <n>",
      "maximum number of treated units",
      numberFlag("--max-treated", { min: 0, integer: true }),
    )
    .option(
      "--min-value-per-cost <r>",
      "marginal efficiency floor",
      numberFlag("--min-value-per-cost", { min: 0 }),
    )
    .option(
      "--max-cost-per-value <c>",
      "prune pairs whose cost per incremental value exceeds this",
      numberFlag("--max-cost-per-value", { min: 0 }),
    )
    .option(
      "--risk-z <z>",
      "allocate on tau_value_lower (or mean - z*se) instead of the mean",
      numberFlag("--risk-z", { min: 0 }),
    )
    .option("--control <name>", "name of the no-offer action", "control")
    .option(
      "--holdout <table>",
      "logged holdout (propensity, value, cost) the model did not train on: warn when the DR-estimated true spend exceeds the budget",
    )
    .option(
      "--holdout-scores <file>",
      "scores of the --holdout units by the same model (cia score on the holdout)",
    )
    .option(
      "--calibrate-spend",
      "with --holdout: hand the optimizer the budget whose DR-estimated true spend meets --budget",
    )
    .addOption(
      new Option(
        "--spend-criterion <c>",
        "how the DR spend estimate is read: interval (predicted clamped into it), point, upper",
      )
        .choices(["interval", "point", "upper"])
        .default("interval"),
    )
    .option(
      "--explore <eps>",
      "ship the allocation mixed with exploration: share eps over each unit's eligible actions (default 0.05 with --decisions-out; 0 = deterministic, no OPE of other policies)",
      numberFlag("--explore", { min: 0 }),
    )
    .option(
      "--floor <f>",
      "minimum probability of every eligible action (default eps / K)",
      numberFlag("--floor", { min: 0 }),
    )
    .option(
      "--control-floor <f>",
      "minimum probability of no offer where an offer is recommended: free exploration of the baseline (default 0.05; 0 with --explore 0)",
      numberFlag("--control-floor", { min: 0, max: 1 }),
    )
    .option("--salt <s>", "salt of the deterministic draws from unit id (default: the policy id)")
    .option(
      "--decisions-out <file>",
      "write the shipped decisions (logging schema, with propensities) as JSONL",
    )
    .option("--policy-id <id>", "policy id on the decisions", "cia-allocate")
    .option("--model-version <v>", "model version on the decisions (policy_version)")
    .option("--engine <name>", "run as SQL where the data lives: duckdb (embedded) or postgres")
    .option("--dsn <dsn>", "with --engine: the DuckDB database file, or the PostgreSQL connection string")
    .option("--table <name>", "with --engine: the scores table in the database, instead of --scores")
    .requiredOption("--out <file>", "assignment CSV (unit_id, action[, propensity, recommended])")
    .action(async (opts) => (await import("./commands/allocate.js")).allocateCommand(opts));

  program
    .command("loop")
    .description(
      "the production loop in a simulated world: deploy with exploration, respond, label, re-learn, evaluate, pace; loop.json and report.html",
    )
    .option("--world <name>", "world: default, sparse-value, many-actions, interference, drift", "drift")
    .option(
      "--periods <n>",
      "number of periods",
      numberFlag("--periods", { min: 1, integer: true, max: LIMITS.periods }),
      8,
    )
    .option(
      "--units <n>",
      "units per period",
      numberFlag("--units", { min: 100, integer: true, max: LIMITS.units }),
      10_000,
    )
    .option(
      "--pilot-units <n>",
      "units of the warm-start pilot before the loop",
      numberFlag("--pilot-units", { min: 100, integer: true, max: LIMITS.units }),
      20_000,
    )
    .option(
      "--explore <eps>",
      "exploration share of the deployed policy",
      numberFlag("--explore", { min: 0 }),
      0.025,
    )
    .option(
      "--floor <f>",
      "minimum probability of every action (default eps / K)",
      numberFlag("--floor", { min: 0 }),
    )
    .option(
      "--control-floor <f>",
      "minimum probability of no offer where an offer is recommended: free exploration of the baseline (default 0.05)",
      numberFlag("--control-floor", { min: 0, max: 1 }),
    )
    .addOption(
      new Option("--refit <when>", "re-fit when the drift checks flag, or every period with new labels")
        .choices(["drift", "always"])
        .default("drift"),
    )
    .option("--seed <s>", "random seed", "1")
    .requiredOption("--out <dir>", "output directory")
    .action(async (opts) => {
      await (await import("./commands/loop.js")).loopCommand(opts);
    });

  program
    .command("evaluate")
    .description(
      "off-policy evaluation (DM, IPS, SNIPS, DR, SNDR, Switch-DR) of an assignment on logged data",
    )
    .option("--data <file>", "logged experiment table with propensities (or --engine with --table)")
    .requiredOption("--policy <file>", "assignment CSV (unit_id, action[, probability])")
    .option("--model <file>", "model JSON for the reward model (DM/DR); without it a per-action mean is used")
    .option("--baseline <policy>", "baseline policy file, or 'control' for no-offer", "control")
    .option("--control <name>", "name of the no-offer action", "control")
    .option(
      "--bootstraps <b>",
      "bootstrap resamples for intervals",
      numberFlag("--bootstraps", { min: 0, integer: true, max: LIMITS.opeBootstraps }),
      1000,
    )
    .addOption(
      new Option(
        "--bootstrap-scheme <scheme>",
        "how resamples weight the rows: multinomial (one pass per resample), bagged (rows hashed to bags, summed once), auto (bagged from 1M rows)",
      )
        .choices(["auto", "multinomial", "bagged"])
        .default("auto"),
    )
    .option(
      "--bags <n>",
      "bags of the bagged bootstrap (default 10000 in process, 1000 with --engine; at most one per row)",
      numberFlag("--bags", { min: 1, integer: true, max: 10_000_000 }),
    )
    .option("--seed <s>", "random seed", "1")
    .option("--engine <name>", "run as SQL where the data lives: duckdb (embedded) or postgres")
    .option("--dsn <dsn>", "with --engine: the DuckDB database file, or the PostgreSQL connection string")
    .option("--table <name>", "with --engine: the logged table in the database, instead of --data")
    .requiredOption("--out <file>", "ope JSON")
    .action(async (opts) => (await import("./commands/evaluate.js")).evaluateCommand(opts));

  program
    .command("ledger")
    .description("build the offer ledger cia pace reads from the decision and outcome logs")
    .requiredOption("--decisions <file>", "decisions (JSONL or CSV)")
    .requiredOption(
      "--outcomes <file>",
      "outcome events (JSONL or CSV); cost events are matched by decision_id",
    )
    .option("--scores <file>", "scores from cia score: predicted_cost = tau_cost of the unit and offer")
    .option(
      "--predicted-cost <c>",
      "predicted cost of every offer (instead of --scores)",
      numberFlag("--predicted-cost", { min: 0 }),
    )
    .option(
      "--segment <feature>",
      "decision feature that names the pacing segment (default: one segment 'all')",
    )
    .option("--period-start <time>", "ISO 8601 time of day 0 (default: midnight UTC of the first decision)")
    .option("--control <name>", "name of the no-offer action", "control")
    .requiredOption("--out <file>", "ledger (CSV) for cia pace --history")
    .action(async (opts) => (await import("./commands/ledger.js")).ledgerCommand(opts));

  program
    .command("pace")
    .description(
      "today's budget: B_today = B_period - (spend to date + expected remaining liability), spread over the remaining days",
    )
    .requiredOption("--budget <b>", "period budget", numberFlag("--budget", { min: 0 }))
    .requiredOption(
      "--days <t>",
      "days in the period",
      numberFlag("--days", { min: 1, integer: true, max: LIMITS.days }),
    )
    .requiredOption(
      "--day <d>",
      "today (0-based day of the period)",
      numberFlag("--day", { min: 0, integer: true }),
    )
    .requiredOption(
      "--history <file>",
      "offer ledger (CSV/JSONL): assigned_at (days), segment, predicted_cost, redeemed_at (days, empty if not redeemed), realized_cost",
    )
    .option(
      "--period-start <t>",
      "start of the period on the ledger's day clock",
      numberFlag("--period-start"),
      0,
    )
    .option(
      "--horizon-days <h>",
      "redemptions count against the period of their assignment up to this many days",
      numberFlag("--horizon-days", { min: 0 }),
      14,
    )
    .option("--daily-cap <c>", "maximum budget for one day", numberFlag("--daily-cap", { min: 0 }))
    .requiredOption("--out <file>", "pacing JSON")
    .action(async (opts) => (await import("./commands/pace.js")).paceCommand(opts));

  program
    .command("deploy")
    .description(
      "batch step of an online policy: score units, solve lambda under the budget, write the policy bundle and the batch assignment",
    )
    .requiredOption("--model <file>", "model JSON from cia train")
    .requiredOption("--table <file>", "units (CSV or JSONL) with unit_id and the contract's features")
    .requiredOption(
      "--budget <b>",
      "budget on total incremental cost over the units",
      numberFlag("--budget", { min: 0 }),
    )
    .requiredOption("--out <dir>", "policy bundle directory (policy.json, model, contract)")
    .option("--assignment <file>", "batch assignment CSV (default <out>/assignment.csv)")
    .option("--explore <eps>", "exploration share in [0, 1]", numberFlag("--explore", { min: 0 }), 0)
    .option(
      "--floor <p>",
      "minimum probability of every eligible action",
      numberFlag("--floor", { min: 0 }),
      0,
    )
    .option("--salt <s>", "salt of the deterministic exploration draw (default the policy id)")
    .option("--policy-id <id>", "policy id logged with every decision", "cia-policy")
    .option("--policy-version <v>", "policy version logged with every decision", "1")
    .option("--model-version <v>", "model version (default the model file's sha256 prefix)")
    .option("--program <name>", "program logged with every decision (default the policy id)")
    .option("--surface <name>", "surface logged with every decision", "api")
    .option(
      "--actions <list>",
      "comma-separated actions the policy may choose (default all; no offer always)",
    )
    .option(
      "--daily-budget <b>",
      "today's budget of the live guard (default --budget)",
      numberFlag("--daily-budget", { min: 0 }),
    )
    .option("--no-hard-stop", "no hard stop when today's budget is spent")
    .option(
      "--pacing-eta <eta>",
      "lambda controller step (0 = fixed lambda)",
      numberFlag("--pacing-eta", { min: 0 }),
      0,
    )
    .option(
      "--pacing-scale <s>",
      "spend error scale of the controller (default daily budget / 24)",
      numberFlag("--pacing-scale", { min: 0 }),
    )
    .option("--lambda-max <l>", "upper bound of the live lambda", numberFlag("--lambda-max", { min: 0 }))
    .option(
      "--max-cost-per-value <c>",
      "prune pairs whose cost per incremental value exceeds this",
      numberFlag("--max-cost-per-value", { min: 0 }),
    )
    .option(
      "--min-value-per-cost <r>",
      "marginal efficiency floor",
      numberFlag("--min-value-per-cost", { min: 0 }),
    )
    .option("--risk-lower", "decide on the bootstrap lower bound of tau_value")
    .action(async (opts) => (await import("./commands/deploy.js")).deployCommand(opts));

  program
    .command("serve")
    .description("serve a policy bundle on 127.0.0.1: POST /decide, POST /spend, GET /health, GET /metrics")
    .requiredOption("--policy <dir>", "policy bundle directory from cia deploy")
    .requiredOption(
      "--port <n>",
      "port on 127.0.0.1 (0 = any free port)",
      numberFlag("--port", { min: 0, integer: true, max: 65_535 }),
    )
    .option("--log-dir <dir>", "decisions log directory (default <policy>/logs)")
    .option("--log-max-mb <mb>", "rotate the log at this size", numberFlag("--log-max-mb", { min: 0 }), 64)
    .option(
      "--log-max-age-s <s>",
      "rotate the log at this age",
      numberFlag("--log-max-age-s", { min: 1 }),
      3600,
    )
    .addOption(
      new Option(
        "--durability <mode>",
        "interval (default): answer after the decision's group commit reached the OS, fdatasync every --sync-interval-ms off the request path (survives kill -9; a power cut loses at most that interval and the sync in flight); fsync: answer after the group commit is fdatasync'ed (survives kill -9 and a power cut; each answer waits for the disk); write: answer after the write reached the OS, never fdatasync (the OS writes the page cache back; survives kill -9, not a power cut)",
      )
        .choices(["fsync", "interval", "write"])
        .default("interval"),
    )
    .option(
      "--sync-interval-ms <ms>",
      "interval mode: fdatasync the log this often while it has unsynced decisions (default 10)",
      numberFlag("--sync-interval-ms", { min: 1, max: 60_000 }),
    )
    .addOption(
      new Option(
        "--sync-on <where>",
        "fsync mode: run each group commit's fdatasync on the event loop (loop: no thread hand-offs, blocks the loop for the sync), on libuv's thread pool (pool: the loop goes on deciding), or on the loop while syncs are fast and on the pool while the disk is slow (default adaptive)",
      ).choices(["adaptive", "pool", "loop"]),
    )
    .option(
      "--slow-sync-ms <ms>",
      "fsync mode, --sync-on adaptive: a sync on the event loop slower than this moves the syncs to the thread pool for at least a second (default 3)",
      numberFlag("--slow-sync-ms", { min: 0 }),
    )
    .option(
      "--preallocate-bytes <n>",
      "fsync and interval modes: zero-fill each log file this far ahead of its records, so a sync commits no size change (0 = plain appends; default 8 MiB)",
      numberFlag("--preallocate-bytes", { min: 0, integer: true, max: 2 ** 30 }),
    )
    .option("--body-limit-kb <kb>", "largest request body", numberFlag("--body-limit-kb", { min: 1 }), 1024)
    .option(
      "--max-batch <n>",
      "largest batch of POST /decide",
      numberFlag("--max-batch", { min: 1, integer: true, max: LIMITS.maxBatch }),
      1000,
    )
    .action(async (opts) => (await import("./commands/serve.js")).serveCommand(opts));

  program
    .command("run")
    .description(
      "the end-to-end job, with report.html and report.json: on your data with --config, else on a simulated world",
    )
    .option(
      "--config <file>",
      "run on your data: a JSON config (docs/file-formats.md); typed flags override its keys",
    )
    .option(
      "--budget <b>",
      "with --config: total budget on incremental cost",
      numberFlag("--budget", { min: 0 }),
    )
    .option(
      "--sample <n>",
      "with --config: a seeded sample of this many rows",
      numberFlag("--sample", { min: 50, integer: true, max: LIMITS.sample }),
    )
    .option(
      "--ope-bootstraps <b>",
      "with --config: bootstrap resamples of the OPE intervals (default 500)",
      numberFlag("--ope-bootstraps", { min: 20, integer: true, max: LIMITS.opeBootstraps }),
    )
    .option("--world <name>", "world", "default")
    .option(
      "--units <n>",
      "units in the experiment",
      numberFlag("--units", { min: 100, integer: true, max: LIMITS.units }),
    )
    .option("--seed <s>", "random seed", "1")
    .option("--out <dir>", "output directory", "out/run")
    .option(
      "--bootstraps <b>",
      "bootstrap resamples of the uplift model",
      numberFlag("--bootstraps", { min: 0, integer: true, max: LIMITS.modelBootstraps }),
      4,
    )
    .addOption(new Option("--base <kind>", "base learner").choices(["gbdt", "ridge"]).default("gbdt"))
    .option(
      "--pacing-days <t>",
      "days in the paced period",
      numberFlag("--pacing-days", { min: 2, integer: true }),
      14,
    )
    .option("--quiet", "no progress bars")
    .action(async (opts, cmd) => {
      await (await import("./commands/run.js")).runCliCommand(opts, cmd);
    });

  markRequired(program);
  return program;
}

/** The package's version (package.json sits one level above both src/ and dist/). */
function runnerVersion(): string {
  try {
    return (
      JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
    ).version;
  } catch {
    return "unknown";
  }
}

/** Say "(required)" in --help for every mandatory option, of every command (added ones too). */
function markRequired(program: Command): void {
  for (const c of program.commands)
    for (const o of c.options)
      if (o.mandatory && !o.description.includes("(required)")) o.description = `${o.description} (required)`;
}

/**
 * Run the CLI and return the exit code (0 ok, 2 bad input or usage, 1 internal failure).
 *
 * @example
 * process.exitCode = await main(process.argv);
 */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === "commander.helpDisplayed" ||
        error.code === "commander.help" ||
        error.code === "commander.version"
      )
        return EXIT_OK;
      return error.exitCode === 0 ? EXIT_OK : EXIT_BAD_INPUT;
    }
    const { code, message } = describeFailure(error);
    process.stderr.write(`${message}\n`);
    return code;
  }
}
