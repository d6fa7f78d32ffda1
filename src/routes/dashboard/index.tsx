import { type Context, Hono } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import { csrf } from "hono/csrf";
import { secureHeaders } from "hono/secure-headers";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../../app-env";
import { ConfigError, type DashboardSettings } from "../../config";
import { FastlyApiError } from "../../fastly";
import { buildReport } from "../../hygiene/classify";
import { failureReason, loadInventory } from "../../hygiene/inventory";
import { selectStale } from "../../hygiene/stale-policy";
import { TokenServiceError } from "../../tokens/errors";
import { matchApiKey } from "../api/auth";
import { serveAsset } from "../assets";
import { configProblemText, logRefusal, RequestRefused } from "../errors";
import { log } from "../../log";
import { applyQuery, parseInventoryQuery } from "./filters";
import { leaksView } from "./leaks";
import { ConfirmPage } from "./pages/confirm-page";
import { InventoryPage } from "./pages/inventory-page";
import type { Notice } from "./pages/layout";
import { LoginPage } from "./pages/login-page";
import { MessagePage } from "./pages/message-page";
import { DASHBOARD_BASE, TOKEN_ID } from "./paths";
import { checkCsrf, csrfToken, issueSession, SESSION_COOKIE } from "./session";
import { resolveViewer, type Viewer } from "./viewer";

type Ctx = Context<AppEnv>;

// No script, no inline style, no framing, forms post only here: a token name that slips past escaping still
// cannot run or restyle anything. Stricter than the app-wide headers (src/app.ts), which keep these.
const PAGE_HEADERS = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", "data:"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
  },
  xFrameOptions: "DENY",
  referrerPolicy: "same-origin",
});

// hono's origin check for form posts: passes when Origin or Sec-Fetch-Site says the form came from this origin.
const originCheck = csrf({ secFetchSite: ["same-origin", "none"] });

export interface DashboardOptions {
  /** Fetches the Cloudflare Access key set (ACCESS_JWKS_URL); by default the invocation's metered fetch (a subrequest like any other). */
  fetch?: typeof fetch;
}

/**
 * `/dashboard`: the token inventory with filters, the hygiene findings, recent audit events, and revocation with a
 * confirmation. Server-rendered with hono/jsx and usable without JavaScript. Expects the app's middleware to have
 * set `config` and `service`; mount with `app.route("/dashboard", dashboard)`.
 */
