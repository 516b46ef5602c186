import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTrackerHistory, workingTreeSettings } from "../../node/git.js";
import { runCli } from "../../test-support/cli.js";
import { git } from "../../test-support/git.js";
import type { TrackerHistory } from "../git/history.js";
import type { Settings } from "../model.js";
import { burnChart, cumulativeFlow, flowTimes, percentiles, throughput } from "./flow.js";

// A small plan built commit by commit, with every value below computed by hand:
//   11-02 10:00  WEB-1 (todo, 3 points) and WEB-2 (todo, 5 points) join milestone beta
//   11-03 10:00  WEB-1 → doing
//   11-05 10:00  WEB-1 → done
//   11-06 10:00  WEB-2 → doing; WEB-3 (todo, 2 points) joins beta: scope grows to 10
//   11-10 10:00  WEB-2 → done
const CONFIG = `version: 1
key: demo
name: Demo
timezone: UTC
workflow:
  statuses:
    - { id: todo, category: todo }
    - { id: doing, category: in-progress }
    - { id: done, category: done }
`;
const task = (id: string, status: string, estimate: number) =>
  `---\nid: ${id}\ntitle: Task ${id}\nstatus: ${status}\nestimate: ${estimate}\nmilestone: beta\n---\n`;

let dir = "";
let history: TrackerHistory;
let settings: Settings;

