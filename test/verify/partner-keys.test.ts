import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/crypto/hash";
import {
  clearPartnerKeyCache,
  type KeyCache,
  PartnerKeysUnavailableError,
  PartnerKeyStore,
  verifyPartnerReport,
} from "../../src/verify/partner-keys";
import { bytes, generateP256, publicKeyPem, signPartner, V1B } from "./support";

const kv = (env as unknown as { TOKENS_KV: KVNamespace }).TOKENS_KV;
const BODY = bytes(V1B.body);
const USER_AGENT = "fastly-token-webhooks-test/1";
const PAT = "ghp_pat_that_must_never_leak_0123456789";

type PublicKey = { key_identifier: string; key: string; is_current: boolean };

/**
 * A stand-in for GitHub's meta endpoint: serves whatever key list the test sets, counts requests,
 * and records their headers. It is the network boundary, so injecting it is the point of the option.
 */
function fakeMeta(initial: PublicKey[] | (() => Response)) {
  const calls: Request[] = [];
  let serve: PublicKey[] | (() => Response) = initial;
  const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push(new Request(input, init));
    if (typeof serve === "function") return serve();
    return Response.json({ public_keys: serve });
  }) as typeof fetch;
  return {
    fetch: fetchFn,
    calls,
    set(next: PublicKey[] | (() => Response)) {
      serve = next;
    },
  };
}

// GitHub's list keeps the V1-b key with is_current:false next to the current one.
const v1bRotatedOut: PublicKey = { key_identifier: V1B.keyId, key: V1B.pem, is_current: false };

let url: string;
let clock: number;
beforeEach(() => {
  clearPartnerKeyCache();
  // A fresh URL per test keeps both the isolate cache and the KV entry private to the test.
  url = `https://api.github.test/meta/public_keys/secret_scanning/${crypto.randomUUID()}`;
  clock = 1_700_000_000;
});

function store(meta: ReturnType<typeof fakeMeta>, extra: Partial<ConstructorParameters<typeof PartnerKeyStore>[0]> = {}) {
  return new PartnerKeyStore({ url, fetch: meta.fetch, userAgent: USER_AGENT, now: () => clock, ...extra });
}

