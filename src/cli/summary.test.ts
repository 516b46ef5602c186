import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Tracker } from "../core/model.js";
import { loadTracker } from "../node/load.js";
import { runCli } from "../test-support/cli.js";
import { ACME, copyOfAcme, REPO_ROOT, tempDir } from "../test-support/temp.js";

/** The summary split into its sections: the heading line → the indented lines under it. */
function sections(stdout: string): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const block of stdout.trimEnd().split("\n\n")) {
    const [heading, ...lines] = block.split("\n");
    result.set(heading!, lines);
  }
  return result;
}

/** `  <label>  <count>` lines (an optional suffix after the count) as [label, count] pairs. */
function counts(lines: readonly string[]): [string, number][] {
  return lines.map((line) => {
    const match = /^ {2}(.+?) +(\d+)(?: \(.*\))?$/.exec(line);
    expect(match, line).not.toBeNull();
    return [match![1]!, Number(match![2])];
  });
}

/** Whether a task is still open (its status is not in a done category). */
function isOpen(tracker: Tracker) {
  const done = new Set(
    tracker.settings.statuses.filter((s) => s.category === "done").map((s) => s.id),
  );
  return (task: { status: string }) => !done.has(task.status);
}

describe("trackdown summary", () => {
  it("prints the tracker's name and totals on the first line", async () => {
    const tracker = await loadTracker(ACME, { cache: false });
    const result = await runCli(["summary", "examples/acme"], { cwd: REPO_ROOT });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const open = tracker.tasks.filter(isOpen(tracker)).length;
    expect(result.stdout.split("\n")[0]).toBe(
      `${tracker.settings.name}: ${tracker.projects.length} projects, ${tracker.tasks.length} tasks (${open} open), ${tracker.milestones.length} milestones, ${tracker.people.length} people, ${tracker.timeEntries.length} time entries`,
    );
    expect(tracker.settings.name).toBe("Acme product team");
  });

  it("lists the 3 projects with their keys, names and done counts", async () => {
    const tracker = await loadTracker(ACME, { cache: false });
    const result = await runCli(["summary", "examples/acme"], { cwd: REPO_ROOT });
    const lines = sections(result.stdout).get("Projects")!;
    expect(tracker.projects).toHaveLength(3);
    expect(lines).toHaveLength(3);
    const open = isOpen(tracker);
    for (const project of tracker.projects) {
      const line = lines.find((l) => l.startsWith(`  ${project.key} `));
      expect(line, project.key).toBeDefined();
      expect(line).toContain(project.name);
      const tasks = tracker.tasks.filter((t) => t.project === project.folder);
      const done = tasks.filter((t) => !open(t)).length;
      expect(line).toMatch(new RegExp(` ${done}/${tasks.length} done$`));
      expect(line).toContain(`${Math.round((done / tasks.length) * 100)}%`);
    }
    expect(lines.map((l) => l.trim().split(" ")[0]).sort()).toEqual(["API", "OPS", "WEB"]);
  });

  it("counts tasks by status, in workflow order, adding up to all tasks", async () => {
    const tracker = await loadTracker(ACME, { cache: false });
    const result = await runCli(["summary", "examples/acme"], { cwd: REPO_ROOT });
    const byStatus = counts(sections(result.stdout).get("Tasks by status")!);
    expect(byStatus).toEqual(
      tracker.settings.statuses.map((s) => [
        s.name,
        tracker.tasks.filter((t) => t.status === s.id).length,
      ]),
    );
    expect(byStatus.reduce((sum, [, n]) => sum + n, 0)).toBe(tracker.tasks.length);
    expect(result.stdout).toMatch(/^ {2}In progress +\d+ \(WIP limit 6\)$/m);
  });

  it("counts open tasks per person, and the unassigned ones", async () => {
    const tracker = await loadTracker(ACME, { cache: false });
    const result = await runCli(["summary", "examples/acme"], { cwd: REPO_ROOT });
    const perPerson = counts(sections(result.stdout).get("Open tasks per person")!);
    const open = tracker.tasks.filter(isOpen(tracker));
    const expected: [string, number][] = tracker.people
      .map((p): [string, number, boolean] => [
        p.name,
        open.filter((t) => t.assignees.includes(p.id)).length,
        p.active,
      ])
      .filter(([, n, active]) => n > 0 || active)
      .map(([name, n]) => [name, n]);
    expected.push(["(unassigned)", open.filter((t) => t.assignees.length === 0).length]);
    expect(perPerson).toEqual(expected);
    expect(expected.some(([, n]) => n > 0)).toBe(true);
  });

  it("finds the tracker from a folder inside it and prints the same summary", async () => {
    const fromRoot = await runCli(["summary", "examples/acme"], { cwd: REPO_ROOT });
    const fromInside = await runCli(["summary"], { cwd: join(ACME, "projects", "web") });
    expect(fromInside.code).toBe(0);
    expect(fromInside.stdout).toBe(fromRoot.stdout);
  });

  it("prints no ANSI escapes when stdout is not a terminal, and bold headings on one", async () => {
    const plain = await runCli(["summary", "examples/acme"], { cwd: REPO_ROOT, tty: false });
    expect(plain.stdout).not.toContain("\u001b");
    const tty = await runCli(["summary", "examples/acme"], { cwd: REPO_ROOT, tty: true });
    expect(tty.stdout).toContain("\u001b[1mProjects\u001b[22m");
  });

  it("points to trackdown check when the tracker has problems", async () => {
    const tracker = copyOfAcme();
    const task = join(tracker, "projects", "web", "tasks", "WEB-12-homepage-hero-with-a-b-copy.md");
    writeFileSync(
      task,
      readFileSync(task, "utf8").replace("assignees: [lena]", "assignees: [nobody]"),
    );
    const result = await runCli(["summary"], { cwd: tracker });
    expect(result.code).toBe(0);
    // singular like `trackdown check`'s summary line ("1 error, 0 warnings")
    expect(result.stdout).toContain("1 error and 0 warnings: run `trackdown check` for details");
  });

  it("exits 2 and suggests trackdown init where there is no tracker", async () => {
    const result = await runCli(["summary"], { cwd: tempDir() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("trackdown init");
  });
});
