import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { loadTracker } from "../../node/load.js";
import { ACME } from "../../test-support/temp.js";
import type { Task, Tracker } from "../model.js";
import { openTracker } from "../open-tracker.js";
import { memorySource } from "../source.js";
import { loadSearchIndex, search, searchIndexFor } from "./search-index.js";

let acme: Tracker;
beforeAll(async () => {
  acme = await loadTracker(ACME, { cache: false });
});

const ALL = { limit: Number.MAX_SAFE_INTEGER };
const ids = (hits: readonly { task: Task }[]) => hits.map((h) => h.task.id);

/** Tasks whose id, title, labels or body hold a word starting with `prefix` (case-insensitive). */
function withWordStarting(tracker: Tracker, prefix: string): string[] {
  const word = new RegExp(`(^|[^\\p{L}\\p{N}])${prefix}`, "iu");
  return [...tracker.tasks, ...tracker.archivedTasks]
    .filter((t) => [t.id, t.title, t.labels.join(" "), t.body].some((f) => word.test(f)))
    .map((t) => t.id);
}

describe("search on the example tracker", () => {
  it("an exact task id comes first, in any case", () => {
    for (const text of ["API-4", "api-4", " WEB-12 "]) {
      const hits = search(acme, text, ALL);
      expect(hits[0]!.task.id).toBe(text.trim().toUpperCase());
      expect(hits[0]!.fields).toContain("id");
    }
  });

  it("an exact title comes first", () => {
    for (const t of acme.tasks) expect(search(acme, t.title)[0]!.task).toBe(t);
  });

  it("finds a word that only appears in a body, and says so", () => {
    const hits = search(acme, "Redis", ALL);
    expect(ids(hits)).toContain("API-4");
    const api4 = hits.find((h) => h.task.id === "API-4")!;
    expect(api4.fields).toEqual(["body"]);
    expect(api4.terms).toContain("redis");
  });

  it("finds words by their beginning", () => {
    const hits = search(acme, "pagina", ALL);
    expect(ids(hits).sort()).toEqual(withWordStarting(acme, "pagina").sort());
    expect(hits[0]!.task.id).toBe("API-5"); // "pagination" in its title
    expect(hits[0]!.terms).toEqual(["pagination"]);
  });

  it("forgives a typo: a misspelt word finds what the right one finds", () => {
    const right = ids(search(acme, "terraform", ALL));
    expect(right).toContain("OPS-1");
    expect(ids(search(acme, "terrafrom", ALL))).toEqual(right);
  });

  it("reports which fields matched, most important first", () => {
    const homepage = search(acme, "homepage", ALL);
    expect(homepage.find((h) => h.task.id === "WEB-4")!.fields).toEqual(["title", "body"]);
    const a11y = search(acme, "a11y", ALL);
    expect(ids(a11y).sort()).toEqual(
      acme.tasks
        .filter((t) => t.labels.includes("a11y"))
        .map((t) => t.id)
        .sort(),
    );
    for (const h of a11y) expect(h.fields).toContain("labels");
  });

  it("requires every word by default, and any word when asked", () => {
    const webhook = ids(search(acme, "webhook", ALL));
    const pricing = ids(search(acme, "pricing", ALL));
    const both = ids(search(acme, "webhook pricing", ALL));
    expect(both.sort()).toEqual(webhook.filter((id) => pricing.includes(id)).sort());
    const either = ids(search(acme, "webhook pricing", { ...ALL, combine: "or" }));
    expect(either.sort()).toEqual([...new Set([...webhook, ...pricing])].sort());
    expect(either.length).toBeGreaterThan(both.length);
  });

  it("gives at most `limit` hits, 50 by default, best first", () => {
    const hits = search(acme, "the", ALL);
    expect(hits.length).toBeGreaterThan(3);
    expect(search(acme, "the", { limit: 3 })).toEqual(hits.slice(0, 3));
    for (let i = 1; i < hits.length; i++)
      expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
    expect(search(acme, "a e i o u", { combine: "or" }).length).toBeLessThanOrEqual(50);
  });

  it("archived tasks are searchable", () => {
    expect(ids(search(acme, "GraphQL", ALL))).toEqual(["API-7"]);
    expect(search(acme, "API-7")[0]!.task.archived).toBe(true);
    expect(searchIndexFor(acme).documentCount).toBe(acme.tasks.length + acme.archivedTasks.length);
  });

  it("an index saved as JSON and loaded again answers the same", () => {
    const json = searchIndexFor(acme).toJSON();
    const loaded = loadSearchIndex(json, acme);
    expect(loaded.documentCount).toBe(searchIndexFor(acme).documentCount);
    for (const text of ["homepage", "webhok", "API-4", "Cookie consent banner", "pagina", "x"]) {
      const a = searchIndexFor(acme).search(text, ALL);
      const b = loaded.search(text, ALL);
      expect(b.map((h) => [h.task, h.score, h.fields])).toEqual(
        a.map((h) => [h.task, h.score, h.fields]),
      );
    }
  });

  it("is built once per tracker snapshot", () => {
    expect(searchIndexFor(acme)).toBe(searchIndexFor(acme));
  });

  it("empty text, spaces and punctuation find nothing and never throw", () => {
    expect(search(acme, "")).toEqual([]);
    expect(search(acme, "   \t")).toEqual([]);
    for (const text of [".*", "+?", "[](){}", "^$|\\", ".*+?[](){}^$|\\", "(", "\\"])
      expect(() => search(acme, text)).not.toThrow();
  });

  it("random text never throws", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (text) => {
        const hits = search(acme, text, { limit: 5 });
        expect(hits.length).toBeLessThanOrEqual(5);
      }),
      { numRuns: 300 },
    );
  });
});

describe("search ranking", () => {
  it("an exact title beats a task that repeats the word everywhere", async () => {
    const tracker = await openTracker(
      memorySource({
        "trackdown.yml":
          "version: 1\nkey: d\nname: D\nworkflow:\n  statuses:\n    - { id: todo, category: todo }\n",
        "projects/app/project.md": "---\nkey: APP\nname: App\n---\n",
        "projects/app/tasks/APP-1.md": "---\nid: APP-1\ntitle: Deploy\nstatus: todo\n---\nShip.\n",
        "projects/app/tasks/APP-2.md":
          "---\nid: APP-2\ntitle: Deploy deploy deploy\nstatus: todo\nlabels: [deploy]\n---\nDeploy the deploy.\n",
      }),
    );
    expect(ids(search(tracker, "deploy"))).toEqual(["APP-1", "APP-2"]);
    expect(ids(search(tracker, "DEPLOY"))).toEqual(["APP-1", "APP-2"]);
    // without an exact title, the task with more matches ranks first
    expect(ids(search(tracker, "depl"))).toEqual(["APP-2", "APP-1"]);
  });

  it("an exact id comes first even when no word of it matches otherwise", async () => {
    const tracker = await openTracker(
      memorySource({
        "trackdown.yml":
          "version: 1\nkey: d\nname: D\nworkflow:\n  statuses:\n    - { id: todo, category: todo }\n",
        "projects/app/project.md": "---\nkey: APP\nname: App\n---\n",
        "projects/app/tasks/APP-1.md":
          "---\nid: APP-1\ntitle: First\nstatus: todo\n---\nMentions APP-2 and APP-2 again.\n",
        "projects/app/tasks/APP-2.md": "---\nid: APP-2\ntitle: Second\nstatus: todo\n---\n",
      }),
    );
    expect(search(tracker, "APP-2")[0]!.task.id).toBe("APP-2");
  });
});
