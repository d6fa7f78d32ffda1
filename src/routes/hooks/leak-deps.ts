import { loadConfig } from "../../config";
import type { Env } from "../../env";
import { DEFAULT_USER_AGENT as USER_AGENT } from "../../fastly/version";
import { GitHubAlertsClient } from "../../github/alerts-client";
import { AuditLog } from "../../tokens/audit-log";
import { LeakRevoker } from "../../tokens/leak-revoker";
import { Notifier } from "../../tokens/notifier";

/** Wires the leak workflow from env: used by the intake routes, chatops and the queue consumers. */
export function leakRevokerFor(env: Env): LeakRevoker {
  const config = loadConfig(env);
  return new LeakRevoker({
    config,
    kv: env.TOKENS_KV,
    audit: new AuditLog(env.TOKENS_KV, config.auditRetentionSeconds),
    notifier: new Notifier(config.notify),
    queue: env.REVOCATIONS,
    github: config.github.token
      ? new GitHubAlertsClient({ baseUrl: config.github.apiBaseUrl, token: config.github.token, userAgent: USER_AGENT })
      : undefined,
  });
}
