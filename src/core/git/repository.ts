import {
  Errors,
  expandOid,
  type FsClient,
  readBlob,
  readCommit,
  readObject,
  readTree,
  resolveRef,
} from "isomorphic-git";
import {
  parseCommit,
  parseTagTarget,
  parseTree,
  type RawObject,
  type TreeEntryInfo,
} from "./objects.js";

/**
 * A git repository read through isomorphic-git: no `git` binary needed, and with an
 * in-memory file system it works in a browser too. `cache` lets isomorphic-git keep
 * packfile indexes between calls; keep one repository object per run.
 */
export interface GitRepository {
  readonly fs: FsClient;
  /** The working tree (may be the same as gitdir's parent). */
  readonly dir: string;
  /** The .git folder (for a linked worktree, the shared one that holds objects and refs). */
  readonly gitdir: string;
  readonly cache: object;
  /** A linked worktree's own HEAD file, which `HEAD` means instead of `gitdir/HEAD`. */
  readonly headFile?: string;
  /**
   * A faster reader of raw objects (node's zlib over pack indexes, see `packReader` in
   * trackdown/node); `undefined` from it, or no reader, means isomorphic-git reads it.
   */
  readonly objects?: ObjectReader;
}

/** Reads raw objects by id; `undefined` when it does not have the object. */
export interface ObjectReader {
  read(oid: string): Promise<RawObject | undefined>;
}

/** A person and moment in a commit. */
export interface Signature {
  readonly name: string;
  readonly email: string;
  /** Seconds since the epoch. */
  readonly timestamp: number;
  /** Minutes west of UTC, as git stores it. */
  readonly timezoneOffset: number;
}

/** A commit's metadata. */
export interface CommitInfo {
  readonly oid: string;
  readonly tree: string;
  readonly parents: readonly string[];
  readonly message: string;
  readonly author: Signature;
  readonly committer: Signature;
}

/** Why a revision or object could not be read, for people. */
export class GitProblem extends Error {
  override readonly name = "GitProblem";
}

/** Opens a repository given its working tree and .git folder. */
export function gitRepository(
  fs: FsClient,
  dir: string,
  gitdir = `${dir}/.git`,
  headFile?: string,
  objects?: ObjectReader,
): GitRepository {
  return {
    fs,
    dir,
    gitdir,
    cache: {},
    ...(headFile !== undefined ? { headFile } : {}),
    ...(objects !== undefined ? { objects } : {}),
  };
}

/**
 * An object through the repository's own reader, when it has one and the object: `null`
 * when the reader has it with another type, `undefined` to fall back to isomorphic-git.
 * A reader's failure (a corrupt pack) falls back too, so isomorphic-git names the problem.
 */
async function fromReader(
  repo: GitRepository,
  oid: string,
  type: RawObject["type"],
): Promise<Uint8Array | null | undefined> {
  if (repo.objects === undefined) return undefined;
  let object: RawObject | undefined;
  try {
    object = await repo.objects.read(oid);
  } catch {
    return undefined;
  }
  if (object === undefined) return undefined;
  return object.type === type ? object.data : null;
}

const isNotFound = (error: unknown) =>
  error instanceof Errors.NotFoundError ||
  (error as { code?: string } | null)?.code === "NotFoundError";

/** Reads a commit. Throws {@link GitProblem} when the object is missing or not a commit. */
export async function readCommitInfo(repo: GitRepository, oid: string): Promise<CommitInfo> {
  const raw = await fromReader(repo, oid, "commit");
  if (raw !== undefined && raw !== null) {
    try {
      return parseCommit(oid, raw);
    } catch {
      // isomorphic-git below says what is wrong with it
    }
  }
  try {
    const { commit } = await readCommit({
      fs: repo.fs,
      dir: repo.dir,
      gitdir: repo.gitdir,
      oid,
      cache: repo.cache,
    });
    return {
      oid,
      tree: commit.tree,
      parents: commit.parent,
      message: commit.message,
      author: commit.author,
      committer: commit.committer,
    };
  } catch (error) {
    if (isNotFound(error)) {
      throw new GitProblem(
        `The commit ${oid.slice(0, 12)} is not in this repository${(await isShallow(repo)) ? " (it is a shallow clone: fetch more history with `git fetch --unshallow`, or `fetch-depth: 0` in actions/checkout)" : ""}.`,
      );
    }
    throw new GitProblem(`The commit ${oid.slice(0, 12)} could not be read: ${message(error)}.`);
  }
}

