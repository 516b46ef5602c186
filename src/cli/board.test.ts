import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Task, Tracker } from "../core/model.js";
import { loadTracker } from "../node/load.js";
import { runCli } from "../test-support/cli.js";
import { ACME, copyOfAcme } from "../test-support/temp.js";
import { displayWidth } from "./render/width.js";

const TODAY = "2026-11-27";
const ENV = { TRACKDOWN_TODAY: TODAY, COLUMNS: "160" };

function td(args: readonly string[], env: Record<string, string> = {}) {
  return runCli(args, { cwd: ACME, env: { ...ENV, ...env } });
}

let tracker: Tracker;
beforeAll(async () => {
  tracker = await loadTracker(ACME, { cache: false });
});

const isOpen = (t: Task) =>
  tracker.settings.statuses.find((s) => s.id === t.status)?.category !== "done";

/** `Name count` or, for a status with a WIP limit, `Name count/limit` (`!` when over). */
function header(name: string, count: number, limit?: number): string {
  if (limit === undefined) return `${name} ${count}`;
  return `${name} ${count}/${limit}${count > limit ? "!" : ""}`;
}

/** Headers of the status columns as the board should show them for these tasks. */
function headers(tasks: readonly Task[], withLimits: boolean): string[] {
  return tracker.settings.statuses.map((st) =>
    header(
      st.name,
      tasks.filter((t) => t.status === st.id).length,
      withLimits ? st.wipLimit : undefined,
    ),
  );
}

/** The header row of a side-by-side board: the third line, split on the gaps. */
function headerRow(stdout: string): string[] {
  return stdout
    .split("\n")[2]!
    .split(/ {2,}/)
    .map((h) => h.trim());
}

/** Lane titles (`── Title · n ───`) as [title, n]. */
function lanes(stdout: string): [string, number][] {
  return stdout
    .split("\n")
    .map((l) => /^── (.+) · (\d+) ─*$/.exec(l))
    .filter((m) => m !== null)
    .map((m) => [m[1]!, Number(m[2])]);
}

