import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/crypto/hash";
import { audit, demo, dumpD1, dumpKv, newSink, newSlackApi, postScannerReport, recordingEmail, scannerSetup } from "../helpers";

const carol = demo.users.acmeUser;
const leaked = demo.tokens.userGlobal;
const FROM = "security@acme.example";
const CONTACT = "security@acme.example or #security on Slack";

/** A gitleaks report of `tokens`, each found in its own file of one commit made `ageMs` ago. */
function gitleaks(tokens: string[], ageMs = 90_000): string {
  const date = new Date(Date.now() - ageMs).toISOString();
  return JSON.stringify(tokens.map((Secret, i) => ({ RuleID: "fastly-api-token", Secret, File: `deploy/env-${i}.sh`, StartLine: 3, Commit: "9f1c2e7", Date: date })));
}

async function emailSetup(overrides: Record<string, unknown> = {}) {
  const email = recordingEmail();
  const s = await scannerSetup({ OWNER_EMAIL: email.binding, OWNER_EMAIL_ENABLED: "true", OWNER_EMAIL_FROM: FROM, OWNER_NOTICE_CONTACT: CONTACT, ...overrides });
  return { ...s, email };
}

const noticeEntries = async (env: Parameters<typeof audit>[0]) => (await audit(env)).filter((e) => e.operation === "leakOwnerNotice");

