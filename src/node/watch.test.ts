import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Diagnostic } from "../core/diagnostics/diagnostic.js";
import { copyOfAcme, tempDir } from "../test-support/temp.js";
import { loadTracker } from "./load.js";
import { isIgnoredPath, type TrackerWatch, type WatchBatch, watchTracker } from "./watch.js";

const TASK = "projects/web/tasks/WEB-12-homepage-hero-with-a-b-copy.md";
const WAIT_MS = 10_000;

/** A watch on a copy of the example, with its batches as they come. */
async function watching(tracker = copyOfAcme()) {
  const batches: WatchBatch[] = [];
  const errors: Error[] = [];
  const watch = await watchTracker(tracker, {
    debounceMs: 60,
    cache: false,
    onBatch: (batch) => {
      batches.push(batch);
    },
    onError: (error) => errors.push(error),
  });
  open.push(watch);
  const file = (path: string) => join(tracker, ...path.split("/"));
  return {
    tracker,
    watch,
    batches,
    errors,
    file,
    read: (path: string) => readFileSync(file(path), "utf8"),
    /** The next batch not yet taken (waits for it). */
    async next(): Promise<WatchBatch> {
      const deadline = Date.now() + WAIT_MS;
      while (batches.length === 0) {
        if (Date.now() > deadline) throw new Error("no batch came");
        await new Promise((r) => setTimeout(r, 10));
      }
      return batches.shift()!;
    },
  };
}

const open: TrackerWatch[] = [];
afterEach(async () => {
  for (const watch of open.splice(0)) await watch.close();
});

const brief = (list: readonly Diagnostic[]) => list.map((d) => `${d.file}:${d.line} ${d.code}`);

describe("isIgnoredPath", () => {
  it("ignores dot-files, dot-folders and editors' temporary, swap and backup files", () => {
    for (const path of [
      ".git/index",
      ".trackdown/cache/parse-v3.json",
      "people/.ana.yml.swp",
      "people/ana.yml~",
      "people/.#ana.yml",
      "people/#ana.yml#",
      "people/4913",
      "people/ana.yml.tmp",
      "node_modules/x/index.js",
    ])
      expect(isIgnoredPath(path), path).toBe(true);
    for (const path of ["people/ana.yml", "people/4913.yml", "files/WEB-1/notes.txt"])
      expect(isIgnoredPath(path), path).toBe(false);
  });
});

