import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../test-support/cli.js";
import { commitAll, git } from "../test-support/git.js";
import { copyOfAcme } from "../test-support/temp.js";

// Option values a person can get wrong: each is refused with a message and exit 2, never
// silently read as something else.

/** A copy of acme committed once, so history commands have something to read. */
function committedAcme(): string {
  const dir = copyOfAcme();
  git(dir, ["init", "-q", "-b", "main"]);
  commitAll(dir, "plan", "2026-11-01T10:00:00Z");
  return dir;
}

describe("bad option values", () => {
  it("refuses a TRACKDOWN_TODAY that is not a date", async () => {
    const result = await runCli(["list"], {
      cwd: copyOfAcme(),
      env: { TRACKDOWN_TODAY: "tomorrow" },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('TRACKDOWN_TODAY is "tomorrow"');
  });

  it("refuses an empty --columns", async () => {
    const result = await runCli(["list", "--columns", ""], { cwd: copyOfAcme() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--columns is empty");
  });

  it("refuses --at with a day that does not exist instead of reading it as a later date", async () => {
    const result = await runCli(["list", "--at", "2026-13-01"], { cwd: committedAcme() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"2026-13-01" is not a calendar date');
  });

  it("ignores a corrupt history cache and reads history again", async () => {
    const dir = committedAcme();
    mkdirSync(join(dir, ".trackdown", "cache"), { recursive: true });
    writeFileSync(join(dir, ".trackdown", "cache", "history-v1.json"), "{ not json");
    const result = await runCli(["activity", "--format", "json"], { cwd: dir });
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { commits: unknown[] }).commits).toHaveLength(1);
  });
});
