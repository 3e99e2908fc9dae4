/**
 * The floor under the serve numbers: a bare fastify 5 server on 127.0.0.1 whose POST /decide
 * parses the JSON body and answers a constant decision (no contract, model, log or metrics). Run
 * under the same load and pinning as `cia serve`, its latency is what the machine, the kernel's
 * loopback and Node's HTTP stack cost at that moment. Prints `{"port","pid"}`; SIGTERM exits.
 */
import Fastify from "fastify";

const app = Fastify({ logger: false });
app.post("/decide", async (req) => ({
  decision_id: "00000000-0000-0000-0000-000000000000",
  action: "control",
  propensity: 1,
  policy_id: "bare",
  model_version: String((req.body as { unit_id?: unknown }).unit_id),
}));
await app.listen({ host: "127.0.0.1", port: 0 });
const addr = app.server.address();
process.stdout.write(
  `${JSON.stringify({ port: typeof addr === "object" && addr ? addr.port : 0, pid: process.pid })}\n`,
);
process.once("SIGTERM", () => app.close().then(() => process.exit(0)));
