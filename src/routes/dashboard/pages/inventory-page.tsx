import type { FC } from "hono/jsx";
import { formatDate, plural, relativeTime } from "../../../chatops/time";
import { TOKEN_SCOPES } from "../../../fastly/schemas";
import { describeFinding, FINDING_CLASSES, FINDING_LABELS, type HygieneReport, type Thresholds } from "../../../hygiene/classify";
import type { Inventory } from "../../../hygiene/inventory";
import type { StalePolicyMode } from "../../../config";
import type { AuditEntry } from "../../../tokens/audit-entry";
import { type InventoryQuery, type InventoryRow, queryString, SORT_KEYS, SORT_LABELS, type SortKey } from "../filters";
import { DASHBOARD_BASE, revokePath } from "../paths";
import type { Viewer } from "../viewer";
import { ExpiryCue, FindingBadges, LastUseCue, ScopeBadges } from "./cues";
import { Layout, type Notice, NoticeBox } from "./layout";

export interface InventoryPageProps {
  viewer: Viewer;
  csrf: string | null;
  now: Date;
  inventory: Inventory;
  report: HygieneReport;
  policy: { mode: StalePolicyMode; afterDays: number; wouldRevoke: number };
  /** Null when the filters were malformed: then `queryErrors` says why and no rows are shown. */
  query: InventoryQuery | null;
  queryErrors: string[];
  rows: InventoryRow[];
  audit: AuditEntry[];
  notice?: Notice;
}

const RESULT_TONE: Record<string, string> = { ok: "green", dry_run: "blue", denied: "red", error: "red", failed: "red", queued: "amber" };

