// The write commands on a copy of examples/acme kept in a git repository: each test runs a
// command as a user would and asserts the exact `git diff` it leaves (one line where one
// field changed), the messages and the exit code; refusals leave the tree clean.
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { type AcmeRepo, acmeRepo } from "../test-support/acme-repo.js";
import { capturedIO, runCli } from "../test-support/cli.js";
import { commitAll, git } from "../test-support/git.js";
import { ageFiles } from "../test-support/temp.js";
import { runTimer } from "./commands/log.js";
import { runNew } from "./commands/new.js";

const ENV = { TRACKDOWN_TODAY: "2026-11-27", NO_COLOR: "1" };
let repo: AcmeRepo;
let dir: string;

beforeEach(() => {
  repo = acmeRepo(ENV);
  dir = repo.dir;
});

const cli = (...args: string[]) => repo.cli(...args);
const diff = (...paths: string[]) => repo.diff(...paths);
const status = () => repo.status();
const read = (path: string) => repo.read(path);

const API10 = "projects/api/tasks/API-10-webhook-retry-queue-with-exponential-backoff.md";
const API15 = "projects/api/tasks/API-15-generate-a-typescript-sdk-from-the.md";
const API13 = "projects/api/tasks/API-13-sunset-and-deprecation-headers-on-v1.md";

