import * as fs from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { findRoot } from "isomorphic-git";
import { isDate, todayIn } from "../core/dates.js";
import type { Change } from "../core/diff/diff.js";
import { gitSource } from "../core/git/git-source.js";
import { diffCommits, loadHistory, type TrackerHistory } from "../core/git/history.js";
import {
  GitProblem,
  type GitRepository,
  gitRepository,
  mergeBase,
  readCommitInfo,
  resolveRevision,
} from "../core/git/repository.js";
import { memoryParseCache } from "../core/memory-cache.js";
import type { Settings, Tracker } from "../core/model.js";
import { openTracker } from "../core/open-tracker.js";
import { readRecordFile } from "../core/parse/read-file.js";
import type { ParseCache } from "../core/source.js";
import { buildSettings } from "../core/validate/records.js";
import { sharedPackReader } from "./git-objects.js";
import { VERSION } from "./version.js";

/** A tracker folder's repository and where in it the tracker sits. */
export interface TrackerRepository {
  readonly repo: GitRepository;
  /** The tracker's folder relative to the repository root ("" when it is the root). */
  readonly prefix: string;
}

/** Finds the git repository holding a tracker folder. Throws {@link GitProblem} outside one. */
export async function repositoryOf(trackerRoot: string): Promise<TrackerRepository> {
  const full = resolve(trackerRoot);
  let root: string;
  try {
    root = await findRoot({ fs, filepath: full });
  } catch {
    throw new GitProblem(`${trackerRoot} is not inside a git repository.`);
  }
  const { gitdir, headFile } = gitDirOf(root);
  return {
    repo: gitRepository(objectStoreFs(gitdir), root, gitdir, headFile, sharedPackReader(gitdir)),
    prefix: relative(root, full).split(sep).join("/"),
  };
}

/**
 * The .git folder of a working tree: `.git` itself, or where a `.git` file points
 * (submodules, --separate-git-dir). A linked worktree (`git worktree add`) keeps objects
 * and refs in the shared folder its `commondir` names, and only its own HEAD.
 */
function gitDirOf(root: string): { gitdir: string; headFile?: string } {
  const dotGit = join(root, ".git");
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dotGit);
  } catch {
    return { gitdir: dotGit };
  }
  if (stat.isDirectory()) return { gitdir: dotGit };
  const pointer = /^gitdir:\s*(.+)$/m.exec(fs.readFileSync(dotGit, "utf8"))?.[1]?.trim();
  if (pointer === undefined) return { gitdir: dotGit };
  const gitdir = resolve(root, pointer);
  const commondir = join(gitdir, "commondir");
  if (fs.existsSync(commondir)) {
    return {
      gitdir: resolve(gitdir, fs.readFileSync(commondir, "utf8").trim()),
      headFile: join(gitdir, "HEAD"),
    };
  }
  return { gitdir };
}

/**
 * Node's file system as isomorphic-git uses it, with two shortcuts for reading objects,
 * which dominate history walks: isomorphic-git looks for every object as a loose file
 * first (an ENOENT per packed object, each an async round trip and an Error with a stack)
 * and lists objects/pack on every read. Here a loose-object miss is answered from one
 * listing per fan-out folder, and the pack folder's listing is reused. A run sees the
 * object store as it was when the run began, which is what it reads anyway.
 */
