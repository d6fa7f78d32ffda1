// The fuzzing harness: a Worker env with every surface configured, the response and state invariants every route
// must keep, and the runner that sizes each property from VITE_FUZZ_RUNS and prints how many cases it ran.
import fc from "fast-check";
import { expect } from "vitest";
import { bytesToBase64, concatBytes, utf8 } from "../../../src/crypto/bytes";
import type { Env } from "../../../src/env";
import { signGitHubWebhook } from "../../../src/verify/github-webhook";
import { signSlackRequest } from "../../../src/verify/slack";
import { signStandardWebhook } from "../../../src/verify/standard-webhooks";
import { API_KEY_VALUES, callWorker, type CapturedQueue, demo, dumpD1, dumpKv, emulatorUrl, newGitHub, newTenant, SCANNER_SECRET, type Tenant, testEnv } from "../../helpers";
import { ALICE, type DiscordKeys, discordKeys, MATTERMOST_TOKEN, newSink, SEAL_SECRET, SLACK_SECRET, type Sink } from "../../routes/chat/helpers";
import { p1363ToDer } from "../../verify/support";
import { describeCase, type FuzzRequest, requestInit } from "./arbitraries";

// ---- sizing and counting --------------------------------------------------------------------------------

const viteEnv = (import.meta as unknown as { env?: Record<string, string | undefined> }).env ?? {};

/**
 * Cases per property. Vitest hands workerd only VITE_-prefixed variables, so `npm run fuzz` (bench/fuzz.mjs) turns
 * FUZZ_RUNS into VITE_FUZZ_RUNS; plain `npm test` keeps the small default.
 */
export function fuzzRuns(): number {
  const n = Number(viteEnv.VITE_FUZZ_RUNS ?? "");
  return Number.isInteger(n) && n > 0 ? n : 30;
}

/** A fixed seed (VITE_FUZZ_SEED) replays a failure that fast-check reported; otherwise every run explores anew. */
const seed = viteEnv.VITE_FUZZ_SEED ? Number(viteEnv.VITE_FUZZ_SEED) : undefined;

/** Vitest's timeout for one property: generous per case, because a case is several loopback round trips. */
export function fuzzTimeout(): number {
  return 60_000 + fuzzRuns() * 400;
}

/**
 * Runs `predicate` over `fuzzRuns()` cases of `arb` (fast-check shrinks a failure to a minimal case) and prints
 * one `FUZZ_CASES {...}` line with the number of cases executed (shrinking included) and the statuses answered,
 * which bench/fuzz.mjs adds up. The predicate returns the Worker's reply, or undefined for a case it skipped.
 */
export async function fuzz<T>(property: string, arb: fc.Arbitrary<T>, predicate: (value: T) => Promise<Reply | undefined>): Promise<void> {
  let cases = 0;
  let failed = false;
  // How the answers spread over status codes: shows that the cases reached past the first check.
  const statuses: Record<string, number> = {};
  try {
    await fc.assert(
      fc.asyncProperty(arb, async (value) => {
        cases++;
        const reply = await predicate(value);
        if (reply) statuses[reply.status] = (statuses[reply.status] ?? 0) + 1;
      }),
      { numRuns: fuzzRuns(), seed },
    );
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    console.log(`FUZZ_CASES ${JSON.stringify({ property, cases, failed, statuses })}`);
  }
}

// ---- the world under test -------------------------------------------------------------------------------

export const GITHUB_SECRET = "github-webhook-secret-for-fuzzing";
export const SECRETS = [SCANNER_SECRET, GITHUB_SECRET, SLACK_SECRET, MATTERMOST_TOKEN, SEAL_SECRET, demo.tokens.superuserGlobal.access_token, ...Object.values(API_KEY_VALUES)];

export interface World {
  tenant: Tenant;
  github: Awaited<ReturnType<typeof newGitHub>>;
  sink: Sink;
  discord: DiscordKeys;
  /** The partner-report signing key whose public half the fake GitHub publishes. */
  partner: { keyId: string; privateKey: CryptoKey };
  /** Every surface configured, so no answer is a "not configured" 503; a fresh KV slice and queue per call. */
  env(overrides?: Record<string, unknown>): Promise<Env>;
}

