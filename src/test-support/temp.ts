import { cpSync, mkdtempSync, rmSync } from "node:fs";
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
