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

describe("write commands print no escape sequence from the files either", () => {
  /** The tracker above, with tasks whose file names and status hold escape sequences too. */
  function hostileForWrites(): string {
    const dir = hostileTracker();
    writeFileSync(
      join(dir, "projects/web/tasks/WEB-2-\u001b[2J.md"),
      '---\nid: WEB-2\ntitle: "Two \\e]0;pwned\\a"\nstatus: "\\e[31mweird"\n---\nSee WEB-1 \u001b[5m\n',
    );
    writeFileSync(
      join(dir, "projects/web/tasks/WEB-3-\u001b]0;x\u0007.md"),
      "---\nid: WEB-3\ntitle: Three\nstatus: todo\n---\n",
    );
    return dir;
  }

  it.each([
    [["move", "WEB-2", "todo"], 0],
    [["move", "WEB-2", "todo", "--dry-run"], 0],
    [["assign", "WEB-2", "ana"], 0],
    [["archive", "WEB-3"], 0],
    [["archive", "WEB-3", "--dry-run"], 0],
    [["edit", "WEB-2", "--set", "priority=high"], 0],
    [["edit", "WEB-1", "--set", "title=\u001b[2J new", "--dry-run"], 0],
    [["edit", "WEB-1", "--set", "milestone=\u001b[2J"], 1],
    [["new", "task", "--title", "\u001b]0;pwn\u0007 title", "--dry-run"], 0],
    [["log", "WEB-2", "1h", "--person", "ana", "--note", "\u001b[2J", "--dry-run"], 0],
  ])("trackdown %j prints no escape sequence (exit %i)", async (args, code) => {
    const dir = hostileForWrites();
    const result = await runCli(args, { cwd: dir, env: { TRACKDOWN_TODAY: "2026-11-27" } });
    expect(result.code).toBe(code);
    expect(result.stdout + result.stderr).not.toContain(ESC);
    expect(result.stdout + result.stderr).not.toContain("\u0007");
  });
});
