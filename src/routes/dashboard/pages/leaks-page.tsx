import type { FC } from "hono/jsx";
import { formatDate, plural } from "../../../chatops/time";
import { type LeakLine, type LeakSummary, OUTCOME_WORDS } from "../../../tokens/leak-summary";
import type { LedgerState } from "../../../tokens/store/ledger";
import { formatElapsed, formatInstant } from "../../../tokens/time-to-revoke";
import { DASHBOARD_BASE } from "../paths";
import type { Viewer } from "../viewer";
import { Layout } from "./layout";

export interface LeaksPageProps {
  viewer: Viewer;
  csrf: string | null;
  summary: LeakSummary;
}

const TONE: Record<LedgerState, string> = { revoked: "green", not_live: "", unverified: "red", failed: "red", queued: "amber", claimed: "blue" };
const SOURCE_WORDS: Record<string, string> = {
  github_alert: "GitHub alert",
  github_partner: "GitHub partner report",
  gitlab_partner: "GitLab partner report",
  gitlab_revocation_api: "GitLab revocation API",
  standard_webhooks: "Scanner webhook",
  chat: "Chat",
  demo: "Demo",
};
const ms = (v: number | null) => (v === null ? "—" : formatElapsed(v));

/**
 * The Leaks view: the last 30 days of the revocation ledger. Counts by outcome and by source, median and p95 time
 * to revoke (first seen → revoked), and the leaks to look at first: unverified and failed, then open ones, then the
 * slowest revocations. Ids, names and hashes only; every value is escaped by hono/jsx.
 */
export const LeaksPage: FC<LeaksPageProps> = ({ viewer, csrf, summary: s }) => (
  <Layout title="Leaks" signedIn={{ principal: viewer.principal, via: viewer.via, csrf }}>
    <section aria-labelledby="leaks-title">
      <h2 id="leaks-title">Leaks in the last {s.days} days</h2>
      <p class="count-line" data-testid="leak-total">
        {plural(s.total, "leaked token")} reported since {formatDate(new Date(s.sinceMs).toISOString())}
        {viewer.customerId ? <> · customer <code>{viewer.customerId}</code> only</> : null} · <a href={DASHBOARD_BASE}>token inventory</a>
      </p>
      <ul class="findings" data-testid="leak-outcomes">
        {s.byOutcome.map((o) => (
          <li class={o.n === 0 ? "zero" : o.state === "unverified" || o.state === "failed" ? "hot" : ""}>
            {/* A link for the card style; the table below lists these first. */}
            <a href={`${DASHBOARD_BASE}/leaks#attention-title`} data-testid={`outcome-${o.state}`}>
              <span class="count">{o.n}</span>
              {OUTCOME_WORDS[o.state]}
            </a>
          </li>
        ))}
      </ul>
    </section>

    <section aria-labelledby="ttr-title">
      <h2 id="ttr-title">Time to revoke</h2>
      <p class="muted">From when a leak was first seen (the GitHub alert's creation, the commit date a scanner gives, else when the report arrived) to its revocation.</p>
      <dl class="token" data-testid="time-to-revoke">
        <dt>Revoked</dt>
        <dd>{s.timeToRevoke.count}</dd>
        <dt>Median</dt>
        <dd data-testid="ttr-median">{ms(s.timeToRevoke.medianMs)}</dd>
        <dt>95th percentile</dt>
        <dd data-testid="ttr-p95">{ms(s.timeToRevoke.p95Ms)}</dd>
        <dt>Slowest</dt>
        <dd>{ms(s.timeToRevoke.maxMs)}</dd>
      </dl>
      <table data-testid="leak-sources">
        <thead>
          <tr>
            <th>Source</th>
            <th>Leaked tokens</th>
          </tr>
        </thead>
        <tbody>
          {s.bySource.length === 0 ? (
            <tr>
              <td colspan={2} class="muted">
                No leak reported in this window.
              </td>
            </tr>
          ) : (
            s.bySource.map((src) => (
              <tr data-source={src.source}>
                <td>{SOURCE_WORDS[src.source] ?? src.source}</td>
                <td>{src.n}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </section>

    <section aria-labelledby="attention-title">
      <h2 id="attention-title">Unverified first, then the slowest</h2>
      {s.attention.length === 0 ? (
        <p class="muted">Nothing to look at.</p>
      ) : (
        <table data-testid="leaks">
          <thead>
            <tr>
              <th>Outcome</th>
              <th>Token</th>
              <th>Owner</th>
              <th>Source</th>
              <th>First seen</th>
              <th>Revoked</th>
              <th>Time to revoke</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            {s.attention.map((l) => (
              <LeakRow line={l} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  </Layout>
);

const LeakRow: FC<{ line: LeakLine }> = ({ line: l }) => (
  <tr data-state={l.state} data-token-hash={l.tokenHash}>
    <td>
      <span class={`badge ${TONE[l.state]}`}>{OUTCOME_WORDS[l.state]}</span>
    </td>
    <td>
      {l.tokenName ?? (l.tokenId ? "(unnamed)" : "unknown token")}
      <span class="id">{l.tokenId ?? `sha256:${l.tokenHash.slice(0, 12)}…`}</span>
    </td>
    <td>
      <span class="id">{l.ownerId ?? "—"}</span>
    </td>
    <td>{SOURCE_WORDS[l.source] ?? l.source}</td>
    <td>{formatInstant(l.firstSeenMs)}</td>
    <td>{l.revokedMs !== null && l.state === "revoked" ? formatInstant(l.revokedMs) : "not revoked"}</td>
    <td>{l.timeToRevokeMs !== null ? formatElapsed(l.timeToRevokeMs) : <span class="muted">open for {formatElapsed(l.openMs ?? 0)}</span>}</td>
    <td class="muted">{l.detail ?? ""}</td>
  </tr>
);
