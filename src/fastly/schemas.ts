import { z } from "zod";

/** The four scope words Fastly documents; a token's `scope` is a space-delimited list of them. */
export const TOKEN_SCOPES = ["global", "purge_select", "purge_all", "global:read"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

const nullableString = z.string().nullable().optional();

/**
 * A token as `GET /tokens/self`, `GET /tokens/{id}` and the list endpoints return it.
 * Tolerant on purpose: every field optional, timestamps/ip/user_agent/service_id nullable,
 * `scope` a free string (real tokens carry multi-scope strings such as "global:read global"),
 * and unknown fields kept (`.loose()`), because Fastly adds fields without notice.
 */
export const TokenResponseSchema = z
  .object({
    id: z.string().optional(),
    user_id: z.string().optional(),
    customer_id: z.string().optional(),
    name: nullableString,
    scope: z.string().optional(),
    scopes: z.array(z.string()).optional(),
    services: z.array(z.string()).optional(),
    service_id: nullableString,
    created_at: nullableString,
    updated_at: nullableString,
    deleted_at: nullableString,
    last_used_at: nullableString,
    expires_at: nullableString,
    ip: nullableString,
    user_agent: nullableString,
    sudo_expires_at: nullableString,
  })
  .loose();
export type TokenResponse = z.infer<typeof TokenResponseSchema>;

/** `POST /tokens` answer: a token plus its `access_token`, the only time Fastly reveals it. */
export const TokenCreatedResponseSchema = TokenResponseSchema.extend({ access_token: z.string().optional() }).loose();
export type TokenCreatedResponse = z.infer<typeof TokenCreatedResponseSchema>;

export const TokenListSchema = z.array(TokenResponseSchema);

/** `POST /sudo` answer. */
export const SudoResponseSchema = z.object({ expiry_time: z.string().nullable().optional() }).loose();
export type SudoResponse = z.infer<typeof SudoResponseSchema>;
