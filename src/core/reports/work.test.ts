import { describe, expect, it } from "vitest";
import { indexTracker } from "../index/tracker-index.js";
import { openTracker } from "../open-tracker.js";
import { memorySource } from "../source.js";
import { timesheet, velocity, workItemAge, workload } from "./work.js";

// Every figure below is computed by hand from these files.
const FILES = {
  "trackdown.yml":
    "version: 1\nkey: demo\nname: Demo\nworkflow:\n  statuses:\n    - { id: todo, category: todo }\n    - { id: doing, category: in-progress }\n    - { id: done, category: done }\n",
  "people/ana.yml": "name: Ana\ncapacity: 32\n",
  "people/ben.yml": "name: Ben\n",
  "people/old.yml": "name: Old\nactive: false\n",
  "projects/web/project.md": "---\nkey: WEB\nname: Web\n---\n",
  "projects/web/milestones/beta.md": "---\ntitle: Beta\n---\n",
  "projects/web/tasks/WEB-1.md":
    "---\nid: WEB-1\ntitle: One\nstatus: doing\nassignees: [ana, ben]\nestimate: 4\ncreated: 2026-11-01\n---\n",
  "projects/web/tasks/WEB-2.md":
    "---\nid: WEB-2\ntitle: Two\nstatus: todo\nassignees: [ben]\nestimate: 3\n---\n",
  "projects/web/tasks/WEB-3.md":
    "---\nid: WEB-3\ntitle: Three\nstatus: done\nassignees: [ana]\nestimate: 5\nmilestone: beta\n---\n",
  "time/2026-11/2026-11-02-ana-WEB-1-aaaa.yml":
    "person: ana\ntask: WEB-1\ndate: 2026-11-02\nduration: 1h\nbillable: true\n",
  "time/2026-11/2026-11-04-ana-WEB-1-bbbb.yml":
    "person: ana\ntask: WEB-1\ndate: 2026-11-04\nduration: 30m\n",
  "time/2026-11/2026-11-10-ben-WEB-2-cccc.yml":
    "person: ben\ntask: WEB-2\ndate: 2026-11-10\nduration: 45m\nbillable: true\n",
};

async function setup() {
  const tracker = await openTracker(memorySource(FILES));
  expect(tracker.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return { tracker, index: indexTracker(tracker, { today: "2026-11-12" }) };
}

describe("work reports on a snapshot", () => {
  it("timesheets split time by person and project per ISO week, billable apart", async () => {
    const { tracker } = await setup();
    const sheet = timesheet(tracker);
    expect(sheet.weeks).toEqual(["2026-11-02", "2026-11-09"]);
    expect(sheet.byPerson).toEqual({
      ana: { "2026-11-02": { minutes: 90, billable: 60 } },
      ben: { "2026-11-09": { minutes: 45, billable: 45 } },
    });
    expect(sheet.byProject).toEqual({
      WEB: {
        "2026-11-02": { minutes: 90, billable: 60 },
        "2026-11-09": { minutes: 45, billable: 45 },
      },
    });
    expect(sheet.byTask).toEqual({
      "WEB-1": { minutes: 90, billable: 60 },
      "WEB-2": { minutes: 45, billable: 45 },
    });
    expect(sheet.total).toEqual({ minutes: 135, billable: 105 });
    expect(timesheet(tracker, { from: "2026-11-03", to: "2026-11-09" }).total).toEqual({
      minutes: 30,
      billable: 0,
    });
  });

  it("workload splits shared estimates between assignees and shows capacity and recent hours", async () => {
    const { tracker, index } = await setup();
    expect(workload(tracker, index)).toEqual([
      { person: "ana", openTasks: 1, openEstimate: 2, capacity: 32, recentHoursPerWeek: 0.4 },
      { person: "ben", openTasks: 2, openEstimate: 5, recentHoursPerWeek: 0.2 },
    ]);
  });

  it("velocity counts the estimate of finished tasks per milestone", async () => {
    const { tracker, index } = await setup();
    expect(velocity(tracker, index)).toEqual([{ milestone: "beta", finished: 5, tasks: 1 }]);
  });

  it("work item age, without history, counts from the day a task was written down", async () => {
    const { tracker, index } = await setup();
    expect(workItemAge(tracker, index)).toEqual([
      { task: "WEB-1", status: "doing", since: "2026-11-01", days: 11, started: false },
    ]);
  });
});
