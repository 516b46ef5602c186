import * as fs from "node:fs";
import { join } from "node:path";
import { inflateSync } from "node:zlib";
import type { RawObject } from "../core/git/objects.js";
import type { ObjectReader } from "../core/git/repository.js";

/**
 * A reader of git objects from a repository's object store: pack files through their
 * version-2 index, and loose objects, inflated with node's zlib. History walks read tens
 * of thousands of objects, and this is several times faster than isomorphic-git's
 * JavaScript inflate. Anything it does not handle (an index of another version, an
 * object only reachable through alternates) answers `undefined`, and the caller falls
 * back to isomorphic-git. The store is seen as it was when the reader was made (packs
 * are listed once); a pack written later is found through that fallback.
 */
export function packReader(gitdir: string): ObjectReader & { close(): void } {
  const objects = join(gitdir, "objects");
  let packs: Pack[] | undefined;
  const loosePresent = new Map<string, ReadonlySet<string>>();
  const bases = new DecodedCache(48 * 1024 * 1024);

  const openPacks = (): Pack[] => {
    if (packs !== undefined) return packs;
    packs = [];
    let names: string[] = [];
    try {
      names = fs.readdirSync(join(objects, "pack"));
    } catch {
      names = [];
    }
    for (const name of names.filter((n) => n.endsWith(".idx")).sort()) {
      const pack = openPack(join(objects, "pack", name));
      if (pack !== undefined) packs.push(pack);
    }
    return packs;
  };

  const readLoose = (oid: string): RawObject | undefined => {
    const folder = oid.slice(0, 2);
    let names = loosePresent.get(folder);
    if (names === undefined) {
      try {
        names = new Set(fs.readdirSync(join(objects, folder)));
      } catch {
        names = new Set();
      }
      loosePresent.set(folder, names);
    }
    if (!names.has(oid.slice(2))) return undefined;
    const raw = inflateSync(fs.readFileSync(join(objects, folder, oid.slice(2))));
    const space = raw.indexOf(0x20);
    const nul = raw.indexOf(0, space);
    const type = raw.subarray(0, space).toString("latin1");
    if (!isType(type) || nul < 0) throw new Error(`the loose object ${oid} is malformed`);
    return { type, data: raw.subarray(nul + 1) };
  };

  const readPacked = (oid: string): RawObject | undefined => {
    const key = Buffer.from(oid, "hex");
    for (const pack of openPacks()) {
      const offset = pack.find(key);
      if (offset !== undefined) return pack.read(offset, bases, readAny);
    }
    return undefined;
  };

  // a REF_DELTA's base may sit in another pack, or be loose
  const readAny = (oid: string): RawObject | undefined => readPacked(oid) ?? readLoose(oid);

  return {
    read: async (oid) => {
      if (!/^[0-9a-f]{40}$/.test(oid)) return undefined;
      return readPacked(oid) ?? readLoose(oid);
    },
    close: () => {
      for (const pack of packs ?? []) pack.close();
    },
  };
}

const shared = new Map<string, { stamp: string; reader: ObjectReader & { close(): void } }>();

/**
 * One reader per object store for the whole process, so repeated calls (a server, a
 * watcher, a test suite) share decoded objects and hold one file descriptor per pack. A
 * store whose pack folder changed (a fetch, `git gc`) gets a new reader; the old one's
 * packs are closed.
 */
export function sharedPackReader(gitdir: string): ObjectReader {
  let stamp: string;
  try {
    const stat = fs.statSync(join(gitdir, "objects", "pack"));
    stamp = `${stat.mtimeMs}:${stat.ino}`;
  } catch {
    stamp = "none";
  }
  const known = shared.get(gitdir);
  if (known !== undefined && known.stamp === stamp) return known.reader;
  known?.reader.close();
  const reader = packReader(gitdir);
  shared.set(gitdir, { stamp, reader });
  return reader;
}

const TYPE_NAMES = ["", "commit", "tree", "blob", "tag"] as const;
const OFS_DELTA = 6;
const REF_DELTA = 7;

function isType(type: string): type is RawObject["type"] {
  return type === "commit" || type === "tree" || type === "blob" || type === "tag";
}

interface Pack {
  /** Closes the pack file (it is opened again if read after). */
  close(): void;
  /** The offset of an object in the pack file, or `undefined`. */
  find(oid: Buffer): number | undefined;
  read(
    offset: number,
    bases: DecodedCache,
    readAny: (oid: string) => RawObject | undefined,
  ): RawObject;
}

