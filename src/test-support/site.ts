import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { expect } from "vitest";
import { launchBrowser } from "./browser.js";
import { type StaticSite, serveStatic } from "./static-server.js";
import { REPO_ROOT } from "./temp.js";

export interface SiteBuildOptions {
  readonly tracker: string;
  readonly out: string;
  readonly base: string;
  readonly url?: string;
  readonly today?: string;
}

/**
 * Builds a tracker's site with the real command in a child process, as a user runs it
 * (`trackdown site build -t … --out … --base … --url …`), on acme's snapshot day, and
 * fails the test with what the command said when it does not succeed. Returns its output.
 */
export function buildSite(options: SiteBuildOptions): string {
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

/** A built site served on 127.0.0.1 and a browser to visit it; `close` stops both and removes the build. */
export interface OpenedSite {
  readonly site: StaticSite;
  readonly browser: Browser;
  close(): Promise<void>;
}

/** Builds a tracker's site (as {@link buildSite}), serves it under its base and starts Chromium. */
export async function openBuiltSite(options: SiteBuildOptions): Promise<OpenedSite> {
  buildSite(options);
  const site = await serveStatic(options.out, options.base);
  const browser = await launchBrowser();
  return {
    site,
    browser,
    async close() {
      await browser.close();
      await site.close();
      rmSync(options.out, { recursive: true, force: true });
    },
  };
}
