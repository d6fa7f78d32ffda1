import { base64ToBytes } from "../crypto/bytes";
import { failure, VERIFIED, type VerifyResult } from "./result";

// GitHub's (and GitLab's) secret-scanning partner format: base64 of an ASN.1 DER
// SEQUENCE { INTEGER r, INTEGER s } from ECDSA P-256 / SHA-256 over the raw body. Web Crypto only
// understands IEEE P1363 (r||s, fixed width) and silently returns false for DER, hence the converter.

/**
 * Converts a DER ECDSA signature to P1363 (`2 * size` bytes). Strict DER: definite lengths that match
 * the input exactly, positive minimally-encoded integers, no trailing bytes. Throws on anything else.
 * r and s may legitimately be 33 bytes (a 0x00 sign byte before a high-bit value) or shorter than
 * `size` (leading zero bytes dropped); both are normalised to `size` bytes.
 */
export function derToP1363(der: Uint8Array, size = 32): Uint8Array {
  let i = 0;
  const byte = (): number => {
    if (i >= der.length) throw new Error("DER signature truncated");
    return der[i++] as number;
  };
  if (byte() !== 0x30) throw new Error("DER signature is not a SEQUENCE");
  let seqLen = byte();
  if (seqLen & 0x80) {
    // Long form. A P-256 signature never needs it, but larger curves (size 48/66) do.
    const lengthBytes = seqLen & 0x7f;
    if (lengthBytes === 0 || lengthBytes > 2) throw new Error("DER SEQUENCE length unsupported");
    seqLen = 0;
    for (let k = 0; k < lengthBytes; k++) seqLen = (seqLen << 8) | byte();
    if (seqLen < 0x80) throw new Error("DER SEQUENCE length not minimal");
  }
  if (i + seqLen !== der.length) throw new Error("DER SEQUENCE length does not match the input");
  const out = new Uint8Array(2 * size);
  for (let part = 0; part < 2; part++) {
    if (byte() !== 0x02) throw new Error("DER signature part is not an INTEGER");
    const len = byte();
    if (len === 0 || len > size + 1) throw new Error("DER INTEGER has an invalid length");
    if (i + len > der.length) throw new Error("DER signature truncated");
    let v = der.subarray(i, i + len);
    i += len;
    if ((v[0] as number) & 0x80) throw new Error("DER INTEGER is negative");
    if (v[0] === 0 && len > 1 && !((v[1] as number) & 0x80)) throw new Error("DER INTEGER is not minimally encoded");
    if (v[0] === 0 && len > 1) v = v.subarray(1);
    if (v.length > size) throw new Error("DER INTEGER too long for the curve");
    out.set(v, part * size + (size - v.length));
  }
  if (i !== der.length) throw new Error("DER signature has trailing bytes");
  return out;
}

/**
 * PEM → SPKI DER bytes. Tolerates the literal two-character `\n` sequences found in JSON-escaped keys,
 * CRLF, indentation and missing line breaks. Throws when nothing decodable remains.
 */
export function pemToSpki(pem: string): Uint8Array {
  const body = pem
    .replace(/\\[nr]/g, "\n")
    .replace(/-----(BEGIN|END) [A-Z0-9 ]+-----/g, "")
    .replace(/\s+/g, "");
  const der = body ? base64ToBytes(body) : null;
  if (!der) throw new Error("public key is not a PEM/base64 SPKI");
  return der;
}

export function importEcdsaPublicKey(pem: string): Promise<CryptoKey> {
  return crypto.subtle.importKey("spki", pemToSpki(pem), { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]);
}

/** Verifies a base64 DER ECDSA P-256/SHA-256 signature over `rawBody`. A Web Crypto throw is a mismatch. */
export async function verifyEcdsaP256(args: { key: CryptoKey; signatureB64: string | null; rawBody: Uint8Array }): Promise<VerifyResult> {
  const signature = parseDerSignatureB64(args.signatureB64);
  if (!signature.ok) return signature.result;
  try {
    const ok = await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, args.key, signature.p1363, args.rawBody);
    return ok ? VERIFIED : failure("mismatch");
  } catch {
    return failure("mismatch");
  }
}

/** Decodes and converts the signature header; exported so callers can reject garbage before any key lookup. */
export function parseDerSignatureB64(
  signatureB64: string | null,
): { ok: true; p1363: Uint8Array } | { ok: false; result: VerifyResult } {
  if (!signatureB64) return { ok: false, result: failure("missing") };
  const der = base64ToBytes(signatureB64);
  if (!der) return { ok: false, result: failure("malformed") };
  try {
    return { ok: true, p1363: derToP1363(der) };
  } catch {
    return { ok: false, result: failure("malformed") };
  }
}
