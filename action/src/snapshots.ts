import type { Change } from "../../src/core/diff/diff.js";
import { gitSource } from "../../src/core/git/git-source.js";
import { changedPaths, diffCommits } from "../../src/core/git/history.js";
import {
  GitProblem,
  type GitRepository,
  mergeBase,
  readCommitInfo,
} from "../../src/core/git/repository.js";
import { memoryParseCache } from "../../src/core/memory-cache.js";
import type { Tracker } from "../../src/core/model.js";
import { openTracker } from "../../src/core/open-tracker.js";
import { memorySource, overlaySource, type ParseCache } from "../../src/core/source.js";
import { repositoryOf, type TrackerRepository } from "../../src/node/git.js";
import { SetupError } from "./context.js";

/**
 * The tracker at the commits a run compares, read from git objects only: nothing from the
 * pull request is executed or even written to disk, and the rules always come from the
 * base commit.
 */

export interface Comparison {
  readonly where: TrackerRepository;
  readonly base: Tracker;
  /** The head, read with the base's trackdown.yml. */
  readonly head: Tracker;
  /** Where the head's branch left the base (their merge base). */
  readonly forkPoint: string;
  /** What the head changed since the fork point. */
  readonly changes: readonly Change[];
  /** Tracker-relative paths the head changed since the fork point. */
  readonly touched: readonly string[];
  /** Whether the base has a trackdown.yml, i.e. rules to enforce. */
  readonly baseHasRules: boolean;
}

/** The tracker's repository, or a SetupError that says how to check it out. */
export async function openRepository(tracker: string): Promise<TrackerRepository> {
  try {
    return await repositoryOf(tracker);
  } catch (error) {
    throw new SetupError(
      `${error instanceof Error ? error.message : String(error)} Check the repository out first (actions/checkout) and point the tracker input at the tracker's folder.`,
    );
  }
}

/** Fails with a message naming the fix when a commit is not in the checkout. */
export async function requireCommit(repo: GitRepository, sha: string, what: string): Promise<void> {
  try {
    await readCommitInfo(repo, sha);
  } catch (error) {
    const reason = error instanceof GitProblem ? error.message : String(error);
    throw new SetupError(
      `The ${what} commit ${sha.slice(0, 12)} is not in the checkout (${reason.replace(/\.$/, "")}). Check out with \`fetch-depth: 0\` in actions/checkout so that the base and head commits and their history are there.`,
    );
  }
}

/**
 * The tracker at a commit, optionally with some files replaced; an empty tracker when the
 * commit has no tracker folder (a pull request that introduces it).
 */
export async function trackerAt(
  where: TrackerRepository,
  commit: string,
  cache: ParseCache,
  replace?: Readonly<Record<string, Uint8Array | null>>,
): Promise<Tracker> {
  return (await snapshotAt(where, commit, cache, replace)).tracker;
}

/**
 * The tracker at a commit and its trackdown.yml's bytes (null when it has none, or when
 * files are replaced), from one listing of the commit's tree.
 */
async function snapshotAt(
  where: TrackerRepository,
  commit: string,
  cache: ParseCache,
  replace?: Readonly<Record<string, Uint8Array | null>>,
): Promise<{ tracker: Tracker; config: Uint8Array | null }> {
  const source = gitSource(where.repo, { commit, prefix: where.prefix });
  let tracker: Tracker;
  try {
    // openTracker rejects only when the source cannot list its files
    tracker = await openTracker(replace === undefined ? source : overlaySource(source, replace), {
      cache,
    });
  } catch (error) {
    if (error instanceof GitProblem && /has no folder/.test(error.message)) {
      return { tracker: await openTracker(memorySource({}), { recordsOnly: true }), config: null };
    }
    throw error;
  }
  // the source was listed by openTracker: reading needs no second listing
  const config =
    replace === undefined ? await source.read("trackdown.yml").catch(() => null) : null;
  return { tracker, config };
}

/** Reads what a pull request (or a push) changes, judged by the base. */
export async function compare(tracker: string, base: string, head: string): Promise<Comparison> {
  const where = await openRepository(tracker);
  await requireCommit(where.repo, base, "base");
  await requireCommit(where.repo, head, "head");
  let forkPoint: string;
  try {
    forkPoint = await mergeBase(where.repo, base, head);
  } catch {
    // both commits are there (checked above), so what is missing is the history between
    // them: a shallow clone. The library's own advice ("compare with A..B") is for the CLI.
    throw new SetupError(
      `The base commit ${base.slice(0, 12)} and the head commit ${head.slice(0, 12)} are in the checkout, but not the history that joins them, so the pull request's own changes cannot be told apart from the base's. Check out with \`fetch-depth: 0\` in actions/checkout so that the history is there.`,
    );
  }
  const cache = memoryParseCache();
  const { tracker: baseTracker, config } = await snapshotAt(where, base, cache);
  const [headTracker, changes, touched] = await Promise.all([
    // the base's settings judge the head; a base with none (the pull request that brings
    // the tracker in) has no rules yet, and the head is read as it is
    trackerAt(where, head, cache, config === null ? undefined : { "trackdown.yml": config }),
    diffCommits(where.repo, forkPoint, head, where.prefix, cache),
    changedPaths(where.repo, forkPoint, head, where.prefix),
  ]);
  return {
    where,
    base: baseTracker,
    head: headTracker,
    forkPoint,
    changes,
    touched,
    baseHasRules: config !== null,
  };
}
