// Property-based tests of the leak-intake hooks: random methods, headers, content types, bodies and signatures.
import fc from "fast-check";
import { describe, it } from "vitest";
import { body, type HeaderName, routeCase } from "./support/arbitraries";
import { expectRefusedWithoutEffect, expectWellFormed, fuzz, fuzzTimeout, newWorld, send, sign } from "./support/harness";
import { GITHUB_ALERT, PARTNER, SCANNER } from "./support/templates";

const HOOKS: { path: string; headers: HeaderName[]; templates: unknown[] }[] = [
  { path: "/hooks/github", headers: ["X-Hub-Signature-256", "X-GitHub-Event", "X-GitHub-Delivery"], templates: GITHUB_ALERT },
  { path: "/hooks/github-partner", headers: ["Github-Public-Key-Identifier", "Github-Public-Key-Signature"], templates: PARTNER },
  { path: "/hooks/gitlab-partner", headers: ["Gitlab-Public-Key-Identifier", "Gitlab-Public-Key-Signature"], templates: PARTNER },
  { path: "/hooks/scanner", headers: ["webhook-id", "webhook-timestamp", "webhook-signature"], templates: SCANNER },
];

describe("fuzzing the leak-intake hooks", () => {
  for (const hook of HOOKS) {
    const cases = routeCase(hook.path, [...hook.headers, "Fastly-Key"], body(hook.templates));

    it(
      `refuses every unsigned or badly signed request to ${hook.path} with a JSON error and changes nothing`,
      async () => {
        const world = await newWorld();
        // No signature the fuzzer can make verifies, so nothing may be accepted.
        await fuzz(`${hook.path} unsigned`, cases, (c) => expectRefusedWithoutEffect(world, c));
      },
      fuzzTimeout(),
    );

    it(
      `answers every well-signed request to ${hook.path}, however malformed its body, without a 5xx or a bare error`,
      async () => {
        const world = await newWorld();
        await fuzz(`${hook.path} signed`, cases, async (unsigned) => {
          const c = await sign(world, unsigned);
          const reply = await send(await world.env(), c);
          expectWellFormed(reply, c);
          return reply;
        });
      },
      fuzzTimeout(),
    );
  }

  it(
    "treats a signature over other bytes as a mismatch for every hook, whatever the body",
    async () => {
      const world = await newWorld();
      const arb = fc.record({ hook: fc.constantFrom(...HOOKS), a: body(SCANNER), b: body(SCANNER) }).filter(({ a, b }) => a !== undefined && b !== undefined);
      await fuzz("hooks signature over other bytes", arb, async ({ hook, a, b }) => {
        const signed = await sign(world, { method: "POST", path: hook.path, headers: [["Content-Type", "application/json"]], body: a });
        // Same headers, different bytes: a valid signature for `a` must not admit `b`.
        if (b!.length === a!.length && b!.every((x, i) => x === a![i])) return undefined;
        const c = { ...signed, body: b };
        return expectRefusedWithoutEffect(world, c);
      });
    },
    fuzzTimeout(),
  );
});
