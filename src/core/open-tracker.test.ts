import { describe, expect, it } from "vitest";
import { openTracker } from "./open-tracker.js";
import { memorySource } from "./source.js";

const CONFIG = `version: 1
key: demo
name: Demo
workflow:
  statuses:
    - { id: todo, category: todo }
    - { id: doing, category: in-progress, wip_limit: 1, required: [assignees] }
    - { id: done, category: done }
`;

describe("openTracker", () => {
  it("loads a clean tracker with no diagnostics", async () => {
    const tracker = await openTracker(
      memorySource({
        "trackdown.yml": CONFIG,
        "people/ana.yml": "name: Ana\n",
        "projects/web/project.md": "---\nkey: WEB\nname: Web\n---\nAbout.\n",
        "projects/web/tasks/WEB-1-first.md":
          "---\nid: WEB-1\ntitle: First\nstatus: doing\nassignees: [ana]\n---\n- [x] one\n- [ ] two\n",
      }),
    );
    expect(tracker.diagnostics).toEqual([]);
    expect(tracker.tasks.map((t) => t.id)).toEqual(["WEB-1"]);
    expect(tracker.task("WEB-1")?.checklist).toEqual({ done: 1, total: 2 });
    expect(Object.isFrozen(tracker.tasks)).toBe(true);
  });
});
