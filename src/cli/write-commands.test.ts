// The write commands beyond their everyday use (src/cli/edit-commands.test.ts has that): timers,
// every kind `new` makes, edits of unusual files and values, renames and their references,
// fix-ids before a merge, files changed or linked behind a command's back. Each test runs on
// a copy of examples/acme kept in a git repository and asserts what a user sees: the exact
// output and exit code, the exact files, and that a refusal leaves every byte in place.
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { type AcmeRepo, acmeRepo } from "../test-support/acme-repo.js";
import { type CliResult, capturedIO } from "../test-support/cli.js";
import { commitAll, git } from "../test-support/git.js";
import { tempDir } from "../test-support/temp.js";
import { runEdit } from "./commands/edit.js";
import { runTimer, type TimerOptions } from "./commands/log.js";
import { runNew } from "./commands/new.js";
import { EditSession } from "./editing.js";
import { CliError, type CliIO } from "./io.js";

const ENV = { TRACKDOWN_TODAY: "2026-11-27", NO_COLOR: "1", TRACKDOWN_ME: "kenji" };
let repo: AcmeRepo;
let dir: string;

beforeEach(() => {
  repo = acmeRepo(ENV);
  dir = repo.dir;
});

const cli = (...args: string[]) => repo.cli(...args);
const status = () => repo.status();
const read = (path: string) => repo.read(path);
const put = (path: string, text: string) => {
  mkdirSync(join(dir, path, ".."), { recursive: true });
  writeFileSync(join(dir, path), text);
};
const diff = (...paths: string[]) => repo.diff(...paths);
/** Every file changed since the last commit, renames detected (R, without git's similarity). */
const changedFiles = () => {
  git(dir, ["add", "-A"]);
  return git(dir, ["diff", "--cached", "-M", "--name-status"])
    .split("\n")
    .map((l) => l.replace(/^R\d+\t/, "R\t"));
};
const clean = async () => {
  const r = await cli("check");
  expect(r.stdout).toMatch(/^✓ \d+ tasks checked, no problems\.\n$/);
  expect(r.code).toBe(0);
};

/** A CliIO that keeps what the command prints, like the one runCli builds. */
const capture = () => capturedIO(dir, ENV);

/** Runs a command function as `run()` would: a CliError becomes its message and exit code. */
async function asUser(command: (io: CliIO) => Promise<number>): Promise<CliResult> {
  const { io, result } = capture();
  try {
    return result(await command(io));
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    io.stderr.write(`trackdown: ${error.message}\n`);
    return result(error.exitCode);
  }
}

const API8 = "projects/api/tasks/API-8-webhooks-with-signed-delivery-and-retries.md";
const API9 = "projects/api/tasks/API-9-webhook-hmac-sha256-signatures-and-verification.md";
const API10 = "projects/api/tasks/API-10-webhook-retry-queue-with-exponential-backoff.md";
const API23 = "projects/api/tasks/API-23-xml-response-format-for-legacy-partners.md";
const TIMERS = ".trackdown/timers.json";

