import { decodeEntry, type TreeEntryInfo } from "./objects.js";

/**
 * Comparing two versions of a git tree without decoding the entries they share.
 *
 * A history walk compares a big folder (10,000 tasks) between every pair of consecutive
 * commits, and only a handful of its entries differ each time. Decoding every entry (a
 * name, a hex id, an object) for every commit is what made walks slow; here the raw bytes
 * are compared in long runs (a native comparison on Node's Buffers), entries are decoded
 * only where the runs stop, and the offsets of the newer tree's entries come out of the
 * comparison, ready for the next commit's.
 */

/** A tree's bytes and where each entry starts (with the length as the last element). */
export interface RawTree {
  readonly bytes: Uint8Array;
  readonly starts: Uint32Array;
}

/** An entry present on one side only, or on both with another id or mode. */
export interface EntryChange {
  readonly before?: TreeEntryInfo;
  readonly after?: TreeEntryInfo;
}

/** Where each entry of a tree starts, by reading it through once. */
export function rawTree(bytes: Uint8Array): RawTree {
  const starts: number[] = [];
  let at = 0;
  while (at < bytes.length) {
    starts.push(at);
    at = entryEnd(bytes, at);
  }
  starts.push(bytes.length);
  return { bytes, starts: Uint32Array.from(starts) };
}

function entryEnd(bytes: Uint8Array, at: number): number {
  const nul = bytes.indexOf(0, at);
  if (nul < 0 || nul + 21 > bytes.length) throw new Error("malformed tree object");
  return nul + 21;
}

/** The entry at `at` decoded (names are checked as git checks them). */
export function entryAt(bytes: Uint8Array, at: number): TreeEntryInfo {
  return decodeEntry(bytes, at).entry;
}

/** Whether `n` bytes from `a[i]` and `b[j]` are equal; natively where the bytes are Buffers. */
function equalRun(a: Uint8Array, i: number, b: Uint8Array, j: number, n: number): boolean {
  const native = a as Uint8Array & {
    compare?: (t: Uint8Array, ts: number, te: number, ss: number, se: number) => number;
  };
  if (typeof native.compare === "function") return native.compare(b, j, j + n, i, i + n) === 0;
  for (let k = 0; k < n; k++) if (a[i + k] !== b[j + k]) return false;
  return true;
}

/** How many bytes from `a[i]` and `b[j]` are equal: galloping, then halving. */
function commonRun(a: Uint8Array, i: number, b: Uint8Array, j: number): number {
  const most = Math.min(a.length - i, b.length - j);
  let good = 0;
  let step = 64;
  while (step <= most && equalRun(a, i, b, j, step)) {
    good = step;
    step *= 2;
  }
  let bad = Math.min(step, most + 1);
  while (bad - good > 1) {
    const mid = (good + bad) >>> 1;
    if (equalRun(a, i, b, j, mid)) good = mid;
    else bad = mid;
  }
  return good;
}

/** The last index whose start is at or before `offset`. */
function lastStartAtOrBefore(starts: Uint32Array, from: number, offset: number): number {
  let lo = from;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Git's order of tree entries: by name bytes, a folder's name read as if it ended in "/". */
function compareNames(a: Uint8Array, i: number, b: Uint8Array, j: number): number {
  const aName = a.indexOf(0x20, i) + 1;
  const bName = b.indexOf(0x20, j) + 1;
  const aTree = a[i] === 0x34; // mode 40000
  const bTree = b[j] === 0x34;
  for (let k = 0; ; k++) {
    let x = a[aName + k]!;
    let y = b[bName + k]!;
    if (x === 0) x = aTree ? 0x2f : 0;
    if (y === 0) y = bTree ? 0x2f : 0;
    if (x !== y || x === 0 || x === 0x2f) return x - y;
  }
}

/**
 * The entries that differ between two versions of a tree, and the newer one's entry
 * offsets. Entries equal in name, mode and id are skipped without being decoded.
 */
export function diffRawTrees(
  before: RawTree,
  after: Uint8Array,
): { changes: EntryChange[]; after: RawTree } {
  const a = before.bytes;
  const starts = before.starts;
  const count = starts.length - 1;
  const b = after;
  const out: number[] = [];
  const changes: EntryChange[] = [];
  let i = 0; // entry index in a
  let pb = 0; // byte offset in b
  while (i < count || pb < b.length) {
    if (i < count && pb < b.length) {
      const pa = starts[i]!;
      const run = commonRun(a, pa, b, pb);
      // entries wholly inside the common run are unchanged, at shifted offsets in b
      const k = lastStartAtOrBefore(starts, i, pa + run);
      if (k > i) {
        const shift = pb - pa;
        for (let e = i; e < k; e++) out.push(starts[e]! + shift);
        pb += starts[k]! - pa;
        i = k;
        continue;
      }
    }
    // the entries at i and pb differ: same name (changed), or one comes first in git's order
    const order = i >= count ? 1 : pb >= b.length ? -1 : compareNames(a, starts[i]!, b, pb);
    const change: { before?: TreeEntryInfo; after?: TreeEntryInfo } = {};
    if (order <= 0) {
      change.before = entryAt(a, starts[i]!);
      i++;
    }
    if (order >= 0) {
      change.after = entryAt(b, pb);
      out.push(pb);
      pb = entryEnd(b, pb);
    }
    changes.push(change);
  }
  out.push(b.length);
  return { changes, after: { bytes: b, starts: Uint32Array.from(out) } };
}
