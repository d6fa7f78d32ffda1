import { describe, expect, it } from "vitest";
import { FastlyApiError, FastlyArgumentError, UserResponseSchema } from "../../src/fastly";
import { demo, newTenant } from "../helpers";
import { clientFor, rejection } from "./emulator-client";

const carol = demo.users.acmeUser;

describe("user reads", () => {
  it("reads a token's owner by user id with another key of the account", async () => {
    const t = await newTenant();
    const { client } = clientFor(t, demo.tokens.superuserGlobal.access_token);
    const owner = await client.getUser({ user_id: demo.tokens.userGlobal.user_id });
    expect(owner).toMatchObject({ id: carol.id, login: carol.login, name: carol.name, role: "user", two_factor_auth_enabled: false });
    expect(UserResponseSchema.safeParse(owner).success).toBe(true);
    expect((await t.calls()).map((c) => `${c.method} ${c.path}`)).toEqual([`GET /user/${carol.id}`]);
  });

  it("reads the key's own user, for a purge-only key too", async () => {
    const t = await newTenant();
    const { client } = clientFor(t, demo.tokens.globexUserPurgeSelect.access_token);
    expect(await client.getCurrentUser()).toMatchObject({ id: demo.users.globexUser.id, login: demo.users.globexUser.login });
  });

  it("throws a redacted 404 FastlyApiError for another account's user", async () => {
    const t = await newTenant();
    const key = demo.tokens.superuserGlobal.access_token;
    const { client } = clientFor(t, key);
    const err = await rejection(client.getUser({ user_id: demo.users.globexUser.id }));
    expect(err).toBeInstanceOf(FastlyApiError);
    expect(err).toMatchObject({ status: 404, msg: "Record not found", operation: "getUser", retryable: false });
    expect(JSON.stringify(err)).not.toContain(key);
  });

  it("refuses a user id that is not a path segment before any request", async () => {
    const t = await newTenant();
    const { client } = clientFor(t, demo.tokens.superuserGlobal.access_token);
    for (const bad of ["", "../tokens", "a b", "x/y"]) {
      const err = await rejection(client.getUser({ user_id: bad }));
      expect(err).toBeInstanceOf(FastlyArgumentError);
      expect(err).toMatchObject({ argument: "user_id" });
    }
    expect(await t.calls()).toEqual([]);
  });
});