describe("trackdown timer", () => {
  /** `trackdown timer ACTION [ID] --person kenji` at a fixed time (an ISO instant). */
  const timer = (action: string, id: string | undefined, at: string, options: TimerOptions = {}) =>
    asUser((io) =>
      runTimer(io, action, id, { person: "kenji", now: () => new Date(at), ...options }),
    );
  const timers = () => read(TIMERS);
  const running = (task: string, started: string) =>
    `${JSON.stringify({ kenji: { task, started } }, null, 2)}\n`;

  it("start, status and stop log the time on the day the timer started", async () => {
    // 23:45 in Berlin (the tracker's time zone) on the 26th, stopped at 01:15 on the 27th
    const start = await timer("start", "api-10", "2026-11-26T22:45:00Z");
    expect(start).toEqual({
      code: 0,
      stdout: "Started a timer on API-10 for @kenji; `trackdown timer stop` logs the time.\n",
      stderr: "",
    });
    expect(timers()).toBe(running("API-10", "2026-11-26T22:45:00.000Z"));
    expect(status()).toBe(""); // .trackdown/ is outside git

    expect((await timer("status", undefined, "2026-11-27T00:00:00Z")).stdout).toBe(
      "@kenji: API-10 since 2026-11-26 22:45 UTC (1h15m).\n",
    );

    const stop = await timer("stop", undefined, "2026-11-27T00:15:20Z", { note: "Jitter" });
    expect(stop.stderr).toBe("");
    expect(stop.code).toBe(0);
    const path = /\((time\/2026-11\/2026-11-26-kenji-API-10-[a-z0-9]{4}\.yml)\)/.exec(
      stop.stdout,
    )?.[1];
    expect(stop.stdout).toBe(
      `Stopped the timer: logged 1h30m on API-10 for @kenji on 2026-11-26 (${path}).\n`,
    );
    expect(status()).toBe(`?? ${path}`);
    expect(read(path ?? "")).toBe(
      [
        "# yaml-language-server: $schema=../../../../schemas/time-entry.schema.json",
        "person: kenji",
        "task: API-10",
        "date: 2026-11-26",
        "duration: 1h30m",
        "note: Jitter",
        "",
      ].join("\n"),
    );
    expect(timers()).toBe("{}\n");
    expect((await timer("status", undefined, "2026-11-27T00:16:00Z")).stdout).toBe(
      "@kenji has no timer running.\n",
    );
    await clean();
  });

  it("takes the day in the tracker's time zone, not UTC's", async () => {
    // 00:30 on the 27th in Berlin is still the 26th in UTC
    await timer("start", "API-10", "2026-11-26T23:30:00Z");
    const stop = await timer("stop", undefined, "2026-11-27T00:10:00Z");
    expect(stop.stdout).toMatch(
      /^Stopped the timer: logged 40m on API-10 for @kenji on 2026-11-27 \(time\/2026-11\/2026-11-27-kenji-API-10-[a-z0-9]{4}\.yml\)\.\n$/,
    );
  });

  it("refuses a second timer, and keeps the first", async () => {
    await timer("start", "API-10", "2026-11-26T09:00:00Z");
    const again = await timer("start", "API-9", "2026-11-26T09:10:00Z");
    expect(again).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "trackdown: @kenji has a timer running on API-10 since 2026-11-26 09:00 UTC (10m); stop it first (trackdown timer stop) or cancel it (trackdown timer cancel).\n",
    });
    expect(timers()).toBe(running("API-10", "2026-11-26T09:00:00.000Z"));
    // someone else's timer is theirs
    const ana = await timer("start", "API-9", "2026-11-26T09:10:00Z", { person: "@ana" });
    expect(ana.stdout).toBe(
      "Started a timer on API-9 for @ana; `trackdown timer stop` logs the time.\n",
    );
    expect(JSON.parse(timers())).toEqual({
      kenji: { task: "API-10", started: "2026-11-26T09:00:00.000Z" },
      ana: { task: "API-9", started: "2026-11-26T09:10:00.000Z" },
    });
  });

  it("says so when there is no timer to stop or cancel, and cancels without logging", async () => {
    for (const action of ["stop", "cancel"]) {
      expect(await timer(action, undefined, "2026-11-26T10:00:00Z")).toEqual({
        code: 1,
        stdout: "",
        stderr: "trackdown: @kenji has no timer running.\n",
      });
    }
    expect(existsSync(join(dir, TIMERS))).toBe(false);

    await timer("start", "API-10", "2026-11-26T09:00:00Z");
    const cancel = await timer("cancel", undefined, "2026-11-26T09:20:00Z");
    expect(cancel).toEqual({
      code: 0,
      stdout: "Cancelled the timer on API-10 since 2026-11-26 09:00 UTC (20m); nothing logged.\n",
      stderr: "",
    });
    expect(timers()).toBe("{}\n");
    expect(status()).toBe("");
  });

  it("refuses to log a timer that ran over 24 hours, and leaves it running", async () => {
    await timer("start", "API-10", "2026-11-25T09:00:00Z");
    const stop = await timer("stop", undefined, "2026-11-26T09:01:00Z");
    expect(stop).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "trackdown: The timer on API-10 since 2026-11-25 09:00 UTC (24h1m) ran over 24 hours: log the time by hand (trackdown log API-10 DURATION --date …) and cancel it (trackdown timer cancel).\n",
    });
    expect(status()).toBe("");
    expect(timers()).toBe(running("API-10", "2026-11-25T09:00:00.000Z"));
    expect((await timer("cancel", undefined, "2026-11-26T09:02:00Z")).code).toBe(0);
  });

  it("refuses a timers file it cannot read rather than forget the timers in it", async () => {
    const cases = [
      ['{"kenji": {"task": "API-10",}', "is not valid JSON"],
      ["[]", "is not a JSON object of timers by person"],
      ['{"ana": {"task": "API-9"}}', 'holds a timer for "ana" without a task and a start time'],
    ];
    for (const [text = "", why] of cases) {
      put(TIMERS, text);
      for (const [action, id] of [["status"], ["start", "API-10"], ["stop"], ["cancel"]]) {
        expect(await timer(action ?? "", id, "2026-11-26T09:00:00Z")).toEqual({
          code: 2,
          stdout: "",
          stderr: `trackdown: .trackdown/timers.json ${why}, so the running timers cannot be told; nothing was changed. Fix the file, or remove it to forget every running timer.\n`,
        });
        expect(timers()).toBe(text);
      }
    }
    expect(status()).toBe("");
  });

  it("writes nothing with --dry-run: start, stop (which shows the entry) and cancel", async () => {
    const dry = { dryRun: true };
    expect((await timer("start", "API-10", "2026-11-26T09:00:00Z", dry)).stdout).toBe(
      "Would start a timer on API-10 for @kenji (dry run: nothing was written).\n",
    );
    expect(existsSync(join(dir, TIMERS))).toBe(false);

    await timer("start", "API-10", "2026-11-26T09:00:00Z");
    const before = timers();
    const stop = await timer("stop", undefined, "2026-11-26T11:30:00Z", dry);
    expect(stop.code).toBe(0);
    const name = /b\/(time\/2026-11\/2026-11-26-kenji-API-10-[a-z0-9]{4}\.yml)/.exec(
      stop.stdout,
    )?.[1];
    expect(stop.stdout).toBe(
      [
        `diff --git a/${name} b/${name}`,
        "new file mode 100644",
        "--- /dev/null",
        `+++ b/${name}`,
        "@@ -0,0 +1,5 @@",
        "+# yaml-language-server: $schema=../../../../schemas/time-entry.schema.json",
        "+person: kenji",
        "+task: API-10",
        "+date: 2026-11-26",
        "+duration: 2h30m",
        "(dry run: nothing was written)",
        "",
      ].join("\n"),
    );
    expect((await timer("cancel", undefined, "2026-11-26T11:30:00Z", dry)).stdout).toBe(
      "Would cancel the timer on API-10 since 2026-11-26 09:00 UTC (2h30m); nothing logged.\n",
    );
    expect(timers()).toBe(before);
    expect(status()).toBe("");
  });
});

