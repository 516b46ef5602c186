import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../test-support/cli.js";
import { commitAll, edit, git, write } from "../test-support/git.js";
import { ACME, tempDir } from "../test-support/temp.js";

// `trackdown diff` and `--at` on the read commands, against a real repository written by
// the git binary, with the tracker in tracker/ and commands run from the repository's root.

const ENV = { TRACKDOWN_TODAY: "2026-11-27", COLUMNS: "100" };

/** 1-based line of the first line of a file starting with `start`. */
function lineOf(dir: string, path: string, start: string): number {
  const lines = readFileSync(join(dir, ...path.split("/")), "utf8").split("\n");
  const index = lines.findIndex((l) => l.startsWith(start));
  if (index === -1) throw new Error(`no line of ${path} starts with "${start}"`);
  return index + 1;
}

const WEB15 = "tracker/projects/web/tasks/WEB-15-pricing-page-with-plan-comparison-table.md";
const WEB16 = "tracker/projects/web/tasks/WEB-16-signup-form-with-inline-validation.md";
const WEB31 = "tracker/projects/web/tasks/WEB-31-broken-anchor-links-in-docs-sidebar.md";
const WEB32 = "tracker/projects/web/tasks/WEB-32-cookie-settings-page.md";
const TIME_C2 = "tracker/time/2026-10/2026-10-15-tom-WEB-15-p4k1.yml";
const TIME_C3 = "tracker/time/2026-11/2026-11-01-ana-WEB-32-q7x2.yml";
const GAMMA = "tracker/projects/web/milestones/gamma.md";

/** Acme's tasks in "doing" before WEB-15 went to review. */
const DOING_AT_V1 = ["API-11", "API-8", "OPS-14", "WEB-11", "WEB-15"];

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "trackdown-cli-diff-"));
  cpSync(ACME, join(root, "tracker"), {
    recursive: true,
    filter: (src) => !src.includes(".trackdown"),
  });
  write(root, "README.md", "# A product with its plan in tracker/\n");
  git(root, ["init", "-q", "-b", "main"]);
  commitAll(root, "Acme plan", "2026-10-01T09:00:00+02:00");
  git(root, ["tag", "v1"]);

  edit(root, WEB16, "status: review", "status: done");
  edit(root, WEB15, "status: doing", "status: review");
  write(
    root,
    TIME_C2,
    "person: tom\ntask: WEB-15\ndate: 2026-10-15\nduration: 2h\nnote: Comparison table\n",
  );
  commitAll(root, "WEB-16 done, WEB-15 in review", "2026-10-15T12:00:00+02:00");

  write(
    root,
    WEB32,
    "---\nid: WEB-32\ntitle: Cookie settings page\nstatus: doing\nassignees: [ana]\npriority: medium\ncreated: 2026-11-01\n---\n\nLet visitors change their consent later.\n",
  );
  write(root, TIME_C3, "person: ana\ntask: WEB-32\ndate: 2026-11-01\nduration: 1h30m\n");
  rmSync(join(root, "tracker", "people", "maria.yml"));
  commitAll(root, "WEB-32; Maria left", "2026-11-01T10:00:00+01:00");

  git(root, ["checkout", "-q", "-b", "feature"]);
  edit(root, WEB31, "priority: low", "priority: high");
  write(
    root,
    GAMMA,
    "---\ntitle: Gamma\nstatus: planned\nstart: 2026-12-01\ndue: 2026-12-18\n---\n\nThe release after launch.\n",
  );
  commitAll(root, "Plan gamma", "2026-11-05T10:00:00+01:00");
  git(root, ["checkout", "-q", "main"]);
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

function td(args: readonly string[], cwd = root) {
  return runCli(args, { cwd, env: ENV });
}

interface DiffJson {
  from: string;
  to: string | null;
  count: number;
  changes: {
    kind: string;
    id: string;
    file: string;
    line: number;
    column: number;
    summary: string;
    from?: unknown;
    to?: unknown;
  }[];
}

