import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { formatDuration } from "../core/duration.js";
import type { Task, Tracker } from "../core/model.js";
import { query } from "../core/query/query.js";
import { loadTracker } from "../node/load.js";
import { runCli } from "../test-support/cli.js";
import { ACME, copyOfAcme, REPO_ROOT, tempDir } from "../test-support/temp.js";
import { displayWidth } from "./render/width.js";

const TODAY = "2026-11-27";
const ENV = { TRACKDOWN_TODAY: TODAY, COLUMNS: "100" };

/** `trackdown …args` run in the example tracker with a fixed today and width. */
function td(args: readonly string[], env: Record<string, string> = {}, cwd = ACME) {
  return runCli(args, { cwd, env: { ...ENV, ...env } });
}

/** The documented keys of a task in `--format json`, in order. */
const TASK_JSON_KEYS = [
  "id",
  "title",
  "status",
  "statusCategory",
  "project",
  "assignees",
  "priority",
  "estimate",
  "labels",
  "milestone",
  "parent",
  "dependsOn",
  "start",
  "due",
  "created",
  "updated",
  "archived",
  "open",
  "blocked",
  "blockers",
  "overdue",
  "ageDays",
  "loggedMinutes",
  "rolledEstimate",
  "progress",
  "checklist",
  "file",
];

interface ListJson {
  query: string;
  today: string;
  count: number;
  tasks: Record<string, unknown>[];
  groups?: { key: string; label: string; ids: string[] }[];
}

let tracker: Tracker;
beforeAll(async () => {
  tracker = await loadTracker(ACME, { cache: false });
});

const ids = (tasks: readonly Task[]) => tasks.map((t) => t.id);
const isOpen = (t: Task) =>
  tracker.settings.statuses.find((s) => s.id === t.status)?.category !== "done";

/** The table's data lines (after the header and the rule), without the trailing count line. */
function tableRows(stdout: string): string[] {
  const lines = stdout.trimEnd().split("\n");
  return lines.slice(2, -1);
}

/** The TITLE cell of a row: everything from the column where the TITLE header starts. */
function titleCell(stdout: string, id: string): string {
  const lines = stdout.split("\n");
  const at = lines[0]!.indexOf("TITLE");
  const row = lines.find((line) => line.startsWith(`${id} `));
  expect(row, id).toBeDefined();
  return row!.slice(at);
}

/** Whether a cell shows the title whole, or a prefix of it cut with `…`. */
function showsTitle(cell: string, title: string): "whole" | "cut" | "wrong" {
  if (cell === title) return "whole";
  if (cell.endsWith("…") && title.startsWith(cell.slice(0, -1).trimEnd())) return "cut";
  return "wrong";
}

/** A small RFC 4180 reader: quoted fields with doubled quotes, commas and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Replaces a task's `title:` line in a tracker copy. */
function retitle(dir: string, id: string, yamlTitle: string): void {
  const project = id.split("-")[0]!.toLowerCase();
  const folder = join(dir, "projects", project, "tasks");
  const name = readdirSync(folder).find((f) => f.startsWith(`${id}-`))!;
  const path = join(folder, name);
  const text = readFileSync(path, "utf8");
  expect(text).toMatch(/^title: .*$/m);
  writeFileSync(path, text.replace(/^title: .*$/m, `title: ${yamlTitle}`));
}

