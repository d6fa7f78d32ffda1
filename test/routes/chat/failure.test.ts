import { describe, expect, it } from "vitest";
import { FastlyApiError } from "../../../src/fastly";
import { describeFailure } from "../../../src/routes/chat/failure";
import { TokenServiceError } from "../../../src/tokens/errors";
import { captureConsole } from "../../helpers";

const logged = captureConsole();

describe("a failure told to the chat user", () => {
  it("logs an error that is neither Fastly's nor the core's by its name only, and says an internal error occurred", () => {
    const err = new TypeError("cannot read sealed value fst_secret-words-0123");
    expect(describeFailure(err, "mattermost")).toBe("an internal error occurred");
    expect(logged).toEqual(['{"event":"chat_unexpected_error","platform":"mattermost","error":"TypeError"}']);
  });

  it("logs nothing for Fastly's and the core's errors, which it explains instead", () => {
    const fastly = new FastlyApiError({
      message: "getToken: 429 Too many requests",
      status: 429,
      msg: "Too many requests",
      operation: "getToken",
      method: "GET",
      path: "/tokens/x",
      rateLimit: { remaining: 0, reset: null },
      retryable: true,
      kind: "http",
      attempts: 1,
    });
    expect(describeFailure(fastly, "slack")).toBe("Fastly's rate limit was reached; try again later");
    expect(describeFailure(new TokenServiceError(403, "forbidden", "Forbidden", "needs the revoke role"), "discord")).toBe("Forbidden: needs the revoke role");
    expect(logged).toEqual([]);
  });
});
