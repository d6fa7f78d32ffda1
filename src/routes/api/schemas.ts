import { z } from "zod";
import { TOKEN_SCOPES } from "../../fastly/schemas";

// Requests to the Fastly-compatible API. These schemas validate requests AND generate /openapi.json.
// Messages are written so a 400 never repeats what was submitted (it might be a secret pasted in the wrong place).

export const TokenIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9]{1,64}$/, "token_id must be 1-64 alphanumeric characters")
  .meta({ description: "Alphanumeric string identifying a token.", example: "5Yo3XXnrQpjc20u0ybrf2g" });

export const CustomerIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9]{1,64}$/, "customer_id must be 1-64 alphanumeric characters")
  .meta({ description: "Alphanumeric string identifying the customer.", example: "x4xCwxxJxGCx123Rx5xTx" });

const scopeWord = z.enum(TOKEN_SCOPES);

export const CreateTokenFormSchema = z
  .object({
    username: z.string().min(1, "username must not be empty").max(256).optional(),
    password: z.string().min(1, "password must not be empty").max(1024).optional(),
    name: z.string().max(256, "name is longer than 256 characters").optional(),
    scope: z
      .string()
      .max(256)
      .refine((s) => s.split(/\s+/).filter(Boolean).every((w) => scopeWord.safeParse(w).success), {
        message: `scope must be space-delimited words from: ${TOKEN_SCOPES.join(", ")}`,
      })
      .optional()
      .meta({ description: "Space-delimited list of scopes (default global).", example: "purge_select global:read" }),
    "services[]": z
      .array(z.string().regex(/^[A-Za-z0-9]{1,64}$/, "each services[] entry must be an alphanumeric service id"))
      .max(100)
      .optional()
      .meta({ description: "Repeated form field: limit the token to these services." }),
    expires_at: z.iso
      .datetime({ offset: true, message: "expires_at must be an ISO 8601 date-time, e.g. 2026-07-28T19:24:50Z" })
      .optional(),
  })
  .meta({ title: "CreateTokenForm", description: "application/x-www-form-urlencoded body of POST /tokens" });
export type CreateTokenForm = z.infer<typeof CreateTokenFormSchema>;

export const BulkRevokeBodySchema = z
  .object({
    data: z
      .array(z.object({ id: TokenIdSchema, type: z.literal("token", "each item's type must be \"token\"") }).loose())
      .min(1, "data must list at least one token"),
  })
  .meta({ title: "BulkRevokeBody", description: "JSON:API bulk body, application/vnd.api+json; ext=bulk" });

export const FastlyErrorSchema = z
  .object({ msg: z.string(), detail: z.string().optional(), code: z.string().optional() })
  .meta({ title: "Error", description: "Fastly's error shape" });

export const DryRunSchema = z
  .object({
    dry_run: z.literal(true),
    would_revoke: z.array(z.object({ id: z.string().optional(), name: z.string().nullable().optional() }).loose()).optional(),
    would_create: z.object({ name: z.string().optional(), scope: z.string() }).optional(),
  })
  .meta({ title: "DryRun", description: "Answer when dry run is on: what would have changed. Nothing did." });