/** Alice may read and revoke everywhere, so a well-signed command reaches the core. */
const POLICY = {
  slack: { read: { users: [ALICE.slack] }, revoke: { users: [ALICE.slack] } },
  discord: { read: { users: [ALICE.discord] }, revoke: { users: [ALICE.discord] } },
  mattermost: { read: { users: [ALICE.mattermost] }, revoke: { users: [ALICE.mattermost] } },
};

export async function newWorld(): Promise<World> {
  const [tenant, github, discord, pair] = await Promise.all([
    newTenant(),
    newGitHub(),
    discordKeys(),
    crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]) as Promise<CryptoKeyPair>,
  ]);
  const keyId = `fuzz-${crypto.randomUUID()}`;
  const spki = new Uint8Array((await crypto.subtle.exportKey("spki", pair.publicKey)) as ArrayBuffer);
  const pem = `-----BEGIN PUBLIC KEY-----\n${bytesToBase64(spki).replace(/(.{64})/g, "$1\n")}\n-----END PUBLIC KEY-----\n`;
  await github.setKeys([{ key_identifier: keyId, key: pem, is_current: true }]);
  const partner = { keyId, privateKey: pair.privateKey };
  const sink = newSink();
  const keysUrl = `${github.baseUrl}/meta/public_keys/secret_scanning`;
  return {
    tenant,
    github,
    sink,
    discord,
    partner,
    env: (overrides = {}) =>
      testEnv(tenant, {
        SCANNER_WEBHOOK_SECRETS: SCANNER_SECRET,
        GITHUB_WEBHOOK_SECRET: GITHUB_SECRET,
        GITHUB_TOKEN: "gh-fuzz-token",
        GITHUB_API_BASE_URL: github.baseUrl,
        GITHUB_PARTNER_KEYS_URL: keysUrl,
        GITLAB_PARTNER_KEYS_URL: keysUrl,
        SLACK_SIGNING_SECRET: SLACK_SECRET,
        SLACK_RESPONSE_URL_PREFIX: `${emulatorUrl()}/__sinks/`,
        MATTERMOST_TOKEN,
        SEAL_SECRET,
        DISCORD_PUBLIC_KEY: discord.publicKeyHex,
        DISCORD_APPLICATION_ID: "123456789012345678",
        DISCORD_API_BASE_URL: sink.url,
        NOTIFY_SLACK_WEBHOOK_URL: sink.at("/notify"),
        CHAT_POLICY: JSON.stringify(POLICY),
        ...overrides,
      }),
  };
}

/** Signs a case the way its route's real sender would, replacing any signature headers the fuzzer chose. */
export async function sign(world: World, c: FuzzRequest): Promise<FuzzRequest> {
  const raw = c.body ?? new Uint8Array();
  const ts = String(Math.floor(Date.now() / 1000));
  const route = c.path.split("?")[0];
  const set = (extra: Record<string, string>) => {
    const names = new Set(Object.keys(extra).map((n) => n.toLowerCase()));
    return { ...c, headers: [...c.headers.filter(([n]) => !names.has(n.toLowerCase())), ...Object.entries(extra)] };
  };
  switch (route) {
    case "/hooks/github":
      return set({ "X-Hub-Signature-256": await signGitHubWebhook(GITHUB_SECRET, raw) });
    case "/hooks/github-partner":
    case "/hooks/gitlab-partner": {
      const prefix = route === "/hooks/github-partner" ? "Github" : "Gitlab";
      const sig = new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, world.partner.privateKey, raw));
      return set({ [`${prefix}-Public-Key-Identifier`]: world.partner.keyId, [`${prefix}-Public-Key-Signature`]: bytesToBase64(p1363ToDer(sig)) });
    }
    case "/hooks/scanner": {
      const id = `msg_${crypto.randomUUID()}`;
      return set({ "webhook-id": id, "webhook-timestamp": ts, "webhook-signature": await signStandardWebhook(SCANNER_SECRET, id, Number(ts), raw) });
    }
    case "/slack/commands":
    case "/slack/interactions":
      return set({ "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": await signSlackRequest(SLACK_SECRET, ts, raw) });
    case "/discord/interactions": {
      const sig = new Uint8Array(await crypto.subtle.sign("Ed25519", world.discord.privateKey, concatBytes(utf8(ts), raw)));
      return set({ "X-Signature-Ed25519": [...sig].map((b) => b.toString(16).padStart(2, "0")).join(""), "X-Signature-Timestamp": ts });
    }
    case "/mattermost/command":
      return set({ Authorization: `Token ${MATTERMOST_TOKEN}` });
    default:
      return c;
  }
}

