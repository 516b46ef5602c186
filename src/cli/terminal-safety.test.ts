import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../test-support/cli.js";
import { tempDir } from "../test-support/temp.js";

const ESC = "\u001b";

/** A tracker whose files carry terminal escape sequences in names, titles and unknown values. */
function hostileTracker(): string {
  const dir = tempDir();
  const write = (path: string, text: string) => {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  write(
    "trackdown.yml",
    'version: 1\nkey: x\nname: "Evil \\e]0;pwned\\a corp"\nworkflow:\n  statuses:\n    - { id: todo, category: todo }\n',
  );
  write("people/ana.yml", 'name: "Ana \\e[2J"\n');
  write("projects/web/project.md", "---\nkey: WEB\nname: Web\n---\n");
  write(
    "projects/web/tasks/WEB-1.md",
    '---\nid: WEB-1\ntitle: "Clear \\e[2J\\e[H screen"\nstatus: todo\nassignees: ["ana", "b\\e[31mob"]\n---\nBody \u001b[5m blink\n',
  );
  return dir;
}

describe("text from tracker files never drives the terminal", () => {
  it.each([
    [["check"]],
    [["check", "--format", "github"]],
    [["list"]],
    [["show", "WEB-1"]],
    [["search", "clear"]],
    [["stats"]],
    [["board"]],
    [["summary"]],
  ])("trackdown %j prints no escape sequence from the files", async (args) => {
    const dir = hostileTracker();
    const result = await runCli(args, { cwd: dir, env: { TRACKDOWN_TODAY: "2026-11-27" } });
    expect(result.stdout + result.stderr).not.toContain(ESC);
    expect(result.stdout + result.stderr).not.toContain("\u0007");
  });
});
