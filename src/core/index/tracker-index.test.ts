import { describe, expect, it } from "vitest";
import type { Tracker } from "../model.js";
import { openTracker } from "../open-tracker.js";
import { memorySource } from "../source.js";
import { indexTracker } from "./tracker-index.js";

const TODAY = "2026-11-27";

const CONFIG = `version: 1
key: demo
name: Demo
timezone: Europe/Berlin
hours_per_day: 8
workflow:
  statuses:
    - { id: todo, category: todo }
    - { id: doing, category: in-progress }
    - { id: done, category: done }
    - { id: dropped, category: done }
priorities: [urgent, high, medium, low]
`;

/** A task file: front matter from `fields` (YAML lines) and a Markdown body. */
function task(id: string, fields: string, body = "Some text.\n"): [string, string] {
  const folder = id.startsWith("APP") ? "app" : "site";
  return [
    `projects/${folder}/tasks/${id}.md`,
    `---\nid: ${id}\ntitle: Task ${id}\n${fields}---\n${body}`,
  ];
}

function time(person: string, taskId: string, date: string, duration: string, suffix: string) {
  return [
    `time/${date.slice(0, 7)}/${date}-${person}-${taskId}-${suffix}.yml`,
    `person: ${person}\ntask: ${taskId}\ndate: ${date}\nduration: ${duration}\n`,
  ] as [string, string];
}

const FILES: Record<string, string> = Object.fromEntries([
  ["trackdown.yml", CONFIG],
  ["people/ana.yml", "name: Ana\n"],
  ["people/ben.yml", "name: Ben\n"],
  ["people/cleo.yml", "name: Cleo\n"],
  ["teams/core.yml", "name: Core\nmembers: [ana]\n"],
  ["teams/web.yml", "name: Web\nmembers: [ben]\n"],
  ["projects/app/project.md", "---\nkey: APP\nname: App\nteam: core\n---\nThe app.\n"],
  ["projects/site/project.md", "---\nkey: SITE\nname: Site\nteam: web\n---\nThe site.\n"],
  ["projects/app/milestones/m1.md", "---\ntitle: First\nstatus: active\n---\n"],
  ["projects/app/milestones/m2.md", "---\ntitle: Second\nstatus: planned\n---\n"],
  ["projects/app/milestones/m3.md", "---\ntitle: Third\nstatus: planned\n---\n"],
  // a parent with an estimated, finished child and an unestimated child half through its checklist
  task("APP-1", "status: doing\nassignees: [ana]\nestimate: 10\nmilestone: m1\n"),
  task("APP-2", "status: done\nestimate: 3\nparent: APP-1\nmilestone: m1\n"),
  task(
    "APP-3",
    "status: todo\nparent: APP-1\nmilestone: m1\n",
    "- [x] first step\n- [ ] second step\n",
  ),
  // dependencies: on an open task, on a finished one, and a closed task waiting on an open one
  task("APP-4", "status: doing\nassignees: [ana]\ndepends_on: [APP-5]\ncreated: 2026-11-20\n"),
  task("APP-5", "status: todo\ndue: 2026-11-26\nestimate: 2\nmilestone: m2\n"),
  task("APP-6", "status: todo\nassignees: [ben]\ndepends_on: [APP-2]\ndue: 2026-11-27\n"),
  task("APP-7", "status: done\ndepends_on: [APP-5]\ndue: 2026-11-01\nmilestone: m2\n"),
  // a parent whose only child has no estimate keeps its own estimate
  task("APP-8", "status: todo\nestimate: 5\n"),
  task("APP-9", "status: todo\nparent: APP-8\n"),
  // three levels: estimates roll up through the middle task
  task("APP-10", "status: todo\nmilestone: m3\n"),
  task("APP-11", "status: todo\nparent: APP-10\nmilestone: m3\n"),
  task("APP-12", "status: done\nparent: APP-11\nestimate: 4\nmilestone: m3\n"),
  task("APP-13", "status: dropped\nparent: APP-11\nestimate: 1\nmilestone: m3\n"),
  task("APP-14", "status: todo\nparent: APP-10\nestimate: 5\nmilestone: m3\n"),
  // a task of the web team's project assigned to a member of core
  task("SITE-1", "status: doing\nassignees: [ana]\n"),
  task("SITE-2", "status: todo\n", "- [x] a\n- [x] b\n- [ ] c\n- [ ] d\n"),
  time("ana", "APP-4", "2026-11-24", "1h30m", "a1b2"),
  time("ben", "APP-4", "2026-11-25", "45m", "c3d4"),
  time("ana", "APP-2", "2026-11-20", "2h", "e5f6"),
]);

