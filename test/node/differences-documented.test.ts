// @ts-expect-error the project's tsconfig carries Workers types only; this test runs in the Node project
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { DIFFERENCES } from "../differential/differences";

it("lists every deliberate difference the tests show in the README's differences section, and no other", () => {
  const readme: string = readFileSync("README.md", "utf8");
  const start = readme.indexOf("## Differences from Fastly (deliberate)");
  expect(start).toBeGreaterThan(-1);
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end === -1 ? undefined : end);
  const rows = [...section.matchAll(/^\| \*\*(.+?)\*\* \|/gm)].map((m) => m[1]);
  expect(rows.sort()).toEqual(Object.values(DIFFERENCES).sort());
});
