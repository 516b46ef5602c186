import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { formatDuration } from "../core/duration.js";
import type { Task, Tracker } from "../core/model.js";
import { loadTracker } from "../node/load.js";
import { runCli } from "../test-support/cli.js";
import { ACME, copyOfAcme, REPO_ROOT } from "../test-support/temp.js";
import { displayWidth } from "./render/width.js";

const TODAY = "2026-11-27";
const ENV = { TRACKDOWN_TODAY: TODAY, COLUMNS: "100" };

function td(args: readonly string[], env: Record<string, string> = {}, cwd = ACME) {
  return runCli(args, { cwd, env: { ...ENV, ...env } });
}

interface ShowJson {
  task: Record<string, unknown>;
  body: string;
  children: { id: string; title: string; status: string }[];
  dependsOn: { id: string; title: string; status: string }[];
  blocks: { id: string; title: string; status: string }[];
  attachments: { path: string; title?: string }[];
  time: {
    totalMinutes: number;
    byPerson: Record<string, number>;
    entries: {
      date: string;
      person: string;
      minutes: number;
      note: string | null;
      billable: boolean;
      file: string;
    }[];
  };
}

let tracker: Tracker;
beforeAll(async () => {
  tracker = await loadTracker(ACME, { cache: false });
});

const ids = (tasks: readonly Task[]) => tasks.map((t) => t.id);
const entriesOf = (id: string) => tracker.timeEntries.filter((e) => e.task === id);

/** The lines of a field: its own line and the continuation lines (blank label) under it. */
function field(stdout: string, name: string): string[] {
  const lines = stdout.split("\n");
  const at = lines.findIndex((l) => l.startsWith(`${name.padEnd(12)}`));
  if (at === -1) return [];
  const out = [lines[at]!.slice(12)];
  for (let i = at + 1; i < lines.length && lines[i]!.startsWith(" ".repeat(12)); i++)
    out.push(lines[i]!.slice(12));
  return out;
}

