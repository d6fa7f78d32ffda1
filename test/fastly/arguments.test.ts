import { describe, expect, it } from "vitest";
import { FastlyArgumentError, FastlyClient } from "../../src/fastly";
import { demo, newTenant } from "../helpers";
import { recorder } from "./recorder";

const KEY = "kEy_for_argument_tests_0123456789";

function setup() {
  const rec = recorder();
  const client = new FastlyClient({ apiKey: KEY, baseUrl: "http://127.0.0.1:9", fetch: rec.fetch });
  return { rec, client };
}

async function rejectsArgument(promise: Promise<unknown>, argument: string): Promise<FastlyArgumentError> {
  const err = await promise.then(
    () => {
      throw new Error("expected a FastlyArgumentError");
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FastlyArgumentError);
  expect((err as FastlyArgumentError).argument).toBe(argument);
  return err as FastlyArgumentError;
}

describe("argument validation", () => {
  it.each([
    ["an empty token id", ""],
    ["a blank token id", "   "],
    ["a token id with a slash", "abc/def"],
    ["a token id with whitespace", "abc def"],
    ["a token id with a newline", "abc\ndef"],
    ["a dot-dot token id", ".."],
    ["the reserved id self", "self"],
  ])("rejects %s before any request", async (_label, tokenId) => {
    const { rec, client } = setup();
    await rejectsArgument(client.getToken({ token_id: tokenId }), "token_id");
    await rejectsArgument(client.revokeToken({ token_id: tokenId }), "token_id");
    expect(rec.requests).toHaveLength(0);
  });

  it("rejects a missing token id given as undefined", async () => {
    const { rec, client } = setup();
    await rejectsArgument(client.getToken({} as { token_id: string }), "token_id");
    expect(rec.requests).toHaveLength(0);
  });

  it.each([["an empty customer id", ""], ["a customer id with a slash", "a/b"], ["a customer id with a tab", "a\tb"]])(
    "rejects %s before any request",
    async (_label, customerId) => {
      const { rec, client } = setup();
      await rejectsArgument(client.listTokensCustomer({ customer_id: customerId }), "customer_id");
      expect(rec.requests).toHaveLength(0);
    },
  );

  it("rejects an empty bulk list before any request", async () => {
    const { rec, client } = setup();
    await rejectsArgument(client.bulkRevokeTokens({ token_ids: [] }), "token_ids");
    await rejectsArgument(client.bulkRevokeTokens({ request_body: { data: [] } }), "request_body.data");
    expect(rec.requests).toHaveLength(0);
  });

  it("rejects an empty id inside a bulk list before any request", async () => {
    const { rec, client } = setup();
    await rejectsArgument(client.bulkRevokeTokens({ token_ids: ["ok1", ""] }), "token_ids");
    await rejectsArgument(
      client.bulkRevokeTokens({ request_body: { data: [{ id: " ", type: "token" }] } }),
      "request_body.data.id",
    );
    expect(rec.requests).toHaveLength(0);
  });

  it("rejects a bulk entry whose type is not token", async () => {
    const { rec, client } = setup();
    const body = { data: [{ id: "abc", type: "service" }] } as unknown as { data: { id: string; type: "token" }[] };
    await rejectsArgument(client.bulkRevokeTokens({ request_body: body }), "request_body.data");
    expect(rec.requests).toHaveLength(0);
  });

  it.each([
    ["a date without time", "2026-01-02"],
    ["a date-time without offset", "2026-01-02T03:04:05"],
    ["an impossible day", "2026-02-30T00:00:00Z"],
    ["an impossible hour", "2026-01-02T24:00:00Z"],
    ["free text", "next tuesday"],
  ])("rejects %s as expires_at before any request", async (_label, expiresAt) => {
    const { rec, client } = setup();
    await rejectsArgument(client.createToken({ name: "x", expires_at: expiresAt }), "expires_at");
    expect(rec.requests).toHaveLength(0);
  });

  it("rejects an invalid Date as expires_at", async () => {
    const { rec, client } = setup();
    await rejectsArgument(client.createToken({ expires_at: new Date("nope") }), "expires_at");
    expect(rec.requests).toHaveLength(0);
  });

  it("rejects an unknown scope word, as a string or in a list", async () => {
    const { rec, client } = setup();
    await rejectsArgument(client.createToken({ scope: "global purge_everything" }), "scope");
    await rejectsArgument(client.createToken({ scope: ["global", "admin"] as never }), "scope");
    await rejectsArgument(client.createToken({ scope: "  " }), "scope");
    expect(rec.requests).toHaveLength(0);
  });

  it("rejects services that are not an array of non-empty strings", async () => {
    const { rec, client } = setup();
    await rejectsArgument(client.createToken({ services: "svc1" as never }), "services");
    await rejectsArgument(client.createToken({ services: ["svc1", ""] }), "services");
    await rejectsArgument(client.createToken({ services: [42] as never }), "services");
    expect(rec.requests).toHaveLength(0);
  });

  it("rejects createToken with neither username and password nor a key", async () => {
    const rec = recorder();
    const client = new FastlyClient({ baseUrl: "http://127.0.0.1:9", fetch: rec.fetch });
    await rejectsArgument(client.createToken({ name: "x" }), "credentials");
    expect(rec.requests).toHaveLength(0);
  });

  it("rejects a username without a password, and a password without a username", async () => {
    const { rec, client } = setup();
    await rejectsArgument(client.createToken({ username: "a@example.com" }), "password");
    await rejectsArgument(client.createToken({ password: "pw" }), "username");
    expect(rec.requests).toHaveLength(0);
  });

  it("rejects an OTP that could not travel in a header", async () => {
    const { rec, client } = setup();
    await rejectsArgument(client.createToken({ username: "u", password: "p", otp: "12\r\n34" }), "otp");
    expect(rec.requests).toHaveLength(0);
  });

  it("rejects operations that need a key when the client has none", async () => {
    const rec = recorder();
    const client = new FastlyClient({ baseUrl: "http://127.0.0.1:9", fetch: rec.fetch });
    await rejectsArgument(client.getTokenCurrent(), "apiKey");
    await rejectsArgument(client.revokeTokenCurrent(), "apiKey");
    await rejectsArgument(client.sudo({ password: "pw" }), "apiKey");
    expect(rec.requests).toHaveLength(0);
  });

  it("rejects a sudo call without a password", async () => {
    const { rec, client } = setup();
    await rejectsArgument(client.sudo({ password: "" }), "password");
    expect(rec.requests).toHaveLength(0);
  });

  it("refuses a key with a line break without repeating it in the message", async () => {
    const secret = "sneaky-key-value\r\nX-Evil: 1";
    expect(() => new FastlyClient({ apiKey: secret })).toThrow(FastlyArgumentError);
    const { client, rec } = setup();
    expect(() => client.withKey(secret)).toThrow(FastlyArgumentError);
    const err = await rejectsArgument(client.getTokenCurrent({ apiKey: secret }), "apiKey");
    expect(`${err.message} ${err.stack} ${JSON.stringify(err)}`).not.toContain("sneaky-key-value");
    expect(rec.requests).toHaveLength(0);
  });

  it("refuses bad construction options, naming each", () => {
    expect(() => new FastlyClient({ baseUrl: "not a url" })).toThrow(expect.objectContaining({ argument: "baseUrl" }));
    expect(() => new FastlyClient({ baseUrl: "ftp://example.com" })).toThrow(
      expect.objectContaining({ argument: "baseUrl" }),
    );
    expect(() => new FastlyClient({ timeoutMs: 0 })).toThrow(expect.objectContaining({ argument: "timeoutMs" }));
    expect(() => new FastlyClient({ retries: -1 })).toThrow(expect.objectContaining({ argument: "retries" }));
    expect(() => new FastlyClient({ retries: 1.5 })).toThrow(expect.objectContaining({ argument: "retries" }));
  });

  it("sends nothing to Fastly for any invalid call", async () => {
    const t = await newTenant();
    const client = new FastlyClient({ apiKey: demo.tokens.superuserGlobal.access_token, baseUrl: t.baseUrl });
    const attempts: Promise<unknown>[] = [
      client.getToken({ token_id: "" }),
      client.revokeToken({ token_id: "a b" }),
      client.listTokensCustomer({ customer_id: "../x" }),
      client.bulkRevokeTokens({ token_ids: [] }),
      client.createToken({ scope: "superpowers" }),
      client.createToken({ expires_at: "tomorrow" }),
      client.createToken({ services: [""] }),
      client.sudo({ password: "" }),
    ];
    for (const attempt of attempts) await expect(attempt).rejects.toBeInstanceOf(FastlyArgumentError);
    expect(await t.calls()).toEqual([]);
  });
});
