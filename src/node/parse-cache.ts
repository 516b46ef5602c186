import { createHash, randomUUID } from "node:crypto";
import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  read,
  readFileSync,
  readSync,
  renameSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import type { Diagnostic } from "../core/diagnostics/diagnostic.js";
import type { RecordKind } from "../core/parse/layout.js";
import { type FileProblem, type ParsedFile, readRecordFile } from "../core/parse/read-file.js";
import type { ParseCache, SourceEntry } from "../core/source.js";

/** Bumped whenever the reader or ParsedFile change, so old caches are ignored. */
export const CACHE_FORMAT = 3;
const INDEX_FILE = `parse-v${CACHE_FORMAT}.json`;
const TEXT_FILE = `parse-v${CACHE_FORMAT}.txt`;
/**
 * Files modified this close to the moment the cache is written are not cached: a later
 * edit within the file system's timestamp resolution could keep the same stamp (git's
 * "racily clean" problem).
 */
const RACY_MS = 2000;

/**
 * A parsed file as stored in the index. The YAML and Markdown texts live in the text file
 * as one long string, referred to by offset and length: reading one string and slicing it
 * costs a fraction of parsing thousands of long JSON strings (and of the garbage
 * collection that follows).
 */
type Entry = [
  stamp: string,
  kind: RecordKind,
  data: Record<string, unknown> | null,
  problems: FileProblem[],
  yamlAt: number,
  yamlLength: number,
  yamlLine: number,
  bodyAt: number,
  bodyLength: number,
  bodyLine: number,
  checklistDone: number,
  checklistTotal: number,
];

interface IndexFile {
  readonly format: number;
  /** The version of Trackdown that wrote it: diagnostics depend on the rules of a version. */
  readonly version: string;
  /** Written as the first line of the text file, to tell a matching pair. */
  readonly textId: string;
  readonly entries: Record<string, Entry>;
  readonly result?: { readonly fingerprint: string; readonly diagnostics: readonly Diagnostic[] };
}

/**
 * A parse cache kept in `<tracker>/.trackdown/cache/` (an index and a text file), keyed by
 * path and the file's stamp (size, mtime, inode). Safe to delete at any time; a corrupt,
 * mismatched or foreign cache is ignored. Write failures (a read-only checkout) are
 * ignored too: the cache only saves time.
 *
 * The index starts loading at once, so reading it overlaps with listing the tracker; the
 * texts load only when a body or a position is asked for.
 */
export function fileParseCache(trackerRoot: string, version = "dev"): ParseCache {
  const dir = join(trackerRoot, ".trackdown", "cache");
  const textPath = join(dir, TEXT_FILE);
  const pendingIndex = startReading(join(dir, INDEX_FILE));
  let old: Record<string, Entry> = {};
  let textId = "";
  let oldText: string | undefined;
  let oldResult: IndexFile["result"];
  /**
   * The texts (YAML and bodies) of cached files, loaded on first use: a check of an
   * unchanged tracker never needs them. Returns `undefined` when the text file no longer
   * matches the index (replaced by another run meanwhile).
   */
  const texts = (): string | undefined => {
    if (oldText === undefined) {
      try {
        const text = readFileSync(textPath, "utf8");
        oldText = text.startsWith(`${textId}\n`) ? text : "";
      } catch {
        oldText = "";
      }
    }
    return oldText === "" ? undefined : oldText;
  };
  /** A cached file's YAML or body, or, should the text file have changed, the file itself read again. */
  const textOf = (
    file: string,
    kind: RecordKind,
    at: number,
    length: number,
    part: "yaml" | "body",
  ): string => {
    const all = texts();
    if (all !== undefined && at + length <= all.length) return all.slice(at, at + length);
    try {
      return readRecordFile(kind, readFileSync(join(trackerRoot, ...file.split("/"))))[part];
    } catch {
      return "";
    }
  };
  const next = new Map<string, [stamp: string, parsed: ParsedFile]>();
  let result: IndexFile["result"];
  let changed = false;
  return {
    async load() {
      const indexText = await pendingIndex;
      if (indexText === undefined) return;
      try {
        const index: unknown = JSON.parse(indexText);
        if (
          isIndexFile(index) &&
          index.format === CACHE_FORMAT &&
          index.version === version &&
          textFileStartsWith(textPath, `${index.textId}\n`)
        ) {
          old = index.entries;
          textId = index.textId;
          oldResult = index.result;
        }
      } catch {
        old = {};
        oldResult = undefined;
      }
    },
    get(file, stamp) {
      const hit = old[file];
      if (!Array.isArray(hit) || hit[0] !== stamp || !isEntry(hit)) return undefined;
      const parsed = new CachedFile(file, hit, textOf);
      next.set(file, [stamp, parsed]);
      return parsed;
    },
    set(file, stamp, parsed) {
      const mtime = Number(stamp.split(":")[1]);
      if (!(Date.now() - mtime > RACY_MS)) return false;
      next.set(file, [stamp, parsed]);
      changed = true;
      return true;
    },
    getDiagnostics(listing) {
      const fingerprint = fingerprintOf(listing);
      if (fingerprint === undefined || oldResult?.fingerprint !== fingerprint) return undefined;
      result = oldResult;
      return oldResult.diagnostics;
    },
    setDiagnostics(listing, diagnostics) {
      const fingerprint = fingerprintOf(listing);
      if (fingerprint === undefined) return;
      result = { fingerprint, diagnostics };
      changed = true;
    },
    async save() {
      if (!changed && next.size === Object.keys(old).length) return;
      try {
        mkdirSync(dir, { recursive: true });
        const textId = randomUUID();
        const texts: string[] = [`${textId}\n`];
        let at = texts[0]!.length;
        const entries: Record<string, Entry> = {};
        for (const [file, [stamp, p]] of next) {
          const yamlAt = at;
          texts.push(p.yaml);
          at += p.yaml.length;
          const bodyAt = at;
          texts.push(p.body);
          at += p.body.length;
          entries[file] = [
            stamp,
            p.kind,
            p.data ?? null,
            [...p.problems],
            yamlAt,
            p.yaml.length,
            p.yamlLine,
            bodyAt,
            p.body.length,
            p.bodyLine,
            p.checklist.done,
            p.checklist.total,
          ];
        }
        const index: IndexFile = {
          format: CACHE_FORMAT,
          version,
          textId,
          entries,
          ...(result !== undefined ? { result } : {}),
        };
        // text first, then the index that points into it; a reader that sees a new index
        // with an old text (or the reverse) finds a different textId and ignores both
        writeAtomically(join(dir, TEXT_FILE), texts.join(""));
        writeAtomically(join(dir, INDEX_FILE), JSON.stringify(index));
      } catch {
        // the cache is an optimisation; a read-only tree simply runs cold
      }
    },
  };
}