describe("trackdown list", () => {
  it("prints the matching tasks as a table with the default columns and a count", async () => {
    const result = await td(["list", "is:open"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const [header, rule] = result.stdout.split("\n");
    expect(header!.split(/\s{2,}/)).toEqual(["ID", "STATUS", "PRIO", "ASSIGNEES", "DUE", "TITLE"]);
    expect(rule).toMatch(/^-+( {2}-+){5}$/);
    const open = tracker.tasks.filter(isOpen);
    const rows = tableRows(result.stdout);
    expect(rows.map((r) => r.split(" ")[0])).toEqual(ids(open));
    expect(result.stdout.trimEnd().split("\n").at(-1)).toBe(`${open.length} tasks`);
    const api4 = rows.find((r) => r.startsWith("API-4 "))!;
    const task = tracker.task("API-4")!;
    expect(api4).toContain(task.status);
    expect(api4).toContain(task.priority!);
    expect(api4).toContain(task.assignees.join(","));
    expect(api4).toContain(task.due!);
  });

  it("marks how late an open task is in the DUE column", async () => {
    const result = await td(["list", "is:overdue"]);
    expect(result.code).toBe(0);
    const overdue = tracker.tasks.filter((t) => isOpen(t) && t.due !== undefined && t.due < TODAY);
    expect(overdue.length).toBeGreaterThan(0);
    for (const task of overdue) {
      const days = Math.round((Date.parse(TODAY) - Date.parse(task.due!)) / 86_400_000);
      const row = tableRows(result.stdout).find((r) => r.startsWith(`${task.id} `));
      expect(row, task.id).toContain(`${task.due} (${days}d late)`);
    }
  });

  for (const width of [60, 100, 200]) {
    it(`fits every line in ${width} columns, cutting titles with … only when needed`, async () => {
      const result = await td(["list", "is:open"], { COLUMNS: String(width) });
      expect(result.code).toBe(0);
      for (const line of result.stdout.trimEnd().split("\n"))
        expect(displayWidth(line), line).toBeLessThanOrEqual(width);
      const shown = tracker.tasks
        .filter(isOpen)
        .map((t) => showsTitle(titleCell(result.stdout, t.id), t.title));
      expect(shown).not.toContain("wrong");
      if (width === 200) expect(shown.every((s) => s === "whole")).toBe(true);
      else expect(shown).toContain("cut");
    });
  }

  it("cuts a very long title with … even at 200 columns", async () => {
    const dir = copyOfAcme();
    const long = `Very long title ${"with many words ".repeat(12)}end`;
    retitle(dir, "WEB-31", long);
    const result = await td(["list", "-t", dir, "id:WEB-31"], { COLUMNS: "200" });
    expect(result.stderr).toBe("");
    const cell = titleCell(result.stdout, "WEB-31");
    expect(showsTitle(cell, long)).toBe("cut");
    for (const line of result.stdout.split("\n"))
      expect(displayWidth(line)).toBeLessThanOrEqual(200);
  });

  it("shows the columns asked for with --columns", async () => {
    const result = await td(["list", "is:open", "--columns", "id,title,logged,progress,blocked"]);
    expect(result.stderr).toBe("");
    const lines = result.stdout.split("\n");
    expect(lines[0]!.split(/\s{2,}/)).toEqual(["ID", "TITLE", "LOGGED", "DONE", "BLOCKED BY"]);
    const blocked = tracker.tasks.find(
      (t) =>
        isOpen(t) &&
        t.dependsOn.some((d) => {
          const dep = tracker.task(d);
          return dep !== undefined && isOpen(dep);
        }),
    )!;
    const row = tableRows(result.stdout).find((r) => r.startsWith(`${blocked.id} `))!;
    const openDeps = blocked.dependsOn.filter((d) => isOpen(tracker.task(d)!));
    expect(row.trimEnd().endsWith(openDeps.join(","))).toBe(true);
    // API-4 has time logged
    const minutes = tracker.timeEntries
      .filter((e) => e.task === "API-4")
      .reduce((n, e) => n + e.minutes, 0);
    expect(minutes).toBeGreaterThan(0);
    const api4 = tableRows(result.stdout).find((r) => r.startsWith("API-4 "))!;
    expect(api4).toContain(formatDuration(minutes));
    expect(api4).toMatch(/\d+%/);
  });

  it("exits 2 on an unknown column and lists the columns there are", async () => {
    const result = await td(["list", "is:open", "--columns", "id,colour"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("Unknown column colour");
    for (const column of ["id", "status", "title", "logged", "progress", "blocked", "age"])
      expect(result.stderr).toContain(column);
  });

  describe("--format json", () => {
    it("prints the documented shape, with the ids query() finds", async () => {
      const text = "is:open sort:-priority,due";
      const result = await td(["list", text, "--format", "json"]);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      const json = JSON.parse(result.stdout) as ListJson;
      expect(Object.keys(json)).toEqual(["query", "today", "count", "total", "tasks"]);
      expect(json.query).toBe(text);
      expect(json.today).toBe(TODAY);
      const expected = query(tracker, text, { today: TODAY });
      expect(json.tasks.map((t) => t.id)).toEqual(ids(expected.tasks));
      expect(json.count).toBe(expected.tasks.length);
      expect((json as unknown as { total: number }).total).toBe(expected.tasks.length);
      for (const t of json.tasks) expect(Object.keys(t)).toEqual(TASK_JSON_KEYS);
    });

    it("gives each task's fields and facts as the tracker has them", async () => {
      const result = await td(["list", "--format", "json"]);
      const json = JSON.parse(result.stdout) as ListJson;
      expect(json.count).toBe(tracker.tasks.length);
      for (const t of json.tasks) {
        const task = tracker.task(t.id as string)!;
        const status = tracker.settings.statuses.find((s) => s.id === task.status)!;
        const logged = tracker.timeEntries
          .filter((e) => e.task === task.id)
          .reduce((n, e) => n + e.minutes, 0);
        expect(t).toMatchObject({
          title: task.title,
          status: task.status,
          statusCategory: status.category,
          project: tracker.project(task.project)!.key,
          assignees: task.assignees,
          priority: task.priority ?? null,
          estimate: task.estimate ?? null,
          labels: task.labels,
          milestone: task.milestone ?? null,
          parent: task.parent ?? null,
          dependsOn: task.dependsOn,
          due: task.due ?? null,
          archived: false,
          open: status.category !== "done",
          overdue: status.category !== "done" && task.due !== undefined && task.due < TODAY,
          loggedMinutes: logged,
          checklist: task.checklist,
          file: task.file,
        });
        expect(t.progress as number).toBeGreaterThanOrEqual(0);
        expect(t.progress as number).toBeLessThanOrEqual(1);
      }
    });

    it("adds groups with key, label and ids when the query groups", async () => {
      const text = "is:open group:assignee";
      const result = await td(["list", text, "-f", "json"]);
      const json = JSON.parse(result.stdout) as ListJson;
      const expected = query(tracker, text, { today: TODAY });
      expect(json.groups).toEqual(
        expected.groups!.map((g) => ({ key: g.key, label: g.label, ids: ids(g.tasks) })),
      );
      const lena = json.groups!.find((g) => g.key === "lena")!;
      expect(lena.label).toBe(tracker.person("lena")!.name);
      expect(lena.ids).toEqual(
        ids(tracker.tasks.filter((t) => isOpen(t) && t.assignees.includes("lena"))),
      );
      const none = json.groups!.find((g) => g.key === "")!;
      expect(none.label).toBe("(none)");
      expect(none.ids).toEqual(
        ids(tracker.tasks.filter((t) => isOpen(t) && t.assignees.length === 0)),
      );
    });
  });

  it("writes CSV with RFC 4180 quoting: a title with a comma or a quote is quoted", async () => {
    const dir = copyOfAcme();
    retitle(dir, "WEB-31", `'Say "hi", then leave'`);
    const result = await td(["list", "-t", dir, "project:web", "--format", "csv"]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain('"Component library: buttons, inputs, cards"');
    expect(result.stdout).toContain('"Say ""hi"", then leave"');
    const rows = parseCsv(result.stdout);
    expect(rows[0]).toEqual(["ID", "STATUS", "PRIO", "ASSIGNEES", "DUE", "TITLE"]);
    const expected = tracker.tasks.filter((t) => t.project === "web");
    expect(rows.slice(1).map((r) => r[0])).toEqual(ids(expected));
    for (const row of rows.slice(1)) {
      expect(row).toHaveLength(6);
      const task = tracker.task(row[0]!)!;
      expect(row[5]).toBe(task.id === "WEB-31" ? 'Say "hi", then leave' : task.title);
      expect(row[3]).toBe(task.assignees.join(","));
    }
  });

  it("keeps dates machine-readable in CSV: the DUE cell is the date alone", async () => {
    const result = await td(["list", "is:overdue", "--format", "csv"]);
    const rows = parseCsv(result.stdout).slice(1);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row[4]).toBe(tracker.task(row[0]!)!.due);
  });

  it("writes a Markdown table with | in cells escaped", async () => {
    const dir = copyOfAcme();
    retitle(dir, "WEB-31", `"Import | export of settings"`);
    const result = await td(["list", "-t", dir, "project:web", "--format", "md"]);
    expect(result.stderr).toBe("");
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("| ID | STATUS | PRIO | ASSIGNEES | DUE | TITLE |");
    expect(lines[1]).toBe("| --- | --- | --- | --- | --- | --- |");
    const row = lines.find((l) => l.startsWith("| WEB-31 |"))!;
    expect(row).toContain("Import \\| export of settings");
    // every row has six cells once escaped pipes are set aside
    for (const line of lines) expect(line.split(/(?<!\\)\|/)).toHaveLength(8);
    expect(lines).toHaveLength(2 + tracker.tasks.filter((t) => t.project === "web").length);
  });

  it("prints a header per person with group:assignee", async () => {
    const result = await td(["list", "is:open", "group:assignee"]);
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    const open = tracker.tasks.filter(isOpen);
    for (const person of tracker.people) {
      const theirs = open.filter((t) => t.assignees.includes(person.id));
      const header = `${person.name} (${theirs.length})`;
      if (theirs.length === 0) {
        expect(lines).not.toContain(header);
        continue;
      }
      const at = lines.indexOf(header);
      expect(at, header).toBeGreaterThanOrEqual(0);
      expect(lines[at + 1]!.startsWith("ID ")).toBe(true);
      const rows = lines.slice(at + 3, at + 3 + theirs.length).map((l) => l.split(" ")[0]);
      expect(rows).toEqual(ids(theirs));
    }
    const unassigned = open.filter((t) => t.assignees.length === 0);
    expect(lines).toContain(`(none) (${unassigned.length})`);
    expect(lines.at(-2)).toBe(`${open.length} tasks`);
  });

  it('prints "No tasks match" and exits 0 when nothing matches', async () => {
    const text = "label:a11y status:cancelled";
    expect(query(tracker, text, { today: TODAY }).tasks).toHaveLength(0);
    const result = await td(["list", text]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe(`No tasks match: ${text}\n`);
  });

  it("reports a bad query like a compiler: column, caret, expected and a did-you-mean", async () => {
    const text = "is:open stauts:doing";
    const result = await td(["list", text]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    const lines = result.stderr.split("\n");
    const column = text.indexOf("stauts") + 1;
    expect(lines[0]).toBe(`query:1:${column} error Unknown field "stauts:".`);
    expect(lines[1]).toBe(`  ${text}`);
    expect(lines[2]).toBe(`  ${" ".repeat(column - 1)}${"^".repeat("stauts".length)}`);
    expect(lines[3]).toMatch(/^ {2}expected: one of status: is: assignee: /);
    expect(lines[4]).toBe('  hint: Did you mean "status:"?');
  });

  it("puts the caret under a bad value and suggests the closest one", async () => {
    const text = "status:doign";
    const result = await td(["list", text]);
    expect(result.code).toBe(2);
    const lines = result.stderr.split("\n");
    expect(lines[0]).toBe('query:1:8 error Unknown status "doign".');
    expect(lines[2]!.indexOf("^") - 2).toBe(text.indexOf("doign"));
    expect(lines[2]!.trim()).toBe("^^^^^");
    const statuses = tracker.settings.statuses.map((s) => s.id).join(", ");
    expect(lines[3]).toBe(`  expected: one of ${statuses}`);
    expect(lines[4]).toBe('  hint: Did you mean "doing"?');
  });

  describe("assignee:@me", () => {
    it("is the person named by TRACKDOWN_ME", async () => {
      const mine = await td(["list", "assignee:@me", "-f", "json"], { TRACKDOWN_ME: "lena" });
      expect(mine.stderr).toBe("");
      const json = JSON.parse(mine.stdout) as ListJson;
      expect(json.tasks.map((t) => t.id)).toEqual(
        ids(tracker.tasks.filter((t) => t.assignees.includes("lena"))),
      );
    });

    it("is the person whose e-mail is git's user.email, or whose login is GITHUB_ACTOR", async () => {
      const lena = tracker.person("lena")!;
      const repo = tempDir();
      execFileSync("git", ["init", "-q"], { cwd: repo });
      execFileSync("git", ["config", "user.email", lena.email!], { cwd: repo });
      const byEmail = await td(["list", "-t", ACME, "assignee:@me", "-f", "json"], {}, repo);
      expect(byEmail.stderr).toBe("");
      const expected = ids(tracker.tasks.filter((t) => t.assignees.includes("lena")));
      expect((JSON.parse(byEmail.stdout) as ListJson).tasks.map((t) => t.id)).toEqual(expected);

      execFileSync("git", ["config", "user.email", "nobody@example.invalid"], { cwd: repo });
      const byActor = await td(
        ["list", "-t", ACME, "assignee:@me", "-f", "json"],
        { GITHUB_ACTOR: lena.github! },
        repo,
      );
      expect(byActor.stderr).toBe("");
      expect((JSON.parse(byActor.stdout) as ListJson).tasks.map((t) => t.id)).toEqual(expected);
    });

    it("says why it cannot tell who @me is, and exits 2", async () => {
      const repo = tempDir();
      execFileSync("git", ["init", "-q"], { cwd: repo });
      execFileSync("git", ["config", "user.email", "nobody@example.invalid"], { cwd: repo });
      const result = await td(["list", "-t", ACME, "assignee:@me"], {}, repo);
      expect(result.code).toBe(2);
      const lines = result.stderr.split("\n");
      expect(lines[0]).toBe("query:1:10 error Trackdown cannot tell who @me is.");
      expect(lines[2]).toBe(`  ${" ".repeat(9)}^^^`);
      expect(result.stderr).toContain("TRACKDOWN_ME is not set");
      expect(result.stderr).toContain(
        "git's user.email nobody@example.invalid is no one's email in people/",
      );
      expect(result.stderr).toContain("Set TRACKDOWN_ME to your person id.");
    });

    it("names a TRACKDOWN_ME that is nobody", async () => {
      const result = await td(["list", "assignee:@me"], { TRACKDOWN_ME: "lenna" });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`TRACKDOWN_ME is "lenna"`);
    });
  });

  describe("updated:", () => {
    const git = (cwd: string, date: string, ...args: string[]) =>
      execFileSync(
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
        {
          cwd,
          stdio: "pipe",
          env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
        },
      );

    it("matches the tasks whose files were committed recently, from git history", async () => {
      const dir = copyOfAcme();
      const recent = tracker.task("WEB-16")!;
      git(dir, "2026-10-01T12:00:00+0000", "init", "-q");
      git(dir, "2026-10-01T12:00:00+0000", "add", "-A");
      git(dir, "2026-10-01T12:00:00+0000", "rm", "-q", "--cached", "--", recent.file);
      git(dir, "2026-10-01T12:00:00+0000", "commit", "-q", "-m", "The plan");
      git(dir, "2026-11-25T12:00:00+0000", "add", "-A");
      git(dir, "2026-11-25T12:00:00+0000", "commit", "-q", "-m", "Review the signup form");

      const result = await td(["list", "updated:>7d", "-f", "json"], {}, dir);
      expect(result.stderr).toBe("");
      const json = JSON.parse(result.stdout) as ListJson;
      expect(json.tasks.map((t) => t.id)).toEqual([recent.id]);
      expect(json.tasks[0]!.updated).toBe("2026-11-25");

      const old = await td(["list", "updated:<7d", "--columns", "id,updated"], {}, dir);
      expect(old.stderr).toBe("");
      const rows = tableRows(old.stdout);
      expect(rows).toHaveLength(tracker.tasks.length - 1);
      for (const row of rows) expect(row).toMatch(/^[A-Z]+-\d+ +2026-10-01$/);
    });

    it("warns that updated: needs git history outside a repository, and matches nothing", async () => {
      const dir = copyOfAcme();
      const result = await td(["list", "updated:>7d"], {}, dir);
      expect(result.code).toBe(0);
      expect(result.stderr).toContain(
        "query:1:1 warning updated: needs git history, and none is available here, so no task matches it.",
      );
      expect(result.stderr).toContain(
        "hint: Run inside the git repository that holds the tracker.",
      );
      expect(result.stdout).toBe("No tasks match: updated:>7d\n");
    });
  });

  it("shows at most --limit tasks and says how many were left out", async () => {
    const total = tracker.tasks.filter(isOpen).length;
    const result = await td(["list", "is:open", "--limit", "3"]);
    expect(result.code).toBe(0);
    const rows = tableRows(result.stdout);
    expect(rows.map((r) => r.split(" ")[0])).toEqual(ids(tracker.tasks.filter(isOpen).slice(0, 3)));
    expect(result.stdout.trimEnd().split("\n").at(-1)).toBe(
      `${total} tasks (${total - 3} not shown: --limit 3)`,
    );
  });

  it("colours only on a terminal", async () => {
    const plain = await td(["list", "is:open"]);
    expect(plain.stdout).not.toContain("\u001b[");
    const tty = await runCli(["list", "is:open"], { cwd: ACME, env: ENV, tty: true });
    expect(tty.code).toBe(0);
    expect(tty.stdout).toContain("\u001b[");
    const noColor = await runCli(["list", "is:open"], {
      cwd: ACME,
      env: { ...ENV, NO_COLOR: "1" },
      tty: true,
    });
    expect(noColor.stdout).not.toContain("\u001b[");
  });

  it("answers to ls as well, and finds the tracker from a folder inside it or with -t", async () => {
    const list = await td(["list", "label:bug"]);
    const ls = await td(["ls", "label:bug"]);
    expect(ls).toEqual(list);
    const inside = await td(["ls", "label:bug"], {}, join(ACME, "projects", "web"));
    expect(inside.stdout).toBe(list.stdout);
    const fromRoot = await td(["ls", "-t", "examples/acme", "label:bug"], {}, REPO_ROOT);
    expect(fromRoot.stdout).toBe(list.stdout);
  });

  it("never passes escape sequences from tracker files on to the terminal", async () => {
    const dir = copyOfAcme();
    // an OSC sequence (sets the terminal's title), a bell and colour codes, written in YAML escapes
    retitle(dir, "WEB-31", '"\\e]0;pwned\\a\\e[31mEvil\\e[0m title"');
    const lena = join(dir, "people", "lena.yml");
    writeFileSync(
      lena,
      readFileSync(lena, "utf8").replace(/^name: .*$/m, 'name: "\\e[2J\\e]0;pwned\\aLena"'),
    );
    for (const args of [
      ["list", "-t", dir, "id:WEB-31"],
      ["list", "-t", dir, "id:WEB-11,WEB-31", "group:assignee"],
    ]) {
      const result = await td(args);
      expect(result.code).toBe(0);
      expect(result.stdout).not.toContain("pwned");
      expect(result.stdout).not.toContain("\u0007");
      expect(result.stdout).not.toContain("\u001b");
      if (args.length > 4) expect(result.stdout.split("\n")).toContain("Lena (1)");
      expect(result.stdout).toContain("Evil title");
    }
  });

  it("never crashes on regex-like words in a query", async () => {
    for (const text of ["a.*(b", "[", "(?", "\\"]) {
      const result = await td(["list", text]);
      expect(result.stderr, text).not.toContain("unexpected failure");
      expect(result.code, text).toBe(0);
    }
  });
});
