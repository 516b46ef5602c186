import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateSync } from "node:zlib";
import { readCommit, readTree } from "isomorphic-git";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCommit, parseTree, type TreeEntryInfo } from "../core/git/objects.js";
import {
  GitProblem,
  readBlobBytes,
  readCommitInfo,
  readTreeEntries,
} from "../core/git/repository.js";
import { commitAll, GIT_ENV, git, write } from "../test-support/git.js";
import { ACME, tempDir } from "../test-support/temp.js";
import { loadTrackerAt, repositoryOf } from "./git.js";
import { packReader } from "./git-objects.js";
import { loadTracker } from "./load.js";

// The node object reader (pack files through their index, loose objects, node's zlib),
// proved byte for byte against the git binary on real repositories: packs with offset
// deltas (gc --aggressive) and with ref deltas, objects split between packs and loose
// files, a damaged pack, and a large file whose deltas copy 64 KiB at a time.

/** Folders made for a whole describe block (tempDir's are removed after every test). */
const shared: string[] = [];
function sharedDir(prefix: string): string {
  const dir = fs.mkdtempSync(join(tmpdir(), prefix));
  shared.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of shared.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A deterministic stream of words, so repositories (and their packs) are the same each run. */
function words(seed: number): () => string {
  const vocabulary =
    "signup form validation pricing page api token rate limit cache invalidation deploy staging review blocked estimate milestone release notes dark mode tokens contrast accessibility audit backup restore drill postgres replica failover dashboard grafana alert on call rotation invoice export csv webhook retry queue worker timeout flaky test coverage refactor design copy hero banner cookie consent footer legal analytics funnel".split(
      " ",
    );
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return vocabulary[state % vocabulary.length]!;
  };
}

/** `count` lines of text, each a short numbered sentence. */
function lines(seed: number, count: number, prefix = ""): string[] {
  const next = words(seed);
  return Array.from({ length: count }, (_, i) => {
    const n = 5 + (i % 7);
    return `${prefix}${i + 1}. ${Array.from({ length: n }, next).join(" ")}.`;
  });
}

/** Rewrites a file of the working tree. */
function change(dir: string, path: string, rewrite: (text: string) => string): void {
  const full = join(dir, ...path.split("/"));
  fs.writeFileSync(full, rewrite(fs.readFileSync(full, "utf8")));
}

interface GitObject {
  readonly type: string;
  readonly data: Buffer;
}

/** The objects as `git cat-file --batch` gives them: the type and the exact content. */
function catFile(dir: string, oids: readonly string[]): Map<string, GitObject> {
  const out = execFileSync("git", ["cat-file", "--batch"], {
    cwd: dir,
    env: GIT_ENV,
    input: `${oids.join("\n")}\n`,
    maxBuffer: 256 * 1024 * 1024,
  });
  const objects = new Map<string, GitObject>();
  let at = 0;
  for (const oid of oids) {
    const eol = out.indexOf(0x0a, at);
    const header = out.subarray(at, eol).toString("latin1");
    const [name, type, size] = header.split(" ");
    if (name !== oid || type === undefined || size === undefined)
      throw new Error(`git cat-file --batch said "${header}" for ${oid}`);
    const start = eol + 1;
    objects.set(oid, { type, data: out.subarray(start, start + Number(size)) });
    at = start + Number(size) + 1;
  }
  return objects;
}

