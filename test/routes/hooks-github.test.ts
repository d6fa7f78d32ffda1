import { describe, expect, it } from "vitest";
import { utf8 } from "../../src/crypto/bytes";
import { signGitHubWebhook } from "../../src/verify/github-webhook";
import { audit, callWorker, type CapturedQueue, deliver, demo, newGitHub, newSink, newTenant, partnerSigner, testEnv } from "../helpers";
import { V1B } from "../verify/support";

const WEBHOOK_SECRET = "github-webhook-secret-for-tests";
const leaked = demo.tokens.engineerGlobal;

async function setup(overrides: Record<string, unknown> = {}) {
  const t = await newTenant();
  const gh = await newGitHub();
  const sink = newSink("notify");
  const env = await testEnv(t, {
    GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET,
    GITHUB_TOKEN: "gh-test-token",
    GITHUB_API_BASE_URL: gh.baseUrl,
    GITHUB_PARTNER_KEYS_URL: `${gh.baseUrl}/meta/public_keys/secret_scanning`,
    NOTIFY_SLACK_WEBHOOK_URL: sink.url,
    ...overrides,
  });
  return { t, gh, sink, env, queue: env.REVOCATIONS as CapturedQueue };
}

async function postAlert(env: Awaited<ReturnType<typeof testEnv>>, payload: unknown, opts: { event?: string; delivery?: string; signature?: string; raw?: string } = {}) {
  const raw = opts.raw ?? JSON.stringify(payload);
  return callWorker(env, "/hooks/github", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "X-GitHub-Event": opts.event ?? "secret_scanning_alert",
      "X-GitHub-Delivery": opts.delivery ?? crypto.randomUUID(),
      "X-Hub-Signature-256": opts.signature ?? (await signGitHubWebhook(WEBHOOK_SECRET, utf8(raw))),
    },
    body: raw,
  });
}

const alertPayload = (n: number, action = "created", secretType = "fastly_api_token") => ({
  action,
  alert: { number: n, secret_type: secretType, html_url: `https://github.com/acme/app/security/secret-scanning/${n}` },
  repository: { full_name: "acme/app" },
});

describe("GitHub secret_scanning_alert webhook", () => {
  it("answers ping", async () => {
    const { env } = await setup();
    const r = await postAlert(env, { zen: "hi" }, { event: "ping" });
    expect(r.status).toBe(200);
  });

  it("acknowledges at once, then the queue fetches the secret, revokes it and resolves the alert naming the token", async () => {
    const { t, gh, env, queue, sink } = await setup();
    await gh.addAlert({ repository: "acme/app", number: 42, secret: leaked.access_token });
    const r = await postAlert(env, alertPayload(42));
    expect(r.status).toBe(202);
    expect(await t.calls()).toEqual([]); // nothing slow before the acknowledgement
    expect(queue.sent.map((m) => m.body)).toEqual([expect.objectContaining({ kind: "github_alert", repository: "acme/app", alertNumber: 42 })]);

    const result = await deliver(env, "revocations", queue.sent.map((m) => m.body));
    expect(result.explicitAcks).toHaveLength(1);
    expect((await t.tokens()).find((x) => x.id === leaked.id)?.revoked).toBe(true);
    const alert = await gh.alert("acme/app", 42);
    expect(alert).toMatchObject({ state: "resolved", resolution: "revoked" });
    expect(alert.resolution_comment).toContain(leaked.id);
    expect(alert.resolution_comment).toContain(leaked.name);
    expect(alert.resolution_comment).not.toContain(leaked.access_token);
    const calls = await gh.calls();
    expect(calls.map((c) => `${c.method} ${c.status} ${c.authorized}`)).toEqual(["GET 200 true", "PATCH 200 true"]);
    expect(calls.every((c) => c.userAgent?.startsWith("fastly-token-webhooks/"))).toBe(true);
    const note = (await sink.received()).at(-1)!.body;
    expect(note).toContain("acme/app");
    expect(note).not.toContain(leaked.access_token);
    expect((await audit(env)).find((e) => e.operation === "leakRevoke")).toMatchObject({ result: "ok", principal: "github:acme/app" });
  });

  it("acknowledges a redelivery (same X-GitHub-Delivery) without queueing it again", async () => {
    const { env, queue } = await setup();
    const delivery = crypto.randomUUID();
    expect((await postAlert(env, alertPayload(1), { delivery })).status).toBe(202);
    const again = await postAlert(env, alertPayload(1), { delivery });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ duplicate: true });
    expect(queue.sent).toHaveLength(1);
  });

  it("acknowledges and ignores other events, actions and secret types", async () => {
    const { env, queue } = await setup();
    for (const [payload, event] of [
      [alertPayload(1), "push"],
      [alertPayload(1, "resolved"), "secret_scanning_alert"],
      [alertPayload(1, "created", "github_personal_access_token"), "secret_scanning_alert"],
    ] as const) {
      const r = await postAlert(env, payload, { event });
      expect(r.status).toBe(202);
      expect(((await r.json()) as { ignored: string }).ignored).toBeTruthy();
    }
    expect(queue.sent).toEqual([]);
  });

  it("handles a custom pattern name when configured", async () => {
    const { env, queue } = await setup({ GITHUB_SECRET_TYPES: "fastly_api_token acme_fastly_pattern" });
    expect((await postAlert(env, alertPayload(5, "publicly_leaked", "acme_fastly_pattern"))).status).toBe(202);
    expect(queue.sent).toHaveLength(1);
  });

  it("rejects forged, tampered, truncated and unsigned deliveries with 401 and changes nothing", async () => {
    const { env, queue, gh } = await setup();
    const raw = JSON.stringify(alertPayload(9));
    const good = await signGitHubWebhook(WEBHOOK_SECRET, utf8(raw));
    for (const [name, opts] of [
      ["forged", { raw, signature: await signGitHubWebhook("not-the-secret", utf8(raw)) }],
      ["tampered", { raw: `${raw}\n`, signature: good }],
      ["truncated", { raw, signature: good.slice(0, 30) }],
      ["unsigned", { raw, signature: "" }],
      ["sha1 only", { raw, signature: "sha1=0000" }],
    ] as const) {
      const r = await postAlert(env, null, opts);
      expect(r.status, name).toBe(401);
    }
    expect(queue.sent).toEqual([]);
    expect(await gh.calls()).toEqual([]);
  });

  it("retries when GitHub's API fails, then succeeds", async () => {
    const { t, gh, env, queue } = await setup();
    await gh.addAlert({ repository: "acme/app", number: 3, secret: leaked.access_token });
    await gh.fail("/repos/", 502, 1);
    await postAlert(env, alertPayload(3));
    const first = await deliver(env, "revocations", queue.sent.map((m) => m.body));
    expect(first.retryMessages).toHaveLength(1);
    const second = await deliver(env, "revocations", queue.sent.map((m) => m.body), 2);
    expect(second.explicitAcks).toHaveLength(1);
    expect((await t.tokens()).find((x) => x.id === leaked.id)?.revoked).toBe(true);
  });
});

