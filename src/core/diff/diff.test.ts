import { beforeAll, describe, expect, it } from "vitest";
import type { Tracker } from "../model.js";
import { openTracker } from "../open-tracker.js";
import { memorySource } from "../source.js";
import { type Change, type ChangeKind, changeRecord, diffTrackers } from "./diff.js";

// diffTrackers over small trackers held in memory: every change kind, with the field it
// points at in the newer file (the older one for removals), its values and its summary.

type Files = Readonly<Record<string, string>>;

const CONFIG = `version: 1
key: t
name: Diff test
timezone: Europe/Berlin
workflow:
  statuses:
    - id: todo
      name: To do
      category: todo
    - id: doing
      name: Doing
      category: in-progress
      wip_limit: 3
    - id: done
      name: Done
      category: done
priorities: [high, medium, low]
roles:
  lead:
    permissions: ["*"]
  admin:
    permissions: ["*"]
`;

const WEB_1 = "projects/web/tasks/WEB-1-checkout-page.md";
const WEB_2 = "projects/web/tasks/WEB-2-payment-provider.md";
const WEB_3 = "projects/web/tasks/WEB-3-order-emails.md";
const BETA = "projects/web/milestones/beta.md";
const TIME = "time/2026-11/2026-11-02-ana-WEB-1-k3x9.yml";

const BASE: Files = {
  "trackdown.yml": CONFIG,
  "people/ana.yml": "name: Ana Souza\nroles: [lead]\ncapacity: 32\n",
  "people/ben.yml": "name: Ben Okafor\n",
  "teams/web.yml": "name: Web\nlead: ana\nmembers: [ana]\n",
  "projects/web/project.md":
    "---\nkey: WEB\nname: Website\nstatus: active\nlead: ana\n---\n\nThe new website.\n",
  "projects/api/project.md": "---\nkey: API\nname: Public API\nstatus: active\n---\n\nVersion 2.\n",
  [BETA]:
    "---\ntitle: Public beta\nstatus: planned\nstart: 2026-11-02\ndue: 2026-12-04\n---\n\nWhat beta means.\n",
  [WEB_1]: `---
id: WEB-1
title: Checkout page
status: doing
assignees: [ana]
priority: high
estimate: 3
labels: [frontend]
milestone: beta
depends_on: [WEB-2]
start: 2026-11-02
due: 2026-11-20
created: 2026-10-28
attachments:
  - files/WEB-1/mockup.png
---

Totals with tax.

- [x] Totals
- [ ] Tax per country
`,
  [WEB_2]: "---\nid: WEB-2\ntitle: Payment provider\nstatus: todo\n---\n\nPick one.\n",
  [WEB_3]: "---\nid: WEB-3\ntitle: Order emails\nstatus: todo\n---\n\nSend a receipt.\n",
  "files/WEB-1/mockup.png": "png",
  "files/WEB-1/flow.png": "png",
  [TIME]: "person: ana\ntask: WEB-1\ndate: 2026-11-02\nduration: 1h30m\nnote: Totals\n",
};

const open = (files: Files): Promise<Tracker> => openTracker(memorySource(files));

let base: Tracker;
beforeAll(async () => {
  base = await open(BASE);
});

/** The changes from BASE to BASE with `edits` applied (`null` deletes a file). */
async function diffFrom(
  edits: Readonly<Record<string, string | null>>,
): Promise<{ changes: Change[]; after: Files }> {
  const after: Record<string, string> = { ...BASE };
  for (const [path, text] of Object.entries(edits)) {
    if (text === null) delete after[path];
    else after[path] = text;
  }
  return { changes: diffTrackers(base, await open(after)), after };
}

/** `BASE[path]` with `from` replaced by `to` (which must be there). */
function replaced(path: string, from: string, to: string): string {
  const text = BASE[path];
  if (text === undefined || !text.includes(from)) throw new Error(`"${from}" is not in ${path}`);
  return text.replace(from, to);
}

/** Line (1-based) of the first line of `text` starting with `start`, and the column after `start`. */
function where(text: string | undefined, start: string): { line: number; column: number } {
  const lines = (text ?? "").split("\n");
  const index = lines.findIndex((l) => l.startsWith(start));
  if (index === -1) throw new Error(`no line starts with "${start}"`);
  return { line: index + 1, column: start.length + 1 };
}

