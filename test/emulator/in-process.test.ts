import { describe, expect, it } from "vitest";
import { createFastlyEmulator } from "../../emulator/app";
import { DroppedConnection } from "../../emulator/errors";
import { demo } from "../helpers";

// The emulator app also runs in-process (app.request), which is how it behaves inside a Worker.
describe("the emulator app in-process", () => {
  it("prefers CF-Connecting-IP over X-Forwarded-For for the recorded ip", async () => {
    const { app } = createFastlyEmulator();
    const response = await app.request("/tokens/self", {
      headers: {
        "Fastly-Key": demo.tokens.userGlobal.access_token,
        "CF-Connecting-IP": "203.0.113.5",
        "X-Forwarded-For": "198.51.100.1",
      },
    });
    expect(((await response.json()) as { ip: string }).ip).toBe("203.0.113.5");
  });

  it("fails the request with DroppedConnection for a drop fault when there is no socket to destroy", async () => {
    const { app } = createFastlyEmulator();
    const fault = await app.request("/__emulator/faults", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ path: "/tokens", drop: true }),
    });
    expect(fault.status).toBe(201);
    await expect(
      app.request("/tokens", { headers: { "Fastly-Key": demo.tokens.userGlobal.access_token } }),
    ).rejects.toBeInstanceOf(DroppedConnection);
  });

  it("seeds lazily and shares nothing between two emulator instances", async () => {
    const first = createFastlyEmulator();
    const second = createFastlyEmulator();
    const key = demo.tokens.userGlobal.access_token;
    await first.app.request("/tokens/self", { method: "DELETE", headers: { "Fastly-Key": key } });
    expect((await first.app.request("/tokens/self", { headers: { "Fastly-Key": key } })).status).toBe(401);
    expect((await second.app.request("/tokens/self", { headers: { "Fastly-Key": key } })).status).toBe(200);
  });

  it("applies its constructor options as the tenant's configuration", async () => {
    const { app, state } = createFastlyEmulator({ rateLimit: 7, unknownKeyStatus: 403 });
    const response = await app.request("/tokens/self", { headers: { "Fastly-Key": "x".repeat(32) } });
    expect(response.status).toBe(403);
    expect(state.config).toMatchObject({ rateLimit: 7, unknownKeyStatus: 403 });
  });
});
