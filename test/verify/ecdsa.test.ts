import { describe, expect, it } from "vitest";
import { base64ToBytes, bytesToBase64 } from "../../src/crypto/bytes";
import { derToP1363, importEcdsaPublicKey, pemToSpki, verifyEcdsaP256 } from "../../src/verify/ecdsa";
import { bytes, flipByte, generateP256, p1363ToDer, publicKeyPem, signP1363, signPartner, V1B } from "./support";

const BODY = bytes(V1B.body);

describe("derToP1363", () => {
  it("converts the V1-b signature, whose r needs a 0x00 sign byte, to 64 bytes", () => {
    const der = base64ToBytes(V1B.signature) as Uint8Array;
    expect(der[3]).toBe(0x21); // r is a 33-byte INTEGER on the wire
    const raw = derToP1363(der);
    expect(raw.length).toBe(64);
    expect(p1363ToDer(raw)).toEqual(der);
  });

  it("left-pads short integers and strips the sign byte of long ones", () => {
    const r = [0x00, 0x80, ...new Array(31).fill(0x11)]; // 33 bytes: 0x00 + high-bit value
    const s = new Array(30).fill(0x22); // 30 bytes: two leading zero bytes dropped
    const der = new Uint8Array([0x30, 2 + r.length + 2 + s.length, 0x02, r.length, ...r, 0x02, s.length, ...s]);
    const raw = derToP1363(der);
    expect([...raw.subarray(0, 32)]).toEqual(r.slice(1));
    expect([...raw.subarray(32)]).toEqual([0, 0, ...s]);
  });

  it("supports other field sizes, as used by P-384", () => {
    const der = new Uint8Array([0x30, 6, 0x02, 1, 0x05, 0x02, 1, 0x07]);
    const raw = derToP1363(der, 48);
    expect(raw.length).toBe(96);
    expect(raw[47]).toBe(5);
    expect(raw[95]).toBe(7);
  });

  it("round-trips real signatures, including 33-byte and short integers", async () => {
    const { privateKey, publicKey } = await generateP256();
    const body = bytes("round trip");
    let sawHighBit = false;
    let sawShort = false;
    // A high bit in r or s happens for about half of all signatures, an integer shorter than 32 bytes
    // for about 1 in 128; 5000 tries miss the latter with probability around e^-39.
    for (let n = 0; n < 5000 && !(sawHighBit && sawShort); n++) {
      const raw = await signP1363(privateKey, body);
      const der = p1363ToDer(raw);
      const lengths = [der[3] as number, der[5 + (der[3] as number)] as number];
      sawHighBit ||= lengths.includes(33);
      sawShort ||= lengths.some((l) => l < 32);
      expect(derToP1363(der)).toEqual(raw);
      if (lengths.includes(33) || lengths.some((l) => l < 32)) {
        const result = await verifyEcdsaP256({ key: publicKey, signatureB64: bytesToBase64(der), rawBody: body });
        expect(result).toEqual({ ok: true });
      }
    }
    expect(sawHighBit).toBe(true);
    expect(sawShort).toBe(true);
  });

  it.each([
    ["an empty input", []],
    ["a non-SEQUENCE tag", [0x31, 6, 0x02, 1, 1, 0x02, 1, 1]],
    ["a SEQUENCE length longer than the input", [0x30, 7, 0x02, 1, 1, 0x02, 1, 1]],
    ["trailing bytes after the SEQUENCE", [0x30, 6, 0x02, 1, 1, 0x02, 1, 1, 0]],
    ["a non-INTEGER part", [0x30, 6, 0x04, 1, 1, 0x02, 1, 1]],
    ["a zero-length INTEGER", [0x30, 5, 0x02, 0, 0x02, 1, 1]],
    ["a negative INTEGER", [0x30, 6, 0x02, 1, 0x80, 0x02, 1, 1]],
    ["a non-minimal INTEGER", [0x30, 7, 0x02, 2, 0x00, 0x01, 0x02, 1, 1]],
    ["an INTEGER running past the end", [0x30, 6, 0x02, 1, 1, 0x02, 5, 1]],
    ["a single INTEGER", [0x30, 3, 0x02, 1, 1]],
    ["an indefinite length", [0x30, 0x80, 0x02, 1, 1, 0x02, 1, 1, 0, 0]],
  ])("throws on %s", (_name, der) => {
    expect(() => derToP1363(new Uint8Array(der))).toThrow();
  });

  it("throws on an INTEGER too long for the curve", () => {
    const r = [0x00, 0x80, ...new Array(32).fill(1)]; // 34 bytes
    const der = new Uint8Array([0x30, 2 + r.length + 3, 0x02, r.length, ...r, 0x02, 1, 1]);
    expect(() => derToP1363(der)).toThrow();
  });
});

