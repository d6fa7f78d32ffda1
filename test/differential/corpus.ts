import { demo } from "../helpers";

// One corpus of requests for the eight token operations plus POST /sudo, in every shape the emulator accepts and
// a good many it refuses. Each case is sent straight to one fresh emulator tenant and through the Worker (pure
// passthrough) to a second one with identical state; the answers must agree (test/differential/passthrough.test.ts).

/** One request. `key` becomes `Fastly-Key`; `form` a URL-encoded body (arrays repeat the key); `json` a JSON body. */
export interface Step {
  method?: string;
  path: string;
  key?: string;
  headers?: Record<string, string>;
  form?: Record<string, string | string[]>;
  json?: unknown;
  body?: string;
}

/** What one side answered. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

/** A step may depend on what the same side answered before (a created token's id or access_token). */
export type StepFn = Step | ((earlier: Answer[]) => Step);

export interface Case {
  name: string;
  steps: StepFn[];
  /**
   * The Worker refuses the (only) request itself, with Fastly's answer, before asking Fastly: so Fastly records no
   * use of the key (README, "Differences from Fastly (deliberate)": shape checks come first).
   */
  refusedByWorker?: true;
}

const { tokens, users, customers, services } = demo;

export const KEYS = {
  superuser: tokens.superuserGlobal.access_token,
  engineer: tokens.engineerGlobal.access_token,
  readOnly: tokens.engineerReadOnly.access_token,
  purgeSelect: tokens.engineerPurgeSelect.access_token,
  purgeAll: tokens.engineerPurgeAll.access_token,
  user: tokens.userGlobal.access_token,
  multiScope: tokens.userMultiScope.access_token,
  browserSession: tokens.superuserBrowserSession.access_token,
  globexSuperuser: tokens.globexSuperuserGlobal.access_token,
  expired: tokens.userExpired.access_token,
  revoked: tokens.userRevoked.access_token,
  neverIssued: "NeverIssuedKey0NeverIssuedKey0ab",
  garbage: "not a key",
} as const;

/** Keys that are not credentials (plus none at all), for every operation. */
const BAD_KEYS: [string, string | undefined][] = [
  ["no Fastly-Key", undefined],
  ["a never-issued key", KEYS.neverIssued],
  ["a garbage key", KEYS.garbage],
  ["an expired token", KEYS.expired],
  ["a revoked token", KEYS.revoked],
];

const BULK = "application/vnd.api+json; ext=bulk";
const FORM = "application/x-www-form-urlencoded";
const UNKNOWN_ID = "UnknownTokenId00000000";
const FAR = "2099-01-02T03:04:05Z";
const bulk = (...ids: string[]) => ({ data: ids.map((id) => ({ id, type: "token" })) });
const bulkStep = (key: string | undefined, body: unknown, type = BULK): Step => ({
  method: "DELETE",
  path: "/tokens",
  key,
  headers: { "Content-Type": type },
  body: typeof body === "string" ? body : JSON.stringify(body),
});
const created = (earlier: Answer[], index = 0) => earlier[index]?.json as { id: string; access_token: string };

const bob = users.acmeEngineer;
const erin = users.acmeTwoFactorUser;
const bobLogin = { username: bob.login, password: bob.password };