describe("trackdown diff", () => {
  it("lists the plan changes between two commits, grouped, each with its file and line", async () => {
    const { code, stdout, stderr } = await td(["diff", "HEAD~1..HEAD"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const lines = stdout.split("\n");
    expect(lines[0]).toBe("3 plan changes in HEAD~1..HEAD");
    expect(lines).toContain("Tasks");
    expect(lines).toContain("People");
    expect(lines).toContain("Time");
    // the headings come in a fixed order
    expect(lines.indexOf("Tasks")).toBeLessThan(lines.indexOf("People"));
    expect(lines.indexOf("People")).toBeLessThan(lines.indexOf("Time"));
    expect(stdout).toContain(
      `  WEB-32 created in doing: Cookie settings page ${WEB32}:${lineOf(root, WEB32, "title:")}`,
    );
    expect(stdout).toMatch(/ {2}Maria Keller \(maria\) removed tracker\/people\/maria\.yml:\d+\n/);
    expect(stdout).toContain(
      `  ana logged 1h30m on WEB-32 (2026-11-01) ${TIME_C3}:${lineOf(root, TIME_C3, "duration:")}`,
    );
    // no colour when not on a terminal
    expect(stdout).not.toContain("\u001b[");
  });

  it("names the field's line in the newer file for field changes", async () => {
    const { stdout } = await td(["diff", "v1..HEAD~1"]);
    expect(stdout.split("\n")[0]).toBe("3 plan changes in v1..HEAD~1");
    expect(stdout).toContain(
      `  WEB-15 moved from doing to review ${WEB15}:${lineOf(root, WEB15, "status:")}`,
    );
    expect(stdout).toContain(
      `  WEB-16 moved from review to done ${WEB16}:${lineOf(root, WEB16, "status:")}`,
    );
  });

  it("gives JSON: from, to, count and the changes with paths from where it runs", async () => {
    const { code, stdout } = await td(["diff", "HEAD~1..HEAD", "--format", "json"]);
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as DiffJson;
    expect(json.from).toBe("HEAD~1");
    expect(json.to).toBe("HEAD");
    expect(json.count).toBe(json.changes.length);
    expect(json.changes.map((c) => `${c.kind} ${c.id}`).sort()).toEqual([
      "person.removed maria",
      "task.created WEB-32",
      "time.logged 2026-11-01-ana-WEB-32-q7x2",
    ]);
    const created = json.changes.find((c) => c.kind === "task.created");
    expect(created).toMatchObject({
      id: "WEB-32",
      file: WEB32,
      line: lineOf(root, WEB32, "title:"),
      column: "title: ".length + 1,
      to: "doing",
      summary: "WEB-32 created in doing: Cookie settings page",
    });
    // from a folder inside the tracker, paths are relative to it
    const inside = await td(
      ["diff", "HEAD~1..HEAD", "--format", "json"],
      join(root, "tracker", "people"),
    );
    const fromPeople = JSON.parse(inside.stdout) as DiffJson;
    expect(fromPeople.changes.find((c) => c.kind === "person.removed")?.file).toBe("maria.yml");
  });

  it("gives Markdown: a table with the record, the summary and the file", async () => {
    const { code, stdout } = await td(["diff", "HEAD~1..HEAD", "--format", "md"]);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("**3 plan changes** in `HEAD~1..HEAD` (Acme product team)");
    expect(lines).toContain("| | change | file |");
    expect(lines).toContain("|---|---|---|");
    const rows = lines.filter((l) => l.startsWith("| ") && !l.startsWith("| |"));
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => r.split(" | ").slice(0, 2).join(" | "))).toEqual(
      expect.arrayContaining([
        "| Tasks | WEB-32 created in doing: Cookie settings page",
        "| People | Maria Keller (maria) removed",
        "| Time | ana logged 1h30m on WEB-32 (2026-11-01)",
      ]),
    );
    // paths as in the text and JSON formats: from where the command runs (the repository root)
    expect(rows).toContain(
      `| Tasks | WEB-32 created in doing: Cookie settings page | \`${WEB32}:${lineOf(root, WEB32, "title:")}\` |`,
    );
  });

  it("shows uncommitted edits in the working tree (no range, or a single commit)", async () => {
    const clone = tempDir("trackdown-cli-diff-wt-");
    git(clone, ["clone", "-q", root, "repo"]);
    const repo = join(clone, "repo");
    expect((await td(["diff"], repo)).stdout).toBe("No plan changes in HEAD..working tree.\n");

    edit(repo, WEB31, "status: todo", "status: doing\nassignees: [tom]");
    const { code, stdout } = await td(["diff"], repo);
    expect(code).toBe(0);
    expect(stdout.split("\n")[0]).toBe("2 plan changes in HEAD..working tree");
    expect(stdout).toContain(
      `  WEB-31 moved from todo to doing ${WEB31}:${lineOf(repo, WEB31, "status:")}`,
    );
    expect(stdout).toContain(
      `  WEB-31 assignees: +tom ${WEB31}:${lineOf(repo, WEB31, "assignees:")}`,
    );

    // a single commit: from it to the working tree
    const since = await td(["diff", "HEAD~1", "--format", "json"], repo);
    const json = JSON.parse(since.stdout) as DiffJson;
    expect(json.from).toBe("HEAD~1");
    expect(json.to).toBeNull();
    expect(json.changes.map((c) => `${c.kind} ${c.id}`)).toEqual(
      expect.arrayContaining(["task.created WEB-32", "task.status WEB-31", "person.removed maria"]),
    );
  });

  it("compares two branches", async () => {
    const { code, stdout } = await td(["diff", "main..feature", "--format", "json"]);
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as DiffJson;
    expect(json.changes.map((c) => `${c.kind} ${c.id}`)).toEqual([
      "task.priority WEB-31",
      "milestone.created gamma",
    ]);
    expect(json.changes[0]).toMatchObject({
      file: WEB31,
      from: "low",
      to: "high",
      summary: "WEB-31 priority changed from low to high",
    });
    const text = await td(["diff", "main..feature"]);
    expect(text.stdout).toContain("Milestones");
    expect(text.stdout).toContain(
      `  Milestone gamma created: Gamma ${GAMMA}:${
        git(root, ["show", `feature:${GAMMA}`])
          .split("\n")
          .indexOf("title: Gamma") + 1
      }`,
    );
    // and back: the same changes reversed
    const back = JSON.parse((await td(["diff", "feature..main", "--format", "json"])).stdout);
    expect((back as DiffJson).changes.map((c) => `${c.kind} ${c.id}`)).toEqual([
      "task.priority WEB-31",
      "milestone.deleted gamma",
    ]);
  });

  it("A...B gives the changes on B since it left A; ^2 names a merge's second parent", async () => {
    const clone = tempDir("trackdown-cli-diff-fork-");
    git(clone, ["clone", "-q", "--branch", "main", root, "repo"]);
    const repo = join(clone, "repo");
    git(repo, ["branch", "feature", "origin/feature"]);
    edit(repo, WEB32, "priority: medium", "priority: urgent");
    commitAll(repo, "WEB-32 is urgent", "2026-11-06T10:00:00+01:00");
    const ids = async (range: string) =>
      (
        JSON.parse((await td(["diff", range, "--format", "json"], repo)).stdout) as DiffJson
      ).changes.map((c) => `${c.kind} ${c.id}`);
    // two dots: main's own change shows, reversed; three dots: only what feature did
    expect(await ids("main..feature")).toContain("task.priority WEB-32");
    expect(await ids("main...feature")).toEqual([
      "task.priority WEB-31",
      "milestone.created gamma",
    ]);
    const text = await td(["diff", "main...feature"], repo);
    expect(text.stdout.split("\n")[0]).toBe("2 plan changes in main...feature");

    git(repo, ["merge", "-q", "--no-ff", "-m", "Merge feature", "feature"], {
      GIT_COMMITTER_DATE: "2026-11-07T10:00:00+01:00",
      GIT_AUTHOR_DATE: "2026-11-07T10:00:00+01:00",
    });
    expect(await ids("HEAD^1..HEAD")).toEqual(["task.priority WEB-31", "milestone.created gamma"]);
    expect(await ids("HEAD^2..HEAD")).toEqual(["task.priority WEB-32"]);
    const third = await td(["diff", "HEAD^3..HEAD"], repo);
    expect(third.code).toBe(2);
    expect(third.stderr).toContain('"HEAD^3" asks for parent 3 of');
    expect(third.stderr).toContain("which has 2");
  });

  it("exits 2 with git's reason for a revision that does not exist", async () => {
    for (const range of ["nope..HEAD", "HEAD..nope", "nope"]) {
      const { code, stdout, stderr } = await td(["diff", range]);
      expect(code).toBe(2);
      expect(stdout).toBe("");
      expect(stderr).toBe(
        'trackdown: There is no branch, tag or commit "nope" in this repository.\n',
      );
    }
    const past = await td(["diff", "HEAD~9..HEAD"]);
    expect(past.code).toBe(2);
    expect(past.stderr).toBe('trackdown: "HEAD~9" goes back further than the first commit.\n');
  });

  it("exits 2 outside a git repository", async () => {
    const dir = tempDir("trackdown-cli-nogit-");
    cpSync(join(ACME, "trackdown.yml"), join(dir, "trackdown.yml"));
    const { code, stderr } = await td(["diff", "HEAD~1..HEAD"], dir);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^trackdown: .* is not inside a git repository\.\n$/);
  });

  it('says "No plan changes" when nothing changed', async () => {
    const { code, stdout } = await td(["diff", "HEAD..HEAD"]);
    expect(code).toBe(0);
    expect(stdout).toBe("No plan changes in HEAD..HEAD.\n");
    // README.md outside the tracker changed: not a plan change
    expect((await td(["diff", "v1..v1"])).stdout).toBe("No plan changes in v1..v1.\n");
    const json = JSON.parse((await td(["diff", "HEAD..HEAD", "--format", "json"])).stdout);
    expect(json).toEqual({ from: "HEAD", to: "HEAD", count: 0, changes: [] });
    expect((await td(["diff", "HEAD..HEAD", "--format", "md"])).stdout).toBe(
      "No plan changes in `HEAD..HEAD`.\n",
    );
  });
});

