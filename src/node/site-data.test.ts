import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ageFiles, copyOfAcme } from "../test-support/temp.js";
import { loadTracker } from "./load.js";
import { type PrepareMessage, prepareSite, renderTaskBody } from "./site-data.js";

describe("prepareSite", () => {
  it("warms the parse cache, says so, then posts every task's body as the site renders it", async () => {
    const root = copyOfAcme();
    // files written this very second are never cached (their next change could keep the
    // same time stamp): the copy is dated an hour back, like a checkout
    ageFiles(root);
    const messages: PrepareMessage[] = [];
    await prepareSite({ root, base: "/acme/" }, (m) => messages.push(m));
    expect(messages.map((m) => m.kind)).toEqual(["ready", "bodies"]);
    expect(readdirSync(join(root, ".trackdown", "cache")).length).toBeGreaterThan(0);

    const tracker = await loadTracker(root);
    const last = messages[1];
    if (last?.kind !== "bodies") throw new Error("no bodies");
    const all = [...tracker.tasks, ...tracker.archivedTasks];
    expect([...last.bodies.keys()].sort()).toEqual(all.map((t) => t.id).sort());
    for (const task of all) {
      const prepared = last.bodies.get(task.id);
      expect(prepared?.source).toBe(task.body);
      expect(prepared?.rendered).toEqual(renderTaskBody(tracker, task, "/acme/"));
    }
    // links to other tasks point under the base
    const linking = all.find((t) =>
      last.bodies.get(t.id)?.rendered.html.includes('href="/acme/tasks/'),
    );
    expect(linking).toBeDefined();
  });

  it("posts ready even when the tracker is not in a git repository (no history to warm)", async () => {
    const root = copyOfAcme();
    expect(existsSync(join(root, ".git"))).toBe(false);
    const kinds: string[] = [];
    await prepareSite({ root, base: "/" }, (m) => kinds.push(m.kind));
    expect(kinds).toEqual(["ready", "bodies"]);
  });
});