describe("trackdown new", () => {
  it("makes a milestone, a project, a person and a team, each a valid file", async () => {
    const made = [
      await cli(
        "new",
        "milestone",
        "--project",
        "web",
        "--title",
        "Content freeze",
        "--start",
        "2026-12-10",
        "--due",
        "2026-12-20",
      ),
      await cli(
        "new",
        "project",
        "--key",
        "docs",
        "--name",
        "Documentation site",
        "--lead",
        "@ana",
      ),
      await cli(
        "new",
        "person",
        "--name",
        "Zoë Keller",
        "--email",
        "zoe@acme.example",
        "--capacity",
        "32",
      ),
      await cli("new", "team", "--name", "Data", "--members", "ana, @kenji", "--lead", "@kenji"),
    ];
    expect(made.map((r) => r.stderr + r.stdout)).toEqual([
      "Created milestone content-freeze: projects/web/milestones/content-freeze.md.\n",
      "Created project DOCS: projects/documentation-site/project.md.\n",
      "Created person zoe-keller: people/zoe-keller.yml.\n",
      "Created team data: teams/data.yml.\n",
    ]);
    expect(read("projects/web/milestones/content-freeze.md")).toBe(
      [
        "---",
        "# yaml-language-server: $schema=../../../../../schemas/milestone.schema.json",
        "title: Content freeze",
        "start: 2026-12-10",
        "due: 2026-12-20",
        "status: planned",
        "---",
        "",
        "",
      ].join("\n"),
    );
    expect(read("projects/documentation-site/project.md")).toBe(
      [
        "---",
        "# yaml-language-server: $schema=../../../../schemas/project.schema.json",
        "key: DOCS",
        "name: Documentation site",
        "lead: ana",
        "---",
        "",
        "# Documentation site",
        "",
      ].join("\n"),
    );
    expect(read("people/zoe-keller.yml")).toBe(
      [
        "# yaml-language-server: $schema=../../../schemas/person.schema.json",
        "name: Zoë Keller",
        "email: zoe@acme.example",
        "capacity: 32",
        "",
      ].join("\n"),
    );
    expect(read("teams/data.yml")).toBe(
      [
        "# yaml-language-server: $schema=../../../schemas/team.schema.json",
        "name: Data",
        "lead: kenji",
        "members: [ana, kenji]",
        "",
      ].join("\n"),
    );
    await clean();
    // the new project takes tasks at once
    const task = await cli("new", "task", "--project", "DOCS", "--title", "First page");
    expect(task.stdout).toBe(
      "Created task DOCS-1: projects/documentation-site/tasks/DOCS-1-first-page.md.\n",
    );
    await clean();
  });

  it("refuses what exists already, bad ids, keys and dates, and writes nothing", async () => {
    const refusals: [string[], string][] = [
      [
        ["milestone", "--project", "WEB", "--title", "Launch"],
        'There is a milestone "launch" already; choose another --id.',
      ],
      [
        ["person", "--name", "Ana", "--id", "ana"],
        'There is a person "ana" already; choose another --id.',
      ],
      [["team", "--name", "Web"], 'There is a team "web" already; choose another --id.'],
      [["project", "--key", "web", "--name", "Web two"], "There is a project WEB already."],
      [
        ["project", "--key", "DOCS", "--name", "Docs", "--folder", "web"],
        "There is a project in projects/web/ already; choose another --folder.",
      ],
      [
        ["milestone", "--project", "WEB", "--title", "X", "--id", "Bad Id"],
        'A milestone id is lower-case letters, digits and dashes; "Bad Id" is not (give one with --id).',
      ],
      [
        ["person", "--name", "Ünal", "--id", "ünal"],
        'A person id is lower-case letters, digits and dashes; "ünal" is not (give one with --id).',
      ],
      [
        ["project", "--key", "w", "--name", "W"],
        '--key is 2 to 10 capital letters and digits starting with a letter (like WEB), not "W".',
      ],
      [
        ["project", "--key", "DOCS", "--name", "Docs", "--folder", "Docs Site"],
        '--folder is lower-case letters, digits and dashes, not "Docs Site".',
      ],
      [
        ["milestone", "--project", "WEB", "--title", "X", "--due", "2026-02-30"],
        '--due takes a day written YYYY-MM-DD, not "2026-02-30".',
      ],
      [
        ["task", "--project", "WEB", "--title", "X", "--start", "tomorrow"],
        '--start takes a day written YYYY-MM-DD, not "tomorrow".',
      ],
      [
        ["milestone", "--project", "XYZ", "--title", "X"],
        'There is no project "XYZ". Projects: API, OPS, WEB.',
      ],
    ];
    for (const [args, message] of refusals) {
      const r = await cli("new", ...args);
      expect(r.stderr, args.join(" ")).toBe(`trackdown: ${message}\n`);
      expect(r.stdout).toBe("");
      expect(r.code).toBeGreaterThan(0);
    }
    expect(status()).toBe("");
  });

  it("takes the body from --body-file", async () => {
    const notes = join(tempDir(), "freeze.md");
    writeFileSync(notes, "\n# Content freeze\n\nNo copy changes after this day.\n");
    const r = await cli(
      "new",
      "milestone",
      "-p",
      "WEB",
      "--title",
      "Content freeze",
      "--body-file",
      notes,
    );
    expect(r.code).toBe(0);
    expect(read("projects/web/milestones/content-freeze.md")).toBe(
      [
        "---",
        "# yaml-language-server: $schema=../../../../../schemas/milestone.schema.json",
        "title: Content freeze",
        "status: planned",
        "---",
        "",
        "# Content freeze",
        "",
        "No copy changes after this day.",
        "",
      ].join("\n"),
    );
    // `--body-file -` reads standard input
    const fromStdin = await asUser((io) =>
      runNew(io, "person", { fields: { name: "Zoë" }, bodyFile: "-" }, () => "Not read."),
    );
    expect(fromStdin).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "trackdown: A person is a YAML file with no Markdown body; --body-file is for tasks, milestones and projects.\n",
    });
    const project = await asUser((io) =>
      runNew(
        io,
        "project",
        { fields: { key: "DOCS", name: "Docs" }, bodyFile: "-" },
        () => "\nEverything users read.\n",
      ),
    );
    expect(project.stdout).toBe("Created project DOCS: projects/docs/project.md.\n");
    expect(read("projects/docs/project.md")).toMatch(
      /\nname: Docs\n---\n\nEverything users read\.\n$/,
    );
    git(dir, ["clean", "-q", "-f", "-d", "projects/docs"]);
    for (const args of [
      ["new", "task", "-p", "WEB", "--title", "X", "--body-file", "nope.md"],
      ["edit", "WEB-4", "--body-file", "nope.md"],
    ]) {
      expect(await cli(...args)).toEqual({
        code: 2,
        stdout: "",
        stderr: "trackdown: Cannot read the body from nope.md: there is no such file.\n",
      });
    }
    expect(status()).toBe("?? projects/web/milestones/content-freeze.md");
  });

  it("fills every field of a task, uncommenting the template's lines for them", async () => {
    const r = await cli(
      "new",
      "task",
      "--project",
      "API",
      "--title",
      "Retry budget per key",
      "--depends-on",
      "API-10",
      "--labels",
      "backend,performance",
      "--assignees",
      "@ana,kenji",
      "--estimate",
      "3",
      "--due",
      "2026-12-24",
      "--milestone",
      "api-v2-ga",
      "--parent",
      "API-8",
      "--priority",
      "high",
    );
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(
      "Created task API-24: projects/api/tasks/API-24-retry-budget-per-key.md.\n",
    );
    expect(read("projects/api/tasks/API-24-retry-budget-per-key.md")).toBe(
      [
        "---",
        "# yaml-language-server: $schema=../../../../../schemas/task.schema.json",
        "id: API-24",
        "title: Retry budget per key",
        "status: backlog",
        "priority: high",
        "labels: [backend, performance]",
        "assignees: [ana, kenji]",
        "estimate: 3",
        "milestone: api-v2-ga",
        "parent: API-8",
        "depends_on: [API-10]",
        "# start: 2026-12-01",
        "due: 2026-12-24",
        "created: 2026-11-27",
        "---",
        "",
        "## Why",
        "",
        "What problem does this solve, and for whom?",
        "",
        "## What",
        "",
        "- [ ] First step",
        "- [ ] Second step",
        "",
        "## Done when",
        "",
        "How we will know this is finished.",
        "",
      ].join("\n"),
    );
    await clean();
  });

  it("writes a plain task file when the tracker has no templates/task.md", async () => {
    git(dir, ["rm", "-q", "-r", "templates"]);
    commitAll(dir, "no templates", "2026-11-27T11:00:00+01:00");
    const r = await cli(
      "new",
      "task",
      "-p",
      "OPS",
      "--title",
      "Rotate the TLS keys",
      "--labels",
      "infra",
    );
    expect(r.stdout).toBe(
      "Created task OPS-16: projects/ops/tasks/OPS-16-rotate-the-tls-keys.md.\n",
    );
    expect(read("projects/ops/tasks/OPS-16-rotate-the-tls-keys.md")).toBe(
      [
        "---",
        "# yaml-language-server: $schema=../../../../../schemas/task.schema.json",
        "id: OPS-16",
        "title: Rotate the TLS keys",
        "labels: [infra]",
        "status: backlog",
        "created: 2026-11-27",
        "---",
        "",
        "",
      ].join("\n"),
    );
    await clean();
  });

  /** The id `new task` would give in project API (from its --dry-run patch). */
  const nextApiId = async () => {
    const r = await cli("new", "task", "-p", "API", "--title", "Next", "--dry-run");
    expect(r.code).toBe(0);
    return /^diff --git a\/projects\/api\/tasks\/(API-\d+)-next\.md /.exec(r.stdout)?.[1];
  };

  it("never hands out the id of an archived task or of a task only referred to", async () => {
    expect((await cli("archive", "API-23")).code).toBe(0); // the highest API id
    expect(await nextApiId()).toBe("API-24");
    // a time entry for a task whose file is gone (check reports it; the id stays taken)
    put(
      "time/2026-11/2026-11-20-kenji-API-40-abcd.yml",
      "person: kenji\ntask: API-40\ndate: 2026-11-20\nduration: 1h\n",
    );
    expect(await nextApiId()).toBe("API-41");
  });

  it("never hands out the id of a task file deleted, or moved away, in git history", async () => {
    git(dir, ["rm", "-q", API23]);
    commitAll(dir, "drop API-23", "2026-11-27T11:00:00+01:00");
    expect(await nextApiId()).toBe("API-24");
    // API-23 moved to OPS instead: git sees a rename, which must still count as API-23 gone
    git(dir, ["reset", "-q", "--hard", "HEAD~1"]);
    expect((await cli("mv", "API-23", "--project", "OPS")).code).toBe(0);
    commitAll(dir, "API-23 is ops work", "2026-11-27T11:00:00+01:00");
    expect(await nextApiId()).toBe("API-24");
  });
});

