import { describe, expect, it } from "vitest";
import { emulatorUrl } from "../helpers";

describe("GitHub emulator", () => {
  it("serves an alert with its secret to an authenticated caller and resolves it on PATCH", async () => {
    const created = (await (await fetch(`${emulatorUrl()}/__emulator/github`, { method: "POST" })).json()) as { baseUrl: string };
    const gh = created.baseUrl;
    await fetch(`${gh}/__control/alerts`, { method: "POST", body: JSON.stringify({ repository: "acme/app", number: 7, secret: "s3cr3t" }) });
    const headers = { Authorization: "Bearer x", "User-Agent": "t" };
    const unauth = await fetch(`${gh}/repos/acme/app/secret-scanning/alerts/7`, { headers: { "User-Agent": "t" } });
    expect(unauth.status).toBe(401);
    const alert = (await (await fetch(`${gh}/repos/acme/app/secret-scanning/alerts/7`, { headers })).json()) as { secret: string; state: string };
    expect(alert).toMatchObject({ secret: "s3cr3t", state: "open" });
    const bad = await fetch(`${gh}/repos/acme/app/secret-scanning/alerts/7`, { method: "PATCH", headers, body: JSON.stringify({ state: "resolved", resolution: "nope" }) });
    expect(bad.status).toBe(422);
    const ok = await fetch(`${gh}/repos/acme/app/secret-scanning/alerts/7`, {
      method: "PATCH",
      headers,
      body: JSON.stringify({ state: "resolved", resolution: "revoked", resolution_comment: "done" }),
    });
    expect(await ok.json()).toMatchObject({ state: "resolved", resolution: "revoked", resolution_comment: "done" });
    const calls = (await (await fetch(`${gh}/__control/calls`)).json()) as { method: string; path: string; status: number }[];
    expect(calls.map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
      "GET /repos/acme/app/secret-scanning/alerts/7 401",
      "GET /repos/acme/app/secret-scanning/alerts/7 200",
      "PATCH /repos/acme/app/secret-scanning/alerts/7 422",
      "PATCH /repos/acme/app/secret-scanning/alerts/7 200",
    ]);
  });

});

describe("sinks", () => {
  it("records what arrives and answers 200, or the status a fail- sink names", async () => {
    const name = `s${crypto.randomUUID()}`;
    const r = await fetch(`${emulatorUrl()}/__sinks/${name}/webhooks/1/tok/messages/@original`, { method: "PATCH", headers: { "content-type": "application/json" }, body: '{"content":"hi"}' });
    expect(r.status).toBe(200);
    const got = (await (await fetch(`${emulatorUrl()}/__emulator/sinks/${name}`)).json()) as { method: string; path: string; body: string }[];
    expect(got).toEqual([expect.objectContaining({ method: "PATCH", path: "/webhooks/1/tok/messages/@original", body: '{"content":"hi"}' })]);
    const failing = await fetch(`${emulatorUrl()}/__sinks/fail-503-${name}`, { method: "POST", body: "x" });
    expect(failing.status).toBe(503);
  });
});
