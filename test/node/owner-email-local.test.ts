import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findCapturedEmail } from "../../scripts/captured-email.mjs";
import { utf8 } from "../../src/crypto/bytes";
import { signStandardWebhook } from "../../src/verify/standard-webhooks";
import { demo, newTenant, type Tenant } from "../helpers/emulator";
import { type DevWorker, startDevWorker } from "./support/dev-worker.mjs";

// The Worker as `npm run dev` runs it (wrangler dev with the schema applied to fresh local state), with the real local
// send_email binding from wrangler.toml: miniflare captures the owner's e-mail (logs it and writes its text to a
// file) instead of delivering it.
const SCANNER_SECRET = "whsec_bG9jYWwtb3duZXItZW1haWwtdGVzdC0wMDE=";
const leaked = demo.tokens.userMultiScope;

let tenant: Tenant;
let worker: DevWorker | undefined;

beforeAll(async () => {
  tenant = await newTenant();
  worker = await startDevWorker({
    FASTLY_API_BASE_URL: tenant.baseUrl,
    FASTLY_API_TOKEN: demo.tokens.superuserGlobal.access_token,
    SEAL_SECRET: "local-owner-email-seal-secret-0001",
    SCANNER_WEBHOOK_SECRETS: SCANNER_SECRET,
    OWNER_EMAIL_ENABLED: "true",
    OWNER_EMAIL_FROM: "security@acme.example",
  });
}, 90_000);

afterAll(async () => {
  await worker?.stop();
});

describe("the owner e-mail under wrangler dev", () => {
  it("is captured locally by the real send_email binding, with the leak's details and never the secret", async () => {
    const file = `deploy/local-${crypto.randomUUID()}.env`;
    const body = JSON.stringify([{ RuleID: "fastly-api-token", Secret: leaked.access_token, File: file, StartLine: 1, Commit: "c0ffee1", Date: new Date(Date.now() - 60_000).toISOString() }]);
    const id = `msg_${crypto.randomUUID()}`;
    const ts = Math.floor(Date.now() / 1000);
    const started = Date.now();
    const r = await fetch(`${worker!.url}/hooks/scanner`, {
      method: "POST",
      headers: { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": await signStandardWebhook(SCANNER_SECRET, id, ts, utf8(body)) },
      body,
    });
    expect(r.status).toBe(200);
    expect(((await r.json()) as { results: { status: string }[] }).results[0]!.status).toBe("revoked");

    const mail = findCapturedEmail(file, started);
    expect(mail, "no captured e-mail mentions this report").toBeDefined();
    expect(mail!.text).toContain(`Hello ${demo.users.acmeUser.name},`);
    expect(mail!.text).toContain(`Token "${leaked.name}" (id ${leaked.id})`);
    expect(mail!.text).toContain("Scope:        global:read purge_select");
    expect(mail!.text).toContain(`--data-urlencode 'services[]=${demo.services.acmeWww.id}'`);
    expect(mail!.text).toMatch(/\(1 min( \d+ s)? after it was first seen\)/);
    expect(mail!.text).not.toContain(leaked.access_token);
  }, 30_000);
});