/**
 * A parsed file served from the cache. Its YAML and body are getters on the prototype (no
 * closures per file) that fetch the text only when asked.
 */
class CachedFile implements ParsedFile {
  readonly kind: RecordKind;
  readonly data: Record<string, unknown> | undefined;
  readonly problems: readonly FileProblem[];
  readonly yamlLine: number;
  readonly bodyLine: number;
  readonly checklist: { readonly done: number; readonly total: number };
  readonly cacheable = true;
  readonly #file: string;
  readonly #entry: Entry;
  readonly #textOf: TextOf;

  constructor(file: string, entry: Entry, textOf: TextOf) {
    this.#file = file;
    this.#entry = entry;
    this.#textOf = textOf;
    this.kind = entry[1];
    this.data = entry[2] ?? undefined;
    this.problems = entry[3];
    this.yamlLine = entry[6];
    this.bodyLine = entry[9];
    this.checklist = { done: entry[10], total: entry[11] };
  }

  get yaml(): string {
    return this.#textOf(this.#file, this.kind, this.#entry[4], this.#entry[5], "yaml");
  }

  get body(): string {
    return this.#textOf(this.#file, this.kind, this.#entry[7], this.#entry[8], "body");
  }
}

type TextOf = (
  file: string,
  kind: RecordKind,
  at: number,
  length: number,
  part: "yaml" | "body",
) => string;

function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** Whether a file starts with the given text (read with one small read). */
function textFileStartsWith(path: string, head: string): boolean {
  try {
    const fd = openSync(path, "r");
    try {
      const buffer = Buffer.alloc(Buffer.byteLength(head));
      readSync(fd, buffer, 0, buffer.length, 0);
      return buffer.toString("utf8") === head;
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

/**
 * Starts reading a whole file with one read in libuv's thread pool, issued before the
 * caller lists the tracker (synchronous work), so the two overlap. `fs.readFile` would read
 * in 512 KiB steps that each wait for the main thread.
 */
function startReading(path: string): Promise<string | undefined> {
  let fd: number;
  let size: number;
  try {
    fd = openSync(path, "r");
    size = fstatSync(fd).size;
  } catch {
    return Promise.resolve(undefined);
  }
  const buffer = Buffer.allocUnsafe(size);
  return new Promise((done) => {
    read(fd, buffer, 0, size, 0, (error, bytesRead) => {
      closeSync(fd);
      done(error === null && bytesRead === size ? buffer.toString("utf8") : undefined);
    });
  });
}

/** SHA-256 of every path, type and stamp of a listing; `undefined` if a file has no stamp. */
function fingerprintOf(listing: readonly SourceEntry[]): string | undefined {
  const hash = createHash("sha256");
  for (const e of listing) {
    if (e.type === "file" && e.stamp === undefined) return undefined;
    hash.update(`${e.path}\u0000${e.type}\u0000${e.stamp ?? ""}\n`);
  }
  return hash.digest("hex");
}

/** Whether a stored entry has the shape of {@link Entry} (a corrupt index is ignored, not trusted). */
function isEntry(e: unknown[]): e is Entry {
  if (e.length !== 12 || typeof e[1] !== "string" || !Array.isArray(e[3])) return false;
  if (e[2] !== null && typeof e[2] !== "object") return false;
  for (let i = 4; i < 12; i++) if (typeof e[i] !== "number") return false;
  return true;
}

/** Whether parsed JSON has the index's shape; anything else (a corrupt or foreign file) is ignored. */
function isIndexFile(value: unknown): value is IndexFile {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  if (typeof v.textId !== "string") return false;
  if (typeof v.entries !== "object" || v.entries === null || Array.isArray(v.entries)) return false;
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
