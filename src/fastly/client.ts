import { FastlyArgumentError } from "./errors";
import type { FastlyClientOptions, RateLimit, RequestOptions } from "./options";
import { unknownRateLimit } from "./rate-limit";
import { type CallSpec, send, type Transport } from "./request";
import {
  type SudoResponse,
  SudoResponseSchema,
  type TokenCreatedResponse,
  TokenCreatedResponseSchema,
  TokenListSchema,
  type TokenResponse,
  TokenResponseSchema,
  type TokenScope,
  type UserResponse,
  UserResponseSchema,
} from "./schemas";
import { defaultSleep } from "./signals";
import { DEFAULT_BASE_URL, normaliseBaseUrl, segment } from "./url";
import {
  assertHeaderValue,
  assertId,
  assertOptionalText,
  assertSecret,
  assertServices,
  bulkIds,
  normaliseDateTime,
  normaliseScope,
} from "./validate";
import { DEFAULT_USER_AGENT } from "./version";

/**
 * Fields of `POST /tokens`. Give `username` + `password` to create a token with credentials (no `Fastly-Key` is
 * sent then), or neither to use the client's key, which needs an open sudo window (see {@link FastlyClient.sudo}).
 *
 * @example
 * ```ts
 * const params: CreateTokenParams = {
 *   username: "ops@example.com", password, otp: "123456",
 *   name: "ci-purge", scope: ["purge_select"], services: ["0Us63sb8R1BpWQBIhluncu"],
 *   expires_at: new Date(Date.now() + 7 * 86_400_000),
 * };
 * ```
 */
export interface CreateTokenParams {
  username?: string;
  password?: string;
  /** One-time password, sent as the `Fastly-OTP` header. */
  otp?: string;
  name?: string;
  /** A space-delimited string or a list; each word must be one of `TOKEN_SCOPES`. */
  scope?: string | TokenScope[];
  /** Service ids; encoded as repeated `services[]=` fields. */
  services?: string[];
  /** ISO 8601 date-time with offset, or a Date (sent as `YYYY-MM-DDTHH:MM:SSZ`). */
  expires_at?: string | Date;
}

/**
 * Parameters of {@link FastlyClient.bulkRevokeTokens}: the JSON:API body as Fastly defines it, or just the ids.
 *
 * @example
 * ```ts
 * const a: BulkRevokeParams = { token_ids: ["2j1hEyxXOEqYaSipeZHaW4"] };
 * const b: BulkRevokeParams = { request_body: { data: [{ id: "2j1hEyxXOEqYaSipeZHaW4", type: "token" }] } };
 * ```
 */
export type BulkRevokeParams = { request_body: { data: { id: string; type: "token" }[] } } | { token_ids: string[] };

/**
 * Parameters of {@link FastlyClient.sudo}.
 *
 * @example
 * ```ts
 * const params: SudoParams = { password, expiry_time: "2026-01-02T03:09:05Z" };
 * ```
 */
export interface SudoParams {
  password: string;
  username?: string;
  expiry_time?: string;
}

const FORM = "application/x-www-form-urlencoded";
const JSON_API_BULK = "application/vnd.api+json; ext=bulk";

function resolveFetch(option: FastlyClientOptions["fetch"]): (request: Request) => Promise<Response> {
  // Called as a plain function: a platform fetch invoked as a method of another object throws "Illegal invocation".
  if (option) {
    const fetchFn = option as (request: Request) => Promise<Response>;
    return (request) => fetchFn(request);
  }
  return (request) => globalThis.fetch(request);
}

function nonNegative(argument: string, value: number): number {
  if (typeof value !== "number" || !(value >= 0)) {
    throw new FastlyArgumentError(argument, `${argument} must be a number >= 0`);
  }
  return value;
}

function positive(argument: string, value: unknown): number {
  if (typeof value !== "number" || !(value > 0)) {
    throw new FastlyArgumentError(argument, `${argument} must be a number > 0`);
  }
  return value;
}

/**
 * A thin, fetch-native client for Fastly's eight API-token operations (plus `POST /sudo`).
 * No framework, no platform globals beyond `fetch`/`Request`/`AbortSignal`: it runs in Workers, Node, Deno and
 * browsers. Every failure is a {@link FastlyApiError} (or a {@link FastlyArgumentError} before any request), with
 * secrets redacted; a caller's abort rejects with the caller's own `signal.reason`.
 *
 * @example
 * ```ts
 * const fastly = new FastlyClient({ apiKey: env.FASTLY_API_KEY });
 * const me = await fastly.getTokenCurrent();
 * const leaked = await fastly.withKey(leakedValue).getTokenCurrent(); // proves it is live
 * await fastly.revokeToken({ token_id: leaked.id! });
 * console.log(fastly.rateLimit.remaining);
 * ```
 */
