import type { Context } from "hono";
import type { AppEnv } from "../../app-env";
import { summarizeLeaks } from "../../tokens/leak-summary";
import { LeaksPage } from "./pages/leaks-page";
import type { Viewer } from "./viewer";

/** `GET /dashboard/leaks` for a signed-in viewer: the last 30 days of the ledger (a restricted key: its customer's). */
export async function leaksView(c: Context<AppEnv>, viewer: Viewer, csrf: string | null): Promise<Response> {
  const summary = await summarizeLeaks(c.var.services.leakFigures, {
    nowMs: Date.now(),
    limit: 50,
    ...(viewer.customerId ? { customerId: viewer.customerId } : {}),
  });
  return c.html(<LeaksPage viewer={viewer} csrf={csrf} summary={summary} />);
}
