import { describe, expect, expectTypeOf, it } from "vitest";
import type { ChatPolicy } from "../../src/config/chat";
import { type Config, loadConfig, type StalePolicyMode } from "../../src/config";
import type { ApiConfig } from "../../src/config/api";
import type { ChatConfig } from "../../src/config/chat";
import type { Env } from "../../src/env";

// `Config` is inferred from the section schemas, not written by hand: tsc checks these (the test file is in the
// project), and the run checks that the value has the shape the type promises.

describe("the inferred configuration type", () => {
  it("is the composition of the section schemas' outputs", () => {
    expectTypeOf<Config["fastly"]>().toEqualTypeOf<ApiConfig["fastly"]>();
    expectTypeOf<Config["chatPolicy"]>().toEqualTypeOf<ChatConfig["chatPolicy"]>();
    expectTypeOf<Config["chatPolicy"]["slack"]>().toExtend<ChatPolicy>();
    expectTypeOf<Config["hygiene"]["stale"]["mode"]>().toEqualTypeOf<StalePolicyMode>();
    expectTypeOf<Config["dashboard"]["sessionTtlSeconds"]>().toEqualTypeOf<number>();
    expectTypeOf<Config["maxBodyBytes"]>().toEqualTypeOf<number>();
  });

  it("holds what the schemas produce from an empty environment", () => {
    const config = loadConfig({} as Env);
    expect(config.maxBodyBytes).toBe(64 * 1024);
    expect(config.chatPolicy).toEqual({ slack: { read: {}, revoke: {} }, discord: { read: {}, revoke: {} }, mattermost: { read: {}, revoke: {} } });
    expect(config.hygiene.stale.mode).toBe("off");
    expect(config.dashboard.sessionTtlSeconds).toBe(3600);
  });

  it("takes the dashboard's session secret from SEAL_SECRET, parsed once, when DASHBOARD_SESSION_SECRET is unset", () => {
    const seal = "a-seal-secret-of-enough-length";
    expect(loadConfig({ SEAL_SECRET: seal } as Env).dashboard.sessionSecret).toBe(seal);
    expect(loadConfig({ SEAL_SECRET: seal, DASHBOARD_SESSION_SECRET: "d".repeat(32) } as Env).dashboard.sessionSecret).toBe("d".repeat(32));
  });
});
