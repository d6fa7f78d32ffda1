import { describe, expect, it } from "vitest";
import { DEFAULT_USER_AGENT, FastlyClient } from "../../src/fastly";
import { recorder } from "./recorder";

const KEY = "encodingTestKey_0123456789abcdefgh";
const BASE = "http://127.0.0.1:9/_t/abc";

function setup(reply?: () => Response) {
  const rec = recorder(reply);
  const client = new FastlyClient({ apiKey: KEY, baseUrl: BASE, fetch: rec.fetch });
  return { rec, client };
}

const noContent = () => new Response(null, { status: 204 });

describe("request encoding", () => {
  it("keeps the base URL's path prefix and sends the key, Accept and User-Agent", async () => {
    const { rec, client } = setup();
    await client.getTokenCurrent();
    const req = rec.requests[0]!;
    expect(req.method).toBe("GET");
    expect(req.url).toBe(`${BASE}/tokens/self`);
    expect(req.headers.get("Fastly-Key")).toBe(KEY);
    expect(req.headers.get("Accept")).toBe("application/json");
    expect(req.headers.get("User-Agent")).toBe(DEFAULT_USER_AGENT);
  });

  it("tolerates a trailing slash on the base URL", async () => {
    const rec = recorder();
    const client = new FastlyClient({ apiKey: KEY, baseUrl: `${BASE}/`, fetch: rec.fetch });
    await client.listTokensUser().catch(() => undefined);
    expect(rec.requests[0]!.url).toBe(`${BASE}/tokens`);
  });

  it("URL-encodes path parameters", async () => {
    const { rec, client } = setup();
    await client.getToken({ token_id: "a?b#c%d" });
    await client.listTokensCustomer({ customer_id: "cust&1" }).catch(() => undefined);
    expect(rec.requests[0]!.url).toBe(`${BASE}/tokens/a%3Fb%23c%25d`);
    expect(rec.requests[1]!.url).toBe(`${BASE}/customer/cust%261/tokens`);
  });

  it("uses a per-call key and withKey without changing the client's own key", async () => {
    const { rec, client } = setup();
    await client.getTokenCurrent({ apiKey: "perCallKey" });
    await client.withKey("otherKey").getTokenCurrent();
    await client.getTokenCurrent();
    expect(rec.requests.map((r) => r.headers.get("Fastly-Key"))).toEqual(["perCallKey", "otherKey", KEY]);
  });

  it("sends a custom User-Agent", async () => {
    const rec = recorder();
    const client = new FastlyClient({ apiKey: KEY, baseUrl: BASE, fetch: rec.fetch, userAgent: "my-bot/1.0" });
    await client.getTokenCurrent();
    expect(rec.requests[0]!.headers.get("User-Agent")).toBe("my-bot/1.0");
  });

  it("encodes createToken with credentials as a form, with no Fastly-Key and the OTP header", async () => {
    const { rec, client } = setup();
    await client.createToken({
      username: "ops@example.com",
      password: "p@ss word&=",
      otp: "123456",
      name: "ci token",
      scope: ["global:read", "purge_select"],
      services: ["svcA", "svcB"],
      expires_at: new Date("2026-01-02T03:04:05.678Z"),
    });
    const req = rec.requests[0]!;
    expect(req.method).toBe("POST");
    expect(req.url).toBe(`${BASE}/tokens`);
    expect(req.headers.get("Fastly-Key")).toBeNull();
    expect(req.headers.get("Authorization")).toBeNull();
    expect(req.headers.get("Fastly-OTP")).toBe("123456");
    expect(req.headers.get("Content-Type")).toBe("application/x-www-form-urlencoded");
    const form = new URLSearchParams(rec.bodies[0]);
    expect(form.get("username")).toBe("ops@example.com");
    expect(form.get("password")).toBe("p@ss word&=");
    expect(form.get("name")).toBe("ci token");
    expect(form.get("scope")).toBe("global:read purge_select");
    expect(form.getAll("services[]")).toEqual(["svcA", "svcB"]);
    expect(form.get("expires_at")).toBe("2026-01-02T03:04:05Z");
    expect(rec.bodies[0]).toContain("services%5B%5D=svcA&services%5B%5D=svcB");
  });

  it("encodes createToken with the client's key when no credentials are given, omitting absent fields", async () => {
    const { rec, client } = setup();
    await client.createToken({ name: "rotated", scope: "global", expires_at: "2026-07-28T19:24:50+00:00" });
    const req = rec.requests[0]!;
    expect(req.headers.get("Fastly-Key")).toBe(KEY);
    expect(req.headers.get("Fastly-OTP")).toBeNull();
    const form = new URLSearchParams(rec.bodies[0]);
    expect([...form.keys()]).toEqual(["name", "scope", "expires_at"]);
    expect(form.get("expires_at")).toBe("2026-07-28T19:24:50+00:00");
  });

  it("encodes bulk revocation as a JSON:API bulk document, building it from token_ids", async () => {
    const { rec, client } = setup(noContent);
    await client.bulkRevokeTokens({ token_ids: ["id1", "id2"] });
    const req = rec.requests[0]!;
    expect(req.method).toBe("DELETE");
    expect(req.url).toBe(`${BASE}/tokens`);
    expect(req.headers.get("Content-Type")).toBe("application/vnd.api+json; ext=bulk");
    expect(req.headers.get("Accept")).toBe("application/vnd.api+json; ext=bulk");
    expect(JSON.parse(rec.bodies[0]!)).toEqual({
      data: [
        { id: "id1", type: "token" },
        { id: "id2", type: "token" },
      ],
    });
  });

  it("sends a given bulk request_body as is", async () => {
    const { rec, client } = setup(noContent);
    const request_body = { data: [{ id: "id9", type: "token" as const }] };
    await client.bulkRevokeTokens({ request_body });
    expect(JSON.parse(rec.bodies[0]!)).toEqual(request_body);
  });

  it("encodes sudo as form fields with the client's key", async () => {
    const { rec, client } = setup(() => Response.json({ expiry_time: "2026-01-02T03:09:05+00:00" }));
    const result = await client.sudo({ password: "hunter2", username: "ops@example.com" });
    expect(result.expiry_time).toBe("2026-01-02T03:09:05+00:00");
    const req = rec.requests[0]!;
    expect(req.url).toBe(`${BASE}/sudo`);
    expect(req.headers.get("Fastly-Key")).toBe(KEY);
    expect(req.headers.get("Content-Type")).toBe("application/x-www-form-urlencoded");
    expect(Object.fromEntries(new URLSearchParams(rec.bodies[0]))).toEqual({
      username: "ops@example.com",
      password: "hunter2",
    });
  });

  it("revokes by id and self with DELETE and no body", async () => {
    const { rec, client } = setup(noContent);
    await client.revokeToken({ token_id: "abc" });
    await client.revokeTokenCurrent();
    expect(rec.requests.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual([
      "DELETE /_t/abc/tokens/abc",
      "DELETE /_t/abc/tokens/self",
    ]);
    expect(rec.bodies).toEqual(["", ""]);
  });

  it("calls an unbound platform fetch as a plain function", async () => {
    const seen: unknown[] = [];
    const client = new FastlyClient({
      apiKey: KEY,
      baseUrl: BASE,
      fetch: function (this: unknown) {
        seen.push(this);
        return Promise.resolve(Response.json({ id: "x" }));
      } as unknown as typeof fetch,
    });
    await client.getTokenCurrent();
    expect(seen).toEqual([undefined]);
  });
});
