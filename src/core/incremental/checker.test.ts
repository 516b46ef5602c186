import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ACME } from "../../test-support/temp.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { openTracker } from "../open-tracker.js";
import { classifyPath } from "../parse/layout.js";
import { memorySource, type Source } from "../source.js";
import { type CheckDelta, type FileChange, openIncrementalCheck } from "./checker.js";

/** examples/acme as path → text (its cache left out). */
function acmeFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string, rel: string) => {
    for (const item of readdirSync(dir, { withFileTypes: true })) {
      if (item.name.startsWith(".")) continue;
      if (item.isDirectory()) walk(join(dir, item.name), `${rel}${item.name}/`);
      else files.set(`${rel}${item.name}`, readFileSync(join(dir, item.name), "utf8"));
    }
  };
  walk(ACME, "");
  return files;
}

const ACME_FILES = acmeFiles();
const ORIGINAL_PATHS = [...ACME_FILES.keys()].sort();

/** A tracker being edited: the files, and the changes made since the last batch. */
class Edits {
  readonly files = new Map(ACME_FILES);
  readonly #changed = new Set<string>();

  write(path: string, text: string): void {
    this.files.set(path, text);
    this.#changed.add(path);
  }

  remove(path: string): void {
    if (this.files.delete(path)) this.#changed.add(path);
  }

  /** The batch for the checker, as a watcher would report it. */
  take(): FileChange[] {
    const batch = [...this.#changed].map((path) => {
      const text = this.files.get(path);
      return text === undefined
        ? { path }
        : { path, type: "file" as const, bytes: new TextEncoder().encode(text) };
    });
    this.#changed.clear();
    return batch;
  }

  source(): Source {
    return memorySource(Object.fromEntries(this.files));
  }

  paths(kind?: string): string[] {
    return [...this.files.keys()]
      .filter((p) => {
        const role = classifyPath(p);
        return kind === undefined || (role.role === "record" && role.kind === kind);
      })
      .sort();
  }

  /** A front-matter or YAML field set to a value (added when missing). */
  setField(path: string, field: string, value: string): void {
    const text = this.files.get(path);
    if (text === undefined) return;
    const line = new RegExp(`^${field}:.*$`, "m");
    if (line.test(text)) {
      this.write(path, text.replace(line, `${field}: ${value}`));
    } else if (text.startsWith("---")) {
      const end = text.indexOf("\n---", 3);
      this.write(
        path,
        end < 0 ? text : `${text.slice(0, end)}\n${field}: ${value}${text.slice(end)}`,
      );
    } else {
      this.write(path, `${text.trimEnd()}\n${field}: ${value}\n`);
    }
  }

  idOf(path: string): string {
    return /^id: (.*)$/m.exec(this.files.get(path) ?? "")?.[1] ?? "WEB-1";
  }
}

const pick = <T>(list: readonly T[], n: number): T | undefined =>
  list.length === 0 ? undefined : list[n % list.length];

const STATUSES = ["backlog", "todo", "doing", "review", "done", "cancelled", "doign"];
const PEOPLE = ["ana", "lena", "nobody", "priya", "kenji"];

