// Property-based tests of the chat surfaces (Slack, Discord, Mattermost): random methods, headers, bodies and signatures.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { utf8 } from "../../src/crypto/bytes";
import { emulatorUrl } from "../helpers";
import { ALICE } from "../routes/chat/helpers";
import { body, describeCase, type FuzzRequest, formBody, type HeaderName, routeCase, shaped, tokenish } from "./support/arbitraries";
import { expectNoStateChange, expectWellFormed, fuzz, fuzzTimeout, mark, newWorld, type Reply, send, sign } from "./support/harness";
import { DISCORD, MATTERMOST_ACTION, SLACK_PAYLOAD } from "./support/templates";

const commandText = fc.oneof(
  fc.constantFrom("", "help", "whoami", "list", "list mine --expiring 7", "list customer --stale x", "show", "audit 3", "audit -1", "revoke", "bulk-revoke"),
  fc.tuple(fc.constantFrom("show", "revoke", "bulk-revoke", "audit"), tokenish).map(([c, t]) => `${c} ${t}`),
  tokenish,
  fc.string({ maxLength: 120 }),
);

/** A slash command as Slack or Mattermost sends it, each field kept, dropped or replaced; Alice is allowed. */
function commandForm(platform: "slack" | "mattermost") {
  const userId = platform === "slack" ? ALICE.slack : ALICE.mattermost;
  const responseUrl = `${emulatorUrl()}/__sinks/chat-fuzz-${platform}/commands/T0ACME/1/abc`;
  const field = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { freq: 6 });
  return fc
    .record({
      user_id: field(fc.oneof(fc.constant(userId), fc.string({ maxLength: 12 }))),
      user_name: field(fc.string({ maxLength: 12 })),
      team_id: field(fc.string({ maxLength: 12 })),
      channel_id: field(fc.string({ maxLength: 12 })),
      command: field(fc.constantFrom("/fastly-tokens", "/other", "")),
      text: field(commandText),
      response_url: field(fc.oneof(fc.constant(responseUrl), fc.webUrl(), fc.string({ maxLength: 20 }))),
      ssl_check: fc.option(fc.constantFrom("1", "0", ""), { freq: 8 }),
    })
    .map((fields) => new URLSearchParams(Object.entries(fields).filter((e): e is [string, string] => e[1] !== null)).toString());
}

const slackInteraction = fc
  .oneof(shaped(SLACK_PAYLOAD[0]).map((p) => JSON.stringify(p)), shaped(SLACK_PAYLOAD[0], 60).map((p) => JSON.stringify(p)), fc.string({ maxLength: 80 }))
  .map((payload) => new URLSearchParams({ payload }).toString());

const forms = (arb: fc.Arbitrary<string>) => fc.oneof({ weight: 4, arbitrary: arb.map(utf8) }, { weight: 1, arbitrary: formBody.map(utf8) }, { weight: 1, arbitrary: body([]) });

const ROUTES: { path: string; headers: HeaderName[]; bodies: fc.Arbitrary<Uint8Array | undefined> }[] = [
  { path: "/slack/commands", headers: ["X-Slack-Signature", "X-Slack-Request-Timestamp"], bodies: forms(commandForm("slack")) },
  { path: "/slack/interactions", headers: ["X-Slack-Signature", "X-Slack-Request-Timestamp"], bodies: forms(slackInteraction) },
  { path: "/discord/interactions", headers: ["X-Signature-Ed25519", "X-Signature-Timestamp"], bodies: body(DISCORD) },
  { path: "/mattermost/command", headers: ["Authorization"], bodies: forms(commandForm("mattermost")) },
  { path: "/mattermost/actions", headers: ["Authorization"], bodies: body(MATTERMOST_ACTION) },
];

/**
 * Which unauthenticated requests may still get a 2xx. Slack's URL check (`ssl_check=1&token=…` and nothing else)
 * is unsigned by design. Mattermost signs nothing it sends to /actions: a click is authenticated by its signed
 * confirmation value, so a click may be answered 200 (e.g. "you may not revoke") as long as nothing changes.
 */
function mayAcceptUnsigned(c: FuzzRequest, reply: Reply): boolean {
  const path = c.path.split("?")[0];
  if (path === "/mattermost/actions") return true;
  if (path?.startsWith("/slack/") && reply.text === "") {
    const form = new URLSearchParams(new TextDecoder().decode(c.body ?? new Uint8Array()));
    return form.getAll("ssl_check").join() === "1" && [...form.keys()].every((k) => k === "ssl_check" || k === "token");
  }
  return false;
}

describe("fuzzing the chat surfaces", () => {
  for (const route of ROUTES) {
    const cases = routeCase(route.path, [...route.headers, "Fastly-Key"], route.bodies);

    it(
      `refuses every unsigned or badly signed request to ${route.path} with a JSON error and changes nothing`,
      async () => {
        const world = await newWorld();
        await fuzz(`${route.path} unsigned`, cases, async (c) => {
          const env = await world.env();
          const before = await mark(world);
          const reply = await send(env, c);
          expectWellFormed(reply, c);
          if (reply.status < 400) expect(mayAcceptUnsigned(c, reply), `${describeCase(c)} → ${reply.status}`).toBe(true);
          await expectNoStateChange(world, env, before, c);
          return reply;
        });
      },
      fuzzTimeout(),
    );

    it(
      `answers every well-signed request to ${route.path}, however malformed, without a 5xx or a bare error`,
      async () => {
        const world = await newWorld();
        await fuzz(`${route.path} signed`, cases, async (unsigned) => {
          const c = await sign(world, unsigned);
          const reply = await send(await world.env(), c);
          expectWellFormed(reply, c);
          return reply;
        });
      },
      fuzzTimeout(),
    );
  }
});
