import * as z from "zod/mini";
import { TOKEN_SCOPES } from "../../fastly/schemas";

// Requests to the Fastly-compatible API. These schemas validate requests AND generate /openapi.json.
// Messages are written so a 400 never repeats what was submitted (it might be a secret pasted in the wrong place).

type Meta = { title?: string; description?: string; example?: unknown };
const meta = <S extends z.ZodMiniType>(schema: S, m: Meta): S => {
  z.globalRegistry.add(schema, m);
  return schema;
};
const alphanumericId = (field: string) => z.string().check(z.regex(/^[A-Za-z0-9]{1,64}$/, `${field} must be 1-64 alphanumeric characters`));

// Fastly ids are 22 characters; a 32-character value is the shape of an access token pasted in the wrong place.
// Refuse it without echoing it, so it never reaches an upstream path, a cache key or the audit trail.
export const TokenIdSchema = meta(
  alphanumericId("token_id").check(
    z.refine((id) => id.length !== 32, { message: "token_id looks like a token value, not a token id: never paste token values" }),
  ),
  {
    description: "Alphanumeric string identifying a token.",
    example: "5Yo3XXnrQpjc20u0ybrf2g",
  },
);

export const CustomerIdSchema = meta(alphanumericId("customer_id"), {
  description: "Alphanumeric string identifying the customer.",
  example: "x4xCwxxJxGCx123Rx5xTx",
});

const scopeWords = new Set<string>(TOKEN_SCOPES);

export const CreateTokenFormSchema = meta(
  z.object({
    username: z.optional(z.string().check(z.minLength(1, "username must not be empty"), z.maxLength(256))),
    password: z.optional(z.string().check(z.minLength(1, "password must not be empty"), z.maxLength(1024))),
    name: z.optional(z.string().check(z.maxLength(256, "name is longer than 256 characters"))),
    scope: z.optional(
      meta(
        z.string().check(
          z.maxLength(256),
          z.refine((s) => s.split(/\s+/).filter(Boolean).every((w) => scopeWords.has(w)), {
            message: `scope must be space-delimited words from: ${TOKEN_SCOPES.join(", ")}`,
          }),
        ),
        { description: "Space-delimited list of scopes (default global).", example: "purge_select global:read" },
      ),
    ),
    "services[]": z.optional(
      meta(z.array(alphanumericId("each services[] entry")).check(z.maxLength(100)), {
        description: "Repeated form field: limit the token to these services.",
      }),
    ),
    expires_at: z.optional(
      z.iso.datetime({ offset: true, message: "expires_at must be an ISO 8601 date-time, e.g. 2026-07-28T19:24:50Z" }),
    ),
  }),
  { title: "CreateTokenForm", description: "application/x-www-form-urlencoded body of POST /tokens" },
);
export type CreateTokenForm = z.infer<typeof CreateTokenFormSchema>;

export const BulkRevokeBodySchema = meta(
  z.object({
    data: z
      .array(z.looseObject({ id: TokenIdSchema, type: z.literal("token", 'each item\'s type must be "token"') }))
      .check(z.minLength(1, "data must list at least one token")),
  }),
  { title: "BulkRevokeBody", description: "JSON:API bulk body, application/vnd.api+json; ext=bulk" },
);

export const FastlyErrorSchema = meta(
  z.object({ msg: z.string(), detail: z.optional(z.string()), code: z.optional(z.string()) }),
  { title: "Error", description: "Fastly's error shape" },
);

export const DryRunSchema = meta(
  z.object({
    dry_run: z.literal(true),
    would_revoke: z.optional(z.array(z.looseObject({ id: z.optional(z.string()), name: z.optional(z.nullable(z.string())) }))),
    would_create: z.optional(z.object({ name: z.optional(z.string()), scope: z.string() })),
  }),
  { title: "DryRun", description: "Answer when dry run is on: what would have changed. Nothing did." },
);