/** One edit a person (or a merge, or a script) could make, chosen by three numbers. */
const EDITS: Record<string, (e: Edits, i: number, j: number, k: number) => void> = {
  "task id": (e, i, j, k) => {
    const tasks = e.paths("task");
    const task = pick(tasks, i);
    if (task === undefined) return;
    const ids = [e.idOf(pick(tasks, j)!), `WEB-${900 + (k % 5)}`, "not an id", "API-3"];
    e.setField(task, "id", pick(ids, k)!);
  },
  "broken YAML": (e, i, j) => {
    const path = pick(
      e.paths().filter((p) => classifyPath(p).role === "record"),
      i,
    );
    const text = path === undefined ? undefined : e.files.get(path);
    if (path === undefined || text === undefined) return;
    const at = text.startsWith("---") ? text.indexOf("\n") + 1 : 0;
    const junk = pick(
      ["broken: [unclosed\n", "\tindented: 1\n", "title: once\ntitle: twice\n", "- a list\n"],
      j,
    )!;
    e.write(path, j % 5 === 4 ? "" : `${text.slice(0, at)}${junk}${text.slice(at)}`);
  },
  delete: (e, i) => {
    const path = pick(e.paths(), i);
    if (path !== undefined) e.remove(path);
  },
  restore: (e, i) => {
    const path = pick(ORIGINAL_PATHS, i)!;
    e.write(path, ACME_FILES.get(path)!);
  },
  "duplicate task": (e, i, j, k) => {
    const copies = e.paths("task").filter((p) => p.includes("-copy-"));
    if (copies.length > 0 && j % 2 === 0) {
      e.remove(pick(copies, i)!);
      return;
    }
    const task = pick(e.paths("task"), i);
    if (task !== undefined)
      e.write(task.replace(/[^/]+$/, `${e.idOf(task)}-copy-${k % 3}.md`), e.files.get(task)!);
  },
  "dependency cycle": (e, i, j, k) => {
    const tasks = e.paths("task");
    const a = pick(tasks, i);
    const b = pick(tasks, j);
    const c = pick(tasks, k);
    if (a === undefined || b === undefined || c === undefined) return;
    e.setField(a, "depends_on", `[${e.idOf(b)}] # cycle`);
    e.setField(b, "depends_on", `[${e.idOf(k % 2 === 0 ? a : c)}, ${e.idOf(a)}] # cycle`);
    if (k % 2 === 1) e.setField(c, "depends_on", `[${e.idOf(a)}] # cycle`);
  },
  "lines moved": (e, i) => {
    // a task that may be in a cycle, its fields pushed down a line
    const tasks = e.paths("task").filter((p) => e.files.get(p)!.includes("# cycle"));
    const task = pick(tasks, i);
    if (task !== undefined) e.write(task, e.files.get(task)!.replace("---\n", "---\n# moved\n"));
  },
  "parent cycle": (e, i, j) => {
    const tasks = e.paths("task");
    const a = pick(tasks, i);
    const b = pick(tasks, j);
    if (a === undefined || b === undefined) return;
    e.setField(a, "parent", `${e.idOf(b)} # cycle`);
    e.setField(b, "parent", `${e.idOf(a)} # cycle`);
  },
  "WIP overflow": (e, i, _j, k) => {
    const tasks = e.paths("task");
    for (let n = 0; n < 6 && tasks.length > 0; n++) {
      const task = pick(tasks, i + n)!;
      e.setField(task, "status", k % 2 === 0 ? "doing" : "review");
      e.setField(task, "assignees", "[ana]");
    }
  },
  status: (e, i, j) => {
    const task = pick(e.paths("task"), i);
    if (task !== undefined) e.setField(task, "status", pick(STATUSES, j)!);
  },
  assignees: (e, i, j, k) => {
    const task = pick(e.paths("task"), i);
    if (task !== undefined)
      e.setField(task, "assignees", `[${pick(PEOPLE, j)}, ${pick(PEOPLE, k)}]`);
  },
  "person leaves": (e, i, j) => {
    const person = pick(e.paths("person"), i);
    if (person !== undefined) e.setField(person, "active", j % 2 === 0 ? "false" : "true");
  },
  settings: (e, _i, j, k) => {
    const original = ACME_FILES.get("trackdown.yml")!;
    const text = e.files.get("trackdown.yml") ?? original;
    const variants = [
      () => e.write("trackdown.yml", text.replace(/wip_limit: \d+/, `wip_limit: ${k % 4}`)),
      () => e.write("trackdown.yml", text.replace("- id: review", "- id: reviewing")),
      () => e.write("trackdown.yml", text.replace("initial: backlog", "initial: todo")),
      () => e.write("trackdown.yml", text.replace("hours_per_day: 8", "hours_per_day: 1")),
      () => e.remove("trackdown.yml"),
      () => e.write("trackdown.yml", original),
      () =>
        e.write(
          "trackdown.yml",
          text.replace(/^roles:/m, "roles:\n  extra: { permissions: [task:move:nowhere] }"),
        ),
    ];
    pick(variants, j)!();
  },
  "rename file": (e, i, _j, k) => {
    const path = pick(e.paths(), i);
    const text = path === undefined ? undefined : e.files.get(path);
    if (path === undefined || text === undefined) return;
    const name = path.slice(path.lastIndexOf("/") + 1);
    const targets = [
      path.replace(/^projects\/[^/]+\//, "projects/api/"),
      path.replace("/tasks/", "/archive/"),
      path.replace(/^people\/(\w+)/, "people/$1-x"),
      path.replace(/^time\/[^/]+\//, "time/2026-12/"),
      `projects/newfolder/tasks/${name}`,
      path.replace(/\.md$/, ".txt"),
    ];
    const target = pick(targets, k)!;
    if (target === path) return;
    e.remove(path);
    e.write(target, text);
  },
  project: (e, i, j) => {
    const project = pick(e.paths("project"), i);
    if (project === undefined) return;
    if (j % 4 === 3) e.remove(project);
    else e.setField(project, "key", pick(["WEB", "API", "ZZZ"], j)!);
  },
  milestone: (e, i, j) => {
    const task = pick(e.paths("task"), i);
    const milestones = e.paths("milestone").map((p) => p.slice(p.lastIndexOf("/") + 1, -3));
    const milestone = j % 2 === 0 ? "nowhere" : pick(milestones, j);
    if (task !== undefined && milestone !== undefined) e.setField(task, "milestone", milestone);
  },
  attachment: (e, i, j) => {
    const files = e.paths().filter((p) => p.startsWith("files/"));
    if (j % 2 === 0) {
      const file = pick(files, i);
      if (file !== undefined) e.remove(file);
    } else e.write(`files/WEB-${i % 30}/new.txt`, "text");
  },
  "time entry": (e, i, j) => {
    const entry = pick(e.paths("time"), i);
    if (entry === undefined) return;
    if (j % 3 === 0) e.setField(entry, "task", pick(["WEB-999", "API-4", "WEB-12"], j)!);
    else if (j % 3 === 1) e.setField(entry, "duration", "30h");
    else e.setField(entry, "person", pick(PEOPLE, j)!);
  },
  "milestone copy": (e, i, j) => {
    const copies = e.paths("milestone").filter((p) => !ACME_FILES.has(p));
    if (copies.length > 0 && j % 2 === 0) {
      e.remove(pick(copies, i)!);
      return;
    }
    const milestone = pick(e.paths("milestone"), i);
    const folder = pick(["api", "ops"], j)!;
    if (milestone !== undefined)
      e.write(
        milestone.replace(/^projects\/[^/]+\//, `projects/${folder}/`),
        e.files.get(milestone)!,
      );
  },
  "person file twice": (e, i, j) => {
    // people/x.yml and people/x.yaml: one person id, two files (the later one counts)
    const copies = e.paths("person").filter((p) => p.endsWith(".yaml"));
    if (copies.length > 0 && j % 5 === 4) {
      // the .yml (which counts while it is there) goes, or comes back
      const yml = pick(copies, i)!.replace(/\.yaml$/, ".yml");
      if (e.files.has(yml)) e.remove(yml);
      else e.write(yml, ACME_FILES.get(yml) ?? "name: Back\n");
      return;
    }
    if (copies.length > 0 && j % 2 === 0) {
      e.remove(pick(copies, i)!);
      return;
    }
    const files = e.paths("person").filter((p) => p.endsWith(".yml"));
    // a person whose roles are wrong, if any: which of the two files counts matters then
    const wrong = files.filter((p) => e.files.get(p)!.includes("nonexistent"));
    const person = pick(wrong.length > 0 && j % 3 !== 0 ? wrong : files, i);
    if (person === undefined) return;
    if (j % 4 === 3) {
      e.setField(person, "roles", "[nonexistent]");
      return;
    }
    const roles = j % 4 === 1 ? "roles: [nonexistent]\n" : "active: false\n";
    e.write(person.replace(/\.yml$/, ".yaml"), `${e.files.get(person)!}${roles}`);
  },
  "project team": (e, i, j) => {
    const project = pick(e.paths("project"), i);
    if (project !== undefined) e.setField(project, "team", pick(["web", "platform", "nobody"], j)!);
  },
  "task fields": (e, i, j) => {
    const task = pick(e.paths("task"), i);
    if (task === undefined) return;
    const fields: [string, string][] = [
      ["priority", "hihg"],
      ["labels", "[bug, nonsense]"],
      ["due", "2020-01-01"],
      ["start", "2030-01-01"],
      ["attachments", "[../outside.txt]"],
      ["attachments", "[files/API-4/rate-limit-spec.md]"],
      ["colour", "blue"],
    ];
    const [field, value] = pick(fields, j)!;
    e.setField(task, field, value);
  },
  team: (e, i, j) => {
    if (j % 3 === 2) {
      // a team that sorts first: the list of known teams changes order
      if (e.files.has("teams/aaa.yml")) e.remove("teams/aaa.yml");
      else e.write("teams/aaa.yml", "name: A\nmembers: [ana]\n");
      return;
    }
    const team = pick(e.paths("team"), i);
    const value = pick(["ana", "[ana, nobody]", "tom"], i + j)!;
    if (team !== undefined) e.setField(team, pick(["lead", "members"], j)!, value);
  },
};

const edit = fc.record({
  kind: fc.constantFrom(...Object.keys(EDITS)),
  i: fc.nat(400),
  j: fc.nat(400),
  k: fc.nat(400),
});
const batches = fc.array(fc.array(edit, { minLength: 1, maxLength: 3 }), {
  minLength: 1,
  maxLength: 8,
});

const key = (d: Diagnostic) => JSON.stringify(d);

/** previous − removed + added must be exactly the new diagnostics. */
function expectDeltaLeadsTo(
  previous: readonly Diagnostic[],
  delta: CheckDelta,
  now: readonly Diagnostic[],
): void {
  const counts = new Map<string, number>();
  const bump = (d: Diagnostic, by: number) => counts.set(key(d), (counts.get(key(d)) ?? 0) + by);
  for (const d of previous) bump(d, 1);
  for (const d of delta.removed) bump(d, -1);
  for (const d of delta.added) bump(d, 1);
  for (const d of now) bump(d, -1);
  expect([...counts].filter(([, n]) => n !== 0)).toEqual([]);
}

describe("openIncrementalCheck", () => {
  it("starts with exactly the diagnostics of openTracker", async () => {
    const edits = new Edits();
    edits.setField(
      "projects/web/tasks/WEB-12-homepage-hero-with-a-b-copy.md",
      "assignees",
      "[lenna]",
    );
    edits.take();
    const check = await openIncrementalCheck(edits.source());
    const fresh = await openTracker(edits.source());
    expect(fresh.diagnostics.map((d) => d.code)).toEqual(["TD201"]);
    expect(check.diagnostics).toEqual(fresh.diagnostics);
    expect(check.counts).toEqual({ error: 1, warning: 0, info: 0 });
    expect(check.taskCount).toBe(fresh.tasks.length);
  });

  it("after any sequence of edits has the diagnostics of a fresh openTracker, and says what changed", async () => {
    await fc.assert(
      fc.asyncProperty(batches, async (plan) => {
        const edits = new Edits();
        const check = await openIncrementalCheck(edits.source());
        let previous = check.diagnostics;
        for (const batch of plan) {
          for (const step of batch) EDITS[step.kind]!(edits, step.i, step.j, step.k);
          const delta = await check.update(edits.take());
          const fresh = await openTracker(edits.source());
          expect(check.diagnostics).toEqual(fresh.diagnostics);
          expectDeltaLeadsTo(previous, delta, fresh.diagnostics);
          expect(check.counts.error).toBe(
            fresh.diagnostics.filter((d) => d.severity === "error").length,
          );
          expect(check.taskCount).toBe(fresh.tasks.length);
          previous = fresh.diagnostics;
        }
      }),
      { numRuns: 100 },
    );
  }, 120_000);
});

describe("IncrementalCheck.update", () => {
  const TASK = "projects/web/tasks/WEB-12-homepage-hero-with-a-b-copy.md";

  it("re-checks only the file saved when its title changes, and reports no change", async () => {
    const edits = new Edits();
    const check = await openIncrementalCheck(edits.source());
    expect(check.lastWork.everything).toBe(true);
    edits.setField(TASK, "title", "A new title");
    expect(await check.update(edits.take())).toEqual({ added: [], removed: [] });
    expect(check.lastWork).toEqual({ files: 1, records: 1, everything: false, cycles: false });
  });

  it("reports an unknown assignee as added, located, and as removed once fixed", async () => {
    const edits = new Edits();
    const check = await openIncrementalCheck(edits.source());
    const original = edits.files.get(TASK)!;
    edits.write(TASK, original.replace("assignees: [lena]", "assignees: [lenna]"));
    const broken = await check.update(edits.take());
    expect(broken.removed).toEqual([]);
    expect(broken.added).toEqual([
      expect.objectContaining({
        code: "TD201",
        file: TASK,
        line: 6,
        column: 13,
        message: '"lenna" is not a person in people/.',
        hint: 'Did you mean "lena"?',
      }),
    ]);
    edits.write(TASK, original);
    expect(await check.update(edits.take())).toEqual({ added: [], removed: broken.added });
    expect(check.counts).toEqual({ error: 0, warning: 0, info: 0 });
  });

  it("re-checks the records that name a deleted person, and those only", async () => {
    const edits = new Edits();
    const check = await openIncrementalCheck(edits.source());
    const naming = edits.paths().filter((p) => /\blena\b/.test(edits.files.get(p)!));
    edits.remove("people/lena.yml");
    const delta = await check.update(edits.take());
    expect(delta.added.length).toBeGreaterThan(0);
    expect(delta.added.every((d) => d.code === "TD201" && naming.includes(d.file))).toBe(true);
    // the deleted file, and every file whose text names lena (a time entry's name does too)
    expect(check.lastWork.records).toBeLessThanOrEqual(naming.length + 1);
  });

  it("reports a record file that cannot be read as TD001, as openTracker does", async () => {
    const files = Object.fromEntries(new Edits().files);
    const source = memorySource(files);
    let locked = false;
    const check = await openIncrementalCheck({
      ...source,
      read: async (path) => {
        if (locked && path === "people/tom.yml") throw new Error("permission denied");
        return source.read(path);
      },
    });
    locked = true;
    const delta = await check.update([{ path: "people/tom.yml", type: "file" }]);
    expect(delta.added.map((d) => `${d.file} ${d.code} ${d.message}`)).toContain(
      "people/tom.yml TD001 The file could not be read: permission denied",
    );
  });
});
