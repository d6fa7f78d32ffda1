// Property-based tests of routing as a whole: any method on any path, known or not, with any headers and body.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { body, describeCase, type FuzzRequest, headers, method } from "./support/arbitraries";
import { expectNoStateChange, expectWellFormed, fuzz, fuzzTimeout, mark, newWorld, send } from "./support/harness";

const KNOWN = [
  "/health",
  "/openapi.json",
  "/audit",
  "/tokens",
  "/tokens/self",
  "/customer/x/tokens",
  "/hooks/github",
  "/hooks/github-partner",
  "/hooks/gitlab-partner",
  "/hooks/scanner",
  "/slack/commands",
  "/slack/interactions",
  "/discord/interactions",
  "/mattermost/command",
  "/mattermost/actions",
  "/dashboard",
  "/dashboard/login",
  "/dashboard/logout",
  "/dashboard/tokens/EekLClV1kctFykv6Zzscox/revoke",
  "/dashboard/assets/dashboard.css",
  "/",
];

const segment = fc.oneof(fc.stringMatching(/^[a-z0-9_.-]{1,12}$/), fc.string({ maxLength: 12 }).map(encodeURIComponent), fc.constantFrom("..", "%2e%2e", "%2F", "%00", "~"));

const path = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...KNOWN) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...KNOWN), segment).map(([p, s]) => `${p.replace(/\/$/, "")}/${s}`) },
  { weight: 2, arbitrary: fc.array(segment, { minLength: 1, maxLength: 5 }).map((parts) => `/${parts.join("/")}`) },
  { weight: 1, arbitrary: fc.constantFrom(...KNOWN).map((p) => p.toUpperCase()) },
);

const anyRequest: fc.Arbitrary<FuzzRequest> = fc.record({
  method,
  path,
  headers: headers(["Accept", "Authorization", "X-Forwarded-For", "X-Hub-Signature-256", "webhook-signature", "X-Slack-Signature", "X-Signature-Ed25519"]),
  body: body([]),
});

describe("fuzzing routing", () => {
  it(
    "answers any method on any path with JSON (or nothing) and never a 5xx, without changing anything",
    async () => {
      const world = await newWorld();
      await fuzz("routing any path", anyRequest, async (c) => {
        const env = await world.env();
        const before = await mark(world);
        const reply = await send(env, c);
        expectWellFormed(reply, c);
        await expectNoStateChange(world, env, before, c);
        return reply;
      });
    },
    fuzzTimeout(),
  );

  it(
    "answers /health and /openapi.json with JSON and no upstream call, whatever the headers and query",
    async () => {
      const world = await newWorld();
      const arb = fc.record({
        method: fc.constant("GET"),
        path: fc.tuple(fc.constantFrom("/health", "/openapi.json"), fc.string({ maxLength: 20 })).map(([p, q]) => `${p}?${encodeURIComponent(q)}`),
        headers: headers(["Fastly-Key", "Authorization", "Accept"]),
        body: fc.constant(undefined),
      });
      await fuzz("routing health and openapi", arb, async (c) => {
        const env = await world.env();
        await world.tenant.clearCalls();
        const reply = await send(env, c);
        expectWellFormed(reply, c);
        expect(reply.status, describeCase(c)).toBe(200);
        expect(await world.tenant.calls(), describeCase(c)).toEqual([]);
        return reply;
      });
    },
    fuzzTimeout(),
  );
});
