import type { ContentfulStatusCode } from "hono/utils/http-status";

/** A Fastly-shaped error answer: `{"msg","detail"}`, or `{"code","msg"}` for create's 400s. */
export class FastlyError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly body: Record<string, string>,
  ) {
    super(body.msg ?? body.code ?? `HTTP ${status}`);
    this.name = "FastlyError";
  }
}

/** Thrown by a "drop" fault where no socket can be destroyed (Worker mode): the runtime then fails the request. */
export class DroppedConnection extends Error {
  constructor() {
    super("emulator fault: connection dropped");
    this.name = "DroppedConnection";
  }
}

export type CreateErrorCode = "invalid_grant" | "invalid_request" | "invalid_scope" | "account_locked" | "2fa.verify";

const msg = (status: ContentfulStatusCode, text: string, detail?: string) =>
  new FastlyError(status, detail === undefined ? { msg: text } : { msg: text, detail });

export const fastlyErrors = {
  credentials: (status: 401 | 403 = 401) => msg(status, "Provided credentials are missing or invalid"),
  tokenLookup: () => msg(404, "Token lookup failed"),
  userLookup: () => msg(404, "Record not found", "Cannot find user"),
  readOnly: () => msg(403, "Read only tokens are not allowed to access this endpoint."),
  forbidden: (detail: string) => msg(403, "Insufficient permissions", detail),
  sudoRequired: () => msg(403, "You must POST /sudo to access this endpoint"),
  sudoDenied: () => msg(403, "The supplied username/password combination is not correct."),
  rateLimited: () =>
    msg(
      429,
      "You have exceeded your hourly rate limit. Please contact support@fastly.com if you think this is a mistake.",
    ),
  badRequest: (detail: string) => msg(400, "Bad request", detail),
  unsupportedMediaType: (detail: string) => msg(415, "Unsupported Media Type", detail),
  badExpiresAt: () =>
    msg(422, "The format of the date and time supplied to the expires_at parameter is invalid.", "Use ISO 8601"),
  create: (code: CreateErrorCode, text: string) => new FastlyError(400, { code, msg: text }),
};
