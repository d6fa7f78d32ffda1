import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { demo, newTenant, type Tenant } from "../helpers/emulator";
import { type LocalWorker, startLocalWorker } from "./support/local-worker";
import { type OfficialCallError, officialApis } from "./support/official-fastly";

// The official client (fastly@13) creating tokens through the Worker in passthrough mode, each flow run once
// straight against one emulator tenant and once through the Worker against another: the answers must agree.
// fastly-js's createToken() takes no fields, so what it can vary is how it authenticates: a key inside the sudo
// window its SudoApi opens (the key-plus-password flow), or HTTP Basic set by hand, with Fastly-OTP as a default
// header for a two-factor user.
const { users, tokens } = demo;

let direct: Tenant;
let behind: Tenant;
let worker: LocalWorker;

beforeAll(async () => {
  [direct, behind] = await Promise.all([newTenant(), newTenant()]);
  worker = await startLocalWorker({ FASTLY_API_BASE_URL: behind.baseUrl });
}, 60_000);

afterAll(async () => {
  await worker?.stop();
});

beforeEach(async () => {
  await Promise.all([direct.reset(), behind.reset()]);
});

type Auth = Parameters<typeof officialApis>[1];

/** The same calls made by two clients: one aimed at the emulator, one at the Worker. */
function sides(auth: Auth) {
  return { direct: officialApis(direct.baseUrl, auth), worker: officialApis(worker.url, auth) };
}

async function outcome<T>(call: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; status?: number; body: unknown }> {
  return call.then(
    (value) => ({ ok: true as const, value }),
    (reason: OfficialCallError) => ({ ok: false as const, status: reason.status, body: reason.body }),
  );
}

/** What differs by design between two creates: the new token's id, access_token and timestamps. */
function shape(created: Record<string, unknown>) {
  const { id, access_token, created_at, updated_at, ...rest } = created;
  expect(id).toMatch(/^[A-Za-z0-9]{22}$/);
  expect(access_token).toMatch(/^[A-Za-z0-9_-]{32}$/);
  return { ...rest, created_at: typeof created_at, updated_at: typeof updated_at };
}

async function isLive(tenant: Tenant, id: string): Promise<boolean> {
  return (await tenant.tokens()).some((t) => t.id === id && !t.revoked);
}

describe("the official fastly client creating tokens through the Worker", () => {
  it("opens a sudo window with SudoApi and creates with its key, as straight against Fastly", async () => {
    const bob = users.acmeEngineer;
    const clients = sides({ apiKey: tokens.engineerGlobal.access_token });
    const results = [];
    for (const side of [clients.direct, clients.worker]) {
      const sudo = await side.sudo.requestSudoAccess({ sudo_request: { username: bob.login, password: bob.password } });
      expect(sudo.expiry_time).toBeTruthy();
      results.push(await side.tokens.createToken());
    }
    const [straight, through] = results as Record<string, unknown>[];
    expect(shape(through!)).toEqual(shape(straight!));
    expect(through).toMatchObject({ user_id: bob.id, scope: "global" });
    expect(await isLive(behind, String(through!.id))).toBe(true);
    expect((await behind.calls()).filter((c) => c.method === "POST").map((c) => `${c.path} ${c.status}`)).toEqual(["/sudo 200", "/tokens 200"]);
  });

  it("gets Fastly's 403 for a create with a key and no sudo window, parsed the same way", async () => {
    const clients = sides({ apiKey: tokens.engineerGlobal.access_token });
    const [straight, through] = [await outcome(clients.direct.tokens.createToken()), await outcome(clients.worker.tokens.createToken())];
    expect(straight).toEqual({ ok: false, status: 403, body: { msg: "You must POST /sudo to access this endpoint" } });
    expect(through).toEqual(straight);
  });

  it("gets Fastly's 403 for a sudo with a wrong password, parsed the same way", async () => {
    const clients = sides({ apiKey: tokens.engineerGlobal.access_token });
    const request = { sudo_request: { username: users.acmeEngineer.login, password: "wrong-password-1" } };
    const [straight, through] = [await outcome(clients.direct.sudo.requestSudoAccess(request)), await outcome(clients.worker.sudo.requestSudoAccess(request))];
    expect(straight).toMatchObject({ ok: false, status: 403 });
    expect(through).toEqual(straight);
  });

  it("creates with HTTP Basic credentials and no key", async () => {
    const carol = users.acmeUser;
    const clients = sides({ basic: { username: carol.login, password: carol.password } });
    const straight = (await clients.direct.tokens.createToken()) as Record<string, unknown>;
    const through = (await clients.worker.tokens.createToken()) as Record<string, unknown>;
    expect(shape(through)).toEqual(shape(straight));
    expect(through).toMatchObject({ user_id: carol.id });
  });

  it("creates for a two-factor user with Fastly-OTP as a default header, and is refused without it", async () => {
    const erin = users.acmeTwoFactorUser;
    const basic = { username: erin.login, password: erin.password };
    const refused = sides({ basic });
    const [straight, through] = [await outcome(refused.direct.tokens.createToken()), await outcome(refused.worker.tokens.createToken())];
    expect(straight).toMatchObject({ ok: false, status: 400, body: { code: "2fa.verify" } });
    expect(through).toEqual(straight);
    const allowed = sides({ basic, headers: { "Fastly-OTP": erin.otp ?? "" } });
    const created = (await allowed.worker.tokens.createToken()) as Record<string, unknown>;
    expect(shape(created)).toEqual(shape((await allowed.direct.tokens.createToken()) as Record<string, unknown>));
    expect(created).toMatchObject({ user_id: erin.id });
  });
});
