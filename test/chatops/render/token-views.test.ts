import { describe, expect, it } from "vitest";
import { renderTokenDetail } from "../../../src/chatops/render/token-detail";
import { renderWhoami } from "../../../src/chatops/render/whoami";
import { freshMultiScope, globalForever, NOW, purgeNeverUsed, readExpiring } from "../fixtures";
import { blocksOf, fieldMap } from "../table-helpers";

describe("renderWhoami and renderTokenDetail", () => {
  it("shows the Worker's token with its warnings", () => {
    const msg = renderWhoami(globalForever, NOW);
    const fields = fieldMap(blocksOf(msg, "fields")[0]!);
    expect(fields).toMatchObject({
      Name: "ci-deploy",
      ID: "`2j1hEyxXOEqYaSipeZHaW4`",
      Owner: "`1tSCjJnpQYBBCAsIfI6pX0`",
      Scope: "`global`",
      Services: "all services",
      Created: "400 days ago (2023-04-28 12:00 UTC)",
      "Last used": "92 days ago (2024-03-01 12:00 UTC)",
      Expiry: "never expires",
      Customer: "`51MumwLiSJyFTWhtbByYgR`",
    });
    expect(blocksOf(msg, "warning").map((b) => b.text)).toContain(
      "Global scope and no expiry: this token works until someone revokes it.",
    );
    expect(msg.visibility).toBe("ephemeral");
    expect(msg.text).toBe(
      "This Worker uses the token ci-deploy (2j1hEyxXOEqYaSipeZHaW4): global, never expires.",
    );
  });

  it("shows one token in full, with where it was last used from", () => {
    const msg = renderTokenDetail(globalForever, NOW);
    expect(blocksOf(msg, "header")[0]!.text).toBe("Token ci-deploy");
    expect(fieldMap(blocksOf(msg, "fields")[0]!)["Last used from"]).toBe("`192.0.2.10` FastlyGo/2.1.0");
    expect(msg.text).toBe("Token ci-deploy (2j1hEyxXOEqYaSipeZHaW4): global, last used 92 days ago, never expires.");
  });

  it("describes relative expiry and never-used tokens", () => {
    expect(fieldMap(blocksOf(renderTokenDetail(readExpiring, NOW), "fields")[0]!)).toMatchObject({
      Expiry: "expires in 3 days (2024-06-04 12:00 UTC)",
      "Last used": "2 hours ago (2024-06-01 10:00 UTC)",
      Services: "`0Us63sb8R1BpWQBIhluncu`",
    });
    expect(fieldMap(blocksOf(renderTokenDetail(purgeNeverUsed, NOW), "fields")[0]!)).toMatchObject({
      "Last used": "never used",
      Scope: "`purge_select` `purge_all`",
    });
    expect(blocksOf(renderTokenDetail(freshMultiScope, NOW), "warning")).toEqual([]);
  });

  it("lists at most five services and counts the rest", () => {
    const many = { ...readExpiring, service_id: null, services: Array.from({ length: 8 }, (_, i) => `svc${i}`) };
    expect(fieldMap(blocksOf(renderTokenDetail(many, NOW), "fields")[0]!).Services).toBe(
      "`svc0` `svc1` `svc2` `svc3` `svc4` and 3 more",
    );
  });

  it("copes with a token that has almost no fields", () => {
    const msg = renderTokenDetail({}, NOW);
    expect(fieldMap(blocksOf(msg, "fields")[0]!)).toMatchObject({ Name: "(unnamed)", ID: "—", Scope: "—", Created: "unknown" });
  });
});