const reads: Case[] = [
  ...(["superuser", "engineer", "readOnly", "purgeSelect", "purgeAll", "multiScope", "browserSession"] as const).map((k) => ({
    name: `GET /tokens/self with the ${k} token`,
    steps: [{ path: "/tokens/self", key: KEYS[k] }],
  })),
  {
    name: "GET /tokens/self twice (the second answer may come from the Worker's cache)",
    steps: [
      { path: "/tokens/self", key: KEYS.user },
      { path: "/tokens/self", key: KEYS.user },
    ],
  },
  { name: "HEAD /tokens/self", steps: [{ method: "HEAD", path: "/tokens/self", key: KEYS.engineer }] },
  { name: "GET /tokens/self with unknown query parameters", steps: [{ path: "/tokens/self?page=2&per_page=100&_=1", key: KEYS.user }] },
  ...(["superuser", "readOnly", "purgeSelect", "multiScope", "globexSuperuser"] as const).map((k) => ({
    name: `GET /tokens (the user's list) with the ${k} token`,
    steps: [{ path: "/tokens", key: KEYS[k] }],
  })),
  { name: "GET /tokens with unknown query parameters", steps: [{ path: "/tokens?filter[customer_id]=x&sort=name", key: KEYS.engineer }] },
  { name: "GET /tokens/{id}: a superuser reads another user's token", steps: [{ path: `/tokens/${tokens.engineerGlobal.id}`, key: KEYS.superuser }] },
  { name: "GET /tokens/{id}: a user reads their own token", steps: [{ path: `/tokens/${tokens.userNeverUsed.id}`, key: KEYS.user }] },
  { name: "GET /tokens/{id}: a non-superuser reads another user's token", steps: [{ path: `/tokens/${tokens.engineerGlobal.id}`, key: KEYS.user }] },
  { name: "GET /tokens/{id}: a global:read token reads its user's token", steps: [{ path: `/tokens/${tokens.engineerPurgeAll.id}`, key: KEYS.readOnly }] },
  { name: "GET /tokens/{id}: a global:read token reads another user's token", steps: [{ path: `/tokens/${tokens.userGlobal.id}`, key: KEYS.readOnly }] },
  { name: "GET /tokens/{id}: a purge-only token reads a token", steps: [{ path: `/tokens/${tokens.engineerGlobal.id}`, key: KEYS.purgeSelect }] },
  { name: "GET /tokens/{id}: another account's token", steps: [{ path: `/tokens/${tokens.globexUserPurgeSelect.id}`, key: KEYS.superuser }] },
  { name: "GET /tokens/{id}: an unknown id", steps: [{ path: `/tokens/${UNKNOWN_ID}`, key: KEYS.superuser }] },
  { name: "GET /tokens/{id}: a revoked token", steps: [{ path: `/tokens/${tokens.userRevoked.id}`, key: KEYS.superuser }] },
  { name: "GET /tokens/{id}: an expired token (still listed)", steps: [{ path: `/tokens/${tokens.userExpired.id}`, key: KEYS.user }] },
  { name: "GET /tokens/{id} with unknown query parameters", steps: [{ path: `/tokens/${tokens.userGlobal.id}?fields=id`, key: KEYS.user }] },
  { name: "GET /customer/{id}/tokens: the account's superuser", steps: [{ path: `/customer/${customers.acme.id}/tokens`, key: KEYS.superuser }] },
  { name: "GET /customer/{id}/tokens: a non-superuser", steps: [{ path: `/customer/${customers.acme.id}/tokens`, key: KEYS.user }] },
  { name: "GET /customer/{id}/tokens: another account's superuser", steps: [{ path: `/customer/${customers.acme.id}/tokens`, key: KEYS.globexSuperuser }] },
  { name: "GET /customer/{id}/tokens: an unknown customer", steps: [{ path: "/customer/UnknownCustomer0000000/tokens", key: KEYS.superuser }] },
  { name: "GET /customer/{id}/tokens: a purge-only token", steps: [{ path: `/customer/${customers.acme.id}/tokens`, key: KEYS.purgeAll }] },
  { name: "GET /customer/{id}/tokens with unknown query parameters", steps: [{ path: `/customer/${customers.acme.id}/tokens?page=1`, key: KEYS.superuser }] },
];