/** A pack and its version-2 index, or `undefined` when the index is of another kind. */
function openPack(idxPath: string): Pack | undefined {
  let idx: Buffer;
  try {
    idx = fs.readFileSync(idxPath);
  } catch {
    return undefined;
  }
  if (idx.length < 8 + 256 * 4 || idx.readUInt32BE(0) !== 0xff744f63 || idx.readUInt32BE(4) !== 2)
    return undefined;
  const count = idx.readUInt32BE(8 + 255 * 4);
  const names = 8 + 256 * 4;
  const offsets32 = names + count * 20 + count * 4;
  const offsets64 = offsets32 + count * 4;
  if (idx.length < offsets64 + 40) return undefined;
  const packPath = idxPath.replace(/\.idx$/, ".pack");
  let fd: number | undefined;
  let size = 0;
  let ends: Float64Array | undefined;

  const offsetAt = (i: number): number => {
    const small = idx.readUInt32BE(offsets32 + i * 4);
    if ((small & 0x80000000) === 0) return small;
    return Number(idx.readBigUInt64BE(offsets64 + (small & 0x7fffffff) * 8));
  };
  const file = (): number => {
    if (fd === undefined) {
      fd = fs.openSync(packPath, "r");
      size = fs.fstatSync(fd).size;
    }
    return fd;
  };
  /** Where the object at an offset ends: the next object's offset, or the trailing checksum. */
  const endOf = (offset: number): number => {
    if (ends === undefined) {
      ends = new Float64Array(count);
      for (let i = 0; i < count; i++) ends[i] = offsetAt(i);
      ends.sort();
    }
    let lo = 0;
    let hi = count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ends[mid]! <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo < count ? ends[lo]! : size - 20;
  };
  const bytesAt = (start: number, end: number): Buffer => {
    const buffer = Buffer.allocUnsafe(end - start);
    let read = 0;
    while (read < buffer.length) {
      const n = fs.readSync(file(), buffer, read, buffer.length - read, start + read);
      if (n === 0) throw new Error(`${packPath} is cut short`);
      read += n;
    }
    return buffer;
  };

  const read = (
    offset: number,
    bases: DecodedCache,
    readAny: (oid: string) => RawObject | undefined,
  ): RawObject => {
    const cached = bases.get(offset, packPath);
    if (cached !== undefined) return cached;
    file();
    const bytes = bytesAt(offset, endOf(offset));
    let at = 0;
    let byte = bytes[at++]!;
    const type = (byte >> 4) & 7;
    while (byte & 0x80) byte = bytes[at++]!;
    let object: RawObject;
    if (type === OFS_DELTA || type === REF_DELTA) {
      let base: RawObject | undefined;
      if (type === OFS_DELTA) {
        byte = bytes[at++]!;
        let distance = byte & 0x7f;
        while (byte & 0x80) {
          byte = bytes[at++]!;
          distance = (distance + 1) * 128 + (byte & 0x7f);
        }
        base = read(offset - distance, bases, readAny);
      } else {
        const baseOid = bytes.subarray(at, at + 20).toString("hex");
        at += 20;
        base = readAny(baseOid);
        if (base === undefined) throw new Error(`the delta base ${baseOid} is missing`);
      }
      object = { type: base.type, data: applyDelta(base.data, inflateSync(bytes.subarray(at))) };
    } else {
      const name = TYPE_NAMES[type];
      if (name === undefined || name === "")
        throw new Error(`unknown object type ${type} in ${packPath}`);
      object = { type: name, data: inflateSync(bytes.subarray(at)) };
    }
    bases.set(offset, packPath, object);
    return object;
  };

  return {
    close() {
      if (fd !== undefined) fs.closeSync(fd);
      fd = undefined;
    },
    find(oid) {
      const first = oid[0]!;
      let lo = first === 0 ? 0 : idx.readUInt32BE(8 + (first - 1) * 4);
      let hi = idx.readUInt32BE(8 + first * 4);
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const order = idx.compare(oid, 0, 20, names + mid * 20, names + mid * 20 + 20);
        if (order === 0) return offsetAt(mid);
        if (order > 0) hi = mid;
        else lo = mid + 1;
      }
      return undefined;
    },
    read,
  };
}

/** git's delta encoding: copy ranges of the base, insert literal bytes. */
function applyDelta(base: Uint8Array, delta: Uint8Array): Uint8Array {
  let at = 0;
  const size = (): number => {
    let value = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = delta[at++]!;
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return value;
  };
  if (size() !== base.length) throw new Error("a delta does not match its base");
  const out = Buffer.allocUnsafe(size());
  let written = 0;
  while (at < delta.length) {
    const op = delta[at++]!;
    if (op & 0x80) {
      let offset = 0;
      let length = 0;
      for (let bit = 0; bit < 4; bit++) if (op & (1 << bit)) offset |= delta[at++]! << (8 * bit);
      for (let bit = 0; bit < 3; bit++)
        if (op & (1 << (4 + bit))) length |= delta[at++]! << (8 * bit);
      offset >>>= 0;
      if (length === 0) length = 0x10000;
      if (offset + length > base.length || written + length > out.length)
        throw new Error("a delta copies outside its base");
      out.set(base.subarray(offset, offset + length), written);
      written += length;
    } else if (op !== 0) {
      if (at + op > delta.length || written + op > out.length)
        throw new Error("a delta inserts past its end");
      out.set(delta.subarray(at, at + op), written);
      at += op;
      written += op;
    } else {
      throw new Error("a delta has a reserved instruction");
    }
  }
  if (written !== out.length) throw new Error("a delta is shorter than it says");
  return out;
}

/** Recently decoded pack objects, by pack and offset, within a byte budget: delta bases. */
class DecodedCache {
  private readonly entries = new Map<string, RawObject>();
  private bytes = 0;
  constructor(private readonly budget: number) {}
  get(offset: number, pack: string): RawObject | undefined {
    const key = `${pack}:${offset}`;
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }
  set(offset: number, pack: string, object: RawObject): void {
    if (object.data.length > this.budget / 4) return;
    const key = `${pack}:${offset}`;
    if (this.entries.has(key)) return;
    this.entries.set(key, object);
    this.bytes += object.data.length;
    for (const [oldest, value] of this.entries) {
      if (this.bytes <= this.budget) break;
      this.entries.delete(oldest);
      this.bytes -= value.data.length;
    }
  }
}
