// Valid-looking JSON shapes per route: the fuzzer keeps their structure and breaks their types and contents.
import { CANCEL_BUTTON_ID, CONFIRM_BUTTON_ID } from "../../../src/chatops/button-ids";
import { demo } from "../../helpers";

const tokenValue = "AbCdEfGhIjKlMnOpQrStUvWxYz012345"; // token-shaped, never live in the emulator
const tokenId = demo.tokens.userNeverUsed.id;

export const SCANNER = [
  { tokens: [tokenValue] },
  { tokens: [{ token: tokenValue }] },
  [{ token: tokenValue, type: "fastly_api_token", url: "https://example.test/a.txt", source: "content" }],
  [{ RuleID: "fastly-api-token", Secret: tokenValue, File: "a.env", StartLine: 3, Commit: "abc123" }],
  { DetectorName: "Fastly", Raw: tokenValue, SourceMetadata: { Data: { Git: { file: "a.env", line: 3, repository: "acme/app" } } } },
];

export const PARTNER = [[{ token: tokenValue, type: "fastly_api_token", url: "https://example.test/a.txt", source: "content" }]];

export const GITHUB_ALERT = [
  { action: "created", alert: { number: 7, secret_type: "fastly_api_token", html_url: "https://github.test/a/7" }, repository: { full_name: "acme/app" } },
  { zen: "Keep it logically awesome.", hook_id: 1 },
];

export const BULK_REVOKE = [{ data: [{ id: tokenId, type: "token" }] }];

export const DISCORD = [
  { type: 1 },
  {
    id: "900000000000000001",
    application_id: "123456789012345678",
    type: 2,
    token: "interaction-token",
    guild_id: "700000000000000001",
    channel_id: "800000000000000001",
    member: { user: { id: "100000000000000001", username: "alice" }, roles: ["1"] },
    data: { id: "1", name: "fastly-tokens", type: 1, options: [{ name: "command", type: 3, value: "whoami" }] },
  },
  {
    id: "900000000000000002",
    application_id: "123456789012345678",
    type: 3,
    token: "interaction-token",
    member: { user: { id: "100000000000000001", username: "alice" }, roles: [] },
    message: { id: "1", flags: 64 },
    data: { custom_id: `${CONFIRM_BUTTON_ID}:v1.x.y`, component_type: 2 },
  },
];

export const MATTERMOST_ACTION = [
  { user_id: "alicemmuserid", user_name: "alice", channel_id: "c", team_id: "t", post_id: "p", context: { action: CONFIRM_BUTTON_ID, value: "v1.x.y" } },
  { user_id: "alicemmuserid", context: { action: CANCEL_BUTTON_ID, value: "" } },
];

/** Slack's interaction payload travels as JSON inside the form field `payload`. */
export const SLACK_PAYLOAD = [
  {
    type: "block_actions",
    user: { id: "U0ALICE", username: "alice", team_id: "T0ACME" },
    team: { id: "T0ACME" },
    channel: { id: "C0OPS" },
    response_url: "https://hooks.slack.com/actions/T0ACME/2/def",
    actions: [{ action_id: CONFIRM_BUTTON_ID, value: "v1.x.y" }],
  },
];
