import { describe, expect, it } from "vitest";
import { isIsoDateTime, toFastlyDateTime } from "../../src/fastly/date-time";
import { readRateLimit } from "../../src/fastly/rate-limit";
import { findAccessTokens, REDACTED, redact } from "../../src/fastly/redact";
import { backoffDelay, parseRetryAfter } from "../../src/fastly/retry";

describe("ISO 8601 date-times", () => {
  it.each(["2016-07-28T19:24:50+00:00", "2021-04-14T10:20:53Z", "2026-01-02T03:04Z", "2026-01-02T03:04:05.123-0530"])(
    "accepts %s",
    (value) => expect(isIsoDateTime(value)).toBe(true),
  );

  it.each(["2026-01-02", "2026-01-02T03:04:05", "2026-02-29T00:00:00Z", "2026-01-02 03:04:05Z", "2026-01-02T03:60:00Z"])(
    "rejects %s",
    (value) => expect(isIsoDateTime(value)).toBe(false),
  );

  it("accepts the 29th of February in a leap year", () => {
    expect(isIsoDateTime("2028-02-29T00:00:00Z")).toBe(true);
  });

  it("formats a Date at second precision with Z", () => {
    expect(toFastlyDateTime(new Date("2026-01-02T03:04:05.999Z"))).toBe("2026-01-02T03:04:05Z");
  });
});

describe("redaction", () => {
  it("replaces raw, percent-encoded, form-encoded and JSON-escaped spellings of a secret", () => {
    const secret = 'p@ss wo"rd';
    const text = [secret, encodeURIComponent(secret), "p%40ss+wo%22rd", JSON.stringify(secret)].join(" | ");
    const out = redact(text, [secret]);
    expect(out).not.toContain("p@ss");
    expect(out).not.toContain("p%40ss");
    expect(out.split(REDACTED).length - 1).toBe(4);
  });

  it("ignores empty secrets instead of mangling the text", () => {
    expect(redact("nothing to hide", ["", "absent"])).toBe("nothing to hide");
  });

  it("finds access tokens in JSON and form text", () => {
    expect(findAccessTokens('{"id":"x","access_token":"QoU3neoxQQ6IPL8g7eRkkCjyWcwdNI7J"}')).toContain(
      "QoU3neoxQQ6IPL8g7eRkkCjyWcwdNI7J",
    );
    expect(findAccessTokens("name=a&access_token=X-srxc_zLpchro9ngNBVgyofN_jqQFJ2")).toContain(
      "X-srxc_zLpchro9ngNBVgyofN_jqQFJ2",
    );
  });
});

describe("backoff and headers", () => {
  it("draws full-jitter delays under a capped exponential ceiling", () => {
    const delay = { base: 200, max: 2000 };
    expect(backoffDelay(1, delay, () => 0.999)).toBe(199);
    expect(backoffDelay(3, delay, () => 0.999)).toBe(799);
    expect(backoffDelay(10, delay, () => 0.999)).toBe(1998);
    expect(backoffDelay(4, delay, () => 0)).toBe(0);
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    expect(parseRetryAfter("3")).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter("soon")).toBeNull();
    expect(parseRetryAfter(null)).toBeNull();
  });

  it("reads rate-limit headers and leaves unreadable ones null", () => {
    const headers = new Headers({ "Fastly-RateLimit-Remaining": "999", "Fastly-RateLimit-Reset": "x" });
    expect(readRateLimit(headers)).toEqual({ remaining: 999, reset: null });
  });
});
