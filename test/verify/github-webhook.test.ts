import { describe, expect, it } from "vitest";
import { signGitHubWebhook, verifyGitHubWebhook } from "../../src/verify/github-webhook";
import { bytes, flipByte } from "./support";

// github/docs validating-webhook-deliveries.md
const SECRET = "It's a Secret to Everybody";
const BODY = bytes("Hello, World!");
const SIGNATURE = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

const verify = (signatureHeader: string | null, rawBody = BODY, secret = SECRET) =>
  verifyGitHubWebhook({ secret, rawBody, signatureHeader });

describe("verifyGitHubWebhook", () => {
  it("accepts GitHub's published example", async () => {
    expect(await verify(SIGNATURE)).toEqual({ ok: true });
  });

  it("signs GitHub's published example to the documented header", async () => {
    expect(await signGitHubWebhook(SECRET, BODY)).toBe(SIGNATURE);
  });

  it("accepts the hex in upper case, since it encodes the same MAC", async () => {
    expect(await verify(`sha256=${SIGNATURE.slice(7).toUpperCase()}`)).toEqual({ ok: true });
  });

  it("rejects the example under a different secret", async () => {
    expect(await verify(SIGNATURE, BODY, "It's a secret to everybody")).toEqual({ ok: false, reason: "mismatch" });
  });

  it("rejects a body re-signed with the wrong secret", async () => {
    const forged = await signGitHubWebhook("attacker secret", BODY);
    expect(await verify(forged)).toEqual({ ok: false, reason: "mismatch" });
  });

  it.each([
    ["one byte changed", flipByte(BODY, 5)],
    ["a space appended", bytes("Hello, World! ")],
    ["a trailing newline", bytes("Hello, World!\n")],
    ["the body cut short", bytes("Hello, World")],
    ["an empty body", new Uint8Array(0)],
  ])("rejects the body with %s", async (_name, body) => {
    expect(await verify(SIGNATURE, body)).toEqual({ ok: false, reason: "mismatch" });
  });

  it("rejects a signature with one hex digit changed", async () => {
    const last = SIGNATURE.at(-1) === "7" ? "8" : "7";
    expect(await verify(SIGNATURE.slice(0, -1) + last)).toEqual({ ok: false, reason: "mismatch" });
  });

  it.each([
    ["absent", null],
    ["empty", ""],
  ])("reports a missing signature when the header is %s", async (_name, header) => {
    expect(await verify(header)).toEqual({ ok: false, reason: "missing" });
  });

  it.each([
    ["the legacy sha1 prefix", `sha1=${SIGNATURE.slice(7)}`],
    ["an upper-case prefix", `SHA256=${SIGNATURE.slice(7)}`],
    ["no prefix", SIGNATURE.slice(7)],
    ["non-hex characters", `sha256=${"zz".repeat(32)}`],
    ["an odd number of hex digits", SIGNATURE.slice(0, -1)],
    ["a truncated MAC", SIGNATURE.slice(0, -2)],
    ["an over-long MAC", `${SIGNATURE}00`],
    ["the prefix alone", "sha256="],
    ["a fake signature", "fakesignature"],
    ["surrounding whitespace", ` ${SIGNATURE}`],
  ])("reports a malformed signature with %s", async (_name, header) => {
    expect(await verify(header)).toEqual({ ok: false, reason: "malformed" });
  });

  it("refuses to work with an empty secret instead of verifying against it", async () => {
    await expect(verify(SIGNATURE, BODY, "")).rejects.toThrow(TypeError);
  });
});
