import { randomUUID } from "node:crypto";
import { CiaError } from "@cia/core";
import type { Decision } from "@cia/logging-schema";
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from "fastify";
import { BudgetGuard } from "./budget-guard.js";
import { type RequestIssue, parseDecideBody } from "./decide-request.js";
import { DecisionBatcher } from "./decision-batcher.js";
import type { DecisionLog } from "./decision-log.js";
import type { DecisionRule } from "./decision-rule.js";
import type { ServeRequestErrorCode } from "./error-codes.js";
import type { PolicyBundle } from "./load-policy-bundle.js";
import { type ServeMetrics, createServeMetrics } from "./serve-metrics.js";

/** Options of {@link createPolicyServer}. */
export interface PolicyServerOptions {
  bundle: PolicyBundle;
  /** The open decisions log every decision is appended to before it is answered. */
  log: DecisionLog;
  /** The live budget guard. Default: from the manifest's lambda, daily budget and pacing. */
  guard?: BudgetGuard | undefined;
  /** Largest request body in bytes (larger: 413). Default 1 MiB. */
  bodyLimit?: number | undefined;
  /** Largest batch of `POST /decide { "requests": [...] }`. Default 1000. */
  maxBatch?: number | undefined;
  /** Clock (ms) for decision times. Default `Date.now`. */
  now?: (() => number) | undefined;
  /** Decision ids. Default `crypto.randomUUID`. */
  decisionId?: (() => string) | undefined;
}

/** A decision as `POST /decide` answers it. */
export interface DecideResponse {
  decision_id: string;
  action: string;
  propensity: number;
  policy_id: string;
  model_version: string;
}

/** A server built by {@link createPolicyServer}. */
export interface PolicyServer {
  app: FastifyInstance;
  metrics: ServeMetrics;
  guard: BudgetGuard;
  /** Listen on 127.0.0.1 (only): port 0 picks a free port. */
  listen(port: number): Promise<{ host: string; port: number; url: string }>;
  /** Graceful shutdown: stop accepting, let in-flight requests finish, then flush and close the log. */
  close(): Promise<void>;
}

const HOST = "127.0.0.1";

