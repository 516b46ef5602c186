/**
 * Node-only parts of Trackdown: the file-system source, the parse cache and helpers to
 * find and load a tracker from the working tree.
 *
 * @packageDocumentation
 */

export * from "../core/index.js";
export { type FsSourceOptions, fsSource } from "./fs-source.js";
export { lastChangeDays } from "./last-changes.js";
export { findTrackerRoot, type LoadOptions, loadTracker } from "./load.js";
export { CACHE_FORMAT, fileParseCache } from "./parse-cache.js";
export { type Me, whoAmI } from "./who-am-i.js";
