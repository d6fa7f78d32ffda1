/** Where the dashboard is mounted (src/app.ts: `app.route("/dashboard", dashboard)`); links are absolute. */
export const DASHBOARD_BASE = "/dashboard";

/** Fastly token ids are 22 base62 characters; the chat surface accepts 16 to 32, and so does this one. */
export const TOKEN_ID = /^[A-Za-z0-9]{16,32}$/;

export const revokePath = (tokenId: string) => `${DASHBOARD_BASE}/tokens/${encodeURIComponent(tokenId)}/revoke`;
