import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { TreeEntryInfo } from "./objects.js";
import { parseTree } from "./objects.js";
import { diffRawTrees, rawTree } from "./tree-diff.js";

interface Entry {
  readonly name: string;
  readonly tree: boolean;
  readonly id: number;
}

/** A tree object's bytes, in git's order (a folder's name sorts as if it ended in "/"). */
function encode(entries: readonly Entry[], asBuffer: boolean): Uint8Array {
  const key = (e: Entry) => Buffer.from(e.tree ? `${e.name}/` : e.name);
  const sorted = [...entries].sort((a, b) => Buffer.compare(key(a), key(b)));
  const parts = sorted.flatMap((e) => [
    Buffer.from(`${e.tree ? "40000" : "100644"} ${e.name}\0`),
    Buffer.from(e.id.toString(16).padStart(40, "0"), "hex"),
  ]);
  const bytes = Buffer.concat(parts);
  return asBuffer ? bytes : new Uint8Array(bytes);
}

const name = fc.stringMatching(/^[a-z0-9.-]{1,6}$/).filter((n) => !/^\.+$/.test(n));
const entries = fc.uniqueArray(fc.record({ name, tree: fc.boolean(), id: fc.nat(20) }), {
  selector: (e) => e.name,
  maxLength: 60,
});

/**
 * The expected differences as sorted strings, matching entries by name and kind: a file
 * and a folder of the same name sort apart in git's order, so git (and the diff) sees one
 * removed and one added.
 */
function naive(a: readonly TreeEntryInfo[], b: readonly TreeEntryInfo[]): string[] {
  const out: string[] = [];
  const key = (e: TreeEntryInfo) => `${e.path}${e.type === "tree" ? "/" : ""}`;
  const left = new Map(a.map((e) => [key(e), e]));
  for (const r of b) {
    const l = left.get(key(r));
    left.delete(key(r));
    if (l === undefined) out.push(`+${r.path}`);
    else if (l.oid !== r.oid || l.mode !== r.mode) out.push(`~${r.path}`);
  }
  for (const l of left.values()) out.push(`-${l.path}`);
  return out.sort();
}

describe("diffRawTrees", () => {
  it.each([true, false])(
    "finds exactly the entries added, removed and changed (bytes as Buffer: %s)",
    (asBuffer) => {
      fc.assert(
        fc.property(entries, entries, fc.integer({ min: 0, max: 200 }), (one, two, padding) => {
          // long shared runs of unchanged entries, as in a big folder
          const common = Array.from({ length: padding }, (_, i) => ({
            name: `same-${i}`,
            tree: false,
            id: i,
          }));
          const a = encode([...common, ...one], asBuffer);
          const b = encode([...common, ...two], asBuffer);
          const { changes, after } = diffRawTrees(rawTree(a), b);
          const got = changes
            .map(
              (c) =>
                (c.before && c.after ? "~" : c.after ? "+" : "-") + (c.after ?? c.before)!.path,
            )
            .sort();
          expect(got).toEqual(naive(parseTree(a), parseTree(b)));
          expect([...after.starts]).toEqual([...rawTree(b).starts]);
        }),
        { numRuns: 400 },
      );
    },
  );

  it("tells a folder from a file of the same name", () => {
    const a = encode([{ name: "x", tree: false, id: 1 }], true);
    const b = encode([{ name: "x", tree: true, id: 1 }], true);
    const { changes } = diffRawTrees(rawTree(a), b);
    const oid = `${"0".repeat(39)}1`;
    expect(changes).toEqual([
      { before: { path: "x", oid, mode: "100644", type: "blob" } },
      { after: { path: "x", oid, mode: "040000", type: "tree" } },
    ]);
  });

  it("refuses a malformed tree and an entry name that climbs out of its folder", () => {
    expect(() => rawTree(Buffer.from("100644 a\0short"))).toThrow(/malformed/);
    const bad = Buffer.concat([Buffer.from("100644 ..\0"), Buffer.alloc(20)]);
    expect(() => diffRawTrees(rawTree(new Uint8Array(0)), bad)).toThrow(/unsafe file name/);
  });
});