describe("trackdown edit", () => {
  it("keeps a CRLF file CRLF, changing one line", async () => {
    const crlf = read(API10).replace(/\n/g, "\r\n");
    put(API10, crlf);
    commitAll(dir, "CRLF", "2026-11-27T11:00:00+01:00");
    const r = await cli("edit", "API-10", "--set", "priority=high");
    expect(r.stdout).toBe(`Edited API-10 (${API10}).\n`);
    expect(read(API10)).toBe(crlf.replace("priority: medium\r\n", "priority: high\r\n"));
    // (git leaves the CR out of the hunk header; the helper trims the last one)
    expect(diff()).toBe(
      [
        `--- a/${API10}`,
        `+++ b/${API10}`,
        "@@ -7 +7 @@ assignees: [kenji]",
        "-priority: medium\r",
        "+priority: high",
      ].join("\n"),
    );
  });

  it("refuses a file with broken YAML, pointing at the place, and leaves it as it is", async () => {
    const broken = read(API10).replace("labels: [backend]", "labels: [backend");
    put(API10, broken);
    for (const args of [
      ["edit", "API-10", "--set", "estimate=8"],
      ["move", "API-10", "doing"],
      ["log", "API-10", "1h"],
      ["rename-id", "API-10", "API-30"],
    ]) {
      const r = await cli(...args);
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stderr).toBe(
        `trackdown: ${API10}:10:1: The indentation is off here: Flow sequence in block collection must be sufficiently indented and end with a ]. API-10 could not be read, so nothing was written; fix the file (\`trackdown check\`) and run the command again.\n`,
      );
    }
    expect(read(API10)).toBe(broken);
    expect(status()).toBe(`M ${API10}`); // (git's output is trimmed)
  });

  it("refuses a front matter with a key twice, naming the second", async () => {
    const twice = read(API10).replace("priority: medium\n", "priority: medium\npriority: low\n");
    put(API10, twice);
    const r = await cli("edit", "API-10", "--set", "estimate=8");
    expect(r).toEqual({
      code: 1,
      stdout: "",
      stderr: `trackdown: ${API10}:8:1: The key "priority" appears more than once in the same mapping. API-10 could not be read, so nothing was written; fix the file (\`trackdown check\`) and run the command again.\n`,
    });
    expect(read(API10)).toBe(twice);
  });

  it("replaces only the body with --body-file - (standard input)", async () => {
    const before = read(API10);
    const r = await asUser((io) =>
      runEdit(io, "API-10", { bodyFile: "-" }, () => "\nNew plan: a queue per tenant.\n"),
    );
    expect(r).toEqual({ code: 0, stdout: `Edited API-10 (${API10}).\n`, stderr: "" });
    const head = before.slice(0, before.indexOf("\n---\n") + 5);
    expect(read(API10)).toBe(`${head}\nNew plan: a queue per tenant.\n`);
  });

  it("writes unicode as it is and quotes only values YAML would read otherwise", async () => {
    const cases = [
      ["Café — naïve 日本語 ✓ 🚀", "title: Café — naïve 日本語 ✓ 🚀"],
      ["yes", "title: yes"], // text in YAML 1.2, which Trackdown reads
      ["123", 'title: "123"'],
      ["a: b", 'title: "a: b"'],
      ["#x", 'title: "#x"'],
      ["null", 'title: "null"'],
      ["it's", "title: it's"],
    ];
    for (const [title = "", line] of cases) {
      const r = await cli("edit", "API-10", "--set", `title=${title}`);
      expect(r.stderr).toBe("");
      expect(diff()).toBe(
        [
          `--- a/${API10}`,
          `+++ b/${API10}`,
          "@@ -4 +4 @@ id: API-10",
          "-title: Webhook retry queue with exponential backoff",
          `+${line}`,
        ].join("\n"),
      );
      const shown = JSON.parse((await cli("show", "API-10", "--format", "json")).stdout) as {
        task: { title: string };
      };
      expect(shown.task.title).toBe(title);
      git(dir, ["checkout", "--", "."]);
    }
  });

  it("edits milestones, people, teams and projects by their ids", async () => {
    const edits = [
      ["launch", "--set", "due=2026-12-19"],
      ["@kenji", "--set", "capacity=30"],
      ["platform", "--add", "members=@lena"],
      ["OPS", "--set", "status=paused"],
    ];
    const out: string[] = [];
    for (const args of edits) out.push((await cli("edit", ...args)).stdout);
    expect(out).toEqual([
      "Edited milestone launch (projects/web/milestones/launch.md).\n",
      "Edited @kenji (people/kenji.yml).\n",
      "Edited team platform (teams/platform.yml).\n",
      "Edited project OPS (projects/ops/project.md).\n",
    ]);
    expect(diff()).toBe(
      [
        "--- a/people/kenji.yml",
        "+++ b/people/kenji.yml",
        "@@ -5 +5 @@ github: ksato-acme",
        "-capacity: 40",
        "+capacity: 30",
        "--- a/projects/ops/project.md",
        "+++ b/projects/ops/project.md",
        "@@ -5 +5 @@ name: Infrastructure and reliability",
        "-status: active",
        "+status: paused",
        "--- a/projects/web/milestones/launch.md",
        "+++ b/projects/web/milestones/launch.md",
        "@@ -6 +6 @@ start: 2026-12-07",
        "-due: 2026-12-18",
        "+due: 2026-12-19",
        "--- a/teams/platform.yml",
        "+++ b/teams/platform.yml",
        "@@ -5 +5 @@ lead: priya",
        "-members: [priya, ana, kenji]",
        "+members: [priya, ana, kenji, lena]",
      ].join("\n"),
    );
    await clean();
  });

  it("refuses an id that names two things, or two tasks", async () => {
    const both = await cli("edit", "web", "--set", "name=Web");
    expect(both).toEqual({
      code: 2,
      stdout: "",
      stderr:
        'trackdown: "web" names team web and project WEB; give the file\'s kind by editing it by hand, or rename one.\n',
    });
    const copy = API10.replace("API-10-webhook", "API-10-copy-of-webhook");
    cpSync(join(dir, API10), join(dir, copy));
    const twice = await cli("edit", "API-10", "--set", "estimate=8");
    expect(twice.code).toBe(1);
    expect(twice.stderr).toBe(
      `trackdown: API-10 is the id of 2 tasks (${copy}, ${API10}); give one of them a new id first with \`trackdown fix-ids\` or \`trackdown rename-id\`.\n`,
    );
    expect(status()).toBe(`?? ${copy}`);
  });
});

