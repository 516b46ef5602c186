import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../test-support/temp.js";
import { DIAGNOSTICS } from "./codes.js";
import { renderDiagnosticsReference } from "./reference.js";

describe("the diagnostics reference", () => {
  it("docs/diagnostics.md is generated from the catalogue and current", () => {
    const doc = readFileSync(join(REPO_ROOT, "docs", "diagnostics.md"), "utf8");
    expect(doc, "run `npm run gen:docs`").toBe(renderDiagnosticsReference());
  });

  it("documents every code with a title, hint, example and fix", () => {
    for (const [code, d] of Object.entries(DIAGNOSTICS)) {
      expect(code).toMatch(/^TD\d{3}$/);
      expect(d.name).toMatch(/^[a-z]+(?:-[a-z0-9]+)*$/);
      expect(d.title.length).toBeGreaterThan(10);
      expect(d.hint.length).toBeGreaterThan(10);
      expect(d.fix.length).toBeGreaterThan(5);
      expect(d.example.file).not.toBe("");
    }
  });

  it("gives every code a unique name", () => {
    const names = Object.values(DIAGNOSTICS).map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it("every code the library can emit is in the catalogue", () => {
    const sources = [
      "open-tracker.ts",
      "validate/references.ts",
      "validate/rules.ts",
      "validate/schema.ts",
      "parse/yaml.ts",
      "parse/read-file.ts",
      "parse/front-matter.ts",
    ];
    for (const file of sources) {
      const text = readFileSync(join(REPO_ROOT, "src", "core", file), "utf8");
      for (const [code] of text.matchAll(/TD\d{3}/g)) expect(DIAGNOSTICS).toHaveProperty(code);
    }
  });
});
