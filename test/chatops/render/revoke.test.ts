import { describe, expect, it } from "vitest";
import { CANCEL_BUTTON_ID, CONFIRM_BUTTON_ID } from "../../../src/chatops/button-ids";
import { renderRevokeConfirmation } from "../../../src/chatops/render/revoke-confirmation";
import { renderRevokeResult } from "../../../src/chatops/render/revoke-result";
import { globalForever, NOW, readExpiring } from "../fixtures";
import { blocksOf, fieldMap } from "../table-helpers";

describe("renderRevokeConfirmation", () => {
  it("shows name, owner, scope, services, created, last used and expiry for every token", () => {
    const msg = renderRevokeConfirmation([globalForever, readExpiring], "signed.value", NOW);
    const fields = blocksOf(msg, "fields").map(fieldMap);
    expect(fields).toHaveLength(2);
    for (const f of fields) {
      expect(Object.keys(f)).toEqual(expect.arrayContaining(["Name", "ID", "Owner", "Scope", "Services", "Created", "Last used", "Expiry"]));
    }
    expect(fields[0]).toMatchObject({ Name: "ci-deploy", Owner: "`1tSCjJnpQYBBCAsIfI6pX0`", Expiry: "never expires" });
    expect(fields[0]!.Warnings).toContain("Global scope and no expiry");
    expect(fields[1]).toMatchObject({ Name: "dashboard-reader", Expiry: "expires in 3 days (2024-06-04 12:00 UTC)" });
    expect(blocksOf(msg, "header")[0]!.text).toBe("Revoke these 2 tokens?");
    expect(msg.visibility).toBe("ephemeral");
  });

  it("offers a danger confirm button and a cancel button carrying the route's value", () => {
    const msg = renderRevokeConfirmation([globalForever], "signed.value", NOW);
    expect(blocksOf(msg, "actions")[0]!.buttons).toEqual([
      { id: CONFIRM_BUTTON_ID, label: "Revoke token", style: "danger", value: "signed.value" },
      { id: CANCEL_BUTTON_ID, label: "Cancel", value: "signed.value" },
    ]);
    expect(blocksOf(msg, "header")[0]!.text).toBe("Revoke this token?");
    expect(blocksOf(msg, "context").at(-1)!.text).toBe("Nothing has been revoked yet.");
  });

  it("offers no buttons when there is nothing to revoke", () => {
    expect(blocksOf(renderRevokeConfirmation([], "v", NOW), "actions")).toEqual([]);
  });
});
describe("renderRevokeResult", () => {
  it("announces revocations in the channel, with the actor", () => {
    const msg = renderRevokeResult({ revoked: [globalForever], failed: [], dryRun: false, actor: "slack:T1/U2" }, NOW);
    expect(msg.visibility).toBe("in_channel");
    expect(blocksOf(msg, "header")[0]!.text).toBe("Revoked 1 token");
    expect(blocksOf(msg, "text")[0]!.text).toBe(
      "• `ci-deploy` (`2j1hEyxXOEqYaSipeZHaW4`), owner `1tSCjJnpQYBBCAsIfI6pX0`, scope `global`",
    );
    expect(blocksOf(msg, "context")[0]!.text).toBe("By `slack:T1/U2` at 2024-06-01 12:00 UTC");
  });

  it("lists failures next to successes", () => {
    const msg = renderRevokeResult(
      { revoked: [globalForever], failed: [{ tokenId: "5NSGsvF9ybBxXAdEQhcYPz", reason: "Token lookup failed." }], dryRun: false, actor: "a" },
      NOW,
    );
    expect(blocksOf(msg, "warning")[0]!.text).toBe("Not revoked:\n• `5NSGsvF9ybBxXAdEQhcYPz`: Token lookup failed.");
    expect(msg.text).toBe("Revoked 1 token: ci-deploy (2j1hEyxXOEqYaSipeZHaW4). 1 failed.");
  });

  it("keeps a dry run and a complete failure to the caller", () => {
    const dry = renderRevokeResult({ revoked: [globalForever], failed: [], dryRun: true, actor: "a" }, NOW);
    expect(dry.visibility).toBe("ephemeral");
    expect(blocksOf(dry, "header")[0]!.text).toBe("Dry run: nothing was revoked");
    const failed = renderRevokeResult({ revoked: [], failed: [{ tokenId: "x", reason: "403" }], dryRun: false, actor: "a" }, NOW);
    expect(failed.visibility).toBe("ephemeral");
    expect(blocksOf(failed, "header")[0]!.text).toBe("Revocation failed");
  });
});
