import { env as baseEnv } from "cloudflare:workers";
import { expect, it } from "vitest";
import type { Env } from "../../src/env";
import { demo, emulatorUrl, postScannerReport, SCANNER_SECRET } from "../helpers";

// The one test that uses the real `revocations` queue end to end: the report is queued by the route, delivered by the
// local Queues runtime to the Worker's own consumer (configured in wrangler.toml), and revoked there. The consumer runs
// with the base env (vitest.config.ts), which points at the emulator's default tenant, so this file owns that tenant.
it("delivers a queued leak revocation through the real local queue to the Worker's consumer", async () => {
  const leaked = demo.tokens.globexUserPurgeSelect;
  const root = emulatorUrl();
  await fetch(`${root}/__emulator/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ method: "GET", path: "/tokens/self", status: 503, count: 1 }),
  });
  const env = { ...(baseEnv as unknown as Env), SCANNER_WEBHOOK_SECRETS: SCANNER_SECRET };
  const r = await postScannerReport(env, JSON.stringify({ tokens: [leaked.access_token] }));
  expect(((await r.json()) as { results: { status: string }[] }).results[0]!.status).toBe("queued");

  let revoked = false;
  for (let i = 0; i < 100 && !revoked; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const tokens = (await (await fetch(`${root}/__emulator/tokens`)).json()) as { id: string; revoked: boolean }[];
    revoked = tokens.find((x) => x.id === leaked.id)?.revoked === true;
  }
  expect(revoked).toBe(true);
});
