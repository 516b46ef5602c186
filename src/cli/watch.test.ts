import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { capturedIO, runCli } from "../test-support/cli.js";
import { copyOfAcme, REPO_ROOT, tempDir } from "../test-support/temp.js";
import { runWatch, type WatchCommandOptions } from "./commands/watch.js";

const TASK = "projects/web/tasks/WEB-12-homepage-hero-with-a-b-copy.md";
const WAIT_MS = 10_000;
const TIME = "\\d\\d:\\d\\d:\\d\\d";

/** `trackdown watch` running in-process in a tracker folder, its output captured. */
function startWatch(tracker: string, options: WatchCommandOptions = {}) {
  const stop = new AbortController();
  const captured = capturedIO(tracker);
  const exit = runWatch(captured.io, { debounceMs: 60, ...options }, stop.signal);
  /** Waits until stdout has grown by output that matches, and returns that new output. */
  let seen = 0;
  const next = async (pattern: RegExp): Promise<string> => {
    const deadline = Date.now() + WAIT_MS;
    while (!pattern.test(captured.stdout().slice(seen))) {
      if (Date.now() > deadline)
        throw new Error(`no ${pattern} in:\n${captured.stdout().slice(seen)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const out = captured.stdout().slice(seen);
    seen = captured.stdout().length;
    return out;
  };
  return {
    next,
    stderr: () => captured.stderr(),
    file: (path: string) => join(tracker, ...path.split("/")),
    async stop(): Promise<number> {
      stop.abort();
      return exit;
    },
  };
}

function edit(tracker: string, file: string, from: string, to: string): void {
  const full = join(tracker, ...file.split("/"));
  const text = readFileSync(full, "utf8");
  expect(text).toContain(from);
  writeFileSync(full, text.replace(from, to));
}

describe("trackdown watch", () => {
  it("starts with what check prints, then prints only new and fixed problems", async () => {
    const tracker = copyOfAcme();
    edit(tracker, TASK, "assignees: [lena]", "assignees: [lena, nobody]");
    const check = await runCli(["check"], { cwd: tracker });
    const watch = startWatch(tracker);
    expect(await watch.next(/in \d+ tasks\.\n$/)).toBe(check.stdout);
    expect(watch.stderr()).toBe("Watching . for changes (Ctrl-C to stop).\n");

    edit(tracker, TASK, "priority: high", "priority: hihg");
    expect(await watch.next(/new\)\n$/)).toMatch(
      new RegExp(
        `^${TASK}:7:11 error TD302 "hihg" is not one of this tracker's priorities\\.\n` +
          `  hint: Did you mean "high"\\?\n` +
          `${TIME} 2 errors, 0 warnings \\(1 new\\)\n$`,
      ),
    );

    edit(tracker, TASK, "assignees: [lena, nobody]", "assignees: [lena]");
    expect(await watch.next(/fixed\)\n$/)).toMatch(
      new RegExp(
        `^fixed: ${TASK}:6:19 error TD201 "nobody" is not a person in people/\\.\n` +
          `${TIME} 1 error, 0 warnings \\(1 fixed\\)\n$`,
      ),
    );

    // a change that changes no problem, and lines added above a problem (it only moved)
    edit(tracker, TASK, "title: Homepage hero", "title: The homepage hero");
    expect(await watch.next(/problems\n$/)).toMatch(
      new RegExp(`^${TIME} no change in problems\n$`),
    );
    edit(tracker, TASK, "id: WEB-12", "# a comment\nid: WEB-12");
    expect(await watch.next(/problems\n$/)).toMatch(
      new RegExp(`^${TIME} no change in problems\n$`),
    );

    expect(await watch.stop()).toBe(0);
  });

  it("with --format json prints one object a line: the start, then each batch", async () => {
    const tracker = copyOfAcme();
    const watch = startWatch(tracker, { format: "json" });
    const start = JSON.parse(await watch.next(/\n$/));
    expect(start).toEqual({ added: [], removed: [], errors: 0, warnings: 0, files: [] });

    edit(tracker, TASK, "priority: high", "priority: hihg");
    const line = await watch.next(/\n$/);
    expect(line.split("\n")).toHaveLength(2);
    const batch = JSON.parse(line);
    expect(batch).toMatchObject({ removed: [], errors: 1, warnings: 0, files: [TASK] });
    expect(batch.added).toEqual([
      expect.objectContaining({ code: "TD302", file: TASK, line: 7, column: 11 }),
    ]);

    // in JSON a problem that moved is gone at its old place and new at its new one
    edit(tracker, TASK, "id: WEB-12", "# a comment\nid: WEB-12");
    const moved = JSON.parse(await watch.next(/\n$/));
    expect(moved.removed).toEqual([expect.objectContaining({ code: "TD302", line: 7 })]);
    expect(moved.added).toEqual([expect.objectContaining({ code: "TD302", line: 8 })]);
    expect(await watch.stop()).toBe(0);
  });

  it("says when trackdown.yml is deleted and keeps watching", async () => {
    const tracker = copyOfAcme();
    const watch = startWatch(tracker);
    await watch.next(/no problems\.\n$/);
    const config = readFileSync(watch.file("trackdown.yml"));
    rmSync(watch.file("trackdown.yml"));
    const gone = await watch.next(/new\)\n$/);
    expect(gone).toMatch(
      /^trackdown\.yml is gone: checking with the default workflow until it is back\.\n/,
    );
    expect(gone).toContain("trackdown.yml:1:1 error TD020 The tracker has no trackdown.yml");
    // without its roles, the people and teams that hold them are wrong too
    expect(gone).toMatch(new RegExp(`\n${TIME} 6 errors, 0 warnings \\(6 new\\)\n$`));
    writeFileSync(watch.file("trackdown.yml"), config);
    const back = await watch.next(/fixed\)\n$/);
    expect(back).toContain("fixed: trackdown.yml:1:1 error TD020");
    expect(back).toMatch(new RegExp(`\n${TIME} 0 errors, 0 warnings \\(6 fixed\\)\n$`));
    expect(await watch.stop()).toBe(0);
  });

  it("fails like check when there is no tracker", async () => {
    const empty = tempDir();
    const run = runWatch(
      { cwd: empty, env: {}, stdout: { write: () => {} }, stderr: { write: () => {} } },
      {},
      AbortSignal.abort(),
    );
    await expect(run).rejects.toThrow(/No tracker found/);
  });
});

const BUILT = join(REPO_ROOT, "dist", "cli", "commands", "watch.js");

describe("trackdown watch in a process of its own", () => {
  if (!existsSync(BUILT)) {
    it.skip("stops on SIGINT (skipped: dist/cli/commands/watch.js is missing; run `npm run build`)", () => {});
    return;
  }

  it("closes the watcher and exits 0 with no stack trace on SIGINT", async () => {
    const tracker = copyOfAcme();
    // what main.ts will do for `trackdown watch`, with the process's own streams
    const script = [
      `import { runWatch } from ${JSON.stringify(BUILT)};`,
      "process.exitCode = await runWatch(",
      "  { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr },",
      "  {},",
      ");",
    ].join("\n");
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      cwd: tracker,
      env: { ...process.env, NO_COLOR: "1" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d;
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    const deadline = Date.now() + WAIT_MS;
    while (!stderr.includes("Ctrl-C to stop")) {
      if (Date.now() > deadline) throw new Error(`the watch did not start:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(stdout).toBe("✓ 63 tasks checked, no problems.\n");
    expect(stderr).toBe("Watching . for changes (Ctrl-C to stop).\n");
  });
});
