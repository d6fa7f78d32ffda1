// `npm run openapi`: regenerates public/openapi.json from the zod schemas (src/routes/openapi/build.ts). public/ holds
// the Workers static assets (wrangler.toml [assets]): the Worker serves the file without bundling it.
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import * as esbuild from "esbuild";

const outfile = join(tmpdir(), `openapi-build-${process.pid}.mjs`);
await esbuild.build({ entryPoints: ["src/routes/openapi/build.ts"], bundle: true, platform: "node", format: "esm", outfile, logLevel: "error" });
const { buildOpenApiDocument } = await import(pathToFileURL(outfile).href);
writeFileSync("public/openapi.json", `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`);
console.log("wrote public/openapi.json");