/** Whether the repository is a shallow clone (history cut short). */
export async function isShallow(repo: GitRepository): Promise<boolean> {
  try {
    const text = await (
      repo.fs as { promises?: { readFile(p: string, e: string): Promise<string> } }
    ).promises?.readFile(`${repo.gitdir}/shallow`, "utf8");
    return typeof text === "string" && text.trim() !== "";
  } catch {
    return false;
  }
}

/** An error's reason in one sentence without a final stop (isomorphic-git's internal errors carry theirs in `data`). */
function message(error: unknown): string {
  const inner = (error as { code?: string; data?: { message?: unknown } } | null)?.data?.message;
  const text =
    (error as { code?: string } | null)?.code === "InternalError" && typeof inner === "string"
      ? inner
      : error instanceof Error
        ? error.message
        : String(error);
  return text.trim().replace(/\.$/, "");
}

/**
 * Resolves a revision to a commit id: a branch, tag, `HEAD`, a full or abbreviated commit
 * id, each optionally followed by `~N` (N first parents back), `^` or `^N` (the Nth parent:
 * `^2` is a merge's second parent), as git reads them. Throws {@link GitProblem} with a
 * message naming the revision when it cannot be resolved.
 */
export async function resolveRevision(repo: GitRepository, revision: string): Promise<string> {
  const match = /^(.*?)((?:[~^]\d*)*)$/.exec(revision.trim());
  const base = match?.[1] ?? revision;
  const steps = [...(match?.[2] ?? "").matchAll(/([~^])(\d*)/g)].map((m) => ({
    kind: m[1] as "~" | "^",
    n: m[2] === "" || m[2] === undefined ? 1 : Number(m[2]),
  }));
  if (base === "") throw new GitProblem(`"${revision}" is not a revision.`);
  let oid: string | undefined;
  try {
    const ref =
      base === "HEAD" && repo.headFile !== undefined
        ? await worktreeHead(repo, repo.headFile)
        : base;
    oid = await resolveRef({ fs: repo.fs, dir: repo.dir, gitdir: repo.gitdir, ref });
  } catch {
    if (/^[0-9a-f]{4,40}$/i.test(base)) {
      try {
        oid = await expandOid({
          fs: repo.fs,
          dir: repo.dir,
          gitdir: repo.gitdir,
          oid: base.toLowerCase(),
          cache: repo.cache,
        });
      } catch (error) {
        if ((error as { code?: string } | null)?.code === "AmbiguousError") {
          throw new GitProblem(
            `The short id "${base}" is ambiguous: it matches more than one object; give more characters of it.`,
          );
        }
        oid = undefined;
      }
    }
  }
  if (oid === undefined) {
    throw new GitProblem(`There is no branch, tag or commit "${base}" in this repository.`);
  }
  let commit = await readCommitInfo(repo, await peelToCommit(repo, oid));
  for (const step of steps) {
    // ~N walks N first parents; ^N takes the Nth parent once (^0 is the commit itself)
    const walks = step.kind === "~" ? step.n : step.n === 0 ? 0 : 1;
    const which = step.kind === "^" ? step.n - 1 : 0;
    for (let i = 0; i < walks; i++) {
      const parent = commit.parents[which];
      if (parent === undefined) {
        throw new GitProblem(
          commit.parents.length === 0
            ? `"${revision}" goes back further than the first commit.`
            : `"${revision}" asks for parent ${which + 1} of ${commit.oid.slice(0, 12)}, which has ${commit.parents.length}.`,
        );
      }
      commit = await readCommitInfo(repo, parent);
    }
  }
  return commit.oid;
}

/**
 * The best common ancestor of two commits (what `git merge-base` gives), for `A...B`
 * ranges: the changes on B since it left A. Throws {@link GitProblem} when the two share
 * no history.
 */
export async function mergeBase(repo: GitRepository, a: string, b: string): Promise<string> {
  const { findMergeBase } = await import("isomorphic-git");
  let bases: string[];
  try {
    bases = await findMergeBase({
      fs: repo.fs,
      dir: repo.dir,
      gitdir: repo.gitdir,
      oids: [a, b],
      cache: repo.cache,
    });
  } catch (error) {
    throw new GitProblem(
      `The common ancestor of ${a.slice(0, 12)} and ${b.slice(0, 12)} could not be found: ${message(error)}`,
    );
  }
  const base = bases[0];
  if (base === undefined) {
    throw new GitProblem(
      `${a.slice(0, 12)} and ${b.slice(0, 12)} share no history, so "A...B" has no starting point; compare them with "A..B".`,
    );
  }
  return base;
}

