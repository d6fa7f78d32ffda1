import { type Config, loadConfig } from "./config";
import type { Env } from "./env";
import { DEFAULT_USER_AGENT } from "./fastly/version";
import { GitHubAlertsClient } from "./github/alerts-client";
import { LeakFollowUp } from "./tokens/leak-follow-up";
import { LeakWorkflow } from "./tokens/leak-workflow";
import { Notifier } from "./tokens/notifier";
import { AuditLog } from "./tokens/store/audit-log";
import { DeliveryClaims } from "./tokens/store/claims";
import { ConfirmationStore } from "./tokens/store/confirmations";
import { InvocationMeter } from "./tokens/store/invocation-meter";
import { LeakFigures } from "./tokens/store/leak-figures";
import { RevocationLedger } from "./tokens/store/ledger";
import { SessionStore } from "./tokens/store/sessions";
import { Sql } from "./tokens/store/sql";
import { type ServiceStats, TokenService } from "./tokens/token-service";
import { PartnerKeyStore } from "./verify/partner-keys";

/** Everything a handler may use. Surfaces get these and nothing else: no KV, D1, queue or Fastly client. */
export interface Services {
  config: Config;
  tokens: TokenService;
  leaks: LeakWorkflow;
  audit: AuditLog;
  ledger: RevocationLedger;
  /** Read-only leak figures over the ledger (Leaks view, digest, /metrics). */
  leakFigures: LeakFigures;
  claims: DeliveryClaims;
  confirmations: ConfirmationStore;
  sessions: SessionStore;
  /** The partner program's public keys at `url`, cached in the isolate and in KV. */
  partnerKeys(url: string, authToken?: string): PartnerKeyStore;
  /** What this invocation spent: subrequests, KV operations, D1 queries. */
  meter: InvocationMeter;
  /** A fetch counted on the meter, for surfaces that post replies themselves (chat response URLs). */
  fetch: typeof fetch;
}

/**
 * Parts that live as long as the isolate: parsed configuration (this is its only cache: src/config/ parses, this
 * memoises) and the upstream counters /health reports.
 */
interface IsolateParts {
  config: Config;
  stats: ServiceStats;
}

const isolates = new WeakMap<object, IsolateParts>();

function isolateParts(env: Env): IsolateParts {
  let parts = isolates.get(env);
  if (!parts) {
    parts = { config: loadConfig(env), stats: { upstreamCalls: 0, savedCalls: 0 } };
    isolates.set(env, parts);
  }
  return parts;
}

/** The upstream counters of the isolate serving `env` (reported by /health). */
export function isolateStats(env: Env): ServiceStats {
  return isolateParts(env).stats;
}

/**
 * The composition root: the one place the object graph is built, for the fetch, queue and scheduled handlers alike.
 * The isolate's parts (configuration, counters) are built once per env; the rest is a handful of small objects bound
 * to one invocation's meter, because Workers count subrequests, KV operations and D1 queries per invocation.
 */
export function servicesFor(env: Env, opts: { fetch?: typeof fetch; now?: () => Date } = {}): Services {
  const { config, stats } = isolateParts(env);
  const meter = new InvocationMeter();
  const fetch = meter.wrap(opts.fetch);
  const sql = new Sql(env.DB, meter);
  const audit = new AuditLog(sql, opts.now);
  const ledger = new RevocationLedger(sql);
  const tokens = new TokenService({ config, kv: env.TOKENS_KV, audit, fetch, stats, meter, ...(opts.now ? { now: opts.now } : {}) });
  const github = config.github.token
    ? new GitHubAlertsClient({ baseUrl: config.github.apiBaseUrl, token: config.github.token, userAgent: DEFAULT_USER_AGENT, fetch })
    : undefined;
  const leaks = new LeakWorkflow({
    config,
    tokens,
    ledger,
    audit,
    notifier: new Notifier(config.notify, fetch),
    meter,
    queue: env.REVOCATIONS,
    github,
    followUp: new LeakFollowUp({ config, meter, fetch, audit, ...(env.OWNER_EMAIL ? { email: env.OWNER_EMAIL } : {}) }),
    ...(opts.now ? { now: opts.now } : {}),
  });
  return {
    config,
    tokens,
    leaks,
    audit,
    ledger,
    leakFigures: new LeakFigures(sql),
    claims: new DeliveryClaims(sql),
    confirmations: new ConfirmationStore(sql),
    sessions: new SessionStore(sql),
    partnerKeys: (url, authToken) => new PartnerKeyStore({ url, userAgent: DEFAULT_USER_AGENT, authToken, kv: env.TOKENS_KV, fetch }),
    meter,
    fetch,
  };
}
