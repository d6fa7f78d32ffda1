import type { Context } from "hono";
import { invalidRequest as badRequest } from "../errors";

function jsonFields(text: string): URLSearchParams {
  const fields = new URLSearchParams();
  if (text.trim() === "") return fields;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw badRequest("The request body must be a JSON object");
  }
  for (const [key, value] of Object.entries(parsed)) {
    const name = key === "services" ? "services[]" : key;
    for (const item of [value].flat()) {
      if (item === null || item === undefined) continue;
      if (typeof item === "object") throw badRequest(`Field "${key}" must be a string`);
      fields.append(name, String(item));
    }
  }
  return fields;
}

/**
 * The fields of a create or sudo body, read as Fastly reads them: a media type ending in `json` is one flat JSON
 * object (arrays become repeated fields, `services` means `services[]`); anything else is a URL-encoded form,
 * whatever its declared type or charset (community clients send JSON; go-fastly sends forms with a charset).
 */
export async function readFields(c: Context): Promise<URLSearchParams> {
  const text = await c.req.text();
  const type = (c.req.header("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
  return type.endsWith("json") ? jsonFields(text) : new URLSearchParams(text);
}

/** The first value of a field, with an empty one counted as absent (Fastly then applies its default). */
export function field(fields: URLSearchParams, name: string): string | undefined {
  return fields.get(name) || undefined;
}

/**
 * username/password for a create: the form's (both needed once either is given), else HTTP Basic, which the
 * generated clients send. An empty `Basic Og==` (fastly-py and fastly-ruby always send one) carries nothing.
 */
export function credentials(fields: URLSearchParams, authorization: string | undefined): { username?: string; password?: string } {
  const username = field(fields, "username");
  const password = field(fields, "password");
  if (username || password) return { username, password };
  const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? "")?.[1];
  if (!basic) return {};
  let decoded: string;
  try {
    decoded = atob(basic);
  } catch {
    return {};
  }
  const colon = decoded.indexOf(":");
  const user = colon < 0 ? decoded : decoded.slice(0, colon);
  const pass = colon < 0 ? "" : decoded.slice(colon + 1);
  return user && pass ? { username: user, password: pass } : {};
}
