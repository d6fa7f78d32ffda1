import { describe, expect, it } from "vitest";
import { fastlyRoutes } from "../../emulator/fastly-routes";
import { api } from "../../src/routes/api";
import { callWorker, newTenant, testEnv } from "../helpers";

// The 405 table is derived from the api sub-app's own routes (src/app.ts, hono's methodNotAllowed). These tests hold
// it to the emulator's table of api.fastly.com: every method/path pair the emulator knows answers as it does.

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** The emulator's Fastly paths and the methods each serves (its `all` routes are its 405 answers). */
function emulatorTable(): Map<string, Set<string>> {
  const table = new Map<string, Set<string>>();
  for (const route of fastlyRoutes(null as never).routes) {
    const methods = table.get(route.path) ?? new Set<string>();
    if (route.method !== "ALL") methods.add(route.method);
    table.set(route.path, methods);
  }
  return table;
}

function workerTable(): Map<string, Set<string>> {
  const table = new Map<string, Set<string>>();
  for (const route of api.routes) {
    if (route.method === "ALL") continue;
    table.set(route.path, (table.get(route.path) ?? new Set<string>()).add(route.method));
  }
  return table;
}

const concrete = (path: string) => path.replace(":token_id", "abc123DEF").replace(":customer_id", "cust1").replace(":user_id", "user1");

describe("405 on the Fastly-compatible API, from the api sub-app's own routes", () => {
  it("serves the same methods as the emulator on every Fastly path the Worker serves", () => {
    const worker = workerTable();
    const emulator = emulatorTable();
    const shared = [...emulator.keys()].filter((path) => worker.has(path));
    expect(shared.sort()).toEqual(["/customer/:customer_id/tokens", "/sudo", "/tokens", "/tokens/:token_id", "/tokens/self"]);
    for (const path of shared) expect([...worker.get(path)!].sort(), path).toEqual([...emulator.get(path)!].sort());
  });

  it("answers every wrong method/path pair the emulator knows with the emulator's 405, Allow and body, before authentication", async () => {
    // Two tenants: the one called directly records those calls; the one behind the Worker must record none.
    const [t, behind] = await Promise.all([newTenant(), newTenant()]);
    const env = await testEnv(behind);
    const served = workerTable();
    let checked = 0;
    for (const [pattern, methods] of emulatorTable()) {
      for (const method of METHODS) {
        if (methods.has(method)) continue;
        const path = concrete(pattern);
        const direct = await fetch(`${t.baseUrl}${path}`, { method });
        expect(direct.status, `emulator ${method} ${path}`).toBe(405);
        const viaWorker = await callWorker(env, path, { method });
        if (!served.has(pattern)) {
          // /current_user and /user/{id} are Fastly paths the Worker does not serve: an unknown route there.
          expect(viaWorker.status, `${method} ${path}`).toBe(404);
          await Promise.all([direct.body?.cancel(), viaWorker.body?.cancel()]);
          continue;
        }
        expect(viaWorker.status, `${method} ${path}`).toBe(405);
        expect(viaWorker.headers.get("Allow"), `${method} ${path}`).toBe(direct.headers.get("Allow"));
        expect(await viaWorker.json(), `${method} ${path}`).toEqual(await direct.json());
        checked++;
      }
    }
    // Nothing was authenticated, so nothing reached Fastly through the Worker.
    expect(await behind.calls()).toEqual([]);
    expect(checked).toBe(21);
  });

  it("answers a path with a trailing slash 404, not 405, whatever the method", async () => {
    const env = await testEnv(await newTenant());
    for (const path of ["/tokens/", "/sudo/", "/customer/cust1/tokens/"]) {
      for (const method of ["PUT", "GET"]) {
        const r = await callWorker(env, path, { method });
        expect(r.status, `${method} ${path}`).toBe(404);
        expect(await r.json()).toEqual({ msg: "Record not found", detail: "no such route" });
      }
    }
  });
});
