import { describe, expect, it } from "vitest";
import type { Env } from "../../src/env";
import type { AuditEntry } from "../../src/tokens/audit-entry";
import { auditOf, callWorker, captureConsole, demo, dumpKv, newTenant, testEnv } from "../helpers";

// POST /sudo and the creates real clients make through the Worker in passthrough mode: go-fastly's (sudo, then a key
// and the password without a username), community clients' JSON bodies, and HTTP Basic.
const bob = demo.users.acmeEngineer;
const key = demo.tokens.engineerGlobal.access_token;
const FORM = "application/x-www-form-urlencoded";

const logged = captureConsole();

async function audit(env: Env): Promise<AuditEntry[]> {
  return (await auditOf(env).list(100)).entries;
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

async function post(env: Env, path: string, init: { key?: string; type?: string; body: string; headers?: Record<string, string> }) {
  const headers: Record<string, string> = { "Content-Type": init.type ?? FORM, ...init.headers };
  if (init.key) headers["Fastly-Key"] = init.key;
  const response = await callWorker(env, path, { method: "POST", headers, body: init.body });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

/** No secret of the run in logs, KV (cache and audit) or any answer except the one create that returns its token. */
async function expectNoSecrets(env: Env, answers: string[], secrets: string[]) {
  const everything = [JSON.stringify(await dumpKv(env)), ...logged, ...answers].join("\n");
  for (const secret of secrets) expect(everything).not.toContain(secret);
}

describe("POST /sudo through the Worker", () => {
  it("passes through with the caller's key, is audited, and is never cached", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    await callWorker(env, "/tokens/self", { headers: { "Fastly-Key": key } }); // cache the self view first
    const first = await post(env, "/sudo", { key, body: form({ password: bob.password }) });
    expect(first.status).toBe(200);
    const body = JSON.parse(first.text) as { expiry_time: string };
    expect(body.expiry_time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);
    expect(first.headers.get("Fastly-RateLimit-Remaining")).toMatch(/^\d+$/);
    const second = await post(env, "/sudo", { key, type: "application/json", body: JSON.stringify({ username: bob.login, password: bob.password }) });
    expect(second.status).toBe(200);
    expect((await t.calls()).filter((c) => c.path === "/sudo").map((c) => c.status)).toEqual([200, 200]);
    // The self view was dropped: it now shows the sudo window, fetched again.
    const self = await callWorker(env, "/tokens/self", { headers: { "Fastly-Key": key } });
    expect(self.headers.get("X-Cache")).toBe("MISS");
    expect(((await self.json()) as { sudo_expires_at: string | null }).sudo_expires_at).not.toBeNull();
    const entries = (await audit(env)).filter((e) => e.operation === "sudo");
    expect(entries.map((e) => e.result)).toEqual(["ok", "ok"]);
    expect(entries[0]?.principal).toMatch(/^token:[0-9a-f]{12}$/);
    expect((await dumpKv(env)).filter((k) => (k.value ?? "").includes("expiry_time"))).toEqual([]);
    await expectNoSecrets(env, [first.text, second.text], [bob.password, key]);
  });

  it("passes Fastly's refusal of a wrong password through, audits it, and never echoes the password", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    const wrong = "wrong-sudo-password-42";
    const r = await post(env, "/sudo", { key, body: form({ password: wrong }) });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.text)).toEqual({ msg: "The supplied username/password combination is not correct." });
    expect((await audit(env)).find((e) => e.operation === "sudo")).toMatchObject({ result: "error" });
    await expectNoSecrets(env, [r.text], [wrong, key]);
  });

  it("refuses a missing password itself, as Fastly words it, without calling Fastly", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    const r = await post(env, "/sudo", { key, body: form({ username: bob.login }) });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text)).toMatchObject({ msg: "Bad request", detail: "password is required" });
    expect(await t.calls()).toEqual([]);
  });
});

describe("creates that real clients send through the Worker", () => {
  it("runs go-fastly's CreateToken: POST /sudo, then POST /tokens with the key and the password, no username", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    const fields = { password: bob.password, name: "terraform", scope: "global", expires_at: "2099-01-02T03:04:05Z" };
    const sudo = await post(env, "/sudo", { key, body: form(fields) });
    expect(sudo.status).toBe(200);
    const created = await post(env, "/tokens", { key, type: `${FORM}; charset=utf-8`, body: `${form(fields)}&services%5B%5D=${demo.services.acmeWww.id}` });
    expect(created.status).toBe(200);
    expect(created.headers.get("Fastly-RateLimit-Remaining")).toMatch(/^\d+$/);
    const token = JSON.parse(created.text) as { id: string; user_id: string; access_token: string; services: string[]; expires_at: string };
    expect(token).toMatchObject({ user_id: bob.id, services: [demo.services.acmeWww.id], expires_at: "2099-01-02T03:04:05Z" });
    const upstream = (await t.calls()).filter((c) => c.method === "POST").map((c) => `${c.path} ${c.status}`);
    expect(upstream).toEqual(["/sudo 200", "/tokens 200"]);
    expect((await audit(env)).find((e) => e.operation === "createToken")).toMatchObject({ result: "ok", tokenId: token.id, ownerId: bob.id });
    await expectNoSecrets(env, [sudo.text], [bob.password, key, token.access_token]);
    expect(JSON.stringify(await dumpKv(env))).not.toContain(token.access_token);
  });

  it("answers a key-plus-password create without a sudo window with Fastly's 403", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    const r = await post(env, "/tokens", { key, body: form({ password: bob.password, name: "x" }) });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.text)).toEqual({ msg: "You must POST /sudo to access this endpoint" });
    await expectNoSecrets(env, [r.text], [bob.password, key]);
  });

  it("creates from a JSON body with username and password and no key", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    const r = await post(env, "/tokens", {
      type: "application/json",
      body: JSON.stringify({ username: bob.login, password: bob.password, name: "community client", scope: "purge_all", services: [demo.services.acmeApi.id] }),
    });
    expect(r.status).toBe(200);
    const token = JSON.parse(r.text) as { access_token: string; scope: string; services: string[] };
    expect(token).toMatchObject({ scope: "purge_all", services: [demo.services.acmeApi.id] });
    await expectNoSecrets(env, [], [bob.password, token.access_token]);
  });

  it("creates with HTTP Basic credentials and a Fastly-OTP for a two-factor user", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    const erin = demo.users.acmeTwoFactorUser;
    const basic = `Basic ${btoa(`${erin.login}:${erin.password}`)}`;
    const without = await post(env, "/tokens", { body: form({ name: "x" }), headers: { Authorization: basic } });
    expect(without.status).toBe(400);
    expect(JSON.parse(without.text)).toMatchObject({ code: "2fa.verify" });
    const withOtp = await post(env, "/tokens", { body: form({ name: "2fa" }), headers: { Authorization: basic, "Fastly-OTP": erin.otp ?? "" } });
    expect(withOtp.status).toBe(200);
    expect((await t.calls()).filter((c) => c.path === "/tokens").map((c) => c.otp)).toEqual([false, true]);
    const token = JSON.parse(withOtp.text) as { access_token: string };
    await expectNoSecrets(env, [without.text], [erin.password, erin.otp ?? "", basic, token.access_token]);
  });
});
