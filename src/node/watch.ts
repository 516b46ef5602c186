import { lstat, readdir, readFile, readlink, realpath, stat } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import {
  type CheckDelta,
  type FileChange,
  type IncrementalCheck,
  openIncrementalCheck,
} from "../core/incremental/checker.js";
import { classifyPath } from "../core/parse/layout.js";
import type { Source, SourceEntry } from "../core/source.js";
import { fsSource } from "./fs-source.js";
import { fileParseCache } from "./parse-cache.js";
import { VERSION } from "./version.js";

/** Options of {@link watchTracker}. */
export interface WatchOptions {
  /**
   * Quiet time, in milliseconds, after the last file event before a batch is checked, so
   * that an editor's save (a temp file, a rename, a second write) or a `git checkout` is
   * one batch. Default 75.
   */
  readonly debounceMs?: number;
  /** Use the parse cache in `<tracker>/.trackdown/cache/` for the first read (default true). */
  readonly cache?: boolean;
  /** Called with each checked batch, one after the other (awaited). */
  readonly onBatch: (batch: WatchBatch) => void | Promise<void>;
  /** Called when the file watcher reports an error; watching goes on. */
  readonly onError?: (error: Error) => void;
}

/** Moments in a batch's life, from `performance.now()` (milliseconds). */
export interface WatchTiming {
  /** The watcher's first event of the batch. */
  readonly firstEvent: number;
  /** Its last event: the debounce waited from here. */
  readonly lastEvent: number;
  /** The debounce fired and the batch was taken. */
  readonly settled: number;
  /** The changed files were read and checked. */
  readonly checked: number;
}

/** One settled batch of changes and what it did to the diagnostics. */
export interface WatchBatch {
  readonly delta: CheckDelta;
  /** Tracker-relative paths that were looked at (changed, added, removed), sorted. */
  readonly paths: readonly string[];
  readonly timing: WatchTiming;
  /** Set when trackdown.yml went missing in this batch, or came back. */
  readonly config?: "missing" | "back";
}

/** A running watch. */
export interface TrackerWatch {
  /** The incremental check, up to date with every batch reported so far. */
  readonly check: IncrementalCheck;
  /** Stops watching: closes the file watcher and waits for a batch being checked. */
  close(): Promise<void>;
}

/**
 * Editors' temporary, swap and backup files: vim's `.x.swp` and `4913`, emacs' `x~`,
 * `#x#` and `.#x`, `*.tmp` of atomic saves. Never part of the tracker, so a save that
 * passes through them shows nothing.
 */
