import { describe, expect, it } from "vitest";
import { parseCommand } from "../../../src/chatops/command";
import { toDiscordMessage } from "../../../src/chatops/discord-render";
import { toMattermostMessage } from "../../../src/chatops/mattermost-render";
import type { TokenResponse } from "../../../src/fastly/schemas";
import { renderLeakNotice } from "../../../src/chatops/render/leak";
import { renderDenied, renderError } from "../../../src/chatops/render/notices";
import { renderRevokeConfirmation } from "../../../src/chatops/render/revoke-confirmation";
import { renderRevokeResult } from "../../../src/chatops/render/revoke-result";
import { renderTokenDetail } from "../../../src/chatops/render/token-detail";
import { renderTokenList } from "../../../src/chatops/render/token-list";
import { renderWhoami } from "../../../src/chatops/render/whoami";
import { toSlackMessage } from "../../../src/chatops/slack-render";
import { expiredPurge, globalForever, NOW, readExpiring, SECRET_DASHED, SECRET_PLAIN } from "../fixtures";
import { blocksOf, fieldMap } from "../table-helpers";

const all = (value: unknown) => JSON.stringify(value);

describe("secrets never appear in rendered output", () => {
  const secrets = [SECRET_PLAIN, SECRET_DASHED];

  it("renders the parse error for a pasted token without the token, on every platform", () => {
    for (const secret of secrets) {
      const parsed = parseCommand(`revoke ${secret}`);
      expect(parsed.ok).toBe(false);
      if (parsed.ok) continue;
      const msg = renderError(parsed.error);
      for (const out of [msg, toSlackMessage(msg), toDiscordMessage(msg), toMattermostMessage(msg)]) {
        expect(all(out)).not.toContain(secret);
      }
      const notice = renderLeakNotice({ status: "revoked", token: globalForever }, NOW);
      for (const out of [toSlackMessage(notice), toDiscordMessage(notice), toMattermostMessage(notice)]) {
        expect(all(out)).not.toContain(secret);
        expect(all(out)).toContain("2j1hEyxXOEqYaSipeZHaW4");
      }
    }
  });

  it("redacts a token that reaches an error, denial or failure reason anyway", () => {
    for (const secret of secrets) {
      expect(all(renderError(`bad token ${secret}`))).not.toContain(secret);
      expect(all(renderDenied(`no ${secret}`))).not.toContain(secret);
      const result = renderRevokeResult({ revoked: [], failed: [{ tokenId: "x", reason: `key ${secret} refused` }], dryRun: false, actor: "a" }, NOW);
      expect(all(result)).not.toContain(secret);
      expect(all(result)).toContain("[redacted token]");
    }
  });

  it("explains a leak for every outcome without the token, with how to report leaks", () => {
    const token: TokenResponse & { access_token: string } = { ...globalForever, access_token: SECRET_PLAIN };
    for (const status of ["revoked", "already_revoked", "not_live", "queued", "dry_run"] as const) {
      const msg = renderLeakNotice({ status, token }, NOW);
      expect(all(msg)).not.toContain(SECRET_PLAIN);
      expect(msg.visibility).toBe("ephemeral");
      expect(all(msg)).toContain("Rotate");
      expect(all(msg)).toContain("leak webhook");
      expect(all(msg)).toContain("never by value");
    }
    expect(all(renderLeakNotice({ status: "revoked", token }, NOW))).toContain("has been *revoked*");
    expect(all(renderLeakNotice({ status: "queued" }, NOW))).toContain("*queued*");
    expect(all(renderLeakNotice({ status: "dry_run" }, NOW))).toContain("Revoke it yourself now");
    expect(fieldMap(blocksOf(renderLeakNotice({ status: "revoked", token }, NOW), "fields")[0]!).Name).toBe("ci-deploy");
  });

  it("never renders a token's access_token field", () => {
    const created = { ...readExpiring, access_token: SECRET_DASHED } as TokenResponse;
    for (const msg of [
      renderWhoami(created, NOW),
      renderTokenDetail(created, NOW),
      renderTokenList([created], { target: "mine" }, NOW),
      renderRevokeConfirmation([created], "v", NOW),
      renderRevokeResult({ revoked: [created], failed: [], dryRun: false, actor: "a" }, NOW),
    ]) {
      expect(all(msg)).not.toContain(SECRET_DASHED);
    }
  });

  it("redacts a token-shaped token name as a last line of defence", () => {
    const named = { ...expiredPurge, name: SECRET_DASHED };
    expect(all(renderTokenList([named], { target: "mine" }, NOW))).not.toContain(SECRET_DASHED);
    expect(all(renderTokenDetail(named, NOW))).not.toContain(SECRET_DASHED);
  });
});
