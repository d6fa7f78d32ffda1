import { describe, expect, it } from "vitest";
import { renderAudit } from "../../../src/chatops/render/audit";
import type { AuditEntry } from "../../../src/tokens/audit-entry";
import { daysFromNow, hoursFromNow, NOW } from "../fixtures";
import { blocksOf, codeBlocks, readTable } from "../table-helpers";

describe("renderAudit", () => {
  const entries: AuditEntry[] = [
    { id: "1", at: daysFromNow(-3), surface: "api", principal: "apikey:ci", operation: "createToken", result: "ok", tokenId: "2j1hEyxXOEqYaSipeZHaW4" },
    { id: "2", at: hoursFromNow(-1), surface: "slack", principal: "slack:T1/U2", operation: "revokeToken", result: "ok", tokenName: "ci-deploy" },
    { id: "3", at: daysFromNow(-1), surface: "leak", principal: "github", operation: "leakRevoke", result: "not_live", tokenHash: "ab".repeat(32), detail: "secret scanning alert 7" },
  ];

  it("tabulates entries newest first, naming tokens by name, id or hash prefix", () => {
    const msg = renderAudit(entries, NOW);
    const table = readTable(codeBlocks(msg)[0]!);
    expect(table.header).toEqual(["WHEN", "BY", "SURFACE", "OPERATION", "RESULT", "TOKEN", "DETAIL"]);
    expect(table.rows).toEqual([
      ["1 hour ago", "slack:T1/U2", "slack", "revokeToken", "ok", "ci-deploy", ""],
      ["1 day ago", "github", "leak", "leakRevoke", "not_live", "sha256:abababababab", "secret scanning alert 7"],
      ["3 days ago", "apikey:ci", "api", "createToken", "ok", "2j1hEyxXOEqYaSipeZHaW4", ""],
    ]);
    expect(blocksOf(msg, "header")[0]!.text).toBe("Audit log: last 3 entries");
  });

  it("says so when there are no entries", () => {
    expect(renderAudit([], NOW).text).toBe("No audit entries yet.");
  });
});