const creates: Case[] = [
  {
    name: "POST /tokens with username and password as a form, every field set",
    steps: [
      {
        method: "POST",
        path: "/tokens",
        form: { ...bobLogin, name: "ci deploy", scope: "purge_select global:read", "services[]": [services.acmeWww.id, services.acmeApi.id], expires_at: FAR },
      },
    ],
  },
  {
    name: "POST /tokens with a JSON body (username, password, name, scope) and no key",
    steps: [{ method: "POST", path: "/tokens", json: { ...bobLogin, name: "from json", scope: "global" } }],
  },
  {
    name: "POST /tokens with a JSON body whose services is an array (services and services[])",
    steps: [{ method: "POST", path: "/tokens", json: { ...bobLogin, services: [services.acmeApi.id], "services[]": services.acmeWww.id, expires_at: FAR } }],
  },
  {
    name: "POST /tokens with JSON numbers, booleans and nulls",
    steps: [{ method: "POST", path: "/tokens", json: { ...bobLogin, name: 42, scope: null, services: null, expires_at: null } }],
  },
  {
    name: "POST /tokens with a JSON body under application/vnd.api+json",
    steps: [{ method: "POST", path: "/tokens", headers: { "Content-Type": "application/vnd.api+json" }, json: { ...bobLogin, name: "vnd" } }],
  },
  {
    name: "POST /tokens with a nested JSON value",
    steps: [{ method: "POST", path: "/tokens", json: { ...bobLogin, name: { first: "x" } } }],
  },
  { name: "POST /tokens with a JSON array body", steps: [{ method: "POST", path: "/tokens", json: [bobLogin] }] },
  { name: "POST /tokens with malformed JSON", steps: [{ method: "POST", path: "/tokens", headers: { "Content-Type": "application/json" }, body: "{" }] },
  ...["application/x-www-form-urlencoded; charset=utf-8", "application/x-www-form-urlencoded; charset=ISO-8859-1", "application/x-www-form-urlencoded;charset=UTF-8"].map(
    (type) => ({
      name: `POST /tokens as a form declared "${type}"`,
      steps: [{ method: "POST", path: "/tokens", headers: { "Content-Type": type }, form: { ...bobLogin, name: "café ☕" } }],
    }),
  ),
  {
    name: "POST /tokens as a form without a Content-Type",
    steps: [{ method: "POST", path: "/tokens", body: new URLSearchParams({ ...bobLogin, name: "untyped" }).toString() }],
  },
  {
    name: "POST /tokens as a form declared text/plain",
    steps: [{ method: "POST", path: "/tokens", headers: { "Content-Type": "text/plain" }, form: { ...bobLogin, name: "plain" } }],
  },
  {
    name: "POST /tokens with repeated name and scope fields (the first counts)",
    steps: [{ method: "POST", path: "/tokens", form: { ...bobLogin, name: ["first", "second"], scope: ["purge_all", "global"] } }],
  },
  {
    name: "POST /tokens with repeated services fields without brackets",
    steps: [{ method: "POST", path: "/tokens", form: { ...bobLogin, services: [services.acmeWww.id, services.acmeApi.id] } }],
  },
  {
    name: "POST /tokens with services[] and services together, and a duplicate",
    steps: [{ method: "POST", path: "/tokens", form: { ...bobLogin, "services[]": [services.acmeApi.id, services.acmeWww.id], services: services.acmeApi.id } }],
  },
  {
    name: "POST /tokens with empty scope, expires_at and name (defaults apply)",
    steps: [{ method: "POST", path: "/tokens", form: { ...bobLogin, scope: "", expires_at: "", name: "" } }],
  },
  {
    name: "POST /tokens with a scope list in odd spacing and a repeated word",
    steps: [{ method: "POST", path: "/tokens", form: { ...bobLogin, scope: "  purge_all   purge_all global:read " } }],
  },
  ...["2099-01-02", "2099-01-02T03:04", "2099-01-02T03:04:05", "2099-01-02T03:04:05.678Z", "2099-01-02T03:04:05+01:00", "2099-01-02T03:04:05-0130", "2099-01-02 03:04:05Z"].map(
    (expires) => ({
      name: `POST /tokens with expires_at "${expires}"`,
      steps: [{ method: "POST", path: "/tokens", form: { ...bobLogin, expires_at: expires } }],
    }),
  ),
  { name: "POST /tokens with an unparseable expires_at", steps: [{ method: "POST", path: "/tokens", form: { ...bobLogin, expires_at: "tomorrow" } }] },
  { name: "POST /tokens with an impossible date", steps: [{ method: "POST", path: "/tokens", form: { ...bobLogin, expires_at: "2099-02-30T00:00:00Z" } }] },
  { name: "POST /tokens with expires_at in the past", steps: [{ method: "POST", path: "/tokens", form: { ...bobLogin, expires_at: "2001-01-01T00:00:00Z" } }] },
  { name: "POST /tokens with an unknown scope word", steps: [{ method: "POST", path: "/tokens", form: { ...bobLogin, scope: "global root" } }] },
  { name: "POST /tokens with another account's service", steps: [{ method: "POST", path: "/tokens", form: { ...bobLogin, "services[]": services.globexCdn.id } }] },
  { name: "POST /tokens with an unknown service id", steps: [{ method: "POST", path: "/tokens", form: { ...bobLogin, "services[]": "NoSuchService000000000" } }] },
  { name: "POST /tokens with a 256-character name", steps: [{ method: "POST", path: "/tokens", form: { ...bobLogin, name: "n".repeat(256) } }] },
  { name: "POST /tokens with a wrong password", steps: [{ method: "POST", path: "/tokens", form: { username: bob.login, password: "wrong-password-1" } }] },
  { name: "POST /tokens with an unknown login", steps: [{ method: "POST", path: "/tokens", form: { username: "nobody@acme.example", password: "x" } }] },
  {
    name: "POST /tokens for a locked account",
    steps: [{ method: "POST", path: "/tokens", form: { username: users.acmeLockedUser.login, password: users.acmeLockedUser.password } }],
  },
  { name: "POST /tokens with a username and no password", steps: [{ method: "POST", path: "/tokens", form: { username: bob.login, name: "x" } }] },
  { name: "POST /tokens with a password and no username and no key", steps: [{ method: "POST", path: "/tokens", form: { password: bob.password } }] },
  { name: "POST /tokens with neither credentials nor a key", steps: [{ method: "POST", path: "/tokens", form: { name: "x" } }] },
  { name: "POST /tokens with an empty body", steps: [{ method: "POST", path: "/tokens" }] },
  {
    name: "POST /tokens with HTTP Basic credentials and no key",
    steps: [{ method: "POST", path: "/tokens", headers: { Authorization: `Basic ${btoa(`${bob.login}:${bob.password}`)}` }, form: { name: "basic" } }],
  },
  {
    name: "POST /tokens with HTTP Basic and form credentials (the form wins)",
    steps: [
      {
        method: "POST",
        path: "/tokens",
        headers: { Authorization: `Basic ${btoa(`${bob.login}:wrong-password-1`)}` },
        form: { ...bobLogin, name: "form wins" },
      },
    ],
  },
  { name: "POST /tokens with an empty HTTP Basic header and no key", steps: [{ method: "POST", path: "/tokens", headers: { Authorization: "Basic Og==" }, form: { name: "x" } }] },
  {
    name: "POST /tokens for a two-factor user with the right Fastly-OTP",
    steps: [{ method: "POST", path: "/tokens", headers: { "Fastly-OTP": erin.otp ?? "" }, form: { username: erin.login, password: erin.password, name: "otp" } }],
  },
  {
    name: "POST /tokens for a two-factor user without Fastly-OTP",
    steps: [{ method: "POST", path: "/tokens", form: { username: erin.login, password: erin.password } }],
  },
  {
    name: "POST /tokens for a two-factor user with a wrong Fastly-OTP",
    steps: [{ method: "POST", path: "/tokens", headers: { "Fastly-OTP": "000000" }, form: { username: erin.login, password: erin.password } }],
  },
  {
    name: "POST /tokens with an unneeded Fastly-OTP",
    steps: [{ method: "POST", path: "/tokens", headers: { "Fastly-OTP": "123456" }, form: { ...bobLogin, name: "otp not needed" } }],
  },
  {
    name: "POST /tokens with a key and a password but no username, without sudo",
    steps: [{ method: "POST", path: "/tokens", key: KEYS.engineer, form: { password: bob.password, name: "no sudo" } }],
  },
  {
    name: "POST /tokens with a key, username and password, without sudo (the key decides)",
    steps: [{ method: "POST", path: "/tokens", key: KEYS.engineer, form: { ...bobLogin, name: "no sudo" } }],
  },
  {
    name: "POST /tokens with a token whose sudo window has closed",
    steps: [{ method: "POST", path: "/tokens", key: KEYS.browserSession, form: { name: "late" } }],
  },
  {
    name: "go-fastly's CreateToken: POST /sudo then POST /tokens with the key and the same form, no username",
    steps: [
      { method: "POST", path: "/sudo", key: KEYS.engineer, form: { password: bob.password, name: "go", scope: "global", expires_at: FAR } },
      {
        method: "POST",
        path: "/tokens",
        key: KEYS.engineer,
        headers: { "Content-Type": `${FORM}; charset=utf-8` },
        form: { password: bob.password, name: "go", scope: "global", expires_at: FAR, "services[]": [services.acmeWww.id] },
      },
    ],
  },
  {
    name: "go-fastly's CreateToken with a username too",
    steps: [
      { method: "POST", path: "/sudo", key: KEYS.engineer, form: { ...bobLogin, name: "go", scope: "purge_all" } },
      { method: "POST", path: "/tokens", key: KEYS.engineer, form: { ...bobLogin, name: "go", scope: "purge_all" } },
    ],
  },
  {
    name: "the official client's flow: POST /sudo with JSON, then an empty create form with the key",
    steps: [
      { method: "POST", path: "/sudo", key: KEYS.user, json: { username: users.acmeUser.login, password: users.acmeUser.password } },
      { method: "POST", path: "/tokens", key: KEYS.user, headers: { "Content-Type": FORM }, body: "" },
    ],
  },
  {
    name: "fastly-py's flow: a sudo window, then a create with the key and an empty Basic header",
    steps: [
      { method: "POST", path: "/sudo", key: KEYS.engineer, form: { password: bob.password } },
      { method: "POST", path: "/tokens", key: KEYS.engineer, headers: { Authorization: "Basic Og==" }, form: { name: "py" } },
    ],
  },
  {
    name: "a create inside a sudo window, then the new token reads itself and the list shows it",
    steps: [
      { path: "/tokens", key: KEYS.engineer },
      { method: "POST", path: "/sudo", key: KEYS.engineer, form: { password: bob.password } },
      { method: "POST", path: "/tokens", key: KEYS.engineer, form: { name: "rotated", scope: "global:read" } },
      (earlier) => ({ path: "/tokens/self", key: created(earlier, 2).access_token }),
      { path: "/tokens", key: KEYS.engineer },
      (earlier) => ({ path: `/tokens/${created(earlier, 2).id}`, key: KEYS.engineer }),
    ],
  },
  {
    name: "a create by password, then the new token revokes itself",
    steps: [
      { method: "POST", path: "/tokens", form: { ...bobLogin, name: "short-lived" } },
      (earlier) => ({ method: "DELETE", path: "/tokens/self", key: created(earlier).access_token }),
      (earlier) => ({ path: "/tokens/self", key: created(earlier).access_token }),
    ],
  },
  {
    name: "a create by password, then the owner revokes it by id",
    steps: [
      { method: "POST", path: "/tokens", form: { ...bobLogin, name: "by id" } },
      (earlier) => ({ method: "DELETE", path: `/tokens/${created(earlier).id}`, key: KEYS.engineer }),
      (earlier) => ({ path: `/tokens/${created(earlier).id}`, key: KEYS.engineer }),
    ],
  },
  {
    name: "POST /tokens inside a sudo window with an unknown scope",
    steps: [
      { method: "POST", path: "/sudo", key: KEYS.engineer, form: { password: bob.password } },
      { method: "POST", path: "/tokens", key: KEYS.engineer, form: { scope: "everything" } },
    ],
  },
  ...BAD_KEYS.filter(([, key]) => key !== undefined).map(([label, key]) => ({
    name: `POST /tokens with ${label}`,
    steps: [{ method: "POST", path: "/tokens", key, form: { name: "x" } }],
  })),
];

