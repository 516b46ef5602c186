import type { Diagnostic } from "./diagnostics/diagnostic.js";
import type { ParsedFile } from "./parse/read-file.js";

/** A file or link the source lists. */
export interface SourceEntry {
  /** Path relative to the tracker's root, forward slashes, no `.` or `..` segments. */
  readonly path: string;
  /**
   * `file` for a readable file; `escaping-link` for a symbolic link that leads outside
   * the tracker (never read); `special` for sockets, devices and the like.
   */
  readonly type: "file" | "escaping-link" | "special";
  /**
   * Changes whenever the content may have changed (a blob id, or size + mtime + inode).
   * Sources that cannot tell leave it out, and nothing is cached for them.
   */
  readonly stamp?: string;
}

/**
 * Lists and reads a tracker's files. Everything above a source is the same whichever it
 * is: a working tree (`fsSource` in `trackdown/node`), a git commit, or memory.
 */
export interface Source {
  /** For people: the folder, ref or "memory" the files come from. */
  readonly description: string;
  /** Every entry below the tracker's root, in no particular order (but the same order while nothing changes). */
  list(): Promise<readonly SourceEntry[]>;
  /** The bytes of a listed file. May reject (the file vanished, no permission). */
  read(path: string): Promise<Uint8Array>;
}

/**
 * Remembers parsed files between runs, keyed by path and stamp. The core only calls it;
 * `trackdown/node` stores it under `.trackdown/cache/`.
 */
export interface ParseCache {
  /** Called once, after the source is listed and before any `get`: load what was saved. */
  load(): Promise<void>;
  get(path: string, stamp: string): ParsedFile | undefined;
  /** Remembers a parsed file; returns false when it declined (e.g. a file modified too recently to trust its stamp). */
  set(path: string, stamp: string, file: ParsedFile): boolean;
  /**
   * The diagnostics of the last run whose listing was exactly this one (every path, type
   * and stamp). Diagnostics are a pure function of the files, so when nothing changed they
   * need not be computed again. `undefined` when anything differs or an entry has no stamp.
   */
  getDiagnostics(listing: readonly SourceEntry[]): readonly Diagnostic[] | undefined;
  setDiagnostics(listing: readonly SourceEntry[], diagnostics: readonly Diagnostic[]): void;
  /** Persist what was set; called once the tracker is built. */
  save(): Promise<void>;
}

/**
 * Normalises a tracker-relative path: forward slashes, no empty or `.` segments.
 * Returns `undefined` for paths that would leave the tracker (`..`, absolute, drive letters).
 */
export function normalisePath(path: string): string | undefined {
  const raw = path.replace(/\\/g, "/");
  if (raw.startsWith("/") || /^[A-Za-z]:/.test(raw)) return undefined;
  const out: string[] = [];
  for (const part of raw.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") return undefined;
    out.push(part);
  }
  return out.length === 0 ? undefined : out.join("/");
}

/**
 * A source over files held in memory: for tests, browsers and tools that build trackers
 * on the fly. Strings are stored as UTF-8.
 */
export function memorySource(
  files: Readonly<Record<string, string | Uint8Array>>,
  description = "memory",
): Source {
  const encoder = new TextEncoder();
  const store = new Map<string, Uint8Array>();
  for (const [path, content] of Object.entries(files)) {
    const clean = normalisePath(path);
    if (clean === undefined)
      throw new Error(`memorySource: "${path}" is not a path inside the tracker`);
    store.set(clean, typeof content === "string" ? encoder.encode(content) : content);
  }
  return {
    description,
    list: async () => [...store.keys()].sort().map((path) => ({ path, type: "file" as const })),
    read: async (path) => {
      const bytes = store.get(path);
      if (bytes === undefined) throw new Error(`no file "${path}" in ${description}`);
      return bytes;
    },
  };
}

/**
 * A source with some files replaced (bytes) or hidden (`null`): for reading a pull
 * request's head with the base branch's trackdown.yml, so that a change to the rules is
 * judged by the rules it changes.
 */
export function overlaySource(
  source: Source,
  files: Readonly<Record<string, Uint8Array | null>>,
): Source {
  const replaced = new Map(Object.entries(files));
  return {
    description: `${source.description} (with ${[...replaced.keys()].join(", ")} replaced)`,
    async list() {
      const entries = (await source.list()).filter((e) => !replaced.has(e.path));
      for (const [path, bytes] of replaced) {
        if (bytes !== null) entries.push({ path, type: "file" });
      }
      return entries;
    },
    async read(path) {
      const bytes = replaced.get(path);
      if (bytes === null) throw new Error(`"${path}" is hidden in ${source.description}`);
      return bytes ?? source.read(path);
    },
  };
}
