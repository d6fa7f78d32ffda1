// Byte helpers shared by the signature verifiers and the queue sealer. Web-platform APIs only, so the
// module runs unchanged in workerd, Node and browsers.

const encoder = new TextEncoder();

// Canonical alphabets. Whitespace is rejected on purpose: signatures arrive in single header values,
// and a lenient decoder would let two different header strings mean the same bytes.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;
const HEX = /^(?:[0-9a-fA-F]{2})*$/;

export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Decodes even-length hex (either case); null when the input is not hex. */
export function hexToBytes(hex: string): Uint8Array | null {
  if (!HEX.test(hex)) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Decodes standard base64 (padding optional, but when present it must complete a 4-char group). */
export function base64ToBytes(b64: string): Uint8Array | null {
  if (!BASE64.test(b64) || !validBase64Length(b64)) return null;
  let binary: string;
  try {
    binary = atob(b64);
  } catch {
    return null;
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export function bytesToBase64(b: Uint8Array): string {
  // String.fromCharCode with a spread overflows the stack on large inputs, so go in chunks.
  let binary = "";
  const chunk = 0x8000;
  for (let i = 0; i < b.length; i += chunk) binary += String.fromCharCode(...b.subarray(i, i + chunk));
  return btoa(binary);
}

/** base64url without padding (RFC 4648 §5), the form used in sealed messages. */
export function base64UrlEncode(b: Uint8Array): string {
  return bytesToBase64(b).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function base64UrlDecode(s: string): Uint8Array | null {
  if (!BASE64URL.test(s)) return null;
  return base64ToBytes(s.replace(/-/g, "+").replace(/_/g, "/"));
}

/**
 * Constant-time equality. Unequal lengths return false up front: the length of a MAC or signature
 * is public, and workerd's `crypto.subtle.timingSafeEqual` throws on a length mismatch.
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  const subtle = crypto.subtle as SubtleCrypto & { timingSafeEqual?: (x: Uint8Array, y: Uint8Array) => boolean };
  if (typeof subtle.timingSafeEqual === "function") return subtle.timingSafeEqual(a, b);
  // Node and browsers lack the Workers extension; an XOR accumulator has no data-dependent branch.
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.byteLength;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}

function validBase64Length(s: string): boolean {
  if (s.includes("=")) return s.length % 4 === 0;
  return s.length % 4 !== 1;
}
