import { AsyncLocalStorage } from "node:async_hooks";

/**
 * The Worker's log lines: one JSON object per line, `{"event", ...fields, "request_id"?}`, as Workers Logs and
 * `wrangler tail` index them. Inside a request (and the `waitUntil` work it starts) the line carries the request's
 * `X-Request-Id`, taken from the AsyncLocalStorage the app's middleware sets, so no caller has to thread it through.
 * Fields are the caller's responsibility: never a secret, never request data beyond fixed phrases and ids.
 */
const scope = new AsyncLocalStorage<{ requestId: string }>();

/** Runs `fn` with `requestId` attached to every log line written inside it (src/app.ts wraps each request). */
export function withRequestId<T>(requestId: string, fn: () => T): T {
  return scope.run({ requestId }, fn);
}

/** The request id of the request being handled, if any (queue and cron invocations have none). */
export function currentRequestId(): string | undefined {
  return scope.getStore()?.requestId;
}

type Fields = Record<string, unknown>;

function line(event: string, fields: Fields): string {
  const requestId = currentRequestId();
  return JSON.stringify({ event, ...fields, ...(requestId ? { request_id: requestId } : {}) });
}

export const log = {
  info: (event: string, fields: Fields = {}) => console.log(line(event, fields)),
  warn: (event: string, fields: Fields = {}) => console.warn(line(event, fields)),
  error: (event: string, fields: Fields = {}) => console.error(line(event, fields)),
};
