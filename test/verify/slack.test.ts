import { describe, expect, it } from "vitest";
import { signSlackRequest, verifySlackRequest } from "../../src/verify/slack";
import { bytes, flipByte } from "./support";

// Slack's documented example (also in python-slack-sdk's tests). The secret is not valid hex, which
// proves it is used as UTF-8 text.
const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const TS = "1531420618";
const NOW = 1531420618;
const BODY = bytes(
  "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c",
);
const SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

const verify = (over: Partial<Parameters<typeof verifySlackRequest>[0]> = {}) =>
  verifySlackRequest({ signingSecret: SECRET, rawBody: BODY, timestamp: TS, signature: SIGNATURE, now: NOW, ...over });

describe("verifySlackRequest", () => {
  it("accepts Slack's documented example", async () => {
    expect(await verify()).toEqual({ ok: true });
  });

  it("signs Slack's documented example to the documented header", async () => {
    expect(await signSlackRequest(SECRET, TS, BODY)).toBe(SIGNATURE);
  });

  it("accepts a request at either edge of the five-minute window", async () => {
    expect(await verify({ now: NOW + 300 })).toEqual({ ok: true });
    expect(await verify({ now: NOW - 300 })).toEqual({ ok: true });
  });

  it("uses the current clock when no time is given, so the 2018 example is stale today", async () => {
    expect(await verify({ now: undefined })).toEqual({ ok: false, reason: "stale" });
  });

  it.each([
    ["replayed a second after the window", NOW + 301],
    ["replayed a day later", NOW + 86_400],
    ["dated too far in the future", NOW - 301],
    ["compared against a clock in milliseconds", NOW * 1000],
  ])("rejects a correctly signed request %s", async (_name, now) => {
    expect(await verify({ now })).toEqual({ ok: false, reason: "stale" });
  });

  it("honours a custom tolerance", async () => {
    expect(await verify({ now: NOW + 61, toleranceSec: 60 })).toEqual({ ok: false, reason: "stale" });
    expect(await verify({ now: NOW + 60, toleranceSec: 60 })).toEqual({ ok: true });
  });

  it("rejects a fresh timestamp swapped into an old signature", async () => {
    expect(await verify({ timestamp: String(NOW + 1), now: NOW + 1 })).toEqual({ ok: false, reason: "mismatch" });
  });

  it.each([
    ["one byte changed", flipByte(BODY, 10)],
    ["------ appended", bytes(`${new TextDecoder().decode(BODY)}------`)],
    ["a space appended", bytes(`${new TextDecoder().decode(BODY)} `)],
    ["a trailing newline", bytes(`${new TextDecoder().decode(BODY)}\n`)],
    ["the body cut short", BODY.subarray(0, BODY.length - 1)],
  ])("rejects the body with %s", async (_name, rawBody) => {
    expect(await verify({ rawBody })).toEqual({ ok: false, reason: "mismatch" });
  });

  it("rejects a request signed with another secret", async () => {
    const forged = await signSlackRequest("another-signing-secret", TS, BODY);
    expect(await verify({ signature: forged })).toEqual({ ok: false, reason: "mismatch" });
    expect(await verify({ signingSecret: "8f742231b10e8888abcd99yyyzzz85a6" })).toEqual({ ok: false, reason: "mismatch" });
  });

  it.each([
    ["timestamp", { timestamp: null }],
    ["signature", { signature: null }],
    ["empty timestamp", { timestamp: "" }],
    ["empty signature", { signature: "" }],
  ])("reports a missing %s", async (_name, over) => {
    expect(await verify(over)).toEqual({ ok: false, reason: "missing" });
  });

  it.each([
    ["a word for a timestamp", { timestamp: "yesterday" }],
    ["a fractional timestamp", { timestamp: `${TS}.0` }],
    ["a negative timestamp", { timestamp: `-${TS}` }],
    ["a padded timestamp", { timestamp: ` ${TS}` }],
    ["a timestamp in exponent form", { timestamp: "1.531420618e9" }],
    ["the wrong version prefix", { signature: `v1=${SIGNATURE.slice(3)}` }],
    ["no version prefix", { signature: SIGNATURE.slice(3) }],
    ["non-hex digits", { signature: `v0=${"g".repeat(64)}` }],
    ["a truncated signature", { signature: SIGNATURE.slice(0, -2) }],
    ["an odd-length signature", { signature: SIGNATURE.slice(0, -1) }],
    ["a fake signature", { signature: "fakesignature" }],
  ])("reports a malformed request with %s", async (_name, over) => {
    expect(await verify(over)).toEqual({ ok: false, reason: "malformed" });
  });
});
