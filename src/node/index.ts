/**
 * Node-only parts of Trackdown: the file-system source, the parse cache and helpers to
 * find and load a tracker from the working tree.
 *
 * @packageDocumentation
 */

// isomorphic-git needs Node's Buffer, so reading git objects lives here rather than in the
// browser-safe core (a browser would need a Buffer polyfill)
export { type GitTrackerLocation, gitSource } from "../core/git/git-source.js";
export {
  diffCommits,
  type HistoryCommit,
  type HistoryOptions,
  loadHistory,
  type StatusEvent,
  statusTimeline,
  type TrackerHistory,
} from "../core/git/history.js";
export {
  type CommitInfo,
  GitProblem,
  type GitRepository,
  gitRepository,
  isShallow,
  listTree,
  readBlobBytes,
  readCommitInfo,
  resolveRevision,
  type Signature,
  subtreeOid,
  type TreeFile,
} from "../core/git/repository.js";
export {
  type CheckDelta,
  type CheckWork,
  type FileChange,
  IncrementalCheck,
  type IncrementalCheckOptions,
  openIncrementalCheck,
} from "../core/incremental/checker.js";
export * from "../core/index.js";
export { type FsSourceOptions, fsSource } from "./fs-source.js";
export {
  commitAt,
  diffRevisions,
  loadTrackerAt,
  loadTrackerHistory,
  repositoryOf,
  type TrackerRepository,
} from "./git.js";
export { lastChangeDays } from "./last-changes.js";
export { findTrackerRoot, type LoadOptions, loadTracker } from "./load.js";
export { type RenderedMarkdown, type RenderOptions, renderMarkdown } from "./markdown.js";
export { CACHE_FORMAT, fileParseCache } from "./parse-cache.js";
export {
  isIgnoredPath,
  type TrackerWatch,
  type WatchBatch,
  type WatchOptions,
  type WatchTiming,
  watchTracker,
} from "./watch.js";
export { type Me, whoAmI } from "./who-am-i.js";
