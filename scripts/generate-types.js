#!/usr/bin/env node
// Generates, from schemas/*.schema.json, the TypeScript types of every file kind
// (src/core/schema-types.generated.ts) and a module that carries the schemas themselves
// (src/core/schemas.generated.ts), so the browser-safe core needs no file system.
// `node scripts/generate-types.js --check` exits 1 when either file is out of date.
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { compile } from "json-schema-to-typescript";

const root = fileURLToPath(new URL("..", import.meta.url));
const KINDS = ["config", "person", "team", "project", "milestone", "task", "time-entry"];
const TYPES_OUT = `${root}src/core/schema-types.generated.ts`;
const SCHEMAS_OUT = `${root}src/core/schemas.generated.ts`;

/** The text of the module that exports the schemas. */
export async function generatedSchemas() {
  const lines = [
    "// Generated from schemas/*.schema.json by `npm run gen:types`. Do not edit by hand.",
    "",
    "/** A file kind that has a schema. */",
    `export type SchemaKind = ${KINDS.map((k) => JSON.stringify(k)).join(" | ")};`,
    "",
    "/** The JSON Schema of every file kind, as shipped in schemas/. */",
    "export const SCHEMAS: Readonly<Record<SchemaKind, Readonly<Record<string, unknown>>>> = {",
  ];
  for (const kind of KINDS) {
    const schema = JSON.parse(await readFile(`${root}schemas/${kind}.schema.json`, "utf8"));
    lines.push(`  ${JSON.stringify(kind)}: ${JSON.stringify(schema)},`);
  }
  lines.push("};", "");
  return lines.join("\n");
}

/** The text the generated file should hold. */
export async function generatedTypes() {
  const parts = [
    "// Generated from schemas/*.schema.json by `npm run gen:types`. Do not edit by hand;",
    "// edit the schema and regenerate (a test fails when this file is stale).",
    "",
  ];
  for (const kind of KINDS) {
    const schema = JSON.parse(await readFile(`${root}schemas/${kind}.schema.json`, "utf8"));
    const ts = await compile(schema, schema.title, {
      bannerComment: "",
      additionalProperties: false,
      unknownAny: true,
      strictIndexSignatures: true,
      format: true,
      style: { printWidth: 100, singleQuote: false, trailingComma: "all" },
      declareExternallyReferenced: true,
    });
    parts.push(`// ---- ${kind}.schema.json`, ts.trim(), "");
  }
  return parts.join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outputs = [
    [TYPES_OUT, await generatedTypes()],
    [SCHEMAS_OUT, await generatedSchemas()],
  ];
  for (const [file, text] of outputs) {
    if (process.argv.includes("--check")) {
      const current = await readFile(file, "utf8").catch(() => "");
      if (current !== text) {
        console.error(`${file} is stale: run \`npm run gen:types\`.`);
        process.exitCode = 1;
      }
    } else {
      await writeFile(file, text);
      console.log(`wrote ${file}`);
    }
  }
}
