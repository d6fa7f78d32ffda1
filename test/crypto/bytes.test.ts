import { describe, expect, it } from "vitest";
import {
  base64ToBytes,
  base64UrlDecode,
  base64UrlEncode,
  bytesToBase64,
  concatBytes,
  hexToBytes,
  timingSafeEqual,
  utf8,
} from "../../src/crypto/bytes";

const u8 = (...b: number[]) => new Uint8Array(b);

describe("hex", () => {
  it("decodes either case", () => {
    expect(hexToBytes("00ff10Ab")).toEqual(u8(0x00, 0xff, 0x10, 0xab));
    expect(hexToBytes("")).toEqual(u8());
  });

  it.each(["0", "abc", "zz", "0x00", " 00", "00 ", "+1"])("returns null for %j", (input) => {
    expect(hexToBytes(input)).toBeNull();
  });
});

describe("base64", () => {
  it("round-trips every byte value", () => {
    const all = new Uint8Array(256).map((_, i) => i);
    expect(base64ToBytes(bytesToBase64(all))).toEqual(all);
  });

  it("encodes RFC 4648 test vectors", () => {
    expect(bytesToBase64(utf8("foobar"))).toBe("Zm9vYmFy");
    expect(bytesToBase64(utf8("fo"))).toBe("Zm8=");
    expect(bytesToBase64(utf8("f"))).toBe("Zg==");
  });

  it("encodes inputs larger than one chunk", () => {
    const big = new Uint8Array(65_536 + 3).map((_, i) => (i * 131) & 0xff);
    const back = base64ToBytes(bytesToBase64(big)) as Uint8Array;
    // Compared by index: deep-equality on large typed arrays is slow in the test runner.
    expect(back.length).toBe(big.length);
    expect(back.every((b, i) => b === big[i])).toBe(true);
  });

  it("accepts padded and unpadded input", () => {
    expect(base64ToBytes("Zm8=")).toEqual(utf8("fo"));
    expect(base64ToBytes("Zm8")).toEqual(utf8("fo"));
  });

  it.each(["fakesignature", "Zm8==", "Z===", "Zm 9v", "Zm9v\n", "Zm-_", "=Zm8", "Zg=a"])("returns null for %j", (input) => {
    expect(base64ToBytes(input)).toBeNull();
  });
});

describe("base64url", () => {
  it("uses the URL-safe alphabet without padding and round-trips", () => {
    const b = u8(0xfb, 0xff, 0xbf, 0x01);
    expect(bytesToBase64(b)).toBe("+/+/AQ==");
    expect(base64UrlEncode(b)).toBe("-_-_AQ");
    expect(base64UrlDecode("-_-_AQ")).toEqual(b);
  });

  it("rejects the standard alphabet's + and /", () => {
    expect(base64UrlDecode("+/+/AQ")).toBeNull();
  });
});

describe("timingSafeEqual", () => {
  it("compares equal and unequal content", () => {
    expect(timingSafeEqual(u8(1, 2, 3), u8(1, 2, 3))).toBe(true);
    expect(timingSafeEqual(u8(1, 2, 3), u8(1, 2, 4))).toBe(false);
    expect(timingSafeEqual(u8(), u8())).toBe(true);
  });

  it("answers false for unequal lengths instead of throwing like the Workers primitive", () => {
    expect(() => crypto.subtle.timingSafeEqual(u8(1), u8(1, 2))).toThrow();
    expect(timingSafeEqual(u8(1), u8(1, 2))).toBe(false);
    expect(timingSafeEqual(u8(1, 2), u8())).toBe(false);
  });
});

describe("concatBytes", () => {
  it("joins parts in order, including empty ones", () => {
    expect(concatBytes(u8(1), u8(), u8(2, 3))).toEqual(u8(1, 2, 3));
    expect(concatBytes()).toEqual(u8());
  });

  it("copies from views that do not start at offset 0", () => {
    const backing = u8(9, 9, 1, 2, 9);
    expect(concatBytes(backing.subarray(2, 4), u8(3))).toEqual(u8(1, 2, 3));
  });
});
