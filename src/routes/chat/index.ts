// The chat surfaces, mounted by src/app.ts at /slack, /discord and /mattermost. Setup: docs/chatops.md.
export { discord } from "./discord";
export { mattermost } from "./mattermost";
export { slack } from "./slack";
