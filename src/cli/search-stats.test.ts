import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { indexTracker } from "../core/index/tracker-index.js";
import type { Task, Tracker } from "../core/model.js";
import { loadTracker } from "../node/load.js";
import { runCli } from "../test-support/cli.js";
import { ACME, copyOfAcme } from "../test-support/temp.js";
import { displayWidth } from "./render/width.js";

const TODAY = "2026-11-27";
const ENV = { TRACKDOWN_TODAY: TODAY, COLUMNS: "100" };

function td(args: readonly string[], env: Record<string, string> = {}) {
  return runCli(args, { cwd: ACME, env: { ...ENV, ...env } });
}

interface SearchJson {
  query: string;
  count: number;
  hits: {
    id: string;
    title: string;
    status: string;
    score: number;
    fields: string[];
    terms: string[];
  }[];
}

interface StatsJson {
  query: string;
  today: string;
  summary: { tasks: number; open: number; blocked: number; overdue: number; unassigned: number };
  byStatus: {
    status: string;
    name: string;
    category: string;
    tasks: number;
    wipLimit: number | null;
  }[];
  byPerson: {
    person: string;
    name: string;
    open: number;
    closed: number;
    openEstimate: number;
    overdue: number;
    loggedMinutes: number;
  }[];
  byMilestone: {
    milestone: string;
    title: string;
    due: string | null;
    tasks: number;
    done: number;
    total: number;
    progress: number;
    overdue: number;
    blocked: number;
  }[];
  byProject: { project: string; name: string; tasks: number; open: number }[];
}

let tracker: Tracker;
beforeAll(async () => {
  tracker = await loadTracker(ACME, { cache: false });
});

const isOpen = (t: Task) =>
  tracker.settings.statuses.find((s) => s.id === t.status)?.category !== "done";
const allTasks = () => [...tracker.tasks, ...tracker.archivedTasks];

/** Rows of a table as cells, split on runs of two or more spaces. */
function rows(table: string): string[][] {
  return table
    .trimEnd()
    .split("\n")
    .slice(2)
    .map((l) => l.split(/ {2,}/));
}

/** A section of the stats output: the lines after its heading up to the next blank line. */
function section(stdout: string, heading: string): string {
  const lines = stdout.split("\n");
  const at = lines.indexOf(heading);
  expect(at, heading).toBeGreaterThanOrEqual(0);
  const end = lines.indexOf("", at);
  return lines.slice(at + 1, end === -1 ? undefined : end).join("\n");
}

