import type { AuditEntry } from "../../tokens/audit-entry";
import type { ChatMessage } from "../message";
import { formatTable } from "../table";
import { formatDate, relativeTime } from "../time";

/** Newest first, whatever order the entries come in. */
export function renderAudit(entries: AuditEntry[], now: Date): ChatMessage {
  if (entries.length === 0) {
    return { text: "No audit entries yet.", visibility: "ephemeral", blocks: [{ type: "text", text: "No audit entries yet." }] };
  }
  const sorted = [...entries].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  const rows = sorted.map((e) => [
    relativeTime(e.at, now),
    e.principal,
    e.surface,
    e.operation,
    e.result,
    e.tokenName || e.tokenId || (e.tokenHash ? `sha256:${e.tokenHash.slice(0, 12)}` : ""),
    e.detail ?? "",
  ]);
  const n = entries.length;
  return {
    text: `Audit log: the last ${n} entr${n === 1 ? "y" : "ies"}.`,
    visibility: "ephemeral",
    blocks: [
      { type: "header", text: `Audit log: last ${n} entr${n === 1 ? "y" : "ies"}` },
      { type: "code", text: formatTable(["WHEN", "BY", "SURFACE", "OPERATION", "RESULT", "TOKEN", "DETAIL"], rows, 28) },
      { type: "context", text: `Times relative to ${formatDate(now.toISOString())}.` },
    ],
  };
}