// ---- sending and checking -------------------------------------------------------------------------------

export interface Reply {
  status: number;
  contentType: string;
  text: string;
}

/** Sends the case through the Worker's real fetch handler and waits for its waitUntil work (which must not throw). */
export async function send(env: Env, c: FuzzRequest): Promise<Reply> {
  const response = await callWorker(env, c.path, requestInit(c));
  return { status: response.status, contentType: response.headers.get("Content-Type") ?? "", text: await response.text() };
}

/**
 * What every answer must look like: no 5xx unless `upstreamFailed` says the upstream caused it; an error is a JSON
 * object with a non-empty `msg` (Fastly's shape, used by every surface but the browser dashboard, which answers
 * HTML); a success is empty or JSON; no configured secret ever appears.
 */
export function expectWellFormed(reply: Reply, c: FuzzRequest, upstreamFailed = false): void {
  const where = `${c.method} ${c.path} → ${reply.status} ${reply.text.slice(0, 200)}`;
  if (!upstreamFailed) expect(reply.status, where).toBeLessThan(500);
  for (const secret of SECRETS) expect(reply.text.includes(secret), `${where}: echoes a configured secret`).toBe(false);
  if (c.method.toUpperCase() === "HEAD") return;
  if (c.path.startsWith("/dashboard")) {
    // The dashboard is for browsers: its pages, errors included, are HTML (and its stylesheet CSS).
    if (reply.text !== "") expect(reply.contentType, where).toMatch(/^(text\/html|text\/css|application\/json)/);
    return;
  }
  if (reply.status >= 400) {
    expect(reply.contentType, where).toMatch(/^application\/json/);
    const json = JSON.parse(reply.text) as { msg?: unknown };
    expect(typeof json.msg === "string" && json.msg.length > 0, `${where}: error without a msg`).toBe(true);
  } else if (reply.text !== "") {
    expect(reply.contentType, where).toMatch(/^application\/json/);
    JSON.parse(reply.text);
  }
}

/** Marks where the world's logs stand, so `expectNoStateChange` sees only what one case caused. */
export async function mark(world: World): Promise<{ github: number; sink: number }> {
  await world.tenant.clearCalls();
  const [github, sink] = await Promise.all([world.github.calls(), world.sink.received()]);
  return { github: github.length, sink: sink.length };
}

/**
 * Nothing changed: no D1 row, no KV entry (the public-key cache aside, which only holds what GitHub publishes), nothing queued,
 * no mutating Fastly call that succeeded, no call that changes a GitHub alert, no chat message or notification sent.
 */
export async function expectNoStateChange(world: World, env: Env, before: { github: number; sink: number }, c: FuzzRequest): Promise<void> {
  const where = `${c.method} ${c.path}`;
  const kv = (await dumpKv(env)).filter((k) => !k.name.startsWith("pk:"));
  expect(kv, `${where}: KV changed`).toEqual([]);
  expect(await dumpD1(env), `${where}: D1 changed`).toEqual({ audit_log: [], ledger: [], claims: [], confirmations: [], sessions: [] });
  expect((env.REVOCATIONS as CapturedQueue).sent, `${where}: queued`).toEqual([]);
  const calls = await world.tenant.calls();
  const mutated = calls.filter((call) => !["GET", "HEAD"].includes(call.method) && call.status !== null && call.status < 400);
  expect(mutated, `${where}: a mutating Fastly call succeeded`).toEqual([]);
  const github = (await world.github.calls()).slice(before.github);
  expect(github.filter((call) => call.method !== "GET"), `${where}: GitHub changed`).toEqual([]);
  expect((await world.sink.received()).slice(before.sink), `${where}: a message was sent`).toEqual([]);
}

/** Sends `c` and asserts the usual refusal: a well-formed error (≥ 400) and no state change anywhere. */
export async function expectRefusedWithoutEffect(world: World, c: FuzzRequest): Promise<Reply> {
  const env = await world.env();
  const before = await mark(world);
  const reply = await send(env, c);
  expectWellFormed(reply, c);
  expect(reply.status, describeCase(c)).toBeGreaterThanOrEqual(400);
  await expectNoStateChange(world, env, before, c);
  return reply;
}

export { API_KEY_VALUES, demo, SCANNER_SECRET };
