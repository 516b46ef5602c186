import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { expect } from "vitest";
import { REPO_ROOT } from "./temp.js";

/**
 * Builds a tracker's site with the real command in a child process, as a user runs it
 * (`trackdown site build -t … --out … --base … --url …`), on acme's snapshot day, and
 * fails the test with what the command said when it does not succeed. Returns its output.
 */
export function buildSite(options: {
  tracker: string;
  out: string;
  base: string;
  url?: string;
  today?: string;
}): string {
  const run = spawnSync(
    process.execPath,
    [
      join(REPO_ROOT, "bin", "trackdown.js"),
      "site",
      "build",
      "-t",
      options.tracker,
      "--out",
      options.out,
      "--base",
      options.base,
      "--url",
      options.url ?? "https://acme.example",
    ],
    { encoding: "utf8", env: { ...process.env, TRACKDOWN_TODAY: options.today ?? "2026-11-27" } },
  );
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  return run.stdout;
}
