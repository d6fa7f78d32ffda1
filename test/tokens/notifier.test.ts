import { describe, expect, it } from "vitest";
import { utf8 } from "../../src/crypto/bytes";
import { Notifier } from "../../src/tokens/notifier";
import type { LeakOutcome } from "../../src/tokens/leak-outcome";
import { verifyStandardWebhook } from "../../src/verify/standard-webhooks";
import { newSink } from "../helpers";

const SECRET = "whsec_bm90aWZpZXItdGVzdC1zZWNyZXQtMDAwMDAx";
const outcome: LeakOutcome = {
  status: "revoked",
  tokenHash: "a".repeat(64),
  context: { source: "github_alert", repository: "acme/app", alertUrl: "https://github.com/acme/app/security/secret-scanning/1" },
  token: { id: "tok123", name: "deploy", user_id: "u1", scope: "global", services: ["svc1"] },
  via: "self",
};

describe("notifications", () => {
  it("signs the generic webhook with Standard Webhooks so receivers can verify it", async () => {
    const sink = newSink("signed");
    await new Notifier({ webhookUrl: sink.url, webhookSecret: SECRET }).leakOutcomes([outcome]);
    const [got] = await sink.received();
    expect(got).toBeDefined();
    const verified = await verifyStandardWebhook({
      secrets: [SECRET],
      rawBody: utf8(got!.body),
      id: got!.headers["webhook-id"] ?? null,
      timestamp: got!.headers["webhook-timestamp"] ?? null,
      signature: got!.headers["webhook-signature"] ?? null,
    });
    expect(verified).toEqual({ ok: true });
    expect(JSON.parse(got!.body)).toMatchObject({ type: "fastly.token.leak", data: { outcomes: [{ status: "revoked", token: { id: "tok123" } }] } });
  });

  it("tells Slack the token's name, id, owner, scope, services, where it leaked and the outcome", async () => {
    const sink = newSink("slack");
    await new Notifier({ slackWebhookUrl: sink.url }).leakOutcomes([outcome]);
    const text = (JSON.parse((await sink.received())[0]!.body) as { text: string }).text;
    for (const part of ["deploy", "tok123", "u1", "global", "svc1", "acme/app", "secret-scanning/1", "revoked"]) expect(text).toContain(part);
  });

  it("never throws when a receiver fails: a notification must not undo or repeat a revocation", async () => {
    const failing = newSink("fail-500"); // the emulator answers 500 to sinks named fail-500-…
    await expect(new Notifier({ slackWebhookUrl: failing.url }).leakOutcomes([outcome])).resolves.toBeUndefined();
    expect(await failing.received()).toHaveLength(1);
  });
});
