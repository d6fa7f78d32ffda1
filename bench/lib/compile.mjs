import { join } from "node:path";
import { pathToFileURL } from "node:url";
import * as esbuild from "esbuild";
import { ensureOutDir, root } from "./paths.mjs";

/**
 * Node 20 cannot import .ts: bundle one TypeScript module (dependencies left as packages in node_modules)
 * into bench/out/<name>.mjs and import it.
 */
export async function importTs(entry, name) {
  const outfile = join(ensureOutDir(), `${name}.mjs`);
  await esbuild.build({
    entryPoints: [join(root, entry)],
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    outfile,
    logLevel: "error",
  });
  return import(pathToFileURL(outfile).href);
}
