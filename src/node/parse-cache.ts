import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Diagnostic } from "../core/diagnostics/diagnostic.js";
import type { ParsedFile } from "../core/parse/read-file.js";
import type { ParseCache } from "../core/source.js";

/** Bumped whenever the reader or ParsedFile change, so old caches are ignored. */
export const CACHE_FORMAT = 1;
const FILE = `parse-v${CACHE_FORMAT}.json`;
/**
 * Files modified this close to the moment the cache is written are not cached: a later
 * edit within the file system's timestamp resolution could keep the same stamp (git's
 * "racily clean" problem).
 */
const RACY_MS = 2000;

interface CacheFile {
  readonly format: number;
  /** The version of Trackdown that wrote it: diagnostics depend on the rules of a version. */
  readonly version: string;
  readonly entries: Record<string, [string, ParsedFile]>;
  readonly result?: { readonly fingerprint: string; readonly diagnostics: readonly Diagnostic[] };
}

/**
 * A parse cache kept in `<tracker>/.trackdown/cache/`, keyed by path and the file's stamp
 * (size, mtime, inode). Safe to delete at any time; a corrupt or foreign cache is ignored.
 * Write failures (a read-only checkout) are ignored too: the cache only saves time.
 */
export function fileParseCache(trackerRoot: string, version = "dev"): ParseCache {
  const dir = join(trackerRoot, ".trackdown", "cache");
  const path = join(dir, FILE);
  let old: Record<string, [string, ParsedFile]> = {};
  let oldResult: CacheFile["result"];
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as CacheFile;
    if (isCacheFile(parsed) && parsed.format === CACHE_FORMAT && parsed.version === version) {
      old = parsed.entries;
      oldResult = parsed.result;
    }
  } catch {
    old = {};
    oldResult = undefined;
  }
  const next: Record<string, [string, ParsedFile]> = {};
  let result: CacheFile["result"];
  let changed = false;
  return {
    get(file, stamp) {
      const hit = old[file];
      if (hit === undefined || hit[0] !== stamp) return undefined;
      next[file] = hit;
      return hit[1];
    },
    set(file, stamp, parsed) {
      const mtime = Number(stamp.split(":")[1]);
      if (!(Date.now() - mtime > RACY_MS)) return false;
      next[file] = [stamp, parsed];
      changed = true;
      return true;
    },
    getDiagnostics(fingerprint) {
      if (oldResult?.fingerprint !== fingerprint) return undefined;
      result = oldResult;
      return oldResult.diagnostics;
    },
    setDiagnostics(fingerprint, diagnostics) {
      result = { fingerprint, diagnostics };
      changed = true;
    },
    async save() {
      if (!changed && Object.keys(next).length === Object.keys(old).length) return;
      try {
        mkdirSync(dir, { recursive: true });
        const tmp = `${path}.${process.pid}.tmp`;
        writeFileSync(
          tmp,
          JSON.stringify({
            format: CACHE_FORMAT,
            version,
            entries: next,
            ...(result !== undefined ? { result } : {}),
          } satisfies CacheFile),
        );
        renameSync(tmp, path);
      } catch {
        // the cache is an optimisation; a read-only tree simply runs cold
      }
    },
  };
}

/** Whether parsed JSON has the cache's shape; anything else (a corrupt or foreign file) is ignored. */
function isCacheFile(value: unknown): value is CacheFile {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  if (typeof v.entries !== "object" || v.entries === null || Array.isArray(v.entries)) return false;
  for (const entry of Object.values(v.entries)) {
    if (
      !Array.isArray(entry) ||
      typeof entry[0] !== "string" ||
      typeof entry[1] !== "object" ||
      entry[1] === null
    ) {
      return false;
    }
  }
  if (v.result !== undefined) {
    const r = v.result as Record<string, unknown> | null;
    if (
      typeof r !== "object" ||
      r === null ||
      typeof r.fingerprint !== "string" ||
      !Array.isArray(r.diagnostics)
    ) {
      return false;
    }
  }
  return true;
}
