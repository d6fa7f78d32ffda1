import { serve } from "@hono/node-server";
import type { EmulatorOptions } from "./app";
import { createEmulatorServer } from "./server";

export interface StartEmulatorOptions extends EmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: "127.0.0.1";
}

export interface RunningEmulator {
  /** e.g. "http://127.0.0.1:45123" — the default tenant; POST `${url}/__emulator/tenants` for isolated ones. */
  url: string;
  close(): Promise<void>;
}

/** Serves the multi-tenant emulator on a loopback port with @hono/node-server (which also makes "drop" faults real). */
export function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const { port = 0, host = "127.0.0.1", ...emulatorOptions } = options;
  const { app } = createEmulatorServer(emulatorOptions);
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname: host }, (info) => {
      resolve({
        url: `http://${host}:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Keep-alive sockets from test clients would otherwise hold close() open.
            if ("closeAllConnections" in server) server.closeAllConnections();
          }),
      });
    });
    server.once("error", reject);
  });
}
