// The static assets as deployed: wrangler's local server puts the platform's asset router in front of the Worker,
// which the vitest pool's `exports.default.fetch` skips. With `run_worker_first = true` the Worker still answers
// both paths (from its ASSETS binding), so they keep its headers; were the router to answer them itself, they would not.
// @ts-expect-error the project's tsconfig carries Workers types only; this test runs in the Node project
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalWorker, startLocalWorker } from "./support/local-worker";

let worker: LocalWorker;

beforeAll(async () => {
  worker = await startLocalWorker({});
}, 60_000);

afterAll(async () => {
  await worker?.stop();
});

describe("static assets behind wrangler's asset router", () => {
  it("serves /openapi.json byte for byte from public/, with the Worker's no-store", async () => {
    const res = await fetch(`${worker.url}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/json");
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(await res.text()).toBe(readFileSync("public/openapi.json", "utf8"));
  });

  it("serves the dashboard stylesheet with the dashboard's Content-Security-Policy and an hour's caching", async () => {
    const res = await fetch(`${worker.url}/dashboard/assets/dashboard.css`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/css; charset=utf-8");
    expect(res.headers.get("Cache-Control")).toBe("public, max-age=3600");
    expect(res.headers.get("Content-Security-Policy")).toContain("style-src 'self'");
    expect(res.headers.get("X-Frame-Options")).toBe("DENY");
    expect(await res.text()).toBe(readFileSync("public/dashboard/assets/dashboard.css", "utf8"));
  });
});
