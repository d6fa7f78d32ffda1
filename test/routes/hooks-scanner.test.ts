import { describe, expect, it, vi } from "vitest";
import { sha256Hex } from "../../src/crypto/hash";
import { utf8 } from "../../src/crypto/bytes";
import { signStandardWebhook } from "../../src/verify/standard-webhooks";
import { audit, demo, dumpKv, newTenant, postScannerReport, queuedTokens, SCANNER_SECRET, scannerSetup, testEnv } from "../helpers";
import { tokensPerMessage } from "../../src/tokens/leak-workflow";

const setup = scannerSetup;

const leaked = demo.tokens.userGlobal;

describe("scanner intake (Standard Webhooks)", () => {
  it("revokes a live leaked token as itself, audits it and notifies without the secret", async () => {
    const { t, sink, env } = await setup();
    const r = await postScannerReport(env, JSON.stringify({ tokens: [leaked.access_token] }));
    expect(r.status).toBe(200);
    const body = await r.text();
    expect(JSON.parse(body)).toMatchObject({ format: "tokens", results: [{ status: "revoked", token_id: leaked.id, token_name: leaked.name }] });
    expect((await t.tokens()).find((x) => x.id === leaked.id)?.revoked).toBe(true);
    const hash = await sha256Hex(leaked.access_token);
    expect((await t.calls()).map((c) => `${c.method} ${c.path} ${c.keyHash === hash}`)).toEqual(["GET /tokens/self true", "DELETE /tokens/self true"]);
    expect((await audit(env)).find((e) => e.operation === "leakRevoke")).toMatchObject({ result: "ok", tokenId: leaked.id, tokenHash: hash, surface: "leak" });
    const notes = await sink.received();
    expect(notes).toHaveLength(1);
    expect(notes[0]!.body).toContain(leaked.id);
    expect(notes[0]!.body).toContain("revoked");
    for (const text of [body, notes[0]!.body, JSON.stringify(await dumpKv(env))]) expect(text).not.toContain(leaked.access_token);
  });

  it("revokes the same token once when it is reported twice", async () => {
    const { t, env } = await setup();
    await postScannerReport(env, JSON.stringify({ tokens: [leaked.access_token] }));
    await t.clearCalls();
    const again = await postScannerReport(env, JSON.stringify({ tokens: [leaked.access_token, leaked.access_token] }));
    expect(((await again.json()) as { results: { status: string }[] }).results).toEqual([expect.objectContaining({ status: "already_revoked" })]);
    expect(await t.calls()).toEqual([]);
  });

  it("records a token Fastly does not accept as not live, once, and leaves everything else alone", async () => {
    const { t, env } = await setup();
    const expired = demo.tokens.userExpired.access_token;
    const r = await postScannerReport(env, JSON.stringify({ tokens: [expired] }));
    expect(((await r.json()) as { results: { status: string }[] }).results[0]!.status).toBe("not_live");
    expect((await t.calls()).map((c) => c.method)).toEqual(["GET"]);
    await t.clearCalls();
    await postScannerReport(env, JSON.stringify({ tokens: [expired] }));
    expect(await t.calls()).toEqual([]);
  });

  it("falls back to revoking by id with the Worker's token when the token may not revoke itself", async () => {
    const { t, env } = await setup();
    await t.addFault({ method: "DELETE", path: "/tokens/self", status: 403, body: { msg: "Read only tokens are not allowed to access this endpoint." } });
    const r = await postScannerReport(env, JSON.stringify({ tokens: [leaked.access_token] }));
    expect(((await r.json()) as { results: { status: string }[] }).results[0]!.status).toBe("revoked");
    const calls = await t.calls();
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(["GET /tokens/self", "DELETE /tokens/self", `DELETE /tokens/${leaked.id}`]);
    expect(calls[2]!.keyHash).toBe(await sha256Hex(demo.tokens.superuserGlobal.access_token));
    expect((await t.tokens()).find((x) => x.id === leaked.id)?.revoked).toBe(true);
  });

  it("in dry run proves the token live, notifies what it would do and revokes nothing", async () => {
    const { t, sink, env } = await setup({ DRY_RUN: "true" });
    const r = await postScannerReport(env, JSON.stringify({ tokens: [leaked.access_token] }));
    expect(((await r.json()) as { results: { status: string }[] }).results[0]!.status).toBe("dry_run");
    expect((await t.calls()).map((c) => c.method)).toEqual(["GET"]);
    expect((await t.tokens()).find((x) => x.id === leaked.id)?.revoked).toBe(false);
    expect((await sink.received())[0]!.body).toContain("dry run");
  });

  it("reads gitleaks reports and TruffleHog JSON lines, ignoring other rules and detectors", async () => {
    const { t, env } = await setup();
    const gitleaks = [
      { RuleID: "fastly-api-token", Secret: leaked.access_token, File: "deploy.sh", StartLine: 3, Commit: "abc123" },
      { RuleID: "aws-access-token", Secret: "AKIAIOSFODNN7EXAMPLE", File: "x" },
    ];
    const g = (await (await postScannerReport(env, JSON.stringify(gitleaks))).json()) as { format: string; ignored: number; results: { status: string }[] };
    expect(g).toMatchObject({ format: "gitleaks", ignored: 1, results: [{ status: "revoked" }] });
    const other = demo.tokens.userNeverUsed.access_token;
    const lines = [
      { SourceMetadata: { Data: { Git: { file: "a.env", line: 1, repository: "https://github.com/acme/app" } } }, DetectorName: "FastlyPersonalToken", Raw: other },
      { DetectorName: "Github", Raw: "ghp_xxx" },
    ].map((l) => JSON.stringify(l)).join("\n");
    const th = (await (await postScannerReport(env, lines)).json()) as { format: string; ignored: number; results: { status: string }[] };
    expect(th).toMatchObject({ format: "trufflehog", ignored: 1, results: [{ status: "revoked" }] });
    const revoked = (await t.tokens()).filter((x) => x.revoked).map((x) => x.id);
    expect(revoked).toEqual(expect.arrayContaining([leaked.id, demo.tokens.userNeverUsed.id]));
  });

  it("splits a report larger than the subrequest budget across sealed queue messages", async () => {
    const { t, env, queue } = await setup({ SUBREQUEST_BUDGET: "10" });
    const values = [demo.tokens.userGlobal, demo.tokens.userNeverUsed, demo.tokens.userLongUnused, demo.tokens.userMultiScope, demo.tokens.engineerGlobal].map((x) => x.access_token);
    const r = await postScannerReport(env, JSON.stringify({ tokens: values }));
    const results = ((await r.json()) as { results: { status: string }[] }).results.map((x) => x.status);
    // Budget 10, 3 kept back (2 notification calls, 1 queue send): the Worker's own token (1 read), then one read
    // per token while the revocations still owed fit (one bulk call for the Worker's customer): four inline.
    expect(results).toEqual(["revoked", "revoked", "revoked", "revoked", "queued"]);
    // Packed: queued tokens share messages (a message costs the same queue operations whatever it holds).
    expect(queuedTokens(queue)).toHaveLength(1);
    expect(queue.sent).toHaveLength(1);
    const serialized = JSON.stringify(queue.sent);
    for (const v of values) expect(serialized).not.toContain(v);
    // One write for the four: a bulk revocation with the Worker's token.
    expect((await t.calls()).filter((c) => c.method === "DELETE").map((c) => c.path)).toEqual(["/tokens"]);
    expect((await t.calls()).length).toBeLessThanOrEqual(10 - 3);
  });
});

