import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/crypto/hash";
import { utf8 } from "../../src/crypto/bytes";
import type { RevocationJob } from "../../src/tokens/revocation-job";
import { signGitHubWebhook } from "../../src/verify/github-webhook";
import { signStandardWebhook } from "../../src/verify/standard-webhooks";
import { auditOf, callWorker, type CapturedQueue, capturingQueue, demo, dumpD1, newGitHub, partnerSigner, queuedTokens, SCANNER_SECRET, scannerSetup } from "../helpers";

const FIVE = 5;
const leaked = demo.tokens.engineerGlobal;

async function revocations(t: Awaited<ReturnType<typeof scannerSetup>>["t"]) {
  return (await t.calls()).filter((c) => c.method === "DELETE");
}

async function leakAudit(env: Awaited<ReturnType<typeof scannerSetup>>["env"]) {
  return (await auditOf(env).list(100, null, { operation: "leakRevoke" })).entries;
}

/**
 * The copies' answers: each is 409 `in_progress` with Retry-After (it arrived while the first was being processed,
 * so its sender must retry in case that processing fails) or 200 duplicate (it arrived once the first was done).
 * Which, for copies sent at once, is timing; that none is processed twice is not.
 */
async function expectCopiesHeldOrDuplicate(copies: Response[], duplicate: (body: unknown) => boolean) {
  for (const r of copies) {
    const body = await r.json();
    if (r.status === 409) {
      expect(body).toEqual({ msg: "Conflict", code: "in_progress", detail: "this delivery is being processed; retry in 30 s" });
      expect(r.headers.get("Retry-After")).toBe("30");
    } else {
      expect(r.status).toBe(200);
      expect(duplicate(body)).toBe(true);
    }
  }
}