export const InventoryPage: FC<InventoryPageProps> = (p) => {
  const thresholds: Thresholds = p.report.thresholds;
  const q = p.query ?? { sort: "urgency" as SortKey, dir: "asc" as const };
  const owners = [...new Set(p.inventory.tokens.map((t) => t.user_id).filter((u): u is string => Boolean(u)))].sort();
  return (
    <Layout title="Tokens" signedIn={{ principal: p.viewer.principal, via: p.viewer.via, csrf: p.csrf, admin: p.viewer.admin }}>
      {p.notice && <NoticeBox notice={p.notice} />}
      {p.queryErrors.length > 0 && (
        <NoticeBox notice={{ kind: "error", text: "These filters cannot be applied; nothing is listed until they are fixed:", items: p.queryErrors }} />
      )}

      <section aria-labelledby="findings-title">
        <h2 id="findings-title">Hygiene findings</h2>
        <p class="count-line">
          {plural(p.inventory.tokens.length, "token")}{" "}
          {p.inventory.coverage === "customer" ? (
            <>
              of customer <code>{p.inventory.customerId}</code>
            </>
          ) : (
            "of the Worker's own Fastly user (its token cannot list the whole customer)"
          )}{" "}
          · {formatDate(p.now.toISOString())}
        </p>
        <ul class="findings">
          {FINDING_CLASSES.map((c) => (
            <li class={p.report.counts[c] === 0 ? "zero" : c === "expired" || c === "expiring" ? "hot" : ""}>
              <a
                href={`${DASHBOARD_BASE}${queryString({ finding: c })}`}
                class={p.query?.finding === c ? "active" : ""}
                title={describeFinding(c, thresholds)}
                data-testid={`finding-${c}`}
              >
                <span class="count">{p.report.counts[c]}</span>
                {FINDING_LABELS[c]}
              </a>
            </li>
          ))}
        </ul>
        <p class="policy" data-testid="policy">
          Stale-token policy: <strong>{p.policy.mode}</strong>
          {p.policy.mode === "off"
            ? " (STALE_POLICY): nothing is revoked automatically."
            : p.policy.mode === "report"
              ? ` — tokens unused for ${p.policy.afterDays}+ days are reported in the daily digest, never revoked; ${p.policy.wouldRevoke} would be revoked now.`
              : ` — the daily run revokes tokens unused for ${p.policy.afterDays}+ days (${p.policy.wouldRevoke} now), never the Worker's own.`}
        </p>
      </section>

      <section aria-labelledby="inventory-title">
        <h2 id="inventory-title">Inventory</h2>
        <form method="get" action={DASHBOARD_BASE} class="filters" data-testid="filters">
          <label>
            Name or id
            <input type="search" name="q" value={p.query?.q ?? ""} maxlength={100} />
          </label>
          <label>
            Owner
            <select name="owner">
              <option value="">anyone</option>
              {owners.map((o) => (
                <option value={o} selected={p.query?.owner === o}>
                  {o}
                </option>
              ))}
            </select>
          </label>
          <label>
            Scope
            <select name="scope">
              <option value="">any</option>
              {TOKEN_SCOPES.map((s) => (
                <option value={s} selected={p.query?.scope === s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label>
            Finding
            <select name="finding">
              <option value="">any</option>
              {FINDING_CLASSES.map((c) => (
                <option value={c} selected={p.query?.finding === c}>
                  {FINDING_LABELS[c]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Expiring within (days)
            <input type="number" name="expiring" min={1} max={3650} value={p.query?.expiring ?? ""} />
          </label>
          <label>
            Unused for (days)
            <input type="number" name="unused" min={1} max={3650} value={p.query?.unused ?? ""} />
          </label>
          <label>
            Sort by
            <select name="sort">
              {SORT_KEYS.map((k) => (
                <option value={k} selected={q.sort === k}>
                  {SORT_LABELS[k]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Order
            <select name="dir">
              <option value="asc" selected={q.dir === "asc"}>
                ascending
              </option>
              <option value="desc" selected={q.dir === "desc"}>
                descending
              </option>
            </select>
          </label>
          <button type="submit">Apply</button>
          <a class="button" href={DASHBOARD_BASE}>
            Clear
          </a>
        </form>
        {p.query && (
          <>
            <p class="count-line" data-testid="match-count">
              Showing {p.rows.length} of {plural(p.inventory.tokens.length, "token")}
            </p>
            <table data-testid="inventory">
              <thead>
                <tr>
                  <SortHeader label="Token" sort="name" query={p.query} />
                  <SortHeader label="Owner" sort="owner" query={p.query} />
                  <SortHeader label="Scope" sort="scope" query={p.query} />
                  <SortHeader label="Expiry" sort="expiry" query={p.query} />
                  <SortHeader label="Last use" sort="last_used" query={p.query} />
                  <th>Findings</th>
                  {p.viewer.canRevoke && <th>Action</th>}
                </tr>
              </thead>
              <tbody>
                {p.rows.map(({ token, findings }) => {
                  const own = token.id !== undefined && token.id === p.inventory.ownTokenId;
                  return (
                    <tr data-token-id={token.id}>
                      <td>
                        <span class="name">{token.name || "(unnamed)"}</span>
                        <span class="id">{token.id}</span>
                        {own && <span class="badge blue">this Worker's token</span>}
                      </td>
                      <td>
                        <code>{token.user_id}</code>
                      </td>
                      <td>
                        <ScopeBadges token={token} />
                      </td>
                      <td class="cue">
                        <ExpiryCue token={token} now={p.now} thresholds={thresholds} />
                      </td>
                      <td class="cue">
                        <LastUseCue token={token} now={p.now} thresholds={thresholds} />
                      </td>
                      <td>
                        <FindingBadges findings={findings} />
                      </td>
                      {p.viewer.canRevoke && (
                        <td>
                          {own || !token.id ? (
                            <span class="muted">—</span>
                          ) : (
                            <a class="button" href={revokePath(token.id)} data-testid="revoke-link">
                              Revoke…
                            </a>
                          )}
                        </td>
                      )}
                    </tr>
                  );
                })}
              </tbody>
            </table>
            {p.rows.length === 0 && <p class="muted">No token matches these filters.</p>}
          </>
        )}
      </section>

      <section aria-labelledby="audit-title" id="audit">
        <h2 id="audit-title">Recent audit events</h2>
        {p.audit.length === 0 ? (
          <p class="muted">No audit events yet.</p>
        ) : (
          <table data-testid="audit">
            <thead>
              <tr>
                <th>When</th>
                <th>By</th>
                <th>Surface</th>
                <th>Operation</th>
                <th>Result</th>
                <th>Token</th>
                <th>Detail</th>
              </tr>
            </thead>
            <tbody>
              {p.audit.map((e) => (
                <tr data-audit-id={e.id}>
                  <td title={e.at}>{relativeTime(e.at, p.now)}</td>
                  <td>{e.principal}</td>
                  <td>{e.surface}</td>
                  <td>{e.operation}</td>
                  <td>
                    <span class={`badge ${RESULT_TONE[e.result] ?? ""}`}>{e.result}</span>
                  </td>
                  <td>
                    {e.tokenName ?? ""}
                    <span class="id">{e.tokenId ?? (e.tokenHash ? `sha256:${e.tokenHash.slice(0, 12)}…` : "")}</span>
                  </td>
                  <td class="muted">{e.detail ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </Layout>
  );
};

/** A column header that sorts by its column, and flips the order when it already does. */
const SortHeader: FC<{ label: string; sort: SortKey; query: InventoryQuery }> = ({ label, sort, query }) => {
  const active = query.sort === sort;
  const dir = active && query.dir === "asc" ? "desc" : "asc";
  const arrow = active ? (query.dir === "asc" ? " ▲" : " ▼") : "";
  return (
    <th aria-sort={active ? (query.dir === "asc" ? "ascending" : "descending") : undefined}>
      <a href={`${DASHBOARD_BASE}${queryString(query, { sort, dir })}`}>
        {label}
        {arrow}
      </a>
    </th>
  );
};
