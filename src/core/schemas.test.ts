import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../test-support/temp.js";
import { SCHEMAS } from "./schemas.generated.js";

const schemaDir = join(REPO_ROOT, "schemas");
const files = readdirSync(schemaDir).filter((f) => f.endsWith(".schema.json"));

type Schema = Record<string, unknown>;

/** Every property of a schema, nested ones, list items' and $defs' included. */
function* properties(schema: Schema, path = ""): Generator<[string, Schema]> {
  for (const [name, prop] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
    yield [`${path}${name}`, prop];
    yield* properties(prop, `${path}${name}.`);
    if (typeof prop.items === "object")
      yield* properties(prop.items as Schema, `${path}${name}[].`);
  }
  for (const [name, def] of Object.entries((schema.$defs ?? {}) as Record<string, Schema>)) {
    yield* properties(def, `$defs.${name}.`);
  }
}

describe("schemas/", () => {
  it("has one draft 2020-12 schema per kind, each compiling under ajv strict mode", () => {
    expect(files.sort()).toEqual(
      ["config", "milestone", "person", "project", "task", "team", "time-entry"].map(
        (k) => `${k}.schema.json`,
      ),
    );
    for (const file of files) {
      const schema = JSON.parse(readFileSync(join(schemaDir, file), "utf8"));
      expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
      const ajv = new Ajv2020({ strict: true, validateFormats: false });
      expect(() => ajv.compile(schema), file).not.toThrow();
    }
  });

  it("describes every field and gives examples", () => {
    for (const file of files) {
      const schema = JSON.parse(readFileSync(join(schemaDir, file), "utf8"));
      for (const [name, prop] of properties(schema)) {
        expect(prop.description, `${file}: ${name} needs a description`).toBeTypeOf("string");
        const hasExample =
          Array.isArray(prop.examples) || prop.$ref !== undefined || prop.const !== undefined;
        expect(hasExample, `${file}: ${name} needs examples`).toBe(true);
      }
    }
  });

  it("the generated types and the embedded schemas are current (npm run gen:types)", () => {
    expect(() =>
      execFileSync(process.execPath, [join(REPO_ROOT, "scripts", "generate-types.js"), "--check"], {
        stdio: "pipe",
      }),
    ).not.toThrow();
    for (const file of files) {
      const kind = file.replace(".schema.json", "") as keyof typeof SCHEMAS;
      expect(SCHEMAS[kind]).toEqual(JSON.parse(readFileSync(join(schemaDir, file), "utf8")));
    }
  });
});
