import * as z from "zod/mini";
import { TOKEN_SCOPES } from "../../fastly/schemas";
import { assertServices } from "../../fastly/validate";
import { parseLooseDateTime } from "./date-time";

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

/** Fastly's create messages, used where the Worker refuses a create field itself (it could not be sent as given). */
export const CREATE_MESSAGES = {
  scope: `scope must be a space-delimited list of ${TOKEN_SCOPES.join(", ")}`,
  services: "services must be ids of services on this account",
  expiresAt: "The format of the date and time supplied to the expires_at parameter is invalid.",
} as const;

const text = (description: string) => z.optional(meta(z.string(), { description }));
// The Fastly client refuses (and could not send) a service id with whitespace or a control character: none exists.
const sendable = (id: string) => {
  try {
    assertServices([id]);
    return true;
  } catch {
    return false;
  }
};
const serviceId = z.string().check(z.refine(sendable, { message: CREATE_MESSAGES.services }));
const serviceList = (description: string) => z.optional(meta(z.array(serviceId), { description }));

/**
 * The fields of POST /tokens after reading the body (form or flat JSON; a repeated field counts by its first value,
 * an empty one as absent). Checked only as far as the Worker must: the rest is Fastly's to judge.
 */
export const CreateTokenFormSchema = meta(
  z.object({
    username: text("Login e-mail. With password, instead of Fastly-Key (or as HTTP Basic)."),
    password: text("Password. With username; with a Fastly-Key it is not needed (the key's sudo window decides)."),
    name: text("Name of the token."),
    scope: z.optional(
      meta(
        z.string().check(z.refine((s) => s.split(/\s+/).filter(Boolean).every((w) => scopeWords.has(w)), { message: CREATE_MESSAGES.scope })),
        { description: "Space-delimited list of scopes (default global).", example: "purge_select global:read" },
      ),
    ),
    "services[]": serviceList("Repeated form field: limit the token to these services."),
    services: serviceList("Also accepted for services[] (and as a JSON array)."),
    expires_at: z.optional(
      meta(z.string().check(z.refine((s) => parseLooseDateTime(s) !== null, { message: CREATE_MESSAGES.expiresAt })), {
        description: "ISO 8601 date or date-time (no zone = UTC).",
        example: "2026-07-28T19:24:50Z",
      }),
    ),
  }),
  { title: "CreateTokenForm", description: "Body of POST /tokens: application/x-www-form-urlencoded (or a flat JSON object)" },
);
export type CreateTokenForm = z.infer<typeof CreateTokenFormSchema>;

export const SudoFormSchema = meta(
  z.object({
    password: z.string("password is required").check(z.minLength(1, "password is required")),
    username: text("Optional; must be the key's own login."),
    expiry_time: z.optional(
      meta(
        z.string().check(z.refine((s) => parseLooseDateTime(s) !== null, { message: "expiry_time must be a future ISO 8601 time" })),
        { description: "When the sudo window closes (default: in five minutes)." },
      ),
    ),
  }),
  { title: "SudoForm", description: "Body of POST /sudo: a form or a flat JSON object" },
);

const bulkItem = z.looseObject({
  type: z.literal("token", 'must be "token"'),
  id: z.string("must be a non-empty string").check(
    z.minLength(1, "must be a non-empty string"),
    z.regex(/^[A-Za-z0-9]{1,64}$/, "must be 1-64 alphanumeric characters"),
    z.refine((id) => id.length !== 32, { message: "looks like a token value, not a token id: never paste token values" }),
  ),
});

export const BulkRevokeBodySchema = meta(
  z.object({
    data: z.array(bulkItem, "data must be a non-empty array of token resource identifiers").check(
      z.minLength(1, "data must be a non-empty array of token resource identifiers"),
    ),
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
