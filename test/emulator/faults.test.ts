import { describe, expect, it } from "vitest";
import { demo, newTenant } from "../helpers";
import { fastly } from "./fastly-call";

const key = demo.tokens.userGlobal.access_token;

describe("fault injection", () => {
  it("answers the next matching call with the fault's status, body and headers, then recovers", async () => {
    const t = await newTenant();
    await t.addFault({
      method: "GET",
      path: "/tokens/self",
      status: 503,
      body: { errors: [{ title: "Unavailable" }] },
      headers: { "Content-Type": "application/vnd.api+json", "Retry-After": "1" },
    });
    const faulted = await fastly(t.baseUrl, "/tokens/self", { key });
    expect(faulted.status).toBe(503);
    expect(faulted.headers.get("content-type")).toBe("application/vnd.api+json");
    expect(faulted.headers.get("retry-after")).toBe("1");
    expect(faulted.body).toEqual({ errors: [{ title: "Unavailable" }] });
    expect((await fastly(t.baseUrl, "/tokens/self", { key })).status).toBe(200);
  });

  it("sends a string body verbatim", async () => {
    const t = await newTenant();
    await t.addFault({ path: "/tokens", status: 502, body: "<html>bad gateway</html>", headers: { "content-type": "text/html" } });
    const answer = await fastly(t.baseUrl, "/tokens", { key });
    expect(answer.status).toBe(502);
    expect(answer.text).toBe("<html>bad gateway</html>");
  });

  it("hits exactly count calls", async () => {
    const t = await newTenant();
    await t.addFault({ path: "/tokens", status: 500, count: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await fastly(t.baseUrl, "/tokens", { key })).status);
    expect(statuses).toEqual([500, 500, 200]);
  });

  it("matches a path prefix ending in * and only the given method", async () => {
    const t = await newTenant();
    await t.addFault({ method: "delete", path: "/tokens/*", status: 504, count: 5 });
    expect((await fastly(t.baseUrl, `/tokens/${demo.tokens.userNeverUsed.id}`, { key })).status).toBe(200);
    const answer = await fastly(t.baseUrl, `/tokens/${demo.tokens.userNeverUsed.id}`, { method: "DELETE", key });
    expect(answer.status).toBe(504);
  });

  it("changes no state on a faulted call", async () => {
    const t = await newTenant();
    await t.setClock("2030-01-01T00:00:00Z");
    await t.addFault({ method: "DELETE", path: "/tokens/self", status: 500 });
    expect((await fastly(t.baseUrl, "/tokens/self", { method: "DELETE", key })).status).toBe(500);
    const token = (await t.tokens()).find((entry) => entry.id === demo.tokens.userGlobal.id);
    expect(token?.revoked).toBe(false);
    expect(token?.last_used_at).not.toBe("2030-01-01T00:00:00Z");
  });

  it("with only a delay, proceeds to the real answer", async () => {
    const t = await newTenant();
    await t.addFault({ path: "/tokens/self", delayMs: 20 });
    const answer = await fastly<{ id: string }>(t.baseUrl, "/tokens/self", { key });
    expect(answer.status).toBe(200);
    expect(answer.body.id).toBe(demo.tokens.userGlobal.id);
    const [call] = await t.calls();
    expect(call?.faulted).toBe(false);
  });

  it("drops the connection so the client sees a network error, and logs it without a status", async () => {
    const t = await newTenant();
    await t.addFault({ path: "/tokens", drop: true });
    await expect(fetch(`${t.baseUrl}/tokens`, { headers: { "Fastly-Key": key } })).rejects.toThrow();
    expect((await fastly(t.baseUrl, "/tokens", { key })).status).toBe(200);
    const [dropped] = await t.calls();
    expect(dropped).toMatchObject({ path: "/tokens", status: null, faulted: true });
  });

  it("never fires with probability 0 and always with probability 1, up to count", async () => {
    const t = await newTenant();
    await t.addFault({ path: "/tokens/self", status: 500, probability: 0 });
    expect((await fastly(t.baseUrl, "/tokens/self", { key })).status).toBe(200);
    await t.clearFaults();
    await t.addFault({ path: "/tokens/self", status: 500, probability: 1, count: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await fastly(t.baseUrl, "/tokens/self", { key })).status);
    expect(statuses).toEqual([500, 500, 200]);
  });

  it("keeps a probability rule without count until cleared", async () => {
    const t = await newTenant();
    await t.addFault({ path: "/tokens", status: 503, probability: 1 });
    for (let i = 0; i < 4; i++) expect((await fastly(t.baseUrl, "/tokens", { key })).status).toBe(503);
    await t.clearFaults();
    expect((await fastly(t.baseUrl, "/tokens", { key })).status).toBe(200);
  });

  it("rejects a rule that would do nothing, or has unknown fields", async () => {
    const t = await newTenant();
    await expect(t.addFault({ path: "/tokens" })).rejects.toThrow(/400/);
    await expect(t.addFault({ path: "/tokens", status: 500, colour: "red" } as never)).rejects.toThrow(/400/);
  });
});
