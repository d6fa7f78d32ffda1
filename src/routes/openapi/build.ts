import * as z from "zod/mini";
import { TokenCreatedResponseSchema, TokenResponseSchema } from "../../fastly/schemas";
import {
  BulkRevokeBodySchema,
  CreateTokenFormSchema,
  CustomerIdSchema,
  DryRunSchema,
  FastlyErrorSchema,
  SudoFormSchema,
  TokenIdSchema,
} from "../api/schemas";

const schema = (s: z.core.$ZodType) => z.toJSONSchema(s, { target: "draft-2020-12", io: "input", unrepresentable: "any" });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string) => ({ "application/json": { schema: ref(name) } });
const error = (description: string) => ({ description, content: json("Error") });
const errors = {
  "400": error("Bad request (names the field; never echoes the value)."),
  "401": error("Missing or invalid Fastly-Key."),
  "403": error("Forbidden: API key scope or customer, or Fastly's own permission check."),
  "404": error("Token lookup failed."),
  "413": error("Body too large."),
  "415": error("Unsupported Content-Type."),
  "429": error("Fastly's hourly rate limit."),
  "502": error("Fastly unreachable."),
};
const tokenIdParam = { name: "token_id", in: "path", required: true, schema: schema(TokenIdSchema) };
const customerIdParam = { name: "customer_id", in: "path", required: true, schema: schema(CustomerIdSchema) };
const switches = [
  { name: "dry_run", in: "query", schema: { type: "boolean" }, description: "Report what would change; change nothing." },
  { name: "force", in: "query", schema: { type: "boolean" }, description: "Allow revoking the Worker's own token." },
];
const read = (summary: string, result: string, extra: object = {}) => ({
  summary,
  ...extra,
  responses: { "200": { description: "OK (X-Cache: HIT|MISS)", content: json(result) }, ...errors },
});
const revoke = (summary: string, extra: object = {}) => ({
  summary,
  ...extra,
  parameters: [...((extra as { parameters?: object[] }).parameters ?? []), ...switches],
  responses: { "204": { description: "Revoked" }, "200": { description: "Dry run", content: json("DryRun") }, ...errors },
});

/**
 * OpenAPI 3.1 for the Fastly-compatible surface, built from the same zod schemas that validate requests.
 * Run at build time (`npm run openapi` writes public/openapi.json, a static asset the Worker serves), so neither the
 * JSON Schema generator nor the document is in the Worker bundle; a test fails when the committed file and this
 * builder disagree.
 */
export function buildOpenApiDocument(): object {
  return {
    openapi: "3.1.0",
    info: {
      title: "Fastly token webhooks: Fastly-compatible Tokens API",
      version: "0.1.0",
      description:
        "api.fastly.com's eight token operations behind a Worker: same paths, bodies and errors, plus KV caching, audit and policy.",
    },
    components: {
      securitySchemes: { token: { type: "apiKey", in: "header", name: "Fastly-Key" } },
      schemas: {
        TokenResponse: schema(TokenResponseSchema),
        TokenList: { type: "array", items: ref("TokenResponse") },
        TokenCreatedResponse: schema(TokenCreatedResponseSchema),
        CreateTokenForm: schema(CreateTokenFormSchema),
        BulkRevokeBody: schema(BulkRevokeBodySchema),
        Error: schema(FastlyErrorSchema),
        DryRun: schema(DryRunSchema),
        SudoForm: schema(SudoFormSchema),
      },
    },
    security: [{ token: [] }],
    paths: {
      "/tokens": {
        get: read("List tokens for the authenticated user", "TokenList", { operationId: "list_tokens_user" }),
        post: {
          operationId: "create_token",
          summary: "Create a token",
          parameters: [{ name: "Fastly-OTP", in: "header", schema: { type: "string" } }, ...switches.slice(0, 1)],
          requestBody: {
            content: {
              "application/x-www-form-urlencoded": { schema: ref("CreateTokenForm") },
              "application/json": { schema: ref("CreateTokenForm") },
            },
          },
          responses: { "200": { description: "Created", content: json("TokenCreatedResponse") }, "422": error("Bad expires_at."), ...errors },
        },
        delete: revoke("Revoke multiple tokens", {
          operationId: "bulk_revoke_tokens",
          requestBody: { content: { "application/vnd.api+json; ext=bulk": { schema: ref("BulkRevokeBody") } } },
        }),
      },
      "/tokens/self": {
        get: read("Get the current token", "TokenResponse", { operationId: "get_token_current" }),
        delete: revoke("Revoke the current token", { operationId: "revoke_token_current" }),
      },
      "/tokens/{token_id}": {
        get: read("Get a token", "TokenResponse", { operationId: "get_token", parameters: [tokenIdParam] }),
        delete: revoke("Revoke a token", { operationId: "revoke_token", parameters: [tokenIdParam] }),
      },
      "/customer/{customer_id}/tokens": {
        get: read("List tokens for a customer", "TokenList", { operationId: "list_tokens_customer", parameters: [customerIdParam] }),
      },
      "/sudo": {
        post: {
          operationId: "request_sudo_access",
          summary: "Open a sudo window for the calling token (passed through with the caller's own Fastly token)",
          requestBody: {
            content: {
              "application/x-www-form-urlencoded": { schema: ref("SudoForm") },
              "application/json": { schema: ref("SudoForm") },
            },
          },
          responses: {
            "200": { description: "Sudo window open", content: { "application/json": { schema: { type: "object", properties: { expiry_time: { type: "string" } } } } } },
            ...errors,
          },
        },
      },
      "/health": { get: { summary: "Uptime check", security: [], responses: { "200": { description: "OK" } } } },
    },
  };
}
