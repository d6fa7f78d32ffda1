import type { Context } from "hono";
import { fastlyErrors } from "./errors";

/** Form fields (repeated keys allowed), read from a urlencoded body or, leniently, a flat JSON object. */
export async function readFields(c: Context): Promise<URLSearchParams> {
  const text = await c.req.text();
  if (!mediaType(c.req.header("content-type")).endsWith("json")) return new URLSearchParams(text);
  const parsed = parseJson(text);
  if (parsed === undefined && text.trim() === "") return new URLSearchParams();
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw fastlyErrors.badRequest("The request body must be a JSON object");
  }
  const fields = new URLSearchParams();
  for (const [key, value] of Object.entries(parsed)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === null || item === undefined) continue;
      if (typeof item === "object") throw fastlyErrors.badRequest(`Field "${key}" must be a string`);
      fields.append(key === "services" ? "services[]" : key, String(item));
    }
  }
  return fields;
}

/** The media type without parameters, lowercased: "application/vnd.api+json; ext=bulk" → "application/vnd.api+json". */
export function mediaType(header: string | undefined): string {
  return (header ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

/** JSON.parse that answers undefined instead of throwing. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
