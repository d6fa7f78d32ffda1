// Shared fixtures for the verifier tests: published vectors and small helpers that produce the wire
// formats senders use, written independently of src/ so the tests do not grade their own homework.
import { bytesToBase64, utf8 } from "../../src/crypto/bytes";

/** GitHub's older partner-program docs sample (github/docs PR #18776), "V1-b" in webhooks.md. */
export const V1B = {
  keyId: "90a421169f0a406205f1563a953312f0be898d3c7b6c06b681aa86a874555f4a",
  pem: [
    "-----BEGIN PUBLIC KEY-----",
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE9MJJHnMfn2+H4xL4YaPDA4RpJqUq",
    "kCmRCBnYERxZanmcpzQSXs1X/AljlKkbJ8qpVIW4clayyef9gWhFbNHWAA==",
    "-----END PUBLIC KEY-----",
    "",
  ].join("\n"),
  signature: "MEUCIQDKZokqnCjrRtw0tni+2Ltvl/uiMJ1EGumEsp1BsNr32AIgQY1YXD2nlj+XNfGK4rBfkMJ1JDOQcYXxa2sY8FNkrKc=",
  body: '[{"token":"some_token","type":"some_type","url":"some_url"}]',
} as const;

export function bytes(s: string): Uint8Array {
  return utf8(s);
}

/** P1363 (r||s) → minimal DER SEQUENCE{INTEGER r, INTEGER s}, the way Go's and OpenSSL's encoders write it. */
export function p1363ToDer(sig: Uint8Array): Uint8Array {
  const half = sig.length / 2;
  const integer = (v: Uint8Array): number[] => {
    let i = 0;
    while (i < v.length - 1 && v[i] === 0) i++;
    const trimmed = [...v.subarray(i)];
    if ((trimmed[0] as number) & 0x80) trimmed.unshift(0);
    return [0x02, trimmed.length, ...trimmed];
  };
  const body = [...integer(sig.subarray(0, half)), ...integer(sig.subarray(half))];
  return new Uint8Array([0x30, body.length, ...body]);
}

export async function generateP256(): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
}

export async function signP1363(privateKey: CryptoKey, body: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, privateKey, body));
}

/** Signs like a partner sender: base64 of DER. */
export async function signPartner(privateKey: CryptoKey, body: Uint8Array): Promise<string> {
  return bytesToBase64(p1363ToDer(await signP1363(privateKey, body)));
}

export async function publicKeyPem(publicKey: CryptoKey): Promise<string> {
  const spki = new Uint8Array((await crypto.subtle.exportKey("spki", publicKey)) as ArrayBuffer);
  const b64 = bytesToBase64(spki);
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN PUBLIC KEY-----\n${lines.join("\n")}\n-----END PUBLIC KEY-----\n`;
}

/** Returns a copy of `b` with the byte at `index` XOR-ed, i.e. one byte changed. */
export function flipByte(b: Uint8Array, index = 0): Uint8Array {
  const out = b.slice();
  out[index] = (out[index] as number) ^ 0x01;
  return out;
}
