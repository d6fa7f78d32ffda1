import { sha256Hex } from "../crypto/hash";
import { importEcdsaPublicKey, parseDerSignatureB64, verifyEcdsaP256 } from "./ecdsa";
import { failure, type VerifyResult } from "./result";

// Public keys for the secret-scanning partner format (GitHub: https://api.github.com/meta/public_keys/secret_scanning;
// GitLab provides its URL on request). Document shape: {"public_keys":[{key_identifier, key (PEM), is_current}]}.
//
// Lookup order for a key id, per URL:
//   1. the per-isolate cache (module scope, survives across requests in one isolate);
//   2. KV, when configured: key `pk:<sha256 hex of the URL>`, value
//      {"fetchedAt": <epoch s>, "public_keys": [{key_identifier, key}]}, written with expirationTtl = ttlSec
//      (at least KV's 60 s floor). It lets a fresh isolate start warm and lets one isolate's re-fetch
//      serve the others;
//   3. the network. A cold or expired cache is loaded; a fresh cache that lacks the id is re-fetched
//      once (key rotation), and such re-fetches happen at most once per `refetchIntervalSec` per URL in
//      an isolate, so random key ids cannot make us hammer (and get rate-limited by) GitHub.
// Keys are selected by identifier only: rotated-out keys stay listed with is_current:false and still
// sign in-flight reports.

export interface KeyCache {
  get(key: string): Promise<string | null>;
  put(key: string, value: string, opts: { expirationTtl: number }): Promise<void>;
}

/** The key list could not be fetched (network, non-2xx, bad JSON). Answer 503 so the sender may retry. */
export class PartnerKeysUnavailableError extends Error {
  override name = "PartnerKeysUnavailableError";
}

const DEFAULT_TTL_SEC = 1800; // PyPI's figure for GitHub's list
const DEFAULT_REFETCH_INTERVAL_SEC = 60;
const KV_MIN_TTL_SEC = 60;
const MAX_KEY_ID_LENGTH = 256;

interface KeysDoc {
  fetchedAt: number;
  pems: Map<string, string>; // key_identifier → PEM
}

interface UrlState {
  doc?: KeysDoc;
  imported: Map<string, Promise<CryptoKey | null>>; // PEM → key (PEMs are public)
  lastRefetchAt?: number;
  lastFailureAt?: number;
  inflight?: Promise<void>;
}

const isolateCache = new Map<string, UrlState>();

/** Forgets every cached key list and imported key in this isolate (tests, and after a config change). */
export function clearPartnerKeyCache(): void {
  isolateCache.clear();
}

export class PartnerKeyStore {
  private readonly url: string;
  private readonly fetchFn: typeof fetch;
  private readonly userAgent: string;
  private readonly authToken?: string;
  private readonly kv?: KeyCache;
  private readonly ttlSec: number;
  private readonly refetchIntervalSec: number;
  private readonly now: () => number;
  private kvKeyPromise?: Promise<string>;

  constructor(opts: {
    url: string;
    fetch?: typeof fetch;
    userAgent: string;
    authToken?: string;
    kv?: KeyCache;
    ttlSec?: number;
    refetchIntervalSec?: number;
    now?: () => number;
  }) {
    this.url = opts.url;
    // Wrapped so workerd never sees `fetch` invoked with this object as `this` ("Illegal invocation").
    this.fetchFn = opts.fetch ?? ((input, init) => fetch(input, init));
    this.userAgent = opts.userAgent;
    this.authToken = opts.authToken;
    this.kv = opts.kv;
    this.ttlSec = opts.ttlSec ?? DEFAULT_TTL_SEC;
    this.refetchIntervalSec = opts.refetchIntervalSec ?? DEFAULT_REFETCH_INTERVAL_SEC;
    this.now = opts.now ?? (() => Date.now() / 1000);
  }

  /**
   * The verification key for `keyId`, or null when the list (after at most one re-fetch) does not
   * publish it or its PEM does not import. Throws PartnerKeysUnavailableError when the list is needed
   * but cannot be fetched.
   */
  async getKey(keyId: string): Promise<CryptoKey | null> {
    const state = this.state();
    // Join a fetch already under way rather than judging a cache it is about to replace.
    if (state.inflight) await state.inflight.catch(() => undefined);
    const now = this.now();

    let readKv = false;
    if (!this.isFresh(state.doc, now)) {
      await this.loadFromKv(state, now);
      readKv = true;
    }
    let pem = this.fresh(state, now)?.pems.get(keyId);
    if (pem === undefined) {
      if (this.fresh(state, now)) {
        // Unknown id: another isolate may already have re-fetched the rotated list into KV.
        if (!readKv) await this.loadFromKv(state, now);
        pem = state.doc?.pems.get(keyId);
        if (pem === undefined) {
          if (state.lastRefetchAt !== undefined && now - state.lastRefetchAt < this.refetchIntervalSec) return null;
          state.lastRefetchAt = now;
          await this.fetchOnce(state, now);
        }
      } else {
        if (state.lastFailureAt !== undefined && now - state.lastFailureAt < this.refetchIntervalSec) {
          throw new PartnerKeysUnavailableError(`partner public keys unavailable (${this.host()}); retrying after a pause`);
        }
        await this.fetchOnce(state, now);
      }
      pem = state.doc?.pems.get(keyId);
      if (pem === undefined) return null;
    }
    return this.importPem(state, pem);
  }

