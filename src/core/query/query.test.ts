import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { loadTracker } from "../../node/load.js";
import { ACME } from "../../test-support/temp.js";
import type { Task, Tracker } from "../model.js";
import { search } from "../search/search-index.js";
import { type QueryOptions, type QueryResult, query } from "./query.js";

// examples/acme is a snapshot taken on Friday 2026-11-27.
const TODAY = "2026-11-27";

let tracker: Tracker;
beforeAll(async () => {
  tracker = await loadTracker(ACME, { cache: false });
  expect(tracker.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
});

const run = (text: string, options: QueryOptions = {}): QueryResult =>
  query(tracker, text, { today: TODAY, ...options });

/** Ids a clean query finds, in result order. */
function found(text: string, options: QueryOptions = {}): string[] {
  const r = run(text, options);
  expect(r.problems).toEqual([]);
  expect(r.ok).toBe(true);
  return r.tasks.map((t) => t.id);
}

/** Active tasks for which `keep` holds, in the tracker's order (what an unsorted query gives). */
const where = (keep: (t: Task) => boolean): string[] => tracker.tasks.filter(keep).map((t) => t.id);

/** A query finds exactly these tasks, and the case is not vacuous (some but not all tasks). */
function expectFinds(text: string, expected: string[], options: QueryOptions = {}): void {
  expect(expected.length, `${text} should find something in acme`).toBeGreaterThan(0);
  expect(expected.length, `${text} should leave something out`).toBeLessThan(tracker.tasks.length);
  expect(found(text, options)).toEqual(expected);
}

const closedStatuses = () =>
  new Set(tracker.settings.statuses.filter((s) => s.category === "done").map((s) => s.id));
const isOpen = (t: Task) => !closedStatuses().has(t.status);

/** The one problem of a query, with the text its columns cover. */
function problemOf(text: string, options: QueryOptions = {}) {
  const r = run(text, options);
  expect(r.problems).toHaveLength(1);
  const p = r.problems[0]!;
  return { ...p, covers: text.slice(p.column - 1, p.endColumn - 1), result: r };
}

describe("query: terms AND together, - negates, commas OR", () => {
  it("an empty query lists every active task in id order", () => {
    expect(found("")).toEqual(tracker.tasks.map((t) => t.id));
  });

  it("terms must all hold", () => {
    expectFinds(
      "assignee:lena is:open label:a11y",
      where((t) => t.assignees.includes("lena") && isOpen(t) && t.labels.includes("a11y")),
    );
  });

  it("a leading - keeps the tasks a term would leave out", () => {
    expectFinds(
      "-status:done",
      where((t) => t.status !== "done"),
    );
    expectFinds(
      "label:frontend -label:feature",
      where((t) => t.labels.includes("frontend") && !t.labels.includes("feature")),
    );
    expect(found("-is:open")).toEqual(found("is:closed"));
    expect(found("-assignee:none")).toEqual(found("is:assigned"));
  });

  it("commas give alternatives for one field", () => {
    expectFinds(
      "status:todo,doing",
      where((t) => t.status === "todo" || t.status === "doing"),
    );
    expectFinds(
      "label:bug,security",
      where((t) => t.labels.includes("bug") || t.labels.includes("security")),
    );
    expectFinds(
      "-label:bug,security",
      where((t) => !t.labels.includes("bug") && !t.labels.includes("security")),
    );
  });

  it("a query that matches nothing is fine: ok, no tasks, no problems", () => {
    const r = run("assignee:maria label:bug");
    expect(r).toMatchObject({ ok: true, tasks: [], problems: [] });
  });

  it("never throws, whatever it is given", () => {
    const pieces = [...'"\\-:,<>= .*+?[](){}^$|', "status:", "is:", "sort:", "group:", "due:<"];
    const text = fc.oneof(
      fc
        .array(fc.constantFrom(...pieces, "a", "open", "WEB-1"), { maxLength: 20 })
        .map((p) => p.join("")),
      fc.string({ maxLength: 40 }),
    );
    fc.assert(
      fc.property(text, (t) => {
        const r = run(t);
        expect(r.ok).toBe(!r.problems.some((p) => p.severity === "error"));
        if (!r.ok) expect(r.tasks).toEqual([]);
        for (const p of r.problems) {
          expect(p.column).toBeGreaterThanOrEqual(1);
          expect(p.endColumn).toBeLessThanOrEqual(t.length + 1);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("regex-like characters are text, never patterns", () => {
    for (const text of ["+?", "^$|", ".*+?[](){}^$|\\", "a.*b", "-(", "(?<x>)"])
      expect(run(text)).toMatchObject({ ok: true, problems: [] });
    // punctuation alone is no word, so it finds nothing (and leaves nothing out)
    for (const text of [".*", "\\", "[](){}", '".*"']) expect(found(text), text).toEqual([]);
    expect(found("-.*")).toHaveLength(tracker.tasks.length);
    // brackets and bars around a word are punctuation: the word is still found
    expect(found("[homepage]")).toEqual(found("homepage"));
    expect(found("(homepage)")).toEqual(found("homepage"));
    // a value is compared as text: no label is called ".*"
    expect(problemOf("label:.*").covers).toBe(".*");
  });
});

describe("query: fields", () => {
  it("status: by id or by name, in any case", () => {
    const doing = where((t) => t.status === "doing");
    expectFinds("status:doing", doing);
    expectFinds('status:"In progress"', doing);
    expectFinds("STATUS:DOING", doing);
  });

  it("is:open and is:closed follow the status categories; is:done is is:closed", () => {
    expectFinds("is:open", where(isOpen));
    expectFinds(
      "is:closed",
      where((t) => !isOpen(t)),
    );
    expect(found("is:done")).toEqual(found("is:closed"));
  });

  it("is:blocked: open tasks waiting on at least one open task", () => {
    const blocked = where(
      (t) =>
        isOpen(t) &&
        t.dependsOn.some((d) => {
          const dep = tracker.task(d);
          return dep !== undefined && isOpen(dep);
        }),
    );
    expectFinds("is:blocked", blocked);
    expect(blocked).toContain("API-18"); // waits on API-4 (in review) and OPS-8 (to do)
    expect(blocked).not.toContain("API-10"); // waits on API-9, which is done
  });

  it("is:overdue: open tasks due before today", () => {
    expectFinds(
      "is:overdue",
      where((t) => isOpen(t) && t.due !== undefined && t.due < TODAY),
    );
    // API-11 is due today: not overdue yet
    expect(found("is:overdue")).not.toContain("API-11");
    expect(found("is:overdue", { today: "2026-11-28" })).toContain("API-11");
  });

  it("is:assigned and is:unassigned", () => {
    expectFinds(
      "is:unassigned",
      where((t) => t.assignees.length === 0),
    );
    expectFinds(
      "is:assigned",
      where((t) => t.assignees.length > 0),
    );
  });

  it("is:archived finds the archived tasks, which no other query shows", () => {
    const archived = tracker.archivedTasks.map((t) => t.id);
    expect(archived.length).toBeGreaterThan(0);
    expect(found("is:archived")).toEqual(archived);
    for (const text of ["", "is:closed", "status:cancelled", "GraphQL"])
      for (const id of found(text)) expect(archived).not.toContain(id);
  });

  it("is:archived combines with other filters", () => {
    // API-7 is archived, cancelled and assigned to kenji
    const archivedOf = (keep: (t: Task) => boolean) =>
      tracker.archivedTasks.filter(keep).map((t) => t.id);
    expect(archivedOf((t) => t.assignees.includes("kenji"))).toEqual(["API-7"]);
    expect(found("is:archived assignee:kenji")).toEqual(["API-7"]);
    expect(found("is:archived status:cancelled")).toEqual(
      archivedOf((t) => t.status === "cancelled"),
    );
    expect(found("is:archived project:web")).toEqual(archivedOf((t) => t.project === "web"));
  });

  it("assignee: by person id, @id, GitHub login, none, and lists", () => {
    const ana = where((t) => t.assignees.includes("ana"));
    expectFinds("assignee:ana", ana);
    expectFinds("assignee:@ana", ana);
    expectFinds("assignee:asouza-acme", ana); // ana's github login
    expectFinds("assignee:ASOUZA-ACME", ana);
    expectFinds(
      "assignee:none",
      where((t) => t.assignees.length === 0),
    );
    expectFinds(
      "assignee:ana,tom",
      where((t) => t.assignees.includes("ana") || t.assignees.includes("tom")),
    );
    expectFinds(
      "assignee:lena,none",
      where((t) => t.assignees.length === 0 || t.assignees.includes("lena")),
    );
  });

  it("assignee: person ids in any case, like every other name", () => {
    expectFinds("assignee:ANA", found("assignee:ana"));
    expectFinds("assignee:@Lena", found("assignee:lena"));
  });

  it("a task with two assignees is found by either", () => {
    expect(found("assignee:kenji")).toContain("API-8");
    expect(found("assignee:ana")).toContain("API-8");
  });

  it("team: its members' tasks and its projects' tasks", () => {
    for (const team of tracker.teams) {
      const projects = tracker.projects.filter((p) => p.team === team.id).map((p) => p.folder);
      expectFinds(
        `team:${team.id}`,
        where(
          (t) => projects.includes(t.project) || t.assignees.some((a) => team.members.includes(a)),
        ),
      );
    }
    expect(found("team:platform,web")).toEqual(where(() => true));
  });

  it("project: by key or folder, in any case", () => {
    const api = where((t) => t.project === "api");
    expectFinds("project:API", api);
    expectFinds("project:api", api);
    expectFinds(
      "project:api,WEB",
      where((t) => t.project === "api" || t.project === "web"),
    );
  });

  it("milestone: by id, or none", () => {
    expectFinds(
      "milestone:public-beta",
      where((t) => t.milestone === "public-beta"),
    );
    expectFinds(
      "milestone:none",
      where((t) => t.milestone === undefined),
    );
    expectFinds(
      "-milestone:none",
      where((t) => t.milestone !== undefined),
    );
  });

  it("label: by name, any of a list, or none", () => {
    expectFinds(
      "label:security",
      where((t) => t.labels.includes("security")),
    );
    expectFinds("label:Security", found("label:security"));
    expect(found("label:none")).toEqual(where((t) => t.labels.length === 0));
  });

  it("priority: a name, a list, and comparisons where higher means more important", () => {
    const order = ["urgent", "high", "medium", "low"]; // acme's priorities, most important first
    expect(tracker.settings.priorities).toEqual(order);
    const at = (t: Task) => (t.priority === undefined ? -1 : order.indexOf(t.priority));
    expectFinds(
      "priority:urgent",
      where((t) => t.priority === "urgent"),
    );
    expectFinds(
      "priority:urgent,low",
      where((t) => t.priority === "urgent" || t.priority === "low"),
    );
    expectFinds(
      "priority:>=high",
      where((t) => t.priority === "urgent" || t.priority === "high"),
    );
    expectFinds(
      "priority:>high",
      where((t) => t.priority === "urgent"),
    );
    expectFinds(
      "priority:<high",
      where((t) => at(t) > 1),
    );
    expectFinds(
      "priority:<=medium",
      where((t) => t.priority === "medium" || t.priority === "low"),
    );
    expectFinds("priority:=high", found("priority:high"));
  });

  it("due: a date, comparisons and none", () => {
    expectFinds(
      "due:2026-12-04",
      where((t) => t.due === "2026-12-04"),
    );
    expectFinds(
      "due:<2026-12-01",
      where((t) => t.due !== undefined && t.due < "2026-12-01"),
    );
    expectFinds(
      "due:<=2026-12-01",
      where((t) => t.due !== undefined && t.due <= "2026-12-01"),
    );
    expectFinds(
      "due:>2026-12-04",
      where((t) => t.due !== undefined && t.due > "2026-12-04"),
    );
    expectFinds(
      "due:>=2026-12-04",
      where((t) => t.due !== undefined && t.due >= "2026-12-04"),
    );
    expectFinds(
      "due:none",
      where((t) => t.due === undefined),
    );
    expectFinds(
      "due:2026-12-04,none",
      where((t) => t.due === undefined || t.due === "2026-12-04"),
    );
  });

  it("due: today, tomorrow and yesterday", () => {
    expectFinds(
      "due:today",
      where((t) => t.due === "2026-11-27"),
    );
    expectFinds(
      "due:yesterday",
      where((t) => t.due === "2026-11-26"),
    );
    expect(found("due:tomorrow")).toEqual(where((t) => t.due === "2026-11-28"));
    expectFinds(
      "due:<today is:open",
      where((t) => isOpen(t) && t.due !== undefined && t.due < "2026-11-27"),
    );
    expect(found("due:<today is:open")).toEqual(found("is:overdue"));
  });

  it("due: weeks run Monday to Sunday and months are calendar months", () => {
    const within = (from: string, to: string) =>
      where((t) => t.due !== undefined && t.due >= from && t.due <= to);
    expectFinds("due:this-week", within("2026-11-23", "2026-11-29"));
    expectFinds("due:next-week", within("2026-11-30", "2026-12-06"));
    expectFinds("due:last-week", within("2026-11-16", "2026-11-22"));
    expectFinds("due:this-month", within("2026-11-01", "2026-11-30"));
    expectFinds("due:next-month", within("2026-12-01", "2026-12-31"));
    expectFinds("due:last-month", within("2026-10-01", "2026-10-31"));
    // a comparison with a range: before its first day, or after its last
    expectFinds(
      "due:<this-week",
      where((t) => t.due !== undefined && t.due < "2026-11-23"),
    );
    expectFinds(
      "due:>this-week",
      where((t) => t.due !== undefined && t.due > "2026-11-29"),
    );
    expectFinds(
      "due:<=this-week",
      where((t) => t.due !== undefined && t.due <= "2026-11-29"),
    );
  });

  it("due: and start: count 7d and 2w into the future", () => {
    expectFinds(
      "due:<=7d",
      where((t) => t.due !== undefined && t.due <= "2026-12-04"),
    );
    expectFinds(
      "due:7d",
      where((t) => t.due === "2026-12-04"),
    );
    expectFinds(
      "due:>2w",
      where((t) => t.due !== undefined && t.due > "2026-12-11"),
    );
    expectFinds(
      "start:>=3d",
      where((t) => t.start !== undefined && t.start >= "2026-11-30"),
    );
    expectFinds(
      "start:<=today is:open",
      where((t) => isOpen(t) && t.start !== undefined && t.start <= "2026-11-27"),
    );
  });

  it("created: counts 7d and 30d into the past", () => {
    // created:<30d = created more than 30 days ago
    expectFinds(
      "created:<30d",
      where((t) => t.created !== undefined && t.created < "2026-10-28"),
    );
    // created:>=7d = created in the last 7 days (today included)
    expectFinds(
      "created:>=7d",
      where((t) => t.created !== undefined && t.created >= "2026-11-20"),
    );
    expectFinds(
      "created:last-month",
      where((t) => t.created?.startsWith("2026-10") === true),
    );
  });

  it("estimate: numbers, comparisons and none (the task's own estimate)", () => {
    expectFinds(
      "estimate:>3",
      where((t) => t.estimate !== undefined && t.estimate > 3),
    );
    expectFinds(
      "estimate:<=2",
      where((t) => t.estimate !== undefined && t.estimate <= 2),
    );
    expectFinds(
      "estimate:5",
      where((t) => t.estimate === 5),
    );
    expectFinds(
      "estimate:1,2",
      where((t) => t.estimate === 1 || t.estimate === 2),
    );
    expectFinds(
      "estimate:none",
      where((t) => t.estimate === undefined),
    );
  });

  it("parent: the direct sub-tasks of a task", () => {
    expectFinds(
      "parent:WEB-11",
      where((t) => t.parent === "WEB-11"),
    );
    expectFinds("parent:web-11", found("parent:WEB-11"));
    expectFinds(
      "parent:WEB-11,API-8",
      where((t) => t.parent === "WEB-11" || t.parent === "API-8"),
    );
  });

  it("id: one or more tasks", () => {
    expect(found("id:WEB-12,api-4")).toEqual(["API-4", "WEB-12"]);
  });

  it("blocked-by:X finds the tasks waiting on X; blocks:X what X waits on", () => {
    expectFinds(
      "blocked-by:WEB-8",
      where((t) => t.dependsOn.includes("WEB-8")),
    );
    const api18 = tracker.task("API-18")!;
    expect(api18.dependsOn.length).toBeGreaterThan(1);
    expectFinds(
      "blocks:API-18",
      where((t) => api18.dependsOn.includes(t.id)),
    );
    expectFinds(
      "blocks:WEB-14,API-18",
      where(
        (t) => api18.dependsOn.includes(t.id) || tracker.task("WEB-14")!.dependsOn.includes(t.id),
      ),
    );
  });

  it.each([
    ["due", (t: Task) => t.due !== undefined],
    ["start", (t: Task) => t.start !== undefined],
    ["estimate", (t: Task) => t.estimate !== undefined],
    ["parent", (t: Task) => t.parent !== undefined],
    ["milestone", (t: Task) => t.milestone !== undefined],
    ["dependencies", (t: Task) => t.dependsOn.length > 0],
    ["checklist", (t: Task) => t.checklist.total > 0],
    ["attachments", (t: Task) => t.attachments.length > 0],
    ["assignees", (t: Task) => t.assignees.length > 0],
  ] as const)("has:%s finds the tasks where it is set", (name, isSet) => {
    expectFinds(`has:${name}`, where(isSet));
    expectFinds(
      `-has:${name}`,
      where((t) => !isSet(t)),
    );
  });

  it("has: with a list finds tasks with any of them", () => {
    expectFinds(
      "has:parent,dependencies",
      where((t) => t.parent !== undefined || t.dependsOn.length > 0),
    );
  });

  it("updated: without git history matches nothing, with a warning that says why", () => {
    const r = run("updated:>7d");
    expect(r.ok).toBe(true);
    expect(r.tasks).toEqual([]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ severity: "warning", column: 1, endColumn: 12 });
    expect(r.problems[0]!.message).toMatch(/git history/);
  });

  it("updated: with the days of last changes counts into the past", () => {
    const days = ["2026-11-27", "2026-11-21", "2026-11-20", "2026-10-02"];
    const updated = new Map(tracker.tasks.map((t, i) => [t.file, days[i % days.length]!]));
    const day = (t: Task) => updated.get(t.file)!;
    // updated:>7d = changed in the last 7 days
    expectFinds(
      "updated:>7d",
      where((t) => day(t) > "2026-11-20"),
      { updated },
    );
    expectFinds(
      "updated:today",
      where((t) => day(t) === "2026-11-27"),
      { updated },
    );
    expectFinds(
      "updated:<30d",
      where((t) => day(t) < "2026-10-28"),
      { updated },
    );
    const sorted = found("sort:-updated", { updated });
    const daysInOrder = sorted.map((id) => day(tracker.task(id)!));
    expect(daysInOrder).toEqual([...daysInOrder].sort().reverse());
  });

  it("@me is the person given as `me`", () => {
    expectFinds(
      "assignee:@me",
      where((t) => t.assignees.includes("tom")),
      { me: "tom" },
    );
    expectFinds(
      "assignee:@me,none is:open",
      where((t) => isOpen(t) && (t.assignees.length === 0 || t.assignees.includes("tom"))),
      { me: "tom" },
    );
    expectFinds(
      "-assignee:@me",
      where((t) => !t.assignees.includes("tom")),
      { me: "tom" },
    );
  });

  it("@me without `me` is an error at @me that says why it is unknown", () => {
    const p = problemOf("is:open assignee:@me", {
      meProblem: "TRACKDOWN_ME is not set. Set TRACKDOWN_ME to your person id.",
    });
    expect(p).toMatchObject({ severity: "error", column: 18, covers: "@me" });
    expect(p.hint).toBe("TRACKDOWN_ME is not set. Set TRACKDOWN_ME to your person id.");
    expect(p.result).toMatchObject({ ok: false, tasks: [] });
    expect(problemOf("assignee:@me").hint).toMatch(/me/);
  });
});

describe("query: unknown names are errors at the right column, with a did-you-mean", () => {
  it.each([
    ["is:open stauts:doing", "stauts", 'Did you mean "status:"?'],
    ["is:open -stauts:doing", "stauts", 'Did you mean "status:"?'],
    ["is:open status:doign", "doign", 'Did you mean "doing"?'],
    ["is:open is:blokced", "blokced", 'Did you mean "blocked"?'],
    ["is:open assignee:lenna", "lenna", 'Did you mean "lena"?'],
    ["is:open priority:hihg", "hihg", 'Did you mean "high"?'],
    ["is:open priority:>=hihg", "hihg", 'Did you mean "high"?'],
    ["is:open milestone:public-beat", "public-beat", 'Did you mean "public-beta"?'],
    ["is:open project:wbe", "wbe", 'Did you mean "WEB"?'],
    ["is:open team:platfrom", "platfrom", 'Did you mean "platform"?'],
    ["is:open label:secrity", "secrity", 'Did you mean "security"?'],
    ["is:open has:chekclist", "chekclist", 'Did you mean "checklist"?'],
    ["is:open parent:WEB-111", "WEB-111", 'Did you mean "WEB-11"?'],
    ["is:open sort:priorty", "priorty", 'Did you mean "priority"?'],
    ["is:open sort:due,-priorty", "-priorty", 'Did you mean "priority"?'],
    ["is:open group:asignee", "asignee", 'Did you mean "assignee"?'],
  ])("%s", (text, wrong, hint) => {
    const p = problemOf(text);
    expect(p.severity).toBe("error");
    expect(p.column).toBe(text.indexOf(wrong) + 1);
    expect(p.covers).toBe(wrong);
    expect(p.hint).toBe(hint);
    expect(p.expected).toMatch(/^one of |task id/);
    expect(p.result.ok).toBe(false);
    expect(p.result.tasks).toEqual([]);
  });

  it("an unknown field lists every field in what was expected", () => {
    const p = problemOf("stauts:doing");
    expect(p.message).toBe('Unknown field "stauts:".');
    for (const name of ["status:", "assignee:", "blocked-by:", "sort:", "group:"])
      expect(p.expected).toContain(name);
  });

  it("an unknown field with no likely meaning suggests quotes for text with a colon", () => {
    expect(problemOf("xyzzy:thing").hint).toMatch(/quotes/);
  });

  it("every unknown value of a list is reported", () => {
    const r = run("label:secrity,bug,perfomance");
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => p.column)).toEqual([7, 19]);
  });

  it("wrong kinds of values point at the value", () => {
    expect(problemOf("due:soon")).toMatchObject({
      covers: "soon",
      message: '"soon" is not a date.',
    });
    expect(problemOf("due:2026-02-30").covers).toBe("2026-02-30");
    expect(problemOf("estimate:>lots")).toMatchObject({ covers: "lots" });
    expect(problemOf("status:>doing").covers).toBe(">");
    expect(problemOf("priority:>=high,urgent").covers).toBe("priority:>=high,urgent");
    expect(problemOf("group:status,assignee").covers).toBe("assignee");
  });

  it("errors from the parser stop the query too", () => {
    expect(run('status:doing "login')).toMatchObject({ ok: false, tasks: [] });
    expect(run("x".repeat(4001))).toMatchObject({ ok: false, tasks: [] });
  });
});

describe("query: sort", () => {
  const priorityRank = (t: Task) =>
    t.priority === undefined ? undefined : 4 - tracker.settings.priorities.indexOf(t.priority);

  /** Checks that neighbours are in order by `value`, with missing values after all others. */
  function expectOrdered<V extends string | number>(
    ids: string[],
    value: (t: Task) => V | undefined,
    descending = false,
  ) {
    const values = ids.map((id) => value(tracker.task(id)!));
    const firstMissing = values.indexOf(undefined);
    if (firstMissing !== -1)
      expect(values.slice(firstMissing).every((v) => v === undefined)).toBe(true);
    const present = values.filter((v): v is V => v !== undefined);
    const sorted = [...present].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(present).toEqual(descending ? sorted.reverse() : sorted);
  }

  it("by due date, ascending, tasks without one last", () => {
    const ids = found("sort:due");
    expect(ids).toHaveLength(tracker.tasks.length);
    expectOrdered(ids, (t) => t.due);
    expect(tracker.task(ids.at(-1)!)!.due).toBeUndefined();
  });

  it("descending with a leading -, tasks without a value still last", () => {
    const ids = found("sort:-due");
    expectOrdered(ids, (t) => t.due, true);
    expect(tracker.task(ids.at(-1)!)!.due).toBeUndefined();
  });

  it("sort:-priority puts urgent first; sort:priority the least important first", () => {
    const urgentFirst = found("sort:-priority");
    expect(tracker.task(urgentFirst[0]!)!.priority).toBe("urgent");
    expectOrdered(urgentFirst, priorityRank, true);
    const leastFirst = found("sort:priority");
    expect(tracker.task(leastFirst[0]!)!.priority).toBe("low");
    expectOrdered(leastFirst, priorityRank);
  });

  it("several keys: the next breaks ties of the one before, then id order", () => {
    const ids = found("is:open sort:-priority,due");
    const order = new Map(tracker.tasks.map((t, i) => [t.id, i]));
    for (let i = 1; i < ids.length; i++) {
      const a = tracker.task(ids[i - 1]!)!;
      const b = tracker.task(ids[i]!)!;
      const pa = priorityRank(a) ?? -1;
      const pb = priorityRank(b) ?? -1;
      expect(pa).toBeGreaterThanOrEqual(pb);
      if (pa !== pb) continue;
      if (a.due === b.due) expect(order.get(a.id)!).toBeLessThan(order.get(b.id)!);
      else if (a.due === undefined) expect.unreachable(`${a.id} has no due date before ${b.id}`);
      else if (b.due !== undefined) expect(a.due < b.due).toBe(true);
    }
    expect(run("sort:-priority,due").sortBy).toEqual([
      { key: "priority", descending: true },
      { key: "due", descending: false },
    ]);
  });

  it("by status in workflow order, by title, by estimate, by id descending", () => {
    const statusIndex = (t: Task) => tracker.settings.statuses.findIndex((s) => s.id === t.status);
    expectOrdered(found("sort:status"), statusIndex);
    expectOrdered(found("sort:title"), (t) => t.title.toLowerCase());
    expectOrdered(found("sort:-estimate"), (t) => t.estimate, true);
    expect(found("sort:-id")).toEqual(tracker.tasks.map((t) => t.id).reverse());
  });

  it("by time logged and by progress", () => {
    const logged = (t: Task) =>
      tracker.timeEntries.filter((e) => e.task === t.id).reduce((sum, e) => sum + e.minutes, 0);
    expectOrdered(found("sort:-logged"), logged, true);
    const ids = found("sort:-progress is:closed");
    expect(ids).toEqual(where((t) => !isOpen(t))); // all complete: ties keep id order
  });

  it("without sort: tasks come in id order, or by relevance for words", () => {
    expect(found("is:open")).toEqual(where(isOpen));
    expect(found("homepage")[0]).toBe(search(tracker, "homepage")[0]!.task.id);
    expect(run("is:open").sortBy).toEqual([]);
  });
});

describe("query: group", () => {
  it("by assignee: a task is in each assignee's group, the unassigned under (none), last", () => {
    const r = run("is:open group:assignee");
    expect(r.groupBy).toBe("assignee");
    const groups = r.groups!;
    const none = groups.at(-1)!;
    expect(none).toMatchObject({ key: "", label: "(none)" });
    expect(none.tasks).toEqual(r.tasks.filter((t) => t.assignees.length === 0));
    const people = groups.slice(0, -1);
    expect(people.map((g) => g.key)).toEqual(
      tracker.people.map((p) => p.id).filter((id) => r.tasks.some((t) => t.assignees.includes(id))),
    );
    for (const g of people) {
      expect(g.label).toBe(tracker.person(g.key)!.name);
      expect(g.tasks).toEqual(r.tasks.filter((t) => t.assignees.includes(g.key)));
    }
    // API-8 has two assignees and is in both groups
    expect(groups.filter((g) => g.tasks.some((t) => t.id === "API-8")).map((g) => g.key)).toEqual([
      "ana",
      "kenji",
    ]);
  });

  it("by status: in workflow order, named as on the board, only statuses with tasks", () => {
    const r = run("group:status");
    const statuses = tracker.settings.statuses.filter((s) =>
      r.tasks.some((t) => t.status === s.id),
    );
    expect(r.groups!.map((g) => [g.key, g.label])).toEqual(statuses.map((s) => [s.id, s.name]));
    for (const g of r.groups!) expect(g.tasks).toEqual(r.tasks.filter((t) => t.status === g.key));
  });

  it("by priority: most important first, tasks without one last", () => {
    const r = run("group:priority");
    const keys = r.groups!.map((g) => g.key);
    expect(keys).toEqual(
      tracker.settings.priorities.filter((p) => r.tasks.some((t) => t.priority === p)),
    );
  });

  it("by milestone and by label: tasks without one under (none), a task in each of its labels", () => {
    const m = run("group:milestone").groups!;
    expect(m.at(-1)).toMatchObject({ key: "", label: "(none)" });
    expect(m.find((g) => g.key === "public-beta")!.label).toBe("Public beta");
    const l = run("label:a11y,bug group:label").groups!;
    expect(l.map((g) => g.key)).toEqual(
      [
        "a11y",
        "backend",
        "bug",
        "docs",
        "feature",
        "frontend",
        "infra",
        "performance",
        "security",
      ].filter((k) => l.some((g) => g.key === k)),
    );
    for (const g of l)
      expect(g.tasks).toEqual(run("label:a11y,bug").tasks.filter((t) => t.labels.includes(g.key)));
  });

  it("groups keep the sort order inside each group", () => {
    const r = run("is:open sort:due group:status");
    for (const g of r.groups!) expect(g.tasks).toEqual(r.tasks.filter((t) => t.status === g.key));
  });
});

describe("query: words", () => {
  /** Tasks whose title, labels or body hold a word starting with `prefix`. */
  const withWord = (prefix: string) => {
    const re = new RegExp(`(^|[^\\p{L}\\p{N}])${prefix}`, "iu");
    return where((t) => [t.title, t.labels.join(" "), t.body].some((f) => re.test(f)));
  };

  it("a word found only in a body, with matchedFields naming the body", () => {
    const r = run("Redis");
    expect(r.tasks.map((t) => t.id)).toContain("API-4");
    expect(r.matchedFields!.get("API-4")).toEqual(["body"]);
  });

  it("matchedFields names the title and labels too", () => {
    const r = run("wireframes");
    expect(r.tasks[0]!.id).toBe("WEB-4");
    expect(r.matchedFields!.get("WEB-4")).toContain("title");
    expect(run("a11y").matchedFields!.get("WEB-19")).toEqual(["labels"]);
  });

  it("a word finds the words it begins", () => {
    expect([...found("pagina")].sort()).toEqual(withWord("pagina").sort());
    expect(found("pagina")[0]).toBe("API-5");
  });

  it("a typo within fuzzy distance finds the same tasks", () => {
    expect(found("terraform").length).toBeGreaterThan(0);
    expect(found("terrafrom")).toEqual(found("terraform"));
  });

  it("an exact id comes first", () => {
    expect(found("WEB-12")[0]).toBe("WEB-12");
    expect(found("web-12")[0]).toBe("WEB-12");
  });

  it("an exact title comes first", () => {
    for (const id of ["WEB-23", "WEB-11", "OPS-8"]) {
      const t = tracker.task(id)!;
      expect(found(t.title)[0]).toBe(id);
    }
  });

  it("every word must match", () => {
    const both = found("homepage pricing");
    expect(both.length).toBeGreaterThan(0);
    const homepage = found("homepage");
    const pricing = found("pricing");
    for (const id of both) {
      expect(homepage).toContain(id);
      expect(pricing).toContain(id);
    }
  });

  it("words combine with filters and sort", () => {
    const ids = found("homepage is:open sort:id");
    expect(ids).toEqual(where((t) => isOpen(t) && found("homepage").includes(t.id)));
  });

  it("a quoted phrase finds those words together, in that order", () => {
    const phrase = (p: string) =>
      where((t) => [t.title, t.body].some((f) => f.toLowerCase().replace(/\s+/g, " ").includes(p)));
    expectFinds('"cookie consent"', phrase("cookie consent"));
    expect(found('"consent cookie"')).toEqual(phrase("consent cookie"));
    expect(found("consent cookie")).toContain("WEB-23");
    expectFinds(
      '"design tokens" is:closed',
      where((t) => !isOpen(t) && phrase("design tokens").includes(t.id)),
    );
  });

  it("a phrase matches whole words, not the inside of longer ones", () => {
    const wholeWord = /(^|[^\p{L}\p{N}])rate($|[^\p{L}\p{N}])/iu;
    const expected = where((t) =>
      [t.title, t.labels.join(" "), t.body].some((f) => wholeWord.test(f)),
    );
    expect(expected).toContain("API-4"); // "Rate limiting per API key"
    expect(found('"rate"')).toEqual(expected);
    expect(found('"rate"')).not.toContain("API-15"); // "Generate a TypeScript SDK…"
  });

  it("a phrase may span a line break in the body", () => {
    // API-4's body: "...; over\nthe limit the API answers..."
    expect(tracker.task("API-4")!.body).toContain("over\nthe limit");
    expect(found('"over the limit"')).toContain("API-4");
  });

  it("a negated word leaves out the tasks the word finds", () => {
    const frontend = found("label:frontend");
    const homepage = found("homepage");
    expectFinds(
      "label:frontend -homepage",
      frontend.filter((id) => !homepage.includes(id)),
    );
    expectFinds(
      'label:frontend -"design tokens"',
      frontend.filter((id) => !found('"design tokens"').includes(id)),
    );
  });

  it("a negated word leaves out tasks with that word, not tasks with a word one typo away", () => {
    // "rate" is one letter from "date": -date must keep "Rate limiting per API key"
    const withoutDate = where(
      (t) => t.labels.includes("performance") && !withWord("date").includes(t.id),
    );
    expect(withoutDate).toContain("API-4");
    expectFinds("label:performance -date", withoutDate);
  });

  it("a word found as written ranks above words it only matches with a typo", () => {
    const exact = withWord("date");
    expect(exact.length).toBeGreaterThan(0);
    const ids = found("date");
    expect(ids.slice(0, exact.length).sort()).toEqual([...exact].sort());
  });
});