describe("trackdown board", () => {
  it("has a column per workflow status with the tracker's counts and WIP n/limit", async () => {
    const result = await td(["board"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n")[0]).toBe(
      `${tracker.settings.name} · ${tracker.tasks.length} tasks · ${TODAY}`,
    );
    expect(headerRow(result.stdout)).toEqual(headers(tracker.tasks, true));
    expect(tracker.settings.statuses.some((s) => s.wipLimit !== undefined)).toBe(true);
    expect(result.stdout).toContain("In progress 5/6");
  });

  it("stacks the columns with their headers when the terminal is too narrow", async () => {
    const result = await td(["board"], { COLUMNS: "100" });
    expect(result.stdout).toContain("shown one under another");
    const lines = result.stdout.split("\n");
    for (const h of headers(tracker.tasks, true)) expect(lines).toContain(h);
  });

  for (const width of [60, 100, 160]) {
    it(`keeps every line within ${width} columns`, async () => {
      for (const args of [["board"], ["board", "--by", "assignee"], ["board", "web"]]) {
        const result = await td(args, { COLUMNS: String(width) });
        expect(result.code).toBe(0);
        for (const line of result.stdout.split("\n"))
          expect(displayWidth(line), `${args.join(" ")}: ${line}`).toBeLessThanOrEqual(width);
      }
    });
  }

  it("puts each card under its status column", async () => {
    const result = await td(["board", "--limit", "50"]);
    const lines = result.stdout.split("\n");
    const starts = headerRow(result.stdout).map((h) => lines[2]!.indexOf(h));
    for (const task of tracker.tasks) {
      const column = tracker.settings.statuses.findIndex((s) => s.id === task.status);
      const at = lines.findIndex((l) => l.includes(`${task.id} `));
      expect(at, task.id).toBeGreaterThan(2);
      const line = lines[at]!;
      const re = new RegExp(`(^|\\s)${task.id} `);
      const match = re.exec(line)!;
      const x = displayWidth(line.slice(0, match.index + match[1]!.length));
      expect(x, task.id).toBe(starts[column]);
    }
  });

  it("filters to a project and shows the tracker-wide WIP in a footer", async () => {
    const web = tracker.project("WEB")!;
    const tasks = tracker.tasks.filter((t) => t.project === web.folder);
    const result = await td(["board", "web"]);
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n")[0]).toBe(`${web.name} · ${tasks.length} tasks · ${TODAY}`);
    // a filtered board shows counts without limits: the limits hold for the whole tracker
    expect(headerRow(result.stdout)).toEqual(headers(tasks, false));
    const wip = tracker.settings.statuses
      .filter((s) => s.wipLimit !== undefined)
      .map(
        (s) => `${s.name} ${tracker.tasks.filter((t) => t.status === s.id).length}/${s.wipLimit}`,
      );
    expect(result.stdout.trimEnd().split("\n").at(-1)).toBe(
      `WIP across the tracker: ${wip.join(", ")}`,
    );
    for (const other of tracker.tasks.filter((t) => t.project !== web.folder))
      expect(result.stdout).not.toMatch(new RegExp(`(^|\\s)${other.id} `));
    const byKey = await td(["board", "WEB"]);
    expect(byKey.stdout).toBe(result.stdout);
  });

  it("has a lane per person with tasks, and one for the unassigned, with --by assignee", async () => {
    const result = await td(["board", "--by", "assignee"]);
    expect(result.code).toBe(0);
    const expected: [string, number][] = tracker.people
      .map((p): [string, number] => [
        p.name,
        tracker.tasks.filter((t) => t.assignees.includes(p.id)).length,
      ])
      .filter(([, n]) => n > 0);
    expected.push(["(unassigned)", tracker.tasks.filter((t) => t.assignees.length === 0).length]);
    expect(lanes(result.stdout)).toEqual(expected);
    // the column headers still count the whole status
    expect(headerRow(result.stdout)).toEqual(headers(tracker.tasks, true));
  });

  it("has a lane per priority, highest first, with --by priority", async () => {
    const result = await td(["board", "--by", "priority"]);
    expect(result.code).toBe(0);
    const expected = tracker.settings.priorities
      .map((p): [string, number] => [p, tracker.tasks.filter((t) => t.priority === p).length])
      .filter(([, n]) => n > 0);
    const none = tracker.tasks.filter((t) => t.priority === undefined).length;
    if (none > 0) expected.push(["(no priority)", none]);
    expect(lanes(result.stdout)).toEqual(expected);
  });

  it("shows --limit cards per column and +N more for the rest", async () => {
    const result = await td(["board", "--limit", "1"]);
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    const starts = headerRow(result.stdout).map((h) => lines[2]!.indexOf(h));
    // "+N more" under each column that holds more than one task, N being the rest
    const more = new Map<number, number>();
    for (const line of lines) {
      for (const m of line.matchAll(/\+(\d+) more/g)) {
        const column = starts.indexOf(displayWidth(line.slice(0, m.index)));
        expect(column, line).toBeGreaterThanOrEqual(0);
        more.set(column, Number(m[1]));
      }
    }
    const expected = new Map<number, number>();
    tracker.settings.statuses.forEach((st, i) => {
      const n = tracker.tasks.filter((t) => t.status === st.id).length;
      if (n > 1) expected.set(i, n - 1);
    });
    expect(more).toEqual(expected);
    const first = tracker.settings.statuses
      .map((st) => tracker.tasks.find((t) => t.status === st.id))
      .filter((t) => t !== undefined);
    for (const task of first) expect(result.stdout).toContain(`${task.id} `);
    const second = tracker.tasks.filter((t) => t.status === "done")[1]!;
    expect(result.stdout).not.toMatch(new RegExp(`(^|\\s)${second.id} `));
  });

  it("shows only the tasks matching -q, with the WIP footer", async () => {
    const open = tracker.tasks.filter(isOpen);
    const result = await td(["board", "-q", "is:open", "--limit", "50"]);
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n")[0]).toContain(`· ${open.length} tasks ·`);
    expect(headerRow(result.stdout)).toEqual(headers(open, false));
    for (const closed of tracker.tasks.filter((t) => !isOpen(t)))
      expect(result.stdout).not.toMatch(new RegExp(`(^|\\s)${closed.id} `));
    for (const task of open) expect(result.stdout).toMatch(new RegExp(`(^|\\s)${task.id} `));
    expect(result.stdout).toContain("WIP across the tracker:");
  });

  it("marks a status over its WIP limit, on the board and in the footer", async () => {
    const dir = copyOfAcme();
    for (const id of ["API-10", "API-12"]) {
      const task = tracker.task(id)!;
      expect(task.status).toBe("todo");
      const path = join(dir, task.file);
      writeFileSync(path, readFileSync(path, "utf8").replace(/^status: todo$/m, "status: doing"));
    }
    const doing = tracker.tasks.filter((t) => t.status === "doing").length + 2;
    const limit = tracker.settings.statuses.find((s) => s.id === "doing")!.wipLimit!;
    expect(doing).toBeGreaterThan(limit);
    const full = await td(["board", "-t", dir]);
    expect(headerRow(full.stdout)).toContain(`In progress ${doing}/${limit}!`);
    const web = await td(["board", "-t", dir, "web"]);
    expect(web.stdout).toContain(`In progress ${doing}/${limit} over`);
  });

  it("never passes escape sequences from tracker files on to the terminal", async () => {
    const dir = copyOfAcme();
    const edit = (file: string, field: string, value: string) => {
      const path = join(dir, file);
      const text = readFileSync(path, "utf8");
      expect(text).toMatch(new RegExp(`^${field}: .*$`, "m"));
      writeFileSync(path, text.replace(new RegExp(`^${field}: .*$`, "m"), `${field}: ${value}`));
    };
    edit("trackdown.yml", "name", '"\\e[2J\\e]0;pwned\\aAcme"');
    edit("projects/web/project.md", "name", '"\\e[2J\\e]0;pwned\\aWebsite"');
    edit(tracker.task("WEB-11")!.file, "title", '"\\e]0;pwned\\aHomepage"');
    for (const args of [["board"], ["board", "web"], ["board", "--by", "assignee"]]) {
      const result = await td([...args, "-t", dir]);
      expect(result.code).toBe(0);
      expect(result.stdout, args.join(" ")).not.toContain("\u001b");
      expect(result.stdout, args.join(" ")).not.toContain("pwned");
    }
    const web = await td(["board", "web", "-t", dir]);
    expect(web.stdout.split("\n")[0]).toMatch(/^Website · \d+ tasks/);
  });

  it("exits 1 for an unknown project and lists the projects", async () => {
    const result = await td(["board", "nope"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      `trackdown: There is no project "nope"; projects: ${tracker.projects.map((p) => p.key).join(", ")}.\n`,
    );
  });

  it("exits 2 for a bad -q query and points at the mistake", async () => {
    const result = await td(["board", "-q", "is:open priority:hihg"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    const lines = result.stderr.split("\n");
    expect(lines[0]).toBe('query:1:18 error Unknown priority "hihg".');
    expect(lines[2]).toBe(`  ${" ".repeat(17)}^^^^`);
    expect(result.stderr).toContain('hint: Did you mean "high"?');
  });
});
