#!/usr/bin/env node
// Generates, from schemas/*.schema.json, the TypeScript types of every file kind
// (src/core/schema-types.generated.ts) and a module that carries the schemas themselves
// (src/core/schemas.generated.ts), so the browser-safe core needs no file system.
// `node scripts/generate-types.js --check` exits 1 when either file is out of date.
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { _ } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import standaloneCode from "ajv/dist/standalone/index.js";
import addFormats from "ajv-formats";
import { compile } from "json-schema-to-typescript";

const root = fileURLToPath(new URL("..", import.meta.url));
const KINDS = ["config", "person", "team", "project", "milestone", "task", "time-entry"];
const TYPES_OUT = `${root}src/core/schema-types.generated.ts`;
const SCHEMAS_OUT = `${root}src/core/schemas.generated.ts`;
const VALIDATORS_OUT = `${root}src/core/validate/validators.generated.ts`;

/**
 * The schemas compiled ahead of time by ajv (standalone code), so that opening a tracker
 * does not spend a few hundred milliseconds compiling them, and no code is generated with
 * `new Function` at run time (strict CSP in browsers is fine).
 */
export async function generatedValidators() {
  const ajv = new Ajv2020({
    strict: true,
    allErrors: true,
    verbose: true,
    code: { source: true, esm: true, formats: _`require("ajv-formats/formats")` },
  });
  addFormats.default(ajv, ["date", "email"]);
  const exports = {};
  for (const kind of KINDS) {
    const schema = JSON.parse(await readFile(`${root}schemas/${kind}.schema.json`, "utf8"));
    ajv.addSchema(schema, kind);
    exports[kind.replace(/-(.)/g, (_m, c) => c.toUpperCase())] = kind;
  }
  let code = standaloneCode.default(ajv, exports);
  code = code
    .replaceAll('require("ajv/dist/runtime/ucs2length").default', "ucs2length")
    .replace(/require\("ajv-formats\/formats"\)\.(\w+)/g, "fullFormats.$1");
  if (/require\(/.test(code)) throw new Error("standalone validators still call require()");
  return [
    "// @ts-nocheck",
    "// Generated from schemas/*.schema.json by `npm run gen:types` (ajv standalone code). Do not edit.",
    'import { fullFormats } from "ajv-formats/dist/formats.js";',
    'import * as ucs2lengthModule from "ajv/dist/runtime/ucs2length.js";',
    "const ucs2length = ucs2lengthModule.default.default ?? ucs2lengthModule.default;",
    code,
    "",
  ].join("\n");
}

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
    [VALIDATORS_OUT, await generatedValidators()],
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
