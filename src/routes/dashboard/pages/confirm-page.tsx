import type { FC } from "hono/jsx";
import { formatDate, relativeTime, tokenWarnings } from "../../../chatops/time";
import type { TokenResponse } from "../../../fastly/schemas";
import type { Thresholds } from "../../../hygiene/classify";
import { tokenServices } from "../../../tokens/token-facts";
import { DASHBOARD_BASE, revokePath } from "../paths";
import type { Viewer } from "../viewer";
import { ExpiryCue, LastUseCue, ScopeBadges } from "./cues";
import { Layout } from "./layout";

export interface ConfirmPageProps {
  viewer: Viewer;
  csrf: string;
  token: TokenResponse;
  isOwnToken: boolean;
  now: Date;
  thresholds: Thresholds;
}

/** Everything about the token, then one form: nothing is revoked until it is submitted. */
export const ConfirmPage: FC<ConfirmPageProps> = ({ viewer, csrf, token, isOwnToken, now, thresholds }) => {
  const services = tokenServices(token);
  const warnings = tokenWarnings(token, now);
  return (
    <Layout title="Revoke token?" signedIn={{ principal: viewer.principal, via: viewer.via, csrf, admin: viewer.admin }}>
      <section>
        <h2>Revoke this token?</h2>
        <dl class="token">
          <dt>Name</dt>
          <dd data-testid="confirm-name">{token.name || "(unnamed)"}</dd>
          <dt>ID</dt>
          <dd>
            <code>{token.id}</code>
          </dd>
          <dt>Owner</dt>
          <dd>
            <code>{token.user_id}</code>
          </dd>
          <dt>Scope</dt>
          <dd>
            <ScopeBadges token={token} />
          </dd>
          <dt>Services</dt>
          <dd>{services.length === 0 ? "all services" : services.join(", ")}</dd>
          <dt>Created</dt>
          <dd>
            {relativeTime(token.created_at, now)} ({formatDate(token.created_at)})
          </dd>
          <dt>Last used</dt>
          <dd class="cue">
            <LastUseCue token={token} now={now} thresholds={thresholds} />
          </dd>
          <dt>Expiry</dt>
          <dd class="cue">
            <ExpiryCue token={token} now={now} thresholds={thresholds} />
          </dd>
        </dl>
        {warnings.length > 0 && (
          <div class="notice warn">
            {warnings.map((w) => (
              <div>{w}</div>
            ))}
          </div>
        )}
        {isOwnToken ? (
          <div class="notice error" role="alert" data-testid="notice">
            This is the token the Worker itself runs with (FASTLY_API_TOKEN). The dashboard will not revoke it: rotate it through the
            Worker's secrets.
          </div>
        ) : (
          <>
            <div class="notice error">
              Revocation is immediate and cannot be undone: anything still using this token will start failing.
            </div>
            <form method="post" action={revokePath(token.id ?? "")} class="actions">
              <input type="hidden" name="csrf" value={csrf} />
              <button type="submit" class="danger" data-testid="confirm-revoke">
                Revoke token
              </button>
              <a class="button" href={DASHBOARD_BASE}>
                Cancel
              </a>
            </form>
          </>
        )}
      </section>
    </Layout>
  );
};
