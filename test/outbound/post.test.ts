import { describe, expect, it } from "vitest";
import { globalFetch, postJson } from "../../src/outbound/post";
import { captureConsole, newSink, verifySignedPost } from "../helpers";

const SECRET = "whsec_b3V0Ym91bmQtcG9zdC10ZXN0LXNlY3JldC0wMDE=";
const log = { event: "test_post_failed", fields: { channel: "webhook" } };
const logged = captureConsole();

describe("the outbound poster", () => {
  it("posts the payload as JSON and adds no signature without a secret", async () => {
    const sink = newSink("post");
    const result = await postJson(globalFetch, { url: sink.url, payload: { text: "hello" }, log });
    expect(result).toEqual({ ok: true, status: 200 });
    const [got, ...more] = await sink.received();
    expect(more).toHaveLength(0);
    expect(got).toMatchObject({ method: "POST", body: '{"text":"hello"}' });
    expect(got!.headers["content-type"]).toBe("application/json");
    expect(Object.keys(got!.headers).filter((h) => h.startsWith("webhook-"))).toEqual([]);
  });

  it("signs with Standard Webhooks so the receiver can verify the exact bytes it got", async () => {
    const sink = newSink("post-signed");
    await postJson(globalFetch, { url: sink.url, payload: { type: "x", data: { n: 1 } }, signingSecret: SECRET, log });
    const [got] = await sink.received();
    expect(got!.headers["webhook-id"]).toMatch(/^msg_/);
    expect(await verifySignedPost(got!, SECRET)).toEqual({ ok: true });
  });

  it("sends with the method asked for (Discord edits a deferred reply with PATCH)", async () => {
    const sink = newSink("post-patch");
    await postJson(globalFetch, { url: `${sink.url}/messages/@original`, method: "PATCH", payload: { content: "done" }, log });
    expect((await sink.received()).map((r) => [r.method, r.path])).toEqual([["PATCH", "/messages/@original"]]);
  });

  it("reports a refusing receiver's status and logs the event, its fields and the status, never the URL, body or secret", async () => {
    const credential = "interaction-credential-0123456789";
    const sink = newSink("fail-503");
    const url = `${sink.url}/${credential}`;
    const result = await postJson(globalFetch, { url, payload: { text: "body-words-not-for-logs" }, signingSecret: SECRET, log });
    expect(result).toEqual({ ok: false, status: 503 });
    expect(await sink.received()).toHaveLength(1);
    expect(logged).toEqual(['{"event":"test_post_failed","channel":"webhook","status":503}']);
    for (const secret of [credential, "body-words-not-for-logs", SECRET, sink.name]) expect(logged.join("\n")).not.toContain(secret);
  });

  it("reports a receiver that cannot be reached as a network failure", async () => {
    // Port 9 on loopback (discard) has no listener here: the connection is refused.
    const result = await postJson(globalFetch, { url: "http://127.0.0.1:9/hook", payload: {}, log });
    expect(result).toEqual({ ok: false, error: "network" });
    expect(logged).toEqual(['{"event":"test_post_failed","channel":"webhook","error":"network"}']);
  });

  it("reports a receiver that took too long as a timeout", async () => {
    // What fetch throws when its AbortSignal.timeout fires, without waiting five seconds for it.
    const timingOut: typeof fetch = async () => {
      throw new DOMException("The operation timed out.", "TimeoutError");
    };
    expect(await postJson(timingOut, { url: "http://127.0.0.1:9/hook", payload: {}, log })).toEqual({ ok: false, error: "timeout" });
    expect(logged).toEqual(['{"event":"test_post_failed","channel":"webhook","error":"timeout"}']);
  });

  it("throws for a malformed signing secret, a configuration bug, and sends nothing", async () => {
    const sink = newSink("post-bad-secret");
    await expect(postJson(globalFetch, { url: sink.url, payload: {}, signingSecret: "whsec_", log })).rejects.toThrow(/not base64/);
    expect(await sink.received()).toHaveLength(0);
  });
});
