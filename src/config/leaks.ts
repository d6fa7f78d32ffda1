import * as z from "zod/mini";
import { type EnvShape, int, secret, tokenList, url, urlOr, words, wordsOr } from "./fields";

const settings = {
  SEAL_SECRET: secret(16),
  SUBREQUEST_BUDGET: int(50, 10, 1000),
  LEAK_MAX_ATTEMPTS: int(6, 1, 100),
  // Fastly documents no maximum for a bulk revocation; 100 ids keep the body small. Lower it if Fastly refuses.
  LEAK_BULK_MAX: int(100, 1, 1000),
  GITHUB_WEBHOOK_SECRET: secret(),
  GITHUB_TOKEN: secret(),
  GITHUB_API_BASE_URL: urlOr("https://api.github.com"),
  GITHUB_SECRET_TYPES: wordsOr(["fastly_api_token"]),
  GITHUB_PARTNER_KEYS_URL: urlOr("https://api.github.com/meta/public_keys/secret_scanning"),
  GITLAB_PARTNER_KEYS_URL: url,
  GITLAB_REVOCATION_TOKEN: tokenList(16),
  GITLAB_REVOCATION_RATE_LIMIT: int(60, 1, 10_000),
  PARTNER_TOKEN_TYPES: wordsOr(["fastly_api_token"]),
  SCANNER_WEBHOOK_SECRETS: words,
} satisfies EnvShape;

/**
 * The leak workflow and its intakes (core: the workflow runs behind the hooks, chat's pasted tokens and the queue
 * consumer alike). SEAL_SECRET is read here only; chat confirmations and dashboard sessions use this value.
 */
export const leaksSection = z.pipe(
  z.object(settings),
  z.transform((e) => ({
    leak: { sealSecret: e.SEAL_SECRET, subrequestBudget: e.SUBREQUEST_BUDGET, maxAttempts: e.LEAK_MAX_ATTEMPTS, bulkMax: e.LEAK_BULK_MAX },
    github: {
      webhookSecret: e.GITHUB_WEBHOOK_SECRET,
      token: e.GITHUB_TOKEN,
      apiBaseUrl: e.GITHUB_API_BASE_URL,
      secretTypes: e.GITHUB_SECRET_TYPES,
      partnerKeysUrl: e.GITHUB_PARTNER_KEYS_URL,
    },
    /** `revocationTokens`: accepted bearer tokens for `/v1` (empty = disabled); `revocationRateLimit`: per minute, per isolate. */
    gitlab: {
      partnerKeysUrl: e.GITLAB_PARTNER_KEYS_URL,
      revocationTokens: e.GITLAB_REVOCATION_TOKEN,
      revocationRateLimit: e.GITLAB_REVOCATION_RATE_LIMIT,
    },
    partnerTokenTypes: e.PARTNER_TOKEN_TYPES,
    scannerSecrets: e.SCANNER_WEBHOOK_SECRETS,
  })),
);
export type LeaksConfig = z.output<typeof leaksSection>;