describe("trackdown search", () => {
  it("ranks a task whose id is the search text first", async () => {
    for (const text of ["WEB-11", "web-11"]) {
      const result = await td(["search", text]);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      const [first] = rows(result.stdout);
      expect(first![0]).toBe("WEB-11");
      expect(first![3]!.split(",")).toContain("id");
    }
    const json = JSON.parse((await td(["search", "API-7", "-f", "json"])).stdout) as SearchJson;
    // archived tasks are found too
    expect(json.hits[0]!.id).toBe("API-7");
  });

  it("finds words in descriptions and says it matched in the body", async () => {
    const inBody = allTasks().filter(
      (t) =>
        t.body.toLowerCase().includes("storybook") &&
        !t.title.toLowerCase().includes("storybook") &&
        !t.labels.includes("storybook"),
    );
    expect(inBody.length).toBeGreaterThan(0);
    const result = await td(["search", "storybook"]);
    expect(result.code).toBe(0);
    const [header] = result.stdout.split("\n");
    expect(header!.split(/ {2,}/)).toEqual(["ID", "STATUS", "TITLE", "MATCHED IN", "CONTEXT"]);
    const table = rows(result.stdout).slice(0, -1); // without the count line
    for (const task of inBody) {
      const row = table.find((r) => r[0] === task.id);
      expect(row, task.id).toBeDefined();
      expect(row![3]).toBe("body");
      // the context shows the word that matched, not just the text before it
      expect(row![4]!.toLowerCase()).toContain("storybook");
    }
    expect(result.stdout.trimEnd().split("\n").at(-1)).toBe(`${table.length} results`);
    for (const line of result.stdout.split("\n"))
      expect(displayWidth(line)).toBeLessThanOrEqual(100);
  });

  it("needs every word by default, and any of them with --any", async () => {
    const all = await td(["search", "storybook", "lighthouse"]);
    expect(all.code).toBe(0);
    expect(all.stdout).toBe(
      'Nothing matches "storybook lighthouse". Try --any to match any of the words.\n',
    );
    const any = await td(["search", "--any", "storybook", "lighthouse", "-f", "json"]);
    const json = JSON.parse(any.stdout) as SearchJson;
    const found = json.hits.map((h) => h.id);
    const storybook = allTasks().filter((t) => t.body.toLowerCase().includes("storybook"));
    const lighthouse = allTasks().filter((t) => t.title.toLowerCase().includes("lighthouse"));
    for (const task of [...storybook, ...lighthouse]) expect(found).toContain(task.id);
  });

  it("prints hits as JSON with their fields, terms and score, best first", async () => {
    const result = await td(["search", "webhook", "--format", "json"]);
    expect(result.stderr).toBe("");
    const json = JSON.parse(result.stdout) as SearchJson;
    expect(Object.keys(json)).toEqual(["query", "count", "hits"]);
    expect(json.query).toBe("webhook");
    expect(json.count).toBe(json.hits.length);
    expect(json.count).toBeGreaterThan(0);
    for (const hit of json.hits) {
      expect(Object.keys(hit)).toEqual(["id", "title", "status", "score", "fields", "terms"]);
      const task = allTasks().find((t) => t.id === hit.id)!;
      expect(hit.title).toBe(task.title);
      expect(hit.status).toBe(task.status);
      expect(hit.fields.length).toBeGreaterThan(0);
      for (const f of hit.fields) expect(["id", "title", "labels", "body"]).toContain(f);
      expect(hit.terms.length).toBeGreaterThan(0);
    }
    const scores = json.hits.map((h) => h.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const titled = allTasks().filter((t) => t.title.toLowerCase().includes("webhook"));
    for (const task of titled) {
      const hit = json.hits.find((h) => h.id === task.id);
      expect(hit, task.id).toBeDefined();
      expect(hit!.fields).toContain("title");
    }
  });

  it("stops at --limit results", async () => {
    const json = JSON.parse((await td(["search", "api", "-n", "2", "-f", "json"])).stdout);
    expect((json as SearchJson).hits).toHaveLength(2);
  });

  it("says when nothing matches, and exits 0", async () => {
    const result = await td(["search", "zzyzx"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain('Nothing matches "zzyzx".');
    const json = JSON.parse((await td(["search", "zzyzx", "-f", "json"])).stdout) as SearchJson;
    expect(json.count).toBe(0);
    expect(json.hits).toEqual([]);
  });

  it("never crashes on text that looks like a regular expression", async () => {
    for (const text of ["a.*(b", "[", "(", "*", "\\", "+?", "^$"]) {
      for (const format of ["table", "json"]) {
        const result = await td(["search", text, "-f", format]);
        expect(result.stderr, text).toBe("");
        expect(result.code, text).toBe(0);
      }
    }
  });

  it("asks for words when given none", async () => {
    const result = await td(["search", "  "]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Search for what?");
  });
});

describe("trackdown stats", () => {
  it("counts tasks by status as the tracker holds them, with the WIP limits", async () => {
    const result = await td(["stats"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const table = rows(section(result.stdout, "By status"));
    expect(table).toEqual(
      tracker.settings.statuses.map((st) => {
        const n = tracker.tasks.filter((t) => t.status === st.id).length;
        const row = [st.name, st.category, String(n)];
        if (st.wipLimit !== undefined) row.push(`${n}/${st.wipLimit}`);
        return row;
      }),
    );
  });

  it("sums up open, blocked, overdue and unassigned work on its first line", async () => {
    const result = await td(["stats"]);
    const open = tracker.tasks.filter(isOpen);
    const unassigned = open.filter((t) => t.assignees.length === 0).length;
    const overdue = open.filter((t) => t.due !== undefined && t.due < TODAY).length;
    expect(result.stdout.split("\n")[0]).toMatch(
      new RegExp(
        `^${tracker.settings.name}: ${tracker.tasks.length} tasks, ${open.length} open, \\d+ blocked, ${overdue} overdue, ${unassigned} open and unassigned$`,
      ),
    );
  });

  it("counts each person's open and closed tasks", async () => {
    const json = JSON.parse((await td(["stats", "-f", "json"])).stdout) as StatsJson;
    for (const person of tracker.people) {
      const theirs = tracker.tasks.filter((t) => t.assignees.includes(person.id));
      const row = json.byPerson.find((p) => p.person === person.id);
      const logged = tracker.timeEntries
        .filter((e) => e.person === person.id)
        .reduce((n, e) => n + e.minutes, 0);
      if (theirs.length === 0 && logged === 0) {
        expect(row, person.id).toBeUndefined();
        continue;
      }
      expect(row, person.id).toMatchObject({
        name: person.name,
        open: theirs.filter(isOpen).length,
        closed: theirs.filter((t) => !isOpen(t)).length,
        openEstimate: theirs.filter(isOpen).reduce((n, t) => n + (t.estimate ?? 0), 0),
        loggedMinutes: logged,
      });
    }
    const result = await td(["stats"]);
    const people = rows(section(result.stdout, "By person"));
    for (const p of json.byPerson) {
      const row = people.find((r) => r[0] === p.name)!;
      expect(row.slice(1, 3), p.name).toEqual([String(p.open), String(p.closed)]);
    }
  });

  it("shows each milestone's progress", async () => {
    const index = indexTracker(tracker, { today: TODAY });
    const json = JSON.parse((await td(["stats", "-f", "json"])).stdout) as StatsJson;
    expect(json.byMilestone.map((m) => m.milestone)).toEqual(tracker.milestones.map((m) => m.id));
    const result = await td(["stats"]);
    const table = section(result.stdout, "By milestone").split("\n");
    for (const milestone of tracker.milestones) {
      const inIt = tracker.tasks.filter((t) => t.milestone === milestone.id);
      const done = inIt.filter((t) => !isOpen(t)).length;
      const progress = index.milestoneFacts(milestone).progress;
      const row = json.byMilestone.find((m) => m.milestone === milestone.id)!;
      expect(row).toMatchObject({
        title: milestone.title,
        due: milestone.due ?? null,
        tasks: inIt.length,
        done,
        total: inIt.length,
        progress: Math.round(progress * 1000) / 1000,
      });
      const line = table.find((l) => l.startsWith(`${milestone.id} `))!;
      expect(line).toMatch(
        new RegExp(` ${done}/${inIt.length} +${Math.round(progress * 100)}%( |$)`),
      );
    }
    // a milestone that is all done shows 100%
    const finished = json.byMilestone.find((m) => m.total > 0 && m.done === m.total);
    expect(finished?.progress).toBe(1);
  });

  it("restricts the counts to the tasks matching a query", async () => {
    const open = tracker.tasks.filter(isOpen);
    const json = JSON.parse((await td(["stats", "is:open", "-f", "json"])).stdout) as StatsJson;
    expect(json.query).toBe("is:open");
    expect(json.summary.tasks).toBe(open.length);
    expect(json.summary.open).toBe(open.length);
    for (const row of json.byStatus)
      expect(row.tasks, row.status).toBe(open.filter((t) => t.status === row.status).length);
    for (const row of json.byPerson) expect(row.closed, row.person).toBe(0);
    for (const row of json.byProject)
      expect(row.tasks, row.project).toBe(
        open.filter((t) => tracker.project(t.project)!.key === row.project).length,
      );
    const text = await td(["stats", "is:open"]);
    expect(text.stdout.split("\n")[0]).toContain(`· is:open: ${open.length} tasks`);
  });

  it("counts only the time logged on the matching tasks, and only people involved", async () => {
    const web = tracker.tasks.filter((t) => t.project === "web");
    const ids = new Set(web.map((t) => t.id));
    const json = JSON.parse((await td(["stats", "project:web", "-f", "json"])).stdout) as StatsJson;
    const expected = tracker.people
      .map((p) => ({
        person: p.id,
        tasks: web.filter((t) => t.assignees.includes(p.id)).length,
        loggedMinutes: tracker.timeEntries
          .filter((e) => e.person === p.id && ids.has(e.task))
          .reduce((n, e) => n + e.minutes, 0),
      }))
      .filter((p) => p.tasks + p.loggedMinutes > 0);
    expect(
      json.byPerson.map((p) => ({
        person: p.person,
        tasks: p.open + p.closed,
        loggedMinutes: p.loggedMinutes,
      })),
    ).toEqual(expected);
  });

  it("prints the documented JSON shape", async () => {
    const result = await td(["stats", "--format", "json"]);
    expect(result.stderr).toBe("");
    const json = JSON.parse(result.stdout) as StatsJson;
    expect(Object.keys(json)).toEqual([
      "query",
      "today",
      "summary",
      "byStatus",
      "byPerson",
      "byMilestone",
      "byProject",
    ]);
    expect(json.today).toBe(TODAY);
    expect(Object.keys(json.summary)).toEqual([
      "tasks",
      "open",
      "blocked",
      "overdue",
      "unassigned",
    ]);
    expect(json.byStatus.map((s) => s.status)).toEqual(tracker.settings.statuses.map((s) => s.id));
    expect(json.byStatus.find((s) => s.status === "doing")!.wipLimit).toBe(6);
    expect(json.byStatus.find((s) => s.status === "backlog")!.wipLimit).toBeNull();
    expect(json.byProject).toEqual(
      tracker.projects.map((p) => {
        const theirs = tracker.tasks.filter((t) => t.project === p.folder);
        return {
          project: p.key,
          name: p.name,
          tasks: theirs.length,
          open: theirs.filter(isOpen).length,
        };
      }),
    );
  });

  it("never passes escape sequences from tracker files on to the terminal", async () => {
    const dir = copyOfAcme();
    const edit = (file: string, field: string, value: string) => {
      const path = join(dir, file);
      const text = readFileSync(path, "utf8");
      writeFileSync(path, text.replace(new RegExp(`^${field}: .*$`, "m"), `${field}: ${value}`));
    };
    edit("trackdown.yml", "name", '"\\e[2J\\e]0;pwned\\aAcme"');
    edit("people/lena.yml", "name", '"\\e[2JLena"');
    edit("projects/web/milestones/launch.md", "title", '"\\e[2JLaunch"');
    edit(tracker.task("WEB-8")!.file, "title", '"\\e]0;pwned\\aComponent library"');
    for (const args of [["stats"], ["stats", "is:open"], ["search", "storybook"]]) {
      const result = await runCli([...args, "-t", dir], { cwd: ACME, env: ENV });
      expect(result.code).toBe(0);
      expect(result.stdout, args.join(" ")).not.toContain("\u001b");
      expect(result.stdout, args.join(" ")).not.toContain("pwned");
    }
  });

  it("exits 2 on a bad query and points at it", async () => {
    const result = await td(["stats", "is:opne"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    const lines = result.stderr.split("\n");
    expect(lines[0]).toMatch(/^query:1:4 error /);
    expect(lines[1]).toBe("  is:opne");
    expect(lines[2]).toBe("     ^^^^");
    expect(result.stderr).toContain('Did you mean "open"?');
  });

  it("fits its tables within the width", async () => {
    for (const width of [60, 100]) {
      const result = await td(["stats"], { COLUMNS: String(width) });
      // the first line is a sentence, left to the terminal to wrap
      for (const line of result.stdout.split("\n").slice(1))
        expect(displayWidth(line), line).toBeLessThanOrEqual(width);
    }
  });
});
