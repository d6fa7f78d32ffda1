import { describe, expect, it } from "vitest";
import { verifyPresharedToken } from "../../src/verify/bearer";

const SECRET = "MYSECRETTOKEN-0123456789"; // the shape of the token GitLab's doc puts in its Rails console example
const verify = (header: string | null, secrets = [SECRET]) => verifyPresharedToken({ header, secrets });

describe("verifyPresharedToken", () => {
  it("accepts the token as the whole header value, the way GitLab sends it", async () => {
    expect(await verify(SECRET)).toEqual({ ok: true });
  });

  it("accepts the token after Bearer, whatever the case of the scheme", async () => {
    for (const scheme of ["Bearer", "bearer", "BEARER"]) expect(await verify(`${scheme} ${SECRET}`), scheme).toEqual({ ok: true });
  });

  it("accepts any token of a rotation list, first or last", async () => {
    expect(await verify(SECRET, ["old-token-0123456789", SECRET])).toEqual({ ok: true });
    expect(await verify("old-token-0123456789", ["old-token-0123456789", SECRET])).toEqual({ ok: true });
  });

  it("says missing for no header or an empty one", async () => {
    expect(await verify(null)).toEqual({ ok: false, reason: "missing" });
    expect(await verify("")).toEqual({ ok: false, reason: "missing" });
  });

  it("says mismatch for another, a truncated, an extended or a re-cased token", async () => {
    for (const header of ["x".repeat(SECRET.length), SECRET.slice(0, -1), `${SECRET}x`, SECRET.toLowerCase(), `Bearer ${SECRET.slice(1)}`]) {
      expect(await verify(header), header).toEqual({ ok: false, reason: "mismatch" });
    }
  });

  it("says malformed for other schemes, doubled or inner whitespace and a bare scheme", async () => {
    for (const header of [`Basic ${SECRET}`, `Token ${SECRET}`, `Bearer  ${SECRET}`, `Bearer\t${SECRET}`, `${SECRET} ${SECRET}`, "Bearer", "bearer"]) {
      expect(await verify(header), header).toEqual({ ok: false, reason: "malformed" });
    }
  });

  it("reads a header that happens to spell a failure reason as a wrong token", async () => {
    expect(await verify("missing")).toEqual({ ok: false, reason: "mismatch" });
    expect(await verify("malformed")).toEqual({ ok: false, reason: "mismatch" });
  });

  it("refuses to run without a configured token", async () => {
    await expect(verify(SECRET, [])).rejects.toThrow("no pre-shared token configured");
  });
});