export function createDashboard(options: DashboardOptions = {}): Hono<AppEnv> {
  const dashboard = new Hono<AppEnv>();

  dashboard.use("*", PAGE_HEADERS, async (c, next) => {
    await next();
    if (!c.res.headers.has("Cache-Control")) c.res.headers.set("Cache-Control", "no-store");
  });

  /**
   * Every post is checked for where it came from before anything runs; the HMAC token (session.ts) is then checked
   * on every change, so a same-origin post with a bad token still fails. hono's csrf() lets a matching Origin
   * outvote `Sec-Fetch-Site: cross-site` and checks form bodies only, so `sameOrigin` also refuses a post in which
   * either header names another site, whatever its body.
   */
  dashboard.post("*", async (c, next) => {
    const refused = new RequestRefused(403, {
      msg: "Forbidden",
      code: "cross_origin",
      detail: "This form did not come from this dashboard. Nothing was changed.",
      reason: "cross-origin post",
    });
    if (!sameOrigin(c)) throw refused;
    try {
      await originCheck(c, async () => undefined);
    } catch {
      throw refused;
    }
    await next();
  });

  dashboard.get("/assets/dashboard.css", serveAsset("public, max-age=3600"));

  dashboard.get("/login", (c) => loginPage(c, 200));

  dashboard.post("/login", async (c) => {
    const settings = c.var.config.dashboard;
    if (!settings.sessionSecret) return loginPage(c, 503);
    const form = await readForm(c);
    const presented = typeof form?.api_key === "string" ? form.api_key.trim() : "";
    const key = presented ? await matchApiKey(presented, c.var.config.apiKeys) : null;
    if (!key) return loginPage(c, 401, { kind: "error", text: "That API key is not valid." });
    if (!key.scopes.includes("read")) {
      return loginPage(c, 403, { kind: "error", text: `The API key "${key.name}" lacks the read scope the dashboard needs.` });
    }
    const now = new Date();
    const session = await issueSession(settings.sessionSecret, key.name, key.sha256, settings.sessionTtlSeconds, now);
    // Recorded server-side, so that logout (or an admin's "sign out everywhere") ends it before its cookie expires.
    await c.var.services.sessions.start(session.sessionId, `apikey:${key.name}`, now.getTime(), session.expiresAt * 1000);
    setCookie(c, SESSION_COOKIE, session.value, { httpOnly: true, secure: true, sameSite: "Strict", path: "/", maxAge: settings.sessionTtlSeconds });
    log.info("dashboard_login", { principal: `apikey:${key.name}` });
    return c.redirect(DASHBOARD_BASE, 303);
  });

  dashboard.post("/logout", async (c) => {
    const auth = await authenticate(c, options);
    if (auth instanceof Response) return auth;
    const { viewer } = auth;
    await requireCsrf(c, viewer);
    // Ended server-side: a copy of the cookie signs in no more.
    if (viewer.sessionId) await c.var.services.sessions.end(viewer.sessionId, Date.now());
    deleteCookie(c, SESSION_COOKIE, { path: "/", secure: true });
    return c.redirect(`${DASHBOARD_BASE}/login`, 303);
  });

  /** Ends every API-key session, the caller's included: for an admin key (scope `admin`), e.g. after a laptop is lost. */
  dashboard.post("/sign-out-everywhere", async (c) => {
    const auth = await authenticate(c, options);
    if (auth instanceof Response) return auth;
    const { viewer } = auth;
    if (!viewer.admin) throw forbidden('Signing everyone out needs an API key with the "admin" scope.');
    await requireCsrf(c, viewer);
    const ended = await c.var.services.sessions.endEvery(Date.now());
    await c.var.services.audit.append({
      surface: "dashboard",
      principal: viewer.principal,
      operation: "signOutEverywhere",
      result: "ok",
      detail: `ended ${ended} dashboard session${ended === 1 ? "" : "s"}`,
    });
    deleteCookie(c, SESSION_COOKIE, { path: "/", secure: true });
    return c.redirect(`${DASHBOARD_BASE}/login`, 303);
  });

  dashboard.get("/", async (c) => {
    const auth = await authenticate(c, options);
    if (auth instanceof Response) return auth;
    const { viewer, settings } = auth;
    const hygiene = c.var.config.hygiene;
    const now = new Date();
    const thresholds = { expiringDays: hygiene.expiringDays, unusedDays: hygiene.unusedDays };
    const parsed = parseInventoryQuery(new URL(c.req.url).searchParams);

    const service = c.var.service;
    const actor = await service.workerActor("dashboard", viewer.principal, { customerId: viewer.customerId });
    const inventory = await loadInventory(service, actor);
    const report = buildReport(inventory.tokens, now, thresholds);
    const stale = selectStale(inventory.tokens, now, { ...hygiene.stale, maxRevocations: Number.MAX_SAFE_INTEGER }, inventory.ownTokenId);
    // A key restricted to one customer sees that customer's events only, filtered in the query so the list is full.
    const audit = (await service.listAudit(settings.auditEntries, null, actor)).entries;
    const page = (
      <InventoryPage
        viewer={viewer}
        csrf={await csrfFor(c, viewer)}
        now={now}
        inventory={inventory}
        report={report}
        policy={{ mode: hygiene.stale.mode, afterDays: hygiene.stale.afterDays, wouldRevoke: stale.candidates.length }}
        query={parsed.ok ? parsed.query : null}
        queryErrors={parsed.ok ? [] : parsed.errors}
        rows={parsed.ok ? applyQuery(inventory.tokens, parsed.query, now, thresholds) : []}
        audit={audit}
        notice={flash(c)}
      />
    );
    return c.html(page, parsed.ok ? 200 : 400);
  });

  dashboard.get("/leaks", async (c) => {
    const auth = await authenticate(c, options);
    return auth instanceof Response ? auth : leaksView(c, auth.viewer, await csrfFor(c, auth.viewer));
  });

  dashboard.get("/tokens/:id/revoke", async (c) => {
    const auth = await authenticate(c, options);
    if (auth instanceof Response) return auth;
    const { viewer, settings } = auth;
    if (!viewer.canRevoke) throw forbidden(cannotRevoke(viewer, settings.sessionSecret !== undefined));
    const id = c.req.param("id");
    if (!TOKEN_ID.test(id)) return messagePage(c, 404, "Not found", "That is not a Fastly token id.");
    const service = c.var.service;
    const actor = await service.workerActor("dashboard", viewer.principal, { customerId: viewer.customerId });
    const token = (await service.getToken(actor, id)).value;
    const hygiene = c.var.config.hygiene;
    return c.html(
      <ConfirmPage
        viewer={viewer}
        csrf={(await csrfFor(c, viewer))!}
        token={token}
        isOwnToken={token.id === (await service.ownTokenId())}
        now={new Date()}
        thresholds={{ expiringDays: hygiene.expiringDays, unusedDays: hygiene.unusedDays }}
      />,
    );
  });

  dashboard.post("/tokens/:id/revoke", async (c) => {
    const auth = await authenticate(c, options);
    if (auth instanceof Response) return auth;
    const { viewer, settings } = auth;
    if (!viewer.canRevoke) throw forbidden(cannotRevoke(viewer, settings.sessionSecret !== undefined));
    await requireCsrf(c, viewer);
    const id = c.req.param("id");
    if (!TOKEN_ID.test(id)) return messagePage(c, 404, "Not found", "That is not a Fastly token id.");
    const service = c.var.service;
    const actor = await service.workerActor("dashboard", viewer.principal, { customerId: viewer.customerId });
    const result = await service.revokeToken(actor, id);
    return c.redirect(`${DASHBOARD_BASE}?${result.dryRun ? "dry_run" : "revoked"}=${encodeURIComponent(id)}#audit`, 303);
  });

  dashboard.all("*", (c) => messagePage(c, 404, "Not found", "There is no such dashboard page."));

  dashboard.onError((err, c) => {
    if (err instanceof RequestRefused) {
      logRefusal(err);
      // A refused identity or scope offers another sign-in; a refused form does not (signing in again would not fix it).
      const formRefused = err.code === "csrf_failed" || err.code === "cross_origin";
      return messagePage(c as Ctx, err.status, err.msg, err.detail ?? err.msg, !formRefused);
    }
    if (err instanceof TokenServiceError) {
      const title = err.status === 404 ? "Not found" : err.status === 403 ? "Forbidden" : err.status === 409 ? "Refused" : "Cannot do that";
      return messagePage(c as Ctx, err.status as ContentfulStatusCode, title, failureReason(err));
    }
    if (err instanceof FastlyApiError) {
      if (err.status === 404) return messagePage(c as Ctx, 404, "Not found", "Fastly has no such token (it may have been revoked already).");
      return messagePage(c as Ctx, 502, "Fastly API error", `The tokens could not be loaded: ${failureReason(err)}.`);
    }
    if (err instanceof ConfigError) {
      log.error("config_error", { setting: err.setting, message: err.message });
      return messagePage(c as Ctx, 500, "Worker misconfigured", `The ${configProblemText(err)}.`);
    }
    log.error("dashboard_error", { name: err.name });
    return messagePage(c as Ctx, 500, "Internal error", "Something went wrong; the Worker's logs have the details.");
  });

  return dashboard;
}

