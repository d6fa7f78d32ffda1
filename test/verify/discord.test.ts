import { describe, expect, it } from "vitest";
import { concatBytes, hexToBytes } from "../../src/crypto/bytes";
import { toHex } from "../../src/crypto/hash";
import { verifyDiscordRequest } from "../../src/verify/discord";
import { importEd25519PublicKey, verifyEd25519 } from "../../src/verify/ed25519";
import { bytes, flipByte } from "./support";

const hex = (h: string) => hexToBytes(h) as Uint8Array;

// RFC 8032 §7.1
const RFC = {
  test1: {
    secret: "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
    public: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
    message: "",
    signature:
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
  },
  test2: {
    secret: "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
    public: "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
    message: "72",
    signature:
      "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
  },
} as const;

// webhooks.md §5(b): a Discord-shaped request signed with the RFC TEST 1 key (not from Discord).
const PUBLIC_KEY = RFC.test1.public;
const TS = "1700000000";
const NOW = 1700000000;
const BODY_TEXT =
  '{"application_id":"123456789012345678","id":"123456789012345679","token":"test-token","type":1,"user":{"id":"1","username":"test"},"version":1}';
const BODY = bytes(BODY_TEXT);
const SIGNATURE =
  "d415a84a1b8ba8aa82a27ab7bc4757989f791c10a712b1b601556db511f5f71533182f139076249d9512218855253a57ef55cf1615caeaf4fce363d4a2686e00";

const verify = (over: Partial<Parameters<typeof verifyDiscordRequest>[0]> = {}) =>
  verifyDiscordRequest({ publicKeyHex: PUBLIC_KEY, rawBody: BODY, timestamp: TS, signature: SIGNATURE, now: NOW, ...over });

/** RFC 8032 seeds as PKCS#8, so Web Crypto can sign with them. */
async function importSeed(seedHex: string): Promise<CryptoKey> {
  const pkcs8 = concatBytes(hex("302e020100300506032b657004220420"), hex(seedHex));
  return crypto.subtle.importKey("pkcs8", pkcs8, { name: "Ed25519" }, false, ["sign"]);
}

describe("Ed25519 wiring (RFC 8032 §7.1)", () => {
  it.each([
    ["TEST 1", RFC.test1],
    ["TEST 2", RFC.test2],
  ])("verifies %s", async (_name, v) => {
    const key = await importEd25519PublicKey(v.public);
    expect(await verifyEd25519(key, hex(v.signature), hex(v.message))).toBe(true);
  });

  it.each([
    ["TEST 1", RFC.test1],
    ["TEST 2", RFC.test2],
  ])("signs %s from its seed to the published signature", async (_name, v) => {
    const sig = new Uint8Array(await crypto.subtle.sign("Ed25519", await importSeed(v.secret), hex(v.message)));
    expect(toHex(sig)).toBe(v.signature);
  });

  it("rejects TEST 2's signature under TEST 1's key", async () => {
    const key = await importEd25519PublicKey(RFC.test1.public);
    expect(await verifyEd25519(key, hex(RFC.test2.signature), hex(RFC.test2.message))).toBe(false);
  });

  it("answers false instead of throwing for signatures Web Crypto may choke on", async () => {
    const key = await importEd25519PublicKey(RFC.test1.public);
    for (const sig of [new Uint8Array(0), new Uint8Array(63), new Uint8Array(64).fill(0xff), new Uint8Array(65)]) {
      expect(await verifyEd25519(key, sig, new Uint8Array(0))).toBe(false);
    }
  });
});

