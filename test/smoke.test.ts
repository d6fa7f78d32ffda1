import { env, exports } from "cloudflare:workers";
import { expect, it } from "vitest";
it("reaches loopback and the worker", async () => {
  const url = (env as unknown as { EMULATOR_URL: string }).EMULATOR_URL;
  const r = await fetch(url);
  expect(await r.json()).toEqual({ hello: "loopback" });
  const w = await exports.default.fetch("http://x/");
  expect(w.status).toBe(200);
});
