import { describe, expect, it } from "vitest";
import { bytesToBase64 } from "../../src/crypto/bytes";
import { signStandardWebhook, verifyStandardWebhook } from "../../src/verify/standard-webhooks";
import { bytes, flipByte } from "./support";

// standard-webhooks/standard-webhooks libraries/javascript/src/webhook.test.ts, "sign function works"
const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const TS = "1614265330";
const NOW = 1614265330;
const BODY_TEXT = '{"test": 2432232314}';
const BODY = bytes(BODY_TEXT);
const SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
// Same file, "multi sig payload is valid": invalid v1 and v2 entries around the valid one.
const INVALID_V1 = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";
const V2 = "v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";

const verify = (over: Partial<Parameters<typeof verifyStandardWebhook>[0]> = {}) =>
  verifyStandardWebhook({ secrets: [SECRET], rawBody: BODY, id: ID, timestamp: TS, signature: SIGNATURE, now: NOW, ...over });

function randomSecret(): string {
  return `whsec_${bytesToBase64(crypto.getRandomValues(new Uint8Array(32)))}`;
}

describe("verifyStandardWebhook", () => {
  it("accepts the official vector", async () => {
    expect(await verify()).toEqual({ ok: true });
  });

  it("signs the official vector to the published signature", async () => {
    expect(await signStandardWebhook(SECRET, ID, NOW, BODY)).toBe(SIGNATURE);
  });

  it("accepts the secret without its whsec_ prefix", async () => {
    expect(await verify({ secrets: [SECRET.slice("whsec_".length)] })).toEqual({ ok: true });
  });

  it("accepts the official multi-signature header with invalid v1 and v2 entries around the valid one", async () => {
    const signature = [INVALID_V1, V2, SIGNATURE, INVALID_V1].join(" ");
    expect(await verify({ signature })).toEqual({ ok: true });
  });

  it("rejects the multi-signature header once the valid entry is removed", async () => {
    expect(await verify({ signature: [INVALID_V1, V2, INVALID_V1].join(" ") })).toEqual({ ok: false, reason: "mismatch" });
  });

  it("ignores a valid MAC labelled with another version", async () => {
    expect(await verify({ signature: `v1a,${SIGNATURE.slice(3)} ${INVALID_V1}` })).toEqual({ ok: false, reason: "mismatch" });
  });

  it("tolerates repeated spaces between signatures", async () => {
    expect(await verify({ signature: `${INVALID_V1}   ${SIGNATURE}` })).toEqual({ ok: true });
  });

  it("accepts a message signed with either secret during a rotation", async () => {
    const next = randomSecret();
    const fromNext = await signStandardWebhook(next, ID, NOW, BODY);
    expect(await verify({ secrets: [SECRET, next], signature: fromNext })).toEqual({ ok: true });
    expect(await verify({ secrets: [SECRET, next] })).toEqual({ ok: true });
    expect(await verify({ secrets: [next, SECRET] })).toEqual({ ok: true });
  });

  it("rejects a message re-signed with a secret that is not configured", async () => {
    const forged = await signStandardWebhook(randomSecret(), ID, NOW, BODY);
    expect(await verify({ signature: forged })).toEqual({ ok: false, reason: "mismatch" });
    expect(await verify({ secrets: [randomSecret()] })).toEqual({ ok: false, reason: "mismatch" });
  });

  it("keys the MAC with the decoded secret, not its text", async () => {
    const wrong = await crypto.subtle.importKey("raw", bytes(SECRET), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", wrong, bytes(`${ID}.${TS}.${BODY_TEXT}`)));
    expect(await verify({ signature: `v1,${bytesToBase64(mac)}` })).toEqual({ ok: false, reason: "mismatch" });
  });

  it.each([
    ["one byte changed", flipByte(BODY, 3)],
    ["a space appended", bytes(`${BODY_TEXT} `)],
    ["a trailing newline", bytes(`${BODY_TEXT}\n`)],
    ["the space after the colon removed", bytes('{"test":2432232314}')],
    ["the body cut short", BODY.subarray(0, BODY.length - 1)],
  ])("rejects the body with %s", async (_name, rawBody) => {
    expect(await verify({ rawBody })).toEqual({ ok: false, reason: "mismatch" });
  });

  it("rejects a different id or timestamp under the same signature", async () => {
    expect(await verify({ id: "msg_p5jXN8AQM9LWM0D4loKWxJeK" })).toEqual({ ok: false, reason: "mismatch" });
    expect(await verify({ timestamp: "1614265331" })).toEqual({ ok: false, reason: "mismatch" });
  });

  it.each([
    ["replayed after the window", NOW + 301],
    ["dated too far in the future", NOW - 301],
  ])("rejects a correctly signed message %s", async (_name, now) => {
    expect(await verify({ now })).toEqual({ ok: false, reason: "stale" });
  });

  it("accepts the edges of the ±300 s window and honours a custom tolerance", async () => {
    expect(await verify({ now: NOW + 300 })).toEqual({ ok: true });
    expect(await verify({ now: NOW - 300 })).toEqual({ ok: true });
    expect(await verify({ now: NOW + 11, toleranceSec: 10 })).toEqual({ ok: false, reason: "stale" });
  });

  it.each([
    ["id", { id: null }],
    ["timestamp", { timestamp: null }],
    ["signature", { signature: null }],
    ["empty id", { id: "" }],
    ["blank signature", { signature: "  " }],
  ])("reports a missing %s", async (_name, over) => {
    expect(await verify(over)).toEqual({ ok: false, reason: "missing" });
  });

  it.each([
    ["a fake signature", { signature: "fakesignature" }],
    ["an empty v1 entry", { signature: "v1," }],
    ["a truncated signature", { signature: SIGNATURE.slice(0, 8) }],
    ["a signature with its last characters cut", { signature: SIGNATURE.slice(0, -4) }],
    ["non-base64 characters", { signature: "v1,dawfeoifkpqwoekfpqoekf!" }],
    ["only other versions", { signature: V2 }],
    ["the wrong separator", { signature: SIGNATURE.replace(",", "=") }],
    ["a non-numeric timestamp", { timestamp: "hello" }],
    ["a timestamp in milliseconds with a fraction", { timestamp: "1614265330.000" }],
    ["a dot in the id", { id: "msg.1" }],
  ])("reports a malformed message with %s", async (_name, over) => {
    expect(await verify(over)).toEqual({ ok: false, reason: "malformed" });
  });

  it("treats an undecodable or missing secret as a configuration error that never quotes the secret", async () => {
    const bad = "whsec_not base64!!";
    const error = await verify({ secrets: [bad] }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(String((error as Error).message)).not.toContain("not base64!!");
    await expect(verify({ secrets: [] })).rejects.toThrow(TypeError);
  });
});
