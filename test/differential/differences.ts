/**
 * Every deliberate difference between the Worker's Fastly-compatible API and Fastly (as the emulator models it).
 * Each title heads a row of the README's "Differences from Fastly (deliberate)" section (a Node test checks that)
 * and names a test in test/differential/deliberate.test.ts that shows the difference.
 */
export const DIFFERENCES = {
  dryRun: "Dry run",
  selfTokenGuard: "Self-token guard",
  createPolicy: "Create policy",
  apiKeys: "Worker API keys and their scopes",
  errorCode: "A `code` on the Worker's own errors",
  shapeFirst: "Shape checks come first",
  idShape: "Ids are checked before they travel",
  bulkMax: "At most 40 tokens per bulk revocation",
  bodyLimit: "Body size limit",
  unknownRoute: "Unknown routes do not echo the path",
  tombstones: "Tombstones answer for revoked tokens",
  cachedReads: "Cached reads",
  workerIsTheCaller: "Fastly sees the Worker as the caller",
  currentUser: "No `GET /current_user`",
} as const;

export type DifferenceId = keyof typeof DIFFERENCES;
