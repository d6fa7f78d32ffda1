import type { Caller } from "./auth";
import type { RateInfo } from "./rate-limiter";

/** Per-request variables shared by the emulator's middleware and routes. */
export interface EmulatorEnv {
  // Node passes { incoming, outgoing } (@hono/node-server); a Worker passes its env bindings.
  Bindings: Record<string, unknown>;
  Variables: {
    caller?: Caller;
    rate?: RateInfo;
    faulted?: boolean;
    dropped?: boolean;
  };
}
