// a) What a browser/edge app pays to call getTokenCurrent once: our fetch-native client vs the official `fastly` package.
import * as esbuild from "esbuild";
import { formatBytes, sizes } from "./lib/measure.mjs";
import { root } from "./lib/paths.mjs";
import { goal, row } from "./lib/table.mjs";

export const title = "Client bundle size";

export const notes = `- **${title}**: esbuild ${esbuild.version} (bundle, minify, ESM, tree-shaking) of a one-function entry that makes a
  single \`getTokenCurrent\` call; gzip is zlib's default level. "ours" is \`src/fastly/index.ts\`; "official" is
  \`import { ApiClient, TokensApi } from "fastly"\` (v13, CommonJS, so the whole package index is kept). The
  deep-import row bundles only \`fastly/dist/ApiClient.js\` + \`fastly/dist/api/TokensApi.js\`, the official
  client's best case.`;

const ENTRIES = {
  ours: `import { FastlyClient } from "./src/fastly/index.ts";
export const currentToken = (apiKey) => new FastlyClient({ apiKey }).getTokenCurrent();`,
  official: `import { ApiClient, TokensApi } from "fastly";
export function currentToken(apiKey) {
  const client = new ApiClient();
  client.authenticate(apiKey);
  return new TokensApi(client).getTokenCurrent();
}`,
  officialDeep: `import ApiClient from "fastly/dist/ApiClient.js";
import TokensApi from "fastly/dist/api/TokensApi.js";
export function currentToken(apiKey) {
  const client = new ApiClient();
  client.authenticate(apiKey);
  return new TokensApi(client).getTokenCurrent();
}`,
};

/**
 * Bundles an entry for the first platform it bundles on; returns the sizes, which platform that was, why the earlier
 * platforms failed, and how many output bytes came from zod.
 */
async function bundle(contents, platforms) {
  let lastError;
  const failures = [];
  for (const platform of platforms) {
    try {
      const result = await esbuild.build({
        stdin: { contents, resolveDir: root, sourcefile: "entry.mjs", loader: "js" },
        bundle: true,
        minify: true,
        format: "esm",
        platform,
        write: false,
        metafile: true,
        logLevel: "silent",
      });
      const inputs = Object.values(result.metafile.outputs)[0].inputs;
      const zod = Object.entries(inputs)
        .filter(([file]) => file.includes("node_modules/zod/"))
        .reduce((sum, [, info]) => sum + info.bytesInOutput, 0);
      return { platform, failures, zod, ...sizes(result.outputFiles[0].contents) };
    } catch (err) {
      lastError = err;
      failures.push(`${platform}: ${err.errors?.[0]?.text ?? err.message}`);
    }
  }
  throw lastError;
}

export async function run() {
  const ours = await bundle(ENTRIES.ours, ["neutral", "browser"]);
  const official = await bundle(ENTRIES.official, ["browser", "node"]);
  const deep = await bundle(ENTRIES.officialDeep, ["browser", "node"]);
  const ratio = official.gzip / ours.gzip;
  const size = (b) => `${formatBytes(b.raw)} min, ${formatBytes(b.gzip)} gzip`;
  const platformOf = (b) => `platform ${b.platform}${b.failures.length ? `; ${b.failures.join("; ")}` : ""}`;
  return [
    row(title, `ours (src/fastly, ${platformOf(ours)})`, size(ours)),
    row(title, "ours: of which zod (minified bytes)", `${formatBytes(ours.zod)} (${((100 * ours.zod) / ours.raw).toFixed(0)}%)`),
    row(title, `official fastly@13 (${platformOf(official)})`, size(official)),
    row(title, "official / ours (gzip)", `${ratio.toFixed(1)}x (min ${(official.raw / ours.raw).toFixed(1)}x)`, goal("≥ 20x", ratio >= 20)),
    row(title, `official, deep import of TokensApi (${platformOf(deep)})`, size(deep)),
    row(title, "official deep import / ours (gzip)", `${(deep.gzip / ours.gzip).toFixed(1)}x`),
  ];
}