function objectStoreFs(gitdir: string): typeof fs {
  const objects = `${resolve(gitdir)}${sep}objects${sep}`.split(sep).join("/");
  const loose = /\/objects\/([0-9a-f]{2})\/[0-9a-f]{38}$/;
  const fanOut = new Map<string, ReadonlySet<string>>();
  const listings = new Map<string, Promise<string[]>>();
  const missing = Object.assign(new Error("ENOENT: no such loose object"), { code: "ENOENT" });
  const isMissingLoose = (path: string): boolean => {
    const normal = path.split(sep).join("/");
    if (!normal.startsWith(objects)) return false;
    const match = loose.exec(normal);
    if (match === null) return false;
    const folder = match[1]!;
    let names = fanOut.get(folder);
    if (names === undefined) {
      try {
        names = new Set(fs.readdirSync(`${objects}${folder}`));
      } catch {
        names = new Set();
      }
      fanOut.set(folder, names);
    }
    return !names.has(normal.slice(normal.lastIndexOf("/") + 1));
  };
  // isomorphic-git re-wraps the file system on every call and probes it with a bare
  // readFile(), and stats the .git folder each time: both answered without new errors
  const probe = Object.assign(new Error("readFile needs a path"), { code: "ERR_INVALID_ARG_TYPE" });
  const gitdirStat = fs.statSync(gitdir);
  const promises = {
    ...fs.promises,
    readFile: ((path: string, options?: unknown) =>
      path === undefined
        ? Promise.reject(probe)
        : typeof path === "string" && isMissingLoose(path)
          ? Promise.reject(missing)
          : fs.promises.readFile(path, options as never)) as typeof fs.promises.readFile,
    stat: ((path: string, options?: unknown) =>
      path === gitdir && options === undefined
        ? Promise.resolve(gitdirStat)
        : fs.promises.stat(path, options as never)) as typeof fs.promises.stat,
    readdir: ((path: string, options?: unknown) => {
      if (
        typeof path === "string" &&
        path.split(sep).join("/") === `${objects}pack` &&
        options === undefined
      ) {
        let listing = listings.get(path);
        if (listing === undefined) {
          listing = fs.promises.readdir(path);
          listings.set(path, listing);
        }
        return listing.then((names) => [...names]);
      }
      return fs.promises.readdir(path, options as never);
    }) as typeof fs.promises.readdir,
  };
  return { ...fs, promises } as typeof fs;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The commit a `--at` value names: a revision (branch, tag, commit, `HEAD~3`), or a date
 * (YYYY-MM-DD): the last commit on the first-parent chain of HEAD made on or before that
 * day in the tracker's time zone.
 */
export async function commitAt(
  where: TrackerRepository,
  at: string,
  timezone = "UTC",
): Promise<string> {
  if (!DATE.test(at)) return resolveRevision(where.repo, at);
  if (!isDate(at)) throw new GitProblem(`"${at}" is not a calendar date (YYYY-MM-DD).`);
  let oid: string | undefined = await resolveRevision(where.repo, "HEAD");
  while (oid !== undefined) {
    const commit = await readCommitInfo(where.repo, oid);
    if (todayIn(timezone, new Date(commit.committer.timestamp * 1000)) <= at) return oid;
    oid = commit.parents[0];
  }
  throw new GitProblem(`No commit on this branch is as old as ${at}: its history starts later.`);
}

/** The settings of trackdown.yml in the working tree (the defaults without one). */
export function workingTreeSettings(trackerRoot: string): Settings {
  try {
    return buildSettings(
      readRecordFile("config", fs.readFileSync(join(trackerRoot, "trackdown.yml"))).data,
    );
  } catch {
    return buildSettings(undefined);
  }
}

/** The time zone trackdown.yml in the working tree sets (dates in --at are days there); UTC without one. */
export function workingTreeTimezone(trackerRoot: string): string {
  return workingTreeSettings(trackerRoot).timezone;
}

/**
 * Opens a tracker as it was at a commit, branch, tag or date, reading objects with
 * isomorphic-git. The parse cache is keyed by blob id, so keep one for many snapshots.
 */
export async function loadTrackerAt(
  trackerRoot: string,
  at: string,
  options: { cache?: ParseCache; timezone?: string } = {},
): Promise<Tracker> {
  const where = await repositoryOf(trackerRoot);
  const commit = await commitAt(where, at, options.timezone ?? workingTreeTimezone(trackerRoot));
  return openTracker(gitSource(where.repo, { commit, prefix: where.prefix }), {
    cache: options.cache ?? memoryParseCache(),
  });
}

/** Bumped whenever history or change shapes change, so old history caches are ignored. */
const HISTORY_CACHE_FORMAT = 1;

/**
 * The plan's history along the first-parent chain of a revision (HEAD by default), read
 * with isomorphic-git; only files whose blob changed between consecutive commits are
 * parsed. The result is kept in `<tracker>/.trackdown/cache/history-v1.json`, so a run
 * after new commits reads only those commits (unless `cache: false` or a `limit`).
 */
export async function loadTrackerHistory(
  trackerRoot: string,
  options: { head?: string; cache?: ParseCache | false; limit?: number } = {},
): Promise<TrackerHistory> {
  const where = await repositoryOf(trackerRoot);
  const head = await resolveRevision(where.repo, options.head ?? "HEAD");
  const useFile = options.cache !== false && options.limit === undefined;
  const file = join(trackerRoot, ".trackdown", "cache", `history-v${HISTORY_CACHE_FORMAT}.json`);
  let since: TrackerHistory | undefined;
  if (useFile) {
    try {
      const saved = JSON.parse(fs.readFileSync(file, "utf8")) as {
        format?: number;
        version?: string;
        prefix?: string;
        history?: TrackerHistory;
      };
      if (
        saved.format === HISTORY_CACHE_FORMAT &&
        saved.version === VERSION &&
        saved.prefix === where.prefix &&
        typeof saved.history?.head === "string" &&
        Array.isArray(saved.history.commits)
      ) {
        since = saved.history;
      }
    } catch {
      since = undefined;
    }
  }
  if (since?.head === head) return since;
  const history = await loadHistory(where.repo, {
    head,
    prefix: where.prefix,
    cache:
      options.cache === false || options.cache === undefined ? memoryParseCache() : options.cache,
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
    ...(since !== undefined ? { since } : {}),
  });
  if (useFile) {
    try {
      fs.mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(
        tmp,
        JSON.stringify({
          format: HISTORY_CACHE_FORMAT,
          version: VERSION,
          prefix: where.prefix,
          history,
        }),
      );
      fs.renameSync(tmp, file);
    } catch {
      // the cache only saves time; a read-only tree runs without it
    }
  }
  return history;
}

/**
 * The plan changes between two revisions of the tracker's repository (see
 * {@link diffCommits}). With `sinceForked` (git's `A...B`), from the commit where `to`
 * left `from` (their merge base) instead of `from` itself.
 */
export async function diffRevisions(
  trackerRoot: string,
  from: string,
  to: string,
  options: { cache?: ParseCache; sinceForked?: boolean } = {},
): Promise<Change[]> {
  const where = await repositoryOf(trackerRoot);
  const [a, b] = await Promise.all([
    resolveRevision(where.repo, from),
    resolveRevision(where.repo, to),
  ]);
  const start = options.sinceForked === true ? await mergeBase(where.repo, a, b) : a;
  return diffCommits(where.repo, start, b, where.prefix, options.cache ?? memoryParseCache());
}