describe("telling a leaked token's owner", () => {
  it("e-mails the owner what leaked, where, when, how long it took, a ready-to-run replacement and whom to contact", async () => {
    const { t, env, email } = await emailSetup();
    const r = await postScannerReport(env, gitleaks([leaked.access_token]));
    expect(((await r.json()) as { results: { status: string }[] }).results[0]!.status).toBe("revoked");

    expect(email.sent).toHaveLength(1);
    const mail = email.sent[0]!;
    expect(mail).toMatchObject({ from: FROM, to: carol.login, subject: `Your Fastly API token "${leaked.name}" leaked and was revoked` });
    for (const part of [
      `Hello ${carol.name},`,
      `Token "${leaked.name}" (id ${leaked.id})`,
      "Scope:        global",
      "Services:     all services",
      "Expires:      never",
      "Found at:     commit 9f1c2e7 · deploy/env-0.sh:3",
      "Reported by:  a secret scanner",
      "First seen:",
      "after it was first seen)",
      "Status:       revoked",
      `curl -sS -X POST '${t.baseUrl}/tokens'`,
      `--data-urlencode 'username=${carol.login}'`,
      `--data-urlencode 'name=${leaked.name}'`,
      "--data-urlencode 'scope=global'",
      `Questions? Contact ${CONTACT}.`,
    ]) {
      expect(mail.text).toContain(part);
    }
    // Found 90 s after the commit: the time to revoke starts at the commit date the report carries.
    expect(mail.text).toMatch(/Revoked: {6}.+ \(1 min( \d+ s)? after it was first seen\)/);
    expect(mail.text).not.toContain("services[]");
    expect(mail.text).not.toContain("Fastly-OTP");
    expect(mail.replyTo).toBeUndefined();
    expect(JSON.stringify(email.sent)).not.toContain(leaked.access_token);
    const [entry] = await noticeEntries(env);
    expect(entry).toMatchObject({ result: "ok", ownerId: carol.id, tokenId: leaked.id, surface: "leak" });
    expect(entry!.detail).toContain(`e-mail to ${carol.login} sent`);
  });

  it("gives the replacement the same services and expiry, and the OTP header a 2FA owner needs", async () => {
    const { env, email } = await emailSetup({ OWNER_NOTICE_CONTACT: "secops@acme.example" });
    const expiring = demo.tokens.engineerExpiringSoon;
    const twoFactor = demo.tokens.twoFactorUserGlobal;
    await postScannerReport(env, gitleaks([expiring.access_token, twoFactor.access_token]));
    const bob = email.sent.find((m) => m.to === demo.users.acmeEngineer.login)!;
    const erin = email.sent.find((m) => m.to === demo.users.acmeTwoFactorUser.login)!;
    expect(bob.text).toContain(`--data-urlencode 'services[]=${demo.services.acmeApi.id}'`);
    expect(bob.text).toMatch(/--data-urlencode 'expires_at=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ'/);
    expect(bob.text).not.toContain("Fastly-OTP");
    expect(erin.text).toContain("-H 'Fastly-OTP: REPLACE_WITH_YOUR_2FA_CODE'");
    // A contact that is an address becomes the Reply-To.
    expect(erin.replyTo).toBe("secops@acme.example");
  });

  it("looks each owner up once per invocation: a dump of one user's tokens costs one lookup and one e-mail", async () => {
    const { t, env, email } = await emailSetup();
    const carols = [demo.tokens.userGlobal, demo.tokens.userMultiScope, demo.tokens.userNeverUsed];
    await postScannerReport(env, gitleaks(carols.map((x) => x.access_token)));
    expect((await t.tokens()).filter((x) => carols.some((c) => c.id === x.id) && x.revoked)).toHaveLength(3);
    expect((await t.calls()).filter((c) => c.path.startsWith("/user/")).map((c) => c.path)).toEqual([`/user/${carol.id}`]);
    expect(email.sent).toHaveLength(1);
    expect(email.sent[0]!.subject).toBe("3 of your Fastly API tokens leaked and were revoked");
    for (const x of carols) expect(email.sent[0]!.text).toContain(`(id ${x.id})`);
    const entries = await noticeEntries(env);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ ownerId: carol.id, tokenId: null });
    expect(entries[0]!.detail).toContain("3 tokens:");
  });

  it("looks the owner up after the revocation, with the Worker's own token", async () => {
    const { t, env } = await emailSetup();
    await postScannerReport(env, gitleaks([leaked.access_token]));
    const calls = await t.calls();
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(["GET /tokens/self", "DELETE /tokens/self", `GET /user/${carol.id}`]);
    expect(calls[2]!.keyHash).toBe(await sha256Hex(demo.tokens.superuserGlobal.access_token));
  });

  it("DMs the owner on Slack: finds them by e-mail with the bot token, then posts the same notice", async () => {
    const slack = await newSlackApi();
    const member = await slack.addUser({ email: carol.login, name: carol.name });
    const { env } = await scannerSetup({ OWNER_SLACK_ENABLED: "true", OWNER_SLACK_BOT_TOKEN: slack.botToken, SLACK_API_BASE_URL: slack.baseUrl });
    await postScannerReport(env, gitleaks([leaked.access_token]));
    expect((await slack.calls()).map((c) => `${c.method} ${c.authorized} ${c.ok}`)).toEqual(["users.lookupByEmail true true", "chat.postMessage true true"]);
    const [dm] = await slack.messages();
    expect(dm).toMatchObject({ channel: member.id, resolvedChannel: `D${member.id.slice(1)}` });
    expect(dm!.text).toContain(`*Your Fastly API token "${leaked.name}" leaked and was revoked*`);
    expect(dm!.text).toContain(`(id ${leaked.id})`);
    expect(dm!.text).toMatch(/```\nread -rsp [^\n]+\n[\s\S]*--data-urlencode 'scope=global'\n```/);
    const everything = JSON.stringify([await slack.messages(), await audit(env), await dumpD1(env), await dumpKv(env)]);
    expect(everything).not.toContain(leaked.access_token);
    expect(everything).not.toContain(slack.botToken);
    expect((await noticeEntries(env))[0]).toMatchObject({ result: "ok", detail: expect.stringContaining("Slack DM sent") });
  });

  it("puts the owner's login and name, and the time to revoke, in the security notice and the signed webhook", async () => {
    const hook = newSink("owner-webhook");
    const { sink, env } = await scannerSetup({ OWNER_IN_NOTIFICATIONS: "true", NOTIFY_WEBHOOK_URL: hook.url, NOTIFY_WEBHOOK_SECRET: "whsec_b3duZXItaW4tbm90aWNlcy0wMDAwMDAwMQ==" });
    await postScannerReport(env, gitleaks([leaked.access_token]));
    const text = (JSON.parse((await sink.received())[0]!.body) as { text: string }).text;
    expect(text).toContain(`owner \`${carol.id}\` (${carol.name}, ${carol.login})`);
    expect(text).toMatch(/: revoked 1 min( \d+ s)? after first seen/);
    const payload = JSON.parse((await hook.received())[0]!.body) as { data: { outcomes: Record<string, unknown>[] } };
    expect(payload.data.outcomes[0]).toMatchObject({
      status: "revoked",
      owner: { id: carol.id, login: carol.login, name: carol.name },
      timing: { firstSeenAt: expect.any(String), revokedAt: expect.any(String), timeToRevokeMs: expect.any(Number) },
    });
    expect(payload.data.outcomes[0]).not.toHaveProperty("ownerNotified");
  });

  it("never looks anyone up or sends anything to owners while every owner channel is off, as by default", async () => {
    const { t, sink, env } = await scannerSetup();
    await postScannerReport(env, gitleaks([leaked.access_token]));
    expect((await t.calls()).some((c) => c.path.startsWith("/user/"))).toBe(false);
    expect(await noticeEntries(env)).toEqual([]);
    const text = (JSON.parse((await sink.received())[0]!.body) as { text: string }).text;
    expect(text).not.toContain(carol.login);
  });
});