/** One object through `git cat-file <type> <oid>` (or `-p`). */
function catFileOne(dir: string, type: string, oid: string): Buffer {
  return execFileSync("git", ["cat-file", type, oid], {
    cwd: dir,
    env: GIT_ENV,
    maxBuffer: 64 * 1024 * 1024,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Every object of a repository: all reachable ones and every commit, plus any others stored. */
function objectIds(dir: string): string[] {
  const reachable = git(dir, ["rev-list", "--objects", "--all"])
    .split("\n")
    .map((line) => line.slice(0, 40));
  const commits = git(dir, ["rev-list", "--all"]).split("\n");
  const stored = git(dir, ["cat-file", "--batch-all-objects", "--batch-check=%(objectname)"]).split(
    "\n",
  );
  return [...new Set([...reachable, ...commits, ...stored])].filter((oid) => oid !== "").sort();
}

const row = (entry: TreeEntryInfo) => [entry.path, entry.oid, entry.mode, entry.type];

/**
 * Reads every object of the repository with packReader and expects git's type and bytes,
 * and, for commits and trees, isomorphic-git's reading of them. Returns counts by type.
 */
async function expectReadsAsGit(
  dir: string,
  options: { skip?: ReadonlySet<string>; isomorphic?: boolean } = {},
): Promise<Record<string, number>> {
  const skip = options.skip ?? new Set();
  const gitdir = join(dir, ".git");
  const reader = packReader(gitdir);
  const oids = objectIds(dir).filter((oid) => !skip.has(oid));
  const expected = catFile(dir, oids);
  const cache = {};
  const counts: Record<string, number> = {};
  for (const oid of oids) {
    const want = expected.get(oid)!;
    const got = await reader.read(oid);
    expect(got?.type, oid).toBe(want.type);
    if (got === undefined) continue;
    expect(Buffer.from(got.data).equals(want.data), `the bytes of ${want.type} ${oid}`).toBe(true);
    counts[want.type] = (counts[want.type] ?? 0) + 1;
    if (options.isomorphic === false) continue;
    if (want.type === "commit") {
      const { commit } = await readCommit({ fs, dir, gitdir, oid, cache });
      expect(parseCommit(oid, got.data), oid).toEqual({
        oid,
        tree: commit.tree,
        parents: commit.parent,
        message: commit.message,
        author: commit.author,
        committer: commit.committer,
      });
    } else if (want.type === "tree") {
      const { tree } = await readTree({ fs, dir, gitdir, oid, cache });
      expect(parseTree(got.data).map(row), oid).toEqual(
        tree.map((e) => [e.path, e.oid, e.mode, e.type]),
      );
    }
  }
  return counts;
}

/** One object of a pack as `git verify-pack -v` lists it, with its kind from the pack itself. */
interface PackedObject {
  readonly oid: string;
  readonly type: string;
  readonly packedSize: number;
  readonly offset: number;
  /** 0 for a whole object. */
  readonly depth: number;
  readonly base?: string;
  /** The pack file. */
  readonly pack: string;
  /** The type bits of the entry's header: 1-4 whole, 6 OFS_DELTA, 7 REF_DELTA. */
  readonly kind: number;
}

function packedObjects(gitdir: string): PackedObject[] {
  const folder = join(gitdir, "objects", "pack");
  const out: PackedObject[] = [];
  for (const name of fs.readdirSync(folder).filter((n) => n.endsWith(".idx"))) {
    const pack = join(folder, name.replace(/\.idx$/, ".pack"));
    const bytes = fs.readFileSync(pack);
    const listing = execFileSync("git", ["verify-pack", "-v", join(folder, name)], {
      env: GIT_ENV,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    for (const line of listing.split("\n")) {
      const m =
        /^([0-9a-f]{40}) (commit|tree|blob|tag)\s+(\d+) (\d+) (\d+)(?: (\d+) ([0-9a-f]{40}))?$/.exec(
          line,
        );
      if (m === null) continue;
      const offset = Number(m[5]);
      out.push({
        oid: m[1]!,
        type: m[2]!,
        packedSize: Number(m[4]),
        offset,
        depth: m[6] === undefined ? 0 : Number(m[6]),
        ...(m[7] === undefined ? {} : { base: m[7] }),
        pack,
        kind: (bytes[offset]! >> 4) & 7,
      });
    }
  }
  return out;
}

/** The loose objects of a repository. */
function looseObjects(gitdir: string): string[] {
  const objects = join(gitdir, "objects");
  return fs
    .readdirSync(objects)
    .filter((folder) => /^[0-9a-f]{2}$/.test(folder))
    .flatMap((folder) => fs.readdirSync(join(objects, folder)).map((name) => folder + name));
}

/** The copy instructions of a packed delta: where in the base, how long, and whether the length was left out (0x10000). */
function deltaCopies(entry: PackedObject): { offset: number; length: number; implied: boolean }[] {
  const bytes = fs.readFileSync(entry.pack).subarray(entry.offset, entry.offset + entry.packedSize);
  let at = 0;
  while (bytes[at++]! & 0x80) {}
  if (entry.kind === 6) while (bytes[at++]! & 0x80) {}
  else if (entry.kind === 7) at += 20;
  else throw new Error(`${entry.oid} is not a delta`);
  const delta = inflateSync(bytes.subarray(at));
  let i = 0;
  while (delta[i++]! & 0x80) {}
  while (delta[i++]! & 0x80) {}
  const copies: { offset: number; length: number; implied: boolean }[] = [];
  while (i < delta.length) {
    const op = delta[i++]!;
    if (op & 0x80) {
      let offset = 0;
      let length = 0;
      for (let bit = 0; bit < 4; bit++) if (op & (1 << bit)) offset += delta[i++]! * 2 ** (8 * bit);
      for (let bit = 0; bit < 3; bit++)
        if (op & (1 << (4 + bit))) length += delta[i++]! * 2 ** (8 * bit);
      copies.push({ offset, length: length === 0 ? 0x10000 : length, implied: length === 0 });
    } else i += op;
  }
  return copies;
}

const TASKS = "tracker/projects/web/tasks";
const ZONES = ["+02:00", "-07:00", "+05:30", "Z", "-03:30", "+09:00", "+01:00"];
const STATUSES = ["todo", "doing", "review", "done", "blocked"];

/**
 * A product repository with acme's plan in tracker/, an executable script, a symbolic
 * link, a submodule, names git orders unlike a plain sort, and 30 commits of edits to
 * task files (statuses, checklists, new notes, new and removed files) in several time
 * zones, with a merged branch and an annotated tag. Not packed yet.
 */
function makeProject(): { root: string; tracker: string } {
  const root = sharedDir("trackdown-objects-");
  fs.cpSync(ACME, join(root, "tracker"), {
    recursive: true,
    filter: (src) => !src.includes(".trackdown"),
  });
  write(root, "README.md", "# A product repository with its plan in tracker/\n");
  write(root, "scripts/release.sh", "#!/bin/sh\nset -eu\nnpm run build\nnpm publish\n");
  fs.chmodSync(join(root, "scripts", "release.sh"), 0o755);
  fs.symlinkSync("tracker/README.md", join(root, "PLAN.md"));
  // git sorts a folder as if its name ended in "/": "a-b.md" and "a.md" before "a/"
  write(root, "notes/a-b.md", "dash\n");
  write(root, "notes/a.md", "dot\n");
  write(root, "notes/a/index.md", "folder\n");
  write(root, "notes/ä-umlaut.md", "non-ASCII name\n");
  const theme = join(root, "vendor", "theme");
  fs.mkdirSync(theme, { recursive: true });
  write(theme, "theme.css", "body { color: #222; }\n");
  git(theme, ["init", "-q", "-b", "main"]);
  commitAll(theme, "Theme", "2026-09-01T10:00:00Z");
  git(root, ["init", "-q", "-b", "main"]);
  commitAll(root, "Acme plan", "2026-10-01T09:00:00+02:00");

  const tasks = fs
    .readdirSync(join(root, ...TASKS.split("/")))
    .sort()
    .map((name) => `${TASKS}/${name}`);
  const removable = fs
    .readdirSync(join(root, "tracker", "projects", "ops", "tasks"))
    .sort()
    .map((name) => `tracker/projects/ops/tasks/${name}`);
  const date = (i: number) =>
    `2026-10-${String(2 + (i % 27)).padStart(2, "0")}T${String(8 + (i % 10)).padStart(2, "0")}:15:00${ZONES[i % ZONES.length]}`;
  for (let i = 1; i <= 30; i++) {
    if (i === 20) {
      git(root, ["checkout", "-q", "-b", "feature"]);
      change(
        root,
        tasks[0]!,
        (t) => `${t}\nDesign review notes:\n\n${lines(900, 12).join("\n")}\n`,
      );
      commitAll(root, "Design review notes for the first task", date(i));
      git(root, ["checkout", "-q", "main"]);
    }
    const task = tasks[(i * 7) % tasks.length]!;
    change(root, task, (t) =>
      t
        .replace(/^status: .*$/m, `status: ${STATUSES[i % STATUSES.length]}`)
        .replace("- [ ]", "- [x]")
        .concat(`\n## Update ${i}\n\n${lines(i, 3 + (i % 5)).join("\n")}\n`),
    );
    if (i % 4 === 0)
      write(
        root,
        `tracker/time/2026-10/2026-10-${String(i).padStart(2, "0")}-ana-WEB-16-n${i}.yml`,
        `person: ana\ntask: WEB-16\ndate: 2026-10-${String(i).padStart(2, "0")}\nduration: ${i % 3}h30m\nnote: Pairing session ${i}\n`,
      );
    if (i % 9 === 0) fs.rmSync(join(root, ...removable[i / 9]!.split("/")));
    if (i === 12) fs.writeFileSync(join(root, "scripts", "release.sh"), "#!/bin/sh\nexit 0\n");
    commitAll(
      root,
      `Update ${i}: ${task.slice(TASKS.length + 1, -3)}\n\nMore words ${i}.`,
      date(i),
    );
    if (i === 15)
      git(root, ["tag", "-a", "v1", "-m", "Beta plan"], { GIT_COMMITTER_DATE: date(i) });
    if (i === 20)
      git(root, ["merge", "-q", "--no-ff", "feature", "-m", "Merge the design review"], {
        GIT_AUTHOR_DATE: date(i),
        GIT_COMMITTER_DATE: date(i),
      });
  }
  return { root, tracker: join(root, "tracker") };
}

describe("packReader against git", () => {
  let project: { root: string; tracker: string };
  let refDeltas: string;
  beforeAll(() => {
    project = makeProject();
    git(project.root, ["gc", "-q", "--aggressive"]);
    refDeltas = sharedDir("trackdown-objects-ref-");
    fs.cpSync(project.root, refDeltas, { recursive: true });
    git(refDeltas, ["-c", "repack.useDeltaBaseOffset=false", "repack", "-q", "-a", "-d", "-f"]);
  });

  it("reads every object of a gc --aggressive pack (offset deltas) as git does", async () => {
    const gitdir = join(project.root, ".git");
    expect(looseObjects(gitdir)).toEqual([]);
    const packed = packedObjects(gitdir);
    const deltas = packed.filter((o) => o.depth > 0);
    expect(deltas.length).toBeGreaterThan(20);
    expect(deltas.some((o) => o.depth > 1)).toBe(true);
    expect(new Set(deltas.map((o) => o.kind))).toEqual(new Set([6]));

    const counts = await expectReadsAsGit(project.root);
    expect(counts.commit).toBe(33);
    expect(counts.tag).toBe(1);
    expect(counts.tree).toBeGreaterThan(60);
    expect(counts.blob).toBeGreaterThan(250);
    expect(packed.length).toBe(Object.values(counts).reduce((a, b) => a + b, 0));
  });

  it("reads every object of a pack with ref deltas as git does", async () => {
    const gitdir = join(refDeltas, ".git");
    const deltas = packedObjects(gitdir).filter((o) => o.depth > 0);
    expect(deltas.length).toBeGreaterThan(20);
    expect(new Set(deltas.map((o) => o.kind))).toEqual(new Set([7]));
    await expectReadsAsGit(refDeltas);
  });

  it("agrees with git cat-file <type> on one object of each type, and on the odd tree entries", async () => {
    const { root } = project;
    const reader = packReader(join(root, ".git"));
    const oids = {
      commit: git(root, ["rev-parse", "HEAD"]),
      tree: git(root, ["rev-parse", "HEAD:notes"]),
      blob: git(root, ["rev-parse", "HEAD:scripts/release.sh"]),
      tag: git(root, ["rev-parse", "v1"]),
    };
    for (const [type, oid] of Object.entries(oids)) {
      const got = await reader.read(oid);
      expect(got?.type).toBe(type);
      expect(Buffer.from(got!.data).equals(catFileOne(root, type, oid))).toBe(true);
    }
    const tree = async (rev: string) =>
      parseTree((await reader.read(git(root, ["rev-parse", rev])))!.data).map((e) => [
        e.path,
        e.mode,
        e.type,
      ]);
    expect(await tree("HEAD^{tree}")).toEqual([
      ["PLAN.md", "120000", "blob"],
      ["README.md", "100644", "blob"],
      ["notes", "040000", "tree"],
      ["scripts", "040000", "tree"],
      ["tracker", "040000", "tree"],
      ["vendor", "040000", "tree"],
    ]);
    expect(await tree("HEAD:vendor")).toEqual([["theme", "160000", "commit"]]);
    expect(await tree("HEAD~1:scripts")).toEqual([["release.sh", "100755", "blob"]]);
    // sorted by name, as isomorphic-git gives them, not in git's order (a folder as "a/")
    expect(await tree("HEAD:notes")).toEqual([
      ["a", "040000", "tree"],
      ["a-b.md", "100644", "blob"],
      ["a.md", "100644", "blob"],
      ["ä-umlaut.md", "100644", "blob"],
    ]);
    const gitOrder = git(root, [
      "-c",
      "core.quotePath=false",
      "ls-tree",
      "--name-only",
      "HEAD:notes",
    ]);
    expect(gitOrder.split("\n")).toEqual(["a-b.md", "a.md", "a", "ä-umlaut.md"]);
  });

  it("finds objects split between two packs and loose files", async () => {
    const dir = tempDir("trackdown-objects-split-");
    fs.cpSync(project.root, dir, { recursive: true });
    const gitdir = join(dir, ".git");
    const task = `${TASKS}/WEB-16-signup-form-with-inline-validation.md`;
    const update = (i: number) => {
      change(dir, task, (t) => `${t}\nFollow-up ${i}:\n${lines(500 + i, 4).join("\n")}\n`);
      return commitAll(dir, `Follow-up ${i}`, `2026-11-0${i}T10:00:00+01:00`);
    };
    const inFirstPack = git(dir, ["rev-parse", "HEAD"]);
    const inSecondPack = [update(1), update(2), update(3)];
    git(dir, ["repack", "-q", "-d"]);
    const loose = [update(4), update(5)];

    const packs = new Map<string, string[]>();
    for (const o of packedObjects(gitdir)) packs.set(o.pack, [...(packs.get(o.pack) ?? []), o.oid]);
    expect(packs.size).toBe(2);
    const [first, second] = [...packs.values()].sort((a, b) => b.length - a.length);
    expect(first).toContain(inFirstPack);
    expect(second).toEqual(expect.arrayContaining(inSecondPack));
    expect(second!.length).toBeGreaterThan(3 * 4);
    const looseNow = looseObjects(gitdir);
    expect(looseNow).toEqual(expect.arrayContaining(loose));
    expect(looseNow.length).toBeGreaterThan(2 * 4);

    const counts = await expectReadsAsGit(dir);
    expect(counts.commit).toBe(33 + 5);
    const reader = packReader(gitdir);
    for (const oid of [inFirstPack, ...inSecondPack, ...loose])
      expect((await reader.read(oid))?.type).toBe("commit");
  });

  it("answers undefined for an object it does not have, and for what is not an object id", async () => {
    const { root } = project;
    const reader = packReader(join(root, ".git"));
    const head = git(root, ["rev-parse", "HEAD"]);
    const absent = execFileSync("git", ["hash-object", "--stdin"], {
      env: GIT_ENV,
      input: "never committed\n",
      encoding: "utf8",
    }).trim();
    expect(() => git(root, ["cat-file", "-e", absent])).toThrow();
    for (const oid of [
      "0".repeat(40),
      "f".repeat(40),
      absent,
      `${head.slice(0, 39)}${head[39] === "0" ? "1" : "0"}`,
    ])
      expect(await reader.read(oid), oid).toBeUndefined();
    for (const text of [
      "",
      "HEAD",
      "main",
      head.slice(0, 12),
      head.slice(1),
      `${head}0`,
      head.toUpperCase(),
      ` ${head}`,
      `${head}\n`,
      "z".repeat(40),
      "../../../../../../etc/passwd",
    ])
      expect(await reader.read(text), JSON.stringify(text)).toBeUndefined();
    expect((await reader.read(head))?.type).toBe("commit");
    // a folder that holds no objects at all
    expect(await packReader(tempDir()).read(head)).toBeUndefined();
  });
});

describe("a repository with only loose objects", () => {
  it("reads them all as git does", async () => {
    const dir = tempDir("trackdown-objects-loose-");
    write(dir, "tracker/trackdown.yml", "timezone: Europe/Berlin\n");
    write(dir, "tracker/notes.md", `${lines(7, 40).join("\n")}\n`);
    git(dir, ["init", "-q", "-b", "main"]);
    commitAll(dir, "First", "2026-10-01T09:00:00+02:00");
    change(dir, "tracker/notes.md", (t) => t.replace("1. ", "1. (edited) "));
    commitAll(dir, "Second", "2026-10-02T09:00:00+02:00");
    expect(packedObjects(join(dir, ".git"))).toEqual([]);
    expect(await expectReadsAsGit(dir)).toEqual({ commit: 2, tree: 4, blob: 3 });
  });
});

describe("a damaged pack", () => {
  /** acme in tracker/ and a handbook outside it, packed by gc; copied by each test. */
  let base: string;
  beforeAll(() => {
    base = sharedDir("trackdown-objects-damaged-");
    fs.cpSync(ACME, join(base, "tracker"), {
      recursive: true,
      filter: (src) => !src.includes(".trackdown"),
    });
    write(base, "docs/handbook.txt", `${lines(77, 600).join("\n")}\n`);
    git(base, ["init", "-q", "-b", "main"]);
    commitAll(base, "Plan and handbook", "2026-10-01T09:00:00+02:00");
    git(base, ["gc", "-q"]);
  });

  const middleOf = (entry: PackedObject) => entry.offset + Math.floor(entry.packedSize / 2);

  /** A copy of the base repository with 8 bytes overwritten in the middle of one packed object. */
  function damaged(
    pick: (entries: PackedObject[], packSize: number, root: string) => PackedObject,
  ) {
    const root = tempDir("trackdown-objects-damaged-");
    fs.cpSync(base, root, { recursive: true });
    const gitdir = join(root, ".git");
    const entries = packedObjects(gitdir);
    const pack = entries[0]!.pack;
    const position = middleOf(pick(entries, fs.statSync(pack).size, root));
    fs.chmodSync(pack, 0o644);
    const fd = fs.openSync(pack, "r+");
    try {
      fs.writeSync(fd, Buffer.alloc(8, 0x55), 0, 8, position);
    } finally {
      fs.closeSync(fd);
    }
    return { root, gitdir, tracker: join(root, "tracker"), entries };
  }

  it("fails on exactly the objects git cannot read, and reads the rest as git does", async () => {
    // the middle of the blob that sits in the middle of the pack
    const { root, gitdir, tracker, entries } = damaged(
      (objects, size) =>
        objects
          .filter((o) => o.type === "blob" && o.depth === 0)
          .sort((a, b) => Math.abs(middleOf(a) - size / 2) - Math.abs(middleOf(b) - size / 2))[0]!,
    );
    const reader = packReader(gitdir);
    const failed = new Map<string, string>();
    for (const { oid } of entries) {
      const error = await reader.read(oid).then(
        () => undefined,
        (e: unknown) => e,
      );
      if (error !== undefined) failed.set(oid, (error as Error).message);
    }
    expect(failed.size).toBeGreaterThan(0);
    for (const oid of failed.keys()) expect(() => catFileOne(root, "-p", oid)).toThrow(/corrupt/);
    // every other object reads as git gives it (isomorphic-git refuses the whole pack now)
    await expectReadsAsGit(root, { skip: new Set(failed.keys()), isomorphic: false });
    const head = git(root, ["rev-parse", "HEAD"]);
    await expect(readCommit({ fs, gitdir, oid: head })).rejects.toThrow(
      /Packfile payload corrupted/,
    );

    const { repo } = await repositoryOf(tracker);
    expect((await readCommitInfo(repo, head)).tree).toBe(git(root, ["rev-parse", "HEAD^{tree}"]));
    for (const oid of failed.keys()) {
      const error = await readBlobBytes(repo, oid).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(GitProblem);
      expect((error as GitProblem).message).toMatch(
        new RegExp(`^The file object ${oid.slice(0, 12)} could not be read: .*corrupted`, "s"),
      );
      // one plain sentence, not isomorphic-git's "please report this" boilerplate
      expect((error as GitProblem).message).not.toMatch(/internal error|\.\.$|\n/);
    }

    // the tracker still loads; the damaged files are reported, the others are read
    const files = new Map(
      git(root, ["ls-tree", "-r", "HEAD", "tracker"])
        .split("\n")
        .map((line) => /^\d+ blob ([0-9a-f]{40})\ttracker\/(.*)$/.exec(line)!)
        .map((m) => [m[2]!, m[1]!]),
    );
    const lost = [...files].filter(([, oid]) => failed.has(oid)).map(([path]) => path);
    expect(lost.length).toBeGreaterThan(0);
    const snapshot = await loadTrackerAt(tracker, "HEAD");
    const working = await loadTracker(tracker, { cache: false });
    expect(
      snapshot.diagnostics
        .filter((d) => d.code === "TD001")
        .map((d) => d.file)
        .sort(),
    ).toEqual(lost.sort());
    expect(snapshot.tasks.length + lost.filter((p) => p.includes("/tasks/")).length).toBe(
      working.tasks.length,
    );
  });

  it("reports a damaged object as a GitProblem, and loads a tracker that does not need it", async () => {
    const { root, gitdir, tracker, entries } = damaged((objects, _, copy) => {
      const oid = git(copy, ["rev-parse", "HEAD:docs/handbook.txt"]);
      return objects.find((o) => o.oid === oid)!;
    });
    const handbook = git(root, ["rev-parse", "HEAD:docs/handbook.txt"]);
    // nothing else is built on it
    expect(entries.filter((o) => o.base === handbook)).toEqual([]);
    await expect(packReader(gitdir).read(handbook)).rejects.toThrow();
    const { repo } = await repositoryOf(tracker);
    const error = await readBlobBytes(repo, handbook).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GitProblem);
    expect((error as GitProblem).message).toContain(handbook.slice(0, 12));

    // the commit, its trees and the tracker's files are intact and read through packReader
    const top = await readTreeEntries(repo, git(root, ["rev-parse", "HEAD^{tree}"]));
    expect(top.map((e) => [e.path, e.type])).toEqual([
      ["docs", "tree"],
      ["tracker", "tree"],
    ]);
    const task = "tracker/projects/web/tasks/WEB-16-signup-form-with-inline-validation.md";
    expect(
      Buffer.from(await readBlobBytes(repo, git(root, ["rev-parse", `HEAD:${task}`]))).equals(
        fs.readFileSync(join(root, ...task.split("/"))),
      ),
    ).toBe(true);
    const [snapshot, working] = await Promise.all([
      loadTrackerAt(tracker, "HEAD"),
      loadTracker(tracker, { cache: false }),
    ]);
    expect(snapshot.tasks.map((t) => [t.id, t.status, t.file])).toEqual(
      working.tasks.map((t) => [t.id, t.status, t.file]),
    );
    expect(snapshot.diagnostics).toEqual(working.diagnostics);
  });
});

describe("a large file", () => {
  it("reads back every version of a 300 KB file whose deltas copy 64 KiB at a time", async () => {
    const dir = tempDir("trackdown-objects-large-");
    const path = "tracker/files/export.txt";
    let body = lines(2024, 5200);
    const versions: string[] = [];
    const commits: string[] = [];
    const save = (message: string, date: string) => {
      versions.push(`${body.join("\n")}\n`);
      write(dir, path, versions.at(-1)!);
      commits.push(commitAll(dir, message, date));
    };
    git(dir, ["init", "-q", "-b", "main"]);
    save("Export", "2026-10-01T09:00:00+02:00");
    expect(versions[0]!.length).toBeGreaterThan(300_000);
    // small edits far apart, so the deltas are mostly long copies
    body = body.map((line, i) => (i === 3 || i === 2600 ? `${line} (checked)` : line));
    save("Checked two lines", "2026-10-02T09:00:00+02:00");
    body.splice(1500, 0, "Inserted after review.");
    body.splice(4100, 1);
    save("One line more, one less", "2026-10-03T09:00:00+02:00");
    body.push("The end.");
    body[0] = body[0]!.toUpperCase();
    save("Shouting", "2026-10-04T09:00:00+02:00");
    git(dir, ["gc", "-q", "--aggressive"]);

    const gitdir = join(dir, ".git");
    const blobs = commits.map((commit) => git(dir, ["rev-parse", `${commit}:${path}`]));
    for (const refs of [false, true]) {
      if (refs)
        git(dir, ["-c", "repack.useDeltaBaseOffset=false", "repack", "-q", "-a", "-d", "-f"]);
      const deltas = packedObjects(gitdir).filter((o) => blobs.includes(o.oid) && o.depth > 0);
      expect(deltas.length).toBeGreaterThanOrEqual(2);
      expect(new Set(deltas.map((o) => o.kind))).toEqual(new Set([refs ? 7 : 6]));
      const copies = deltas.flatMap(deltaCopies);
      // a copy of exactly 0x10000 bytes leaves its length out; offsets need three bytes
      expect(copies.filter((c) => c.implied).length).toBeGreaterThanOrEqual(4);
      expect(copies.some((c) => c.offset >= 0x40000)).toBe(true);

      const reader = packReader(gitdir);
      const { repo } = await repositoryOf(join(dir, "tracker"));
      for (const [i, oid] of blobs.entries()) {
        const object = await reader.read(oid);
        expect(object?.type).toBe("blob");
        expect(Buffer.from(object!.data).toString("utf8") === versions[i], `version ${i}`).toBe(
          true,
        );
        expect(Buffer.from(object!.data).equals(catFileOne(dir, "blob", oid))).toBe(true);
        expect(Buffer.from(await readBlobBytes(repo, oid)).equals(object!.data)).toBe(true);
      }
    }
  });
});

describe("one reader per object store", () => {
  it("holds one file descriptor per pack however many times a repository is opened", async () => {
    const dir = tempDir("trackdown-objects-fd-");
    fs.cpSync(ACME, join(dir, "tracker"), { recursive: true });
    git(dir, ["init", "-q", "-b", "main"]);
    commitAll(dir, "Plan", "2026-11-01T10:00:00Z");
    git(dir, ["gc", "-q"]);
    const blob = git(dir, ["rev-parse", "HEAD:tracker/trackdown.yml"]);
    const open = () => fs.readdirSync("/proc/self/fd").length;
    const read = async () => {
      const { repo } = await repositoryOf(join(dir, "tracker"));
      return Buffer.from(await readBlobBytes(repo, blob)).toString("utf8");
    };
    await read();
    const before = open();
    for (let i = 0; i < 100; i++) await read();
    expect(open() - before).toBeLessThan(5);
    // a new pack (gc) is seen, and the old pack's descriptor is let go
    write(dir, "tracker/people/zoe.yml", "name: Zoe\n");
    commitAll(dir, "Zoe", "2026-11-02T10:00:00Z");
    git(dir, ["gc", "-q"]);
    const zoe = git(dir, ["rev-parse", "HEAD:tracker/people/zoe.yml"]);
    const { repo } = await repositoryOf(join(dir, "tracker"));
    expect(Buffer.from(await readBlobBytes(repo, zoe)).toString("utf8")).toBe("name: Zoe\n");
    expect(open() - before).toBeLessThan(5);
  });
});
