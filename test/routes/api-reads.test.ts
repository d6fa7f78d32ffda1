import { describe, expect, it } from "vitest";
import { API_KEY_VALUES, callWorker, demo, newTenant, testEnv } from "../helpers";

const acme = demo.customers.acme.id;

describe("Fastly-compatible API: reads", () => {
  it("answers GET /tokens/self for a passthrough token and caches it per caller", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    const key = demo.tokens.engineerGlobal.access_token;
    const first = await callWorker(env, "/tokens/self", { headers: { "Fastly-Key": key } });
    expect(first.status).toBe(200);
    expect(first.headers.get("X-Cache")).toBe("MISS");
    const body = (await first.json()) as { id: string; user_id: string };
    expect(body.id).toBe(demo.tokens.engineerGlobal.id);
    const second = await callWorker(env, "/tokens/self", { headers: { "Fastly-Key": key } });
    expect(second.headers.get("X-Cache")).toBe("HIT");
    expect(((await second.json()) as { id: string }).id).toBe(body.id);
    const calls = (await t.calls()).filter((c) => c.path === "/tokens/self");
    expect(calls).toHaveLength(1);
  });

  it("never answers one caller from another caller's cached view", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    await callWorker(env, "/tokens/self", { headers: { "Fastly-Key": demo.tokens.engineerGlobal.access_token } });
    const other = await callWorker(env, "/tokens/self", { headers: { "Fastly-Key": demo.tokens.userGlobal.access_token } });
    expect(other.headers.get("X-Cache")).toBe("MISS");
    expect(((await other.json()) as { id: string }).id).toBe(demo.tokens.userGlobal.id);
  });

  it("serves get by id, list for user and list for customer through the cache", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    const headers = { "Fastly-Key": API_KEY_VALUES.reader };
    for (const path of [`/tokens/${demo.tokens.userGlobal.id}`, "/tokens", `/customer/${acme}/tokens`]) {
      const miss = await callWorker(env, path, { headers });
      expect(miss.status, path).toBe(200);
      expect(miss.headers.get("X-Cache"), path).toBe("MISS");
      const hit = await callWorker(env, path, { headers });
      expect(hit.headers.get("X-Cache"), path).toBe("HIT");
      expect(await hit.json()).toEqual(await miss.json());
    }
    const upstream = (await t.calls()).filter((c) => c.method === "GET");
    // The user list learns its customer (for the list's generation) from the caller's own token, itself cached.
    expect(upstream.map((c) => c.path)).toEqual([`/tokens/${demo.tokens.userGlobal.id}`, "/tokens/self", "/tokens", `/customer/${acme}/tokens`]);
  });

  it("passes Fastly's own errors through with Fastly's shape", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    const r = await callWorker(env, "/tokens/self", { headers: { "Fastly-Key": demo.tokens.userExpired.access_token } });
    expect(r.status).toBe(401);
    expect(await r.json()).toEqual({ msg: "Provided credentials are missing or invalid" });
  });

  it("answers 502 with a JSON error when Fastly cannot be reached", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    await t.addFault({ path: "/tokens/self", drop: true, count: 5 });
    const r = await callWorker(env, "/tokens/self", { headers: { "Fastly-Key": demo.tokens.userGlobal.access_token } });
    expect(r.status).toBe(502);
    expect(((await r.json()) as { msg: string }).msg).toBe("Fastly API unreachable");
  });
});
