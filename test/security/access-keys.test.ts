import { afterEach, describe, expect, it, vi } from "vitest";
import { accessKey, JwksUnavailableError } from "../../src/routes/dashboard/jwks";
import { callWorker, demo, dumpKv, newTenant, type Tenant, testEnv } from "../helpers";
import { ACCESS_AUD, ACCESS_TEAM, accessClaims, accessSigner } from "../routes/dashboard/helpers";

// Issue 12, item 6. The Access certs endpoint is played by an emulator tenant (its fault rules make it answer or
// fail), so every fetch the Worker makes is a real request on loopback, counted by the tenant's call log.
const CERTS_PATH = "/cdn-cgi/access/certs";

afterEach(() => {
  vi.useRealTimers();
});

async function certsFetches(t: Tenant): Promise<number> {
  return (await t.calls()).filter((c) => c.path === CERTS_PATH).length;
}

describe("Cloudflare Access keys while the certs endpoint fails", () => {
  it("fetches once for 20 forged RS256 assertions, answers each 503, and touches nothing else", async () => {
    // The clock stands still, so all 20 arrive within one cooldown however slow the machine is.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now());
    const t = await newTenant();
    await t.addFault({ method: "GET", path: CERTS_PATH, status: 503, probability: 1 });
    const env = await testEnv(t, { ACCESS_TEAM_DOMAIN: ACCESS_TEAM, ACCESS_AUD, ACCESS_JWKS_URL: `${t.baseUrl}${CERTS_PATH}` });
    const forger = await accessSigner("forged");
    const forged = () => forger.sign(accessClaims({ email: "mallory@acme.example" }), { kid: `kid-${crypto.randomUUID()}` });
    const visit = async () => callWorker(env, "/dashboard", { headers: { "Cf-Access-Jwt-Assertion": await forged() } });

    const answers = await Promise.all(Array.from({ length: 10 }, visit));
    for (let i = 0; i < 10; i++) answers.push(await visit());

    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(503));
    for (const r of answers) expect(await r.text()).not.toContain(demo.tokens.superuserGlobal.id);
    expect(await certsFetches(t)).toBe(1);
    expect((await t.calls()).filter((c) => c.path !== CERTS_PATH)).toEqual([]);
    expect(await dumpKv(env)).toEqual([]);
  });

  it("does not refetch for an unknown key id until the cooldown has passed, even though the last fetch failed", async () => {
    const t = await newTenant();
    const signer = await accessSigner("k1");
    // The first fetch is answered with the key set; every later one fails.
    await t.addFault({ method: "GET", path: CERTS_PATH, status: 200, body: signer.jwks, count: 1 });
    await t.addFault({ method: "GET", path: CERTS_PATH, status: 503, probability: 1 });
    let now = 10_000_000;
    const source = { url: `${t.baseUrl}${CERTS_PATH}`, now: () => now };

    expect(await accessKey(source, "k1")).not.toBeNull();
    expect(await certsFetches(t)).toBe(1);

    now += 31_000;
    expect(await accessKey(source, "unknown-1")).toBeNull();
    expect(await certsFetches(t)).toBe(2);

    for (const step of [1_000, 10_000, 18_999]) {
      now += step;
      expect(await accessKey(source, `unknown-${step}`)).toBeNull();
      expect(await accessKey(source, "k1")).not.toBeNull();
    }
    expect(await certsFetches(t)).toBe(2);

    now += 1_001;
    expect(await accessKey(source, "unknown-after")).toBeNull();
    expect(await certsFetches(t)).toBe(3);
  });

  it("remembers that a first fetch failed: no key set, no refetch until the cooldown, then one", async () => {
    const t = await newTenant();
    await t.addFault({ method: "GET", path: CERTS_PATH, status: 503, probability: 1 });
    let now = 20_000_000;
    const source = { url: `${t.baseUrl}${CERTS_PATH}`, now: () => now };

    await expect(accessKey(source, "k1")).rejects.toBeInstanceOf(JwksUnavailableError);
    now += 29_999;
    for (const kid of ["k1", "k2", "k3"]) await expect(accessKey(source, kid)).rejects.toBeInstanceOf(JwksUnavailableError);
    expect(await certsFetches(t)).toBe(1);

    now += 1;
    await expect(accessKey(source, "k1")).rejects.toBeInstanceOf(JwksUnavailableError);
    expect(await certsFetches(t)).toBe(2);
  });
});
