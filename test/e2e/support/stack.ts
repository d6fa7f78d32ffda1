import { sha256Hex } from "../../../src/crypto/hash";
import { demo } from "../../../emulator/seed";
import { type RunningEmulator, startEmulator } from "../../../emulator/node";
import { startLocalWorker } from "../../node/support/local-worker";

/** Demo API keys for the browser: an admin (read, revoke) and a reader. Values only work against this stack. */
export const E2E_KEYS = {
  admin: "ftw_e2e_admin_6b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a",
  reader: "ftw_e2e_reader_8d0f2b4a6c8e0d2f4b6a8c0e2d4f6b8a",
} as const;

export interface Stack {
  emulator: RunningEmulator;
  /** The tenant the Worker talks to. */
  fastlyBaseUrl: string;
  /** The Worker, e.g. "http://127.0.0.1:41234". */
  workerUrl: string;
  /** Where the Worker posts its Slack digest; `received()` reads what arrived. */
  slackSink: { url: string; received(): Promise<{ method: string; body: string }[]> };
  tokens(): Promise<{ id: string; name: string; revoked: boolean }[]>;
  stop(): Promise<void>;
}

/**
 * The emulator on a loopback port with a fresh tenant, and the real Worker (wrangler.toml, src/index.ts) under
 * workerd in front of it, as `wrangler dev --test-scheduled` runs it: `/__scheduled` fires the cron handler.
 */
export async function startStack(extraVars: Record<string, string> = {}): Promise<Stack> {
  const emulator = await startEmulator({ port: 0 });
  try {
    const tenant = (await (await fetch(`${emulator.url}/__emulator/tenants`, { method: "POST" })).json()) as { baseUrl: string };
    const sinkName = `e2e-slack-${crypto.randomUUID()}`;
    const apiKeys = [
      { name: "demo-admin", sha256: await sha256Hex(E2E_KEYS.admin), scopes: ["read", "revoke"] },
      { name: "demo-reader", sha256: await sha256Hex(E2E_KEYS.reader), scopes: ["read"] },
    ];
    const vars: Record<string, string> = {
      FASTLY_API_BASE_URL: tenant.baseUrl,
      FASTLY_API_TOKEN: demo.tokens.superuserGlobal.access_token,
      API_KEYS: JSON.stringify(apiKeys),
      DASHBOARD_SESSION_SECRET: "e2e-dashboard-session-secret-0123456789abcdef",
      NOTIFY_SLACK_WEBHOOK_URL: `${emulator.url}/__sinks/${sinkName}`,
      ...extraVars,
    };
    const worker = await startLocalWorker(vars, { testScheduled: true });
    return {
      emulator,
      fastlyBaseUrl: tenant.baseUrl,
      workerUrl: worker.url,
      slackSink: {
        url: vars.NOTIFY_SLACK_WEBHOOK_URL!,
        received: async () => (await (await fetch(`${emulator.url}/__emulator/sinks/${sinkName}`)).json()) as never,
      },
      tokens: async () => (await (await fetch(`${tenant.baseUrl}/__emulator/tokens`)).json()) as never,
      stop: async () => {
        await worker.stop();
        await emulator.close();
      },
    };
  } catch (err) {
    await emulator.close();
    throw err;
  }
}
