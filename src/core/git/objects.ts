import type { CommitInfo, Signature } from "./repository.js";

/**
 * Git object parsing for readers that hand over raw objects (see
 * {@link GitRepository.objects}): the same results as isomorphic-git's `readCommit` and
 * `readTree`, without its per-call overhead. Browser-safe.
 */

/** A raw git object: its type and its content without the `type size\0` header. */
export interface RawObject {
  readonly type: "commit" | "tree" | "blob" | "tag";
  readonly data: Uint8Array;
}

/** One entry of a tree, as isomorphic-git's `readTree` gives it. */
export interface TreeEntryInfo {
  readonly path: string;
  readonly oid: string;
  readonly mode: string;
  readonly type: "blob" | "tree" | "commit";
}

const decoder = new TextDecoder();
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

function hex(bytes: Uint8Array, start: number): string {
  let out = "";
  for (let i = start; i < start + 20; i++) out += HEX[bytes[i]!];
  return out;
}

const TYPES: Readonly<Record<string, TreeEntryInfo["type"]>> = {
  "040000": "tree",
  "100644": "blob",
  "100755": "blob",
  "120000": "blob",
  "160000": "commit",
};

/**
 * Whether a tree entry's name could climb out of its folder or alias `.git` on some file
 * system, as git's verify_path() judges it (and isomorphic-git after it): separators,
 * names made only of dots and spaces, `.git` in any case with trailing dots or spaces,
 * NTFS short names (`git~1`) and streams (`.git::$INDEX_ALLOCATION`), and HFS+'s
 * ignorable characters.
 */
export function isUnsafeEntryName(name: string): boolean {
  if (name.includes("/") || name.includes("\\")) return true;
  const hfs = name.replace(/[\u200C-\u200F\u202A-\u202E\u206A-\u206F\uFEFF]/g, "");
  const ntfs = hfs.split(":")[0]!;
  const normal = ntfs.toLowerCase().replace(/[. ]+$/, "");
  return (
    (normal === "" && ntfs !== "") ||
    name === "" ||
    normal === ".git" ||
    /^\.?git~[1-9]$/.test(normal)
  );
}

/** The tree entry starting at byte `at`, and where the next one starts. */
export function decodeEntry(bytes: Uint8Array, at: number): { entry: TreeEntryInfo; end: number } {
  const space = bytes.indexOf(0x20, at);
  const nul = space < 0 ? -1 : bytes.indexOf(0, space + 1);
  if (space < 0 || nul < 0 || nul + 21 > bytes.length) throw new Error("malformed tree object");
  let mode = "";
  for (let i = at; i < space; i++) mode += String.fromCharCode(bytes[i]!);
  if (mode === "40000") mode = "040000";
  const type = TYPES[mode];
  if (type === undefined) throw new Error(`unknown file mode ${mode} in a tree object`);
  const path = decoder.decode(bytes.subarray(space + 1, nul));
  if (isUnsafeEntryName(path)) throw new Error(`unsafe file name "${path}" in a tree object`);
  return { entry: { path, oid: hex(bytes, nul + 1), mode, type }, end: nul + 21 };
}

/** Order of strings by code point (not UTF-16 unit), as isomorphic-git sorts tree entries. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return unitRank(x) - unitRank(y);
  }
  return a.length - b.length;
}

/** Surrogates (code points above U+FFFF) rank after U+E000–U+FFFF. */
const unitRank = (u: number) =>
  u >= 0xd800 && u <= 0xdfff ? u + 0x2000 : u >= 0xe000 ? u - 0x800 : u;

/**
 * The entries of a tree object, sorted by name. Throws when the object is malformed or
 * names an entry that could climb out of its folder (see {@link isUnsafeEntryName}).
 */
export function parseTree(data: Uint8Array): TreeEntryInfo[] {
  const entries: TreeEntryInfo[] = [];
  let at = 0;
  while (at < data.length) {
    const { entry, end } = decodeEntry(data, at);
    entries.push(entry);
    at = end;
  }
  return entries.sort((a, b) => compareCodePoints(a.path, b.path));
}

/** Git's `+0130` as minutes west of UTC, as isomorphic-git gives it (`-0000` is -0). */
function timezoneOffset(text: string): number {
  const match = /^([+-])(\d\d)(\d\d)$/.exec(text);
  if (match === null) return 0;
  const minutes = (match[1] === "+" ? 1 : -1) * (Number(match[2]) * 60 + Number(match[3]));
  return minutes === 0 ? minutes : -minutes;
}

function signature(text: string): Signature {
  const match = /^(.*) <(.*)> (.*) (.*)$/.exec(text);
  if (match === null) return { name: text, email: "", timestamp: 0, timezoneOffset: 0 };
  return {
    name: match[1]!,
    email: match[2]!,
    timestamp: Number(match[3]),
    timezoneOffset: timezoneOffset(match[4]!),
  };
}

/**
 * A commit object's metadata, read as git and isomorphic-git read it: `tree` first, the
 * `parent` lines right after it, the first of any other header; the message with carriage
 * returns and leading blank lines removed and one final newline.
 */
export function parseCommit(oid: string, data: Uint8Array): CommitInfo {
  const text = decoder.decode(data);
  const end = text.indexOf("\n\n");
  const headers: string[] = [];
  for (const line of text.slice(0, end).split("\n")) {
    // continuation lines (a signature's body) belong to the header before
    if (line.startsWith(" ") && headers.length > 0)
      headers[headers.length - 1] += `\n${line.slice(1)}`;
    else headers.push(line);
  }
  const keyOf = (h: string) => h.slice(0, h.indexOf(" "));
  const headerValue = (h: string) => h.slice(h.indexOf(" ") + 1);
  if (headers.length === 0 || keyOf(headers[0]!) !== "tree") {
    throw new Error(`the commit ${oid.slice(0, 12)} does not start with its tree`);
  }
  const tree = headerValue(headers[0]!);
  const parents: string[] = [];
  let index = 1;
  for (; index < headers.length && keyOf(headers[index]!) === "parent"; index++) {
    parents.push(headerValue(headers[index]!));
  }
  const first = new Map<string, string>();
  for (; index < headers.length; index++) {
    const key = keyOf(headers[index]!);
    if (!first.has(key)) first.set(key, headerValue(headers[index]!));
  }
  const message = `${text
    .slice(end + 2)
    .replace(/\r/g, "")
    .replace(/^\n+/, "")
    .replace(/\n+$/, "")}\n`;
  const nobody = { name: "", email: "", timestamp: 0, timezoneOffset: 0 };
  const author = first.has("author") ? signature(first.get("author")!) : undefined;
  const committer = first.has("committer") ? signature(first.get("committer")!) : undefined;
  return {
    oid,
    tree,
    parents,
    message,
    author: author ?? committer ?? nobody,
    committer: committer ?? author ?? nobody,
  };
}

/** The object an annotated tag points at. */
export function parseTagTarget(data: Uint8Array): string | undefined {
  return /^object ([0-9a-f]{40})$/m.exec(decoder.decode(data))?.[1];
}
