import { describe, expect, it } from "vitest";
import { demo, newTenant } from "../helpers";
import { fastly, type TokenBody } from "./fastly-call";

const key = demo.tokens.userGlobal.access_token;

describe("usage tracking", () => {
  it("records the reading request itself in last_used_at, ip and user_agent", async () => {
    const t = await newTenant();
    await t.setClock("2030-05-06T07:08:09.750Z");
    const answer = await fastly<TokenBody>(t.baseUrl, "/tokens/self", {
      key,
      // workerd strips CF-Connecting-IP from outgoing fetches; its precedence is covered in-process.
      headers: { "X-Forwarded-For": "203.0.113.99", "User-Agent": "usage-test/1.0" },
    });
    expect(answer.body.last_used_at).toBe("2030-05-06T07:08:09Z");
    expect(answer.body.ip).toBe("203.0.113.99");
    expect(answer.body.user_agent).toBe("usage-test/1.0");
  });

  it("sends a Date header equal to last_used_at, as the recordings show", async () => {
    const t = await newTenant();
    await t.setClock("2030-05-06T07:08:09Z");
    const answer = await fastly<TokenBody>(t.baseUrl, "/tokens/self", { key });
    expect(new Date(answer.headers.get("date") ?? "").toISOString()).toBe("2030-05-06T07:08:09.000Z");
    expect(answer.body.last_used_at).toBe("2030-05-06T07:08:09Z");
  });

  it("takes the first X-Forwarded-For hop when CF-Connecting-IP is absent", async () => {
    const t = await newTenant();
    const answer = await fastly<TokenBody>(t.baseUrl, "/tokens/self", {
      key,
      headers: { "X-Forwarded-For": "198.51.100.7, 10.0.0.1" },
    });
    expect(answer.body.ip).toBe("198.51.100.7");
  });

  it("falls back to 127.0.0.1 without any client address header", async () => {
    const t = await newTenant();
    const answer = await fastly<TokenBody>(t.baseUrl, "/tokens/self", { key });
    expect(answer.body.ip).toBe("127.0.0.1");
  });

  it("updates usage on every authenticated endpoint, as later reads show", async () => {
    const t = await newTenant();
    await t.setClock("2031-01-01T00:00:00Z");
    await fastly(t.baseUrl, "/tokens", { key, headers: { "User-Agent": "lister/2" } });
    const [entry] = (await t.tokens()).filter((token) => token.id === demo.tokens.userGlobal.id);
    expect(entry?.last_used_at).toBe("2031-01-01T00:00:00Z");
    expect(entry?.user_agent).toBe("lister/2");
  });

  it("shows a never-used token with null last_used_at, ip and user_agent", async () => {
    const t = await newTenant();
    const list = await fastly<TokenBody[]>(t.baseUrl, "/tokens", { key });
    const spare = list.body.find((token) => token.id === demo.tokens.userNeverUsed.id);
    expect(spare).toMatchObject({ last_used_at: null, ip: null, user_agent: null });
  });
});