describe("subrequest budget", () => {
  it("never spends more subrequests in one invocation than the budget, however large the report", async () => {
    const { env, queue } = await setup({ SUBREQUEST_BUDGET: "50" });
    const lines: string[] = [];
    const spy = vi.spyOn(console, "log").mockImplementation((line: unknown) => void lines.push(String(line)));
    const values = Array.from({ length: 300 }, (_, i) => `${String(i).padStart(4, "0")}${"x".repeat(28)}`);
    const r = await postScannerReport(env, JSON.stringify({ tokens: values }));
    spy.mockRestore();
    expect(r.status).toBe(200);
    const invocation = lines.map((l) => JSON.parse(l)).find((l) => l.event === "leak_invocation");
    expect(invocation).toMatchObject({ tokens: 300 });
    expect(invocation.subrequests).toBeLessThanOrEqual(50);
    // Every token costs at least its read: at most 50 fit.
    expect(invocation.queued).toBeGreaterThanOrEqual(300 - 50);
    expect(queuedTokens(queue)).toHaveLength(invocation.queued);
    expect(queue.sent).toHaveLength(Math.ceil(invocation.queued / tokensPerMessage(50)));
  });
});

describe("scanner intake: bad input changes nothing", () => {
  const body = () => JSON.stringify({ tokens: [leaked.access_token] });

  it("rejects forged, tampered, truncated, stale, future and unsigned reports with 401 and no upstream call, and acknowledges a replay as a 200 duplicate that does nothing", async () => {
    const { t, env, queue } = await setup();
    const now = Math.floor(Date.now() / 1000);
    const good = await signStandardWebhook(SCANNER_SECRET, "msg_fixed", now, utf8(body()));
    const cases: [string, Parameters<typeof postScannerReport>[2], string?][] = [
      ["forged", { secret: "whsec_dGhpcy1pcy1ub3QtdGhlLXJpZ2h0LXNlY3JldA==" }],
      ["tampered", { id: "msg_fixed", timestamp: now, signature: good }, body().replace("}", " }")],
      ["truncated signature", { id: "msg_fixed", timestamp: now, signature: good.slice(0, 20) }],
      ["truncated body", { id: "msg_fixed", timestamp: now, signature: good }, body().slice(0, 10)],
      // 30 s beyond the 5-minute window, not 1 s: `now` was read before the earlier cases ran, and on a busy machine
      // a second passes before this one is checked. The exact boundary is unit-tested with a fixed clock (test/verify).
      ["stale", { timestamp: now - 330 }],
      ["future", { timestamp: now + 330 }],
      ["unsigned", { signature: "" }],
    ];
    for (const [name, opts, text] of cases) {
      const r = await postScannerReport(env, text ?? body(), opts);
      expect(r.status, name).toBe(401);
      expect(((await r.json()) as { msg: string }).msg, name).toBe("Invalid signature");
    }
    expect(await t.calls()).toEqual([]);
    expect(queue.sent).toEqual([]);
    expect((await audit(env)).length).toBe(0);

    const first = await postScannerReport(env, body(), { id: "msg_replay" });
    expect(first.status).toBe(200);
    const calls = (await t.calls()).length;
    const replay = await postScannerReport(env, body(), { id: "msg_replay" });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ ok: true, duplicate: true });
    expect(await t.calls()).toHaveLength(calls);
  });

  it("answers a copy of a delivered report whose signature is bad 401, though its webhook-id was delivered: only a verified copy is a duplicate", async () => {
    const { t, env } = await setup();
    expect((await postScannerReport(env, body(), { id: "msg_forged_copy" })).status).toBe(200);
    const calls = (await t.calls()).length;
    const forged = await postScannerReport(env, body(), { id: "msg_forged_copy", secret: "whsec_dGhpcy1pcy1ub3QtdGhlLXJpZ2h0LXNlY3JldA==" });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toEqual({ msg: "Invalid signature", code: "invalid_signature" });
    expect(await t.calls()).toHaveLength(calls);
  });

  it("answers 400 for a signed body that is no known report format, and 413 when oversized", async () => {
    const { t, env } = await setup({ MAX_BODY_BYTES: "4096" });
    const bad = await postScannerReport(env, "{not json");
    expect(bad.status).toBe(400);
    const huge = await postScannerReport(env, JSON.stringify({ tokens: Array.from({ length: 200 }, () => leaked.access_token) }));
    expect(huge.status).toBe(413);
    expect(await t.calls()).toEqual([]);
  });

  it("answers 503 not configured when no scanner secret is set", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    const r = await postScannerReport(env, body());
    expect(r.status).toBe(503);
    expect(await t.calls()).toEqual([]);
  });
});