describe("PartnerKeyStore", () => {
  it("fetches the list once for two lookups", async () => {
    const meta = fakeMeta([v1bRotatedOut]);
    const s = store(meta);
    expect(await s.getKey(V1B.keyId)).not.toBeNull();
    expect(await s.getKey(V1B.keyId)).not.toBeNull();
    expect(meta.calls.length).toBe(1);
  });

  it("shares one fetch between concurrent cold lookups", async () => {
    const meta = fakeMeta([v1bRotatedOut]);
    const s = store(meta);
    const keys = await Promise.all([s.getKey(V1B.keyId), s.getKey(V1B.keyId), s.getKey("other")]);
    expect(keys[0]).not.toBeNull();
    expect(meta.calls.length).toBe(1);
  });

  it("keeps the per-isolate cache across store instances for the same URL", async () => {
    const meta = fakeMeta([v1bRotatedOut]);
    await store(meta).getKey(V1B.keyId);
    expect(await store(meta).getKey(V1B.keyId)).not.toBeNull();
    expect(meta.calls.length).toBe(1);
  });

  it("sends a User-Agent, asks for JSON, and authenticates with the PAT when one is configured", async () => {
    const meta = fakeMeta([v1bRotatedOut]);
    await store(meta, { authToken: PAT }).getKey(V1B.keyId);
    const req = meta.calls[0] as Request;
    expect(req.url).toBe(url);
    expect(req.method).toBe("GET");
    expect(req.headers.get("user-agent")).toBe(USER_AGENT);
    expect(req.headers.get("accept")).toContain("json");
    expect(req.headers.get("authorization")).toBe(`Bearer ${PAT}`);
  });

  it("sends no Authorization header without a PAT", async () => {
    const meta = fakeMeta([v1bRotatedOut]);
    await store(meta).getKey(V1B.keyId);
    expect(meta.calls[0]?.headers.has("authorization")).toBe(false);
  });

  it("re-fetches exactly once for an unknown key id, then rejects it", async () => {
    const meta = fakeMeta([v1bRotatedOut]);
    const s = store(meta);
    await s.getKey(V1B.keyId);
    expect(await s.getKey("deadbeef")).toBeNull();
    expect(meta.calls.length).toBe(2);
  });

  it("throttles re-fetches: a second unknown id within the interval does not fetch, one after it does", async () => {
    const meta = fakeMeta([v1bRotatedOut]);
    const s = store(meta, { refetchIntervalSec: 60 });
    await s.getKey(V1B.keyId);
    expect(await s.getKey("unknown-1")).toBeNull();
    clock += 59;
    expect(await s.getKey("unknown-2")).toBeNull();
    expect(await s.getKey("unknown-1")).toBeNull();
    expect(meta.calls.length).toBe(2);
    clock += 1;
    expect(await s.getKey("unknown-2")).toBeNull();
    expect(meta.calls.length).toBe(3);
  });

  it("finds a key added by rotation through the re-fetch", async () => {
    const meta = fakeMeta([{ ...v1bRotatedOut, is_current: true }]);
    const s = store(meta);
    await s.getKey(V1B.keyId);
    const { privateKey, publicKey } = await generateP256();
    const newId = "a1".repeat(32);
    meta.set([v1bRotatedOut, { key_identifier: newId, key: await publicKeyPem(publicKey), is_current: true }]);
    const report = await verifyPartnerReport({ store: s, keyId: newId, signatureB64: await signPartner(privateKey, BODY), rawBody: BODY });
    expect(report).toEqual({ ok: true });
    expect(meta.calls.length).toBe(2);
  });

  it("reloads the list when the TTL has passed", async () => {
    const meta = fakeMeta([v1bRotatedOut]);
    const s = store(meta, { ttlSec: 1800 });
    await s.getKey(V1B.keyId);
    clock += 1799;
    await s.getKey(V1B.keyId);
    expect(meta.calls.length).toBe(1);
    clock += 1;
    await s.getKey(V1B.keyId);
    expect(meta.calls.length).toBe(2);
  });

  it("writes the list to KV under pk:<sha256 of the URL> with the TTL", async () => {
    const meta = fakeMeta([v1bRotatedOut]);
    await store(meta, { kv }).getKey(V1B.keyId);
    const stored = await kv.getWithMetadata(`pk:${await sha256Hex(url)}`);
    expect(stored.value).not.toBeNull();
    const doc = JSON.parse(stored.value as string);
    expect(doc.fetchedAt).toBe(clock);
    expect(doc.public_keys).toEqual([{ key_identifier: V1B.keyId, key: v1bRotatedOut.key }]);
  });

  it("starts warm from KV: a new isolate cache reads KV and does not fetch", async () => {
    const first = fakeMeta([v1bRotatedOut]);
    await store(first, { kv }).getKey(V1B.keyId);
    clearPartnerKeyCache();
    const second = fakeMeta([]);
    const s = store(second, { kv });
    const report = await verifyPartnerReport({ store: s, keyId: V1B.keyId, signatureB64: V1B.signature, rawBody: BODY });
    expect(report).toEqual({ ok: true });
    expect(second.calls.length).toBe(0);
  });

  it("ignores a KV copy older than the TTL", async () => {
    const first = fakeMeta([v1bRotatedOut]);
    await store(first, { kv, ttlSec: 600 }).getKey(V1B.keyId);
    clearPartnerKeyCache();
    clock += 600;
    const second = fakeMeta([v1bRotatedOut]);
    await store(second, { kv, ttlSec: 600 }).getKey(V1B.keyId);
    expect(second.calls.length).toBe(1);
  });

  it("picks up another isolate's re-fetch from KV before going to the network", async () => {
    const { privateKey, publicKey } = await generateP256();
    const newKey = { key_identifier: "b2".repeat(32), key: await publicKeyPem(publicKey), is_current: true };
    const meta = fakeMeta([v1bRotatedOut]);
    const s = store(meta, { kv });
    await s.getKey(V1B.keyId);
    // Another isolate re-fetched a second later and wrote the rotated list in the documented format.
    clock += 1;
    const rotated = { fetchedAt: clock, public_keys: [v1bRotatedOut, newKey] };
    await kv.put(`pk:${await sha256Hex(url)}`, JSON.stringify(rotated), { expirationTtl: 1800 });
    const signatureB64 = await signPartner(privateKey, BODY);
    const report = await verifyPartnerReport({ store: s, keyId: newKey.key_identifier, signatureB64, rawBody: BODY });
    expect(report).toEqual({ ok: true });
    expect(meta.calls.length).toBe(1);
  });

  it("survives a KV that throws, by fetching", async () => {
    const broken: KeyCache = {
      get: () => Promise.reject(new Error("kv down")),
      put: () => Promise.reject(new Error("kv down")),
    };
    const meta = fakeMeta([v1bRotatedOut]);
    expect(await store(meta, { kv: broken }).getKey(V1B.keyId)).not.toBeNull();
    expect(meta.calls.length).toBe(1);
  });

  it("throws PartnerKeysUnavailableError when the list cannot be fetched, without quoting the PAT", async () => {
    const meta = fakeMeta(() => new Response(`bad credentials for ${PAT}`, { status: 401 }));
    const error = await store(meta, { authToken: PAT })
      .getKey(V1B.keyId)
      .then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(PartnerKeysUnavailableError);
    expect(String(error)).toContain("401");
    expect(String(error)).not.toContain(PAT);
    expect(JSON.stringify(error)).not.toContain(PAT);
  });

  it("does not hammer a failing endpoint: a second cold lookup within the interval fails without fetching", async () => {
    const meta = fakeMeta(() => new Response("oops", { status: 503 }));
    const s = store(meta);
    await expect(s.getKey(V1B.keyId)).rejects.toThrow(PartnerKeysUnavailableError);
    await expect(s.getKey(V1B.keyId)).rejects.toThrow(PartnerKeysUnavailableError);
    expect(meta.calls.length).toBe(1);
    clock += 60;
    meta.set([v1bRotatedOut]);
    expect(await s.getKey(V1B.keyId)).not.toBeNull();
    expect(meta.calls.length).toBe(2);
  });

  it.each([
    ["invalid JSON", () => new Response("<html>", { headers: { "content-type": "application/json" } })],
    ["a document without public_keys", () => Response.json({ message: "Not Found" })],
    ["a network error", () => { throw new TypeError("connection refused"); }],
  ])("treats %s as unavailable", async (_name, respond) => {
    const meta = fakeMeta(respond as () => Response);
    await expect(store(meta).getKey(V1B.keyId)).rejects.toThrow(PartnerKeysUnavailableError);
  });

  it("treats a published key that does not import as unknown", async () => {
    const meta = fakeMeta([{ key_identifier: "broken", key: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", is_current: true }]);
    expect(await store(meta).getKey("broken")).toBeNull();
  });
});

describe("verifyPartnerReport", () => {
  it("accepts the V1-b vector with its key listed as is_current:false", async () => {
    const meta = fakeMeta([v1bRotatedOut]);
    const report = await verifyPartnerReport({ store: store(meta), keyId: V1B.keyId, signatureB64: V1B.signature, rawBody: BODY });
    expect(report).toEqual({ ok: true });
  });

  it("selects the key by identifier, not by is_current", async () => {
    const { publicKey } = await generateP256();
    const current = { key_identifier: "c3".repeat(32), key: await publicKeyPem(publicKey), is_current: true };
    const meta = fakeMeta([current, v1bRotatedOut]);
    const report = await verifyPartnerReport({ store: store(meta), keyId: V1B.keyId, signatureB64: V1B.signature, rawBody: BODY });
    expect(report).toEqual({ ok: true });
  });

  it("rejects the V1-b signature over an empty array body", async () => {
    const meta = fakeMeta([v1bRotatedOut]);
    const report = await verifyPartnerReport({ store: store(meta), keyId: V1B.keyId, signatureB64: V1B.signature, rawBody: bytes("[]") });
    expect(report).toEqual({ ok: false, reason: "mismatch" });
  });

  it("rejects a report signed with a key other than the one its id names", async () => {
    const { privateKey } = await generateP256();
    const meta = fakeMeta([v1bRotatedOut]);
    const forged = await signPartner(privateKey, BODY);
    const report = await verifyPartnerReport({ store: store(meta), keyId: V1B.keyId, signatureB64: forged, rawBody: BODY });
    expect(report).toEqual({ ok: false, reason: "mismatch" });
  });

  it("reports an unknown key id after one re-fetch", async () => {
    const meta = fakeMeta([v1bRotatedOut]);
    const s = store(meta);
    await s.getKey(V1B.keyId);
    const report = await verifyPartnerReport({ store: s, keyId: "0".repeat(64), signatureB64: V1B.signature, rawBody: BODY });
    expect(report).toEqual({ ok: false, reason: "unknown_key" });
    expect(meta.calls.length).toBe(2);
  });

  it.each([
    ["key id", { keyId: null }, "missing"],
    ["signature", { signatureB64: null }, "missing"],
    ["bad base64 signature", { signatureB64: "fakesignature" }, "malformed"],
    ["non-DER signature", { signatureB64: "AAAA" }, "malformed"],
    ["over-long key id", { keyId: "a".repeat(257) }, "malformed"],
  ])("rejects a report with a %s before fetching any key", async (_name, over, reason) => {
    const meta = fakeMeta([v1bRotatedOut]);
    const report = await verifyPartnerReport({ store: store(meta), keyId: V1B.keyId, signatureB64: V1B.signature, rawBody: BODY, ...over });
    expect(report).toEqual({ ok: false, reason });
    expect(meta.calls.length).toBe(0);
  });
});
