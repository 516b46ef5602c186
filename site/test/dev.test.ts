import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { copyOfAcme, REPO_ROOT } from "../../src/test-support/temp.js";

// `trackdown site dev`: the site served from the tracker as it is, and served again with
// the new data after a tracker file is saved (chokidar → the data module is reloaded).

const TASK = "projects/web/tasks/WEB-16-signup-form-with-inline-validation.md";
let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill("SIGINT");
  child = undefined;
});

function waitFor(proc: ChildProcess, pattern: RegExp, ms: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(
      () => reject(new Error(`no ${pattern} within ${ms} ms:\n${seen}`)),
      ms,
    );
    const look = (chunk: Buffer) => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match !== null) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    proc.stdout?.on("data", look);
    proc.stderr?.on("data", look);
  });
}

async function pageTitle(url: string): Promise<string> {
  const html = await (await fetch(url)).text();
  return /<h1>([^<]*)<\/h1>/.exec(html)?.[1] ?? "";
}

describe("trackdown site dev", () => {
  it("serves the tracker's site and shows a saved change on the next request", async () => {
    const tracker = copyOfAcme();
    const port = 4400 + (process.pid % 500);
    child = spawn(
      process.execPath,
      [
        join(REPO_ROOT, "bin", "trackdown.js"),
        "site",
        "dev",
        "-t",
        tracker,
        "--port",
        String(port),
      ],
      {
        cwd: tracker,
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, TRACKDOWN_TODAY: "2026-11-27" },
      },
    );
    const [, url] = await waitFor(child, /at (http:\/\/127\.0\.0\.1:\d+\/)/, 60_000);
    expect(await pageTitle(`${url}tasks/WEB-16/`)).toBe("Signup form with inline validation");
    const file = join(tracker, TASK);
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace(/^title: .*$/m, "title: Signup form, second draft"),
    );
    let title = "";
    for (let i = 0; i < 40 && title !== "Signup form, second draft"; i++) {
      await new Promise((r) => setTimeout(r, 250));
      title = await pageTitle(`${url}tasks/WEB-16/`);
    }
    expect(title).toBe("Signup form, second draft");
    const exited = new Promise<number | null>((resolve) =>
      child?.once("exit", (code) => resolve(code)),
    );
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    child = undefined;
  }, 90_000);
});
