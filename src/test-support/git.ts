import { execFileSync } from "node:child_process";

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
