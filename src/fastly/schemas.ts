// zod/mini: the same validation as zod, tree-shakable, so the standalone client stays a few KB.
import * as z from "zod/mini";

/**
 * The four scope words Fastly documents; a token's `scope` is a space-delimited list of them.
 *
 * @example
 * ```ts
 * const words = token.scope?.split(" ") ?? [];
 * const readOnly = words.every((w) => w === "global:read");
 * TOKEN_SCOPES.includes("purge_all"); // true
 * ```
 */
export const TOKEN_SCOPES = ["global", "purge_select", "purge_all", "global:read"] as const;
/**
 * One scope word.
 *
 * @example
 * ```ts
 * const scope: TokenScope[] = ["purge_select", "global:read"];
 * ```
 */
export type TokenScope = (typeof TOKEN_SCOPES)[number];

const nullableString = z.optional(z.nullable(z.string()));
const optionalString = z.optional(z.string());

/**
 * A token as `GET /tokens/self`, `GET /tokens/{id}` and the list endpoints return it.
 * Tolerant on purpose: every field optional, timestamps/ip/user_agent/service_id nullable,
 * `scope` a free string (real tokens carry multi-scope strings such as "global:read global"),
 * and unknown fields kept (`.loose()`), because Fastly adds fields without notice.
 *
 * @example
 * ```ts
 * const token = TokenResponseSchema.parse(await response.json());
 * ```
 */
export const TokenResponseSchema = z.looseObject({
  id: optionalString,
  user_id: optionalString,
  customer_id: optionalString,
  name: nullableString,
  scope: optionalString,
  scopes: z.optional(z.array(z.string())),
  services: z.optional(z.array(z.string())),
  service_id: nullableString,
  created_at: nullableString,
  updated_at: nullableString,
  deleted_at: nullableString,
  last_used_at: nullableString,
  expires_at: nullableString,
  ip: nullableString,
  user_agent: nullableString,
  sudo_expires_at: nullableString,
});
/**
 * A token's metadata (never its secret value).
 *
 * @example
 * ```ts
 * const token: TokenResponse = await client.getTokenCurrent();
 * if (token.expires_at && Date.parse(token.expires_at) < Date.now() + 3 * 86_400_000) warn(token.id);
 * ```
 */
export type TokenResponse = z.infer<typeof TokenResponseSchema>;

/**
 * `POST /tokens` answer: a token plus its `access_token`, the only time Fastly reveals it.
 *
 * @example
 * ```ts
 * const created = TokenCreatedResponseSchema.parse(body);
 * ```
 */
export const TokenCreatedResponseSchema = z.looseObject({ ...TokenResponseSchema.shape, access_token: optionalString });
/**
 * A freshly created token, with its `access_token`.
 *
 * @example
 * ```ts
 * const created: TokenCreatedResponse = await client.createToken({ username, password, name: "ci" });
 * ```
 */
export type TokenCreatedResponse = z.infer<typeof TokenCreatedResponseSchema>;

/**
 * The bare array both list endpoints return (no pagination).
 *
 * @example
 * ```ts
 * const tokens = TokenListSchema.parse(await response.json());
 * ```
 */
export const TokenListSchema = z.array(TokenResponseSchema);

/**
 * `POST /sudo` answer.
 *
 * @example
 * ```ts
 * const { expiry_time } = SudoResponseSchema.parse(body);
 * ```
 */
export const SudoResponseSchema = z.looseObject({ expiry_time: nullableString });
/**
 * When the sudo window closes.
 *
 * @example
 * ```ts
 * const sudo: SudoResponse = await client.sudo({ password });
 * ```
 */
export type SudoResponse = z.infer<typeof SudoResponseSchema>;

/**
 * A user as `GET /current_user` and `GET /user/{user_id}` return it (Fastly's User resource). Tolerant like the
 * token schema: every field optional, timestamps and `email_hash` nullable, unknown fields kept. `login` is the
 * user's e-mail address.
 *
 * @example
 * ```ts
 * const user = UserResponseSchema.parse(await response.json());
 * console.log(user.login, user.name, user.role);
 * ```
 */
export const UserResponseSchema = z.looseObject({
  id: optionalString,
  login: optionalString,
  name: nullableString,
  customer_id: optionalString,
  role: optionalString,
  two_factor_auth_enabled: z.optional(z.nullable(z.boolean())),
  two_factor_setup_required: z.optional(z.nullable(z.boolean())),
  limit_services: z.optional(z.nullable(z.boolean())),
  locked: z.optional(z.nullable(z.boolean())),
  require_new_password: z.optional(z.nullable(z.boolean())),
  email_hash: nullableString,
  created_at: nullableString,
  updated_at: nullableString,
  deleted_at: nullableString,
});
/**
 * A Fastly user (never a password or OTP: Fastly does not return them).
 *
 * @example
 * ```ts
 * const owner: UserResponse = await client.getUser({ user_id: token.user_id! });
 * ```
 */
export type UserResponse = z.infer<typeof UserResponseSchema>;
