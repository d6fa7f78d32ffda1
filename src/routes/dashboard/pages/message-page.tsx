import type { FC } from "hono/jsx";
import { DASHBOARD_BASE } from "../paths";
import { Layout } from "./layout";

export interface MessagePageProps {
  title: string;
  text: string;
  kind?: "warn" | "error";
  /** A sign-in link for "forbidden" pages, so the way forward is obvious. */
  offerLogin?: boolean;
}

/** Forbidden, not found and error pages: what happened and where to go next. Nothing in them comes from the request. */
export const MessagePage: FC<MessagePageProps> = ({ title, text, kind = "error", offerLogin }) => (
  <Layout title={title}>
    <section class="login">
      <h2>{title}</h2>
      <div class={`notice ${kind}`} role="alert" data-testid="notice">
        {text}
      </div>
      <div class="actions">
        <a class="button" href={DASHBOARD_BASE}>
          Back to the dashboard
        </a>
        {offerLogin && (
          <a class="button" href={`${DASHBOARD_BASE}/login`}>
            Sign in with another key
          </a>
        )}
      </div>
    </section>
  </Layout>
);