describe("five concurrent copies of one signed delivery cause one effect", () => {
  /**
   * One signed scanner delivery whose first processing Fastly holds for 800 ms (a delayed GET /tokens/self), and
   * its claim row in D1: `whileHeld` sends the first copy and resolves once its claim is visible.
   */
  async function heldDelivery() {
    const { t, env } = await scannerSetup();
    await t.addFault({ method: "GET", path: "/tokens/self", delayMs: 800, count: 1 });
    const body = JSON.stringify({ tokens: [leaked.access_token] });
    const id = `msg_${crypto.randomUUID()}`;
    const ts = Math.floor(Date.now() / 1000);
    const headers = { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": await signStandardWebhook(SCANNER_SECRET, id, ts, utf8(body)) };
    const post = () => callWorker(env, "/hooks/scanner", { method: "POST", headers, body });
    const key = `scanner:${await sha256Hex(id)}`;
    const claim = async () => (await dumpD1(env)).claims!.find((row) => row.key === key) as { state: string; expires_ms: number } | undefined;
    const whileHeld = async () => {
      const first = post();
      let during: { state: string; expires_ms: number } | undefined;
      for (let i = 0; i < 40 && !during; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        during = await claim();
      }
      return { first, during };
    };
    return { t, post, claim, whileHeld };
  }

  it("holds a delivery it is still processing for a 5-minute lease only, and remembers it 7 days once done", async () => {
    // If the invocation dies mid-way (CPU limit, eviction) it never releases its claim: the sender's retry must not be
    // refused for the whole dedupe window, or the leaked tokens in it would never be revoked.
    const { claim, whileHeld } = await heldDelivery();
    const { first, during } = await whileHeld();
    expect(during?.state).toBe("processing");
    expect(during!.expires_ms - Date.now()).toBeLessThanOrEqual(5 * 60_000);
    expect((await first).status).toBe(200);
    const after = await claim();
    expect(after?.state).toBe("done");
    expect(after!.expires_ms - Date.now()).toBeGreaterThan(6 * 86_400_000);
  });

  it("asks a copy that arrives while the first is still processing to retry (409, Retry-After), and acknowledges one after it as a duplicate", async () => {
    const { t, post, whileHeld } = await heldDelivery();
    const { first } = await whileHeld();
    const during = await post();
    expect(during.status).toBe(409);
    expect(during.headers.get("Retry-After")).toBe("30");
    expect(await during.json()).toEqual({ msg: "Conflict", code: "in_progress", detail: "this delivery is being processed; retry in 30 s" });
    expect((await first).status).toBe(200);
    const after = await post();
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({ ok: true, duplicate: true });
    expect(await revocations(t)).toHaveLength(1);
  });

  it("scanner (Standard Webhooks): one revocation, one notification; the copies are acknowledged as duplicates", async () => {
    const { t, env, sink } = await scannerSetup();
    const body = JSON.stringify({ tokens: [leaked.access_token] });
    const id = `msg_${crypto.randomUUID()}`;
    const ts = Math.floor(Date.now() / 1000);
    const signature = await signStandardWebhook(SCANNER_SECRET, id, ts, utf8(body));
    const headers = { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": signature };
    const answers = await Promise.all(Array.from({ length: FIVE }, () => callWorker(env, "/hooks/scanner", { method: "POST", headers, body })));
    const processed: Response[] = [];
    for (const r of answers) if (r.status === 200 && !((await r.clone().json()) as { duplicate?: boolean }).duplicate) processed.push(r);
    expect(processed).toHaveLength(1);
    await expectCopiesHeldOrDuplicate(answers.filter((r) => r !== processed[0]), (b) => (b as { duplicate?: boolean }).duplicate === true);
    expect(await revocations(t)).toHaveLength(1);
    expect(await sink.received()).toHaveLength(1);
    expect((await leakAudit(env)).map((e) => e.result)).toEqual(["ok"]);
  });

  it("GitHub webhook: one queued job, even when each copy carries a fresh X-GitHub-Delivery (it is not signed)", async () => {
    const gh = await newGitHub();
    const { env, queue } = await scannerSetup({ GITHUB_WEBHOOK_SECRET: "gh-secret", GITHUB_TOKEN: "gh-token", GITHUB_API_BASE_URL: gh.baseUrl });
    const body = JSON.stringify({ action: "created", alert: { number: 7, secret_type: "fastly_api_token" }, repository: { full_name: "acme/app" } });
    const signature = await signGitHubWebhook("gh-secret", utf8(body));
    const post = () =>
      callWorker(env, "/hooks/github", {
        method: "POST",
        headers: { "content-type": "application/json", "X-GitHub-Event": "secret_scanning_alert", "X-GitHub-Delivery": crypto.randomUUID(), "X-Hub-Signature-256": signature },
        body,
      });
    const answers = await Promise.all(Array.from({ length: FIVE }, post));
    expect(answers.filter((r) => r.status === 202)).toHaveLength(1);
    await expectCopiesHeldOrDuplicate(answers.filter((r) => r.status !== 202), (b) => (b as { duplicate?: boolean }).duplicate === true);
    expect(queue.sent).toHaveLength(1);
  });

  for (const [path, prefix, setting] of [
    ["/hooks/github-partner", "Github", "GITHUB_PARTNER_KEYS_URL"],
    ["/hooks/gitlab-partner", "Gitlab", "GITLAB_PARTNER_KEYS_URL"],
  ] as const) {
    it(`${prefix} partner report: one revocation, one notification; a re-post of the captured report changes nothing`, async () => {
      const keyHost = await newGitHub();
      const { t, env, sink } = await scannerSetup({ [setting]: `${keyHost.baseUrl}/meta/public_keys/secret_scanning` });
      const signer = await partnerSigner(`key-${crypto.randomUUID()}`);
      await keyHost.setKeys([signer.publicKey]);
      const body = JSON.stringify([{ token: leaked.access_token, type: "fastly_api_token", url: "https://example.test/x" }]);
      const headers = { [`${prefix}-Public-Key-Identifier`]: signer.keyId, [`${prefix}-Public-Key-Signature`]: await signer.sign(body) };
      const answers = await Promise.all(Array.from({ length: FIVE }, () => callWorker(env, path, { method: "POST", headers, body })));
      const processed: Response[] = [];
      for (const r of answers) if (r.status === 200 && ((await r.clone().json()) as unknown[]).length === 1) processed.push(r);
      expect(processed).toHaveLength(1);
      await expectCopiesHeldOrDuplicate(answers.filter((r) => r !== processed[0]), (b) => Array.isArray(b) && b.length === 0);
      expect(await revocations(t)).toHaveLength(1);
      expect(await sink.received()).toHaveLength(1);
      // Later, the same captured report again (a new signature over the same bytes): still nothing.
      const again = await callWorker(env, path, { method: "POST", headers: { ...headers, [`${prefix}-Public-Key-Signature`]: await signer.sign(body) }, body });
      expect(await again.json()).toEqual([]);
      expect(await revocations(t)).toHaveLength(1);
      expect((await leakAudit(env)).map((e) => e.result)).toEqual(["ok"]);
    });
  }

  it("processes a delivery whose first processing failed when the sender retries it", async () => {
    // The first attempt cannot queue the token Fastly refused (the queue fails once), so the request fails and the
    // claim is released; the sender's retry of the same delivery is processed.
    const captured = capturingQueue();
    let failures = 1;
    const flaky = {
      ...captured,
      async sendBatch(messages: Iterable<MessageSendRequest<RevocationJob>>) {
        if (failures-- > 0) throw new Error("queue unavailable");
        return captured.sendBatch(messages);
      },
    } as unknown as CapturedQueue;
    const { t, env } = await scannerSetup({ REVOCATIONS: flaky });
    await t.addFault({ method: "GET", path: "/tokens/self", status: 503, count: 1 });
    const body = JSON.stringify({ tokens: [leaked.access_token] });
    const id = `msg_${crypto.randomUUID()}`;
    const send = async () => {
      const ts = Math.floor(Date.now() / 1000);
      const headers = { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": await signStandardWebhook(SCANNER_SECRET, id, ts, utf8(body)) };
      return callWorker(env, "/hooks/scanner", { method: "POST", headers, body });
    };
    expect((await send()).status).toBe(500);
    const retry = await send();
    expect(retry.status).toBe(200);
    expect(((await retry.json()) as { results: { status: string }[] }).results[0]!.status).toBe("revoked");
    expect((await t.tokens()).find((x) => x.id === leaked.id)?.revoked).toBe(true);
    expect(queuedTokens(captured)).toEqual([]);
  });
});
