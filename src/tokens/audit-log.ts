import type { AuditEntry } from "./audit-entry";

const PREFIX = "audit:";
// Keys sort ascending in KV lists, so an inverted timestamp lists newest first.
const MAX_MS = 9_999_999_999_999;
// KV list metadata is capped at 1024 bytes; entries are kept well under it so one list call returns whole entries.
const MAX_DETAIL = 300;
// KV's metadata cap: 1024 bytes of serialized JSON (measured on the ASCII-only wrapper, so characters are bytes).
const MAX_METADATA = 1024;

/** KV sends metadata in a header, so it must be ASCII: escape everything else the way JSON allows. */
const asciiJson = (value: unknown) =>
  JSON.stringify(value).replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);

export interface AuditPage {
  entries: AuditEntry[];
  cursor: string | null;
}

/** Append-only audit trail in KV with a retention TTL. Callers must never pass secrets (entries hold ids/hashes). */
export class AuditLog {
  constructor(
    private readonly kv: KVNamespace,
    private readonly retentionSeconds: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async append(entry: Omit<AuditEntry, "id" | "at">): Promise<AuditEntry> {
    const at = this.now();
    const random = crypto.getRandomValues(new Uint8Array(4));
    const id = `${String(MAX_MS - at.getTime()).padStart(13, "0")}-${[...random].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
    const full: AuditEntry = {
      id,
      at: at.toISOString(),
      ...entry,
      detail: entry.detail?.slice(0, MAX_DETAIL),
    };
    if (full.detail === undefined) delete full.detail;
    // Whole entries ride in the key's metadata so one list call reads a page; an entry too big for KV's 1024-byte
    // metadata cap (long non-ASCII names escape to ~7 bytes a character) is stored without it and read by key.
    const j = asciiJson(full);
    const metadata = JSON.stringify({ j }).length <= MAX_METADATA ? { j } : undefined;
    try {
      await this.kv.put(PREFIX + id, JSON.stringify(full), { expirationTtl: this.retentionSeconds, metadata });
    } catch (err) {
      // The action already happened; a failed audit write must not turn its success into an error. Say so loudly.
      console.error(JSON.stringify({ event: "audit_write_failed", operation: full.operation, result: full.result, error: (err as Error).name }));
    }
    return full;
  }

  /** Newest first. `cursor` comes from the previous page. */
  async list(limit = 50, cursor?: string | null): Promise<AuditPage> {
    const page = await this.kv.list<{ j: string }>({ prefix: PREFIX, limit: Math.min(Math.max(limit, 1), 1000), cursor: cursor ?? undefined });
    const entries = await Promise.all(
      page.keys.map(async (k) => (k.metadata ? (JSON.parse(k.metadata.j) as AuditEntry) : await this.kv.get<AuditEntry>(k.name, "json"))),
    );
    return {
      entries: entries.filter((e): e is AuditEntry => e !== null),
      cursor: page.list_complete ? null : page.cursor,
    };
  }
}
