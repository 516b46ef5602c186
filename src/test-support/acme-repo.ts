import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type CliResult, runCli } from "./cli.js";
import { commitAll, git } from "./git.js";
import { copyOfAcme } from "./temp.js";

/** A copy of examples/acme committed in a new git repository (branch main), and ways to look at it. */
export interface AcmeRepo {
  readonly dir: string;
  /** `trackdown …args` in the repository with the given environment. */
  cli(...args: string[]): Promise<CliResult>;
  /** The working tree's changes as git shows them (-U0), without the index lines. */
  diff(...paths: string[]): string;
  /** `git status --porcelain`, untracked files listed one by one. */
  status(): string;
  read(path: string): string;
}

export function acmeRepo(env: Record<string, string>): AcmeRepo {
  const dir = copyOfAcme();
  git(dir, ["init", "-q", "-b", "main"]);
  commitAll(dir, "acme", "2026-11-27T10:00:00+01:00");
  return {
    dir,
    cli: (...args) => runCli(args, { cwd: dir, env }),
    diff: (...paths) =>
      git(dir, ["diff", "--no-color", "-U0", "--", ...paths])
        .split("\n")
        .filter((l) => !l.startsWith("index ") && !l.startsWith("diff --git"))
        .join("\n"),
    status: () => git(dir, ["status", "--porcelain", "--untracked-files=all"]),
    read: (path) => readFileSync(join(dir, path), "utf8"),
  };
}