describe("trackdown move", () => {
  it("changes the status line and nothing else", async () => {
    const r = await cli("move", "API-13", "backlog");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Moved API-13 from todo to backlog (${API13}).\n`);
    expect(diff()).toBe(
      [
        `--- a/${API13}`,
        `+++ b/${API13}`,
        "@@ -5 +5 @@ title: Sunset and Deprecation headers on v1 endpoints",
        "-status: todo",
        "+status: backlog",
      ].join("\n"),
    );
  });

  it("writes the parse cache when there was none (a fresh clone), so the next command starts warm", async () => {
    // files written this very second are never cached: the checkout is dated an hour back
    ageFiles(dir);
    rmSync(join(dir, ".trackdown"), { recursive: true, force: true });
    expect((await cli("move", "API-13", "backlog")).code).toBe(0);
    expect(readdirSync(join(dir, ".trackdown", "cache")).sort()).toEqual([
      "parse-v3.json",
      "parse-v3.txt",
    ]);
    expect((await cli("check")).code).toBe(0);
  });

  it("refuses a move the workflow does not allow, naming the allowed ones, and writes nothing", async () => {
    const r = await cli("move", "API-15", "done");
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "API-15 cannot move to done: the workflow does not allow backlog → done; from backlog a task may move to todo, cancelled. Nothing was written (--force moves it anyway).\n",
    );
    expect(status()).toBe("");
  });

  it("refuses to move into a full column (WIP limit) unless --force", async () => {
    // doing holds 5 tasks for a limit of 6: API-10 fills it, API-12 finds it full
    expect((await cli("move", "API-10", "doing")).code).toBe(0);
    commitAll(dir, "API-10 started", "2026-11-27T11:00:00+01:00");
    const r = await cli("move", "API-12", "doing");
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "API-12 cannot move to doing: doing is full: 6 tasks for a WIP limit of 6; finish one first. Nothing was written (--force moves it anyway).\n",
    );
    expect(status()).toBe("");
    const forced = await cli("move", "API-12", "doing", "--force");
    expect(forced.code).toBe(0);
    expect(diff()).toContain("-status: todo\n+status: doing");
  });

  it("says what a status requires that the task lacks", async () => {
    // todo → doing is allowed, doing requires assignees; API-22 has none (doing is full: forced)
    const r = await cli("move", "API-22", "doing", "--force");
    expect(r.code).toBe(0); // --force writes past the error, after printing it
    expect(r.stderr).toMatch(
      /API-22-[a-z0-9-]+\.md:\d+:\d+ error TD304 A task in "doing" needs "assignees", which API-22 does not have\./,
    );
    git(dir, ["checkout", "--", "."]);
    const refused = await cli("move", "API-22", "todo");
    expect(refused.stdout).toBe("API-22 is already in todo; nothing to change.\n");
  });

  it("prints the patch with --dry-run and writes nothing", async () => {
    const r = await cli("move", "API-15", "todo", "--dry-run");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`--- a/${API15}\n+++ b/${API15}\n`);
    expect(r.stdout).toContain("-status: backlog\n+status: todo\n");
    expect(r.stdout).toContain("(dry run: nothing was written)");
    expect(status()).toBe("");
  });

  it("takes a status by its name, and suggests one for a typo", async () => {
    expect((await cli("move", "API-15", "To do")).code).toBe(0);
    const r = await cli("move", "API-15", "reveiw");
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'trackdown: "reveiw" is not a status of this tracker. Did you mean "review"? Statuses: backlog, todo, doing, review, done, cancelled.\n',
    );
  });

  it("names a task that does not exist, with a guess", async () => {
    const r = await cli("move", "API-100", "todo");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^trackdown: There is no task API-100\./);
  });
});

describe("trackdown edit", () => {
  it("sets, adds and removes with one-line changes, typed by the schema", async () => {
    const r = await cli(
      "edit",
      "API-10",
      "--set",
      "priority=high",
      "--set",
      "estimate=8",
      "--add",
      "labels=performance",
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(diff()).toBe(
      [
        `--- a/${API10}`,
        `+++ b/${API10}`,
        "@@ -7,3 +7,3 @@ assignees: [kenji]",
        "-priority: medium",
        "-estimate: 5",
        "-labels: [backend]",
        "+priority: high",
        "+estimate: 8",
        "+labels: [backend, performance]",
      ].join("\n"),
    );
  });

  it("writes a label the catalogue does not know, with the warning check gives", async () => {
    const r = await cli("edit", "API-10", "--add", "labels=urgentish");
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      `${API10}:9:19 warning TD303 The label "urgentish" is not in the label catalogue of trackdown.yml.\n  hint: Known labels: bug, feature, chore, docs, design, frontend, backend, infra, security, performance, a11y.\n`,
    );
    expect(diff()).toContain("-labels: [backend]\n+labels: [backend, urgentish]");
  });

  it("refuses a change that adds an error, pointing at the line, and writes nothing", async () => {
    const r = await cli("edit", "API-10", "--set", "milestone=nope");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(`^${API10.replace(/[.]/g, "\\.")}:10:\\d+ error TD\\d+ .*nope`),
    );
    expect(r.stderr).toContain("Nothing was written: the change would add this error.");
    expect(status()).toBe("");
  });

  it("refuses unknown fields, the id, and numbers that are not numbers", async () => {
    const unknown = await cli("edit", "API-10", "--set", "prority=high");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('A task has no field "prority". Did you mean "priority"?');
    const id = await cli("edit", "API-10", "--set", "id=API-99");
    expect(id.stderr).toContain("trackdown rename-id");
    const nan = await cli("edit", "API-10", "--set", "estimate=lots");
    expect(nan.stderr).toBe('trackdown: estimate is a number; "lots" is not one.\n');
    expect(status()).toBe("");
  });

  it("unsets a field by removing exactly its line", async () => {
    expect((await cli("edit", "API-10", "--unset", "start")).code).toBe(0);
    expect(diff()).toBe(
      [
        `--- a/${API10}`,
        `+++ b/${API10}`,
        "@@ -13 +12,0 @@ depends_on: [API-9]",
        "-start: 2026-11-30",
      ].join("\n"),
    );
  });

  it("takes people with or without @ in every field that names people", async () => {
    expect((await cli("edit", "web", "--set", "lead=@lena", "--add", "members=@tom")).code).toBe(2); // "web" is both a team and a project
    expect((await cli("edit", "WEB", "--set", "lead=@lena")).code).toBe(0);
    expect(diff()).toContain("-lead: jonas\n+lead: lena");
  });

  it("edits a person by id", async () => {
    expect((await cli("edit", "@ana", "--set", "capacity=32")).code).toBe(0);
    expect(diff()).toBe(
      [
        "--- a/people/ana.yml",
        "+++ b/people/ana.yml",
        "@@ -5 +5 @@ github: asouza-acme",
        "-capacity: 40",
        "+capacity: 32",
      ].join("\n"),
    );
  });
});

describe("trackdown assign and unassign", () => {
  it("adds people by id or GitHub login and removes them again", async () => {
    const r = await cli("assign", "API-10", "@ana");
    expect(r.stdout).toBe(`Assigned @ana to API-10 (${API10}).\n`);
    expect(diff()).toContain("-assignees: [kenji]\n+assignees: [kenji, ana]");
    expect((await cli("assign", "API-10", "ana")).stdout).toBe(
      "API-10 is already assigned to @ana; nothing to change.\n",
    );
    expect((await cli("unassign", "API-10", "@kenji", "@ana")).code).toBe(0);
    expect(diff()).toContain("-assignees: [kenji]\n+assignees: []");
  });

  it("refuses someone who is not in people/", async () => {
    const r = await cli("assign", "API-10", "@anna");
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('trackdown: There is no person "@anna" in people/. Did you mean @ana?\n');
  });

  it("will not leave a task in doing without assignees", async () => {
    const r = await cli("unassign", "API-11");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error TD304 A task in "doing" needs "assignees"');
    expect(status()).toBe("");
  });
});

describe("a malformed TRACKDOWN_TODAY", () => {
  it("is refused by write commands as by read commands, and nothing is written", async () => {
    const r = await runCli(["log", "API-10", "1h", "--person", "kenji"], {
      cwd: dir,
      env: { ...ENV, TRACKDOWN_TODAY: "27.11.2026" },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'trackdown: TRACKDOWN_TODAY is "27.11.2026"; it must be a date written YYYY-MM-DD.\n',
    );
    expect(status()).toBe("");
  });
});

describe("trackdown log", () => {
  it("writes one new time entry file in the tracker's style", async () => {
    const r = await cli(
      "log",
      "API-10",
      "1h30m",
      "--person",
      "kenji",
      "--date",
      "2026-11-26",
      "--note",
      "Backoff table",
      "--billable",
    );
    expect(r.stderr).toBe("");
    const added = status().split("\n");
    expect(added).toHaveLength(1);
    const path = added[0]?.replace(/^\?\? /, "") ?? "";
    expect(path).toMatch(/^time\/2026-11\/2026-11-26-kenji-API-10-[a-z0-9]{4}\.yml$/);
    expect(read(path)).toBe(
      [
        "# yaml-language-server: $schema=../../../../schemas/time-entry.schema.json",
        "person: kenji",
        "task: API-10",
        "date: 2026-11-26",
        "duration: 1h30m",
        "note: Backoff table",
        "billable: true",
        "",
      ].join("\n"),
    );
    expect(r.stdout).toBe(`Logged 1h30m on API-10 for @kenji on 2026-11-26 (${path}).\n`);
    expect((await cli("check")).code).toBe(0);
  });

  it("refuses durations that are not durations, or too long, and unknown people", async () => {
    expect((await cli("log", "API-10", "1h75", "--person", "kenji")).stderr).toContain(
      '"1h75" is not a duration',
    );
    expect((await cli("log", "API-10", "4d", "--person", "kenji")).stderr).toContain(
      "between 1 minute and 24 hours",
    );
    expect((await cli("log", "API-10", "1h", "--person", "kenjii")).stderr).toContain(
      "Did you mean @kenji?",
    );
    expect((await cli("log", "API-10", "1h")).stderr).toContain("Who did the work?");
    expect(status()).toBe("");
  });
});

describe("trackdown archive, restore", () => {
  it("moves the file to archive/ as it is", async () => {
    const r = await cli("archive", "API-23");
    expect(r.code).toBe(0);
    git(dir, ["add", "-A"]);
    expect(git(dir, ["diff", "--cached", "-M", "--name-status"])).toBe(
      "R100\tprojects/api/tasks/API-23-xml-response-format-for-legacy-partners.md\tprojects/api/archive/API-23-xml-response-format-for-legacy-partners.md",
    );
    expect((await cli("restore", "API-23")).code).toBe(0);
    git(dir, ["add", "-A"]);
    expect(status()).toBe("");
  });
});

describe("a task that already has an error", () => {
  it("can be renamed when its error names it: the same error under the new id is not new", async () => {
    // in doing without assignees: TD304 names the task
    expect((await cli("edit", "API-22", "--set", "status=doing", "--force")).code).toBe(0);
    expect((await cli("check")).stdout).toContain("which API-22 does not have");
    const renamed = await cli("rename-id", "API-22", "API-30");
    expect(renamed.stderr).toBe("");
    expect(renamed.code).toBe(0);
    expect((await cli("check")).stdout).toContain("which API-30 does not have");
  });

  it("can still be archived and renamed: its old error is not counted as a new one", async () => {
    expect((await cli("edit", "API-10", "--set", "milestone=nope", "--force")).code).toBe(0);
    const archived = await cli("archive", "API-10");
    expect(archived.stderr).toBe("");
    expect(archived.code).toBe(0);
    const renamed = await cli("rename-id", "API-10", "API-30");
    expect(renamed.stderr).toBe("");
    expect(renamed.code).toBe(0);
  });
});

describe("trackdown rename-id and mv", () => {
  it("rename-id renames the file, sets the id, and rewrites references, time entries and mentions", async () => {
    const r = await cli("rename-id", "API-10", "API-30");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, API10))).toBe(false);
    const renamed = API10.replace("API-10", "API-30");
    expect(read(renamed)).toContain("\nid: API-30\n");
    expect((await cli("check")).code).toBe(0);
    // nothing in the tracker names API-10 any more (git grep exits 1 when nothing matches)
    git(dir, ["add", "-A"]);
    expect(() => git(dir, ["grep", "--cached", "-n", "-w", "API-10"])).toThrow(
      /exit|status 1|failed/i,
    );
    expect(git(dir, ["grep", "--cached", "-c", "-w", "API-30"])).not.toBe("");
  });

  it("a running timer follows the task to its new id", async () => {
    const io = capturedIO(dir, ENV).io;
    const start = new Date("2026-11-27T09:00:00Z");
    expect(await runTimer(io, "start", "API-10", { person: "kenji", now: () => start })).toBe(0);
    expect((await cli("rename-id", "API-10", "API-30")).code).toBe(0);
    expect(JSON.parse(read(".trackdown/timers.json"))).toEqual({
      kenji: { task: "API-30", started: start.toISOString() },
    });
    const stopped = capturedIO(dir, ENV);
    const later = new Date("2026-11-27T10:30:00Z");
    expect(
      await runTimer(stopped.io, "stop", undefined, { person: "kenji", now: () => later }),
    ).toBe(0);
    expect(stopped.stdout()).toMatch(/^Stopped the timer: logged 1h30m on API-30 for @kenji/);
  });

  it("refuses an id already in use", async () => {
    const r = await cli("rename-id", "API-10", "API-7");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("API-7 is taken");
    expect(status()).toBe("");
  });

  it("mv gives the task the other project's next id and keeps the tracker valid", async () => {
    const r = await cli("mv", "API-10", "--project", "OPS");
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^Moved API-10 to project OPS as OPS-16;/);
    expect(
      readdirSync(join(dir, "projects/ops/tasks")).some((f) =>
        f.startsWith("OPS-16-webhook-retry"),
      ),
    ).toBe(true);
    expect((await cli("check")).code).toBe(0);
  });
});

describe("trackdown new", () => {
  it("creates a task from the template with the next id", async () => {
    const r = await cli(
      "new",
      "task",
      "--project",
      "API",
      "--title",
      "Retry budget per key",
      "--priority",
      "high",
    );
    expect(r.stderr).toBe("");
    const path = "projects/api/tasks/API-24-retry-budget-per-key.md";
    expect(r.stdout).toBe(`Created task API-24: ${path}.\n`);
    const text = read(path);
    expect(
      text.startsWith(
        "---\n# yaml-language-server: $schema=../../../../../schemas/task.schema.json\nid: API-24\ntitle: Retry budget per key\nstatus: backlog\npriority: high\n",
      ),
    ).toBe(true);
    // the template's own notes (its leading comments) are not copied; its optional fields are
    expect(text).not.toContain("# Template for new tasks");
    expect(text).toContain("# estimate: 3\n");
    expect(text).toContain("\npriority: high\n");
    expect(text).toContain("\ncreated: 2026-11-27\n");
    expect(text).toContain("## Why");
    expect((await cli("check")).code).toBe(0);
  });

  it("asks for what is missing when run in a terminal", async () => {
    const questions: string[] = [];
    const captured = capturedIO(dir, ENV);
    const code = await runNew(captured.io, "task", {
      fields: {},
      project: "OPS",
      ask: async (question) => {
        questions.push(question);
        return "Rotate the staging keys";
      },
    });
    expect(code).toBe(0);
    expect(questions).toEqual(["title: "]);
    expect(captured.stdout()).toBe(
      "Created task OPS-16: projects/ops/tasks/OPS-16-rotate-the-staging-keys.md.\n",
    );
    expect(read("projects/ops/tasks/OPS-16-rotate-the-staging-keys.md")).toContain(
      "\ntitle: Rotate the staging keys\n",
    );
  });

  it("takes a status by name and task ids in any case, as move does", async () => {
    const r = await cli(
      "new",
      "task",
      "-p",
      "WEB",
      "--title",
      "Lower-case references",
      "--status",
      "To do",
      "--parent",
      "web-11",
      "--depends-on",
      "web-12,web-13",
    );
    expect(r.stderr).toBe("");
    const text = read("projects/web/tasks/WEB-32-lower-case-references.md");
    expect(text).toContain("\nstatus: todo\n");
    expect(text).toContain("\nparent: WEB-11\n");
    expect(text).toContain("\ndepends_on: [WEB-12, WEB-13]\n");
    expect((await cli("check")).code).toBe(0);
  });

  it("needs a title when not run in a terminal", async () => {
    const r = await cli("new", "task", "--project", "API");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("A new task needs --title");
  });
});

describe("trackdown fix-ids", () => {
  it("before merging, never hands out an id that main created and deleted", async () => {
    git(dir, ["checkout", "-q", "-b", "feature"]);
    expect((await cli("new", "task", "--project", "API", "--title", "Feature work")).code).toBe(0);
    commitAll(dir, "feature task", "2026-11-27T11:00:00+01:00");
    git(dir, ["checkout", "-q", "main"]);
    // main creates API-24 and API-25, then deletes API-25
    expect((await cli("new", "task", "--project", "API", "--title", "Main work")).code).toBe(0);
    expect((await cli("new", "task", "--project", "API", "--title", "Dropped")).code).toBe(0);
    commitAll(dir, "main tasks", "2026-11-27T11:30:00+01:00");
    git(dir, ["rm", "-q", "projects/api/tasks/API-25-dropped.md"]);
    commitAll(dir, "drop API-25", "2026-11-27T11:40:00+01:00");
    git(dir, ["checkout", "-q", "feature"]);
    const r = await cli("fix-ids", "--base", "main");
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("API-24 → API-26");
  });

  it("renumbers this branch's task that main numbered meanwhile, before or after merging", async () => {
    // main and a branch both create API-24, and the branch's second task depends on its own
    git(dir, ["checkout", "-q", "-b", "feature"]);
    expect((await cli("new", "task", "--project", "API", "--title", "Feature work")).code).toBe(0);
    expect(
      (
        await cli(
          "new",
          "task",
          "--project",
          "API",
          "--title",
          "Follow-up",
          "--depends-on",
          "API-24",
        )
      ).code,
    ).toBe(0);
    commitAll(dir, "feature tasks", "2026-11-27T11:00:00+01:00");
    git(dir, ["checkout", "-q", "main"]);
    expect((await cli("new", "task", "--project", "API", "--title", "Main work")).code).toBe(0);
    commitAll(dir, "main task", "2026-11-27T11:30:00+01:00");
    git(dir, ["checkout", "-q", "feature"]);
    git(dir, ["merge", "-q", "--no-edit", "main"]);
    const clash = await cli("check");
    expect(clash.code).toBe(1);
    expect(clash.stdout).toContain("TD211");

    const r = await cli("fix-ids", "--base", "main");
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("API-24 → API-26");
    const after = await cli("check");
    expect(after.stdout + after.stderr).not.toContain("TD211");
    expect(after.code).toBe(0);
    // main's task kept its id and file; the branch's follow-up now depends on API-26
    expect(read("projects/api/tasks/API-24-main-work.md")).toContain("id: API-24");
    expect(read("projects/api/tasks/API-26-feature-work.md")).toContain("id: API-26");
    expect(read("projects/api/tasks/API-25-follow-up.md")).toContain("depends_on: [API-26]");
  });
});