describe("trackdown rename-id and mv", () => {
  const API8_ENTRIES = [
    "time/2026-10/2026-10-28-kenji-API-8-1ucz.yml",
    "time/2026-10/2026-10-30-ana-API-8-qs9z.yml",
    "time/2026-11/2026-11-09-kenji-API-8-b10a.yml",
    "time/2026-11/2026-11-11-ana-API-8-gd05.yml",
    "time/2026-11/2026-11-18-kenji-API-8-9wmx.yml",
    "time/2026-11/2026-11-24-ana-API-8-af51.yml",
  ];

  it("rename-id takes the time entries, parents and dependencies along", async () => {
    const r = await cli("rename-id", "API-8", "API-30");
    expect(r).toEqual({
      code: 0,
      stdout: "Renamed API-8 to API-30; updated 2 references, 6 time entries.\n",
      stderr: "",
    });
    expect(changedFiles()).toEqual([
      `M\t${API10}`,
      `R\t${API8}\t${API8.replace("API-8", "API-30")}`,
      `M\t${API9}`,
      ...API8_ENTRIES.map((e) => `R\t${e}\t${e.replace("API-8", "API-30")}`),
    ]);
    expect(git(dir, ["diff", "--cached", "-U0", "--no-color", "--", API9, API10])).toContain(
      "-parent: API-8\n+parent: API-30",
    );
    for (const entry of API8_ENTRIES) {
      expect(read(entry.replace("API-8", "API-30"))).toContain("\ntask: API-30\n");
    }
    await clean();
  });

  it("rewrites whole-id mentions only, and renames archived tasks in archive/", async () => {
    const WEB12 = "projects/web/tasks/WEB-12-homepage-hero-with-a-b-copy.md";
    const WEB1 = "projects/web/archive/WEB-1-evaluate-static-site-generators-for-the.md";
    put(
      WEB12,
      read(WEB12)
        .replace("depends_on: [WEB-8]", "depends_on: [WEB-8, WEB-1]")
        .concat("\nAfter WEB-1 (see WEB-1.), not WEB-12, WEB-10 or XWEB-1; web-1 is prose.\n"),
    );
    commitAll(dir, "WEB-12 mentions WEB-1", "2026-11-27T11:00:00+01:00");
    const r = await cli("rename-id", "web-1", "WEB-40");
    expect(r.stdout).toBe(
      "Renamed WEB-1 to WEB-40; updated 1 reference, 2 mentions in Markdown.\n",
    );
    expect(changedFiles()).toEqual([
      `R\t${WEB1}\t${WEB1.replace("WEB-1-", "WEB-40-")}`,
      `M\t${WEB12}`,
    ]);
    expect(diff(WEB12)).toBe("");
    expect(
      git(dir, ["diff", "--cached", "-U0", "--no-color", "--", WEB12]).split("\n").slice(4),
    ).toEqual([
      "@@ -12 +12 @@ parent: WEB-11",
      "-depends_on: [WEB-8, WEB-1]",
      "+depends_on: [WEB-8, WEB-40]",
      expect.stringMatching(/^@@ -\d+ \+\d+ @@/),
      "-After WEB-1 (see WEB-1.), not WEB-12, WEB-10 or XWEB-1; web-1 is prose.",
      "+After WEB-40 (see WEB-40.), not WEB-12, WEB-10 or XWEB-1; web-1 is prose.",
    ]);
    await clean();
  });

  it("shows the renames with --dry-run, as git would, and writes nothing", async () => {
    const r = await cli("rename-id", "API-8", "API-30", "--dry-run");
    expect(r.code).toBe(0);
    const headers = r.stdout.split("\n").filter((l) => /^(diff --git|rename |similarity)/.test(l));
    const renamed = (from: string) => {
      const to = from.replace("API-8", "API-30");
      return [`diff --git a/${from} b/${to}`, `rename from ${from}`, `rename to ${to}`];
    };
    expect(headers).toEqual([
      ...renamed(API8),
      ...API8_ENTRIES.flatMap(renamed),
      `diff --git a/${API9} b/${API9}`,
      `diff --git a/${API10} b/${API10}`,
    ]);
    expect(r.stdout).toContain("-parent: API-8\n+parent: API-30\n");
    expect(r.stdout.endsWith("(dry run: nothing was written)\n")).toBe(true);
    expect(status()).toBe("");
  });

  it("mv moves a task to another project's folder with its next id; everything follows", async () => {
    const r = await cli("mv", "API-9", "--project", "ops");
    expect(r.stdout).toBe(
      "Moved API-9 to project OPS as OPS-16; updated 1 reference, 5 time entries, 1 mention in Markdown.\n",
    );
    const entries = [
      "time/2026-10/2026-10-26-kenji-API-9-s2iz.yml",
      "time/2026-10/2026-10-28-kenji-API-9-jjn4.yml",
      "time/2026-11/2026-11-02-kenji-API-9-ng5u.yml",
      "time/2026-11/2026-11-04-kenji-API-9-56pl.yml",
      "time/2026-11/2026-11-06-priya-API-9-k01a.yml",
    ];
    expect(changedFiles()).toEqual([
      `M\t${API10}`,
      `M\t${API8}`,
      `R\t${API9}\tprojects/ops/tasks/OPS-16-webhook-hmac-sha256-signatures-and-verification.md`,
      ...entries.map((e) => `R\t${e}\t${e.replace("API-9", "OPS-16")}`),
    ]);
    expect(read(API10)).toContain("\ndepends_on: [OPS-16]\n");
    expect(read(API8)).toContain("see the sub-tasks OPS-16 (signatures) and API-10 (retries)");
    await clean();
  });
});