const sudo: Case[] = [
  { name: "POST /sudo with the right password as a form", steps: [{ method: "POST", path: "/sudo", key: KEYS.engineer, form: { password: bob.password } }] },
  { name: "POST /sudo with the username and password as JSON", steps: [{ method: "POST", path: "/sudo", key: KEYS.engineer, json: bobLogin }] },
  {
    name: "POST /sudo with a chosen expiry_time, then the token shows it",
    steps: [
      { path: "/tokens/self", key: KEYS.engineer },
      { method: "POST", path: "/sudo", key: KEYS.engineer, form: { password: bob.password, expiry_time: FAR } },
      { path: "/tokens/self", key: KEYS.engineer },
    ],
  },
  { name: "POST /sudo with an expiry_time without a zone", steps: [{ method: "POST", path: "/sudo", key: KEYS.engineer, form: { password: bob.password, expiry_time: "2099-01-02T03:04" } }] },
  { name: "POST /sudo with an expiry_time in the past", steps: [{ method: "POST", path: "/sudo", key: KEYS.engineer, form: { password: bob.password, expiry_time: "2001-01-01T00:00:00Z" } }] },
  { name: "POST /sudo with an unparseable expiry_time", refusedByWorker: true, steps: [{ method: "POST", path: "/sudo", key: KEYS.engineer, form: { password: bob.password, expiry_time: "soon" } }] },
  { name: "POST /sudo with a wrong password", steps: [{ method: "POST", path: "/sudo", key: KEYS.engineer, form: { password: "wrong-password-1" } }] },
  { name: "POST /sudo with another user's login", steps: [{ method: "POST", path: "/sudo", key: KEYS.engineer, form: { username: users.acmeUser.login, password: bob.password } }] },
  { name: "POST /sudo without a password", refusedByWorker: true, steps: [{ method: "POST", path: "/sudo", key: KEYS.engineer, form: { username: bob.login } }] },
  { name: "POST /sudo with a global:read token", steps: [{ method: "POST", path: "/sudo", key: KEYS.readOnly, form: { password: bob.password } }] },
  { name: "POST /sudo with a purge-only token", steps: [{ method: "POST", path: "/sudo", key: KEYS.purgeSelect, form: { password: bob.password } }] },
  { name: "POST /sudo with unknown query parameters", steps: [{ method: "POST", path: "/sudo?x=1", key: KEYS.engineer, form: { password: bob.password } }] },
  ...BAD_KEYS.map(([label, key]) => ({
    name: `POST /sudo with ${label}`,
    steps: [{ method: "POST", path: "/sudo", key, form: { password: bob.password } }],
  })),
];

