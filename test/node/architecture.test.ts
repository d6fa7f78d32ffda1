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

// The facts about a token (age, last use, expiry, stale, scope breadth) have one home, the core's token-facts module.
const FACTS_TEXT = sources("src/tokens").find(({ file }) => file.endsWith("/token-facts.ts"))?.text ?? "";
const FACTS = [...FACTS_TEXT.matchAll(/^export (?:function|const|interface|type) (\w+)/gm)].map((m) => m[1]!);

/** The names `text` imports from chatops modules (`import { a, type B } from "../chatops/x"`, across lines). */
function namesFromChatops(text: string): string[] {
  return [...text.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s*from\s*["'][./]*chatops\/[^"']+["']/g)].flatMap((m) =>
    m[1]!.split(",").map((n) => n.trim().replace(/^type\s+/, "").split(/\s+as\s+/)[0]!).filter(Boolean),
  );
}

/** Token facts `text` declares or re-exports itself instead of importing them from the core. */
function secondHomes(text: string): string[] {
  const declared = [...text.matchAll(/^export (?:function|const|interface|type) (\w+)/gm)].map((m) => m[1]!);
  const reExported = [...text.matchAll(/^export\s+(?:type\s+)?\{([^}]*)\}\s*from/gm)].flatMap((m) =>
    m[1]!.split(",").map((n) => n.trim().replace(/^type\s+/, "").split(/\s+as\s+/)[0]!),
  );
  return [...declared, ...reExported].filter((n) => FACTS.includes(n));
}

describe("token facts live in the core", () => {
  it("has hygiene take no token fact from chatops", () => {
    const offenders = sources("src/hygiene").flatMap(({ file, text }) =>
      namesFromChatops(text)
        .filter((n) => FACTS.includes(n))
        .map((name) => ({ file, name })),
    );
    expect(offenders).toEqual([]);
  });

  it("gives every token fact one home: nothing else in src declares or re-exports one", () => {
    const offenders = sources("src")
      .filter(({ file }) => !file.endsWith("token-facts.ts"))
      .flatMap(({ file, text }) => secondHomes(text).map((name) => ({ file, name })));
    expect(offenders).toEqual([]);
  });

  it("finds a fact imported from chatops or declared twice, so the checks above can fail", () => {
    expect(FACTS).toEqual(expect.arrayContaining(["parseTime", "isStale", "mayBeStale", "tokenServices", "filterTokens"]));
    expect(namesFromChatops('import { formatDate, parseTime } from "../chatops/time";')).toEqual(["formatDate", "parseTime"]);
    expect(namesFromChatops('import {\n  type TokenFilter,\n  filterTokens as f,\n} from "../../chatops/filters";')).toEqual(["TokenFilter", "filterTokens"]);
    expect(secondHomes("export function isStale(t) {}\nexport { filterTokens, type TokenFilter } from './x';")).toEqual([
      "isStale",
      "filterTokens",
      "TokenFilter",
    ]);
    expect(secondHomes('import { isStale } from "../tokens/token-facts";\nexport function other() {}')).toEqual([]);
  });
});