describe("trackdown fix-ids", () => {
  it("renumbers a branch's clashing task before merging, time and references included", async () => {
    git(dir, ["checkout", "-q", "-b", "feature"]);
    expect((await cli("new", "task", "-p", "API", "--title", "Feature work")).code).toBe(0);
    const logged = await cli("log", "API-24", "2h", "--date", "2026-11-26", "--note", "Spike");
    const entry = /\((time\/[^)]+)\)/.exec(logged.stdout)?.[1] ?? "";
    expect(entry).toMatch(/^time\/2026-11\/2026-11-26-kenji-API-24-[a-z0-9]{4}\.yml$/);
    expect(
      (await cli("new", "task", "-p", "API", "--title", "Follow-up", "--depends-on", "API-24"))
        .code,
    ).toBe(0);
    const FOLLOW = "projects/api/tasks/API-25-follow-up.md";
    put(FOLLOW, `${read(FOLLOW)}\nStarts once API-24 is in; API-240 is another story.\n`);
    commitAll(dir, "feature work", "2026-11-27T11:00:00+01:00");
    git(dir, ["checkout", "-q", "main"]);
    expect((await cli("new", "task", "-p", "API", "--title", "Main work")).code).toBe(0);
    commitAll(dir, "main work", "2026-11-27T11:30:00+01:00");
    git(dir, ["checkout", "-q", "feature"]);

    const r = await cli("fix-ids", "--base", "main");
    expect(r).toEqual({
      code: 0,
      stdout:
        "API-24 → API-26 (main has API-24 in projects/api/tasks/API-24-main-work.md); updated 1 reference, 1 time entry, 1 mention in Markdown.\n",
      stderr: "",
    });
    const moved = entry.replace("-API-24-", "-API-26-");
    expect(changedFiles()).toEqual([
      `M\t${FOLLOW}`,
      "R\tprojects/api/tasks/API-24-feature-work.md\tprojects/api/tasks/API-26-feature-work.md",
      `R\t${entry}\t${moved}`,
    ]);
    expect(read(moved)).toContain("\ntask: API-26\n");
    expect(read(FOLLOW)).toContain("\ndepends_on: [API-26]\n");
    expect(read(FOLLOW)).toContain("\nStarts once API-26 is in; API-240 is another story.\n");
    commitAll(dir, "fix ids", "2026-11-27T12:00:00+01:00");

    git(dir, ["merge", "-q", "--no-edit", "main"]);
    await clean();
    expect(read("projects/api/tasks/API-24-main-work.md")).toContain("\nid: API-24\n");
    // once renumbered, nothing is left to fix
    expect((await cli("fix-ids")).stdout).toBe(
      "No task of this branch has an id that main uses for another task.\n",
    );
  });

  it("names a base branch that does not exist, and exits 2", async () => {
    const r = await cli("fix-ids", "--base", "mian");
    expect(r).toEqual({
      code: 2,
      stdout: "",
      stderr:
        'trackdown: Cannot read the base branch "mian": There is no branch, tag or commit "mian" in this repository; give another with --base.\n',
    });
  });
});

