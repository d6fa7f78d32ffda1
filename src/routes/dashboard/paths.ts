/** Where the dashboard is mounted (src/app.ts: `app.route("/dashboard", dashboard)`); links are absolute. */
export const DASHBOARD_BASE = "/dashboard";

/** Token ids as the chat surface accepts them: 32 characters is the shape of a token value, never an id. */
export { TOKEN_ID } from "../../chatops/command";

export const revokePath = (tokenId: string) => `${DASHBOARD_BASE}/tokens/${encodeURIComponent(tokenId)}/revoke`;