describe("--at on the read commands", () => {
  const ids = (stdout: string) =>
    (JSON.parse(stdout) as { tasks: { id: string }[] }).tasks.map((t) => t.id).sort();

  it("list --at HEAD~1 gives the tasks as they were then", async () => {
    const now = await td(["list", "status:doing", "--format", "json"]);
    expect(ids(now.stdout)).toEqual(["API-11", "API-8", "OPS-14", "WEB-11", "WEB-32"]);
    const before = await td(["list", "--at", "HEAD~1", "status:doing", "--format", "json"]);
    expect(before.code).toBe(0);
    expect(ids(before.stdout)).toEqual(["API-11", "API-8", "OPS-14", "WEB-11"]);
    const first = await td(["list", "--at", "v1", "status:doing", "--format", "json"]);
    expect(ids(first.stdout)).toEqual(DOING_AT_V1);
  });

  it("show --at a tag shows the task as it was", async () => {
    const then = await td(["show", "WEB-16", "--at", "v1", "--format", "json"]);
    expect(then.code).toBe(0);
    expect((JSON.parse(then.stdout) as { task: { status: string } }).task.status).toBe("review");
    const now = await td(["show", "WEB-16", "--format", "json"]);
    expect((JSON.parse(now.stdout) as { task: { status: string } }).task.status).toBe("done");
    const text = await td(["show", "WEB-16", "--at", "v1"]);
    expect(text.stdout).toContain("Signup form with inline validation");
    expect(text.stdout).toContain("In review");
    // a task that did not exist yet
    const missing = await td(["show", "WEB-32", "--at", "v1"]);
    expect(missing.code).toBe(1);
  });

  it("board --at a date shows the board of the last commit made by that day (Europe/Berlin)", async () => {
    const then = await td(["board", "web", "--at", "2026-10-20"]);
    expect(then.code).toBe(0);
    // at 100 columns the board's six columns are shown one under another, each headed "Name N"
    const counts = (stdout: string) =>
      Object.fromEntries(
        [...stdout.matchAll(/^(Backlog|To do|In progress|In review|Done|Cancelled) (\d+)/gm)].map(
          (m) => [m[1], Number(m[2])],
        ),
      );
    // 2026-10-15: WEB-15 had moved to review and WEB-16 to done; WEB-32 was not written yet
    expect(counts(then.stdout)).toMatchObject({ "In progress": 1, "In review": 1, Done: 11 });
    expect(then.stdout).not.toContain("WEB-32");
    const first = await td(["board", "web", "--at", "2026-10-01"]);
    expect(counts(first.stdout)).toMatchObject({ "In progress": 2, "In review": 1, Done: 10 });
    const now = await td(["board", "web"]);
    expect(counts(now.stdout)).toMatchObject({ "In progress": 2, "In review": 1, Done: 11 });
    expect(now.stdout).toContain("WEB-32");
  });

  it("stats --at counts the old snapshot", async () => {
    const stats = (stdout: string) =>
      JSON.parse(stdout) as {
        summary: { tasks: number };
        byStatus: { status: string; tasks: number }[];
      };
    const then = stats((await td(["stats", "--at", "v1", "--format", "json"])).stdout);
    const now = stats((await td(["stats", "--format", "json"])).stdout);
    expect(then.summary.tasks).toBe(63);
    expect(now.summary.tasks).toBe(64);
    expect(then.byStatus.find((s) => s.status === "doing")?.tasks).toBe(5);
  });

  it("exits 2 with the reason for a bad --at", async () => {
    const bad = await td(["list", "--at", "nope"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'trackdown: There is no branch, tag or commit "nope" in this repository.\n',
    );
    const early = await td(["board", "--at", "2026-09-01"]);
    expect(early.code).toBe(2);
    expect(early.stderr).toContain("2026-09-01");
  });
});
