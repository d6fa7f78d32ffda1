import type { Context } from "hono";
import type { CreateTokenParams, SudoParams } from "../../fastly";
import { toFastlyDateTime } from "../../fastly/date-time";
import { invalidRequest as badRequest, RequestRefused } from "../errors";
import { parseLooseDateTime } from "./date-time";
import { credentials, field, readFields } from "./request-fields";
import { BulkRevokeBodySchema, CREATE_MESSAGES, CreateTokenFormSchema, SudoFormSchema } from "./schemas";

/** The first issue of a failed parse: where it is and what is wrong (never the submitted value). */
function firstIssue(result: { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } }) {
  const issue = result.error.issues[0];
  return { path: issue?.path ?? [], message: issue?.message ?? "invalid" };
}

/** A create field the Worker must refuse answers as Fastly's create does: its 400 code, or 422 for expires_at. */
function createRefusal(path: PropertyKey[]): RequestRefused {
  if (path[0] === "expires_at") return new RequestRefused(422, { msg: CREATE_MESSAGES.expiresAt, code: "invalid_expires_at", detail: "Use ISO 8601" });
  if (path[0] === "scope") return new RequestRefused(400, { msg: CREATE_MESSAGES.scope, code: "invalid_scope" });
  return new RequestRefused(400, { msg: CREATE_MESSAGES.services, code: "invalid_request" });
}

/**
 * POST /tokens: every body Fastly takes (form, any charset, or flat JSON; `services[]` or `services`; HTTP Basic),
 * turned into the client's parameters. Dates are re-sent in the client's strict form, meaning the same instant.
 */
export async function createParams(c: Context): Promise<CreateTokenParams> {
  const fields = await readFields(c);
  const form = {
    ...credentials(fields, c.req.header("Authorization")),
    name: fields.get("name") ?? undefined,
    scope: field(fields, "scope")?.trim() || undefined,
    "services[]": fields.getAll("services[]"),
    services: fields.getAll("services"),
    expires_at: field(fields, "expires_at")?.trim() || undefined,
  };
  const parsed = CreateTokenFormSchema.safeParse(form);
  if (!parsed.success) throw createRefusal(firstIssue(parsed).path);
  const body = parsed.data;
  const services = [...(body["services[]"] ?? []), ...(body.services ?? [])];
  const expires = body.expires_at === undefined ? undefined : parseLooseDateTime(body.expires_at);
  return {
    username: body.username,
    password: body.password,
    otp: c.req.header("Fastly-OTP") || undefined,
    name: body.name,
    scope: body.scope,
    services: services.length > 0 ? services : undefined,
    expires_at: expires ? toFastlyDateTime(expires) : undefined,
  };
}

/** POST /sudo: password (required), username and expiry_time (optional), from a form or flat JSON. */
export async function sudoParams(c: Context): Promise<SudoParams> {
  const fields = await readFields(c);
  const parsed = SudoFormSchema.safeParse({
    password: field(fields, "password"),
    username: field(fields, "username"),
    expiry_time: field(fields, "expiry_time"),
  });
  if (!parsed.success) throw badRequest(firstIssue(parsed).message);
  const { password, username, expiry_time } = parsed.data;
  const expiry = expiry_time === undefined ? null : parseLooseDateTime(expiry_time);
  return { password, username, ...(expiry ? { expiry_time: toFastlyDateTime(expiry) } : {}) };
}

const NOT_A_DOCUMENT = 'The body must be a JSON:API document: {"data":[{"id":"…","type":"token"}]}';

/** DELETE /tokens: the JSON:API bulk body's ids, refused in Fastly's bulk style (`data[i].field …`). */
export async function bulkIds(c: Context): Promise<string[]> {
  let json: unknown;
  try {
    json = JSON.parse(await c.req.text());
  } catch {
    throw badRequest(NOT_A_DOCUMENT);
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) throw badRequest(NOT_A_DOCUMENT);
  const parsed = BulkRevokeBodySchema.safeParse(json);
  if (parsed.success) return parsed.data.data.map((d) => d.id);
  const { path, message } = firstIssue(parsed);
  if (path.length < 2) throw badRequest(message);
  // An entry that is not an object has no type: say so, as for a wrong type.
  const key = path.length === 2 ? "type" : String(path[2]);
  throw badRequest(`data[${String(path[1])}].${key} ${path.length === 2 ? 'must be "token"' : message}`);
}
