import { describe, expect, it } from "vitest";
import { Notifier } from "../../src/tokens/notifier";
import type { LeakOutcome } from "../../src/tokens/leak-outcome";
import { captureConsole, newSink, verifySignedPost } from "../helpers";

const SECRET = "whsec_bm90aWZpZXItdGVzdC1zZWNyZXQtMDAwMDAx";
const outcome: LeakOutcome = {
  status: "revoked",
  tokenHash: "a".repeat(64),
  context: { source: "github_alert", repository: "acme/app", alertUrl: "https://github.com/acme/app/security/secret-scanning/1" },
  token: { id: "tok123", name: "deploy", user_id: "u1", scope: "global", services: ["svc1"] },
  via: "self",
};

const logged = captureConsole();

describe("notifications", () => {
  it("signs the generic webhook with Standard Webhooks so receivers can verify it", async () => {
    const sink = newSink("signed");
    await new Notifier({ webhookUrl: sink.url, webhookSecret: SECRET }).leakOutcomes([outcome]);
    const [got] = await sink.received();
    expect(got).toBeDefined();
    expect(await verifySignedPost(got!, SECRET)).toEqual({ ok: true });
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

  it("logs a failed delivery by channel and status only: never the webhook URL, the secret or the message", async () => {
    const failing = newSink("fail-502");
    const url = `${failing.url}/T000/B000/url-secret-part-0123`;
    await new Notifier({ webhookUrl: url, webhookSecret: SECRET }).leakOutcomes([outcome]);
    expect(logged).toEqual(['{"event":"notify_failed","channel":"webhook","status":502}']);
    for (const secret of ["url-secret-part-0123", failing.name, SECRET, "acme/app", "tok123"]) expect(logged.join("\n")).not.toContain(secret);
  });
});
