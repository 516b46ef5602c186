import { execFileSync } from "node:child_process";

/**
 * The day of the last commit that changed each file of a tracker (tracker-relative paths),
 * read with one `git log`; `undefined` when the folder is not in a git repository (or git
 * is missing). Used for `updated:` in queries. Uncommitted edits do not count.
 */
export function lastChangeDays(trackerRoot: string): ReadonlyMap<string, string> | undefined {
  let out: string;
  try {
    out = execFileSync(
      "git",
      [
        "-c",
        "core.quotePath=false",
        "log",
        "--format=%x00%cs",
        "--name-only",
        "--relative",
        "--no-renames",
        "--",
        ".",
      ],
      {
        cwd: trackerRoot,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
        maxBuffer: 512 * 1024 * 1024,
      },
    );
  } catch {
    return undefined;
  }
  const days = new Map<string, string>();
  let day = "";
  for (const line of out.split("\n")) {
    if (line.startsWith("\u0000")) {
      day = line.slice(1);
      continue;
    }
    // newest commits come first: the first day seen for a file is its last change
    if (line !== "" && !days.has(line)) days.set(line, day);
  }
  return days;
}