describe("a file changed while a command runs", () => {
  /** A write session as every command opens one, run as a user in the tracker. */
  const open = () => EditSession.open(capture().io, {});

  it("refuses to write over a file an editor changed after the command read it", async () => {
    const session = await open();
    session.edit(API10, [{ op: "set", path: ["status"], value: "doing" }]);
    const theirs = read(API10).replace("priority: medium", "priority: urgent");
    writeFileSync(join(dir, API10), theirs); // saved in an editor meanwhile
    await expect(session.finish(["Moved."], "Nothing.")).rejects.toThrow(
      new CliError(
        `${API10} changed on disk since it was read (by an editor or another command); nothing was written. Run the command again.`,
      ),
    );
    expect(read(API10)).toBe(theirs);
  });

  it("writes no file of a plan when one of them changed, renames included", async () => {
    const session = await open();
    const archived = API23.replace("/tasks/", "/archive/");
    session.edit(API10, [{ op: "set", path: ["priority"], value: "high" }]);
    session.move(API23, archived);
    session.create(
      "time/2026-11/2026-11-27-kenji-API-10-zzzz.yml",
      "person: kenji\ntask: API-10\ndate: 2026-11-27\nduration: 1h\n",
    );
    const theirs = `${read(API23)}\nA late note.\n`;
    writeFileSync(join(dir, API23), theirs);
    await expect(session.finish([], "")).rejects.toThrow(
      `${API23} changed on disk since it was read`,
    );
    expect(read(API23)).toBe(theirs);
    expect(status()).toBe(`M ${API23}`); // (git's output is trimmed)
  });

  it("refuses to create a file someone else created meanwhile", async () => {
    const session = await open();
    const path = "people/zoe.yml";
    session.create(path, "name: Zoë\n");
    put(path, "name: Zoe Keller\n");
    await expect(session.finish([], "")).rejects.toThrow(
      `${path} was created on disk since it was read (by an editor or another command); nothing was written. Run the command again.`,
    );
    expect(read(path)).toBe("name: Zoe Keller\n");
  });
});

