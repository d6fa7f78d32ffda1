import { createEmulatorServer, type EmulatorServer } from "./server";

// Created on the first request: workerd forbids random values and crypto at module scope.
let server: EmulatorServer | undefined;

/** The emulator as a Worker, for `npm run emulator` (`wrangler dev -c emulator/wrangler.toml --port 8788`). */
export default {
  fetch(request, env, ctx) {
    server ??= createEmulatorServer();
    return server.app.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Record<string, unknown>>;
