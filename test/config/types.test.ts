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

describe("a blank setting", () => {
  it("counts as unset for every shape: booleans and numbers take their default, secrets are absent", () => {
    for (const blank of ["", " ", "\t"]) {
      const config = loadConfig({ DRY_RUN: blank, ALLOW_PASSTHROUGH: blank, MAX_BODY_BYTES: blank, SLACK_SIGNING_SECRET: blank } as Env);
      expect(config.dryRun).toBe(false);
      expect(config.allowPassthrough).toBe(true);
      expect(config.maxBodyBytes).toBe(64 * 1024);
      expect(config.slack.signingSecret).toBeUndefined();
    }
  });

  it("is not a malformed value: a boolean that is neither blank nor true/false still fails", () => {
    expect(() => loadConfig({ DRY_RUN: "maybe" } as Env)).toThrow(/Setting DRY_RUN is invalid: expected "true" or "false"/);
  });
});
