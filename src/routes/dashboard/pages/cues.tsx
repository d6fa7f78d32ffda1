import type { FC } from "hono/jsx";
import { formatDate, relativeTime } from "../../../chatops/time";
import type { TokenResponse } from "../../../fastly/schemas";
import { FINDING_LABELS, type FindingClass, type Thresholds } from "../../../hygiene/classify";
import { DAY, isExpired, isGlobal, isStale, neverExpires, neverUsed, parseTime, tokenScopes, tokenServices } from "../../../tokens/token-facts";

const FINDING_TONE: Record<FindingClass, "red" | "amber" | ""> = {
  expiring: "red",
  expired: "red",
  unused: "amber",
  never_used: "amber",
  global_all_services: "amber",
  no_expiry: "",
};

export const FindingBadges: FC<{ findings: FindingClass[] }> = ({ findings }) => (
  <>
    {findings.map((f) => (
      <span class={`badge ${FINDING_TONE[f]}`} data-finding={f}>
        {FINDING_LABELS[f]}
      </span>
    ))}
  </>
);

export const ScopeBadges: FC<{ token: TokenResponse }> = ({ token }) => {
  const scopes = tokenScopes(token);
  const services = tokenServices(token);
  return (
    <>
      {scopes.map((s) => (
        <span class={`badge ${s === "global" ? "amber" : "blue"}`}>{s}</span>
      ))}
      {scopes.length === 0 && <span class="badge">no scope</span>}
      <span class={`badge ${services.length === 0 && isGlobal(token) ? "amber" : ""}`} title={services.length > 0 ? services.join(" ") : undefined}>
        {services.length === 0 ? "all services" : `${services.length} service${services.length === 1 ? "" : "s"}`}
      </span>
    </>
  );
};

/** Days until expiry as a bar that turns amber inside 30 days and red inside the "expiring" window. */
export const ExpiryCue: FC<{ token: TokenResponse; now: Date; thresholds: Thresholds }> = ({ token, now, thresholds }) => {
  if (neverExpires(token)) {
    return <span class={`badge ${isGlobal(token) ? "amber" : ""}`}>never expires</span>;
  }
  const at = parseTime(token.expires_at);
  if (at === undefined) return <span class="badge">expiry unknown</span>;
  const left = (at - now.getTime()) / DAY;
  const horizon = Math.max(90, thresholds.expiringDays * 3);
  const expired = isExpired(token, now);
  const label = expired ? `expired ${relativeTime(token.expires_at, now)}` : `expires ${relativeTime(token.expires_at, now)}`;
  return (
    <>
      <meter
        min={0}
        max={horizon}
        low={thresholds.expiringDays}
        high={Math.min(30, horizon - 1)}
        optimum={horizon}
        value={Math.max(0, Math.min(horizon, left))}
        title={label}
        aria-label={label}
      />
      {expired ? <span class="badge red">{label}</span> : <span>{label}</span>}
      <small>{formatDate(token.expires_at)}</small>
    </>
  );
};

/** Days since last use as a bar that fills up, amber then red, towards the "unused" threshold. */
export const LastUseCue: FC<{ token: TokenResponse; now: Date; thresholds: Thresholds }> = ({ token, now, thresholds }) => {
  if (neverUsed(token)) {
    return (
      <>
        <span class="badge amber">never used</span>
        <small>created {relativeTime(token.created_at, now)}</small>
      </>
    );
  }
  const at = parseTime(token.last_used_at);
  if (at === undefined) return <span class="badge">last use unknown</span>;
  const ago = Math.max(0, (now.getTime() - at) / DAY);
  const limit = thresholds.unusedDays;
  const label = `used ${relativeTime(token.last_used_at, now)}`;
  return (
    <>
      <meter min={0} max={limit} low={limit / 3} high={(limit * 2) / 3} optimum={0} value={Math.min(limit, ago)} title={label} aria-label={label} />
      {isStale(token, now, limit) ? <span class="badge red">{label}</span> : <span>{label}</span>}
      <small>{formatDate(token.last_used_at)}</small>
    </>
  );
};