beforeAll(async () => {
  // one repository for the whole file (tempDir() folders only live for one test)
  dir = mkdtempSync(join(tmpdir(), "trackdown-reports-"));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  const commit = (day: string, message: string) => {
    const when = `2026-11-${day}T10:00:00Z`;
    git(dir, ["add", "-A"]);
    git(dir, ["commit", "-q", "-m", message], { GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when });
  };
  const move = (id: string, status: string) => {
    const file = join(dir, `projects/web/tasks/${id}.md`);
    writeFileSync(file, readFileSync(file, "utf8").replace(/^status: .*$/m, `status: ${status}`));
  };
  git(dir, ["init", "-q", "-b", "main"]);
  write("trackdown.yml", CONFIG);
  write("projects/web/project.md", "---\nkey: WEB\nname: Web\n---\n");
  write("projects/web/milestones/beta.md", "---\ntitle: Beta\n---\n");
  write("projects/web/tasks/WEB-1.md", task("WEB-1", "todo", 3));
  write("projects/web/tasks/WEB-2.md", task("WEB-2", "todo", 5));
  commit("02", "plan");
  move("WEB-1", "doing");
  commit("03", "start WEB-1");
  move("WEB-1", "done");
  commit("05", "finish WEB-1");
  move("WEB-2", "doing");
  write("projects/web/tasks/WEB-3.md", task("WEB-3", "todo", 2));
  commit("06", "start WEB-2, add WEB-3");
  move("WEB-2", "done");
  commit("10", "finish WEB-2");
  history = await loadTrackerHistory(dir);
  settings = workingTreeSettings(dir);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("flow reports from history", () => {
  it("cycle time runs from the first in-progress status to done; lead time from creation", () => {
    const times = flowTimes(history, settings);
    expect(times.map((t) => [t.task, t.cycleDays, t.leadDays, t.day])).toEqual([
      ["WEB-1", 2, 3, "2026-11-05"],
      ["WEB-2", 4, 8, "2026-11-10"],
    ]);
    expect(percentiles(times.map((t) => t.cycleDays!))).toEqual({ p50: 2, p85: 4, p95: 4 });
    expect(percentiles([])).toBeUndefined();
  });

  it("filters by project and by days", () => {
    expect(flowTimes(history, settings, { from: "2026-11-06" }).map((t) => t.task)).toEqual([
      "WEB-2",
    ]);
    expect(flowTimes(history, settings, { project: "OPS" })).toEqual([]);
    expect(throughput(history, settings, { from: "2026-11-06" })).toEqual([
      { week: "2026-11-09", finished: 1 },
    ]);
    const days = cumulativeFlow(history, settings, { from: "2026-11-06", to: "2026-11-07" });
    expect(days).toEqual([
      { day: "2026-11-06", counts: { todo: 1, doing: 1, done: 1 } },
      { day: "2026-11-07", counts: { todo: 1, doing: 1, done: 1 } },
    ]);
  });

  it("throughput counts finished tasks per ISO week, empty weeks included", () => {
    expect(throughput(history, settings)).toEqual([
      { week: "2026-11-02", finished: 1 },
      { week: "2026-11-09", finished: 1 },
    ]);
  });

  it("cumulative flow counts tasks per status at the end of each day", () => {
    const days = cumulativeFlow(history, settings);
    expect(days[0]).toEqual({ day: "2026-11-02", counts: { todo: 2, doing: 0, done: 0 } });
    expect(days.find((d) => d.day === "2026-11-06")).toEqual({
      day: "2026-11-06",
      counts: { todo: 1, doing: 1, done: 1 },
    });
    expect(days.at(-1)).toEqual({ day: "2026-11-10", counts: { todo: 1, doing: 0, done: 2 } });
    expect(days).toHaveLength(9);
  });

  it("burndown and burnup show scope growing when a task joins the milestone", () => {
    const points = burnChart(history, settings, "beta");
    const on = (day: string) => points.find((p) => p.day === day);
    expect(on("2026-11-02")).toEqual({ day: "2026-11-02", scope: 8, done: 0, remaining: 8 });
    expect(on("2026-11-05")).toEqual({ day: "2026-11-05", scope: 8, done: 3, remaining: 5 });
    expect(on("2026-11-06")).toEqual({ day: "2026-11-06", scope: 10, done: 3, remaining: 7 });
    expect(on("2026-11-10")).toEqual({ day: "2026-11-10", scope: 10, done: 8, remaining: 2 });
    expect(burnChart(history, settings, "beta", { by: "count" }).at(-1)).toMatchObject({
      scope: 3,
      done: 2,
      remaining: 1,
    });
    expect(burnChart(history, settings, "nope")).toEqual([]);
  });

  it("prints reports from the CLI as tables and JSON, with clear errors", async () => {
    const cycle = await runCli(["report", "cycle-time"], { cwd: dir });
    expect(cycle.code).toBe(0);
    expect(cycle.stdout).toContain("Cycle time (days): 50% 2 · 85% 4 · 95% 4");
    const burn = JSON.parse(
      (await runCli(["report", "burndown", "-m", "beta", "-f", "json"], { cwd: dir })).stdout,
    ) as {
      points: { day: string; remaining: number }[];
    };
    expect(burn.points.at(-1)).toMatchObject({ day: "2026-11-10", remaining: 2 });
    expect((await runCli(["report", "burndown"], { cwd: dir })).code).toBe(2);
    const bad = await runCli(["report", "throughput", "--from", "last week"], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--from "last week" is not a date');
    expect((await runCli(["report", "velocityy"], { cwd: dir })).stderr).toContain(
      'Unknown report "velocityy"',
    );
    expect((await runCli(["report", "burnup", "-m", "nope"], { cwd: dir })).code).toBe(1);
    // today 2026-11-12: one task finished in the only full week before (pace 1 a week), one
    // task left in beta → 7 days; WEB-3 was created on 11-06 and never started
    const env = { TRACKDOWN_TODAY: "2026-11-12" };
    const forecast = JSON.parse(
      (await runCli(["report", "forecast", "-f", "json"], { cwd: dir, env })).stdout,
    ) as {
      milestones: unknown[];
    };
    expect(forecast.milestones).toEqual([
      { milestone: "beta", total: 3, done: 2, remaining: 1, pace: 1, forecast: "2026-11-19" },
    ]);
    const age = JSON.parse(
      (await runCli(["report", "age", "-f", "json"], { cwd: dir, env })).stdout,
    ) as { tasks: unknown[] };
    const svg = await runCli(["report", "burndown", "-m", "beta", "-f", "svg"], { cwd: dir });
    expect(svg.stdout).toMatch(/^<svg /);
    expect(svg.stdout).toContain('aria-label="2026-11-10: 2"');
    expect((await runCli(["report", "timesheet", "-f", "svg"], { cwd: dir })).code).toBe(2);
    const scatter = (await runCli(["report", "cycle-time", "-f", "svg"], { cwd: dir })).stdout;
    expect(scatter.match(/<circle /g)?.length).toBeGreaterThan(0);
    expect(scatter).toContain(">85%: 4</text>");
    expect(scatter).toMatch(/aria-label="WEB-\d+, finished 2026-11-\d\d: \d+"/);
    expect(age.tasks).toEqual([
      { task: "WEB-3", status: "todo", since: "2026-11-06", days: 6, started: false },
    ]);
  });
});
