import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { utf8 } from "../../src/crypto/bytes";
import { signGitHubWebhook } from "../../src/verify/github-webhook";
import { API_KEY_VALUES, callWorker, type CapturedQueue, deliver, demo, dumpD1, dumpKv, newGitHub, newSink, newTenant, postScannerReport, SCANNER_SECRET, testEnv } from "../helpers";

const logged: string[] = [];
beforeEach(() => {
  for (const level of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      logged.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a, Object.getOwnPropertyNames(a ?? {})))).join(" "));
    });
  }
});
afterEach(() => vi.restoreAllMocks());

it("leaves no secret in logs, KV, queue messages, notifications or responses after a full run of every surface", async () => {
  const t = await newTenant();
  const gh = await newGitHub();
  const sink = newSink("notify");
  const webhookSink = newSink("webhook");
  const env = await testEnv(t, {
    SCANNER_WEBHOOK_SECRETS: SCANNER_SECRET,
    NOTIFY_SLACK_WEBHOOK_URL: sink.url,
    NOTIFY_WEBHOOK_URL: webhookSink.url,
    NOTIFY_WEBHOOK_SECRET: "whsec_bm90aWZ5LXNlY3JldC1mb3ItdGVzdHMtMDAx",
    GITHUB_WEBHOOK_SECRET: "gh-hook-secret-no-secrets-test",
    GITHUB_TOKEN: "gh-pat-no-secrets-test-value",
    GITHUB_API_BASE_URL: gh.baseUrl,
  });
  const queue = env.REVOCATIONS as CapturedQueue;
  const responses: string[] = [];
  const keep = async (r: Response) => responses.push(`${r.status} ${[...r.headers].join(";")} ${await r.text()}`);

  // Fastly-compatible API: passthrough, API keys, errors, create with a password, revocations.
  await keep(await callWorker(env, "/tokens/self", { headers: { "Fastly-Key": demo.tokens.engineerGlobal.access_token } }));
  await keep(await callWorker(env, "/tokens/self", { headers: { "Fastly-Key": demo.tokens.userExpired.access_token } }));
  await keep(await callWorker(env, "/tokens", { headers: { "Fastly-Key": "garbage-key-that-is-not-valid-at-all" } }));
  await keep(await callWorker(env, `/tokens/${demo.tokens.userLongUnused.access_token}`, { headers: { "Fastly-Key": API_KEY_VALUES.admin } }));
  const u = demo.users.acmeEngineer;
  const created = await callWorker(env, "/tokens", {
    method: "POST",
    headers: { "Fastly-Key": API_KEY_VALUES.creator, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ username: u.login, password: u.password, name: "rotated" }).toString(),
  });
  const newToken = ((await created.json()) as { access_token: string }).access_token;
  await keep(await callWorker(env, "/tokens", {
    method: "POST",
    headers: { "Fastly-Key": API_KEY_VALUES.creator, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ username: u.login, password: "wrong-password-xyz" }).toString(),
  }));
  await keep(await callWorker(env, `/tokens/${demo.tokens.userNeverUsed.id}`, { method: "DELETE", headers: { "Fastly-Key": API_KEY_VALUES.admin } }));

  // Leak intake: revoke, not live, failure → queue → consumer and DLQ, GitHub alert.
  await keep(await postScannerReport(env, JSON.stringify({ tokens: [demo.tokens.userGlobal.access_token, demo.tokens.userExpired.access_token] })));
  await t.addFault({ path: "/tokens/self", status: 503, count: 1 });
  await keep(await postScannerReport(env, JSON.stringify({ tokens: [demo.tokens.userMultiScope.access_token] })));
  await t.addFault({ path: "/tokens/self", drop: true, count: 1 });
  await deliver(env, "revocations", queue.sent.map((m) => m.body));
  await deliver(env, "revocations-dlq", queue.sent.map((m) => m.body));
  await gh.addAlert({ repository: "acme/app", number: 1, secret: demo.tokens.engineerPurgeAll.access_token });
  const raw = JSON.stringify({ action: "created", alert: { number: 1, secret_type: "fastly_api_token" }, repository: { full_name: "acme/app" } });
  await keep(await callWorker(env, "/hooks/github", {
    method: "POST",
    headers: { "X-GitHub-Event": "secret_scanning_alert", "X-GitHub-Delivery": "d1", "X-Hub-Signature-256": await signGitHubWebhook("gh-hook-secret-no-secrets-test", utf8(raw)) },
    body: raw,
  }));
  await deliver(env, "revocations", queue.sent.slice(-1).map((m) => m.body));
  expect((await gh.alert("acme/app", 1)).state).toBe("resolved");

  const secrets = [
    ...Object.values(demo.tokens).map((x) => x.access_token),
    newToken,
    u.password,
    "wrong-password-xyz",
    ...Object.values(API_KEY_VALUES),
    SCANNER_SECRET,
    "gh-hook-secret-no-secrets-test",
    "gh-pat-no-secrets-test-value",
    "whsec_bm90aWZ5LXNlY3JldC1mb3ItdGVzdHMtMDAx",
    String(env.SEAL_SECRET),
  ];
  const places = {
    logs: logged.join("\n"),
    kv: JSON.stringify(await dumpKv(env)),
    d1: JSON.stringify(await dumpD1(env)),
    queue: JSON.stringify(queue.sent),
    notifications: JSON.stringify([...(await sink.received()), ...(await webhookSink.received())]),
    responses: responses.join("\n"),
  };
  expect(places.notifications.length).toBeGreaterThan(100);
  expect(places.kv.length).toBeGreaterThan(100);
  expect(places.d1.length).toBeGreaterThan(100);
  for (const [where, text] of Object.entries(places)) {
    for (const secret of secrets) expect(text.includes(secret), `${where} contains a secret`).toBe(false);
  }
});
