import { defineConfig } from "vitest/config";

/**
 * Browser tests: Debian's Chromium driven by playwright-core against the Worker (wrangler, workerd) and the Fastly
 * emulator, both on loopback ports. Node environment; one file at a time, since each starts its own stack.
 * Run with `npx vitest run -c vitest.e2e.config.ts`; screenshots land in test-artifacts/.
 */
export default defineConfig({
  test: {
    name: "e2e",
    environment: "node",
    include: ["test/e2e/**/*.e2e.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
