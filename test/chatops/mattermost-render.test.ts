import { describe, expect, it } from "vitest";
import { toMattermostMessage } from "../../src/chatops/mattermost-render";
import { renderRevokeConfirmation } from "../../src/chatops/render/revoke-confirmation";
import { renderTokenList } from "../../src/chatops/render/token-list";
import { renderWhoami } from "../../src/chatops/render/whoami";
import { toMattermostMessage as fromSlackModule } from "../../src/chatops/slack-render";
import { allTokens, globalForever, NOW, readExpiring } from "./fixtures";

describe("toMattermostMessage", () => {
  it("renders markdown with the table in a code fence and always sets response_type", () => {
    const out = toMattermostMessage(renderTokenList(allTokens, { target: "customer" }, NOW));
    expect(out.response_type).toBe("ephemeral");
    expect(out.text.startsWith("**Tokens of the customer account**\n\n5 of 5 tokens\n\n```\nNAME")).toBe(true);
    expect(out.text.split("```").length - 1).toBe(2);
    expect(out.attachments).toBeUndefined();
  });

  it("writes fields as bold labels, one per line", () => {
    const out = toMattermostMessage(renderWhoami(globalForever, NOW));
    expect(out.text).toContain("**Name:** ci-deploy\n**ID:** `2j1hEyxXOEqYaSipeZHaW4`");
    expect(out.text).toContain("⚠️ Global scope and no expiry");
  });

  it("says the confirmation needs buttons when no action URL is configured", () => {
    const out = toMattermostMessage(renderRevokeConfirmation([globalForever], "v", NOW));
    expect(out.text).toContain("This step needs buttons");
    expect(out.attachments).toBeUndefined();
  });

  it("adds interactive buttons that post back the button id and value when given an action URL", () => {
    const out = toMattermostMessage(renderRevokeConfirmation([globalForever], "signed", NOW), { actionUrl: "https://w.example/mattermost/actions" });
    expect(out.text).not.toContain("This step needs buttons");
    expect(out.attachments).toEqual([
      {
        fallback: "Confirm revoking 1 token: ci-deploy (2j1hEyxXOEqYaSipeZHaW4)",
        actions: [
          {
            id: "revokeconfirm",
            name: "Revoke token",
            type: "button",
            style: "danger",
            integration: { url: "https://w.example/mattermost/actions", context: { action: "revoke_confirm", value: "signed" } },
          },
          {
            id: "revokecancel",
            name: "Cancel",
            type: "button",
            style: "default",
            integration: { url: "https://w.example/mattermost/actions", context: { action: "revoke_cancel", value: "signed" } },
          },
        ],
      },
    ]);
  });

  it("defuses @-mentions from token names", () => {
    const out = toMattermostMessage(renderWhoami({ ...readExpiring, name: "@channel" }, NOW));
    expect(out.text).not.toContain("@channel");
    expect(out.text).toContain("@\u200bchannel");
  });

  it("is also exported from slack-render, where the brief lists it", () => {
    expect(fromSlackModule).toBe(toMattermostMessage);
  });
});
