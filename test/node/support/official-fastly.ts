// @ts-expect-error the official fastly package (v13) ships no type declarations
import fastly from "fastly";

// Types for the slice of fastly-js v13 the Node tests drive. Kept in this module rather than in an ambient
// `declare module "fastly"`, which would clash with other tests that type the package locally.

/** A superagent request, as the client's `plugins` see it before it is sent. */
export interface SuperagentRequest {
  url: string;
  method: string;
}

export interface OfficialApiClient {
  authenticate(token: string): void;
  plugins: Array<(request: SuperagentRequest) => void> | null;
  rateLimitRemaining: number;
  rateLimitReset: number | null;
  /** Sent with every request: the only way to send Fastly-OTP, which no operation declares. */
  defaultHeaders: Record<string, string>;
  /** HTTP Basic for create (`username_and_password`), set by hand: the client offers no setter. */
  authentications: { username_and_password: { username?: string; password?: string } };
}

export interface OfficialSudoApi {
  requestSudoAccess(options: { sudo_request: { username?: string; password: string; expiry_time?: string } }): Promise<{ expiry_time?: string }>;
}

/** The official TokenResponse model keeps only these fields: no customer_id, no sudo_expires_at. */
export interface OfficialTokenResponse {
  id?: string;
  user_id?: string;
  name?: string;
  scope?: string;
  services?: string[];
  created_at?: string;
  last_used_at?: string;
  expires_at?: string;
  ip?: string;
  user_agent?: string;
  deleted_at?: Date;
  updated_at?: Date;
}

export interface OfficialTokensApi {
  getTokenCurrent(): Promise<OfficialTokenResponse>;
  getToken(options: { token_id: string }): Promise<OfficialTokenResponse>;
  listTokensUser(): Promise<OfficialTokenResponse[]>;
  listTokensCustomer(options: { customer_id: string }): Promise<OfficialTokenResponse[]>;
  createToken(): Promise<OfficialTokenResponse & { access_token?: string }>;
  revokeToken(options: { token_id: string }): Promise<null>;
  revokeTokenCurrent(): Promise<null>;
  bulkRevokeTokens(options?: { request_body?: { data: Array<{ id: string; type: "token" }> } }): Promise<null>;
}

/** What a TokensApi promise rejects with when the server answers an error status. */
export interface OfficialCallError {
  status?: number;
  statusText?: string;
  body?: unknown;
  response?: { text: string };
  error: Error;
}

export const official = fastly as {
  ApiClient: new () => OfficialApiClient;
  TokensApi: new (client?: OfficialApiClient) => OfficialTokensApi;
  SudoApi: new (client?: OfficialApiClient) => OfficialSudoApi;
  TokenResponse: abstract new () => OfficialTokenResponse;
  TokenCreatedResponse: abstract new () => OfficialTokenResponse;
};

const OFFICIAL_BASE = "https://api.fastly.com";

/**
 * A TokensApi aimed at `baseUrl`. Every fastly-js operation passes its own base path ("https://api.fastly.com")
 * to callApi, so setting `basePath` alone would not redirect it; a superagent plugin rewrites each URL instead.
 */
export function officialTokensApi(baseUrl: string, apiKey: string): OfficialTokensApi {
  return officialApis(baseUrl, { apiKey }).tokens;
}

/**
 * The TokensApi and SudoApi of one ApiClient aimed at `baseUrl`, authenticated with a key, HTTP Basic credentials
 * (create only), or neither, and sending `headers` (e.g. Fastly-OTP) with every request.
 */
export function officialApis(
  baseUrl: string,
  auth: { apiKey?: string; basic?: { username: string; password: string }; headers?: Record<string, string> },
): { tokens: OfficialTokensApi; sudo: OfficialSudoApi; client: OfficialApiClient } {
  const client = new official.ApiClient();
  if (auth.apiKey) client.authenticate(auth.apiKey);
  if (auth.basic) Object.assign(client.authentications.username_and_password, auth.basic);
  if (auth.headers) client.defaultHeaders = { ...client.defaultHeaders, ...auth.headers };
  client.plugins = [
    (request) => {
      if (request.url.startsWith(OFFICIAL_BASE)) request.url = baseUrl + request.url.slice(OFFICIAL_BASE.length);
    },
  ];
  return { tokens: new official.TokensApi(client), sudo: new official.SudoApi(client), client };
}