describe("symbolic links", () => {
  it("does not write through a task file linked to outside the tracker", async () => {
    const outside = join(tempDir(), "API-10.md");
    const text = read(API10);
    writeFileSync(outside, text);
    rmSync(join(dir, API10));
    symlinkSync(outside, join(dir, API10));
    for (const args of [
      ["move", "API-10", "doing"],
      ["edit", "API-10", "--set", "priority=high"],
      ["archive", "API-10"],
      ["rename-id", "API-10", "API-30"],
    ]) {
      const r = await cli(...args);
      expect(r, args.join(" ")).toEqual({
        code: 1,
        stdout: "",
        stderr: `trackdown: ${API10}:1:1: This symbolic link leads outside the tracker; it was not read. API-10 could not be read, so nothing was written; fix the file (\`trackdown check\`) and run the command again.\n`,
      });
    }
    expect(readFileSync(outside, "utf8")).toBe(text);
    expect(lstatSync(join(dir, API10)).isSymbolicLink()).toBe(true);
  });

  it("does not write through a link inside the tracker either (it would become a copy)", async () => {
    const real = "files/api/API-10.md";
    put(real, read(API10));
    rmSync(join(dir, API10));
    symlinkSync("../../../files/api/API-10.md", join(dir, API10));
    const before = read(real);
    const r = await cli("move", "API-10", "doing");
    expect(r).toEqual({
      code: 2,
      stdout: "",
      stderr: `trackdown: ${API10} is a symbolic link (to ${real}); Trackdown does not write through links, as putting the new file in place would turn the link into a plain copy. Replace the link with the file to edit it.\n`,
    });
    expect(read(real)).toBe(before);
    expect(lstatSync(join(dir, API10)).isSymbolicLink()).toBe(true);
  });

  it("creates no file through a linked folder: time entries, timers", async () => {
    const outside = tempDir();
    renameSync(join(dir, "time"), join(outside, "time"));
    symlinkSync(join(outside, "time"), join(dir, "time"));
    const entries = readdirSync(join(outside, "time", "2026-11"));
    const log = await cli("log", "API-10", "1h", "--person", "kenji");
    expect(log.code).toBe(2);
    expect(log.stderr).toMatch(
      /^trackdown: time \(on the way to time\/2026-11\/2026-11-27-kenji-API-10-[a-z0-9]{4}\.yml\) is a symbolic link to .+, outside the tracker; Trackdown never follows links out of the tracker\.\n$/,
    );
    expect(readdirSync(join(outside, "time", "2026-11"))).toEqual(entries);

    mkdirSync(join(outside, "state"));
    symlinkSync(join(outside, "state"), join(dir, ".trackdown"));
    const start = await asUser((io) => runTimer(io, "start", "API-10", { person: "kenji" }));
    expect(start.code).toBe(2);
    expect(start.stderr).toMatch(
      /^trackdown: \.trackdown \(on the way to \.trackdown\/timers\.json\) is a symbolic link to .+, outside the tracker/,
    );
    expect(existsSync(join(outside, "state", "timers.json"))).toBe(false);
  });
});