describe("pemToSpki and importEcdsaPublicKey", () => {
  it("accepts the PEM as GitHub's JSON carries it, with literal \\n sequences", async () => {
    const escaped = V1B.pem.replace(/\n/g, "\\n");
    expect(pemToSpki(escaped)).toEqual(pemToSpki(V1B.pem));
    const key = await importEcdsaPublicKey(escaped);
    expect(await verifyEcdsaP256({ key, signatureB64: V1B.signature, rawBody: BODY })).toEqual({ ok: true });
  });

  it("tolerates CRLF line ends, indentation and a single-line body", () => {
    const crlf = V1B.pem.replace(/\n/g, "\r\n  ");
    const oneLine = V1B.pem.replace(/\n(?!-----END)/g, "");
    expect(pemToSpki(crlf)).toEqual(pemToSpki(V1B.pem));
    expect(pemToSpki(oneLine)).toEqual(pemToSpki(V1B.pem));
  });

  it("throws on text that is not a key", async () => {
    expect(() => pemToSpki("-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----")).toThrow();
    expect(() => pemToSpki("not a key at all!")).toThrow();
    await expect(importEcdsaPublicKey("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")).rejects.toThrow();
  });
});

describe("verifyEcdsaP256", () => {
  const v1bKey = () => importEcdsaPublicKey(V1B.pem);
  const verify = async (signatureB64: string | null, rawBody = BODY, key?: CryptoKey) =>
    verifyEcdsaP256({ key: key ?? (await v1bKey()), signatureB64, rawBody });

  it("accepts GitHub's V1-b partner vector", async () => {
    expect(await verify(V1B.signature)).toEqual({ ok: true });
  });

  it("would fail if the DER bytes were handed to Web Crypto unconverted", async () => {
    const der = base64ToBytes(V1B.signature) as Uint8Array;
    expect(await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, await v1bKey(), der, BODY)).toBe(false);
  });

  it.each([
    ["an empty array body []", bytes("[]")],
    ["one byte changed", flipByte(BODY, 12)],
    ["a space appended", bytes(`${V1B.body} `)],
    ["a trailing newline", bytes(`${V1B.body}\n`)],
    ["the body cut short", BODY.subarray(0, BODY.length - 1)],
    ["the JSON re-serialised with spaces", bytes(JSON.stringify(JSON.parse(V1B.body), null, 1))],
  ])("rejects the V1-b signature over %s", async (_name, body) => {
    expect(await verify(V1B.signature, body)).toEqual({ ok: false, reason: "mismatch" });
  });

  it("rejects the V1-b body re-signed with another key", async () => {
    const { privateKey } = await generateP256();
    expect(await verify(await signPartner(privateKey, BODY))).toEqual({ ok: false, reason: "mismatch" });
  });

  it("rejects a valid signature checked against another key", async () => {
    const { publicKey } = await generateP256();
    expect(await verify(V1B.signature, BODY, publicKey)).toEqual({ ok: false, reason: "mismatch" });
  });

  it("accepts a key exported as PEM and re-imported", async () => {
    const { privateKey, publicKey } = await generateP256();
    const key = await importEcdsaPublicKey(await publicKeyPem(publicKey));
    expect(await verify(await signPartner(privateKey, BODY), BODY, key)).toEqual({ ok: true });
  });

  it("rejects a signature with one bit changed inside s", async () => {
    const der = base64ToBytes(V1B.signature) as Uint8Array;
    expect(await verify(bytesToBase64(flipByte(der, der.length - 1)))).toEqual({ ok: false, reason: "mismatch" });
  });

  it.each([
    ["absent", null],
    ["empty", ""],
  ])("reports a missing signature when it is %s", async (_name, sig) => {
    expect(await verify(sig)).toEqual({ ok: false, reason: "missing" });
  });

  it.each([
    ["fakesignature", "fakesignature"],
    ["base64 of a non-DER value", bytesToBase64(bytes("fakesignature"))],
    ["a truncated signature", V1B.signature.slice(0, -8)],
    ["raw P1363 bytes instead of DER", bytesToBase64(new Uint8Array(64).fill(7))],
    ["url-safe base64", V1B.signature.replace(/\+/g, "-").replace(/\//g, "_")],
    ["embedded whitespace", `${V1B.signature.slice(0, 10)} ${V1B.signature.slice(10)}`],
  ])("reports a malformed signature: %s", async (_name, sig) => {
    expect(await verify(sig)).toEqual({ ok: false, reason: "malformed" });
  });
});
