import type { TokenResponse } from "../../fastly/schemas";
import type { Block } from "../message";
import { codeSpan, plainText } from "../safe-text";
import { describeExpiry, formatDate, relativeTime, tokenWarnings } from "../time";
import { tokenServices, tokenScopes } from "../../tokens/token-facts";

// The pieces every token view shares: how a token is named in a sentence and what a person needs to see of it.

/** The fields a person needs to recognise a token before acting on it. */
export function tokenFields(token: TokenResponse, now: Date): { label: string; value: string }[] {
  const services = tokenServices(token);
  const shownServices = services.slice(0, 5).map((s) => codeSpan(s, 40));
  if (services.length > shownServices.length) shownServices.push(`and ${services.length - shownServices.length} more`);
  return [
    { label: "Name", value: plainText(token.name, 100) || "(unnamed)" },
    { label: "ID", value: codeSpan(token.id) },
    { label: "Owner", value: codeSpan(token.user_id) },
    { label: "Scope", value: tokenScopes(token).map((s) => codeSpan(s)).join(" ") || "—" },
    { label: "Services", value: services.length === 0 ? "all services" : shownServices.join(" ") },
    { label: "Created", value: token.created_at ? `${relativeTime(token.created_at, now)} (${formatDate(token.created_at)})` : "unknown" },
    {
      label: "Last used",
      value: token.last_used_at ? `${relativeTime(token.last_used_at, now)} (${formatDate(token.last_used_at)})` : "never used",
    },
    { label: "Expiry", value: token.expires_at ? `${describeExpiry(token, now)} (${formatDate(token.expires_at)})` : "never expires" },
  ];
}

export function warningBlocks(token: TokenResponse, now: Date): Block[] {
  return tokenWarnings(token, now).map((text) => ({ type: "warning", text }));
}

/** "name (id)" for sentences and fallback texts. */
export function tokenLabel(token: TokenResponse): string {
  const name = plainText(token.name, 60) || "(unnamed)";
  return token.id ? `${name} (${plainText(token.id, 40)})` : name;
}

/** The scope as one inert phrase, for the fallback texts of whoami and show. */
export function scopePhrase(token: TokenResponse): string {
  return plainText(tokenScopes(token).join(" "), 60) || "no scope";
}
