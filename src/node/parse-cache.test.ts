import { readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { copyOfAcme } from "../test-support/temp.js";
import { loadTracker } from "./load.js";
import { CACHE_FORMAT } from "./parse-cache.js";

const HOUR_AGO = new Date(Date.now() - 3_600_000);
const TASK = "projects/web/tasks/WEB-16-signup-form-with-inline-validation.md";

/** A copy of acme whose files are old enough to be cached (the cache skips files edited in the last 2 s). */
function agedAcme(): string {
  const dir = copyOfAcme();
  for (const file of [TASK, "people/lena.yml", "trackdown.yml"])
    utimesSync(join(dir, file), HOUR_AGO, HOUR_AGO);
  return dir;
}

function snapshot(tracker: Awaited<ReturnType<typeof loadTracker>>) {
  return {
    tasks: tracker.tasks.map((t) => ({ ...t })),
    projects: tracker.projects.map((p) => ({ ...p })),
    milestones: tracker.milestones.map((m) => ({ ...m })),
    diagnostics: tracker.diagnostics,
  };
}

describe("the parse cache", () => {
  it("gives the same tracker, bodies included, from the cache as from the files", async () => {
    const dir = agedAcme();
    const cold = snapshot(await loadTracker(dir, { cache: false }));
    await loadTracker(dir); // writes the cache
    const warm = await loadTracker(dir);
    expect(snapshot(warm)).toEqual(cold);
    expect(warm.task("WEB-16")?.body).toContain("trial");
  });

  it("locates problems in unchanged, cached files when another file changes", async () => {
    const dir = agedAcme();
    await loadTracker(dir);
    rmSync(join(dir, "people", "lena.yml"));
    const tracker = await loadTracker(dir);
    const problem = tracker.diagnostics.find((d) => d.code === "TD201" && d.file === TASK);
    const line =
      readFileSync(join(dir, TASK), "utf8")
        .split("\n")
        .findIndex((l) => l.startsWith("assignees:")) + 1;
    expect(problem).toMatchObject({ line, column: 13 });
  });

  it("reads a file again when the cache's text file no longer matches its index", async () => {
    const dir = agedAcme();
    await loadTracker(dir);
    const textFile = join(dir, ".trackdown", "cache", `parse-v${CACHE_FORMAT}.txt`);
    const text = readFileSync(textFile, "utf8");
    // another run's text (a different id on its first line) is not trusted at all
    const lie = text.replace(/trial/g, "XXXXX");
    writeFileSync(textFile, `not-the-id\n${lie}`);
    const again = await loadTracker(dir);
    expect(again.task("WEB-16")?.body).toContain("trial");
  });

  it("reads the file itself when the text file is replaced after loading, before a body is read", async () => {
    const dir = agedAcme();
    await loadTracker(dir);
    const tracker = await loadTracker(dir); // bodies not loaded yet
    const textFile = join(dir, ".trackdown", "cache", `parse-v${CACHE_FORMAT}.txt`);
    writeFileSync(textFile, "another-run\nunrelated text");
    expect(tracker.task("WEB-16")?.body).toBe(
      readFileSync(join(dir, TASK), "utf8").split("\n---\n").slice(1).join("\n---\n"),
    );
  });

  it("does not trust files modified in the last moments (their stamp may not change on the next edit)", async () => {
    const dir = copyOfAcme();
    utimesSync(join(dir, "trackdown.yml"), HOUR_AGO, HOUR_AGO);
    await loadTracker(dir);
    const index = JSON.parse(
      readFileSync(join(dir, ".trackdown", "cache", `parse-v${CACHE_FORMAT}.json`), "utf8"),
    ) as {
      entries: Record<string, unknown>;
    };
    expect(Object.keys(index.entries)).toContain("trackdown.yml");
    expect(Object.keys(index.entries)).not.toContain(TASK);
  });
});