describe("watchTracker", () => {
  it("reports a saved mistake as new and its fix as gone, reading only that file", async () => {
    const w = await watching();
    const original = w.read(TASK);
    writeFileSync(w.file(TASK), original.replace("assignees: [lena]", "assignees: [lenna]"));
    const broken = await w.next();
    expect(broken.paths).toEqual([TASK]);
    expect(broken.delta.removed).toEqual([]);
    expect(brief(broken.delta.added)).toEqual([`${TASK}:6 TD201`]);
    expect(w.watch.check.lastWork).toMatchObject({ files: 1, records: 1, everything: false });
    expect(broken.timing.firstEvent).toBeLessThanOrEqual(broken.timing.settled);
    expect(broken.timing.settled).toBeLessThanOrEqual(broken.timing.checked);

    writeFileSync(w.file(TASK), original);
    const fixed = await w.next();
    expect(fixed.delta).toEqual({ added: [], removed: broken.delta.added });
    expect(w.errors).toEqual([]);
  });

  it("takes an editor's atomic save (temp file renamed over the original) as one change", async () => {
    const w = await watching();
    const text = w.read(TASK).replace("priority: high", "priority: hihg");
    // how editors and our own CLI save: a temp file beside the target, renamed over it
    writeFileSync(w.file(`${TASK}.tmp`), text);
    renameSync(w.file(`${TASK}.tmp`), w.file(TASK));
    const batch = await w.next();
    expect(batch.paths).toEqual([TASK]);
    expect(brief(batch.delta.added)).toEqual([`${TASK}:7 TD302`]);
  });

  it("takes vim's save (original renamed to a backup, new file written, backup deleted)", async () => {
    const w = await watching();
    const text = w.read(TASK);
    renameSync(w.file(TASK), w.file(`${TASK}~`));
    writeFileSync(w.file(TASK), text.replace("status: done", "status: dnoe"));
    rmSync(w.file(`${TASK}~`));
    const batch = await w.next();
    expect(batch.paths).toEqual([TASK]);
    expect(batch.delta.added.map((d) => d.code)).toEqual(["TD301"]);
    expect(batch.delta.removed).toEqual([]);
  });

  it("takes deletions, new folders and a burst of saves as settled batches", async () => {
    const w = await watching();
    rmSync(w.file("people/lena.yml"));
    const deleted = await w.next();
    expect(deleted.paths).toEqual(["people/lena.yml"]);
    expect(deleted.delta.added.length).toBeGreaterThan(0);
    expect(new Set(deleted.delta.added.map((d) => d.code))).toEqual(new Set(["TD201"]));

    // a new project folder with a task, and no project.md
    mkdirSync(w.file("projects/mobile/tasks"), { recursive: true });
    writeFileSync(
      w.file("projects/mobile/tasks/MOB-1-app.md"),
      "---\nid: MOB-1\ntitle: App\nstatus: todo\n---\n",
    );
    let batch = await w.next();
    while (!batch.paths.includes("projects/mobile/tasks/MOB-1-app.md")) batch = await w.next();
    expect(brief(batch.delta.added)).toEqual(["projects/mobile/tasks/MOB-1-app.md:2 TD216"]);

    // twenty saves at once: one batch (or, on a slow machine, a few), all seen
    const times = readdirTimeEntries(w.tracker).slice(0, 20);
    for (const path of times)
      writeFileSync(w.file(path), w.read(path).replace(/duration: .*/, "duration: 30h"));
    const seen = new Set<string>();
    let added = 0;
    while (seen.size < times.length) {
      const b = await w.next();
      for (const p of b.paths) seen.add(p);
      added += b.delta.added.filter((d) => d.code === "TD106").length;
    }
    expect([...seen].sort()).toEqual([...times].sort());
    expect(added).toBe(times.length);
  });

  it("says when trackdown.yml is deleted, keeps watching, and says when it is back", async () => {
    const w = await watching();
    const config = w.read("trackdown.yml");
    rmSync(w.file("trackdown.yml"));
    const gone = await w.next();
    expect(gone.config).toBe("missing");
    expect(brief(gone.delta.added)).toContain("trackdown.yml:1 TD020");
    expect(w.watch.check.configFile).toBeUndefined();

    writeFileSync(w.file("trackdown.yml"), config);
    const back = await w.next();
    expect(back.config).toBe("back");
    expect(brief(back.delta.removed)).toContain("trackdown.yml:1 TD020");
    expect(w.watch.check.diagnostics).toEqual([]);
  });

  it("ignores a temp file that comes and goes, and a file vanishing before it is read", async () => {
    const w = await watching();
    writeFileSync(w.file("people/.scratch.yml"), "name: [broken");
    writeFileSync(w.file("people/notes.tmp"), "x");
    rmSync(w.file("people/notes.tmp"));
    // a real file created and removed within one debounce: checked as gone, not unreadable
    writeFileSync(w.file("people/flash.yml"), "name: Flash\n");
    rmSync(w.file("people/flash.yml"));
    writeFileSync(w.file(TASK), w.read(TASK).replace("priority: high", "priority: urgent"));
    const batch = await w.next();
    expect(batch.paths).not.toContain("people/.scratch.yml");
    expect(batch.paths).not.toContain("people/notes.tmp");
    expect(batch.delta).toEqual({ added: [], removed: [] });
  });

  it("after a series of edits agrees with a fresh check of the folder, links included", async () => {
    const w = await watching();
    const outside = tempDir("trackdown-outside-");
    writeFileSync(join(outside, "secret.txt"), "not for the tracker");
    symlinkSync(join(outside, "secret.txt"), w.file("files/WEB-4/secret.txt"));
    await w.next();
    writeFileSync(
      w.file(TASK),
      w.read(TASK).replace("depends_on: [WEB-8]", "depends_on: [WEB-8, WEB-11]"),
    );
    await w.next();
    const parent = "projects/web/tasks/WEB-11-build-the-new-homepage.md";
    writeFileSync(w.file(parent), w.read(parent).replace("title:", "depends_on: [WEB-12]\ntitle:"));
    await w.next();
    renameSync(w.file("people/tom.yml"), w.file("people/thomas.yml"));
    while (w.watch.check.diagnostics.every((d) => !d.message.includes('"tom"'))) await w.next();

    const fresh = await loadTracker(w.tracker, { cache: false });
    expect(w.watch.check.diagnostics).toEqual(fresh.diagnostics);
    expect(fresh.diagnostics.map((d) => d.code)).toEqual(
      expect.arrayContaining(["TD007", "TD209", "TD201"]),
    );
  });
});

/** The first time entries of the example, in path order. */
function readdirTimeEntries(tracker: string): string[] {
  const month = "time/2026-10";
  return readdirSync(join(tracker, month))
    .sort()
    .map((name) => `${month}/${name}`);
}