/** Marks a body the JSON parser refused (answered as a 4xx by the preValidation hook). */
const REJECTED = Symbol("rejected body");

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * The online decision service of a policy bundle (fastify, bound to 127.0.0.1):
 *
 * - `POST /decide` `{ "unit_id", "features": {...}, "eligible_actions"? }`, or a batch
 *   `{ "requests": [...] }`: validates the features with the model's feature contract (the
 *   transform of training and batch scoring), applies the bundle's rule ({@link decideTable}) at
 *   the live lambda, appends every decision to the log and waits until it is durable, then answers
 *   `{ decision_id, action, propensity, policy_id, model_version }` (a batch: `{ decisions: [...] }`).
 *   A contract violation is a 400 naming the item, the field and the reason, counted by feature and
 *   code; a batch with any bad item is refused whole (nothing logged).
 * - `POST /spend` `{ "spend", "target"?, "today_budget"? }`: a realized-spend report for the
 *   {@link BudgetGuard} (lambda controller step, hard stop when today's budget is spent).
 * - `GET /health`, `GET /metrics` (Prometheus text format).
 *
 * @example
 * const log = await DecisionLog.open({ dir: "deploy/logs" });
 * const server = await createPolicyServer({ bundle: loadPolicyBundle("deploy"), log });
 * const { url } = await server.listen(8080);
 */
export async function createPolicyServer(options: PolicyServerOptions): Promise<PolicyServer> {
  const { bundle, log } = options;
  const m = bundle.manifest;
  const model = bundle.model;
  const actions = model.file.actions;
  const k = actions.length;
  const now = options.now ?? Date.now;
  const newId = options.decisionId ?? randomUUID;
  const guard =
    options.guard ??
    new BudgetGuard({
      lambda: m.lambda,
      dailyBudget: m.budget.daily,
      pacing: { eta: m.pacing.eta, scale: m.pacing.scale, lambdaMax: m.pacing.lambda_max },
      now,
    });
  const rule: DecisionRule = {
    model,
    enabled: bundle.enabled,
    guardrails: m.guardrails,
    exploration: m.exploration,
  };
  const contractFeatures = model.file.contract.features.map((f) => f.name);
  const segment = model.file.segment?.column;
  const requiredFeatures = segment ? [...contractFeatures, segment] : contractFeatures;
  const spec = {
    requiredFeatures,
    actions,
    maxBatch: options.maxBatch ?? 1000,
    maxUnitIdLength: 256,
  };
  const explores = m.exploration.epsilon > 0 || m.exploration.floor > 0;
  const metrics = createServeMetrics({
    lambda: () => guard.lambda,
    spentToday: () => guard.state.spent_today,
    budgetToday: () => guard.state.budget_today,
    hardStop: () => guard.stopped,
    logPending: () => log.stats.pending,
    logRecords: () => log.stats.records,
    logSyncedRecords: () => log.stats.syncedRecords,
    logPoolSyncs: () => log.stats.poolSyncs,
    logSyncMoves: () => log.stats.syncMoves,
  });

  // In `interval` mode the group commits do not sync; the background syncs are what `logSync` times.
  const perGroupSync = log.settings.durability !== "interval";
  log.observeCommits((c) => {
    if (perGroupSync) metrics.logSync.observe(c.syncMs / 1000);
    metrics.logGroup.observe(c.records);
  });
  log.observeSyncs((s) => {
    metrics.logSync.observe(s.syncMs / 1000);
    metrics.logSyncLag.observe(s.lagMs / 1000);
  });

  const bodyLimit = options.bodyLimit ?? 2 ** 20;
  const app = Fastify({
    logger: false,
    bodyLimit,
    // Idle keep-alive connections are closed at shutdown; requests in flight are let finish.
    forceCloseConnections: "idle",
    return503OnClosing: true,
  });

  // JSON only (anything else: 415). A body over the limit is read to its end and discarded (up to
  // `drainLimit`), and a body that is not JSON is read whole, so the 4xx goes out on a connection
  // that stays usable: a parser error would make fastify close it, and closing a socket with
  // unread data resets the connection before the client reads the answer.
  const drainLimit = Math.max(8 * 2 ** 20, 4 * bodyLimit);
  const parseJson = app.getDefaultJsonParser("error", "error");
  const tooLarge = () =>
    Object.assign(new Error(`the body is larger than ${bodyLimit} bytes`), {
      statusCode: 413,
      code: "FST_ERR_CTP_BODY_TOO_LARGE",
    });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { bodyLimit: drainLimit }, (req, payload, done) => {
    if (Number(req.headers["content-length"]) > drainLimit) return done(tooLarge(), undefined);
    const chunks: Buffer[] = [];
    let size = 0;
    let finished = false;
    const finish = (err: Error | null, body?: unknown) => {
      if (finished) return;
      finished = true;
      if (err && size <= drainLimit) done(null, { [REJECTED]: err });
      else done(err, body);
    };
    payload.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > drainLimit) {
        finish(tooLarge());
        payload.destroy();
      } else if (size <= bodyLimit) chunks.push(chunk);
    });
    payload.on("end", () => {
      if (size > bodyLimit) return finish(tooLarge());
      parseJson(req, Buffer.concat(chunks).toString("utf8"), (err, body) => finish(err, body));
    });
    payload.on("error", (err) => finish(err));
  });
  app.addHook("preValidation", async (req, reply) => {
    const b = req.body as Record<symbol, unknown> | undefined;
    if (typeof b === "object" && b !== null && REJECTED in b) {
      const err = b[REJECTED] as FastifyError;
      const big = err.code === "FST_ERR_CTP_BODY_TOO_LARGE";
      return fail(reply, big ? 413 : 400, big ? "payload_too_large" : "bad_json", err.message);
    }
  });

  // Label children are bound once per label set: prom-client's `inc(labels)` / `observe(labels)`
  // hash the label object on every call, and these run for every request. The latency is
  // fastify's own clock (`reply.elapsedTime`, from routing to the response's end), so no hook
  // runs at the request's start. A callback-style hook: an async one costs a promise and a
  // microtask hop per request.
  const latencyOf = new Map<string, ReturnType<ServeMetrics["latency"]["labels"]>>();
  const requestsOf = new Map<string, ReturnType<ServeMetrics["requests"]["labels"]>>();
  app.addHook("onResponse", (req, reply, done) => {
    const route = req.routeOptions.url ?? "unmatched";
    let lat = latencyOf.get(route);
    if (lat === undefined) latencyOf.set(route, (lat = metrics.latency.labels(route)));
    lat.observe(reply.elapsedTime / 1000);
    const status = reply.statusCode;
    const key = `${status} ${route}`;
    let counter = requestsOf.get(key);
    if (counter === undefined)
      requestsOf.set(key, (counter = metrics.requests.labels(route, String(status))));
    counter.inc();
    done();
  });

  const fail = (
    reply: FastifyReply,
    status: number,
    error: ServeRequestErrorCode,
    message: string,
    issues?: RequestIssue[],
  ) => {
    metrics.errors.inc({ reason: error });
    return reply.code(status).send(issues ? { error, message, issues } : { error, message });
  };

  app.setErrorHandler((err: FastifyError, _req, reply) => {
    const code = err.code;
    if (code === "FST_ERR_CTP_BODY_TOO_LARGE") return fail(reply, 413, "payload_too_large", err.message);
    if (code === "FST_ERR_CTP_INVALID_MEDIA_TYPE")
      return fail(reply, 415, "unsupported_media_type", "send the body as application/json");
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const json =
        code === "FST_ERR_CTP_INVALID_JSON_BODY" ||
        code === "FST_ERR_CTP_EMPTY_JSON_BODY" ||
        err instanceof SyntaxError;
      return fail(reply, status, json ? "bad_json" : "invalid_request", err.message);
    }
    if (CiaError.isInstance(err) && err.code === "log_failure")
      return fail(reply, 503, "log_failure", "the decisions log cannot be written; no decision was made");
    return fail(reply, 500, "internal", "internal error");
  });
  app.setNotFoundHandler((req, reply) => fail(reply, 404, "not_found", `no route ${req.method} ${req.url}`));

  const batcher = new DecisionBatcher(rule, requiredFeatures, k, {
    lambda: () => guard.lambda,
    stopped: () => guard.stopped,
  });

  // Indexed by action * 2 + explored.
  const decisionsOf = actions.flatMap((a) => [
    metrics.decisions.labels(a, "false"),
    metrics.decisions.labels(a, "true"),
  ]);

  app.post("/decide", async (req, reply) => {
    const parsed = parseDecideBody(req.body, spec);
    if (!parsed.ok)
      return fail(reply, 400, "invalid_request", "the request is not a decide request", parsed.issues);
    const { items } = parsed;
    const share = await batcher.decide(items);
    if (!share.ok) {
      const issues: RequestIssue[] = share.issues.map((is) => {
        const [where, index, feature] = is.path;
        const name = String(where === "row" ? feature : index);
        metrics.violations.inc({ feature: name, code: is.code });
        const out: RequestIssue = { field: `features.${name}`, code: is.code, message: is.message };
        if (parsed.batch && where === "row") out.index = Number(index);
        return out;
      });
      return fail(
        reply,
        400,
        "contract_violation",
        `${share.issueCount} feature contract violation(s)`,
        issues,
      );
    }
    const { decisions: d, offset, stopped } = share;
    const time = new Date(now()).toISOString();
    const records: Decision[] = new Array(items.length);
    const out: DecideResponse[] = new Array(items.length);
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      const eligible: string[] = [];
      const probs: Record<string, number> = {};
      const r = offset + i;
      for (let a = 0; a < k; a++) {
        if (d.eligible[r * k + a] !== 1) continue;
        eligible.push(actions[a]!);
        probs[actions[a]!] = d.probabilities[r * k + a]!;
      }
      const features: Record<string, number | string | boolean | null> = {};
      for (const f of requiredFeatures) features[f] = item.features[f] as number | string | boolean | null;
      const id = newId();
      const action = actions[d.action[r]!]!;
      records[i] = {
        schema_version: 1,
        decision_id: id,
        unit_id: item.unit_id,
        program: m.program,
        surface: m.surface,
        policy_id: m.policy_id,
        policy_version: m.policy_version,
        decision_time: time,
        eligible_actions: eligible,
        action,
        propensity: d.propensity[r]!,
        action_probabilities: probs,
        design: explores && !stopped ? "policy" : "greedy",
        salt: m.exploration.salt,
        features,
        feature_contract_hash: model.file.contract_hash,
      };
      out[i] = {
        decision_id: id,
        action,
        propensity: d.propensity[r]!,
        policy_id: m.policy_id,
        model_version: m.model_version,
      };
    }
    // Durable before acknowledged: the answer waits for the group commit holding these records.
    await log.append(records);
    for (let i = 0; i < items.length; i++) {
      const explored = d.action[offset + i] !== d.recommended[offset + i] ? 1 : 0;
      decisionsOf[d.action[offset + i]! * 2 + explored]!.inc();
    }
    return parsed.batch ? { decisions: out } : out[0];
  });

  app.post("/spend", async (req, reply) => {
    const b = req.body;
    const issues: RequestIssue[] = [];
    const num = (name: string, required: boolean): number | undefined => {
      const v = isPlainObject(b) ? b[name] : undefined;
      if (v === undefined && !required) return undefined;
      if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
        issues.push({
          field: name,
          code: v === undefined ? "missing_field" : "invalid_value",
          message: `${name} must be a finite number >= 0`,
        });
        return undefined;
      }
      return v;
    };
    const spend = num("spend", true);
    const target = num("target", false);
    const todayBudget = num("today_budget", false);
    if (issues.length > 0 || spend === undefined)
      return fail(
        reply,
        400,
        "invalid_request",
        "a spend report is { spend, target?, today_budget? }",
        issues,
      );
    // Finite reports can still add up past the float range: refuse the one that would.
    if (!Number.isFinite(guard.state.spent_today + spend))
      return fail(reply, 400, "invalid_request", "spend would make today's total spend overflow", [
        {
          field: "spend",
          code: "invalid_value",
          message: "spend: the day's total would not be a finite number",
        },
      ]);
    return guard.report({ spend, target, todayBudget });
  });

  app.get("/health", async (_req, reply) => {
    const s = log.stats;
    const body = {
      status: log.healthy ? "ok" : "log_failure",
      policy_id: m.policy_id,
      policy_version: m.policy_version,
      model_version: m.model_version,
      actions: actions.filter((_, a) => bundle.enabled[a] === 1),
      budget: guard.state,
      log: {
        file: log.currentFile,
        durability: log.settings.durability,
        records: s.records,
        synced_records: s.syncedRecords,
        pending: s.pending,
        commits: s.commits,
      },
    };
    return reply.code(log.healthy ? 200 : 503).send(body);
  });

  app.get("/metrics", async (_req, reply) => {
    reply.header("content-type", metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  let closing: Promise<void> | null = null;
  return {
    app,
    metrics,
    guard,
    async listen(port: number) {
      if (!(Number.isInteger(port) && port >= 0 && port <= 65535))
        throw new CiaError("invalid_option", `port must be an integer in [0, 65535], got ${port}`);
      await app.listen({ host: HOST, port });
      const addr = app.server.address();
      const p = typeof addr === "object" && addr ? addr.port : port;
      return { host: HOST, port: p, url: `http://${HOST}:${p}` };
    },
    close() {
      closing ??= (async () => {
        await app.close();
        await log.close();
      })();
      return closing;
    },
  };
}