/** The dashboard, mounted by src/app.ts. */
export const dashboard = createDashboard();

async function authenticate(
  c: Ctx,
  options: DashboardOptions,
): Promise<{ viewer: Viewer; settings: DashboardSettings } | Response> {
  const settings = c.var.config.dashboard;
  const result = await resolveViewer(c, settings, options.fetch ?? c.var.services.fetch);
  if (result.kind === "viewer") return { viewer: result.viewer, settings };
  if (result.kind === "forbidden") {
    const forbids = result.status === 403;
    throw new RequestRefused(result.status, { msg: forbids ? "Forbidden" : "Unavailable", code: forbids ? "forbidden" : "access_unavailable", detail: result.reason });
  }
  if (result.notice) deleteCookie(c, SESSION_COOKIE, { path: "/", secure: true });
  return loginPage(c, 401, result.notice ? { kind: "warn", text: result.notice } : undefined);
}

function loginPage(c: Ctx, status: ContentfulStatusCode, notice?: Notice): Response | Promise<Response> {
  const settings = c.var.config.dashboard;
  const apiKeyLogin = settings.sessionSecret !== undefined;
  const shown = !apiKeyLogin && status === 503 ? { kind: "error" as const, text: "API-key sign-in is not configured." } : notice;
  return c.html(<LoginPage notice={shown} apiKeyLogin={apiKeyLogin} accessConfigured={settings.access !== undefined} />, status);
}

