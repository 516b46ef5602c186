import { type Change, diffTrackers } from "../diff/diff.js";
import type { Tracker } from "../model.js";
import { openTracker } from "../open-tracker.js";
import { classifyPath } from "../parse/layout.js";
import type { ParseCache, Source, SourceEntry } from "../source.js";
import type { TreeEntryInfo } from "./objects.js";
import {
  type CommitInfo,
  GitProblem,
  type GitRepository,
  readBlobBytes,
  readCommitInfo,
  readTreeBytes,
  subtreeOid,
} from "./repository.js";
import { diffRawTrees, type EntryChange, entryAt, type RawTree, rawTree } from "./tree-diff.js";

/** One commit of the history, with the plan changes it made. */
export interface HistoryCommit {
  readonly oid: string;
  readonly info: CommitInfo;
  /** Whether the commit is a merge (more than one parent); its changes are those it brought to the branch. */
  readonly merge: boolean;
  /** Changes made by this commit on the first-parent chain, in diffTrackers' order. */
  readonly changes: readonly Change[];
}

/** The plan's history along a branch's first-parent chain. */
export interface TrackerHistory {
  /** The commit the walk started from (the newest). */
  readonly head: string;
  /** Commits that touched the tracker, oldest first. */
  readonly commits: readonly HistoryCommit[];
  /** False when the walk stopped early (a shallow clone, a missing object). */
  readonly complete: boolean;
  /** Why the walk stopped early, for people. */
  readonly stoppedBecause?: string;
}

/** One status change of a task, for timelines. */
export interface StatusEvent {
  readonly task: string;
  /** `undefined` when the task was created in `to`. */
  readonly from?: string;
  readonly to: string;
  readonly commit: string;
  readonly author: string;
  /** Seconds since the epoch: the commit's committer time (when it reached the branch). */
  readonly timestamp: number;
}

/** Options of {@link loadHistory}. */
export interface HistoryOptions {
  /** The commit to walk back from. */
  readonly head: string;
  /** The tracker folder within the repository. */
  readonly prefix: string;
  /** Parsed files by blob id, shared across commits (and runs, with a persistent cache). */
  readonly cache: ParseCache;
  /** Stop after this many first-parent commits (newest kept). */
  readonly limit?: number;
  /**
   * A history loaded earlier (from a cache): when its head is on the first-parent chain of
   * `head`, only the commits after it are read. Otherwise (history rewritten) it is ignored.
   */
  readonly since?: TrackerHistory;
}

interface FileAt {
  readonly path: string;
  readonly oid: string;
  readonly mode: string;
}

/**
 * Walks the first-parent chain from `head` back to the root (or as far as history reaches)
 * and records, for each commit that touched the tracker, the typed changes it made. A
 * merge counts at its merge time, so squash, merge and rebase workflows give sensible
 * dates. Only files whose blob changed are read: each commit is compared with its first
 * parent by tree ids, descending only into folders that changed.
 */
export async function loadHistory(
  repo: GitRepository,
  options: HistoryOptions,
): Promise<TrackerHistory> {
  const chain: CommitInfo[] = [];
  let complete = true;
  let stoppedBecause: string | undefined;
  let oid: string | undefined = options.head;
  let reachedSince = false;
  while (oid !== undefined) {
    if (options.since !== undefined && oid === options.since.head) {
      reachedSince = true;
      break;
    }
    let info: CommitInfo;
    try {
      info = await readCommitInfo(repo, oid);
    } catch (error) {
      if (chain.length === 0) throw error;
      complete = false;
      stoppedBecause = error instanceof Error ? error.message : String(error);
      break;
    }
    chain.push(info);
    if (options.limit !== undefined && chain.length >= options.limit) {
      complete = info.parents.length === 0;
      if (!complete) stoppedBecause = `Stopped after ${options.limit} commits, as asked.`;
      break;
    }
    oid = info.parents[0];
  }
  chain.reverse();

  const commits: HistoryCommit[] = [];
  const trees: TreeCache = new Map();
  /** Files unreadable at the current commit, by path: their last readable version. */
  const lastReadable = new Map<string, FileAt>();
  let previousTree: string | undefined;
  // when history is cut short, the oldest commit reached is the starting point, not a
  // commit that created everything
  let baseline = !complete;
  if (reachedSince && options.since !== undefined) {
    // continue from the earlier history: its head's tree is where the new commits start
    const since = options.since;
    commits.push(...since.commits);
    previousTree = await subtreeOid(
      repo,
      (await readCommitInfo(repo, since.head)).tree,
      options.prefix,
    );
    baseline = false;
    complete = since.complete;
    stoppedBecause = since.stoppedBecause;
  }
  for (const info of chain) {
    const tree = await subtreeOid(repo, info.tree, options.prefix);
    if (baseline) {
      baseline = false;
      previousTree = tree;
      continue;
    }
    if (tree === previousTree) continue;
    const changed = await changedFiles(repo, previousTree, tree, trees);
    previousTree = tree;
    if (changed.before.length === 0 && changed.after.length === 0) continue;
    const after = await partialTracker(
      repo,
      changed.after,
      changed.configAfter,
      options.cache,
      info.oid,
    );
    // A record file that cannot be read in this commit (broken YAML) is not a deletion,
    // and fixing it later is not a creation: it is left out of this commit's changes, and
    // the next readable version is compared with the last readable one.
    const broken = unreadable(changed.after, after);
    const beforeFiles = changed.before.map((f) => lastReadable.get(f.path) ?? f);
    for (const file of changed.before) {
      if (!broken.has(file.path))
        lastReadable.delete(file.path); // mended or deleted
      else if (!lastReadable.has(file.path)) lastReadable.set(file.path, file);
    }
    const before = await partialTracker(
      repo,
      beforeFiles.filter((f) => !broken.has(f.path)),
      changed.configBefore,
      options.cache,
      info.oid,
    );
    const changes = diffTrackers(before, after);
    if (changes.length === 0) continue;
    commits.push({ oid: info.oid, info, merge: info.parents.length > 1, changes });
  }
  return {
    head: options.head,
    commits,
    complete,
    ...(stoppedBecause !== undefined ? { stoppedBecause } : {}),
  };
}

