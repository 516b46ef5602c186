import { existsSync, statSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { findTrackerRoot } from "../node/load.js";
import { CliError, type CliIO } from "./io.js";

/** The tracker folder for a command: the given path, or found from it (or the cwd) upwards. */
export function resolveTrackerRoot(io: CliIO, given: string | undefined): string {
  const start = resolve(io.cwd, given ?? ".");
  if (!existsSync(start)) throw new CliError(`No such folder: ${given ?? start}`);
  if (!statSync(start).isDirectory()) throw new CliError(`Not a folder: ${given ?? start}`);
  const root = findTrackerRoot(start);
  if (root === undefined) {
    throw new CliError(
      `No tracker found in ${given ?? "this folder"} or its parents (looked for trackdown.yml and tracker/trackdown.yml).\nRun \`trackdown init\` to create one.`,
    );
  }
  return root;
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
