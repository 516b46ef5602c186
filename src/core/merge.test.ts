import { execFileSync } from "node:child_process";
import { randomInt } from "node:crypto";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadTracker } from "../node/load.js";
import { runCli } from "../test-support/cli.js";
import { copyOfAcme } from "../test-support/temp.js";
import { nextTaskId, parseTaskId, slugify, taskIdFromFileStem } from "./ids.js";
import type { Tracker } from "./model.js";

// The two format properties that make Trackdown safe to use on branches, proved with real
// repositories and the git binary: concurrent new tasks never merge silently, and concurrent
// time logging never conflicts. Plus: an id once used is never handed out again.

/** Git with a fixed identity and none of the user's or system's configuration. */
const GIT_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_TERMINAL_PROMPT: "0",
  LC_ALL: "C",
  LANG: "C",
};

function git(cwd: string, ...args: string[]): string {
  return execFileSync(
    "git",
    [
      "-c",
      "user.name=Trackdown Test",
      "-c",
      "user.email=test@trackdown.invalid",
      "-c",
      "commit.gpgsign=false",
      ...args,
    ],
    { cwd, env: GIT_ENV, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
  );
}

/** Runs git expecting it may fail; returns its exit status and output instead of throwing. */
function tryGit(cwd: string, ...args: string[]): { status: number; output: string } {
  try {
    return { status: 0, output: git(cwd, ...args) };
  } catch (error) {
    const e = error as { status: number | null; stdout?: string; stderr?: string };
    return { status: e.status ?? -1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

/** A git repository holding a copy of examples/acme at its root, committed on `main`. */
function acmeRepo(): string {
  const dir = copyOfAcme();
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "Acme tracker");
  return dir;
}

function commitAll(dir: string, message: string): void {
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", message);
}

/** Parents of HEAD: two for a merge commit. */
function parentsOfHead(dir: string): string[] {
  return git(dir, "rev-list", "--parents", "-n", "1", "HEAD").trim().split(" ").slice(1);
}

function write(dir: string, path: string, text: string): void {
  const full = join(dir, ...path.split("/"));
  mkdirSync(join(full, ".."), { recursive: true });
  writeFileSync(full, text);
}

function taskText(id: string, title: string, body: string): string {
  return `---\nid: ${id}\ntitle: ${title}\nstatus: backlog\npriority: medium\ncreated: 2026-11-30\n---\n\n${body}\n`;
}

/** The task file the CLI writes: `<ID>-<slug of the title>.md`. */
function taskPath(folder: string, id: string, title: string): string {
  return `projects/${folder}/tasks/${id}-${slugify(title)}.md`;
}

/** Every task id a tracker knows: tasks, archived tasks, references and time entries. */
function knownTaskIds(tracker: Tracker): string[] {
  const ids: string[] = [];
  for (const t of [...tracker.tasks, ...tracker.archivedTasks]) {
    ids.push(t.id);
    if (t.parent !== undefined) ids.push(t.parent);
    ids.push(...t.dependsOn);
  }
  for (const e of tracker.timeEntries) ids.push(e.task);
  return ids;
}

/** Ids of every task file that ever existed in the repository's history, on any branch. */
function taskIdsInHistory(dir: string): string[] {
  const ids: string[] = [];
  for (const path of git(dir, "log", "--all", "--name-only", "--format=").split("\n")) {
    const match = /^projects\/[^/]+\/(?:tasks|archive)\/([^/]+)\.md$/.exec(path.trim());
    const id = match === null ? undefined : taskIdFromFileStem(match[1]!);
    if (id !== undefined) ids.push(id);
  }
  return ids;
}

const BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz";
const randomSuffix = () => Array.from({ length: 4 }, () => BASE36[randomInt(36)]).join("");
const TIME_FILE =
  /^time\/(\d{4}-\d{2})\/(\d{4}-\d{2}-\d{2})-([a-z0-9-]+)-([A-Z][A-Z0-9]{1,9}-[1-9][0-9]*)-[a-z0-9]{4}\.yml$/;

interface TimeEntryFile {
  readonly path: string;
  readonly text: string;
}

/** A time entry file named per the scheme: time/YYYY-MM/<date>-<person>-<TASK>-<suffix>.yml. */
function timeEntry(
  person: string,
  task: string,
  date: string,
  duration: string,
  note: string,
  suffix = randomSuffix(),
): TimeEntryFile {
  return {
    path: `time/${date.slice(0, 7)}/${date}-${person}-${task}-${suffix}.yml`,
    text: `person: ${person}\ntask: ${task}\ndate: ${date}\nduration: ${duration}\nnote: ${note}\n`,
  };
}

function errorsOf(tracker: Tracker) {
  return tracker.diagnostics.filter((d) => d.severity === "error");
}

describe("two branches that each create the next task", () => {
  it("merge cleanly in git, and then trackdown check reports the duplicate id in both files", async () => {
    const dir = acmeRepo();
    const before = await loadTracker(dir, { cache: false });
    expect(before.diagnostics).toEqual([]);
    const id = nextTaskId("WEB", knownTaskIds(before));
    expect(id).toBe("WEB-32");

    const titleA = "Login page with magic links";
    const titleB = "Fix typo in the pricing footer";
    const fileA = taskPath("web", id, titleA);
    const fileB = taskPath("web", id, titleB);
    expect(fileA).toBe("projects/web/tasks/WEB-32-login-page-with-magic-links.md");
    expect(fileB).toBe("projects/web/tasks/WEB-32-fix-typo-in-the-pricing-footer.md");

    git(dir, "checkout", "-q", "-b", "login");
    write(dir, fileA, taskText(id, titleA, "Passwordless sign-in by e-mail."));
    commitAll(dir, `Add ${id}: ${titleA}`);
    git(dir, "checkout", "-q", "main");
    git(dir, "checkout", "-q", "-b", "typo");
    write(dir, fileB, taskText(id, titleB, "It says 'Pricng'."));
    commitAll(dir, `Add ${id}: ${titleB}`);

    git(dir, "checkout", "-q", "login");
    const merge = tryGit(dir, "merge", "--no-edit", "typo");
    expect(merge.status, merge.output).toBe(0);
    expect(merge.output).not.toContain("CONFLICT");
    expect(parentsOfHead(dir)).toHaveLength(2);
    expect(git(dir, "status", "--porcelain")).toBe("");

    const check = await runCli(["check", dir, "--no-cache"], { cwd: dir });
    expect(check.code).toBe(1);
    const lines = check.stdout.split("\n").filter((l) => / TD211 /.test(l));
    expect(lines).toHaveLength(2);
    const lineA = lines.find((l) => l.startsWith(`${fileA}:`));
    const lineB = lines.find((l) => l.startsWith(`${fileB}:`));
    expect(lineA).toBe(`${fileA}:2:5 error TD211 The id ${id} is also used by ${fileB}.`);
    expect(lineB).toBe(`${fileB}:2:5 error TD211 The id ${id} is also used by ${fileA}.`);
    expect(check.stdout).toContain("2 errors, 0 warnings");

    const merged = await loadTracker(dir, { cache: false });
    const duplicates = merged.diagnostics.filter((d) => d.code === "TD211");
    expect(duplicates.map((d) => [d.file, d.related?.map((r) => r.file)])).toEqual([
      [fileB, [fileA]],
      [fileA, [fileB]],
    ]);
    expect(merged.tasks.filter((t) => t.id === id).map((t) => t.title)).toEqual(
      expect.arrayContaining([titleA, titleB]),
    );
  });

  it("conflict in git when both chose the same bare file name, and check then fails too", async () => {
    const dir = acmeRepo();
    const id = nextTaskId("WEB", knownTaskIds(await loadTracker(dir, { cache: false })));
    const file = `projects/web/tasks/${id}.md`;

    git(dir, "checkout", "-q", "-b", "login");
    write(dir, file, taskText(id, "Login page", "Passwordless sign-in."));
    commitAll(dir, `Add ${id}`);
    git(dir, "checkout", "-q", "main");
    git(dir, "checkout", "-q", "-b", "typo");
    write(dir, file, taskText(id, "Fix a typo", "It says 'Pricng'."));
    commitAll(dir, `Add ${id}`);

    const merge = tryGit(dir, "merge", "--no-edit", "login");
    expect(merge.status).not.toBe(0);
    expect(merge.output).toContain(`CONFLICT (add/add): Merge conflict in ${file}`);
    expect(git(dir, "diff", "--name-only", "--diff-filter=U").trim()).toBe(file);

    // Left as git leaves it (conflict markers in the file), the tracker does not pass either.
    const check = await runCli(["check", dir, "--no-cache"], { cwd: dir });
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(new RegExp(`^${file}:\\d+:\\d+ error TD`, "m"));
  });
});

describe("ids of archived and deleted tasks", () => {
  it("are skipped by nextTaskId over every id the tracker knows", async () => {
    const dir = copyOfAcme();
    // Archive the highest WEB task, WEB-31.
    renameSync(
      join(dir, "projects/web/tasks/WEB-31-broken-anchor-links-in-docs-sidebar.md"),
      join(dir, "projects/web/archive/WEB-31-broken-anchor-links-in-docs-sidebar.md"),
    );
    // WEB-40 was deleted, but a time entry still refers to it.
    const orphan = timeEntry("lena", "WEB-40", "2026-11-27", "1h", "Spike, task since deleted");
    write(dir, orphan.path, orphan.text);
    // OPS-20 is gone too; only a dependency still names it.
    write(
      dir,
      "projects/ops/tasks/OPS-16-rotate-database-credentials.md",
      "---\nid: OPS-16\ntitle: Rotate database credentials\nstatus: backlog\ndepends_on: [OPS-20]\n---\n",
    );

    const tracker = await loadTracker(dir, { cache: false });
    expect(tracker.archivedTasks.map((t) => t.id)).toContain("WEB-31");
    expect(tracker.tasks.map((t) => t.id)).not.toContain("WEB-31");
    const live = tracker.tasks.map((t) => t.id);
    const known = knownTaskIds(tracker);

    // Counting only the live tasks would hand out WEB-31 again (and WEB-32 … WEB-40).
    expect(nextTaskId("WEB", live)).toBe("WEB-31");
    expect(nextTaskId("WEB", known)).toBe("WEB-41");
    expect(nextTaskId("OPS", live)).toBe("OPS-17");
    expect(nextTaskId("OPS", known)).toBe("OPS-21");
    // API-7 is archived, but below API-23: nothing changes there.
    expect(nextTaskId("API", known)).toBe("API-24");
    // A key nothing uses yet starts at 1.
    expect(nextTaskId("MOB", known)).toBe("MOB-1");
    // The dangling references are still reported; keeping the id taken hides nothing.
    expect(tracker.diagnostics.filter((d) => d.code === "TD204").map((d) => d.file)).toEqual(
      expect.arrayContaining([
        orphan.path,
        "projects/ops/tasks/OPS-16-rotate-database-credentials.md",
      ]),
    );
  });

  it("are skipped by nextTaskId over the repository's history after the task is deleted", async () => {
    const dir = acmeRepo();
    const deleted = "projects/web/tasks/WEB-31-broken-anchor-links-in-docs-sidebar.md";
    git(dir, "rm", "-q", deleted);
    commitAll(dir, "Delete WEB-31: a duplicate of WEB-20");

    const tracker = await loadTracker(dir, { cache: false });
    expect(tracker.task("WEB-31")).toBeUndefined();
    // The working tree alone no longer knows WEB-31 …
    expect(nextTaskId("WEB", knownTaskIds(tracker))).toBe("WEB-31");
    // … but its file is in the history.
    const history = taskIdsInHistory(dir);
    expect(history).toContain("WEB-31");
    expect(nextTaskId("WEB", [...knownTaskIds(tracker), ...history])).toBe("WEB-32");
    const next = parseTaskId(nextTaskId("WEB", history));
    expect(next?.number).toBeGreaterThan(31);
  });

  it("are skipped when the deleted task only ever existed on another branch", async () => {
    const dir = acmeRepo();
    git(dir, "checkout", "-q", "-b", "experiment");
    write(
      dir,
      "projects/web/tasks/WEB-32-try-a-new-font.md",
      taskText("WEB-32", "Try a new font", "Abandoned."),
    );
    commitAll(dir, "Add WEB-32");
    git(dir, "rm", "-q", "projects/web/tasks/WEB-32-try-a-new-font.md");
    commitAll(dir, "Drop WEB-32");
    git(dir, "checkout", "-q", "main");

    const tracker = await loadTracker(dir, { cache: false });
    expect(nextTaskId("WEB", knownTaskIds(tracker))).toBe("WEB-32");
    expect(nextTaskId("WEB", [...knownTaskIds(tracker), ...taskIdsInHistory(dir)])).toBe("WEB-33");
  });
});

interface TimeCase {
  readonly name: string;
  readonly a: readonly [person: string, task: string, date: string];
  readonly b: readonly [person: string, task: string, date: string];
}

const TIME_CASES: readonly TimeCase[] = [
  {
    name: "the same person, task and day",
    a: ["lena", "WEB-16", "2026-11-30"],
    b: ["lena", "WEB-16", "2026-11-30"],
  },
  {
    name: "the same person, task and day, in a month folder new on both branches",
    a: ["tom", "WEB-15", "2026-12-01"],
    b: ["tom", "WEB-15", "2026-12-01"],
  },
  {
    name: "the same person on different tasks",
    a: ["lena", "WEB-16", "2026-11-30"],
    b: ["lena", "WEB-19", "2026-11-30"],
  },
  {
    name: "different people on the same task",
    a: ["tom", "WEB-15", "2026-11-30"],
    b: ["jonas", "WEB-15", "2026-11-30"],
  },
];

describe("two branches that log time", () => {
  it.each(TIME_CASES)("merge with no conflict for $name", async ({ a, b }) => {
    const dir = acmeRepo();
    const before = await loadTracker(dir, { cache: false });
    expect(before.diagnostics).toEqual([]);

    const entryA = timeEntry(...a, "1h30m", "Branch a");
    let entryB = timeEntry(...b, "45m", "Branch b");
    while (entryB.path === entryA.path) entryB = timeEntry(...b, "45m", "Branch b");
    for (const entry of [entryA, entryB]) expect(entry.path).toMatch(TIME_FILE);

    git(dir, "checkout", "-q", "-b", "branch-a");
    write(dir, entryA.path, entryA.text);
    commitAll(dir, "Log time on branch a");
    git(dir, "checkout", "-q", "main");
    git(dir, "checkout", "-q", "-b", "branch-b");
    write(dir, entryB.path, entryB.text);
    // The second branch also logs a second entry, to be sure more than one file merges.
    const extra = timeEntry(b[0], b[1], b[2], "15m", "Branch b again");
    write(dir, extra.path, extra.text);
    commitAll(dir, "Log time on branch b");

    git(dir, "checkout", "-q", "branch-a");
    const merge = tryGit(dir, "merge", "--no-edit", "branch-b");
    expect(merge.status, merge.output).toBe(0);
    expect(merge.output).not.toContain("CONFLICT");
    expect(parentsOfHead(dir)).toHaveLength(2);
    expect(git(dir, "status", "--porcelain")).toBe("");

    const merged = await loadTracker(dir, { cache: false });
    expect(errorsOf(merged)).toEqual([]);
    expect(merged.diagnostics).toEqual([]);
    expect(merged.timeEntries).toHaveLength(before.timeEntries.length + 3);
    const files = merged.timeEntries.map((e) => e.file);
    expect(files).toEqual(expect.arrayContaining([entryA.path, entryB.path, extra.path]));
    const added = merged.timeEntries.filter((e) =>
      [entryA.path, entryB.path, extra.path].includes(e.file),
    );
    expect(
      added.map((e) => ({ person: e.person, task: e.task, date: e.date, minutes: e.minutes })),
    ).toEqual(
      expect.arrayContaining([
        { person: a[0], task: a[1], date: a[2], minutes: 90 },
        { person: b[0], task: b[1], date: b[2], minutes: 45 },
        { person: b[0], task: b[1], date: b[2], minutes: 15 },
      ]),
    );

    const check = await runCli(["check", dir, "--no-cache"], { cwd: dir });
    expect(check.code, check.stdout).toBe(0);
  });
});
