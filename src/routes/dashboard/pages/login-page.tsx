import type { FC } from "hono/jsx";
import { DASHBOARD_BASE } from "../paths";
import { Layout, type Notice, NoticeBox } from "./layout";

export interface LoginPageProps {
  notice?: Notice;
  /** False when no session secret is configured: the form would be useless. */
  apiKeyLogin: boolean;
  accessConfigured: boolean;
}

/** The login page: an API-key form (the key is posted once and never stored) and a pointer to Cloudflare Access. */
export const LoginPage: FC<LoginPageProps> = ({ notice, apiKeyLogin, accessConfigured }) => (
  <Layout title="Sign in">
    <section class="login">
      <h2>Sign in to the token dashboard</h2>
      {notice && <NoticeBox notice={notice} />}
      {apiKeyLogin ? (
        <form method="post" action={`${DASHBOARD_BASE}/login`} autocomplete="off">
          <label for="api_key">Worker API key</label>
          <input id="api_key" name="api_key" type="password" required autocomplete="off" spellcheck={false} />
          <p class="muted">
            A key with the <code>read</code> scope shows the inventory; revoking also needs <code>revoke</code>. The key is checked and
            forgotten: the session cookie names the key, never holds it.
          </p>
          <div class="actions">
            <button type="submit">Sign in</button>
          </div>
        </form>
      ) : (
        <p>
          API-key sign-in is not configured: set <code>DASHBOARD_SESSION_SECRET</code> (or <code>SEAL_SECRET</code>).
        </p>
      )}
      {accessConfigured && <p class="muted">Or open this page through the Cloudflare Access application that protects it.</p>}
    </section>
  </Layout>
);
