/**
 * The core's one error type, for the core's own decisions (policy, the self-token guard, not found, not configured,
 * a request the core cannot carry out). A surface refusing a request it cannot even hand to the core (bad JSON, a
 * failed signature, a missing scope, a wrong media type) throws `RequestRefused` (src/routes/errors.ts) instead. `status` and `msg`/`detail` are safe to show to callers (Fastly's error shape);
 * `code` is a stable machine-readable reason. Messages never contain a secret.
 */
export class TokenServiceError extends Error {
  override readonly name = "TokenServiceError";
  constructor(
    readonly status: number,
    readonly code: string,
    readonly msg: string,
    readonly detail?: string,
  ) {
    super(detail ? `${msg}: ${detail}` : msg);
  }
}

export const notConfigured = (what: string, setting: string) =>
  new TokenServiceError(503, "not_configured", `${what} is not configured`, `set ${setting} to enable it`);

export const forbidden = (detail: string) => new TokenServiceError(403, "forbidden", "Forbidden", detail);
