// d) Leak intake at scale: one Standard-Webhooks report of 1,000 live tokens through the local Worker.
import { readFileSync } from "node:fs";
import { importTs } from "./lib/compile.mjs";
import { BUDGET, runMassLeak } from "./lib/mass-leak.mjs";
import { row } from "./lib/table.mjs";

export const title = "Leak intake at scale";

const N = 1000;

export const notes = `- **${title}**: ${N.toLocaleString("en-US")} live tokens (created in a fresh emulator tenant through its own
  \`POST /tokens\`, the tenant's rate limit raised to 1,000,000 for the whole run) reported in one signed \`POST /hooks/scanner\`
  to the Worker under workerd (\`bench/limited-worker\`: \`src/index.ts\` behind a bench entry that applies the D1
  schema; bare local KV, D1 and Queues with wrangler.toml's consumer settings; SUBREQUEST_BUDGET=${BUDGET}). "Time until all
  revoked" runs from sending the report until the emulator shows every token revoked (polled every 100 ms).
  Subrequests per invocation come from the Worker's own \`leak_invocation\` log lines (fetches + queue sends counted
  by its InvocationMeter). CPU is the user+system time of the workerd process(es) this run started, divided by
  ${N}; it includes the local runtime's own KV, D1 and queue simulation, so it is an upper bound. The same leak at
  Fastly's real rate limit is "${"Leak at Fastly's rate limit"}" below.`;

export async function run() {
  process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";
  const { startEmulator } = await importTs("emulator/node.ts", "emulator");
  const seed = JSON.parse(readFileSync("emulator/seed.json", "utf8"));
  const emulator = await startEmulator({ port: 0 });
  try {
    const { baseUrl } = await (await fetch(`${emulator.url}/__emulator/tenants`, { method: "POST" })).json();
    await fetch(`${baseUrl}/__emulator/config`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ rateLimit: 1_000_000 }) });
    const user = seed.users.acmeUser;
    const tokens = [];
    for (let i = 0; i < N; i++) {
      const r = await fetch(`${baseUrl}/tokens`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ username: user.login, password: user.password, name: `bench-leak-${i}` }),
      });
      tokens.push((await r.json()).access_token);
    }
    const r = await runMassLeak({ tenantUrl: baseUrl, tokens, namePrefix: "bench-leak" });
    return [
      row(title, `report of ${N} tokens: answered`, `${r.ackMs.toFixed(0)} ms (${r.inline} revoked inline, ${r.queuedAtIntake} queued)`),
      row(title, "time until all revoked", r.allRevoked ? `${r.seconds.toFixed(1)} s (${(N / r.seconds).toFixed(0)} tokens/s)` : `only ${r.revoked}/${N} after ${r.seconds.toFixed(0)} s`),
      row(title, "largest subrequests in one invocation", `${r.maxSubrequests} (intake ${r.intakeSubrequests ?? "?"}; ${r.invocations} invocations)`, `≤ ${BUDGET} — ${r.maxSubrequests <= BUDGET ? "met" : "missed"}`),
      row(title, "workerd CPU per token", `${((r.cpuSeconds * 1000) / N).toFixed(2)} ms (${r.cpuSeconds.toFixed(2)} s total, local runtime included)`),
    ];
  } finally {
    await emulator.close();
  }
}
