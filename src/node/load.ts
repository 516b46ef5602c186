import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Tracker } from "../core/model.js";
import { openTracker } from "../core/open-tracker.js";
import { fsSource } from "./fs-source.js";
import { fileParseCache } from "./parse-cache.js";
import { VERSION } from "./version.js";

/** Options of {@link loadTracker}. */
export interface LoadOptions {
  /** Use and update the parse cache in `<tracker>/.trackdown/cache/` (default true). */
  readonly cache?: boolean;
}

/**
 * Opens the tracker in a folder of the working tree, using the parse cache so that a
 * run after no change re-reads nothing.
 */
export async function loadTracker(dir: string, options: LoadOptions = {}): Promise<Tracker> {
  const useCache = options.cache ?? true;
  const source = fsSource(dir, { stamps: useCache });
  return openTracker(source, useCache ? { cache: fileParseCache(dir, VERSION) } : {});
}

/**
 * Finds the tracker for a folder the way git finds a repository: the folder itself or
 * the nearest parent that holds `trackdown.yml`, or a `tracker/` folder that does.
 */
export function findTrackerRoot(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, "trackdown.yml")) || existsSync(join(dir, "trackdown.yaml")))
      return dir;
    const nested = join(dir, "tracker");
    if (existsSync(join(nested, "trackdown.yml"))) return nested;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