describe("diffTrackers", () => {
  it("finds nothing between a tracker and itself or an identical copy", async () => {
    expect(base.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(diffTrackers(base, base)).toEqual([]);
    expect(diffTrackers(base, await open({ ...BASE }))).toEqual([]);
  });

  it("ignores edits that change no value: comments, quoting, blank lines, list order", async () => {
    const { changes } = await diffFrom({
      [WEB_1]: replaced(WEB_1, "title: Checkout page", "# the page\ntitle: 'Checkout page'"),
      "teams/web.yml": "name: Web\n\nlead: ana   # for now\nmembers:\n  - ana\n",
      [WEB_2]: replaced(WEB_2, "status: todo", 'status: "todo"'),
    });
    expect(changes).toEqual([]);
    // a field the format does not know is not a plan change either
    const unknown = await diffFrom({
      [WEB_1]: replaced(WEB_1, "labels: [frontend]", "labels: [frontend]\nreviewer: ben"),
    });
    expect(unknown.changes).toEqual([]);
  });

  it("ignores keys written in another order (time entries, settings)", async () => {
    const { changes } = await diffFrom({
      [TIME]: "task: WEB-1\nperson: ana\nnote: Totals\nduration: 1h30m\ndate: 2026-11-02\n",
      "trackdown.yml": CONFIG.replace(
        "    - id: todo\n      name: To do\n",
        "    - name: To do\n      id: todo\n",
      ),
    });
    expect(changes).toEqual([]);
  });

  describe("tasks", () => {
    it("task.created: located at the new task's title, with its status", async () => {
      const path = "projects/web/tasks/WEB-4-search.md";
      const text = "---\nid: WEB-4\ntitle: Site search\nstatus: todo\n---\n";
      const { changes } = await diffFrom({ [path]: text });
      expect(changes).toEqual([
        {
          kind: "task.created",
          id: "WEB-4",
          file: path,
          ...where(text, "title: "),
          to: "todo",
          state: {
            status: "todo",
            assignees: [],
            milestone: null,
            estimate: null,
            priority: null,
            due: null,
            parent: null,
          },
          summary: "WEB-4 created in todo: Site search",
        },
      ]);
    });

    it("task.deleted: located at the start of the front matter in the older snapshot", async () => {
      const { changes } = await diffFrom({ [WEB_3]: null });
      expect(changes).toEqual([
        {
          kind: "task.deleted",
          id: "WEB-3",
          file: WEB_3,
          line: 2,
          column: 1,
          state: expect.objectContaining({ status: expect.any(String) }),
          summary: "WEB-3 deleted: Order emails",
        },
      ]);
    });

    it("task.renamed: the same id in a file with another name", async () => {
      const path = "projects/web/tasks/WEB-2-choose-a-payment-provider.md";
      const { changes } = await diffFrom({ [WEB_2]: null, [path]: BASE[WEB_2]! });
      expect(changes).toEqual([
        {
          kind: "task.renamed",
          id: "WEB-2",
          file: path,
          ...where(BASE[WEB_2], "id: "),
          from: WEB_2,
          to: path,
          summary: `WEB-2 renamed to ${path}`,
        },
      ]);
    });

    it("task.archived and task.restored: moved into archive/ and back", async () => {
      const archived = "projects/web/archive/WEB-3-order-emails.md";
      const { changes, after } = await diffFrom({ [WEB_3]: null, [archived]: BASE[WEB_3]! });
      expect(changes).toEqual([
        {
          kind: "task.archived",
          id: "WEB-3",
          file: archived,
          ...where(BASE[WEB_3], "id: "),
          from: WEB_3,
          to: archived,
          summary: "WEB-3 archived",
        },
      ]);
      const back = diffTrackers(await open(after), base);
      expect(back).toEqual([
        {
          kind: "task.restored",
          id: "WEB-3",
          file: WEB_3,
          ...where(BASE[WEB_3], "id: "),
          from: archived,
          to: WEB_3,
          summary: "WEB-3 restored from the archive",
        },
      ]);
    });

    it("task.moved: to another project under a new id, same title, with its field changes", async () => {
      const moved = "projects/api/tasks/API-1-order-emails.md";
      const text = "---\nid: API-1\ntitle: Order emails\nstatus: doing\n---\n\nSend a receipt.\n";
      const { changes } = await diffFrom({ [WEB_3]: null, [moved]: text });
      expect(changes).toEqual([
        {
          kind: "task.moved",
          id: "API-1",
          file: moved,
          ...where(text, "id: "),
          from: "WEB-3",
          to: "API-1",
          summary: "WEB-3 moved to project API as API-1",
        },
        {
          kind: "task.status",
          id: "API-1",
          file: moved,
          ...where(text, "status: "),
          from: "todo",
          to: "doing",
          summary: "API-1 moved from todo to doing",
        },
      ]);
      // another title in the same project is a deletion and a creation, not a move
      const other = await diffFrom({
        [WEB_3]: null,
        "projects/web/tasks/WEB-4-order-emails.md": BASE[WEB_3]!.replace("WEB-3", "WEB-4"),
      });
      expect(other.changes.map((c) => `${c.kind} ${c.id}`).sort()).toEqual([
        "task.created WEB-4",
        "task.deleted WEB-3",
      ]);
    });

    it("a task deleted and written again under the same id: its field changes", async () => {
      const text = "---\nid: WEB-2\ntitle: Stripe integration\nstatus: doing\n---\n\nUse Stripe.\n";
      const { changes } = await diffFrom({ [WEB_2]: text });
      expect(changes.map((c) => c.kind)).toEqual(["task.title", "task.status", "task.body"]);
      expect(changes[0]).toMatchObject({
        id: "WEB-2",
        file: WEB_2,
        ...where(text, "title: "),
        from: "Payment provider",
        to: "Stripe integration",
        summary: "WEB-2 retitled: Stripe integration",
      });
      expect(changes[1]).toMatchObject({ from: "todo", to: "doing", ...where(text, "status: ") });
    });

    interface FieldCase {
      readonly kind: ChangeKind;
      /** The line of WEB-1 to replace, and with what. */
      readonly from: string;
      readonly to: string;
      /** What the changed line starts with, up to the value. */
      readonly at: string;
      readonly values: Partial<Change>;
      readonly summary: string;
    }
    const FIELDS: FieldCase[] = [
      {
        kind: "task.title",
        from: "title: Checkout page",
        to: "title: Checkout page with tax",
        at: "title: ",
        values: { from: "Checkout page", to: "Checkout page with tax" },
        summary: "WEB-1 retitled: Checkout page with tax",
      },
      {
        kind: "task.status",
        from: "status: doing",
        to: "status: done",
        at: "status: ",
        values: { from: "doing", to: "done" },
        summary: "WEB-1 moved from doing to done",
      },
      {
        kind: "task.assignees",
        from: "assignees: [ana]",
        to: "assignees: [ben]",
        at: "assignees: ",
        values: { added: ["ben"], removed: ["ana"] },
        summary: "WEB-1 assignees: +ben -ana",
      },
      {
        kind: "task.priority",
        from: "priority: high",
        to: "priority: low",
        at: "priority: ",
        values: { from: "high", to: "low" },
        summary: "WEB-1 priority changed from high to low",
      },
      {
        kind: "task.estimate",
        from: "estimate: 3",
        to: "estimate: 5",
        at: "estimate: ",
        values: { from: 3, to: 5 },
        summary: "WEB-1 estimate changed from 3 to 5",
      },
      {
        kind: "task.milestone",
        from: "milestone: beta",
        to: "milestone: launch",
        at: "milestone: ",
        values: { from: "beta", to: "launch" },
        summary: "WEB-1 milestone changed from beta to launch",
      },
      {
        kind: "task.parent",
        from: "milestone: beta",
        to: "milestone: beta\nparent: WEB-3",
        at: "parent: ",
        values: { from: null, to: "WEB-3" },
        summary: "WEB-1 parent set to WEB-3",
      },
      {
        kind: "task.dependencies",
        from: "depends_on: [WEB-2]",
        to: "depends_on: [WEB-2, WEB-3]",
        at: "depends_on: ",
        values: { added: ["WEB-3"], removed: [] },
        summary: "WEB-1 dependencies: +WEB-3",
      },
      {
        kind: "task.labels",
        from: "labels: [frontend]",
        to: "labels: [frontend, bug]",
        at: "labels: ",
        values: { added: ["bug"], removed: [] },
        summary: "WEB-1 labels: +bug",
      },
      {
        kind: "task.start",
        from: "start: 2026-11-02",
        to: "start: 2026-11-04",
        at: "start: ",
        values: { from: "2026-11-02", to: "2026-11-04" },
        summary: "WEB-1 start changed from 2026-11-02 to 2026-11-04",
      },
      {
        kind: "task.due",
        from: "due: 2026-11-20",
        to: "due: 2026-11-27",
        at: "due: ",
        values: { from: "2026-11-20", to: "2026-11-27" },
        summary: "WEB-1 due changed from 2026-11-20 to 2026-11-27",
      },
      {
        kind: "task.attachments",
        from: "  - files/WEB-1/mockup.png",
        to: "  - files/WEB-1/flow.png",
        at: "attachments:",
        values: { added: ["files/WEB-1/flow.png"], removed: ["files/WEB-1/mockup.png"] },
        summary: "WEB-1 attachments: +files/WEB-1/flow.png -files/WEB-1/mockup.png",
      },
    ];

    it.each(FIELDS)("$kind: located at the field, with what it was and is", async (field) => {
      const text = replaced(WEB_1, field.from, field.to);
      const { changes } = await diffFrom({ [WEB_1]: text });
      const at = where(text, field.at);
      // a block value (attachments) starts on the line below its key
      const location = field.kind === "task.attachments" ? { line: at.line + 1, column: 3 } : at;
      expect(changes).toEqual([
        {
          kind: field.kind,
          id: "WEB-1",
          file: WEB_1,
          ...location,
          ...field.values,
          summary: field.summary,
        },
      ]);
    });

    it("a field removed: from the old value to null, located in the file that lost it", async () => {
      const text = replaced(WEB_1, "due: 2026-11-20\n", "");
      const { changes } = await diffFrom({ [WEB_1]: text });
      expect(changes).toHaveLength(1);
      expect(changes[0]).toMatchObject({
        kind: "task.due",
        id: "WEB-1",
        file: WEB_1,
        from: "2026-11-20",
        to: null,
        summary: "WEB-1 due removed (was 2026-11-20)",
      });
    });

    it("task.body: the checklist progress, located at the first changed line of the description", async () => {
      const text = replaced(WEB_1, "- [ ] Tax per country", "- [x] Tax per country");
      const { changes } = await diffFrom({ [WEB_1]: text });
      expect(changes).toEqual([
        {
          kind: "task.body",
          id: "WEB-1",
          file: WEB_1,
          ...where(text, "- [x] Tax"),
          column: 1,
          from: { done: 1, total: 2 },
          to: { done: 2, total: 2 },
          summary: "WEB-1 description edited (checklist 1/2 → 2/2)",
        },
      ]);
      const words = await diffFrom({ [WEB_1]: replaced(WEB_1, "Totals with tax.", "Totals.") });
      expect(words.changes).toHaveLength(1);
      expect(words.changes[0]).toMatchObject({
        kind: "task.body",
        summary: "WEB-1 description edited",
      });
    });

    it("many changes to one task, each located at its own field", async () => {
      const text = replaced(WEB_1, "status: doing", "status: done").replace(
        "priority: high",
        "priority: medium",
      );
      const { changes } = await diffFrom({ [WEB_1]: text });
      expect(changes.map((c) => [c.kind, c.line])).toEqual([
        ["task.status", where(text, "status: ").line],
        ["task.priority", where(text, "priority: ").line],
      ]);
    });
  });

  describe("milestones", () => {
    it("milestone.created and milestone.deleted", async () => {
      const path = "projects/web/milestones/launch.md";
      const text = "---\ntitle: Launch\nstatus: planned\ndue: 2027-01-15\n---\n";
      const created = await diffFrom({ [path]: text });
      expect(created.changes).toEqual([
        {
          kind: "milestone.created",
          id: "launch",
          file: path,
          ...where(text, "title: "),
          summary: "Milestone launch created: Launch",
        },
      ]);
      const deleted = await diffFrom({ [BETA]: null });
      expect(deleted.changes).toEqual([
        {
          kind: "milestone.deleted",
          id: "beta",
          file: BETA,
          line: 2,
          column: 1,
          summary: "Milestone beta deleted",
        },
      ]);
    });

    it("milestone.dates: the due date moved, with both dates before and after", async () => {
      const text = replaced(BETA, "due: 2026-12-04", "due: 2026-12-11");
      const { changes } = await diffFrom({ [BETA]: text });
      expect(changes).toEqual([
        {
          kind: "milestone.dates",
          id: "beta",
          file: BETA,
          ...where(text, "due: "),
          from: { start: "2026-11-02", due: "2026-12-04" },
          to: { start: "2026-11-02", due: "2026-12-11" },
          summary: "Milestone beta due date moved from 2026-12-04 to 2026-12-11",
        },
      ]);
      const start = await diffFrom({
        [BETA]: replaced(BETA, "start: 2026-11-02", "start: 2026-11-09"),
      });
      expect(start.changes).toHaveLength(1);
      expect(start.changes[0]).toMatchObject({
        kind: "milestone.dates",
        ...where(replaced(BETA, "start: 2026-11-02", "start: 2026-11-09"), "start: "),
        summary: "Milestone beta start moved from 2026-11-02 to 2026-11-09",
      });
    });

    it("milestone.changed: a field, located at it", async () => {
      const text = replaced(BETA, "status: planned", "status: active");
      const { changes } = await diffFrom({ [BETA]: text });
      expect(changes).toEqual([
        {
          kind: "milestone.changed",
          id: "beta",
          file: BETA,
          ...where(text, "status: "),
          from: "planned",
          to: "active",
          summary: "Milestone beta: status changed from planned to active",
        },
      ]);
    });

    it("milestone.changed: the description, located in it", async () => {
      const text = replaced(BETA, "What beta means.", "What beta means for customers.");
      const { changes } = await diffFrom({ [BETA]: text });
      expect(changes).toEqual([
        {
          kind: "milestone.changed",
          id: "beta",
          file: BETA,
          ...where(text, "What beta"),
          column: 1,
          summary: "Milestone beta: description edited",
        },
      ]);
    });
  });

  describe("projects, people, teams and settings", () => {
    it("project.created, project.deleted and project.changed", async () => {
      const path = "projects/ops/project.md";
      const text = "---\nkey: OPS\nname: Operations\nstatus: active\n---\n";
      expect((await diffFrom({ [path]: text })).changes).toEqual([
        {
          kind: "project.created",
          id: "OPS",
          file: path,
          ...where(text, "key: "),
          summary: "Project OPS created: Operations",
        },
      ]);
      expect((await diffFrom({ "projects/api/project.md": null })).changes).toEqual([
        {
          kind: "project.deleted",
          id: "API",
          file: "projects/api/project.md",
          line: 2,
          column: 1,
          summary: "Project API deleted",
        },
      ]);
      const changed = replaced("projects/web/project.md", "status: active", "status: paused");
      expect((await diffFrom({ "projects/web/project.md": changed })).changes).toEqual([
        {
          kind: "project.changed",
          id: "WEB",
          file: "projects/web/project.md",
          ...where(changed, "status: "),
          from: "active",
          to: "paused",
          summary: "Project WEB: status changed from active to paused",
        },
      ]);
    });

    it("person.added, person.removed and person.changed", async () => {
      const text = "name: Chloé Martin\n";
      expect((await diffFrom({ "people/chloe.yml": text })).changes).toEqual([
        {
          kind: "person.added",
          id: "chloe",
          file: "people/chloe.yml",
          line: 1,
          column: 7,
          summary: "Chloé Martin (chloe) joined",
        },
      ]);
      expect((await diffFrom({ "people/ben.yml": null })).changes).toEqual([
        {
          kind: "person.removed",
          id: "ben",
          file: "people/ben.yml",
          line: 1,
          column: 1,
          summary: "Ben Okafor (ben) removed",
        },
      ]);
      const changed = "name: Ana Souza\nroles: [lead, admin]\ncapacity: 32\n";
      expect((await diffFrom({ "people/ana.yml": changed })).changes).toEqual([
        {
          kind: "person.changed",
          id: "ana",
          file: "people/ana.yml",
          ...where(changed, "roles: "),
          from: ["lead"],
          to: ["lead", "admin"],
          summary: "Person ana: roles changed from lead to lead, admin",
        },
      ]);
      const added = "name: Ben Okafor\ncapacity: 24\n";
      expect((await diffFrom({ "people/ben.yml": added })).changes).toEqual([
        {
          kind: "person.changed",
          id: "ben",
          file: "people/ben.yml",
          ...where(added, "capacity: "),
          from: null,
          to: 24,
          summary: "Person ben: capacity set to 24",
        },
      ]);
    });

    it("team.added, team.removed and team.changed", async () => {
      const text = "name: Platform\nmembers: [ben]\n";
      expect((await diffFrom({ "teams/platform.yml": text })).changes).toEqual([
        {
          kind: "team.added",
          id: "platform",
          file: "teams/platform.yml",
          line: 1,
          column: 7,
          summary: "Team platform created",
        },
      ]);
      expect((await diffFrom({ "teams/web.yml": null })).changes).toEqual([
        {
          kind: "team.removed",
          id: "web",
          file: "teams/web.yml",
          line: 1,
          column: 1,
          summary: "Team web removed",
        },
      ]);
      const changed = "name: Web\nlead: ana\nmembers: [ana, ben]\n";
      expect((await diffFrom({ "teams/web.yml": changed })).changes).toEqual([
        {
          kind: "team.changed",
          id: "web",
          file: "teams/web.yml",
          ...where(changed, "members: "),
          from: ["ana"],
          to: ["ana", "ben"],
          summary: "Team web: members changed from ana to ana, ben",
        },
      ]);
    });

    it("config.changed: a status's WIP limit, named by its key, with the values before and after", async () => {
      const text = CONFIG.replace("wip_limit: 3", "wip_limit: 4");
      const { changes } = await diffFrom({ "trackdown.yml": text });
      expect(changes).toHaveLength(1);
      const [change] = changes;
      expect(change).toMatchObject({
        kind: "config.changed",
        id: "workflow",
        file: "trackdown.yml",
      });
      expect(changeRecord(change!)).toBe("config");
      type Workflow = { statuses: { id: string; wip_limit?: number }[] };
      const limit = (w: unknown) =>
        (w as Workflow).statuses.find((s) => s.id === "doing")?.wip_limit;
      expect(limit(change?.from)).toBe(3);
      expect(limit(change?.to)).toBe(4);
      // the summary names the field that changed, deep inside the workflow
      expect(change?.summary).toBe(
        "trackdown.yml: workflow.statuses[1].wip_limit changed from 3 to 4",
      );
    });

    it("config.changed: a nested setting's summary is readable", async () => {
      const { changes } = await diffFrom({
        "trackdown.yml": CONFIG.replace("wip_limit: 3", "wip_limit: 4"),
      });
      // never JavaScript's "[object Object]"
      expect(changes[0]?.summary).not.toContain("[object");
    });

    it("config.changed: a nested setting is located at the value that changed", async () => {
      const text = CONFIG.replace("wip_limit: 3", "wip_limit: 4");
      const { changes } = await diffFrom({ "trackdown.yml": text });
      // the line of the limit, not the top of the workflow block
      expect({ line: changes[0]?.line, column: changes[0]?.column }).toEqual(
        where(text, "      wip_limit: "),
      );
    });

    it("config.changed: a top-level setting", async () => {
      const text = CONFIG.replace("priorities: [high, medium, low]", "priorities: [high, low]");
      const { changes } = await diffFrom({ "trackdown.yml": text });
      expect(changes).toEqual([
        {
          kind: "config.changed",
          id: "priorities",
          file: "trackdown.yml",
          ...where(text, "priorities: "),
          from: ["high", "medium", "low"],
          to: ["high", "low"],
          summary: "trackdown.yml: priorities changed from high, medium, low to high, low",
        },
      ]);
    });

    it("config.changed: a settings file written or removed is one change, not one per key", async () => {
      const withoutConfig: Record<string, string> = { ...BASE };
      delete withoutConfig["trackdown.yml"];
      const created = { changes: diffTrackers(await open(withoutConfig), base) };
      expect(created.changes.filter((c) => c.kind === "config.changed")).toEqual([
        expect.objectContaining({
          id: "trackdown.yml",
          file: "trackdown.yml",
          line: 1,
          from: null,
          summary: "trackdown.yml created",
        }),
      ]);
      const removed = await diffFrom({ "trackdown.yml": null });
      expect(removed.changes.filter((c) => c.kind === "config.changed")).toEqual([
        expect.objectContaining({ to: null, summary: "trackdown.yml removed: the defaults apply" }),
      ]);
    });
  });

  describe("time", () => {
    it("time.logged: who, which task, how many minutes", async () => {
      const path = "time/2026-11/2026-11-03-ben-WEB-2-a1b2.yml";
      const text = "person: ben\ntask: WEB-2\ndate: 2026-11-03\nduration: 45m\n";
      expect((await diffFrom({ [path]: text })).changes).toEqual([
        {
          kind: "time.logged",
          id: "2026-11-03-ben-WEB-2-a1b2",
          file: path,
          ...where(text, "duration: "),
          person: "ben",
          task: "WEB-2",
          minutes: 45,
          summary: "ben logged 45m on WEB-2 (2026-11-03)",
        },
      ]);
    });

    it("time.edited: the duration, with minutes before and after", async () => {
      const text = replaced(TIME, "duration: 1h30m", "duration: 2h");
      expect((await diffFrom({ [TIME]: text })).changes).toEqual([
        {
          kind: "time.edited",
          id: "2026-11-02-ana-WEB-1-k3x9",
          file: TIME,
          ...where(text, "duration: "),
          person: "ana",
          task: "WEB-1",
          minutes: 120,
          from: 90,
          to: 120,
          summary: "ana's time on WEB-1 (2026-11-02) edited: 1h30m → 2h",
        },
      ]);
      const note = replaced(TIME, "note: Totals", "note: Totals and tax");
      const edited = (await diffFrom({ [TIME]: note })).changes;
      expect(edited).toHaveLength(1);
      expect(edited[0]).toMatchObject({
        kind: "time.edited",
        ...where(note, "note: "),
        from: 90,
        to: 90,
        summary: "ana's time on WEB-1 (2026-11-02) edited",
      });
    });

    it("time.removed: located in the older snapshot", async () => {
      expect((await diffFrom({ [TIME]: null })).changes).toEqual([
        {
          kind: "time.removed",
          id: "2026-11-02-ana-WEB-1-k3x9",
          file: TIME,
          line: 1,
          column: 1,
          person: "ana",
          task: "WEB-1",
          minutes: 90,
          summary: "ana's 1h30m on WEB-1 (2026-11-02) removed",
        },
      ]);
    });
  });

  describe("order", () => {
    it("groups changes by record (tasks, milestones, projects, people, teams, settings, time)", async () => {
      const { changes } = await diffFrom({
        [TIME]: null,
        "teams/web.yml": "name: Web team\nlead: ana\nmembers: [ana]\n",
        "people/ben.yml": null,
        "trackdown.yml": CONFIG.replace("name: Diff test", "name: Diff"),
        "projects/web/project.md": replaced("projects/web/project.md", "Website", "Web"),
        [BETA]: replaced(BETA, "planned", "active"),
        [WEB_2]: replaced(WEB_2, "status: todo", "status: doing"),
      });
      expect(changes.map(changeRecord)).toEqual([
        "task",
        "milestone",
        "project",
        "person",
        "team",
        "config",
        "time",
      ]);
    });

    it("orders changes within a record by id", async () => {
      const { changes } = await diffFrom({
        [WEB_1]: replaced(WEB_1, "status: doing", "status: done"),
        [WEB_2]: null,
        "projects/web/tasks/WEB-4-search.md": "---\nid: WEB-4\ntitle: Search\nstatus: todo\n---\n",
        "people/ben.yml": "name: Ben Okafor\ncapacity: 30\n",
        "people/ana.yml": null,
        "people/abe.yml": "name: Abe\n",
      });
      expect(changes.map((c) => `${c.kind} ${c.id}`)).toEqual([
        "task.status WEB-1",
        "task.deleted WEB-2",
        "task.created WEB-4",
        "person.added abe",
        "person.removed ana",
        "person.changed ben",
      ]);
    });
  });
});
