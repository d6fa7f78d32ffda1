import type { ApiKey, Config } from "./config";
import type { Env } from "./env";
import type { Actor } from "./tokens/actor";
import type { TokenService } from "./tokens/token-service";

/** Hono typing shared by every surface. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    config: Config;
    service: TokenService;
    actor: Actor;
    apiKey: ApiKey | null;
  };
}
