import { describe, expect, it } from "vitest";
import type { RevocationJob } from "../../src/tokens/revocation-job";
import { audit, deliver, demo, postScannerReport, queuedTokens, scannerSetup } from "../helpers";

type Results = { results: { status: string; token_id: string | null }[] };

describe("leak intake: failures that retrying cannot fix", () => {
  it("records one token Fastly refuses as failed and still revokes the rest of the report, after a refused bulk revocation", async () => {
    const { t, env, sink } = await scannerSetup();
    // Both are the Worker's customer's, so they go in one bulk revocation first; Fastly refuses it, so each is then
    // revoked as itself, and Fastly refuses the first of those too.
    await t.addFault({ method: "DELETE", path: "/tokens", status: 400, count: 1, body: { msg: "Token revocation error." } });
    await t.addFault({ method: "DELETE", path: "/tokens/self", status: 400, count: 1, body: { msg: "Token revocation error." } });
    const r = await postScannerReport(env, JSON.stringify({ tokens: [demo.tokens.userGlobal.access_token, demo.tokens.userNeverUsed.access_token] }));
    expect(r.status).toBe(200);
    expect(((await r.json()) as Results).results.map((x) => x.status)).toEqual(["failed", "revoked"]);
    expect((await t.tokens()).find((x) => x.id === demo.tokens.userNeverUsed.id)?.revoked).toBe(true);
    expect((await audit(env)).find((e) => e.result === "failed")?.detail).toMatch(/Fastly 400: Token revocation error/);
    expect((await sink.received()).at(-1)!.body).toMatch(/FAILED to revoke/);
  });

  it("does not mistake a token the Worker cannot see for an already revoked one", async () => {
    const { t, env } = await scannerSetup();
    const foreign = demo.tokens.globexUserPurgeSelect; // another customer: invisible to the Worker's Acme token
    await t.addFault({ method: "DELETE", path: "/tokens/self", status: 403, count: 2, body: { msg: "Forbidden" } });
    const first = (await (await postScannerReport(env, JSON.stringify({ tokens: [foreign.access_token] }))).json()) as Results;
    expect(first.results[0]!.status).toBe("failed");
    expect((await t.tokens()).find((x) => x.id === foreign.id)?.revoked).toBe(false);
    // No tombstone was written: the next report tries again instead of answering "already revoked".
    const again = (await (await postScannerReport(env, JSON.stringify({ tokens: [foreign.access_token] }))).json()) as Results;
    expect(again.results[0]!.status).toBe("failed");
    expect((await t.calls()).filter((c) => c.method === "GET" && c.path === "/tokens/self").length).toBeGreaterThanOrEqual(4);
  });

  it("settles every message of a batch even when one cannot be processed", async () => {
    const { t, env, queue, sink } = await scannerSetup();
    await t.addFault({ path: "/tokens/self", status: 503, count: 2 });
    await postScannerReport(env, JSON.stringify({ tokens: [demo.tokens.userGlobal.access_token, demo.tokens.userNeverUsed.access_token] }));
    // Both queued tokens are packed into one message.
    const [packed] = queue.sent.map((m) => m.body);
    expect(queuedTokens(queue)).toHaveLength(2);
    const alert: RevocationJob = { kind: "github_alert", repository: "acme/app", alertNumber: 1, context: { source: "github_alert" } };
    const result = await deliver(env, "revocations", [alert, packed!]); // no GITHUB_TOKEN configured: the alert cannot be fetched
    expect(result.explicitAcks).toHaveLength(2);
    expect(result.retryMessages).toEqual([]);
    const state = await t.tokens();
    for (const id of [demo.tokens.userGlobal.id, demo.tokens.userNeverUsed.id]) expect(state.find((x) => x.id === id)?.revoked).toBe(true);
    expect((await audit(env)).find((e) => e.result === "failed")?.detail).toMatch(/GITHUB_TOKEN is not configured/);
    expect((await sink.received()).at(-1)!.body).toMatch(/3 token\(s\)/);
  });

  it("answers 503 not configured before doing anything when leaks could not be queued", async () => {
    const { t, env } = await scannerSetup({ SEAL_SECRET: undefined });
    const r = await postScannerReport(env, JSON.stringify({ tokens: [demo.tokens.userGlobal.access_token] }));
    expect(r.status).toBe(503);
    expect(await t.calls()).toEqual([]);
  });
});
