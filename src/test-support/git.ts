import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Git with a fixed identity and none of the user's or system's configuration. */
export const GIT_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_TERMINAL_PROMPT: "0",
  LC_ALL: "C",
  LANG: "C",
};

/**
 * Runs the git binary in `cwd` as a test user (no signing, no automatic gc, so loose
 * objects stay where tests put them) and returns its trimmed output.
 */
export function git(
  cwd: string,
  args: readonly string[],
  env: Record<string, string> = {},
): string {
  return execFileSync(
    "git",
    [
      "-c",
      "user.name=T",
      "-c",
      "user.email=t@example.com",
      "-c",
      "commit.gpgsign=false",
      "-c",
      "tag.gpgsign=false",
      "-c",
      "gc.auto=0",
      ...args,
    ],
    { cwd, env: { ...GIT_ENV, ...env }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
  ).trim();
}

/** Commits everything with both dates set to `date` (ISO 8601 with an offset); returns its id. */
export function commitAll(dir: string, message: string, date: string): string {
  git(dir, ["add", "-A"]);
  git(dir, ["commit", "-q", "-m", message], { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
  return git(dir, ["rev-parse", "HEAD"]);
}

/** Writes a file at a tracker-relative path, creating its folders. */
export function write(dir: string, path: string, text: string): void {
  const full = join(dir, ...path.split("/"));
  mkdirSync(join(full, ".."), { recursive: true });
  writeFileSync(full, text);
}

/** Replaces text in a file; fails the test when the text is not there. */
export function edit(dir: string, path: string, from: string, to: string): void {
  const full = join(dir, ...path.split("/"));
  const text = readFileSync(full, "utf8");
  if (!text.includes(from)) throw new Error(`"${from}" is not in ${path}`);
  writeFileSync(full, text.replace(from, to));
}