const revokes: Case[] = [
  {
    name: "DELETE /tokens/self, after which the key is refused",
    steps: [
      { path: "/tokens/self", key: KEYS.user },
      { method: "DELETE", path: "/tokens/self", key: KEYS.user },
      { path: "/tokens/self", key: KEYS.user },
      { path: "/tokens", key: KEYS.user },
    ],
  },
  ...(["readOnly", "purgeSelect", "purgeAll", "multiScope"] as const).map((k) => ({
    name: `DELETE /tokens/self with the ${k} token`,
    steps: [
      { method: "DELETE", path: "/tokens/self", key: KEYS[k] },
      { path: "/tokens/self", key: KEYS[k] },
    ],
  })),
  { name: "DELETE /tokens/self with unknown query parameters", steps: [{ method: "DELETE", path: "/tokens/self?confirm=yes", key: KEYS.purgeAll }] },
  {
    name: "DELETE /tokens/{id} by a superuser, then reading and revoking it again",
    steps: [
      { path: `/tokens/${tokens.engineerGlobal.id}`, key: KEYS.superuser },
      { method: "DELETE", path: `/tokens/${tokens.engineerGlobal.id}`, key: KEYS.superuser },
      { path: `/tokens/${tokens.engineerGlobal.id}`, key: KEYS.superuser },
      { method: "DELETE", path: `/tokens/${tokens.engineerGlobal.id}`, key: KEYS.superuser },
      { path: `/customer/${customers.acme.id}/tokens`, key: KEYS.superuser },
    ],
  },
  { name: "DELETE /tokens/{id}: a user revokes their own token", steps: [{ method: "DELETE", path: `/tokens/${tokens.userNeverUsed.id}`, key: KEYS.user }] },
  {
    name: "DELETE /tokens/{id}: a non-superuser revokes another user's token",
    steps: [
      { method: "DELETE", path: `/tokens/${tokens.engineerGlobal.id}`, key: KEYS.user },
      { path: `/tokens/${tokens.engineerGlobal.id}`, key: KEYS.engineer },
    ],
  },
  { name: "DELETE /tokens/{id}: a global:read token revokes its user's token", steps: [{ method: "DELETE", path: `/tokens/${tokens.engineerPurgeAll.id}`, key: KEYS.readOnly }] },
  { name: "DELETE /tokens/{id}: a global:read token revokes another user's token", steps: [{ method: "DELETE", path: `/tokens/${tokens.userGlobal.id}`, key: KEYS.readOnly }] },
  { name: "DELETE /tokens/{id}: a global:read token revokes an unknown id", steps: [{ method: "DELETE", path: `/tokens/${UNKNOWN_ID}`, key: KEYS.readOnly }] },
  { name: "DELETE /tokens/{id}: a purge-only token revokes its user's token", steps: [{ method: "DELETE", path: `/tokens/${tokens.engineerGlobal.id}`, key: KEYS.purgeSelect }] },
  { name: "DELETE /tokens/{id}: another account's token", steps: [{ method: "DELETE", path: `/tokens/${tokens.globexUserPurgeSelect.id}`, key: KEYS.superuser }] },
  { name: "DELETE /tokens/{id}: an unknown id", steps: [{ method: "DELETE", path: `/tokens/${UNKNOWN_ID}`, key: KEYS.superuser }] },
  { name: "DELETE /tokens/{id}: a token revoked before", steps: [{ method: "DELETE", path: `/tokens/${tokens.userRevoked.id}`, key: KEYS.superuser }] },
  { name: "DELETE /tokens/{id}: an expired token", steps: [{ method: "DELETE", path: `/tokens/${tokens.userExpired.id}`, key: KEYS.user }] },
  { name: "DELETE /tokens/{id} with unknown query parameters", steps: [{ method: "DELETE", path: `/tokens/${tokens.userLongUnused.id}?reason=rotation`, key: KEYS.user }] },
  {
    name: "DELETE /tokens (bulk) with the JSON:API bulk body, then the list",
    steps: [
      { path: "/tokens", key: KEYS.user },
      bulkStep(KEYS.user, bulk(tokens.userNeverUsed.id, tokens.userLongUnused.id)),
      { path: "/tokens", key: KEYS.user },
    ],
  },
  {
    name: "DELETE /tokens (bulk) as go-fastly sends it (Accept: the bulk type, type before id)",
    steps: [
      {
        ...bulkStep(KEYS.superuser, { data: [{ type: "token", id: tokens.engineerPurgeAll.id }, { type: "token", id: tokens.userMultiScope.id }] }),
        headers: { "Content-Type": BULK, Accept: BULK },
      },
    ],
  },
  { name: "DELETE /tokens (bulk) as plain application/json (fastly-rust)", steps: [bulkStep(KEYS.user, bulk(tokens.userNeverUsed.id), "application/json")] },
  { name: "DELETE /tokens (bulk) as application/vnd.api+json without ext", steps: [bulkStep(KEYS.user, bulk(tokens.userNeverUsed.id), "application/vnd.api+json")] },
  {
    name: "DELETE /tokens (bulk) with extra JSON:API members",
    steps: [bulkStep(KEYS.user, { data: [{ id: tokens.userNeverUsed.id, type: "token", attributes: { x: 1 } }], meta: { by: "test" } })],
  },
  { name: "DELETE /tokens (bulk) naming a token twice", steps: [bulkStep(KEYS.user, bulk(tokens.userNeverUsed.id, tokens.userNeverUsed.id))] },
  { name: "DELETE /tokens (bulk) of three tokens", steps: [bulkStep(KEYS.user, bulk(tokens.userNeverUsed.id, tokens.userLongUnused.id, tokens.userExpired.id))] },
  { name: "DELETE /tokens (bulk) with an unknown id among known ones", steps: [bulkStep(KEYS.user, bulk(tokens.userNeverUsed.id, UNKNOWN_ID))] },
  { name: "DELETE /tokens (bulk) with a revoked id", steps: [bulkStep(KEYS.superuser, bulk(tokens.userRevoked.id))] },
  { name: "DELETE /tokens (bulk) with another account's token", steps: [bulkStep(KEYS.superuser, bulk(tokens.engineerGlobal.id, tokens.globexUserPurgeSelect.id))] },
  {
    name: "DELETE /tokens (bulk) by a non-superuser with another user's token among their own",
    steps: [bulkStep(KEYS.user, bulk(tokens.userNeverUsed.id, tokens.engineerGlobal.id)), { path: "/tokens", key: KEYS.user }],
  },
  { name: "DELETE /tokens (bulk) by a non-superuser with another user's token and an unknown id", steps: [bulkStep(KEYS.user, bulk(tokens.engineerGlobal.id, UNKNOWN_ID))] },
  { name: "DELETE /tokens (bulk) by a superuser of their account's tokens", steps: [bulkStep(KEYS.superuser, bulk(tokens.engineerGlobal.id, tokens.userGlobal.id))] },
  { name: "DELETE /tokens (bulk) with a global:read token", steps: [bulkStep(KEYS.readOnly, bulk(tokens.engineerPurgeAll.id))] },
  { name: "DELETE /tokens (bulk) with a purge-only token", steps: [bulkStep(KEYS.purgeSelect, bulk(tokens.engineerPurgeAll.id))] },
  { name: "DELETE /tokens (bulk) with a text/plain body", refusedByWorker: true, steps: [bulkStep(KEYS.user, bulk(tokens.userNeverUsed.id), "text/plain")] },
  { name: "DELETE /tokens (bulk) without a Content-Type", refusedByWorker: true, steps: [{ method: "DELETE", path: "/tokens", key: KEYS.user, body: JSON.stringify(bulk(tokens.userNeverUsed.id)) }] },
  { name: "DELETE /tokens (bulk) with malformed JSON", refusedByWorker: true, steps: [bulkStep(KEYS.user, "{")] },
  { name: "DELETE /tokens (bulk) with an empty body", refusedByWorker: true, steps: [bulkStep(KEYS.user, "")] },
  { name: "DELETE /tokens (bulk) with a JSON array", refusedByWorker: true, steps: [bulkStep(KEYS.user, [])] },
  { name: "DELETE /tokens (bulk) without data", refusedByWorker: true, steps: [bulkStep(KEYS.user, {})] },
  { name: "DELETE /tokens (bulk) with an empty data list", refusedByWorker: true, steps: [bulkStep(KEYS.user, { data: [] })] },
  { name: "DELETE /tokens (bulk) with a wrong type", refusedByWorker: true, steps: [bulkStep(KEYS.user, { data: [{ id: tokens.userNeverUsed.id, type: "service" }] })] },
  { name: "DELETE /tokens (bulk) with an entry that is not an object", refusedByWorker: true, steps: [bulkStep(KEYS.user, { data: [tokens.userNeverUsed.id] })] },
  { name: "DELETE /tokens (bulk) with an empty id", refusedByWorker: true, steps: [bulkStep(KEYS.user, { data: [{ id: "", type: "token" }] })] },
  { name: "DELETE /tokens (bulk) with a numeric id", refusedByWorker: true, steps: [bulkStep(KEYS.user, { data: [{ id: 7, type: "token" }] })] },
  { name: "DELETE /tokens (bulk) with unknown query parameters", steps: [{ ...bulkStep(KEYS.user, bulk(tokens.userNeverUsed.id)), path: "/tokens?async=false" }] },
];

