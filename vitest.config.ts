import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import seed from "./emulator/seed.json" with { type: "json" };

/**
 * The base env of the Worker under test: everything points at the loopback emulator, so nothing a test (or a queue
 * message delivered to the real consumer) triggers can reach a real Fastly, GitHub, Slack or Discord host.
 * Tests that need isolation build their own env with `testEnv()` (test/helpers/env.ts).
 */
function baseBindings(emulatorUrl: string): Record<string, string> {
  return {
    EMULATOR_URL: emulatorUrl,
    FASTLY_API_BASE_URL: emulatorUrl,
    FASTLY_API_TOKEN: seed.tokens.superuserGlobal.access_token,
    SEAL_SECRET: "test-seal-secret-0123456789abcdef",
    GITHUB_API_BASE_URL: `${emulatorUrl}/github`,
    GITHUB_PARTNER_KEYS_URL: `${emulatorUrl}/github/meta/public_keys/secret_scanning`,
    DISCORD_API_BASE_URL: `${emulatorUrl}/__sinks/base-discord`,
    SLACK_RESPONSE_URL_PREFIX: `${emulatorUrl}/__sinks/`,
    NOTIFY_SLACK_WEBHOOK_URL: `${emulatorUrl}/__sinks/base-slack-notify`,
  };
}

/** The D1 schema, applied per test by test/helpers/d1.ts (each test gets its own tables). */
const migrations = await readD1Migrations("./migrations");

export default defineConfig({
  test: {
    globalSetup: ["./test/global-setup.ts"],
    projects: [
      {
        extends: true,
        plugins: [
          cloudflareTest(({ inject }) => ({
            main: "./src/index.ts",
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: { bindings: { ...baseBindings(inject("emulatorUrl")), TEST_MIGRATIONS: migrations } },
          })),
        ],
        test: { name: "workers", include: ["test/**/*.test.ts"], exclude: ["test/node/**"], setupFiles: ["./test/apply-migrations.ts"] },
      },
      {
        extends: true,
        test: { name: "node", environment: "node", include: ["test/node/**/*.test.ts"] },
      },
    ],
  },
});
