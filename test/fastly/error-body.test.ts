import { describe, expect, it } from "vitest";
import { parseErrorBody } from "../../src/fastly/error-body";

describe("parseErrorBody", () => {
  it("reads Fastly's legacy msg and detail", () => {
    const body = '{"msg":"Bad request","detail":"unrecognized region abc"}';
    expect(parseErrorBody(body, "application/json", 400, "Bad Request")).toEqual({
      msg: "Bad request",
      detail: "unrecognized region abc",
    });
  });

  it("reads the misspelled details key", () => {
    const body = `{"msg":"Record not found","details":"Couldn't find Token"}`;
    expect(parseErrorBody(body, "application/json", 404, "Not Found")).toEqual({
      msg: "Record not found",
      detail: "Couldn't find Token",
    });
  });

  it("uses create's code as the message when there is no msg", () => {
    expect(parseErrorBody('{"code":"2fa.verify"}', "application/json", 400, "Bad Request")).toEqual({
      msg: "2fa.verify",
      code: "2fa.verify",
    });
  });

  it("keeps both code and msg when create sends both", () => {
    const body = '{"code":"invalid_grant","msg":"Invalid username or password"}';
    expect(parseErrorBody(body, "application/json", 400, "")).toEqual({
      msg: "Invalid username or password",
      code: "invalid_grant",
    });
  });

  it("reads JSON:API errors, using the first and listing every title", () => {
    const body = JSON.stringify({
      errors: [
        { title: "Not found", detail: "Token abc not found", code: "not_found", status: "404" },
        { title: "Forbidden", detail: "Token def belongs to someone else" },
      ],
    });
    expect(parseErrorBody(body, "application/vnd.api+json", 404, "Not Found")).toEqual({
      msg: "Not found; Forbidden",
      detail: "Token abc not found",
      code: "not_found",
    });
  });

  it("reads application/problem+json", () => {
    const body = '{"type":"https://example.com/probs/x","title":"Forbidden","detail":"No sudo","status":403}';
    expect(parseErrorBody(body, "application/problem+json", 403, "Forbidden")).toEqual({
      msg: "Forbidden",
      detail: "No sudo",
    });
  });

  it("falls back to the raw text for a plain-text body", () => {
    expect(parseErrorBody("upstream exploded\n", "text/plain", 500, "Internal Server Error")).toEqual({
      msg: "upstream exploded",
    });
  });

  it("falls back to the status text for an empty body", () => {
    expect(parseErrorBody("", null, 503, "Service Unavailable")).toEqual({ msg: "Service Unavailable" });
  });

  it("uses the standard reason phrase when the status text is empty too", () => {
    expect(parseErrorBody("  ", null, 429, "")).toEqual({ msg: "Too Many Requests" });
  });

  it("does not use an HTML error page as the message", () => {
    expect(parseErrorBody("<html><body>502</body></html>", "text/html", 502, "Bad Gateway")).toEqual({
      msg: "Bad Gateway",
    });
  });

  it("keeps malformed JSON as raw text rather than failing", () => {
    expect(parseErrorBody('{"msg": ', "application/json", 400, "Bad Request")).toEqual({ msg: '{"msg":' });
  });
});
