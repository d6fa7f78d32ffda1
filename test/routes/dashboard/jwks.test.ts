import { describe, expect, it } from "vitest";
import { accessKey, JwksUnavailableError } from "../../../src/routes/dashboard/jwks";
import { accessSigner } from "./helpers";

/** Stands in for an Access team's certs endpoint (unreachable from tests) and counts the fetches. */
function endpoint(initial: Record<string, unknown>[]) {
  const state = { keys: initial, fetches: 0, down: false };
  const fetchFn: typeof fetch = async () => {
    state.fetches++;
    if (state.down) throw new TypeError("network down");
    return Response.json({ keys: state.keys, public_cert: { kid: "x", cert: "…" } });
  };
  return { state, fetchFn };
}

describe("accessKey", () => {
  it("fetches a key set once, refetches for an unseen key id only after 30 seconds, and after an hour in any case", async () => {
    const first = await accessSigner("k1");
    const second = await accessSigner("k2");
    const { state, fetchFn } = endpoint(first.jwks.keys);
    let now = 1_000_000;
    const source = { url: `https://team.example/certs/${crypto.randomUUID()}`, fetch: fetchFn, now: () => now };

    expect(await accessKey(source, "k1")).not.toBeNull();
    expect(await accessKey(source, "k1")).not.toBeNull();
    expect(state.fetches).toBe(1);

    state.keys = [...first.jwks.keys, ...second.jwks.keys];
    now += 10_000;
    expect(await accessKey(source, "k2")).toBeNull();
    expect(state.fetches).toBe(1);
    now += 25_000;
    expect(await accessKey(source, "k2")).not.toBeNull();
    expect(state.fetches).toBe(2);

    now += 3_600_001;
    await accessKey(source, "k1");
    expect(state.fetches).toBe(3);
  });

  it("keeps using the keys it has when the endpoint fails later, and reports an endpoint that never answered", async () => {
    const signer = await accessSigner("k1");
    const { state, fetchFn } = endpoint(signer.jwks.keys);
    let now = 5_000_000;
    const source = { url: `https://team.example/certs/${crypto.randomUUID()}`, fetch: fetchFn, now: () => now };
    expect(await accessKey(source, "k1")).not.toBeNull();
    state.down = true;
    now += 3_700_000;
    expect(await accessKey(source, "k1")).not.toBeNull();

    const fresh = { ...source, url: `https://team.example/certs/${crypto.randomUUID()}` };
    await expect(accessKey(fresh, "k1")).rejects.toBeInstanceOf(JwksUnavailableError);
  });

  it("ignores keys that are not RS256 RSA keys", async () => {
    const signer = await accessSigner("rsa");
    const source = {
      url: "unused",
      json: JSON.stringify({ keys: [{ kid: "ec", kty: "EC", crv: "P-256", x: "AA", y: "AA" }, { ...signer.jwks.keys[0], kid: "hs", alg: "HS256" }, ...signer.jwks.keys] }),
    };
    expect(await accessKey(source, "ec")).toBeNull();
    expect(await accessKey(source, "hs")).toBeNull();
    expect(await accessKey(source, "rsa")).not.toBeNull();
  });
});
