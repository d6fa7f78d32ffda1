// d) Leak intake at scale: one Standard-Webhooks report of 1,000 live tokens through the local Worker.
import { createHmac, randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { importTs } from "./lib/compile.mjs";
import { row } from "./lib/table.mjs";

export const title = "Leak intake at scale";

const N = 1000;
const BUDGET = 50;
const SECRET = "whsec_YmVuY2gtbGVhay1pbnRha2Utc2VjcmV0LTAwMDAx";

export const notes = `- **${title}**: ${N.toLocaleString("en-US")} live tokens (created in a fresh emulator tenant through its own
  \`POST /tokens\`) reported in one signed \`POST /hooks/scanner\` to the Worker under workerd
  (\`unstable_startWorker\`, local Queues with wrangler.toml's consumer settings, SUBREQUEST_BUDGET=${BUDGET}). "Time until all
  revoked" runs from sending the report until the emulator shows every token revoked (polled every 100 ms).
  Subrequests per invocation come from the Worker's own \`leak_invocation\` log lines (fetches + queue sends counted
  by \`SubrequestMeter\`). CPU is the user+system time of the workerd process(es) this run started, divided by
  ${N}; it includes the local runtime's own KV and queue simulation, so it is an upper bound.`;

/** CPU seconds (user + system) of the workerd processes whose parent is this Node process. */
function workerdCpuSeconds() {
  let ticks = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      if (comm === "workerd" && Number(fields[1]) === process.pid) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended while we looked
    }
  }
  return ticks / 100; // USER_HZ
}

export async function run() {
  process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";
  const { startEmulator } = await importTs("emulator/node.ts", "emulator");
  const { startLocalWorker } = await importTs("test/node/support/local-worker.ts", "local-worker");
  const seed = JSON.parse(readFileSync("emulator/seed.json", "utf8"));
  const emulator = await startEmulator({ port: 0 });
  const lines = [];
  const write = process.stdout.write.bind(process.stdout);
  let worker;
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
    const ids = new Set();
    worker = await startLocalWorker(
      {
        FASTLY_API_BASE_URL: baseUrl,
        FASTLY_API_TOKEN: seed.tokens.superuserGlobal.access_token,
        SEAL_SECRET: "bench-seal-secret-0123456789",
        SCANNER_WEBHOOK_SECRETS: SECRET,
        SUBREQUEST_BUDGET: String(BUDGET),
      },
      { logLevel: "log" },
    );
    // The Worker's console lines arrive on this process's stdout: keep the structured ones, hide the rest.
    process.stdout.write = (chunk, ...rest) => {
      const text = String(chunk);
      for (const l of text.split("\n")) if (l.includes('"leak_invocation"')) lines.push(JSON.parse(l.slice(l.indexOf("{"))));
      return text.includes("leak_invocation") || text.includes("[wrangler") || text.includes("POST ") ? true : write(chunk, ...rest);
    };
    const cpuBefore = workerdCpuSeconds();
    const body = JSON.stringify({ tokens });
    const id = `msg_${randomUUID()}`;
    const ts = Math.floor(Date.now() / 1000);
    const key = Buffer.from(SECRET.slice("whsec_".length), "base64");
    const signature = `v1,${createHmac("sha256", key).update(`${id}.${ts}.${body}`).digest("base64")}`;
    const began = performance.now();
    const response = await fetch(`${worker.url}/hooks/scanner`, {
      method: "POST",
      headers: { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": signature },
      body,
    });
    const ackMs = performance.now() - began;
    const result = await response.json();
    const inline = result.results.filter((r) => r.status === "revoked").length;
    let revoked = 0;
    const deadline = performance.now() + 300_000;
    while (performance.now() < deadline) {
      const state = await (await fetch(`${baseUrl}/__emulator/tokens`)).json();
      revoked = state.filter((t) => t.revoked && t.name?.startsWith("bench-leak-")).length;
      for (const t of state) if (t.revoked) ids.add(t.id);
      if (revoked === N) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const totalSeconds = (performance.now() - began) / 1000;
    const cpu = workerdCpuSeconds() - cpuBefore;
    const maxSub = Math.max(...lines.map((l) => l.subrequests));
    const intake = lines.find((l) => l.surface === "leak");
    return [
      row(title, `report of ${N} tokens: answered`, `${ackMs.toFixed(0)} ms (${inline} revoked inline, ${result.results.length - inline} queued)`),
      row(title, "time until all revoked", revoked === N ? `${totalSeconds.toFixed(1)} s (${(N / totalSeconds).toFixed(0)} tokens/s)` : `only ${revoked}/${N} after ${totalSeconds.toFixed(0)} s`),
      row(title, "largest subrequests in one invocation", `${maxSub} (intake ${intake?.subrequests ?? "?"}; ${lines.length} invocations)`, `≤ ${BUDGET} — ${maxSub <= BUDGET ? "met" : "missed"}`),
      row(title, "workerd CPU per token", `${((cpu * 1000) / N).toFixed(2)} ms (${cpu.toFixed(2)} s total, local runtime included)`),
    ];
  } finally {
    process.stdout.write = write;
    await worker?.stop();
    await emulator.close();
  }
}

