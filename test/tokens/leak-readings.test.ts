import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/crypto/hash";
import { audit, demo, dumpD1, dumpKv, postScannerReport, queuedTokens, scannerSetup } from "../helpers";

type Results = { results: { status: string; token_id: string | null }[] };

// The references leave open how Fastly answers unknown keys (401 or 403), whether a purge-only or global:read
// token may read itself (GET /tokens/self), and what a non-superuser gets for another user's token (403 or 404).
// The leak workflow must never leave a live token alone under any of them.
const READINGS = [
  { unknownKeyStatus: 401, limitedTokenSelfStatus: 200, foreignTokenStatus: 403 },
  { unknownKeyStatus: 403, limitedTokenSelfStatus: 200, foreignTokenStatus: 403 },
  { unknownKeyStatus: 401, limitedTokenSelfStatus: 403, foreignTokenStatus: 404 },
  { unknownKeyStatus: 403, limitedTokenSelfStatus: 403, foreignTokenStatus: 404 },
] as const;

const live = [demo.tokens.engineerPurgeSelect, demo.tokens.userGlobal, demo.tokens.userMultiScope, demo.tokens.globexUserPurgeSelect];
const garbage = "Zq7uX1mXbQ9pL3vV8yT2wR5sN0aK4dHf"; // shaped like a token, never issued

describe("the leak workflow under every reading of the open questions", () => {
  for (const reading of READINGS) {
    const name = `unknown keys ${reading.unknownKeyStatus}, limited tokens on /tokens/self ${reading.limitedTokenSelfStatus}, foreign tokens ${reading.foreignTokenStatus}`;

    it(`${name}: revokes every live token (purge-only and another customer's included) and calls only the garbage value not live`, async () => {
      const { t, env, sink } = await scannerSetup();
      await t.configure(reading);
      const r = await postScannerReport(env, JSON.stringify({ tokens: [...live.map((x) => x.access_token), garbage] }));
      expect(r.status).toBe(200);
      const statuses = ((await r.json()) as Results).results.map((x) => x.status);
      expect(statuses).toEqual(["revoked", "revoked", "revoked", "revoked", "not_live"]);
      const state = new Map((await t.tokens()).map((x) => [x.id, x.revoked]));
      for (const token of live) expect(state.get(token.id), token.id).toBe(true);
      expect((await sink.received()).map((n) => n.body).join("\n")).not.toMatch(/FAILED|UNVERIFIED/);
    });
  }

  it("records a token Fastly will neither let read itself nor revoke as unverified: audited, notified loudly, retried, never tombstoned", async () => {
    const { t, env, sink, queue } = await scannerSetup();
    const leaked = demo.tokens.engineerPurgeSelect;
    await t.addFault({ method: "GET", path: "/tokens/self", status: 403, count: 1, body: { msg: "Forbidden" } });
    await t.addFault({ method: "DELETE", path: "/tokens/self", status: 403, count: 1, body: { msg: "Forbidden" } });
    const r = await postScannerReport(env, JSON.stringify({ tokens: [leaked.access_token] }));
    expect(((await r.json()) as Results).results[0]!.status).toBe("unverified");
    expect((await t.tokens()).find((x) => x.id === leaked.id)?.revoked).toBe(false);
    expect((await audit(env)).find((e) => e.operation === "leakRevoke")?.result).toBe("unverified");
    expect((await sink.received()).at(-1)!.body).toMatch(/UNVERIFIED.*revoke it by hand/);
    const hash = await sha256Hex(leaked.access_token);
    expect(queuedTokens(queue).map((q) => q.tokenHash)).toEqual([hash]);
    expect((await dumpD1(env)).ledger!.map((row) => row.state)).toEqual(["unverified"]);
    expect((await dumpKv(env)).filter((k) => k.name.startsWith("tomb:"))).toEqual([]);
  });
});
