import { describe, expect, it } from "vitest";
import { newSlackApi } from "../helpers";

async function call(url: string, body: unknown, token?: string, form = false) {
  const headers: Record<string, string> = { "content-type": form ? "application/x-www-form-urlencoded" : "application/json; charset=utf-8" };
  if (token) headers.authorization = `Bearer ${token}`;
  const r = await fetch(url, { method: "POST", headers, body: form ? new URLSearchParams(body as Record<string, string>).toString() : JSON.stringify(body) });
  return { status: r.status, headers: r.headers, body: (await r.json()) as Record<string, unknown> };
}

describe("Slack Web API stand-in", () => {
  it("finds a member by email with the bot token and posts a DM to them", async () => {
    const slack = await newSlackApi();
    const member = await slack.addUser({ email: "Carol@Acme.example", name: "Carol User" });
    const found = await call(`${slack.baseUrl}/users.lookupByEmail`, { email: "carol@acme.example" }, slack.botToken, true);
    expect(found).toMatchObject({ status: 200, body: { ok: true, user: { id: member.id, real_name: "Carol User" } } });
    const posted = await call(`${slack.baseUrl}/chat.postMessage`, { channel: member.id, text: "hello" }, slack.botToken);
    expect(posted.body).toMatchObject({ ok: true, channel: `D${member.id.slice(1)}` });
    expect(await slack.messages()).toEqual([expect.objectContaining({ channel: member.id, resolvedChannel: `D${member.id.slice(1)}`, text: "hello" })]);
  });

  it("answers like Slack: HTTP 200 with ok false for a missing or wrong token and an unknown email", async () => {
    const slack = await newSlackApi();
    expect((await call(`${slack.baseUrl}/users.lookupByEmail`, { email: "x@y.example" })).body).toEqual({ ok: false, error: "not_authed" });
    expect((await call(`${slack.baseUrl}/users.lookupByEmail`, { email: "x@y.example" }, "xoxb-wrong")).body).toEqual({ ok: false, error: "invalid_auth" });
    const unknown = await call(`${slack.baseUrl}/users.lookupByEmail`, { email: "x@y.example" }, slack.botToken, true);
    expect(unknown).toMatchObject({ status: 200, body: { ok: false, error: "users_not_found" } });
    expect((await call(`${slack.baseUrl}/chat.postMessage`, { channel: "UNOBODY", text: "x" }, slack.botToken)).body).toEqual({ ok: false, error: "channel_not_found" });
    expect(await slack.messages()).toEqual([]);
  });

  it("injects rate limits and server errors per method, then recovers", async () => {
    const slack = await newSlackApi();
    const member = await slack.addUser({ email: "dave@acme.example" });
    await slack.fail("chat.postMessage", { status: 429 });
    const limited = await call(`${slack.baseUrl}/chat.postMessage`, { channel: member.id, text: "x" }, slack.botToken);
    expect(limited).toMatchObject({ status: 429, body: { ok: false, error: "ratelimited" } });
    expect(limited.headers.get("retry-after")).toBe("1");
    expect((await call(`${slack.baseUrl}/chat.postMessage`, { channel: member.id, text: "x" }, slack.botToken)).body).toMatchObject({ ok: true });
    expect((await slack.calls()).map((c) => `${c.method} ${c.status} ${c.error ?? "ok"}`)).toEqual(["chat.postMessage 429 ratelimited", "chat.postMessage 200 ok"]);
  });
});