/**
 * Files that differ between two tracker trees: on each side, the changed files as they
 * were, plus trackdown.yml (unchanged or not) so records are built with the same settings.
 */
async function changedFiles(
  repo: GitRepository,
  beforeTree: string | undefined,
  afterTree: string | undefined,
  trees: TreeCache = new Map(),
): Promise<{ before: FileAt[]; after: FileAt[]; configBefore?: FileAt; configAfter?: FileAt }> {
  const before: FileAt[] = [];
  const after: FileAt[] = [];
  await walkDifference(repo, beforeTree, afterTree, "", before, after, trees);
  const config = async (tree: string | undefined) =>
    tree === undefined
      ? undefined
      : [...entriesOf(await treeOf(repo, tree, trees))].find((e) => e.path === "trackdown.yml");
  const [cb, ca] = await Promise.all([config(beforeTree), config(afterTree)]);
  return {
    before,
    after,
    ...(cb !== undefined ? { configBefore: { path: cb.path, oid: cb.oid, mode: cb.mode } } : {}),
    ...(ca !== undefined ? { configAfter: { path: ca.path, oid: ca.oid, mode: ca.mode } } : {}),
  };
}

async function walkDifference(
  repo: GitRepository,
  a: string | undefined,
  b: string | undefined,
  base: string,
  before: FileAt[],
  after: FileAt[],
  trees: TreeCache,
): Promise<void> {
  if (a === b) return;
  const left = a === undefined ? EMPTY_TREE : await treeOf(repo, a, trees);
  let changes: readonly EntryChange[];
  if (b === undefined) {
    changes = [...entriesOf(left)].map((e) => ({ before: e }));
  } else {
    const cached = trees.get(b);
    if (cached !== undefined) {
      // both versions known (a revert, or a tree seen before): compare by name
      changes = changesBetween(left, cached);
    } else {
      // the usual case: the newer version is compared with the older in raw bytes, and
      // comes out with its entry offsets, ready for the next commit
      const diff = diffRawTrees(left, await readTreeBytes(repo, b));
      remember(trees, b, diff.after);
      changes = diff.changes;
    }
  }
  for (const { before: l, after: r } of changes) {
    const path = `${base}${(l ?? r)!.path}`;
    const lTree = l?.type === "tree" ? l.oid : undefined;
    const rTree = r?.type === "tree" ? r.oid : undefined;
    if (lTree !== undefined || rTree !== undefined) {
      await walkDifference(repo, lTree, rTree, `${path}/`, before, after, trees);
    }
    if (l !== undefined && l.type === "blob") before.push({ path, oid: l.oid, mode: l.mode });
    if (r !== undefined && r.type === "blob") after.push({ path, oid: r.oid, mode: r.mode });
  }
}

/** Trees read during one walk, by id: a commit's "after" tree is the next one's "before". */
type TreeCache = Map<string, RawTree>;
const TREE_CACHE_SIZE = 512;
const EMPTY_TREE: RawTree = rawTree(new Uint8Array(0));

async function treeOf(repo: GitRepository, oid: string, trees: TreeCache): Promise<RawTree> {
  let tree = trees.get(oid);
  if (tree === undefined) {
    tree = rawTree(await readTreeBytes(repo, oid));
    remember(trees, oid, tree);
  }
  return tree;
}

function remember(trees: TreeCache, oid: string, tree: RawTree): void {
  if (trees.size >= TREE_CACHE_SIZE) trees.delete(trees.keys().next().value as string);
  trees.set(oid, tree);
}

function* entriesOf(tree: RawTree): Generator<TreeEntryInfo> {
  for (let i = 0; i < tree.starts.length - 1; i++) yield entryAt(tree.bytes, tree.starts[i]!);
}

