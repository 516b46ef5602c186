import { existsSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { findTrackerRoot } from "../node/load.js";
import { CliError, type CliIO } from "./io.js";

/** The tracker folder for a command: the given path, or found from it (or the cwd) upwards. */
export function resolveTrackerRoot(io: CliIO, given: string | undefined): string {
  const start = resolve(io.cwd, given ?? ".");
  if (!existsSync(start)) throw new CliError(`No such folder: ${given ?? start}`);
  if (!statSync(start).isDirectory()) throw new CliError(`Not a folder: ${given ?? start}`);
  // A folder named on the command line that is shaped like a tracker is that tracker, even
  // without trackdown.yml (reported as TD020): climbing to a parent tracker instead would
  // check something else and could pass silently.
  const root = given !== undefined && looksLikeTracker(start) ? start : findTrackerRoot(start);
  if (root === undefined) {
    throw new CliError(
      `No tracker found in ${given ?? "this folder"} or its parents (looked for trackdown.yml and tracker/trackdown.yml).\nRun \`trackdown init\` to create one.`,
    );
  }
  return root;
}

const TRACKER_FOLDERS = ["projects", "people", "teams", "time"];

function looksLikeTracker(dir: string): boolean {
  if (existsSync(join(dir, "trackdown.yml")) || existsSync(join(dir, "trackdown.yaml")))
    return true;
  if (existsSync(join(dir, "tracker", "trackdown.yml"))) return false; // the nested one is the tracker
  return TRACKER_FOLDERS.some((name) => {
    try {
      return statSync(join(dir, name)).isDirectory();
    } catch {
      return false;
    }
  });
}

/** Shows tracker-relative paths relative to the cwd, as compilers do, so editors can open them. */
export function displayPathFor(io: CliIO, root: string): (file: string) => string {
  return (file) => {
    const full = resolve(root, ...file.split("/"));
    const rel = relative(io.cwd, full);
    // relative like compilers print, ../ included; absolute only across drives
    const shown = rel === "" ? "." : isAbsolute(rel) ? full : rel;
    return shown.split(sep).join("/");
  };
}