/** What a linked worktree's HEAD names: a ref (`refs/heads/x`) or a commit id. */
async function worktreeHead(repo: GitRepository, headFile: string): Promise<string> {
  const fs = repo.fs as { promises?: { readFile(p: string, e: string): Promise<string> } };
  const text = ((await fs.promises?.readFile(headFile, "utf8")) ?? "").trim();
  return text.startsWith("ref:") ? text.slice(4).trim() : text;
}

/** An annotated tag's commit, or the oid itself. */
async function peelToCommit(repo: GitRepository, oid: string): Promise<string> {
  if (repo.objects !== undefined) {
    const object = await repo.objects.read(oid).catch(() => undefined);
    if (object?.type === "commit") return oid;
    if (object?.type === "tag") return parseTagTarget(object.data) ?? oid;
  }
  try {
    const { readTag } = await import("isomorphic-git");
    const { tag } = await readTag({
      fs: repo.fs,
      dir: repo.dir,
      gitdir: repo.gitdir,
      oid,
      cache: repo.cache,
    });
    return tag.object;
  } catch {
    return oid;
  }
}

/** One entry of a tree, with its path from the tree's root. */
export interface TreeFile {
  readonly path: string;
  readonly oid: string;
  readonly mode: string;
}

/**
 * The subtree at `prefix` (e.g. "tracker") of a commit's tree, or `undefined` when the
 * commit has no such folder.
 */
export async function subtreeOid(
  repo: GitRepository,
  treeOid: string,
  prefix: string,
): Promise<string | undefined> {
  let oid = treeOid;
  for (const part of prefix.split("/").filter((p) => p !== "")) {
    const entries = await readTreeEntries(repo, oid);
    const entry = entries.find((e) => e.path === part && e.type === "tree");
    if (entry === undefined) return undefined;
    oid = entry.oid;
  }
  return oid;
}

/** The entries of one tree object. */
export async function readTreeEntries(
  repo: GitRepository,
  oid: string,
): Promise<readonly TreeEntryInfo[]> {
  const raw = await fromReader(repo, oid, "tree");
  if (raw !== undefined && raw !== null) {
    try {
      return parseTree(raw);
    } catch (error) {
      throw new GitProblem(`The tree ${oid.slice(0, 12)} could not be read: ${message(error)}.`);
    }
  }
  try {
    const { tree } = await readTree({
      fs: repo.fs,
      dir: repo.dir,
      gitdir: repo.gitdir,
      oid,
      cache: repo.cache,
    });
    return tree as TreeEntryInfo[];
  } catch (error) {
    throw new GitProblem(`The tree ${oid.slice(0, 12)} could not be read: ${message(error)}.`);
  }
}

/** The raw bytes of a tree object (for comparing versions of it without decoding them). */
export async function readTreeBytes(repo: GitRepository, oid: string): Promise<Uint8Array> {
  const raw = await fromReader(repo, oid, "tree");
  if (raw !== undefined && raw !== null) return raw;
  try {
    const object = await readObject({
      fs: repo.fs,
      dir: repo.dir,
      gitdir: repo.gitdir,
      oid,
      format: "content",
      cache: repo.cache,
    });
    if (object.type !== "tree" || !(object.object instanceof Uint8Array)) {
      throw new Error(`it is a ${object.type}, not a folder`);
    }
    return object.object;
  } catch (error) {
    throw new GitProblem(`The tree ${oid.slice(0, 12)} could not be read: ${message(error)}.`);
  }
}

/** Every file (blob) below a tree, recursively, with paths relative to it. */
export async function listTree(repo: GitRepository, oid: string, base = ""): Promise<TreeFile[]> {
  const out: TreeFile[] = [];
  for (const entry of await readTreeEntries(repo, oid)) {
    const path = `${base}${entry.path}`;
    if (entry.type === "tree") out.push(...(await listTree(repo, entry.oid, `${path}/`)));
    else if (entry.type === "blob") out.push({ path, oid: entry.oid, mode: entry.mode });
  }
  return out;
}

/** The bytes of a blob. */
export async function readBlobBytes(repo: GitRepository, oid: string): Promise<Uint8Array> {
  const raw = await fromReader(repo, oid, "blob");
  if (raw !== undefined && raw !== null) return raw;
  try {
    const { blob } = await readBlob({
      fs: repo.fs,
      dir: repo.dir,
      gitdir: repo.gitdir,
      oid,
      cache: repo.cache,
    });
    return blob;
  } catch (error) {
    throw new GitProblem(
      `The file object ${oid.slice(0, 12)} ${isNotFound(error) ? "is missing from the repository" : `could not be read: ${message(error)}`}.`,
    );
  }
}