async function demo(): Promise<Tracker> {
  const tracker = await openTracker(memorySource(FILES));
  expect(tracker.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return tracker;
}

const ids = (tasks: readonly { id: string }[]) => tasks.map((t) => t.id);

describe("indexTracker: blocked and overdue", () => {
  it("a task waiting on an open dependency is blocked and names its blocker", async () => {
    const tracker = await demo();
    const f = indexTracker(tracker, { today: TODAY }).facts(tracker.task("APP-4")!);
    expect(f.blocked).toBe(true);
    expect(f.blockers).toEqual(["APP-5"]);
  });

  it("a task whose dependency is done is not blocked", async () => {
    const tracker = await demo();
    const f = indexTracker(tracker, { today: TODAY }).facts(tracker.task("APP-6")!);
    expect(f.blocked).toBe(false);
    expect(f.blockers).toEqual([]);
  });

  it("a closed task is never blocked, even when its dependency is open", async () => {
    const tracker = await demo();
    const f = indexTracker(tracker, { today: TODAY }).facts(tracker.task("APP-7")!);
    expect(f.open).toBe(false);
    expect(f.blocked).toBe(false);
  });

  it("an open task is overdue from the day after its due date, relative to today", async () => {
    const tracker = await demo();
    const app5 = tracker.task("APP-5")!; // due 2026-11-26
    const app6 = tracker.task("APP-6")!; // due 2026-11-27
    expect(indexTracker(tracker, { today: "2026-11-26" }).facts(app5).overdue).toBe(false);
    expect(indexTracker(tracker, { today: TODAY }).facts(app5).overdue).toBe(true);
    expect(indexTracker(tracker, { today: TODAY }).facts(app6).overdue).toBe(false);
    expect(indexTracker(tracker, { today: "2026-11-28" }).facts(app6).overdue).toBe(true);
  });

  it("a closed task past its due date is not overdue; a task without a due date never is", async () => {
    const tracker = await demo();
    const index = indexTracker(tracker, { today: TODAY });
    expect(index.facts(tracker.task("APP-7")!).overdue).toBe(false);
    expect(index.facts(tracker.task("APP-8")!).overdue).toBe(false);
  });

  it("knows each task's status category and whether it is open", async () => {
    const tracker = await demo();
    const index = indexTracker(tracker, { today: TODAY });
    expect(index.facts(tracker.task("APP-1")!)).toMatchObject({
      category: "in-progress",
      open: true,
    });
    expect(index.facts(tracker.task("APP-13")!)).toMatchObject({ category: "done", open: false });
    expect(ids(index.byCategory.get("done") ?? [])).toEqual(["APP-2", "APP-7", "APP-12", "APP-13"]);
  });
});

describe("indexTracker: age and time", () => {
  it("age is whole days since created, and unknown without a created date", async () => {
    const tracker = await demo();
    const index = indexTracker(tracker, { today: TODAY });
    expect(index.facts(tracker.task("APP-4")!).ageDays).toBe(7);
    expect(
      indexTracker(tracker, { today: "2026-12-01" }).facts(tracker.task("APP-4")!).ageDays,
    ).toBe(11);
    expect(index.facts(tracker.task("APP-5")!).ageDays).toBeUndefined();
  });

  it("logged minutes add up the task's own time entries, not its children's", async () => {
    const tracker = await demo();
    const index = indexTracker(tracker, { today: TODAY });
    expect(index.facts(tracker.task("APP-4")!).loggedMinutes).toBe(90 + 45);
    expect(index.facts(tracker.task("APP-2")!).loggedMinutes).toBe(120);
    expect(index.facts(tracker.task("APP-1")!).loggedMinutes).toBe(0);
    expect(index.timeEntries("APP-4").map((e) => e.minutes)).toEqual([90, 45]);
    expect(index.timeEntries("APP-5")).toEqual([]);
  });
});

describe("indexTracker: rolled-up estimates and progress", () => {
  it("a parent's estimate is the sum of its children's, unestimated children counting 0", async () => {
    const tracker = await demo();
    const index = indexTracker(tracker, { today: TODAY });
    // APP-2 has 3, APP-3 none; APP-1's own 10 gives way to what its children add up to
    expect(index.facts(tracker.task("APP-1")!).rolledEstimate).toBe(3);
    expect(index.facts(tracker.task("APP-3")!).rolledEstimate).toBeUndefined();
  });

  it("a parent whose children have no estimates keeps its own", async () => {
    const tracker = await demo();
    const index = indexTracker(tracker, { today: TODAY });
    expect(index.facts(tracker.task("APP-8")!).rolledEstimate).toBe(5);
  });

  it("estimates roll up through every level", async () => {
    const tracker = await demo();
    const index = indexTracker(tracker, { today: TODAY });
    expect(index.facts(tracker.task("APP-11")!).rolledEstimate).toBe(4 + 1);
    expect(index.facts(tracker.task("APP-10")!).rolledEstimate).toBe(4 + 1 + 5);
  });

  it("a closed task is complete, whatever its checklist says", async () => {
    const tracker = await demo();
    const index = indexTracker(tracker, { today: TODAY });
    expect(index.facts(tracker.task("APP-2")!).progress).toBe(1);
    expect(index.facts(tracker.task("APP-13")!).progress).toBe(1); // dropped counts as closed
  });

  it("an open task without children progresses by its checklist", async () => {
    const tracker = await demo();
    const index = indexTracker(tracker, { today: TODAY });
    expect(index.facts(tracker.task("APP-3")!).progress).toBe(0.5);
    expect(index.facts(tracker.task("SITE-2")!).progress).toBe(0.5);
    expect(index.facts(tracker.task("APP-5")!).progress).toBe(0); // no checklist
  });

  it("a parent's progress is its children's, weighted by estimate (1 for unestimated ones)", async () => {
    const tracker = await demo();
    const index = indexTracker(tracker, { today: TODAY });
    // APP-2: weight 3, done (1); APP-3: weight 1, half done (0.5)
    expect(index.facts(tracker.task("APP-1")!).progress).toBeCloseTo((3 * 1 + 1 * 0.5) / 4, 10);
    // APP-11: both children closed; APP-10: APP-11 (5, done) and APP-14 (5, not started)
    expect(index.facts(tracker.task("APP-11")!).progress).toBe(1);
    expect(index.facts(tracker.task("APP-10")!).progress).toBeCloseTo(0.5, 10);
  });
});

describe("indexTracker: milestones", () => {
  it("counts a parent and its children in the same milestone once for estimates", async () => {
    const tracker = await demo();
    const m = indexTracker(tracker, { today: TODAY }).milestoneFacts("m1");
    // APP-1 (rolled 3) is counted through its children APP-2 (3) and APP-3 (none): 3, not 6
    expect(m.estimate).toBe(3);
    expect(m.doneEstimate).toBeCloseTo(3 * 0.875, 10);
    expect(m.progress).toBeCloseTo(0.875, 10);
    expect(m).toMatchObject({ total: 3, done: 1, open: 2, overdue: 0, blocked: 0 });
  });

  it("counts three levels in one milestone once", async () => {
    const tracker = await demo();
    const m = indexTracker(tracker, { today: TODAY }).milestoneFacts("m3");
    expect(m.estimate).toBe(10);
    expect(m.doneEstimate).toBeCloseTo(5, 10);
    expect(m.progress).toBeCloseTo(0.5, 10);
    expect(m).toMatchObject({ total: 5, done: 2, open: 3 });
  });

  it("counts overdue and blocked tasks, and takes a milestone or its id", async () => {
    const tracker = await demo();
    const index = indexTracker(tracker, { today: TODAY });
    const m = index.milestoneFacts(tracker.milestone("m2")!);
    expect(m).toMatchObject({ total: 2, done: 1, open: 1, overdue: 1, blocked: 0, estimate: 2 });
    expect(index.milestoneFacts("m2")).toBe(m);
  });

  it("an empty or unknown milestone has nothing and no progress", async () => {
    const tracker = await demo();
    expect(indexTracker(tracker, { today: TODAY }).milestoneFacts("nope")).toEqual({
      total: 0,
      done: 0,
      open: 0,
      estimate: 0,
      doneEstimate: 0,
      progress: 0,
      overdue: 0,
      blocked: 0,
    });
  });
});

describe("indexTracker: lookups", () => {
  it("a team's tasks are its members' tasks and the tasks of the projects it owns", async () => {
    const tracker = await demo();
    const index = indexTracker(tracker, { today: TODAY });
    const appIds = tracker.tasks.filter((t) => t.project === "app").map((t) => t.id);
    // core owns app and has ana, who also works on SITE-1
    expect(ids(index.byTeam.get("core") ?? [])).toEqual([...appIds, "SITE-1"]);
    // web owns site and has ben, who works on APP-6
    expect(ids(index.byTeam.get("web") ?? [])).toEqual(["APP-6", "SITE-1", "SITE-2"]);
  });

  it("children, dependencies and what a task blocks, both ways", async () => {
    const tracker = await demo();
    const index = indexTracker(tracker, { today: TODAY });
    expect(ids(index.children("APP-1"))).toEqual(["APP-2", "APP-3"]);
    expect(ids(index.children("APP-2"))).toEqual([]);
    expect(ids(index.dependsOn("APP-4"))).toEqual(["APP-5"]);
    expect(ids(index.blocks("APP-5"))).toEqual(["APP-4", "APP-7"]);
    expect(ids(index.blocks("APP-2"))).toEqual(["APP-6"]);
    expect(ids(index.dependsOn("APP-5"))).toEqual([]);
    expect(ids(index.dependsOn("NOPE-1"))).toEqual([]);
    for (const t of tracker.tasks) {
      for (const d of index.dependsOn(t.id)) expect(index.blocks(d.id)).toContain(t);
      for (const c of index.children(t.id)) expect(c.parent).toBe(t.id);
    }
  });

  it("groups by assignee, status, project, milestone and the unassigned", async () => {
    const tracker = await demo();
    const index = indexTracker(tracker, { today: TODAY });
    expect(ids(index.byAssignee.get("ana") ?? [])).toEqual(["APP-1", "APP-4", "SITE-1"]);
    expect(index.byAssignee.get("cleo")).toBeUndefined();
    expect(ids(index.byStatus.get("doing") ?? [])).toEqual(["APP-1", "APP-4", "SITE-1"]);
    expect(ids(index.byProject.get("SITE") ?? [])).toEqual(["SITE-1", "SITE-2"]);
    expect(ids(index.byMilestone.get("m2") ?? [])).toEqual(["APP-5", "APP-7"]);
    expect(ids(index.unassigned)).toEqual(
      tracker.tasks.filter((t) => t.assignees.length === 0).map((t) => t.id),
    );
  });

  it("the updated day comes from the map of last changes, by file", async () => {
    const tracker = await demo();
    const app4 = tracker.task("APP-4")!;
    const index = indexTracker(tracker, {
      today: TODAY,
      updated: new Map([[app4.file, "2026-11-25"]]),
    });
    expect(index.hasHistory).toBe(true);
    expect(index.facts(app4).updated).toBe("2026-11-25");
    expect(index.facts(tracker.task("APP-5")!).updated).toBeUndefined();
    expect(indexTracker(tracker, { today: TODAY }).hasHistory).toBe(false);
  });
});

describe("indexTracker: caching", () => {
  it("returns the same index for the same tracker and day", async () => {
    const tracker = await demo();
    const a = indexTracker(tracker, { today: TODAY });
    expect(indexTracker(tracker, { today: TODAY })).toBe(a);
    expect(indexTracker(tracker, { today: "2026-11-28" })).not.toBe(a);
    expect(indexTracker(tracker, { today: "2026-11-28" })).toBe(
      indexTracker(tracker, { today: "2026-11-28" }),
    );
  });

  it("a different tracker snapshot gets its own index", async () => {
    const a = await demo();
    const b = await demo();
    expect(indexTracker(a, { today: TODAY })).not.toBe(indexTracker(b, { today: TODAY }));
  });

  it("an index built with a map of last changes is never reused for another map", async () => {
    const tracker = await demo();
    const app4 = tracker.task("APP-4")!;
    const first = indexTracker(tracker, {
      today: TODAY,
      updated: new Map([[app4.file, "2026-11-01"]]),
    });
    const second = indexTracker(tracker, {
      today: TODAY,
      updated: new Map([[app4.file, "2026-11-02"]]),
    });
    expect(first.facts(app4).updated).toBe("2026-11-01");
    expect(second.facts(app4).updated).toBe("2026-11-02");
    expect(indexTracker(tracker, { today: TODAY }).hasHistory).toBe(false);
  });

  it("with no day given, today is the tracker's today in its time zone", async () => {
    const tracker = await demo();
    const index = indexTracker(tracker);
    expect(index.today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(indexTracker(tracker, { today: index.today })).toBe(index);
  });
});
