// Property-based tests under a failing upstream: the emulator answers 5xx, 429, bodies that are not JSON, or slow
// or dropped connections at random. A 5xx from the Worker is allowed only when the upstream caused it.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { utf8 } from "../../src/crypto/bytes";
import type { FaultRule } from "../helpers";
import { ALICE } from "../routes/chat/helpers";
import { describeCase, type FuzzRequest, tokenish } from "./support/arbitraries";
import { API_KEY_VALUES, demo, expectWellFormed, fuzz, fuzzTimeout, newWorld, send, sign } from "./support/harness";

const fault: fc.Arbitrary<FaultRule> = fc
  .record({
    probability: fc.constantFrom(0.1, 0.5, 1),
    kind: fc.constantFrom("status", "rate-limit", "garbage", "delay", "drop"),
    status: fc.constantFrom(500, 502, 503, 504, 400, 404, 401, 403),
    delayMs: fc.integer({ min: 0, max: 400 }),
    method: fc.option(fc.constantFrom("GET", "DELETE", "POST"), { freq: 3 }),
  })
  .map(({ probability, kind, status, delayMs, method }): FaultRule => {
    const base = { probability, ...(method ? { method } : {}) };
    if (kind === "rate-limit") {
      const reset = String(Math.floor(Date.now() / 1000) + 30);
      return { ...base, status: 429, body: { msg: "Too many requests" }, headers: { "Fastly-RateLimit-Remaining": "0", "Fastly-RateLimit-Reset": reset } };
    }
    if (kind === "garbage") return { ...base, status, body: "<html>upstream error</html>", headers: { "content-type": "text/html" } };
    if (kind === "delay") return { ...base, delayMs };
    if (kind === "drop") return { ...base, drop: true };
    return { ...base, status, body: { msg: "upstream says no", detail: "fault" } };
  });

const form = (fields: Record<string, string>) => utf8(new URLSearchParams(fields).toString());

/** Requests that reach the upstream on each surface, with credentials that work when the upstream does. */
const request: fc.Arbitrary<FuzzRequest> = fc.oneof(
  fc
    .record({
      path: fc.constantFrom("/tokens/self", "/tokens", `/tokens/${demo.tokens.engineerGlobal.id}`, `/customer/${demo.customers.acme.id}/tokens`, "/tokens/unknownTokenId000000"),
      key: fc.constantFrom(API_KEY_VALUES.reader, API_KEY_VALUES.admin, demo.tokens.userGlobal.access_token),
    })
    .map(({ path, key }) => ({ method: "GET", path, headers: [["Fastly-Key", key]] as [string, string][] })),
  fc
    .record({ id: fc.constantFrom(demo.tokens.userNeverUsed.id, demo.tokens.userLongUnused.id, "unknownTokenId000000"), dry: fc.boolean() })
    .map(({ id, dry }) => ({ method: "DELETE", path: `/tokens/${id}${dry ? "?dry_run=true" : ""}`, headers: [["Fastly-Key", API_KEY_VALUES.admin]] as [string, string][] })),
  fc
    .record({ name: fc.string({ maxLength: 20 }), password: fc.constantFrom(demo.users.acmeUser.password, "wrong") })
    .map(({ name, password }) => ({
      method: "POST",
      path: "/tokens",
      headers: [["Content-Type", "application/x-www-form-urlencoded"]] as [string, string][],
      body: form({ username: demo.users.acmeUser.login, password, name }),
    })),
  fc
    .array(fc.oneof(tokenish, fc.constantFrom(demo.tokens.userMultiScope.access_token, demo.tokens.engineerPurgeSelect.access_token)), { minLength: 1, maxLength: 4 })
    .map((tokens) => ({ method: "POST", path: "/hooks/scanner", headers: [["Content-Type", "application/json"]] as [string, string][], body: utf8(JSON.stringify({ tokens })) })),
  fc.constantFrom("whoami", "list", "list customer", `show ${demo.tokens.engineerGlobal.id}`, "audit 3").chain((text) =>
    fc.constantFrom("/slack/commands", "/mattermost/command").map((path) => ({
      method: "POST",
      path,
      headers: [["Content-Type", "application/x-www-form-urlencoded"]] as [string, string][],
      body: form({ user_id: path.startsWith("/slack") ? ALICE.slack : ALICE.mattermost, text, command: "/fastly-tokens", response_url: "https://hooks.slack.com/commands/T/1/x" }),
    })),
  ),
);

describe("fuzzing under upstream faults", () => {
  it(
    "answers a 5xx only when the upstream failed, and then 502/504 or the upstream's own status, always as JSON",
    async () => {
      const world = await newWorld();
      await fuzz("upstream faults", fc.record({ rule: fault, request }), async ({ rule, request: unsigned }) => {
        const c = await sign(world, unsigned);
        await world.tenant.clearFaults();
        await world.tenant.addFault(rule);
        await world.tenant.clearCalls();
        const reply = await send(await world.env({ UPSTREAM_TIMEOUT_MS: "250" }), c);
        await world.tenant.clearFaults();
        const calls = await world.tenant.calls();
        // A delay-only rule lets the call through late and unmarked (and logged only once it ends, which may be after
        // the Worker gave up): past UPSTREAM_TIMEOUT_MS a slow upstream is a failing one.
        const slowed = rule.delayMs !== undefined;
        const upstreamFailed = slowed || calls.some((call) => call.faulted || call.status === null || call.status >= 500);
        expectWellFormed(reply, c, upstreamFailed);
        if (reply.status >= 500) {
          const upstream5xx = calls.map((call) => call.status).filter((s): s is number => s !== null && s >= 500);
          expect([502, 504, ...upstream5xx], `${describeCase(c)} → ${reply.status} ${reply.text}; calls ${JSON.stringify(calls)}`).toContain(reply.status);
        }
        return reply;
      });
    },
    fuzzTimeout() * 2,
  );
});
