import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../test-support/temp.js";

describe("the library's public API", () => {
  it("documents every export of trackdown and trackdown/node with TSDoc", () => {
    const entries = [join(REPO_ROOT, "src/core/index.ts"), join(REPO_ROOT, "src/node/index.ts")];
    const program = ts.createProgram(entries, {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      strict: true,
      skipLibCheck: true,
    });
    const checker = program.getTypeChecker();
    const undocumented: string[] = [];
    for (const entry of entries) {
      const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
      for (const exported of checker.getExportsOfModule(module)) {
        const target =
          exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
        if (ts.displayPartsToString(target.getDocumentationComment(checker)).trim() === "") {
          undocumented.push(exported.name);
        }
      }
    }
    expect(undocumented).toEqual([]);
  });
});
