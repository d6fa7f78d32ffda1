// /openapi.json and the dashboard's stylesheet are Workers static assets (wrangler.toml [assets], folder public/),
// which the Worker answers from its ASSETS binding. The pool's `exports.default.fetch` is the Worker's own fetch
// handler, not the platform's asset router: test/node/static-assets.test.ts covers the router, as deployed.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import committed from "../../public/openapi.json";
import { callWorker, newTenant, testEnv } from "../helpers";

const worker = (exports as unknown as { default: Fetcher }).default;
const get = (path: string, init: RequestInit = {}) => worker.fetch(`https://worker.test${path}`, init);

describe("static assets", () => {
  it("serves /openapi.json as the committed generated file, uncached like every other answer of the Worker", async () => {
    const res = await get("/openapi.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/json");
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(await res.json()).toEqual(committed);
  });

  it("serves the dashboard stylesheet with the dashboard's security headers and an hour's caching", async () => {
    const res = await get("/dashboard/assets/dashboard.css");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/css; charset=utf-8");
    expect(res.headers.get("Cache-Control")).toBe("public, max-age=3600");
    expect(res.headers.get("Content-Security-Policy")).toContain("default-src 'none'");
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("X-Frame-Options")).toBe("DENY");
    expect(await res.text()).toContain("meter{");
  });

  it("answers a HEAD with the headers and no body, and a repeat carrying the ETag with 304", async () => {
    const head = await get("/dashboard/assets/dashboard.css", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("Content-Type")).toBe("text/css; charset=utf-8");
    expect(await head.text()).toBe("");
    const etag = head.headers.get("ETag");
    expect(etag).toMatch(/^"[0-9a-f]+"$/);
    const again = await get("/dashboard/assets/dashboard.css", { headers: { "If-None-Match": etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
  });

  it("answers other methods on an asset's path with the Worker's JSON 404, not the asset", async () => {
    const res = await get("/openapi.json", { method: "POST", body: "{}" });
    expect(res.status).toBe(404);
    expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(await res.json()).toMatchObject({ msg: "Record not found" });
  });

  it("answers a clear 503 naming [assets] when the env has no ASSETS binding, for both assets", async () => {
    const { ASSETS: _, ...bare } = await testEnv(await newTenant());
    for (const path of ["/openapi.json", "/dashboard/assets/dashboard.css"]) {
      const res = await callWorker(bare as Env, path);
      expect(res.status, path).toBe(503);
    }
    const res = await callWorker(bare as Env, "/openapi.json");
    expect(await res.json()).toEqual({ msg: "Static assets is not configured", detail: "set [assets] in wrangler.toml to enable it", code: "not_configured" });
  });
});
