import type { RequestIdVariables } from "hono/request-id";
import type { ApiKey, Config } from "./config";
import type { Env } from "./env";
import type { Services } from "./services";
import type { Actor } from "./tokens/actor";
import type { TokenService } from "./tokens/token-service";

/** Hono typing shared by every surface. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    config: Config;
    /** The invocation's object graph (src/services.ts). */
    services: Services;
    /** Shorthand for `services.tokens`. */
    service: TokenService;
    actor: Actor;
    apiKey: ApiKey | null;
  } & RequestIdVariables;
}
