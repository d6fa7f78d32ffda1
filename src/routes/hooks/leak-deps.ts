import { loadConfig } from "../../config";
import type { Env } from "../../env";
import { DEFAULT_USER_AGENT as USER_AGENT } from "../../fastly/version";
import { GitHubAlertsClient } from "../../github/alerts-client";
import { AuditLog } from "../../tokens/audit-log";
import { LeakRevoker } from "../../tokens/leak-revoker";
import { Notifier } from "../../tokens/notifier";
import { SubrequestMeter } from "../../tokens/subrequest-meter";

/** Wires the leak workflow from env: used by the intake routes, chatops and the queue consumers. */
export function leakRevokerFor(env: Env): LeakRevoker {
  const config = loadConfig(env);
  // One revoker per invocation: its meter counts that invocation's subrequests across every client.
  const meter = new SubrequestMeter();
  const fetch = meter.wrap();
  return new LeakRevoker({
    config,
    kv: env.TOKENS_KV,
    audit: new AuditLog(env.TOKENS_KV, config.auditRetentionSeconds),
    notifier: new Notifier(config.notify, fetch),
    queue: env.REVOCATIONS,
    github: config.github.token
      ? new GitHubAlertsClient({ baseUrl: config.github.apiBaseUrl, token: config.github.token, userAgent: USER_AGENT, fetch })
      : undefined,
    fetch,
    meter,
  });
}
