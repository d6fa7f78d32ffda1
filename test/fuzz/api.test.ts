// Property-based tests of the Fastly-compatible API: random methods, paths, keys, headers, queries and bodies.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { utf8 } from "../../src/crypto/bytes";
import { body, describeCase, type FuzzRequest, formBody, headers, method, shaped } from "./support/arbitraries";
import { API_KEY_VALUES, demo, expectNoStateChange, expectRefusedWithoutEffect, expectWellFormed, fuzz, fuzzTimeout, mark, newWorld, send } from "./support/harness";
import { BULK_REVOKE } from "./support/templates";

const tokenIds = Object.values(demo.tokens).map((t) => t.id);
const customerIds = Object.values(demo.customers).map((c) => c.id);

/** Path segments: real ids, near-misses, the wrong kind of id, secrets pasted where an id belongs, junk. */
const segment = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...tokenIds, ...customerIds, "self") },
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9]{1,70}$/) },
  { weight: 1, arbitrary: fc.constantFrom(demo.tokens.userGlobal.access_token, "..", ".", "%2F", "%00", "%E2%80%AE", "a%2Fb", "%ff%fe") },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }).map(encodeURIComponent) },
);

const query = fc.option(
  fc
    .array(fc.tuple(fc.constantFrom("dry_run", "force", "limit", "cursor", "filter[customer_id]", "page"), fc.oneof(fc.constantFrom("true", "1", "yes", "false", "0", "1001", "-5", "1.5", ""), fc.string({ maxLength: 20 }))), { maxLength: 3 })
    .map((pairs) => `?${new URLSearchParams(pairs).toString()}`),
  { freq: 3 },
);

const withQuery = (path: fc.Arbitrary<string>) => fc.tuple(path, query).map(([p, q]) => p + (q ?? ""));

/** Mostly a method the path serves (so cases get past the router's 405), sometimes any method on any path. */
const target = fc.oneof(
  { weight: 5, arbitrary: fc.record({ method: fc.constantFrom("GET", "POST", "DELETE"), path: withQuery(fc.constant("/tokens")) }) },
  { weight: 2, arbitrary: fc.record({ method: fc.constantFrom("GET", "DELETE"), path: withQuery(fc.constant("/tokens/self")) }) },
  { weight: 4, arbitrary: fc.record({ method: fc.constantFrom("GET", "DELETE"), path: withQuery(segment.map((s) => `/tokens/${s}`)) }) },
  { weight: 2, arbitrary: fc.record({ method: fc.constant("GET"), path: withQuery(segment.map((s) => `/customer/${s}/tokens`)) }) },
  { weight: 1, arbitrary: fc.record({ method: fc.constant("GET"), path: withQuery(fc.constant("/audit")) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      method,
      path: withQuery(fc.oneof(fc.constantFrom("/tokens", "/tokens/self", "/audit"), segment.map((s) => `/tokens/${s}`), segment.map((s) => `/customer/${s}/tokens`), segment.map((s) => `/tokens/${s}/extra`))),
    }),
  },
);

const apiBody = fc.oneof(
  { weight: 3, arbitrary: body(BULK_REVOKE) },
  { weight: 2, arbitrary: formBody.map(utf8) },
  { weight: 1, arbitrary: fc.array(shaped(BULK_REVOKE[0]!.data[0]), { maxLength: 60 }).map((data) => utf8(JSON.stringify({ data }))) },
);

/** Keys that must not change anything: none, unknown ones (passed through, refused upstream), a revoked token. */
const refusedKey = fc.oneof(
  fc.constant(null),
  fc.stringMatching(/^[A-Za-z0-9_-]{8,40}$/),
  fc.constantFrom(...Object.values(API_KEY_VALUES)).chain((k) => fc.nat({ max: k.length - 1 }).map((i) => k.slice(0, i) + (k[i] === "x" ? "y" : "x") + k.slice(i + 1))),
  fc.constant(demo.tokens.userRevoked.access_token),
  fc.constant(demo.tokens.userExpired.access_token),
);

