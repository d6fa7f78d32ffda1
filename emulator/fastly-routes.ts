import { type Context, Hono } from "hono";
import type { EmulatorEnv } from "./hono-env";
import { sudo } from "./sudo-route";
import { createToken } from "./token-create";
import { getCurrentUser, getToken, getUser, getTokenSelf, listTokensCustomer, listTokensUser } from "./token-read-routes";
import { bulkRevokeTokens, revokeToken, revokeTokenSelf } from "./token-revoke-routes";
import type { EmulatorState } from "./state";

function methodNotAllowed(allowed: string) {
  return (c: Context<EmulatorEnv>) =>
    c.json({ msg: "Method not allowed", detail: `Allowed methods: ${allowed}` }, 405, { Allow: allowed });
}

/** The faithful part: api.fastly.com's token endpoints, plus `/sudo`, `/current_user` and `/user/{id}` that go with them. */
export function fastlyRoutes(state: EmulatorState): Hono<EmulatorEnv> {
  const app = new Hono<EmulatorEnv>();
  // `/tokens/self` is a literal segment and must win over `/tokens/:token_id`: registration order decides.
  app.get("/tokens/self", getTokenSelf(state));
  app.delete("/tokens/self", revokeTokenSelf(state));
  app.all("/tokens/self", methodNotAllowed("GET, DELETE"));

  app.get("/tokens", listTokensUser(state));
  app.post("/tokens", createToken(state));
  app.delete("/tokens", bulkRevokeTokens(state));
  app.all("/tokens", methodNotAllowed("GET, POST, DELETE"));

  app.get("/tokens/:token_id", getToken(state));
  app.delete("/tokens/:token_id", revokeToken(state));
  app.all("/tokens/:token_id", methodNotAllowed("GET, DELETE"));

  app.get("/customer/:customer_id/tokens", listTokensCustomer(state));
  app.all("/customer/:customer_id/tokens", methodNotAllowed("GET"));

  app.post("/sudo", sudo(state));
  app.all("/sudo", methodNotAllowed("POST"));

  app.get("/current_user", getCurrentUser(state));
  app.all("/current_user", methodNotAllowed("GET"));

  app.get("/user/:user_id", getUser(state));
  app.all("/user/:user_id", methodNotAllowed("GET"));
  return app;
}
