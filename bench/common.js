// What the benchmark runners share: where things are, the synthetic trackers' cache, and
// the small helpers for fresh child processes and medians.
import { fork } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
/** The library entry; TRACKDOWN_BENCH_ENTRY can point at another build to compare. */
export const DIST_ENTRY = process.env.TRACKDOWN_BENCH_ENTRY
  ? path.resolve(process.env.TRACKDOWN_BENCH_ENTRY)
  : path.join(BENCH_DIR, "..", "dist", "node", "index.js");
export const OUT_DIR = path.join(BENCH_DIR, "out");
export const TRACKERS_DIR = path.join(os.tmpdir(), "trackdown-bench");

/**
 * Sends a child's result to the parent (or prints it when run by hand), then disconnects.
 * @param {unknown} message
 * @returns {Promise<void>}
 */
export function send(message) {
  return new Promise((resolve) => {
    if (!process.send) {
      console.log(JSON.stringify(message));
      resolve();
      return;
    }
    process.send(message, () => {
      process.disconnect();
      resolve();
    });
  });
}

/**
 * The median of some numbers (the mean of the middle two for an even count).
 * @param {number[]} values
 */
export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** @param {string} message progress for people, on stderr (the table goes to stdout) */
export function progress(message) {
  process.stderr.write(`${message}\n`);
}

/**
 * The synthetic tracker of N tasks for a seed, generated once and reused (keyed by the
 * generator's version too).
 * @param {number} n
 * @param {number} seed
 * @param {boolean} regen write it again
 * @returns {Promise<string>} its folder
 */
export async function ensureTracker(n, seed, regen) {
  const { generateTracker, GENERATOR_VERSION } = await import("./generate.js");
  const dir = path.join(TRACKERS_DIR, `n${n}-s${seed}-g${GENERATOR_VERSION}`);
  if (regen) rmSync(dir, { recursive: true, force: true });
  if (existsSync(path.join(dir, "trackdown.yml"))) {
    progress(`N=${n}: reusing ${dir}`);
    return dir;
  }
  // Generate next to it, then rename: a half-written tracker is never reused.
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(TRACKERS_DIR, { recursive: true });
  const stats = await generateTracker(partial, { tasks: n, seed });
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  progress(
    `N=${n}: generated ${stats.files} files (${(stats.bytes / 1048576).toFixed(1)} MB) ` +
      `in ${(stats.ms / 1000).toFixed(2)} s → ${dir}`,
  );
  return dir;
}

/**
 * Runs `node <script> --child …args` and resolves with the message it sends (see `send`),
 * or with `failed(reason)` when it exits without one. Resolves only once the process has
 * exited and its IPC channel is drained, whatever the order of the two.
 * @template T
 * @param {string} script
 * @param {string[]} args
 * @param {(reason: string) => T} failed
 * @returns {Promise<T>}
 */
export function forkChild(script, args, failed) {
  return new Promise((resolve) => {
    /** @type {T | undefined} */
    let result;
    /** @type {string | undefined} */
    let exitInfo;
    let channelClosed = false;
    const child = fork(script, ["--child", ...args], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const finish = () => {
      if (exitInfo === undefined || !channelClosed) return;
      resolve(result ?? failed(`child exited with ${exitInfo} before reporting`));
    };
    child.on("message", (message) => {
      result = /** @type {T} */ (message);
    });
    child.on("disconnect", () => {
      channelClosed = true;
      finish();
    });
    child.on("error", (err) => {
      exitInfo = String(err);
      channelClosed = true;
      finish();
    });
    child.on("exit", (code, signal) => {
      exitInfo = signal ?? `code ${code}`;
      if (!child.connected) channelClosed = true;
      finish();
    });
  });
}