const EDITOR_FILE = /(?:^|\/)(?:4913|#[^/]*#)$|~$|\.(?:sw[a-px]|tmp)$/;

/**
 * Whether a tracker-relative path is never watched: dot-files and dot-folders (`.git/`,
 * `.trackdown/`; the tracker skips them too), `node_modules/`, and editors' files.
 */
export function isIgnoredPath(path: string): boolean {
  return (
    path.split("/").some((part) => part.startsWith(".") || part === "node_modules") ||
    EDITOR_FILE.test(path)
  );
}

/**
 * Watches a tracker folder and re-checks it incrementally after every save: the files
 * of each settled batch of events are read again (what they are now, not what the events
 * said: a file may be replaced, renamed over or gone by then), and only the checks they
 * concern run. Resolves once the first full check is done and the watcher is ready.
 */
export async function watchTracker(root: string, options: WatchOptions): Promise<TrackerWatch> {
  const base = resolve(root);
  const realBase = await realpath(base).catch(() => base);
  const inside = (real: string) => real === realBase || real.startsWith(realBase + sep);
  const debounceMs = options.debounceMs ?? 75;
  const { watch } = await import("chokidar");

  const pending = new Set<string>();
  let firstEvent = 0;
  let lastEvent = 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let closed = false;
  let check: IncrementalCheck | undefined;

  const watcher = watch(base, {
    ignoreInitial: true,
    // a link is a file of the tracker or a link out of it; its target is never walked
    followSymlinks: false,
    ignored: (path: string) => {
      const rel = relativePath(base, path);
      return rel !== undefined && rel !== "" && isIgnoredPath(rel);
    },
  });
  watcher.on("all", (_event, path) => {
    const rel = relativePath(base, path);
    if (rel === undefined || closed) return;
    const now = performance.now();
    if (pending.size === 0) firstEvent = now;
    lastEvent = now;
    pending.add(rel);
    if (check === undefined) return; // the first read is not done: the batch waits for it
    clearTimeout(timer);
    timer = setTimeout(settle, debounceMs);
  });
  watcher.on("error", (error) => {
    options.onError?.(error instanceof Error ? error : new Error(String(error)));
  });

  const settle = () => {
    timer = undefined;
    running = running.then(runBatch).catch((error: unknown) => {
      options.onError?.(error instanceof Error ? error : new Error(String(error)));
    });
  };

  const runBatch = async () => {
    if (closed || check === undefined || pending.size === 0) return;
    const settled = performance.now();
    const timing = { firstEvent, lastEvent, settled };
    const paths = [...pending].sort();
    pending.clear();
    const changes = await changesAt(base, inside, paths, check);
    const hadConfig = check.configFile !== undefined;
    const delta = await check.update(changes);
    const checked = performance.now();
    const hasConfig = check.configFile !== undefined;
    await options.onBatch({
      delta,
      paths: [...new Set(changes.map((c) => c.path))].sort(),
      timing: { ...timing, checked },
      ...(hadConfig === hasConfig ? {} : { config: hasConfig ? "back" : "missing" }),
    });
  };

  await new Promise<void>((ready, fail) => {
    watcher.once("ready", ready);
    watcher.once("error", fail);
  });
  const listed = fsSource(base, { stamps: options.cache ?? true });
  const source: Source = {
    description: base,
    list: async () => (await listed.list()).filter((e) => !isIgnoredPath(e.path)),
    // paths come from the listing or from the watcher, inside the folder; links out of it
    // are never read (they are "escaping-link" entries)
    read: (path) => readFile(join(base, ...path.split("/"))),
  };
  check = await openIncrementalCheck(
    source,
    options.cache === false ? {} : { cache: fileParseCache(base, VERSION) },
  );
  if (pending.size > 0) timer = setTimeout(settle, debounceMs);
  const opened = check;
  return {
    check: opened,
    async close() {
      closed = true;
      clearTimeout(timer);
      await watcher.close();
      await running;
    },
  };
}

/** A path below `base` as the tracker names it, "" for `base` itself, `undefined` outside it. */
function relativePath(base: string, path: string): string | undefined {
  const rel = relative(base, path);
  if (rel.startsWith("..") || resolve(base, rel) !== resolve(path)) return undefined;
  return rel.split(sep).join("/");
}

/**
 * What each path is now, as changes for the check: files with their bytes, links out of
 * the tracker, and removals, including every known file below a folder that is gone. A
 * folder that appeared is walked (its files may predate the watcher's interest in it).
 */
async function changesAt(
  base: string,
  inside: (real: string) => boolean,
  paths: readonly string[],
  check: IncrementalCheck,
): Promise<FileChange[]> {
  const out = new Map<string, FileChange>();
  const known = (prefix: string) => {
    const below: string[] = [];
    for (const path of check.paths())
      if (prefix === "" || path.startsWith(prefix)) below.push(path);
    return below;
  };
  const visit = async (rel: string): Promise<void> => {
    if (rel !== "" && isIgnoredPath(rel)) return;
    const full = rel === "" ? base : join(base, ...rel.split("/"));
    const type = await entryType(full, inside);
    if (type === "folder") {
      const items = await readdir(full).catch(() => [] as string[]);
      await Promise.all(items.map((name) => visit(rel === "" ? name : `${rel}/${name}`)));
      // files the folder held before and no longer does
      for (const path of known(rel === "" ? "" : `${rel}/`))
        if (
          !out.has(path) &&
          (await entryType(join(base, ...path.split("/")), inside)) === undefined
        )
          out.set(path, { path });
      return;
    }
    if (type === undefined) {
      // gone, and with a folder everything that was in it (the tracker's root: everything)
      if (rel !== "") out.set(rel, { path: rel });
      for (const path of known(rel === "" ? "" : `${rel}/`)) out.set(path, { path });
      return;
    }
    if (type !== "file" || classifyPath(rel).role !== "record") {
      out.set(rel, { path: rel, type });
      return;
    }
    try {
      out.set(rel, { path: rel, type, bytes: await readFile(full) });
    } catch (error) {
      // gone between the event and the read (an editor replacing it: its next event follows)
      if ((error as NodeJS.ErrnoException).code === "ENOENT") out.set(rel, { path: rel });
      // unreadable: the check reads it again and reports why (TD001)
      else out.set(rel, { path: rel, type });
    }
  };
  for (const path of paths) await visit(path);
  return [...out.values()];
}

/** What a path is, as `fsSource` would list it: links into the tracker are files. */
async function entryType(
  full: string,
  inside: (real: string) => boolean,
): Promise<SourceEntry["type"] | "folder" | undefined> {
  let info: Awaited<ReturnType<typeof lstat>>;
  try {
    info = await lstat(full);
  } catch {
    return undefined;
  }
  if (info.isDirectory()) return "folder";
  if (info.isFile()) return "file";
  if (!info.isSymbolicLink()) return "special";
  const real = await realpath(full).catch(() => undefined);
  if (real === undefined) {
    // a dangling link: out of the tracker if its target is, else a file that cannot be read
    const target = await readlink(full).catch(() => undefined);
    if (target === undefined) return undefined;
    return inside(resolve(dirname(full), target)) ? "file" : "escaping-link";
  }
  if (!inside(real)) return "escaping-link";
  // a link to a folder inside the tracker is not walked (as fsSource does)
  return (await stat(real).catch(() => undefined))?.isFile() === true ? "file" : undefined;
}
