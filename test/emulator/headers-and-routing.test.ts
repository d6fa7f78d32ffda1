import { describe, expect, it } from "vitest";
import { demo, newTenant } from "../helpers";
import { fastly } from "./fastly-call";

const key = demo.tokens.superuserGlobal.access_token;

describe("common response headers", () => {
  it("sends the recorded api.fastly.com headers on a 200", async () => {
    const t = await newTenant();
    const { headers } = await fastly(t.baseUrl, "/tokens/self", { key });
    expect(headers.get("content-type")).toBe("application/json");
    expect(headers.get("cache-control")).toBe("no-store");
    expect(headers.get("status")).toBe("200 OK");
    expect(headers.get("strict-transport-security")).toBe("max-age=31536000");
    expect(headers.get("vary")).toBe("Accept-Encoding");
    expect(headers.get("x-served-by")).toMatch(/^cache-/);
    expect(headers.get("x-timer")).toMatch(/^S\d+\.\d+,VS0,VE\d+$/);
  });

  it("sends them on errors, with the error's own Status", async () => {
    const t = await newTenant();
    const { headers } = await fastly(t.baseUrl, "/tokens/self");
    expect(headers.get("status")).toBe("401 Unauthorized");
    expect(headers.get("content-type")).toBe("application/json");
    expect(headers.get("cache-control")).toBe("no-store");
  });
});

describe("routing", () => {
  it("routes /tokens/self before /tokens/{token_id}", async () => {
    const t = await newTenant();
    const answer = await fastly<{ id: string }>(t.baseUrl, "/tokens/self", { key });
    expect(answer.body.id).toBe(demo.tokens.superuserGlobal.id);
  });

  it("answers an unknown route with 404 Record not found as JSON", async () => {
    const t = await newTenant();
    const answer = await fastly(t.baseUrl, "/service/abc/version", { key });
    expect(answer.status).toBe(404);
    expect(answer.headers.get("content-type")).toBe("application/json");
    expect(answer.body).toMatchObject({ msg: "Record not found", detail: expect.any(String) });
  });

  it("answers a wrong method with a JSON 405 and an Allow header", async () => {
    const t = await newTenant();
    const answer = await fastly(t.baseUrl, "/tokens/self", { method: "PUT", key });
    expect(answer.status).toBe(405);
    expect(answer.headers.get("allow")).toBe("GET, DELETE");
    expect(answer.body).toMatchObject({ msg: "Method not allowed", detail: expect.any(String) });
  });

  it("answers a malformed JSON create body with 400 in the msg/detail shape", async () => {
    const t = await newTenant();
    const answer = await fastly(t.baseUrl, "/tokens", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "[1, 2",
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ msg: "Bad request", detail: expect.any(String) });
  });

  it("serves HEAD like GET without a body", async () => {
    const t = await newTenant();
    const response = await fetch(`${t.baseUrl}/tokens/self`, { method: "HEAD", headers: { "Fastly-Key": key } });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
    expect(response.headers.get("fastly-ratelimit-remaining")).toBeNull();
  });
});
