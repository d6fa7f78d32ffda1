import { describe, expect, it } from "vitest";
import { renderDenied, renderError } from "../../../src/chatops/render/notices";
import { renderCancelled } from "../../../src/chatops/render/revoke-confirmation";
import { blocksOf } from "../table-helpers";

describe("short answers", () => {
  it("renders denials, errors and cancellations to the caller only", () => {
    const denied = renderDenied("Your user is not on the revoke allow-list.");
    expect(blocksOf(denied, "warning")[0]!.text).toBe("Not allowed. Your user is not on the revoke allow-list.");
    expect(renderError("`show` takes one token id.").blocks[0]).toEqual({ type: "warning", text: "`show` takes one token id." });
    expect(renderCancelled().text).toBe("Cancelled: nothing was revoked.");
    for (const m of [denied, renderError("x"), renderCancelled()]) expect(m.visibility).toBe("ephemeral");
  });
});
