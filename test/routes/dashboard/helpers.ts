import { base64UrlEncode, utf8 } from "../../../src/crypto/bytes";
import type { Env } from "../../../src/env";
import type { DashboardOptions } from "../../../src/routes/dashboard";
import { callWorker, type Tenant, testEnv, WORKER_ORIGIN } from "../../helpers";

export const SESSION_SECRET = "dashboard-session-secret-for-tests-0123456789";
export const ORIGIN = WORKER_ORIGIN;

/**
 * How a test reaches the dashboard: always the real app (src/app.ts, through the Worker's fetch handler), optionally
 * with a stand-in answering for the Cloudflare Access team's key-set endpoint, which tests cannot reach.
 */
export interface DashboardApp {
  accessEndpoint?: typeof fetch;
}

/** The real app with `options.fetch` answering for the Access team's host (`ACCESS_TEAM`). */
export function dashboardApp(options: DashboardOptions = {}): DashboardApp {
  return options.fetch ? { accessEndpoint: options.fetch } : {};
}

export async function dashboardEnv(t: Tenant, overrides: Record<string, unknown> = {}): Promise<Env> {
  return testEnv(t, { DASHBOARD_SESSION_SECRET: SESSION_SECRET, ...overrides });
}

/** One request to the real app, redirects not followed (the dashboard answers 303s the test inspects). */
export async function call(env: Env, path: string, init: RequestInit = {}, app: DashboardApp = {}): Promise<Response> {
  const send = () => callWorker(env, path, { redirect: "manual", ...init });
  return app.accessEndpoint ? withAccessEndpoint(app.accessEndpoint, send) : send();
}

/**
 * Runs `fn` with requests to the Access team's host answered by `endpoint` and every other request untouched.
 * The app builds its dashboard with the default fetch (createDashboard's `fetch` option is not reachable through
 * src/app.ts), so the stand-in goes in front of the global fetch for the length of one request.
 */
async function withAccessEndpoint<T>(endpoint: typeof fetch, fn: () => Promise<T>): Promise<T> {
  const original = globalThis.fetch;
  const accessOrigin = new URL(ACCESS_TEAM).origin;
  globalThis.fetch = ((input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    return new URL(url).origin === accessOrigin ? endpoint(input, init) : original(input, init);
  }) as typeof fetch;
  try {
    return await fn();
  } finally {
    globalThis.fetch = original;
  }
}

/** `name=value` of the Set-Cookie in `res`, for the next request's Cookie header. */
export function cookieFrom(res: Response): string {
  const set = res.headers.get("Set-Cookie") ?? "";
  return set.split(";")[0]!;
}

export function form(fields: Record<string, string>, headers: Record<string, string> = {}): RequestInit {
  return {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, ...headers },
    body: new URLSearchParams(fields).toString(),
  };
}

/** Signs in with an API key and returns the session cookie. */
export async function signIn(env: Env, apiKey: string): Promise<string> {
  const res = await call(env, "/dashboard/login", form({ api_key: apiKey }));
  if (res.status !== 303) throw new Error(`sign-in failed: ${res.status}`);
  return cookieFrom(res);
}

/** The hidden CSRF field of the first form that has one. */
export function csrfIn(html: string): string {
  const m = /name="csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error("no CSRF field on the page");
  return m[1]!;
}

/** An RSA key pair standing in for a Cloudflare Access team's signing key. */
export interface AccessSigner {
  kid: string;
  jwks: { keys: Record<string, unknown>[] };
  sign(payload: Record<string, unknown>, header?: Record<string, unknown>): Promise<string>;
}

export async function accessSigner(kid: string): Promise<AccessSigner> {
  const pair = (await crypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["sign", "verify"],
  )) as CryptoKeyPair;
  const jwk = (await crypto.subtle.exportKey("jwk", pair.publicKey)) as JsonWebKey;
  const b64 = (v: unknown) => base64UrlEncode(utf8(JSON.stringify(v)));
  return {
    kid,
    jwks: { keys: [{ kid, kty: "RSA", alg: "RS256", use: "sig", n: jwk.n, e: jwk.e }] },
    async sign(payload, header = {}) {
      const input = `${b64({ alg: "RS256", kid, typ: "JWT", ...header })}.${b64(payload)}`;
      const sig = new Uint8Array(await crypto.subtle.sign("RSASSA-PKCS1-v1_5", pair.privateKey, utf8(input)));
      return `${input}.${base64UrlEncode(sig)}`;
    },
  };
}

export const ACCESS_TEAM = "https://acme-team.cloudflareaccess.com";
export const ACCESS_AUD = "4714c1358e65fe4b408ad6d432a5f878f08194bdb4752441fd56faefa9b2b6f2";

/** Claims as Cloudflare Access issues them for a signed-in user, valid for an hour from now. */
export function accessClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    aud: [ACCESS_AUD],
    email: "alice@acme.example",
    exp: now + 3600,
    iat: now - 10,
    nbf: now - 10,
    iss: ACCESS_TEAM,
    type: "app",
    identity_nonce: "6ei69kawdKzMIAPF",
    sub: "7335d417-61da-459d-899c-0a01c76a2f94",
    country: "DE",
    ...overrides,
  };
}
