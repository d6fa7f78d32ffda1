/**
 * Cloudflare Access signing keys, per isolate. Access rotates its keys (every six weeks, with the next key published
 * in advance), so a key set is kept for a while and fetched again early when a token names a key id we have not
 * seen; never more than once per REFRESH_FLOOR_MS, so a flood of forged key ids cannot make us hammer the endpoint.
 */
const TTL_MS = 60 * 60 * 1000;
const REFRESH_FLOOR_MS = 30 * 1000;
const FETCH_TIMEOUT_MS = 3000;

interface Jwk {
  kty?: string;
  kid?: string;
  n?: string;
  e?: string;
  alg?: string;
  use?: string;
}

interface KeySet {
  fetchedAt: number;
  keys: Map<string, Promise<CryptoKey | null>>;
}

/** The key set could not be fetched or read: not the visitor's fault, so not a 403. */
export class JwksUnavailableError extends Error {
  override readonly name = "JwksUnavailableError";
}

const byUrl = new Map<string, KeySet>();
const pending = new Map<string, Promise<KeySet>>();
const pinned = new Map<string, KeySet>();

function importKeys(jwks: { keys?: unknown }, now: number): KeySet {
  const keys = new Map<string, Promise<CryptoKey | null>>();
  for (const jwk of (Array.isArray(jwks.keys) ? jwks.keys : []) as Jwk[]) {
    if (jwk?.kty !== "RSA" || typeof jwk.kid !== "string" || !jwk.n || !jwk.e) continue;
    if (jwk.alg && jwk.alg !== "RS256") continue;
    const key = crypto.subtle
      .importKey("jwk", { kty: "RSA", n: jwk.n, e: jwk.e, alg: "RS256", ext: true }, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, [
        "verify",
      ])
      .catch(() => null);
    keys.set(jwk.kid, key);
  }
  return { fetchedAt: now, keys };
}

async function fetchKeySet(url: string, fetchFn: typeof fetch, now: number): Promise<KeySet> {
  let body: unknown;
  try {
    const res = await fetchFn(url, { headers: { Accept: "application/json" }, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    if (!res.ok) {
      await res.body?.cancel();
      throw new JwksUnavailableError(`the Access key set answered ${res.status}`);
    }
    body = await res.json();
  } catch (err) {
    if (err instanceof JwksUnavailableError) throw err;
    throw new JwksUnavailableError("the Access key set could not be fetched");
  }
  return importKeys(body as { keys?: unknown }, now);
}

export interface KeySource {
  /** A pinned key set (JSON text); when present nothing is fetched. */
  json?: string;
  url: string;
  fetch?: typeof fetch;
  now?: () => number;
}

/** The verification key for `kid`, or null when the key set does not have it. Throws JwksUnavailableError. */
export async function accessKey(source: KeySource, kid: string): Promise<CryptoKey | null> {
  const now = source.now?.() ?? Date.now();
  if (source.json !== undefined) {
    let set = pinned.get(source.json);
    if (!set) {
      set = importKeys(JSON.parse(source.json) as { keys?: unknown }, now);
      pinned.set(source.json, set);
    }
    return (await set.keys.get(kid)) ?? null;
  }
  const fetchFn = source.fetch ?? ((input, init) => fetch(input, init));
  let set = byUrl.get(source.url);
  const stale = !set || now - set.fetchedAt > TTL_MS;
  const unknownKid = set !== undefined && !set.keys.has(kid) && now - set.fetchedAt > REFRESH_FLOOR_MS;
  if (stale || unknownKid) {
    let inflight = pending.get(source.url);
    if (!inflight) {
      inflight = fetchKeySet(source.url, fetchFn, now).finally(() => pending.delete(source.url));
      pending.set(source.url, inflight);
    }
    try {
      set = await inflight;
      byUrl.set(source.url, set);
    } catch (err) {
      // A key set we already hold is still good for the keys it has: an outage at Access must not lock everyone out.
      if (!set) throw err;
    }
  }
  return (await set!.keys.get(kid)) ?? null;
}
