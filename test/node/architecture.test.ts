import { describe, expect, it } from "vitest";
import { sources } from "./support/sources.mjs";

// Imports are checked by biome (noRestrictedImports in biome.json); bindings are globals and properties, which no
// import rule sees, so this test reads the surfaces' sources for them.
const STORAGE = /\b(KVNamespace|D1Database|TOKENS_KV|REVOCATIONS)\b|\benv\.DB\b|\.prepare\(/;

describe("surfaces translate, the core decides", () => {
  it("keeps KV, D1 and queue bindings out of routes, chat and hygiene code", () => {
    const offenders = ["src/routes", "src/chatops", "src/hygiene"]
      .flatMap(sources)
      .flatMap(({ file, text }) =>
        text
          .split("\n")
          .map((line, i) => ({ file, line: i + 1, text: line }))
          // Comments and string literals may name a binding (error messages do); only code may not use one.
          .filter((l) => STORAGE.test(l.text.replace(/(["'`])(?:\\.|(?!\1).)*\1/g, '""')) && !/^\s*(\/\/|\*)/.test(l.text)),
      );
    expect(offenders).toEqual([]);
  });

  it("finds a binding where one is used, so the check above can fail", () => {
    expect(STORAGE.test("const x = c.env.TOKENS_KV;")).toBe(true);
    expect(STORAGE.test("await env.DB.prepare('select 1')")).toBe(true);
    expect(STORAGE.test("const kv: KVNamespace = x;")).toBe(true);
  });
});
