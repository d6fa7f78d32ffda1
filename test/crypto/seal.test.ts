import { describe, expect, it } from "vitest";
import { base64UrlDecode, base64UrlEncode, utf8 } from "../../src/crypto/bytes";
import { SealError, seal, unseal } from "../../src/crypto/seal";

const SECRET = "seal-secret-0f3c9a7e4b1d2c8f6a5e9d0b";
const TOKEN = "leakedFastlyTokenValue_3x4mpl3_DO_NOT_LOG";

async function sealError(p: Promise<unknown>): Promise<SealError> {
  const outcome = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(outcome).toBeInstanceOf(SealError);
  return outcome as SealError;
}

/** Replaces one base64url character of part `index` with a different one. */
function tamper(sealed: string, index: 1 | 2, at = 5): string {
  const parts = sealed.split(".");
  const part = parts[index] as string;
  const swapped = part[at] === "A" ? "B" : "A";
  parts[index] = part.slice(0, at) + swapped + part.slice(at + 1);
  return parts.join(".");
}

describe("seal and unseal", () => {
  it("round-trips a token", async () => {
    const sealed = await seal(SECRET, TOKEN);
    expect(await unseal(SECRET, sealed)).toBe(TOKEN);
  });

  it("round-trips empty, non-ASCII and large plaintexts", async () => {
    for (const text of ["", "ünïcødé 🔑 токен", JSON.stringify({ token: TOKEN, n: "x".repeat(100_000) })]) {
      expect(await unseal(SECRET, await seal(SECRET, text))).toBe(text);
    }
  });

  it("writes v1.<iv>.<ciphertext> in base64url with a 12-byte IV and a 16-byte tag", async () => {
    const sealed = await seal(SECRET, TOKEN);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const [, iv, ct] = sealed.split(".") as [string, string, string];
    expect(base64UrlDecode(iv)?.length).toBe(12);
    expect(base64UrlDecode(ct)?.length).toBe(utf8(TOKEN).length + 16);
  });

  it("never contains the plaintext, in clear or base64url", async () => {
    const sealed = await seal(SECRET, TOKEN);
    expect(sealed).not.toContain(TOKEN);
    expect(sealed).not.toContain(base64UrlEncode(utf8(TOKEN)).slice(0, 16));
    expect(sealed).not.toContain(SECRET);
  });

  it("uses a fresh IV each time, so equal plaintexts seal differently", async () => {
    const a = await seal(SECRET, TOKEN);
    const b = await seal(SECRET, TOKEN);
    expect(a).not.toBe(b);
    expect(a.split(".")[1]).not.toBe(b.split(".")[1]);
  });

  it.each([
    ["the ciphertext", 2 as const],
    ["the IV", 1 as const],
  ])("rejects a message with %s tampered", async (_name, part) => {
    const sealed = await seal(SECRET, TOKEN);
    await sealError(unseal(SECRET, tamper(sealed, part)));
  });

  it("rejects a message whose tag was cut off", async () => {
    const [v, iv, ct] = (await seal(SECRET, TOKEN)).split(".") as [string, string, string];
    const bytes = base64UrlDecode(ct) as Uint8Array;
    await sealError(unseal(SECRET, `${v}.${iv}.${base64UrlEncode(bytes.subarray(0, bytes.length - 1))}`));
  });

  it("rejects a message sealed under another secret, and the error quotes neither secret nor plaintext", async () => {
    const sealed = await seal("a-different-secret", TOKEN);
    const error = await sealError(unseal(SECRET, sealed));
    const shown = `${error.name} ${error.message} ${error.stack ?? ""}`;
    expect(shown).not.toContain(SECRET);
    expect(shown).not.toContain("a-different-secret");
    expect(shown).not.toContain(TOKEN);
  });

  it("rejects a message relabelled with another version", async () => {
    const sealed = await seal(SECRET, TOKEN);
    await sealError(unseal(SECRET, sealed.replace(/^v1\./, "v2.")));
  });

  it("follows the documented construction: HKDF-SHA-256 key, AES-256-GCM, the version bound as additional data", async () => {
    const [, iv, ct] = (await seal(SECRET, TOKEN)).split(".") as [string, string, string];
    const material = await crypto.subtle.importKey("raw", utf8(SECRET), "HKDF", false, ["deriveKey"]);
    const key = await crypto.subtle.deriveKey(
      { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: utf8("fastly-token-webhooks/seal/v1") },
      material,
      { name: "AES-GCM", length: 256 },
      false,
      ["decrypt"],
    );
    const params = (additionalData?: Uint8Array) => ({ name: "AES-GCM", iv: base64UrlDecode(iv) as Uint8Array, additionalData });
    const plain = await crypto.subtle.decrypt(params(utf8("fastly-token-webhooks/seal/v1")), key, base64UrlDecode(ct) as Uint8Array);
    expect(new TextDecoder().decode(plain)).toBe(TOKEN);
    await expect(crypto.subtle.decrypt(params(), key, base64UrlDecode(ct) as Uint8Array)).rejects.toThrow();
  });

  it.each([
    ["an empty string", ""],
    ["the token itself", TOKEN],
    ["too few parts", "v1.AAAAAAAAAAAAAAAA"],
    ["too many parts", "v1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.x"],
    ["an unknown version", "v9.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA"],
    ["a short IV", "v1.AAAA.AAAAAAAAAAAAAAAAAAAAAA"],
    ["a ciphertext shorter than the tag", "v1.AAAAAAAAAAAAAAAA.AAAA"],
    ["characters outside base64url", "v1.AAAAAAAAAAAAAAA+.AAAAAAAAAAAAAAAAAAAAAA"],
  ])("rejects %s as a bad format", async (_name, input) => {
    const error = await sealError(unseal(SECRET, input));
    expect(error.message).not.toContain(TOKEN);
  });

  it("refuses an empty secret", async () => {
    await sealError(seal("", TOKEN));
    await sealError(unseal("", await seal(SECRET, TOKEN)));
  });
});