describe("verifyDiscordRequest", () => {
  it("accepts the Discord-shaped vector", async () => {
    expect(await verify()).toEqual({ ok: true });
  });

  it("accepts the public key in upper-case hex", async () => {
    expect(await verify({ publicKeyHex: PUBLIC_KEY.toUpperCase() })).toEqual({ ok: true });
  });

  it("accepts a request signed by a freshly generated key pair and rejects it under another key", async () => {
    const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
    const publicKeyHex = toHex(new Uint8Array((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer));
    const sig = await crypto.subtle.sign("Ed25519", pair.privateKey, concatBytes(bytes(TS), BODY));
    const signature = toHex(new Uint8Array(sig));
    expect(await verify({ publicKeyHex, signature })).toEqual({ ok: true });
    expect(await verify({ signature })).toEqual({ ok: false, reason: "mismatch" });
  });

  it("rejects the vector under a different application's key", async () => {
    expect(await verify({ publicKeyHex: RFC.test2.public })).toEqual({ ok: false, reason: "mismatch" });
  });

  it.each([
    ["a space appended", bytes(`${BODY_TEXT} `)],
    ["a trailing newline", bytes(`${BODY_TEXT}\n`)],
    ["one byte changed", flipByte(BODY, 20)],
    ["the body cut short", BODY.subarray(0, BODY.length - 1)],
    ["an empty body", new Uint8Array(0)],
  ])("rejects the body with %s", async (_name, rawBody) => {
    expect(await verify({ rawBody })).toEqual({ ok: false, reason: "mismatch" });
  });

  it("rejects a different timestamp under the same signature", async () => {
    expect(await verify({ timestamp: "1700000001" })).toEqual({ ok: false, reason: "mismatch" });
  });

  it.each([
    ["one bit flipped in R", `${SIGNATURE.slice(0, 1)}${SIGNATURE[1] === "4" ? "5" : "4"}${SIGNATURE.slice(2)}`],
    ["all zeros", "00".repeat(64)],
    ["all ones", "ff".repeat(64)],
  ])("rejects a 64-byte signature with %s without throwing", async (_name, signature) => {
    expect(await verify({ signature })).toEqual({ ok: false, reason: "mismatch" });
  });

  it.each([
    ["replayed after the five-minute window", NOW + 301],
    ["dated more than five minutes ahead", NOW - 301],
  ])("rejects a correctly signed request %s", async (_name, now) => {
    expect(await verify({ now })).toEqual({ ok: false, reason: "stale" });
  });

  it("accepts a request at the edge of the window and honours a custom tolerance", async () => {
    expect(await verify({ now: NOW + 300 })).toEqual({ ok: true });
    expect(await verify({ now: NOW + 31, toleranceSec: 30 })).toEqual({ ok: false, reason: "stale" });
  });

  it.each([
    ["timestamp", { timestamp: null }],
    ["signature", { signature: null }],
    ["empty signature", { signature: "" }],
  ])("reports a missing %s", async (_name, over) => {
    expect(await verify(over)).toEqual({ ok: false, reason: "missing" });
  });

  it.each([
    ["a truncated signature", { signature: SIGNATURE.slice(0, -2) }],
    ["an odd-length signature", { signature: SIGNATURE.slice(0, -1) }],
    ["an over-long signature", { signature: `${SIGNATURE}00` }],
    ["non-hex digits", { signature: `${SIGNATURE.slice(0, -2)}zz` }],
    ["a base64 signature", { signature: "1BWoShuLqKqConq3vEdXmJ95HBCnErG2AVVttRH19xUzGC8TkHYkndUSIYhVJTpX71XPFhXK6vT842PUomhuAA==" }],
    ["a fake signature", { signature: "fakesignature" }],
    ["a non-numeric timestamp", { timestamp: "2023-11-14T22:13:20Z" }],
  ])("reports a malformed request with %s", async (_name, over) => {
    expect(await verify(over)).toEqual({ ok: false, reason: "malformed" });
  });

  it("treats a public key that is not 32 bytes of hex as a configuration error", async () => {
    await expect(verify({ publicKeyHex: PUBLIC_KEY.slice(2) })).rejects.toThrow(TypeError);
    await expect(verify({ publicKeyHex: "not-a-key" })).rejects.toThrow(TypeError);
  });
});