export class FastlyClient {
  // Private fields (not TS `private`) so the key never shows in util.inspect, console.log or JSON.stringify.
  readonly #options: FastlyClientOptions;
  readonly #apiKey: string | undefined;
  readonly #transport: Transport;
  #rateLimit: RateLimit = unknownRateLimit();

  constructor(options: FastlyClientOptions = {}) {
    if (options.apiKey !== undefined) assertHeaderValue("apiKey", options.apiKey);
    const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
    assertHeaderValue("userAgent", userAgent);
    const retries = nonNegative("retries", options.retries ?? 2);
    if (!Number.isInteger(retries)) throw new FastlyArgumentError("retries", "retries must be an integer");
    const delay = options.retryDelayMs ?? { base: 200, max: 2000 };
    const rateLimitWait = options.rateLimitWait ?? false;
    if (rateLimitWait !== false) nonNegative("rateLimitWait.maxWaitMs", rateLimitWait.maxWaitMs);
    this.#options = { ...options };
    this.#apiKey = options.apiKey;
    this.#transport = {
      baseUrl: normaliseBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL),
      fetch: resolveFetch(options.fetch),
      userAgent,
      timeoutMs: positive("timeoutMs", options.timeoutMs ?? 10_000),
      retries,
      retryDelayMs: {
        base: nonNegative("retryDelayMs.base", delay.base),
        max: nonNegative("retryDelayMs.max", delay.max),
      },
      rateLimitWait: rateLimitWait === false ? false : { maxWaitMs: rateLimitWait.maxWaitMs },
      sleep: options.sleep ?? defaultSleep,
      onRateLimit: (rl) => {
        this.#rateLimit = {
          remaining: rl.remaining ?? this.#rateLimit.remaining,
          reset: rl.reset ?? this.#rateLimit.reset,
        };
      },
    };
  }

  /**
   * The latest `Fastly-RateLimit-*` figures, from the last non-GET response that carried them (a copy).
   *
   * @example
   * ```ts
   * await client.revokeTokenCurrent();
   * if ((client.rateLimit.remaining ?? Infinity) < 10) slowDown();
   * ```
   */
  get rateLimit(): RateLimit {
    return { ...this.#rateLimit };
  }

  /**
   * A client with the same options and another key, e.g. to act as a leaked token or to pass a caller's key
   * through. Its rate-limit figures start empty: Fastly counts per user, and the key may belong to another one.
   *
   * @example
   * ```ts
   * const self = await client.withKey(leakedValue).getTokenCurrent();
   * ```
   */
  withKey(apiKey: string): FastlyClient {
    assertHeaderValue("apiKey", apiKey);
    return new FastlyClient({ ...this.#options, apiKey });
  }

  /**
   * `GET /tokens/self`: the token the request is authenticated with. Also the cheapest liveness check for a key.
   *
   * @example
   * ```ts
   * const token = await client.getTokenCurrent();
   * console.log(token.id, token.scope, token.expires_at);
   * ```
   */
  async getTokenCurrent(opts: RequestOptions = {}): Promise<TokenResponse> {
    return this.#read({ operation: "getTokenCurrent", method: "GET", path: "/tokens/self", schema: TokenResponseSchema }, opts);
  }

  /**
   * `GET /tokens/{token_id}`.
   *
   * @example
   * ```ts
   * const token = await client.getToken({ token_id: "2j1hEyxXOEqYaSipeZHaW4" });
   * ```
   */
  async getToken(params: { token_id: string }, opts: RequestOptions = {}): Promise<TokenResponse> {
    assertId("token_id", params?.token_id);
    return this.#read(
      { operation: "getToken", method: "GET", path: `/tokens/${segment(params.token_id)}`, schema: TokenResponseSchema },
      opts,
    );
  }

  /**
   * `GET /tokens`: the authenticated user's tokens (web sessions included). Not paginated.
   *
   * @example
   * ```ts
   * const tokens = await client.listTokensUser();
   * ```
   */
  async listTokensUser(opts: RequestOptions = {}): Promise<TokenResponse[]> {
    return this.#read({ operation: "listTokensUser", method: "GET", path: "/tokens", schema: TokenListSchema }, opts);
  }

  /**
   * `GET /customer/{customer_id}/tokens`: every token of a customer (needs a superuser key). Not paginated.
   *
   * @example
   * ```ts
   * const tokens = await client.listTokensCustomer({ customer_id: me.customer_id! });
   * ```
   */
  async listTokensCustomer(params: { customer_id: string }, opts: RequestOptions = {}): Promise<TokenResponse[]> {
    assertId("customer_id", params?.customer_id);
    return this.#read(
      {
        operation: "listTokensCustomer",
        method: "GET",
        path: `/customer/${segment(params.customer_id)}/tokens`,
        schema: TokenListSchema,
      },
      opts,
    );
  }

  /**
   * `GET /current_user`: the user the key belongs to. Works for any live key, purge-only ones included.
   *
   * @example
   * ```ts
   * const me = await client.getCurrentUser();
   * console.log(me.login, me.role);
   * ```
   */
  async getCurrentUser(opts: RequestOptions = {}): Promise<UserResponse> {
    return this.#read({ operation: "getCurrentUser", method: "GET", path: "/current_user", schema: UserResponseSchema }, opts);
  }

  /**
   * `GET /user/{user_id}`: a user of the key's own account, e.g. a token's owner (`token.user_id`). Needs a key that
   * may read account information (`global` or `global:read`). Another account's or an unknown id is a 404
   * `FastlyApiError`; a purge-only key gets 403.
   *
   * @example
   * ```ts
   * const owner = await client.getUser({ user_id: token.user_id! });
   * console.log(owner.login, owner.name);
   * ```
   */
  async getUser(params: { user_id: string }, opts: RequestOptions = {}): Promise<UserResponse> {
    assertId("user_id", params?.user_id);
    return this.#read(
      { operation: "getUser", method: "GET", path: `/user/${segment(params.user_id)}`, schema: UserResponseSchema },
      opts,
    );
  }

  /**
   * `POST /tokens`. The only response that reveals `access_token`. Never retried (a retry could mint twice).
   * With `username` + `password` no `Fastly-Key` is sent; without them the client's key is used and Fastly
   * demands an open sudo window (403 "You must POST /sudo…").
   *
   * @example
   * ```ts
   * const created = await client.createToken({ username, password, otp, name: "deploy", scope: "global" });
   * store(created.access_token);
   * ```
   */
  async createToken(params: CreateTokenParams, opts: RequestOptions = {}): Promise<TokenCreatedResponse> {
    if (params === null || typeof params !== "object") {
      throw new FastlyArgumentError("params", "createToken needs a params object");
    }
    const { username, password, otp, name } = params;
    const withCredentials = username !== undefined || password !== undefined;
    if (withCredentials) {
      if (typeof username !== "string" || username.trim() === "") {
        throw new FastlyArgumentError("username", "username must be a non-empty string when password is given");
      }
      assertSecret("password", password);
    }
    if (otp !== undefined) assertHeaderValue("otp", otp);
    assertOptionalText("name", name);
    const scope = params.scope === undefined ? undefined : normaliseScope(params.scope);
    if (params.services !== undefined) assertServices(params.services);
    const expiresAt = params.expires_at === undefined ? undefined : normaliseDateTime("expires_at", params.expires_at);
    const key = this.#effectiveKey(opts);
    if (!withCredentials && key === undefined) {
      throw new FastlyArgumentError(
        "credentials",
        "createToken needs username and password, or an API key with an open sudo window",
      );
    }

    const form = new URLSearchParams();
    if (withCredentials) {
      form.set("username", username as string);
      form.set("password", password as string);
    }
    if (name !== undefined) form.set("name", name);
    if (scope !== undefined) form.set("scope", scope);
    for (const service of params.services ?? []) form.append("services[]", service);
    if (expiresAt !== undefined) form.set("expires_at", expiresAt);

    const headers: Record<string, string> = { "Content-Type": FORM };
    if (otp !== undefined) headers["Fastly-OTP"] = otp;
    const created = await this.#call(
      {
        operation: "createToken",
        method: "POST",
        path: "/tokens",
        headers,
        body: form.toString(),
        secrets: [password, otp].filter((s): s is string => s !== undefined),
        schema: TokenCreatedResponseSchema,
      },
      opts,
      // Credentials replace the key entirely: Fastly refuses a POST /tokens carrying both without sudo.
      !withCredentials,
    );
    return created as TokenCreatedResponse;
  }

  /**
   * `DELETE /tokens/{token_id}` (204). Retried on network errors, timeouts and 502/503/504, so after a lost
   * response a retry may see 404 for a token the first attempt did revoke; `err.attempts > 1` tells you so.
   *
   * @example
   * ```ts
   * await client.revokeToken({ token_id: "2j1hEyxXOEqYaSipeZHaW4" });
   * ```
   */
  async revokeToken(params: { token_id: string }, opts: RequestOptions = {}): Promise<void> {
    assertId("token_id", params?.token_id);
    await this.#call(
      { operation: "revokeToken", method: "DELETE", path: `/tokens/${segment(params.token_id)}`, headers: {}, secrets: [] },
      opts,
    );
  }

  /**
   * `DELETE /tokens/self` (204): revokes the key the request is made with.
   *
   * @example
   * ```ts
   * await client.withKey(leakedValue).revokeTokenCurrent();
   * ```
   */
  async revokeTokenCurrent(opts: RequestOptions = {}): Promise<void> {
    await this.#call(
      { operation: "revokeTokenCurrent", method: "DELETE", path: "/tokens/self", headers: {}, secrets: [] },
      opts,
    );
  }

  /**
   * `DELETE /tokens` (204) with a JSON:API bulk body (`application/vnd.api+json; ext=bulk`).
   * `request_body` is sent as given (after checking it); `token_ids` builds it.
   *
   * @example
   * ```ts
   * await client.bulkRevokeTokens({ token_ids: ["2j1hEyxXOEqYaSipeZHaW4", "5NSGsvF9ybBxXAdEQhcYPz"] });
   * ```
   */
  async bulkRevokeTokens(params: BulkRevokeParams, opts: RequestOptions = {}): Promise<void> {
    const ids = bulkIds(params);
    // Same precedence as bulkIds: token_ids wins when both are given, so what was checked is what is sent.
    const body =
      "token_ids" in params && params.token_ids !== undefined
        ? { data: ids.map((id) => ({ id, type: "token" as const })) }
        : (params as { request_body: unknown }).request_body;
    await this.#call(
      {
        operation: "bulkRevokeTokens",
        method: "DELETE",
        path: "/tokens",
        headers: { "Content-Type": JSON_API_BULK, Accept: JSON_API_BULK },
        body: JSON.stringify(body),
        secrets: [],
      },
      opts,
    );
  }

  /**
   * `POST /sudo` with the client's key: re-authenticates with the password and opens a sudo window (default
   * five minutes) in which this key may `createToken`. Form-encoded, as go-fastly sends it. Never retried.
   *
   * @example
   * ```ts
   * const { expiry_time } = await client.sudo({ password });
   * const created = await client.createToken({ name: "rotated", scope: "global" });
   * ```
   */
  async sudo(params: SudoParams, opts: RequestOptions = {}): Promise<SudoResponse> {
    if (params === null || typeof params !== "object") {
      throw new FastlyArgumentError("params", "sudo needs a params object");
    }
    assertSecret("password", params.password);
    if (params.username !== undefined && (typeof params.username !== "string" || params.username.trim() === "")) {
      throw new FastlyArgumentError("username", "username must be a non-empty string");
    }
    const expiry = params.expiry_time === undefined ? undefined : normaliseDateTime("expiry_time", params.expiry_time);
    const form = new URLSearchParams();
    if (params.username !== undefined) form.set("username", params.username);
    form.set("password", params.password);
    if (expiry !== undefined) form.set("expiry_time", expiry);
    const result = await this.#call(
      {
        operation: "sudo",
        method: "POST",
        path: "/sudo",
        headers: { "Content-Type": FORM },
        body: form.toString(),
        secrets: [params.password],
        schema: SudoResponseSchema,
      },
      opts,
    );
    return result as SudoResponse;
  }

  #effectiveKey(opts: RequestOptions): string | undefined {
    if (opts.apiKey !== undefined) assertHeaderValue("apiKey", opts.apiKey);
    return opts.apiKey ?? this.#apiKey;
  }

  async #read<T>(
    spec: Pick<CallSpec<T>, "operation" | "method" | "path" | "schema">,
    opts: RequestOptions,
  ): Promise<T> {
    return (await this.#call({ ...spec, headers: {}, secrets: [] }, opts)) as T;
  }

  async #call<T>(spec: CallSpec<T>, opts: RequestOptions, sendKey = true): Promise<T | undefined> {
    if (opts === null || typeof opts !== "object") throw new FastlyArgumentError("opts", "opts must be an object");
    if (opts.timeoutMs !== undefined) positive("timeoutMs", opts.timeoutMs);
    const key = this.#effectiveKey(opts);
    if (sendKey && key === undefined) {
      throw new FastlyArgumentError("apiKey", `${spec.operation} needs an API key (client option or per-call apiKey)`);
    }
    const headers: Record<string, string> = {
      Accept: "application/json",
      "User-Agent": this.#transport.userAgent,
      ...spec.headers,
    };
    if (sendKey && key !== undefined) headers["Fastly-Key"] = key;
    // Every secret this call knows, used or not, is scrubbed from errors.
    const secrets = [...spec.secrets, ...[this.#apiKey, opts.apiKey].filter((s): s is string => s !== undefined)];
    const call: CallSpec<T> = { ...spec, headers, secrets };
    if (opts.signal !== undefined) call.signal = opts.signal;
    if (opts.timeoutMs !== undefined) call.timeoutMs = opts.timeoutMs;
    return send(this.#transport, call);
  }
}