const badKeys: Case[] = [
  ...BAD_KEYS.flatMap(([label, key]) => [
    { name: `GET /tokens/self with ${label}`, steps: [{ path: "/tokens/self", key }] },
    { name: `GET /tokens with ${label}`, steps: [{ path: "/tokens", key }] },
    { name: `GET /tokens/{id} with ${label}`, steps: [{ path: `/tokens/${tokens.userGlobal.id}`, key }] },
    { name: `GET /customer/{id}/tokens with ${label}`, steps: [{ path: `/customer/${customers.acme.id}/tokens`, key }] },
    { name: `DELETE /tokens/self with ${label}`, steps: [{ method: "DELETE", path: "/tokens/self", key }] },
    { name: `DELETE /tokens/{id} with ${label}`, steps: [{ method: "DELETE", path: `/tokens/${tokens.userNeverUsed.id}`, key }] },
    { name: `DELETE /tokens (bulk) with ${label}`, steps: [bulkStep(key, bulk(tokens.userNeverUsed.id))] },
  ]),
];

const wrongMethods: Case[] = (
  [
  ["PUT", "/tokens/self"],
  ["POST", "/tokens/self"],
  ["PATCH", "/tokens"],
  ["PUT", "/tokens"],
  ["POST", `/tokens/${tokens.userGlobal.id}`],
  ["PATCH", `/tokens/${tokens.userGlobal.id}`],
  ["POST", `/customer/${customers.acme.id}/tokens`],
  ["DELETE", `/customer/${customers.acme.id}/tokens`],
  ["GET", "/sudo"],
  ["DELETE", "/sudo"],
  ["PUT", "/sudo"],
  ["OPTIONS", "/tokens"],
  ["OPTIONS", "/tokens/self"],
  ] as const
).flatMap(([method, path]) => [
  { name: `${method} ${path} with a key`, steps: [{ method, path, key: KEYS.superuser }] },
  { name: `${method} ${path} without a key`, steps: [{ method, path }] },
]);

/** Every case of the corpus, each name unique. */
export const CORPUS: Case[] = [...reads, ...creates, ...sudo, ...revokes, ...badKeys, ...wrongMethods];

/** Requests whose answers differ by design in the `detail` of a 404 only (the Worker never echoes a path). */
export const UNKNOWN_ROUTES: Step[] = [
  { path: "/tokens/self/", key: KEYS.superuser },
  { path: "/tokens/", key: KEYS.superuser },
  { method: "PUT", path: "/tokens/self/", key: KEYS.superuser },
  { method: "DELETE", path: `/tokens/${tokens.userNeverUsed.id}/`, key: KEYS.superuser },
  { method: "POST", path: "/sudo/", key: KEYS.engineer, form: { password: bob.password } },
  { method: "POST", path: "/tokens/", form: bobLogin },
  { path: `/customer/${customers.acme.id}/tokens/`, key: KEYS.superuser },
  { path: `/tokens/${tokens.userGlobal.id}/extra`, key: KEYS.superuser },
  { path: "/customers/x/tokens", key: KEYS.superuser },
  { path: "/nope" },
];