  private state(): UrlState {
    let state = isolateCache.get(this.url);
    if (!state) {
      state = { imported: new Map() };
      isolateCache.set(this.url, state);
    }
    return state;
  }

  private isFresh(doc: KeysDoc | undefined, now: number): doc is KeysDoc {
    return doc !== undefined && now - doc.fetchedAt < this.ttlSec;
  }

  private fresh(state: UrlState, now: number): KeysDoc | undefined {
    return this.isFresh(state.doc, now) ? state.doc : undefined;
  }

  private kvKey(): Promise<string> {
    this.kvKeyPromise ??= sha256Hex(this.url).then((h) => `pk:${h}`);
    return this.kvKeyPromise;
  }

  /** Adopts the KV copy when it is fresh and newer than what this isolate holds. KV trouble is ignored: it is only a cache. */
  private async loadFromKv(state: UrlState, now: number): Promise<void> {
    if (!this.kv) return;
    let raw: string | null;
    try {
      raw = await this.kv.get(await this.kvKey());
    } catch {
      return;
    }
    if (!raw) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return;
    }
    const fetchedAt = (parsed as { fetchedAt?: unknown } | null)?.fetchedAt;
    const pems = parseKeysDocument(parsed);
    if (typeof fetchedAt !== "number" || !pems) return;
    const doc: KeysDoc = { fetchedAt, pems };
    if (!this.isFresh(doc, now)) return;
    if (state.doc && state.doc.fetchedAt >= fetchedAt) return;
    this.adopt(state, doc);
  }

  private fetchOnce(state: UrlState, now: number): Promise<void> {
    if (!state.inflight) {
      state.inflight = this.fetchDoc(state, now).finally(() => {
        state.inflight = undefined;
      });
    }
    return state.inflight;
  }

  private async fetchDoc(state: UrlState, now: number): Promise<void> {
    const headers: Record<string, string> = { Accept: "application/json", "User-Agent": this.userAgent };
    if (this.authToken) headers.Authorization = `Bearer ${this.authToken}`;
    let pems: Map<string, string> | null = null;
    let problem: string;
    try {
      const res = await this.fetchFn(this.url, { headers });
      if (res.ok) {
        pems = parseKeysDocument(await res.json());
        problem = "unexpected document shape";
      } else {
        problem = `HTTP ${res.status}`;
        await res.body?.cancel();
      }
    } catch (err) {
      // Only the error's class: messages from fetch can echo request details.
      problem = err instanceof SyntaxError ? "invalid JSON" : "network error";
    }
    if (!pems) {
      state.lastFailureAt = now;
      throw new PartnerKeysUnavailableError(`could not fetch partner public keys (${this.host()}): ${problem}`);
    }
    state.lastFailureAt = undefined;
    const doc: KeysDoc = { fetchedAt: now, pems };
    this.adopt(state, doc);
    if (this.kv) {
      const value = JSON.stringify({
        fetchedAt: now,
        public_keys: [...pems].map(([key_identifier, key]) => ({ key_identifier, key })),
      });
      try {
        await this.kv.put(await this.kvKey(), value, { expirationTtl: Math.max(KV_MIN_TTL_SEC, Math.ceil(this.ttlSec)) });
      } catch {
        // A failed KV write only costs a later isolate one fetch.
      }
    }
  }

  private adopt(state: UrlState, doc: KeysDoc): void {
    state.doc = doc;
    const live = new Set(doc.pems.values());
    for (const pem of state.imported.keys()) if (!live.has(pem)) state.imported.delete(pem);
  }

  private importPem(state: UrlState, pem: string): Promise<CryptoKey | null> {
    let key = state.imported.get(pem);
    if (!key) {
      // A key that does not import is treated as unpublished; the promise stays cached so a broken
      // entry costs one failed import per list, not one per request.
      key = importEcdsaPublicKey(pem).catch(() => null);
      state.imported.set(pem, key);
    }
    return key;
  }

  private host(): string {
    try {
      return new URL(this.url).host;
    } catch {
      return "invalid URL";
    }
  }
}

/** Id → PEM for every well-formed entry, or null when the document is not a key list at all. */
function parseKeysDocument(body: unknown): Map<string, string> | null {
  const list = (body as { public_keys?: unknown } | null)?.public_keys;
  if (!Array.isArray(list)) return null;
  const pems = new Map<string, string>();
  for (const entry of list) {
    const { key_identifier: id, key } = (entry ?? {}) as { key_identifier?: unknown; key?: unknown };
    if (typeof id === "string" && id && typeof key === "string" && key) pems.set(id, key);
  }
  return pems;
}

/**
 * Verifies a partner report (GitHub-Public-Key-Identifier / GitHub-Public-Key-Signature, or the GitLab
 * equivalents). The signature is checked for shape before any key lookup, so garbage never triggers a
 * fetch. Throws PartnerKeysUnavailableError when the key list cannot be fetched.
 */
export async function verifyPartnerReport(args: {
  store: PartnerKeyStore;
  keyId: string | null;
  signatureB64: string | null;
  rawBody: Uint8Array;
}): Promise<VerifyResult> {
  if (!args.keyId) return failure("missing");
  const parsed = parseDerSignatureB64(args.signatureB64);
  if (!parsed.ok) return parsed.result;
  if (args.keyId.length > MAX_KEY_ID_LENGTH) return failure("malformed");
  const key = await args.store.getKey(args.keyId);
  if (!key) return failure("unknown_key");
  return verifyEcdsaP256({ key, signatureB64: args.signatureB64, rawBody: args.rawBody });
}