function messagePage(c: Ctx, status: ContentfulStatusCode, title: string, text: string, offerLogin = false): Response | Promise<Response> {
  return c.html(<MessagePage title={title} text={text} offerLogin={offerLogin} />, status);
}

function forbidden(detail: string): RequestRefused {
  return new RequestRefused(403, { msg: "Forbidden", code: "forbidden", detail });
}

/** The form's HMAC token, bound to the viewer's session (or Access identity), or a 403 that changes nothing. */
async function requireCsrf(c: Ctx, viewer: Viewer): Promise<void> {
  if (await csrfOk(c, viewer)) return;
  throw new RequestRefused(403, {
    msg: "Forbidden",
    code: "csrf_failed",
    detail: "This form has expired or did not come from this dashboard (CSRF check failed). Nothing was changed.",
    reason: "CSRF token missing, malformed or not this viewer's",
  });
}

function cannotRevoke(viewer: Viewer, secretConfigured: boolean): string {
  if (viewer.via === "apikey") return `The API key "${viewer.principal.slice("apikey:".length)}" lacks the revoke scope.`;
  if (!secretConfigured) return "Revoking needs DASHBOARD_SESSION_SECRET (or SEAL_SECRET) to protect the form.";
  return "Your Cloudflare Access identity is not allowed to revoke (ACCESS_REVOKE_EMAILS).";
}

async function csrfFor(c: Ctx, viewer: Viewer): Promise<string | null> {
  const secret = c.var.config.dashboard.sessionSecret;
  return secret && viewer.csrfSubject ? csrfToken(secret, viewer.csrfSubject) : null;
}

async function csrfOk(c: Ctx, viewer: Viewer): Promise<boolean> {
  const secret = c.var.config.dashboard.sessionSecret;
  if (!secret || !viewer.csrfSubject) return false;
  const form = await readForm(c);
  const presented = typeof form?.csrf === "string" ? form.csrf : null;
  return checkCsrf(secret, viewer.csrfSubject, presented);
}

/** A urlencoded or multipart form, or null for any other body. */
async function readForm(c: Ctx): Promise<Record<string, unknown> | null> {
  const type = (c.req.header("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded" && type !== "multipart/form-data") return null;
  try {
    return (await c.req.parseBody()) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/**
 * No header that says where a post came from names another site (an `Origin` of "null" included). Kept beside
 * hono's csrf(), which needs only one header to agree; together a form post needs one that agrees and none that
 * disagrees, and any other post none that disagrees (its body then fails the HMAC token check anyway).
 */
function sameOrigin(c: Ctx): boolean {
  const origin = c.req.header("Origin");
  if (origin && origin !== "null" && origin !== new URL(c.req.url).origin) return false;
  if (origin === "null") return false;
  const site = c.req.header("Sec-Fetch-Site");
  return !site || site === "same-origin" || site === "none";
}

/** The result of the last revocation, from the redirect after it. Only well-formed ids are shown. */
function flash(c: Ctx): Notice | undefined {
  const revoked = c.req.query("revoked");
  if (revoked && TOKEN_ID.test(revoked)) return { kind: "ok", text: `Token ${revoked} was revoked. The audit log below records it.` };
  const dry = c.req.query("dry_run");
  if (dry && TOKEN_ID.test(dry)) return { kind: "warn", text: `Dry run: token ${dry} was not revoked (DRY_RUN is on). The audit log records the attempt.` };
  return undefined;
}