describe("trackdown show", () => {
  it("shows a task's title and fields", async () => {
    const task = tracker.task("WEB-11")!;
    const result = await td(["show", "WEB-11"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n")[0]).toBe(`WEB-11  ${task.title}`);
    expect(field(result.stdout, "Status")[0]).toBe("In progress · in-progress");
    expect(field(result.stdout, "Assignees")[0]).toBe(
      task.assignees.map((a) => `${tracker.person(a)!.name} (${a})`).join(", "),
    );
    expect(field(result.stdout, "Priority")[0]).toBe(task.priority);
    const milestone = tracker.milestone(task.milestone!)!;
    expect(field(result.stdout, "Milestone")[0]).toBe(
      `${milestone.id} · ${milestone.title} (due ${milestone.due})`,
    );
    expect(field(result.stdout, "Dates")[0]).toBe(
      `start ${task.start} · due ${task.due} (in 7 days) · created ${task.created} (38 days ago)`,
    );
    expect(field(result.stdout, "Labels")[0]).toBe(task.labels.join(", "));
    expect(field(result.stdout, "Project")[0]).toBe(tracker.project(task.project)!.name);
    expect(field(result.stdout, "Progress")[0]).toContain(
      `checklist ${task.checklist.done}/${task.checklist.total}`,
    );
    expect(field(result.stdout, "File")[0]).toBe(task.file);
  });

  it("rolls the estimate up from the sub-tasks and says so", async () => {
    const kids = tracker.tasks.filter((t) => t.parent === "WEB-11");
    const sum = kids.reduce((n, t) => n + (t.estimate ?? 0), 0);
    const result = await td(["show", "WEB-11"]);
    expect(field(result.stdout, "Estimate")[0]).toBe(`${sum} points (rolled up from sub-tasks)`);
  });

  it("lists the sub-tasks, marking the closed ones", async () => {
    const kids = tracker.tasks.filter((t) => t.parent === "WEB-11");
    expect(ids(kids)).toEqual(["WEB-12", "WEB-13", "WEB-14"]);
    const result = await td(["show", "WEB-11"]);
    const lines = field(result.stdout, "Sub-tasks");
    expect(lines).toHaveLength(kids.length);
    kids.forEach((kid, i) => {
      const done = kid.status === "done" ? " ✓" : "";
      expect(lines[i]).toBe(`${kid.id} ${kid.title} (${kid.status})${done}`);
    });
  });

  it("lists the attachment by its path relative to the working folder", async () => {
    const task = tracker.task("WEB-11")!;
    expect(task.attachments).toHaveLength(1);
    const inTracker = await td(["show", "WEB-11"]);
    expect(field(inTracker.stdout, "Attachments")).toEqual([task.attachments[0]!.path]);
    const fromRepo = await td(["show", "-t", "examples/acme", "WEB-11"], {}, REPO_ROOT);
    expect(field(fromRepo.stdout, "Attachments")).toEqual([
      `examples/acme/${task.attachments[0]!.path}`,
    ]);
    expect(field(fromRepo.stdout, "File")).toEqual([`examples/acme/${task.file}`]);
  });

  it("names an attachment by its title when it has one", async () => {
    const task = tracker.task("WEB-4")!;
    const attachment = task.attachments[0]!;
    expect(attachment.title).toBeDefined();
    const result = await td(["show", "WEB-4"]);
    expect(field(result.stdout, "Attachments")).toEqual([`${attachment.title} ${attachment.path}`]);
  });

  it("totals the time logged, by person, with the latest entries", async () => {
    const entries = entriesOf("WEB-11");
    const total = entries.reduce((n, e) => n + e.minutes, 0);
    expect(total).toBeGreaterThan(0);
    const byPerson = new Map<string, number>();
    for (const e of entries) byPerson.set(e.person, (byPerson.get(e.person) ?? 0) + e.minutes);
    const result = await td(["show", "WEB-11"]);
    const lines = field(result.stdout, "Time logged");
    expect(lines[0]).toBe(
      `${formatDuration(total)} in ${entries.length} entries · ${[...byPerson]
        .map(([p, m]) => `${p} ${formatDuration(m)}`)
        .join(", ")}`,
    );
    const last = [...entries].sort((a, b) => (a.date < b.date ? -1 : 1)).at(-1)!;
    expect(lines.at(-1)).toBe(
      `${last.date} ${last.person} ${formatDuration(last.minutes)} ${last.note}`,
    );
  });

  it("renders the description with checklist boxes", async () => {
    const task = tracker.task("WEB-11")!;
    const result = await td(["show", "WEB-11"]);
    const body = result.stdout.split("\n\n").slice(1).join("\n\n");
    expect(body).toContain("Parent task for the homepage.");
    expect(body).not.toContain("- [x]");
    expect(body).not.toContain("- [ ]");
    expect(body).toContain("☑ Hero");
    expect(body).toContain("☐ Pricing teaser");
    expect(body.split("☑").length - 1).toBe(task.checklist.done);
    expect(body.split("☐").length - 1).toBe(task.checklist.total - task.checklist.done);
    expect(body).toContain("• WEB-12 Hero section");
  });

  it("shows what a task depends on and what it blocks", async () => {
    const task = tracker.task("WEB-8")!;
    const blocks = tracker.tasks.filter((t) => t.dependsOn.includes("WEB-8"));
    expect(task.dependsOn.length).toBeGreaterThan(0);
    expect(blocks.length).toBeGreaterThan(1);
    const result = await td(["show", "WEB-8"]);
    expect(result.code).toBe(0);
    expect(field(result.stdout, "Depends on").map((l) => l.split(" ")[0])).toEqual(task.dependsOn);
    expect(field(result.stdout, "Blocks").map((l) => l.split(" ")[0])).toEqual(ids(blocks));
    // and the other way round
    const child = await td(["show", "WEB-12"]);
    expect(field(child.stdout, "Depends on")[0]).toMatch(/^WEB-8 /);
  });

  it("says which open dependencies block a task", async () => {
    const task = tracker.task("API-18")!;
    const open = task.dependsOn.filter((d) => {
      const status = tracker.task(d)!.status;
      return status !== "done" && status !== "cancelled";
    });
    expect(open.length).toBeGreaterThan(0);
    const result = await td(["show", "API-18"]);
    expect(field(result.stdout, "Blocked")).toEqual([`waiting on ${open.join(", ")}`]);
  });

  it("accepts a lower-case id", async () => {
    const upper = await td(["show", "WEB-11"]);
    const lower = await td(["show", "web-11"]);
    expect(lower).toEqual(upper);
  });

  it("exits 1 for an unknown id and suggests a close one", async () => {
    const result = await td(["show", "WEB-999"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(
      /^trackdown: there is no task "WEB-999"\. Did you mean [A-Z]+-\d+\?\n$/,
    );
    const typo = await td(["show", "WEB-111"]);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain("Did you mean WEB-11?");
  });

  it("prints the documented JSON shape", async () => {
    const task = tracker.task("WEB-11")!;
    const entries = entriesOf("WEB-11");
    const result = await td(["show", "WEB-11", "--format", "json"]);
    expect(result.stderr).toBe("");
    const json = JSON.parse(result.stdout) as ShowJson;
    expect(Object.keys(json)).toEqual([
      "task",
      "body",
      "children",
      "dependsOn",
      "blocks",
      "attachments",
      "time",
    ]);
    expect(json.task).toMatchObject({ id: "WEB-11", title: task.title, archived: false });
    expect(json.body).toBe(task.body);
    expect(json.children).toEqual(
      tracker.tasks
        .filter((t) => t.parent === "WEB-11")
        .map((t) => ({ id: t.id, title: t.title, status: t.status })),
    );
    expect(json.dependsOn).toEqual([]);
    expect(json.blocks).toEqual([]);
    expect(json.attachments).toEqual(task.attachments);
    expect(Object.keys(json.time)).toEqual(["totalMinutes", "byPerson", "entries"]);
    expect(json.time.totalMinutes).toBe(entries.reduce((n, e) => n + e.minutes, 0));
    const byPerson: Record<string, number> = {};
    for (const e of entries) byPerson[e.person] = (byPerson[e.person] ?? 0) + e.minutes;
    expect(json.time.byPerson).toEqual(byPerson);
    expect(json.time.entries).toHaveLength(entries.length);
    for (const e of json.time.entries) {
      expect(Object.keys(e)).toEqual(["date", "person", "minutes", "note", "billable", "file"]);
      expect(entries.some((x) => x.file === e.file && x.minutes === e.minutes)).toBe(true);
    }
    const relations = JSON.parse((await td(["show", "WEB-8", "-f", "json"])).stdout) as ShowJson;
    expect(relations.dependsOn.map((t) => t.id)).toEqual(tracker.task("WEB-8")!.dependsOn);
    expect(relations.blocks.map((t) => t.id)).toEqual(
      ids(tracker.tasks.filter((t) => t.dependsOn.includes("WEB-8"))),
    );
  });

  it("shows an archived task and says it is archived", async () => {
    const archived = tracker.archivedTasks.find((t) => t.id === "API-7")!;
    expect(archived).toBeDefined();
    const result = await td(["show", "API-7"]);
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n")[0]).toBe(`API-7  ${archived.title}`);
    expect(field(result.stdout, "Status")[0]).toMatch(/ · archived$/);
    expect(field(result.stdout, "File")[0]).toBe(archived.file);
    const json = JSON.parse((await td(["show", "API-7", "-f", "json"])).stdout) as ShowJson;
    expect(json.task.archived).toBe(true);
  });

  it("never passes escape sequences from a title on to the terminal", async () => {
    const dir = copyOfAcme();
    const task = tracker.task("WEB-31")!;
    const path = join(dir, task.file);
    const text = readFileSync(path, "utf8");
    // an OSC sequence (sets the terminal's title), a bell and colour codes, written in YAML escapes
    writeFileSync(
      path,
      text.replace(/^title: .*$/m, 'title: "\\e]0;pwned\\a\\e[31mEvil\\e[0m title"'),
    );
    const result = await td(["show", "-t", dir, "WEB-31"]);
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n")[0]).toBe("WEB-31  Evil title");
    expect(result.stdout).not.toContain("\u001b");
    expect(result.stdout).not.toContain("\u0007");
  });

  it("keeps every line within the width, the title line included", async () => {
    for (const width of [40, 60, 100]) {
      for (const id of ["WEB-11", "WEB-30", "API-9"]) {
        const result = await td(["show", id], { COLUMNS: String(width) });
        for (const line of result.stdout.split("\n"))
          expect(displayWidth(line), `${id} at ${width}: ${line}`).toBeLessThanOrEqual(width);
      }
    }
  });
});
