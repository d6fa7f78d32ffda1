import { raw } from "hono/html";
import type { Child, FC } from "hono/jsx";
import { DASHBOARD_BASE } from "../paths";

export interface LayoutProps {
  title: string;
  /** Who is signed in, for the top bar; absent on the login page. */
  signedIn?: { principal: string; via: "access" | "apikey"; csrf: string | null; admin?: boolean };
  children?: Child;
}

/** The page shell. No script anywhere: every action is a link or a form. */
export const Layout: FC<LayoutProps> = ({ title, signedIn, children }) => (
  <>
    {/* Without a doctype the browser renders in quirks mode. */}
    {raw("<!DOCTYPE html>")}
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{title} · Fastly tokens</title>
        <link rel="stylesheet" href={`${DASHBOARD_BASE}/assets/dashboard.css`} />
      </head>
      <body>
        <header class="top">
          <h1>
            <a href={DASHBOARD_BASE}>Fastly tokens</a>
          </h1>
          {signedIn && (
            <>
              <span class="who" data-testid="signed-in-as">
                Signed in as {signedIn.principal}
              </span>
              {signedIn.via === "apikey" && signedIn.csrf !== null ? (
                <>
                  <form method="post" action={`${DASHBOARD_BASE}/logout`}>
                    <input type="hidden" name="csrf" value={signedIn.csrf} />
                    <button type="submit">Sign out</button>
                  </form>
                  {signedIn.admin && (
                    <form method="post" action={`${DASHBOARD_BASE}/sign-out-everywhere`}>
                      <input type="hidden" name="csrf" value={signedIn.csrf} />
                      <button type="submit" data-testid="sign-out-everywhere">
                        Sign everyone out
                      </button>
                    </form>
                  )}
                </>
              ) : signedIn.via === "access" ? (
                <a class="button" href="/cdn-cgi/access/logout">
                  Sign out
                </a>
              ) : null}
            </>
          )}
        </header>
        <main>{children}</main>
      </body>
    </html>
  </>
);

export interface Notice {
  kind: "ok" | "warn" | "error";
  text: string;
  items?: string[];
}

export const NoticeBox: FC<{ notice: Notice }> = ({ notice }) => (
  <div class={`notice ${notice.kind}`} role={notice.kind === "error" ? "alert" : "status"} data-testid="notice">
    {notice.text}
    {notice.items && notice.items.length > 0 && (
      <ul>
        {notice.items.map((item) => (
          <li>{item}</li>
        ))}
      </ul>
    )}
  </div>
);
