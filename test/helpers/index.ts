// The test kit for the workers project, in one import: `import { callWorker, newSink, newTenant, testEnv } from "../helpers"`.
// Node-project tests (test/node) import ./emulator directly: the rest needs the workerd pool.
export * from "./console";
export * from "./core";
export * from "./d1";
export * from "./emulator";
export * from "./env";
export * from "./leaks";
export * from "./ledger-rows";
export * from "./owner-email";
export * from "./platform-limits";
export * from "./request";
export * from "./signed-post";
export * from "./sink";
export * from "./slack-api";
export * from "./storage";
