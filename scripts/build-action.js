#!/usr/bin/env node
// Bundles the GitHub Action (action/src/main.ts and the library it uses) into one ES
// module, action/dist/index.js, which the runner starts with node24. The bundle is
// committed (a workflow runs the Action straight from the repository); a test and CI
// rebuild it and fail when the committed one differs.
//
//   node scripts/build-action.js            write action/dist/index.js
//   node scripts/build-action.js --check    exit 1 when the committed bundle is stale
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const OUT = path.join(ROOT, "action", "dist", "index.js");

/** The bundle's text, built in memory. */
export async function bundleAction() {
  const result = await build({
    entryPoints: [path.join(ROOT, "action", "src", "main.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    write: false,
    outfile: OUT,
    legalComments: "eof",
    logLevel: "silent",
    // CommonJS dependencies bundled into an ES module still call require() for built-ins
    banner: {
      js: 'import { createRequire as __trackdownRequire } from "node:module";\nconst require = __trackdownRequire(import.meta.url);',
    },
  });
  return result.outputFiles[0].text;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = await bundleAction();
  if (process.argv.includes("--check")) {
    let committed = "";
    try {
      committed = readFileSync(OUT, "utf8");
    } catch {
      committed = "";
    }
    if (committed !== text) {
      console.error("action/dist/index.js is stale: run `npm run build:action` and commit it.");
      process.exit(1);
    }
    console.log("action/dist/index.js is up to date.");
  } else {
    const { mkdirSync, writeFileSync } = await import("node:fs");
    mkdirSync(path.dirname(OUT), { recursive: true });
    writeFileSync(OUT, text);
    console.log(`Wrote ${path.relative(ROOT, OUT)} (${(text.length / 1024).toFixed(0)} KB).`);
  }
}
