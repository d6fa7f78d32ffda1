import { utf8 } from "../../src/crypto/bytes";
import { verifyStandardWebhook } from "../../src/verify/standard-webhooks";

/** What a receiver would conclude about a post a sink captured: Standard Webhooks over the exact bytes it got. */
export function verifySignedPost(got: { body: string; headers: Record<string, string> }, secret: string) {
  return verifyStandardWebhook({
    secrets: [secret],
    rawBody: utf8(got.body),
    id: got.headers["webhook-id"] ?? null,
    timestamp: got.headers["webhook-timestamp"] ?? null,
    signature: got.headers["webhook-signature"] ?? null,
  });
}
