import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { audit, demo, newTenant, type Tenant, testEnv } from "../helpers";
import { DAY_MS, digestSinks, runCron, type SinkRecord } from "./support";

beforeEach(() => {
  for (const level of ["log", "warn", "error"] as const) vi.spyOn(console, level).mockImplementation(() => undefined);
});
afterEach(() => vi.restoreAllMocks());

const tokens = demo.tokens;
const own = tokens.superuserGlobal;
const json = (r: SinkRecord) => JSON.parse(r.body) as Record<string, unknown>;

async function revokedIds(t: Tenant): Promise<string[]> {
  return (await t.tokens())
    .filter((x) => x.revoked && x.id !== tokens.userRevoked.id)
    .map((x) => x.id)
    .sort();
}

interface PolicyPayload {
  data: {
    policy: {
      mode: string;
      dry_run?: boolean;
      candidates: { id: string }[];
      revoked: { id: string }[];
      failed: { id: string; reason: string }[];
      deferred: number;
      protected: { id: string; reason: string }[];
    };
  };
}

describe("the stale-token policy", () => {
  it("is off by default: nothing is revoked or proposed even when every token is long unused", async () => {
    const t = await newTenant();
    const sinks = digestSinks();
    const env = await testEnv(t, sinks.vars);

    const run = await runCron(env, Date.now() + 200 * DAY_MS);

    expect(run.policy).toBeNull();
    expect(await revokedIds(t)).toEqual([]);
    expect(await audit(env)).toEqual([]);
    const payload = json((await sinks.webhook.received())[0]!) as unknown as PolicyPayload;
    expect(payload.data.policy).toEqual({ mode: "off" });
    expect((await sinks.slack.received())[0]!.body).not.toContain("Stale-token policy");
    expect((await t.calls()).filter((c) => c.method === "DELETE")).toEqual([]);
  });

  it("in report mode lists what it would revoke in the digest, and revokes nothing", async () => {
    const t = await newTenant();
    const sinks = digestSinks();
    const env = await testEnv(t, { ...sinks.vars, STALE_POLICY: "report" });

    const run = await runCron(env);

    expect(run.policy!.selection.candidates.map((x) => x.id)).toEqual([tokens.userLongUnused.id]);
    expect(await revokedIds(t)).toEqual([]);
    expect((await t.calls()).filter((c) => c.method === "DELETE")).toEqual([]);
    expect(await audit(env)).toEqual([]);
    const slack = (await sinks.slack.received())[0]!.body;
    expect(slack).toContain("*Stale-token policy* (report only: STALE_POLICY=report): would revoke 1 token unused for 90+ days. Nothing was revoked.");
    expect(slack).toContain(tokens.userLongUnused.id);
    const payload = json((await sinks.webhook.received())[0]!) as unknown as PolicyPayload;
    expect(payload.data.policy).toMatchObject({ mode: "report", dry_run: true, revoked: [], candidates: [{ id: tokens.userLongUnused.id }] });
  });

  it("in revoke mode revokes each stale token through the core, audited, and says so in the digest", async () => {
    const t = await newTenant();
    const sinks = digestSinks();
    const env = await testEnv(t, { ...sinks.vars, STALE_POLICY: "revoke" });

    const run = await runCron(env);

    expect(run.policy!.revoked.map((x) => x.id)).toEqual([tokens.userLongUnused.id]);
    expect(await revokedIds(t)).toEqual([tokens.userLongUnused.id]);
    const entries = await audit(env);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      surface: "schedule",
      principal: "schedule:stale-policy",
      operation: "revokeToken",
      result: "ok",
      tokenId: tokens.userLongUnused.id,
      tokenName: tokens.userLongUnused.name,
      ownerId: demo.users.acmeUser.id,
      customerId: demo.customers.acme.id,
    });
    const slack = (await sinks.slack.received())[0]!.body;
    expect(slack).toContain("*Stale-token policy*: revoked 1 token unused for 90+ days.");
    const payload = json((await sinks.webhook.received())[0]!) as unknown as PolicyPayload;
    expect(payload.data.policy).toMatchObject({ mode: "revoke", dry_run: false, revoked: [{ id: tokens.userLongUnused.id }], failed: [] });
  });

  it("never revokes the Worker's own token, even when it is the stalest, and caps revocations per run", async () => {
    const t = await newTenant();
    const sinks = digestSinks();
    const env = await testEnv(t, { ...sinks.vars, STALE_POLICY: "revoke", STALE_MAX_REVOCATIONS: "4" });

    // 200 days on, every token is stale, the Worker's own included.
    const run = await runCron(env, Date.now() + 200 * DAY_MS);

    const revoked = await revokedIds(t);
    expect(revoked).toHaveLength(4);
    expect(revoked).not.toContain(own.id);
    expect((await t.tokens()).find((x) => x.id === own.id)!.revoked).toBe(false);
    expect(run.policy!.selection.protected).toEqual([{ token: expect.objectContaining({ id: own.id }), reason: "own_token" }]);
    expect(run.policy!.selection.deferred).toHaveLength(14 - 1 - 4);
    // The longest-unused go first.
    expect(run.policy!.revoked[0]!.id).toBe(tokens.userLongUnused.id);
    const entries = await audit(env);
    expect(entries.map((e) => e.tokenId).sort()).toEqual(revoked);
    expect(entries.every((e) => e.result === "ok" && e.surface === "schedule")).toBe(true);
    const slack = (await sinks.slack.received())[0]!.body;
    expect(slack).toContain("9 more stale tokens wait for the next run (STALE_MAX_REVOCATIONS).");
    expect(slack).toContain("Stale but never revoked by policy: `fastly-token-webhooks worker` (the Worker's own token).");
  });

  it("leaves exempt tokens alone and names them in the digest", async () => {
    const t = await newTenant();
    const sinks = digestSinks();
    const env = await testEnv(t, { ...sinks.vars, STALE_POLICY: "revoke", STALE_EXEMPT_TOKEN_IDS: tokens.userLongUnused.id });

    const run = await runCron(env);

    expect(run.policy!.revoked).toEqual([]);
    expect(await revokedIds(t)).toEqual([]);
    expect(await audit(env)).toEqual([]);
    const slack = (await sinks.slack.received())[0]!.body;
    expect(slack).toContain("Stale but never revoked by policy: `legacy backup script` (exempt).");
    expect(slack).toContain("no token is unused for 90+ days; nothing was revoked");
  });

  it("changes nothing when the Worker runs with DRY_RUN, but audits what it would have done", async () => {
    const t = await newTenant();
    const sinks = digestSinks();
    const env = await testEnv(t, { ...sinks.vars, STALE_POLICY: "revoke", DRY_RUN: "true" });

    const run = await runCron(env);

    expect(run.policy!.dryRun).toBe(true);
    expect(await revokedIds(t)).toEqual([]);
    const entries = await audit(env);
    expect(entries).toEqual([expect.objectContaining({ result: "dry_run", operation: "revokeToken", tokenId: tokens.userLongUnused.id })]);
    const slack = (await sinks.slack.received())[0]!.body;
    expect(slack).toContain("(dry run: DRY_RUN=true): would revoke 1 token");
  });

  it("reports a revocation Fastly refused, audited as an error, and still sends the digest", async () => {
    const t = await newTenant();
    const sinks = digestSinks();
    const env = await testEnv(t, { ...sinks.vars, STALE_POLICY: "revoke" });
    await t.addFault({ method: "DELETE", path: `/tokens/${tokens.userLongUnused.id}`, status: 500, count: 10 });

    const run = await runCron(env);

    expect(run.status).toBe("sent");
    expect(run.policy!.failed.map((f) => [f.token.id, f.reason])).toEqual([[tokens.userLongUnused.id, expect.stringMatching(/^Fastly answered 500/)]]);
    expect(await revokedIds(t)).toEqual([]);
    expect(await audit(env)).toEqual([expect.objectContaining({ result: "error", tokenId: tokens.userLongUnused.id, surface: "schedule" })]);
    const slack = (await sinks.slack.received())[0]!.body;
    expect(slack).toContain(":warning: Not revoked:");
  });

  it("stops revoking for this run once Fastly rate-limits it, deferring the rest", async () => {
    const t = await newTenant();
    const sinks = digestSinks();
    const env = await testEnv(t, { ...sinks.vars, STALE_POLICY: "revoke", STALE_MAX_REVOCATIONS: "5" });
    await t.addFault({ method: "DELETE", path: "/tokens/*", status: 429, count: 100 });

    const run = await runCron(env, Date.now() + 200 * DAY_MS);

    expect(run.policy!.failed).toHaveLength(1);
    expect(run.policy!.revoked).toEqual([]);
    expect(run.policy!.selection.deferred).toHaveLength(14 - 1 - 1);
    expect((await t.calls()).filter((c) => c.method === "DELETE").length).toBeLessThanOrEqual(3);
  });
});
