import type { Surface } from "./audit-entry";

/**
 * Who is asking, and with which Fastly key the upstream call is made.
 * `viewer` is SHA-256(upstreamKey): the cache partition, so one caller's view never answers another.
 */
export interface Actor {
  surface: Surface;
  principal: string;
  upstreamKey: string;
  viewer: string;
  /** True when the call is made with the Worker's own FASTLY_API_TOKEN (API keys, chatops, schedule). */
  asWorker: boolean;
  /** API keys may be restricted to one customer. */
  customerId?: string;
  /** Explicit override of the self-token guard. */
  force?: boolean;
  /** May override the self-token guard with the Worker's own token (a Worker API key with the `admin` scope). */
  admin?: boolean;
  /** Per-call dry run (the config can also force it globally). */
  dryRun?: boolean;
}
