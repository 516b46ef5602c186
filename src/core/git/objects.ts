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
 * The entries of a tree object, sorted by name. Throws when the object is malformed or
 * names an entry that could climb out of its folder (`..`, `a/b`, `.git`).
 */
export function parseTree(data: Uint8Array): TreeEntryInfo[] {
  const entries: TreeEntryInfo[] = [];
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    const nul = space < 0 ? -1 : data.indexOf(0, space + 1);
    if (space < 0 || nul < 0 || nul + 21 > data.length) throw new Error("malformed tree object");
    let mode = "";
    for (let i = at; i < space; i++) mode += String.fromCharCode(data[i]!);
    if (mode === "40000") mode = "040000";
    const type = TYPES[mode];
    if (type === undefined) throw new Error(`unknown file mode ${mode} in a tree object`);
    const path = decoder.decode(data.subarray(space + 1, nul));
    if (path === "" || path === "." || path === ".." || /[/\\]/.test(path) || path === ".git") {
      throw new Error(`unsafe file name "${path}" in a tree object`);
    }
    entries.push({ path, oid: hex(data, nul + 1), mode, type });
    at = nul + 21;
  }
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Git's `+0130` as minutes west of UTC (isomorphic-git's convention: never -0). */
function timezoneOffset(text: string): number {
  const match = /^([+-])(\d\d)(\d\d)$/.exec(text);
  if (match === null) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  if (minutes === 0) return 0;
  return match[1] === "+" ? -minutes : minutes;
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

/** A commit object's metadata. */
export function parseCommit(oid: string, data: Uint8Array): CommitInfo {
  const text = decoder.decode(data);
  const end = text.indexOf("\n\n");
  const head = end < 0 ? text : text.slice(0, end);
  const message = end < 0 ? "" : text.slice(end + 2);
  let tree = "";
  const parents: string[] = [];
  let author: Signature | undefined;
  let committer: Signature | undefined;
  for (const line of head.split("\n")) {
    // continuation lines (a signature's body) start with a space
    if (line.startsWith(" ")) continue;
    const space = line.indexOf(" ");
    const key = line.slice(0, space);
    const value = line.slice(space + 1);
    if (key === "tree") tree = value;
    else if (key === "parent") parents.push(value);
    else if (key === "author") author = signature(value);
    else if (key === "committer") committer = signature(value);
  }
  if (!/^[0-9a-f]{40}$/.test(tree)) throw new Error(`the commit ${oid.slice(0, 12)} has no tree`);
  const nobody = { name: "", email: "", timestamp: 0, timezoneOffset: 0 };
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
