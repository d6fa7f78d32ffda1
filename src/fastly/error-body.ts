/**
 * The useful part of an error response, whatever style Fastly answered in.
 *
 * @example
 * ```ts
 * const parsed: ParsedErrorBody = { msg: "Token lookup failed" };
 * ```
 */
export interface ParsedErrorBody {
  msg: string;
  detail?: string;
  code?: string;
}

const REASONS: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

const MAX_MSG = 500;

/**
 * The status text to show when a body says nothing: the response's own, else the standard reason phrase.
 *
 * @example
 * ```ts
 * statusMessage(404, ""); // "Not Found"
 * ```
 */
export function statusMessage(status: number, statusText: string): string {
  return statusText.trim() || REASONS[status] || `HTTP ${status}`;
}

function text(value: unknown): string | undefined {
  if (typeof value === "string") return value.trim() === "" ? undefined : value;
  if (typeof value === "number") return String(value);
  return undefined;
}

// `details` (misspelled) has been seen as a string; tolerate lists and objects too rather than lose them.
function detailText(value: unknown): string | undefined {
  const plain = text(value);
  if (plain !== undefined) return plain;
  if (Array.isArray(value) && value.length > 0) {
    return value.map((v) => text(v) ?? JSON.stringify(v)).join("; ");
  }
  if (value !== null && typeof value === "object") return JSON.stringify(value);
  return undefined;
}

function clip(s: string): string {
  return s.length > MAX_MSG ? `${s.slice(0, MAX_MSG)}…` : s;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function fromJson(body: Record<string, unknown>): Partial<ParsedErrorBody> {
  // JSON:API: `{"errors":[{title, detail, code, status}]}` — the first error explains, all titles summarise.
  if (Array.isArray(body.errors) && body.errors.length > 0) {
    const errors = body.errors.filter(isRecord);
    const first = errors[0] ?? {};
    const titles = errors.map((e) => text(e.title)).filter((t): t is string => t !== undefined);
    return {
      msg: titles.length > 0 ? titles.join("; ") : text(first.detail),
      detail: detailText(first.detail),
      code: text(first.code),
    };
  }
  // Legacy `{msg, detail|details}`, create's `{code}`, and problem+json `{title, detail, status, type}`.
  const code = text(body.code);
  return {
    msg: text(body.msg) ?? text(body.title) ?? text(body.message) ?? text(body.error) ?? code,
    detail: detailText(body.detail) ?? detailText(body.details),
    code,
  };
}

/**
 * Turns an error response into `{msg, detail, code}`. Understands Fastly's legacy `{msg, detail}` (and the
 * misspelled `details`), create's `{code}`, JSON:API `{errors:[…]}` and `application/problem+json`; falls back
 * to the raw text, and for an empty or HTML body to the status text.
 *
 * @example
 * ```ts
 * parseErrorBody('{"msg":"Record not found","details":"Couldn\'t find Token"}', "application/json", 404, "Not Found");
 * // { msg: "Record not found", detail: "Couldn't find Token" }
 * ```
 */
export function parseErrorBody(
  raw: string,
  contentType: string | null,
  status: number,
  statusText: string,
): ParsedErrorBody {
  const fallback = statusMessage(status, statusText);
  const trimmed = raw.trim();
  if (trimmed === "") return { msg: fallback };

  const looksJson = /json/i.test(contentType ?? "") || trimmed.startsWith("{");
  if (looksJson) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      parsed = undefined;
    }
    if (isRecord(parsed)) {
      const found = fromJson(parsed);
      const result: ParsedErrorBody = { msg: clip(found.msg ?? clip(trimmed)) };
      if (found.detail !== undefined) result.detail = clip(found.detail);
      if (found.code !== undefined) result.code = found.code;
      return result;
    }
  }
  // An HTML error page (a proxy in the way) says nothing a log line needs; the raw text stays in `body`.
  if (trimmed.startsWith("<")) return { msg: fallback };
  return { msg: clip(trimmed) };
}
