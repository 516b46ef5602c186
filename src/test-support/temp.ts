import { cpSync, mkdtempSync, readdirSync, rmSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach } from "vitest";

/** The repository's root folder. */
export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** The bundled example tracker. */
export const ACME = join(REPO_ROOT, "examples", "acme");

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary folder, removed after the current test. */
export function tempDir(prefix = "trackdown-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** A temporary copy of examples/acme (without its cache), removed after the test. */
export function copyOfAcme(): string {
  const dir = tempDir("trackdown-acme-");
  cpSync(ACME, dir, { recursive: true, filter: (src) => !src.includes(".trackdown") });
  return dir;
}

/**
 * Sets every file's times to an hour ago (or `secondsAgo`), as in a checkout made a while
 * back: the parse cache does not trust files written in the last moments.
 */
export function ageFiles(dir: string, secondsAgo = 3600): void {
  const when = new Date(Date.now() - secondsAgo * 1000);
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) utimesSync(join(entry.parentPath, entry.name), when, when);
  }
}
