import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../test-support/cli.js";
import { REPO_ROOT } from "../test-support/temp.js";

// Golden test of examples/mistakes/: each folder is a small tracker showing one kind of
// mistake, and its expected.txt holds the exact text `trackdown check` prints for it, run
// from the repository root with colour off:
//
//   node bin/trackdown.js check examples/mistakes/<name> --no-cache > examples/mistakes/<name>/expected.txt
//
// After an intended change to the output, rewrite every expected.txt from what the CLI
// prints now, then read the diff before committing:
//
//   UPDATE_GOLDEN=1 npx vitest run src/cli/mistakes.test.ts

const MISTAKES = join(REPO_ROOT, "examples", "mistakes");
const UPDATE = process.env.UPDATE_GOLDEN === "1";
const FOLDERS = readdirSync(MISTAKES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

/** A diagnostic line of the text format: `path:line:col severity CODE message`. */
const DIAGNOSTIC_LINE = /^examples\/mistakes\/[^:]+:\d+:\d+ (error|warning|info) TD\d{3} /gm;

describe("examples/mistakes", () => {
  it("shows at least a dozen kinds of mistake", () => {
    expect(FOLDERS.length).toBeGreaterThanOrEqual(12);
  });

  it.each(FOLDERS)("%s explains itself in README.md and has an expected.txt", (name) => {
    expect(existsSync(join(MISTAKES, name, "README.md")), `${name}/README.md`).toBe(true);
    expect(existsSync(join(MISTAKES, name, "expected.txt")), `${name}/expected.txt`).toBe(true);
    expect(readFileSync(join(MISTAKES, name, "README.md"), "utf8")).toMatch(/^# \S/);
  });

  it.each(FOLDERS)("trackdown check examples/mistakes/%s prints expected.txt", async (name) => {
    const result = await runCli(["check", `examples/mistakes/${name}`, "--no-cache"], {
      cwd: REPO_ROOT,
    });
    const golden = join(MISTAKES, name, "expected.txt");
    if (UPDATE) writeFileSync(golden, result.stdout);
    const expected = readFileSync(golden, "utf8");

    expect(result.stderr).toBe("");
    expect(result.stdout).toBe(expected);

    // every example shows at least one problem, and the exit code follows its severity
    const severities = [...expected.matchAll(DIAGNOSTIC_LINE)].map((m) => m[1]);
    expect(severities.length, `${name} shows no diagnostic`).toBeGreaterThan(0);
    expect(result.code).toBe(severities.includes("error") ? 1 : 0);
  });
});
