import type { LeakContext } from "../../tokens/leak-outcome";

/** One leaked value found in a report, with where it was found (never logged with the value). */
export interface Finding {
  token: string;
  type: string;
  url?: string;
  repository?: string;
  /** ISO 8601: the finding's commit date, where the report carries one (the start of time to revoke). */
  firstSeenAt?: string;
}

export type ParsedReport = { format: "tokens" | "partner" | "gitleaks" | "trufflehog"; findings: Finding[]; ignored: number };

/** The shape of a Fastly API token: 32 URL-safe base64 characters. */
export const FASTLY_TOKEN = /^[A-Za-z0-9_-]{32}$/;
const GITLEAKS_RULE = "fastly-api-token";
const TRUFFLEHOG_DETECTOR = /^fastly/i;

const str = (v: unknown) => (typeof v === "string" ? v : undefined);
const obj = (v: unknown) => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

/**
 * Recognises the report shapes a CI step can post as is:
 * `{"tokens": [...]}`, the partner-format array `[{token,type,url,source}]`, a gitleaks JSON report (findings of rule
 * `fastly-api-token`) and TruffleHog JSON lines (its Fastly detector). Returns null for anything else.
 */
export function parseScannerReport(text: string, partnerTypes: string[]): ParsedReport | null {
  const trimmed = text.trim();
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    return parseTruffleHogLines(trimmed);
  }
  const root = obj(json);
  if (root && Array.isArray(root.tokens)) {
    const values = root.tokens.map((t) => (typeof t === "string" ? t : str(obj(t)?.token)));
    return collect("tokens", values.map((token) => ({ token, type: "fastly_api_token" })));
  }
  if (root && str(root.DetectorName) !== undefined) return parseTruffleHogLines(trimmed);
  if (!Array.isArray(json)) return null;
  if (json.length === 0) return { format: "partner", findings: [], ignored: 0 };
  const first = obj(json[0]);
  if (first && "RuleID" in first) {
    return collect(
      "gitleaks",
      json.map((f) => {
        const o = obj(f) ?? {};
        if (str(o.RuleID) !== GITLEAKS_RULE) return { token: undefined, type: "" };
        const file = str(o.File);
        const line = typeof o.StartLine === "number" ? `:${o.StartLine}` : "";
        return {
          token: str(o.Secret),
          type: GITLEAKS_RULE,
          url: file ? `${file}${line}` : undefined,
          repository: str(o.Commit) ? `commit ${str(o.Commit)}` : undefined,
          firstSeenAt: commitDate(o.Date),
        };
      }),
    );
  }
  return collect(
    "partner",
    json.map((f) => {
      const o = obj(f) ?? {};
      const type = str(o.type) ?? "";
      return { token: partnerTypes.includes(type) ? str(o.token) : undefined, type, url: str(o.url) || undefined };
    }),
  );
}

function parseTruffleHogLines(text: string): ParsedReport | null {
  const lines = text.split("\n").filter((l) => l.trim());
  const findings: { token?: string; type: string; url?: string; repository?: string; firstSeenAt?: string }[] = [];
  for (const line of lines) {
    let o: Record<string, unknown> | undefined;
    try {
      o = obj(JSON.parse(line));
    } catch {
      return null;
    }
    if (!o || str(o.DetectorName) === undefined) return null;
    const git = obj(obj(obj(o.SourceMetadata)?.Data)?.Git);
    findings.push({
      token: TRUFFLEHOG_DETECTOR.test(str(o.DetectorName) ?? "") ? str(o.Raw) : undefined,
      type: str(o.DetectorName) ?? "",
      url: git ? [str(git.file), git.line].filter(Boolean).join(":") || undefined : undefined,
      repository: git ? str(git.repository) : undefined,
      firstSeenAt: git ? commitDate(git.timestamp) : undefined,
    });
  }
  return collect("trufflehog", findings);
}

/**
 * A commit date as ISO 8601, or undefined: gitleaks gives `Date` as ISO 8601 ("2021-11-02T23:37:53Z"), TruffleHog's
 * git source `timestamp` as git prints it ("2022-06-16 10:17:40 -0700").
 */
function commitDate(value: unknown): string | undefined {
  const text = str(value)?.trim();
  if (!text) return undefined;
  const git = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) ([+-]\d{2})(\d{2})$/.exec(text);
  const ms = Date.parse(git ? `${git[1]}T${git[2]}${git[3]}:${git[4]}` : text);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

function collect(format: ParsedReport["format"], items: { token?: string; type: string; url?: string; repository?: string; firstSeenAt?: string }[]): ParsedReport {
  const findings: Finding[] = [];
  let ignored = 0;
  for (const item of items) {
    if (item.token && FASTLY_TOKEN.test(item.token)) findings.push({ ...item, token: item.token });
    else ignored++;
  }
  return { format, findings, ignored };
}

/** The report context of a finding, for audit and notification. */
export function contextOf(source: LeakContext["source"], f: Finding, extra: Partial<LeakContext> = {}): LeakContext {
  return {
    source,
    ...(f.url ? { url: f.url } : {}),
    ...(f.repository ? { repository: f.repository } : {}),
    ...(f.firstSeenAt ? { firstSeenAt: f.firstSeenAt } : {}),
    ...extra,
  };
}
