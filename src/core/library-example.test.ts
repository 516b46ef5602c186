import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadTracker } from "../node/load.js";
import { ACME, REPO_ROOT } from "../test-support/temp.js";
import { daysBetween } from "./dates.js";
import { indexTracker } from "./index/tracker-index.js";
import type { Task, Tracker } from "./model.js";
import { query } from "./query/query.js";

// The example imports "trackdown/node", i.e. dist/: `npm test` builds it first (pretest).
const EXAMPLE = join(REPO_ROOT, "examples", "library", "overdue-report.mjs");
const TODAY = "2026-11-27";

/** Runs the example like a user would, from the repository's root. */
function runExample(...args: string[]) {
  const r = spawnSync(process.execPath, [EXAMPLE, ...args], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The report's per-person part: heading line → the task lines under it. */
function sections(stdout: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of stdout.split("\n").slice(2)) {
    if (line === "Milestones") break;
    if (line.startsWith("  ")) current?.push(line);
    else if (line !== "") {
      current = [];
      out.set(line, current);
    }
  }
  return out;
}

function ids(tasks: readonly Task[]): string[] {
  return tasks.map((t) => t.id).sort();
}

describe("examples/library/overdue-report.mjs", () => {
  let tracker: Tracker;
  let overdue: readonly Task[];
  let blocked: readonly Task[];
  let run: ReturnType<typeof runExample>;

  beforeAll(async () => {
    tracker = await loadTracker(ACME, { cache: false });
    overdue = query(tracker, "is:overdue", { today: TODAY }).tasks;
    blocked = query(tracker, "is:blocked", { today: TODAY }).tasks;
    run = runExample("examples/acme", "--today", TODAY);
  });

  it("runs on examples/acme through the package's own name (trackdown/node)", () => {
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout.split("\n")[0]).toBe(
      `Acme product team: overdue and blocked work on ${TODAY}`,
    );
  });

  it("names every overdue task under each of its assignees, with how late it is", () => {
    expect(overdue.length).toBeGreaterThan(0);
    const byHeading = sections(run.stdout);
    for (const task of overdue) {
      const late = daysBetween(task.due!, TODAY);
      expect(late).toBeGreaterThan(0);
      const expected = `${late} ${late === 1 ? "day" : "days"} late (due ${task.due})`;
      const owners = task.assignees.length > 0 ? task.assignees : [""];
      for (const owner of owners) {
        const heading =
          owner === ""
            ? [...byHeading.keys()].find((h) => h.startsWith("Unassigned:"))
            : [...byHeading.keys()].find((h) =>
                h.startsWith(`${tracker.person(owner)!.name} (${owner}):`),
              );
        expect(heading, `a section for ${owner || "unassigned"}`).toBeDefined();
        const line = byHeading.get(heading!)!.find((l) => l.trimStart().startsWith(`${task.id} `));
        expect(line, `${task.id} under ${heading}`).toBeDefined();
        expect(line).toContain(task.title);
        expect(line).toContain(expected);
      }
    }
  });

  it("lists exactly the overdue and blocked tasks, blocked ones with their blockers", () => {
    const listed = new Set<string>();
    for (const lines of sections(run.stdout).values())
      for (const line of lines) listed.add(line.trim().split(" ")[0]!);
    expect([...listed].sort()).toEqual([...new Set([...ids(overdue), ...ids(blocked)])].sort());
    const index = indexTracker(tracker, { today: TODAY });
    for (const task of blocked) {
      expect(run.stdout).toContain(`blocked by ${index.facts(task).blockers.join(", ")}`);
    }
  });

  it("shows the progress of every milestone", () => {
    const index = indexTracker(tracker, { today: TODAY });
    const part = run.stdout.slice(run.stdout.indexOf("\nMilestones\n"));
    expect(tracker.milestones.length).toBeGreaterThan(0);
    for (const m of tracker.milestones) {
      const facts = index.milestoneFacts(m);
      const line = part.split("\n").find((l) => l.includes(` ${m.title} `));
      expect(line, m.title).toBeDefined();
      expect(line).toContain(`${Math.round(facts.progress * 100)}%`);
      expect(line).toContain(`${facts.done}/${facts.total} tasks done`);
    }
  });

  it("refuses a malformed --today", () => {
    const bad = runExample("examples/acme", "--today", "2026-13-01");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--today wants a date like 2026-11-27");
  });
});