describe("partner-format reports (GitHub and GitLab)", () => {
  for (const [path, prefix, urlSetting] of [
    ["/hooks/github-partner", "Github", "GITHUB_PARTNER_KEYS_URL"],
    ["/hooks/gitlab-partner", "Gitlab", "GITLAB_PARTNER_KEYS_URL"],
  ] as const) {
    it(`${prefix}: verifies ECDSA over the raw body, revokes, and answers the feedback array`, async () => {
      const keyHost = await newGitHub();
      const { t, env } = await setup({ [urlSetting]: `${keyHost.baseUrl}/meta/public_keys/secret_scanning` });
      const signer = await partnerSigner(`key-${crypto.randomUUID()}`);
      await keyHost.setKeys([signer.publicKey]);
      const body = JSON.stringify([
        { token: leaked.access_token, type: "fastly_api_token", url: "https://github.com/acme/app/blob/main/x", source: "content" },
        { token: demo.tokens.userExpired.access_token, type: "fastly_api_token", url: "" },
        { token: "not-ours", type: "other_type", url: "" },
      ]);
      const headers = { "content-type": "application/json", [`${prefix}-Public-Key-Identifier`]: signer.keyId, [`${prefix}-Public-Key-Signature`]: await signer.sign(body) };
      const r = await callWorker(env, path, { method: "POST", headers, body });
      expect(r.status).toBe(200);
      const feedback = (await r.json()) as { token_hash: string; token_type: string; label: string }[];
      expect(feedback.map((f) => f.label).sort()).toEqual(["false_positive", "true_positive"]);
      expect(feedback.every((f) => /^[0-9a-f]{64}$/.test(f.token_hash) && f.token_type === "fastly_api_token")).toBe(true);
      expect((await t.tokens()).find((x) => x.id === leaked.id)?.revoked).toBe(true);

      const tampered = await callWorker(env, path, { method: "POST", headers, body: body.replace("content", "Content") });
      expect(tampered.status).toBe(401);
      const other = await partnerSigner(signer.keyId);
      const wrongKey = await callWorker(env, path, { method: "POST", headers: { ...headers, [`${prefix}-Public-Key-Signature`]: await other.sign(body) }, body });
      expect(wrongKey.status).toBe(401);
      const unknownKey = await callWorker(env, path, { method: "POST", headers: { ...headers, [`${prefix}-Public-Key-Identifier`]: "nope" }, body });
      expect(unknownKey.status).toBe(401);
      // Which check failed is logged, not told to the sender.
      expect(await unknownKey.json()).toEqual({ msg: "Invalid signature", code: "invalid_signature" });
    });
  }

  it("accepts GitHub's published V1-b vector and ignores its unknown secret type", async () => {
    const { env, gh } = await setup();
    await gh.setKeys([{ key_identifier: V1B.keyId, key: V1B.pem, is_current: false }]);
    const r = await callWorker(env, "/hooks/github-partner", {
      method: "POST",
      headers: { "Github-Public-Key-Identifier": V1B.keyId, "Github-Public-Key-Signature": V1B.signature },
      body: V1B.body,
    });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual([]);
    const empty = await callWorker(env, "/hooks/github-partner", {
      method: "POST",
      headers: { "Github-Public-Key-Identifier": V1B.keyId, "Github-Public-Key-Signature": V1B.signature },
      body: "[]",
    });
    expect(empty.status).toBe(401);
  });

  it("answers 503 not configured for GitLab without a key URL", async () => {
    const { env } = await setup();
    const r = await callWorker(env, "/hooks/gitlab-partner", { method: "POST", body: "[]" });
    expect(r.status).toBe(503);
  });
});