/** The differing entries of two decoded trees, matched by name. */
function changesBetween(left: RawTree, right: RawTree): EntryChange[] {
  const byName = new Map([...entriesOf(left)].map((e) => [e.path, e]));
  const changes: EntryChange[] = [];
  for (const r of entriesOf(right)) {
    const l = byName.get(r.path);
    byName.delete(r.path);
    if (l === undefined) changes.push({ after: r });
    else if (l.oid !== r.oid || l.mode !== r.mode) changes.push({ before: l, after: r });
  }
  for (const l of byName.values()) changes.push({ before: l });
  return changes;
}

/** Record files among `files` that gave no record in `tracker` (they could not be read). */
function unreadable(files: readonly FileAt[], tracker: Tracker): ReadonlySet<string> {
  const out = new Set<string>();
  const candidates = files.filter((f) => {
    const role = classifyPath(f.path);
    return role.role === "record" && role.kind !== "config";
  });
  if (candidates.length === 0) return out;
  const read = new Set<string>();
  for (const list of [
    tracker.tasks,
    tracker.archivedTasks,
    tracker.milestones,
    tracker.projects,
    tracker.people,
    tracker.teams,
    tracker.timeEntries,
  ]) {
    for (const record of list) read.add(record.file);
  }
  for (const f of candidates) if (!read.has(f.path)) out.add(f.path);
  return out;
}

/** A snapshot of just some files (and the settings): enough to diff what a commit changed. */
function partialTracker(
  repo: GitRepository,
  files: readonly FileAt[],
  config: FileAt | undefined,
  cache: ParseCache,
  commit: string,
): Promise<Tracker> {
  const all =
    config !== undefined && !files.some((f) => f.path === config.path) ? [...files, config] : files;
  const oids = new Map(all.map((f) => [f.path, f.oid]));
  const source: Source = {
    description: `changes of ${commit.slice(0, 12)}`,
    list: async () =>
      all.map(
        (f): SourceEntry =>
          f.mode === "120000"
            ? { path: f.path, type: "special" }
            : { path: f.path, type: "file", stamp: f.oid },
      ),
    read: async (path) => {
      const oid = oids.get(path);
      if (oid === undefined)
        throw new GitProblem(`"${path}" is not part of ${commit.slice(0, 12)}`);
      return readBlobBytes(repo, oid);
    },
  };
  return openTracker(source, { cache, recordsOnly: true });
}

/**
 * The typed changes between two commits, reading only the files whose blobs differ (trees
 * are compared by id, so unchanged folders are skipped whole). Much cheaper than opening
 * both snapshots: a diff across 200 commits of a 10,000-task tracker reads a few hundred files.
 */
export async function diffCommits(
  repo: GitRepository,
  from: string,
  to: string,
  prefix: string,
  cache: ParseCache,
): Promise<Change[]> {
  const [a, b] = await Promise.all([readCommitInfo(repo, from), readCommitInfo(repo, to)]);
  const [treeA, treeB] = await Promise.all([
    subtreeOid(repo, a.tree, prefix),
    subtreeOid(repo, b.tree, prefix),
  ]);
  if (treeA === undefined && treeB === undefined) {
    throw new GitProblem(
      `Neither ${from.slice(0, 12)} nor ${to.slice(0, 12)} has a folder "${prefix}".`,
    );
  }
  const changed = await changedFiles(repo, treeA, treeB);
  if (changed.before.length === 0 && changed.after.length === 0) return [];
  const [before, after] = await Promise.all([
    partialTracker(repo, changed.before, changed.configBefore, cache, from),
    partialTracker(repo, changed.after, changed.configAfter, cache, to),
  ]);
  return diffTrackers(before, after);
}

/**
 * Tracker-relative paths of the files that differ between two commits (added, removed or
 * changed), whatever they are: records, attachments, templates.
 */
export async function changedPaths(
  repo: GitRepository,
  from: string,
  to: string,
  prefix: string,
): Promise<string[]> {
  const [a, b] = await Promise.all([readCommitInfo(repo, from), readCommitInfo(repo, to)]);
  const [treeA, treeB] = await Promise.all([
    subtreeOid(repo, a.tree, prefix),
    subtreeOid(repo, b.tree, prefix),
  ]);
  const before: FileAt[] = [];
  const after: FileAt[] = [];
  await walkDifference(repo, treeA, treeB, "", before, after, new Map());
  return [...new Set([...before, ...after].map((f) => f.path))].sort();
}

/** Every status a task has been in, oldest first, from a history. */
export function statusTimeline(history: TrackerHistory, taskId: string): StatusEvent[] {
  const events: StatusEvent[] = [];
  // a task moved to another project changes id: follow it under its new one
  const ids = new Set([taskId]);
  for (const commit of history.commits) {
    for (const change of commit.changes) {
      if (change.kind === "task.moved" && ids.has(String(change.from))) ids.add(String(change.to));
      if (!ids.has(change.id)) continue;
      if (change.kind === "task.created" || change.kind === "task.status") {
        events.push({
          task: change.id,
          ...(change.kind === "task.status" ? { from: String(change.from) } : {}),
          to: String(change.to),
          commit: commit.oid,
          author: commit.info.author.name,
          timestamp: commit.info.committer.timestamp,
        });
      }
    }
  }
  return events;
}
