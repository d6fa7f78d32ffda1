/**
 * Cloudflare Access signing keys, per isolate. Access rotates its keys (every six weeks, with the next key published
 * in advance), so a key set is kept for a while and fetched again early when a token names a key id we have not
 * seen. Whatever arrives, the endpoint is asked at most once per REFRESH_FLOOR_MS: the floor runs from the last
 * *attempt*, and a failed attempt is remembered like a success, so neither a flood of forged key ids nor a flood of
 * forged assertions during an outage at Access turns into a flood of fetches (each up to FETCH_TIMEOUT_MS).
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

/** What we know about one certs URL: the last key set read, and the last attempt to read one. */
interface Known {
  set?: KeySet;
  attemptedAt: number;
  /** Why the last attempt failed; kept only while no key set is held, and thrown again until the floor passes. */
  failure?: JwksUnavailableError;
}

const byUrl = new Map<string, Known>();
const pending = new Map<string, Promise<void>>();
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
  const known = byUrl.get(source.url);
  const set = known?.set;
  const wanted = !set || now - set.fetchedAt > TTL_MS || !set.keys.has(kid);
  const cooledDown = !known || now - known.attemptedAt >= REFRESH_FLOOR_MS;
  let inflight = pending.get(source.url);
  if (!inflight && wanted && cooledDown) {
    inflight = refresh(source.url, fetchFn, now, set).finally(() => pending.delete(source.url));
    pending.set(source.url, inflight);
  }
  if (inflight) await inflight;
  const current = byUrl.get(source.url);
  if (!current?.set) throw current?.failure ?? new JwksUnavailableError("the Access key set could not be fetched");
  return (await current.set.keys.get(kid)) ?? null;
}

/** One attempt; its time is recorded first, so requests arriving meanwhile or after a failure wait for the floor. */
async function refresh(url: string, fetchFn: typeof fetch, now: number, held: KeySet | undefined): Promise<void> {
  byUrl.set(url, { set: held, attemptedAt: now });
  try {
    byUrl.set(url, { set: await fetchKeySet(url, fetchFn, now), attemptedAt: now });
  } catch (err) {
    // A key set we already hold is still good for the keys it has: an outage at Access must not lock everyone out.
    const failure = err instanceof JwksUnavailableError ? err : new JwksUnavailableError("the Access key set could not be read");
    byUrl.set(url, held ? { set: held, attemptedAt: now } : { attemptedAt: now, failure });
  }
}