describe("a failed owner notice never fails or delays the revocation", () => {
  it("revokes and answers when Fastly fails the owner lookup, and says so in the audit and the notice", async () => {
    const { t, env, sink, email } = await emailSetup({ OWNER_IN_NOTIFICATIONS: "true" });
    await t.addFault({ method: "GET", path: "/user/*", status: 503, body: { msg: "Service Unavailable" } });
    const r = await postScannerReport(env, gitleaks([leaked.access_token]));
    expect(r.status).toBe(200);
    expect(((await r.json()) as { results: { status: string }[] }).results[0]!.status).toBe("revoked");
    expect((await t.tokens()).find((x) => x.id === leaked.id)?.revoked).toBe(true);
    expect(email.sent).toEqual([]);
    // One try only: no retry spends another subrequest on a notice.
    expect((await t.calls()).filter((c) => c.path.startsWith("/user/"))).toHaveLength(1);
    expect((await noticeEntries(env))[0]).toMatchObject({ result: "error", detail: expect.stringContaining("owner not told: lookup failed: Fastly 503") });
    expect((await dumpD1(env)).ledger![0]).toMatchObject({ state: "revoked" });
    expect((JSON.parse((await sink.received())[0]!.body) as { text: string }).text).toContain(`owner \`${carol.id}\` (lookup failed: Fastly 503)`);
  });

  it("revokes when the lookup hangs: the token is dead before the owner is even asked about", async () => {
    const { t, env, email } = await emailSetup();
    await t.addFault({ method: "GET", path: "/user/*", delayMs: 300 });
    await postScannerReport(env, gitleaks([leaked.access_token]));
    const calls = await t.calls();
    const revoked = calls.findIndex((c) => c.method === "DELETE" && c.path === "/tokens/self" && c.status === 204);
    const lookup = calls.findIndex((c) => c.path === `/user/${carol.id}`);
    expect(revoked).toBeGreaterThanOrEqual(0);
    expect(lookup).toBeGreaterThan(revoked);
    expect(email.sent).toHaveLength(1);
  });

  it("stops waiting for an owner lookup that hangs past the follow-up's deadline, and answers the report", async () => {
    const { t, env, email } = await emailSetup();
    await t.addFault({ method: "GET", path: "/user/*", delayMs: 8000 });
    const r = await postScannerReport(env, gitleaks([leaked.access_token]));
    expect(((await r.json()) as { results: { status: string }[] }).results[0]!.status).toBe("revoked");
    expect((await t.tokens()).find((x) => x.id === leaked.id)?.revoked).toBe(true);
    expect(email.sent).toEqual([]);
    expect((await noticeEntries(env))[0]!.detail).toContain("owner not told: lookup timed out");
  }, 15_000);

  it("revokes when the e-mail binding and Slack both fail, and records each failure", async () => {
    const email = recordingEmail({ failWith: "email to carol@acme.example not allowed" });
    const slack = await newSlackApi();
    await slack.addUser({ email: carol.login });
    await slack.fail("chat.postMessage", { status: 500 });
    const { t, env } = await scannerSetup({
      OWNER_EMAIL: email.binding,
      OWNER_EMAIL_ENABLED: "true",
      OWNER_EMAIL_FROM: FROM,
      OWNER_SLACK_ENABLED: "true",
      OWNER_SLACK_BOT_TOKEN: slack.botToken,
      SLACK_API_BASE_URL: slack.baseUrl,
    });
    const r = await postScannerReport(env, gitleaks([leaked.access_token]));
    expect(((await r.json()) as { results: { status: string }[] }).results[0]!.status).toBe("revoked");
    expect((await t.tokens()).find((x) => x.id === leaked.id)?.revoked).toBe(true);
    const [entry] = await noticeEntries(env);
    expect(entry).toMatchObject({ result: "error" });
    expect(entry!.detail).toContain("e-mail to carol@acme.example failed: email to carol@acme.example not allowed");
    expect(entry!.detail).toContain("Slack DM failed: HTTP 500");
  });

  it("says which setting is missing instead of sending nothing silently", async () => {
    const { env } = await scannerSetup({ OWNER_EMAIL_ENABLED: "true", OWNER_SLACK_ENABLED: "true" });
    const r = await postScannerReport(env, gitleaks([leaked.access_token]));
    expect(((await r.json()) as { results: { status: string }[] }).results[0]!.status).toBe("revoked");
    const [entry] = await noticeEntries(env);
    expect(entry!.detail).toContain("e-mail not sent: OWNER_EMAIL_FROM is not set");
    expect(entry!.detail).toContain("Slack DM not sent: OWNER_SLACK_BOT_TOKEN is not set");
  });

  it("skips the owner lookups that do not fit the subrequest budget, and says so", async () => {
    // Budget 10, 5 kept back: two revocations (4 calls) leave one call, for one lookup and no e-mail.
    const { t, env, sink, email } = await emailSetup({ SUBREQUEST_BUDGET: "10", OWNER_IN_NOTIFICATIONS: "true" });
    const bobs = demo.tokens.engineerGlobal;
    await postScannerReport(env, gitleaks([leaked.access_token, bobs.access_token]));
    const revoked = (await t.tokens()).filter((x) => [leaked.id, bobs.id].includes(x.id) && x.revoked);
    expect(revoked).toHaveLength(2);
    expect((await t.calls()).filter((c) => c.path.startsWith("/user/"))).toHaveLength(1);
    expect(email.sent).toEqual([]);
    const details = (await noticeEntries(env)).map((e) => e.detail).join("\n");
    expect(details).toContain("e-mail not sent: over this invocation's subrequest budget");
    expect(details).toContain("owner not told: not looked up: over this invocation's subrequest budget");
    expect((JSON.parse((await sink.received())[0]!.body) as { text: string }).text).toContain("(not looked up: over this invocation's subrequest budget)");
  });

  it("reports an owner in another account as not visible to the Worker's token", async () => {
    const { env, email } = await emailSetup();
    await postScannerReport(env, gitleaks([demo.tokens.globexSuperuserGlobal.access_token]));
    expect(email.sent).toEqual([]);
    expect((await noticeEntries(env))[0]!.detail).toContain("lookup failed: Fastly 404 (another account's user?)");
  });
});

describe("telling the owner of a token that could not be revoked", () => {
  it("asks them to revoke it now, with no replacement command", async () => {
    const { t, env, email } = await emailSetup();
    // The token may not revoke itself and the Worker's token may not revoke it either: it stays live.
    await t.addFault({ method: "DELETE", path: "/tokens/self", status: 403, body: { msg: "Insufficient permissions" } });
    await t.addFault({ method: "DELETE", path: `/tokens/${leaked.id}`, status: 403, body: { msg: "Insufficient permissions" } });
    const r = await postScannerReport(env, gitleaks([leaked.access_token]));
    expect(((await r.json()) as { results: { status: string }[] }).results[0]!.status).toBe("failed");
    const mail = email.sent[0]!;
    expect(mail.subject).toBe(`Your Fastly API token "${leaked.name}" leaked: revoke it now`);
    expect(mail.text).toContain("NOT revoked yet");
    expect(mail.text).not.toContain("curl");
    expect(mail.text).not.toContain("Revoked:");
  });
});
