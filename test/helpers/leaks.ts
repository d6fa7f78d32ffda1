import { bytesToBase64, utf8 } from "../../src/crypto/bytes";
import type { Env } from "../../src/env";
import { signStandardWebhook } from "../../src/verify/standard-webhooks";
import { p1363ToDer } from "../verify/support";
import { emulatorUrl, newTenant } from "./emulator";
import { type CapturedQueue, testEnv } from "./env";
import { callWorker } from "./request";
import { newSink } from "./sink";

export const SCANNER_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/** Posts a Standard-Webhooks-signed scanner report. */
export async function postScannerReport(
  env: Env,
  body: string,
  opts: { id?: string; timestamp?: number; secret?: string; signature?: string } = {},
): Promise<Response> {
  const id = opts.id ?? `msg_${crypto.randomUUID()}`;
  const ts = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = opts.signature ?? (await signStandardWebhook(opts.secret ?? SCANNER_SECRET, id, ts, utf8(body)));
  return callWorker(env, "/hooks/scanner", {
    method: "POST",
    headers: { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": signature },
    body,
  });
}

/** A tenant, a notification sink and an env with the scanner intake configured. */
export async function scannerSetup(overrides: Record<string, unknown> = {}) {
  const t = await newTenant();
  const sink = newSink("notify");
  const env = await testEnv(t, { SCANNER_WEBHOOK_SECRETS: SCANNER_SECRET, NOTIFY_SLACK_WEBHOOK_URL: sink.url, ...overrides });
  return { t, sink, env, queue: env.REVOCATIONS as CapturedQueue };
}

/** An isolated fake GitHub on the emulator. */
export async function newGitHub(): Promise<{
  baseUrl: string;
  addAlert(a: { repository: string; number: number; secret: string; secret_type?: string }): Promise<void>;
  alert(repository: string, n: number): Promise<{ state: string; resolution: string | null; resolution_comment: string | null }>;
  setKeys(keys: { key_identifier: string; key: string; is_current: boolean }[]): Promise<void>;
  fail(path: string, status: number, count: number): Promise<void>;
  calls(): Promise<{ method: string; path: string; status: number; authorized: boolean; userAgent: string | null }[]>;
}> {
  const { baseUrl } = (await (await fetch(`${emulatorUrl()}/__emulator/github`, { method: "POST" })).json()) as { baseUrl: string };
  const post = (path: string, body: unknown) => fetch(`${baseUrl}/__control/${path}`, { method: "POST", body: JSON.stringify(body) }).then((r) => r.body?.cancel());
  return {
    baseUrl,
    addAlert: (a) => post("alerts", a),
    alert: async (repo, n) => (await (await fetch(`${baseUrl}/__control/alerts/${repo}/${n}`)).json()) as never,
    setKeys: (keys) => post("keys", { public_keys: keys }),
    fail: (path, status, count) => post("faults", { path, status, count }),
    calls: async () => (await (await fetch(`${baseUrl}/__control/calls`)).json()) as never,
  };
}

/** A P-256 key pair whose public half is served as a partner key; signs bodies the way GitHub does (base64 DER). */
export async function partnerSigner(keyId: string) {
  const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const spki = new Uint8Array((await crypto.subtle.exportKey("spki", pair.publicKey)) as ArrayBuffer);
  const pem = `-----BEGIN PUBLIC KEY-----\n${bytesToBase64(spki).replace(/(.{64})/g, "$1\n")}\n-----END PUBLIC KEY-----\n`;
  return {
    keyId,
    publicKey: { key_identifier: keyId, key: pem, is_current: true },
    async sign(body: string): Promise<string> {
      const sig = new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, pair.privateKey, utf8(body)));
      return bytesToBase64(p1363ToDer(sig));
    },
  };
}