function withKey(key: string | null, rest: [string, string][]): [string, string][] {
  const others = rest.filter(([n]) => n.toLowerCase() !== "fastly-key");
  return key === null ? others : [["Fastly-Key", key], ...others];
}

const apiHeaders = headers(["Fastly-OTP", "Authorization", "Accept"]);

const refusedCase: fc.Arbitrary<FuzzRequest> = fc
  .record({ target, key: refusedKey, headers: apiHeaders, body: apiBody })
  .map(({ target: t, key, headers: h, body: b }) => ({ ...t, body: b, headers: withKey(key, h) }));

/** Keys that work: every Worker API key (scopes differ) and live demo tokens passed through. */
const workingKey = fc.constantFrom(
  ...Object.values(API_KEY_VALUES),
  demo.tokens.engineerReadOnly.access_token,
  demo.tokens.userGlobal.access_token,
  demo.tokens.globexUserPurgeSelect.access_token,
);

const acceptedCase: fc.Arbitrary<FuzzRequest> = fc
  .record({ target, key: workingKey, headers: apiHeaders, body: apiBody })
  .map(({ target: t, key, headers: h, body: b }) => ({ ...t, body: b, headers: withKey(key, h) }));

describe("fuzzing the Fastly-compatible API", () => {
  it(
    "refuses every request without a working key with a Fastly-shaped JSON error and changes nothing",
    async () => {
      const world = await newWorld();
      await fuzz("api refused keys", refusedCase, async (c) => {
        const env = await world.env();
        const before = await mark(world);
        const reply = await send(env, c);
        expectWellFormed(reply, c);
        expect(reply.status, `${describeCase(c)} → ${reply.text}`).toBeGreaterThanOrEqual(400);
        await expectNoStateChange(world, env, before, c);
        return reply;
      });
    },
    fuzzTimeout(),
  );

  it(
    "refuses a read-only API key every mutation and changes nothing",
    async () => {
      const world = await newWorld();
      const arb = fc
        .record({ target: target.filter((t) => !["GET", "HEAD"].includes(t.method.toUpperCase())), headers: apiHeaders, body: apiBody })
        .map(({ target: t, headers: h, body: b }) => ({ ...t, body: b, headers: withKey(API_KEY_VALUES.reader, h) }));
      await fuzz("api reader mutations", arb, async (c) => {
        return expectRefusedWithoutEffect(world, c);
      });
    },
    fuzzTimeout(),
  );

  it(
    "refuses every request when passthrough is off and the key is not a Worker API key",
    async () => {
      const world = await newWorld();
      const arb = fc
        .record({ target, key: fc.constantFrom(demo.tokens.userGlobal.access_token, demo.tokens.superuserGlobal.access_token), headers: apiHeaders, body: apiBody })
        .map(({ target: t, key, headers: h, body: b }) => ({ ...t, body: b, headers: withKey(key, h) }));
      await fuzz("api passthrough off", arb, async (c) => {
        const env = await world.env({ ALLOW_PASSTHROUGH: "false" });
        const before = await mark(world);
        const reply = await send(env, c);
        expectWellFormed(reply, c);
        expect(reply.status, describeCase(c)).toBeGreaterThanOrEqual(400);
        await expectNoStateChange(world, env, before, c);
        expect(await world.tenant.calls(), describeCase(c)).toEqual([]);
        return reply;
      });
    },
    fuzzTimeout(),
  );

  it(
    "answers every request with a working key, however malformed, without a 5xx or a bare error",
    async () => {
      const world = await newWorld();
      await fuzz("api working keys", acceptedCase, async (c) => {
        const reply = await send(await world.env(), c);
        expectWellFormed(reply, c);
        return reply;
      });
    },
    fuzzTimeout(),
  );
});
