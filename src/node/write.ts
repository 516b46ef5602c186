/**
 * Safe writes of tracker files, for the CLI's write commands. A command reads the files it
 * will change with {@link readForEdit}, decides their new contents (a {@link PlannedChange}
 * list, which `--dry-run` prints as a patch), and hands the plan to {@link applyChanges}.
 *
 * Guaranteed:
 * - A plan is checked whole before anything is touched: every file must still hold exactly
 *   the text it was read with (new files and rename targets must still not exist). Otherwise
 *   the plan is refused with {@link WriteRefused}, naming the file, and nothing is written.
 * - Only paths inside the tracker are read or written: no absolute paths, no `..`, no hidden
 *   files or folders but Trackdown's own `.trackdown/` (its cache and timers), and no
 *   symbolic link anywhere on the path (file or folder), whether it leads out of the tracker
 *   or not (see {@link readForEdit} for why links inside are refused).
 * - No half file: new contents go to hidden temp files beside their targets (same folder,
 *   flushed to disk with fsync) and are renamed into place only once every temp file is
 *   written. Should anything fail before that, the temp files and any folders made for them
 *   are removed and the tracker is as it was. A replaced file keeps its mode.
 * - New files and rename targets are put in place without replacing a file that appeared
 *   meanwhile (a hard link, which fails when the name exists), where the file system has them.
 *
 * Not guaranteed:
 * - Several files are not renamed into place in one atomic step. A crash or power loss while
 *   the renames run can leave some files of the plan new and others old (each file whole, old
 *   or new); so can a rename that fails (reported as {@link WriteIncomplete}, naming what was
 *   and was not written). Git shows what happened (`git status`, `git diff`).
 * - The checks and the renames are separate steps: an editor that saves a file in the
 *   moments between them (microseconds, after all temp files are written) is not seen, and a
 *   folder swapped for a link in that moment is not either. The checks guard against
 *   accidents and stale plans, not against an adversary racing in the same tree.
 * - A replaced file is a new file: its owner becomes the user who wrote it, and other hard
 *   links to the old file keep the old text.
 * - A crash can leave hidden temp files (`.<name>.<hex>.tmp`) beside their targets; the
 *   tracker ignores hidden files, and they can be removed at any time.
 */
import { randomBytes } from "node:crypto";
import {
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmdirSync,
  type Stats,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";

/** A file as a command read it before deciding what to write. Paths are tracker-relative with forward slashes. */
export interface ReadFile {
  readonly path: string;
  /** Its text (decoded UTF-8 as is, BOM and CRLF kept), or undefined when it did not exist. */
  readonly text: string | undefined;
}

/**
 * One change of a write command's plan. Paths are tracker-relative with forward slashes;
 * `before` is the text the command read ({@link ReadFile.text}), `after` the text to write.
 */
export type PlannedChange =
  /** Writes a file; `before` undefined: a new file (which must still not exist). */
  | {
      readonly kind: "write";
      readonly path: string;
      readonly before: string | undefined;
      readonly after: string;
    }
  | { readonly kind: "delete"; readonly path: string; readonly before: string }
  /** Moves a file to a path that does not exist yet; its content may change in the same step (rename-id). */
  | {
      readonly kind: "rename";
      readonly from: string;
      readonly to: string;
      readonly before: string;
      readonly after: string;
    };

/**
 * A write command's failure about one file of the tracker; the message is the sentence to
 * show the user. Catch this to handle both kinds below.
 */
export abstract class WriteError extends Error {
  /** The tracker path the command named (the message may also name a folder or link on the way to it). */
  readonly path: string;
  constructor(path: string, message: string) {
    super(message);
    this.path = path;
  }
}

/** A read or a plan refused before anything was written. */
export class WriteRefused extends WriteError {
  override readonly name = "WriteRefused";
}

/**
 * A plan applied only in part: a rename into place or a removal failed after others had
 * succeeded. The message names what was done and what was not.
 */
export class WriteIncomplete extends WriteError {
  override readonly name = "WriteIncomplete";
}

/** The tracker folder, by its real path, so that what links point to can be compared with it. */
interface Tracker {
  readonly real: string;
}

/** A vetted tracker path: its place on disk, and what is there now (undefined: nothing). */
interface Vetted {
  readonly path: string;
  readonly full: string;
  readonly stats: Stats | undefined;
}

/** Trackdown's own hidden folder in the tracker (cache, timers): the one hidden path it edits. */
const OWN_FOLDER = ".trackdown";

/** The refusal for a file that is no longer as the command read it. */
function stale(path: string, what: "changed" | "was deleted" | "was created"): WriteRefused {
  return new WriteRefused(
    path,
    `${path} ${what} on disk since it was read (by an editor or another command); nothing was written. Run the command again.`,
  );
}

/**
 * Reads a file of the tracker for editing; refuses paths that are absolute, contain `..`, or
 * lead through a symlink (file or any parent folder) out of the tracker (realpath), or that
 * are not regular files.
 *
 * Links that stay inside the tracker are refused too: a write replaces the file by renaming
 * a new one into place, which would turn the link into a plain copy (or, written through,
 * change a file under another name than the one checked). Hidden paths (a part starting with
 * ".") are refused, as the tracker never reads them, except in Trackdown's own `.trackdown/`
 * folder; so is text that is not valid UTF-8, which could not be written back unchanged.
 */
export function readForEdit(root: string, path: string): ReadFile {
  const tracker = trackerAt(root);
  const problem = (reason: string) => new WriteRefused(path, `${reason}.`);
  const file = vet(tracker, path, problem);
  if (file.stats === undefined) return { path, text: undefined };
  const bytes = readWithoutFollowing(file, problem);
  if (bytes === undefined) return { path, text: undefined };
  try {
    return { path, text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    throw problem(
      `${path} is not UTF-8 text; Trackdown edits text files only, and would damage it`,
    );
  }
}

/**
 * Applies the changes: first checks that every file still holds exactly `before` (or still
 * does not exist for new files and rename targets), that no path escapes the tracker or
 * writes through a symlink; refuses the whole plan (nothing written) otherwise, naming the
 * file: "projects/web/tasks/WEB-12-x.md changed on disk since it was read (by an editor or
 * another command); nothing was written. Run the command again." Then writes every new
 * content to a temp file beside its target (same folder, hidden name, fsync), and only when
 * all temp files are written renames them into place (keeping the old file's mode), then
 * removes deleted and renamed-away files and creates missing folders (inside the tracker
 * only) as needed. On any failure before the renames, temp files are removed and nothing
 * changed; never a half file.
 *
 * Throws {@link WriteRefused} when nothing was written, {@link WriteIncomplete} when a
 * rename failed after others, and a plain `Error` for a plan that names a path twice (a bug
 * of the command, not of the files).
 */
export function applyChanges(root: string, changes: readonly PlannedChange[]): void {
  if (changes.length === 0) return;
  const tracker = trackerAt(root);
  const { expected, puts, removals } = planOf(changes);
  const problem = (path: string) => (reason: string) =>
    new WriteRefused(path, `${reason}; nothing was written.`);
  check(tracker, expected, problem);

  const staged: { put: Put; temp: string }[] = [];
  const madeFolders: string[] = [];
  const undoStaging = () => {
    for (const { temp } of staged) removeQuietly(temp);
    for (const folder of madeFolders.reverse()) removeFolderQuietly(folder);
  };
  try {
    for (const put of puts) {
      const target = vet(tracker, put.path, problem(put.path));
      const mode = put.modeOf === undefined ? undefined : modeOf(tracker, put.modeOf);
      makeFolders(tracker, put.path, madeFolders, problem(put.path));
      staged.push({ put, temp: stageBeside(target, put.data, mode, problem(put.path)) });
    }
    // again, now that the slow part is done: the window left for an editor is the renames'
    check(tracker, expected, problem);
    placeNewFiles(
      tracker,
      staged.filter((s) => !s.put.replaces),
      problem,
    );
  } catch (error) {
    undoStaging();
    throw error;
  }

  replaceAndRemove(tracker, staged, removals);
  syncFolders([...puts.map((p) => p.path), ...removals].map((p) => fullPathOf(tracker, p)));
}

/**
 * The part that cannot be undone, run once new files are in place: renames the other temp
 * files over the files they replace, then removes deleted and renamed-away files. A failure
 * here leaves the plan applied in part, which the error spells out.
 */
function replaceAndRemove(
  tracker: Tracker,
  staged: readonly { put: Put; temp: string }[],
  removals: readonly string[],
): void {
  const steps = [
    ...staged
      .filter((s) => s.put.replaces)
      .map(({ put, temp }) => ({
        path: put.path,
        verb: "written",
        run: () => renameSync(temp, fullPathOf(tracker, put.path)),
      })),
    ...removals.map((path) => ({
      path,
      verb: "removed",
      run: () => {
        try {
          unlinkSync(fullPathOf(tracker, path));
        } catch (error) {
          if (codeOf(error) !== "ENOENT") throw error;
        }
      },
    })),
  ];
  const done = staged.filter((s) => !s.put.replaces).map((s) => s.put.path);
  for (const [i, step] of steps.entries()) {
    try {
      step.run();
    } catch (error) {
      for (const { temp } of staged) removeQuietly(temp);
      const notDone = steps.slice(i).map((s) => s.path);
      throw new WriteIncomplete(
        step.path,
        `${step.path} could not be ${step.verb} (${messageOf(error)}); the plan was applied ` +
          `in part. Done: ${done.join(", ") || "nothing"}. Not done: ${notDone.join(", ")}. ` +
          "Check the files with git status.",
      );
    }
    done.push(step.path);
  }
}

/** A new content to put in place. */
interface Put {
  readonly path: string;
  readonly data: Buffer;
  /** Whether it replaces an existing file (else the name must still be free). */
  readonly replaces: boolean;
  /** The file whose mode the new one takes (the replaced file, or a rename's source). */
  readonly modeOf: string | undefined;
}

/** A plan as what must be on disk before, what to put, and what to remove after. */
function planOf(changes: readonly PlannedChange[]) {
  const expected = new Map<string, string | undefined>();
  const expect = (path: string, before: string | undefined) => {
    if (expected.has(path)) throw new Error(`The plan names ${path} more than once`);
    expected.set(path, before);
  };
  const puts: Put[] = [];
  const removals: string[] = [];
  for (const change of changes) {
    if (change.kind === "write") {
      expect(change.path, change.before);
      const replaces = change.before !== undefined;
      const modeOf = replaces ? change.path : undefined;
      puts.push({ path: change.path, data: Buffer.from(change.after), replaces, modeOf });
    } else if (change.kind === "delete") {
      expect(change.path, change.before);
      removals.push(change.path);
    } else {
      expect(change.from, change.before);
      expect(change.to, undefined);
      const data = Buffer.from(change.after);
      puts.push({ path: change.to, data, replaces: false, modeOf: change.from });
      removals.push(change.from);
    }
  }
  return { expected, puts, removals };
}

/** Refuses the plan unless every path is a plain tracker file holding its `before` text (or absent). */
function check(
  tracker: Tracker,
  expected: ReadonlyMap<string, string | undefined>,
  problem: (path: string) => (reason: string) => WriteRefused,
): void {
  for (const [path, before] of expected) {
    const refuse = problem(path);
    const file = vet(tracker, path, refuse);
    const bytes = file.stats === undefined ? undefined : readWithoutFollowing(file, refuse);
    if (before === undefined) {
      if (bytes !== undefined) throw stale(path, "was created");
    } else if (bytes === undefined) {
      throw stale(path, "was deleted");
    } else if (!bytes.equals(Buffer.from(before))) {
      throw stale(path, "changed");
    }
  }
}

function trackerAt(root: string): Tracker {
  return { real: realpathSync(resolve(root)) };
}

function fullPathOf(tracker: Tracker, path: string): string {
  return join(tracker.real, ...path.split("/"));
}

/**
 * Checks that a path names a plain file (or nothing yet) inside the tracker, reached through
 * real folders only; `problem` makes the error for a reason.
 */
function vet(tracker: Tracker, path: string, problem: (reason: string) => WriteRefused): Vetted {
  const parts = path.split("/");
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path) || path.includes("\\")) {
    throw problem(
      `"${path}" is not a path inside the tracker: paths are relative to the tracker folder, with forward slashes`,
    );
  }
  if (parts.includes("..")) throw problem(`"${path}" leads out of the tracker through ".."`);
  if (parts.some((part) => part === "" || part === "." || part.includes("\0"))) {
    throw problem(`"${path}" is not a plain path of a tracker file`);
  }
  if (parts.some((part, i) => part.startsWith(".") && !(i === 0 && part === OWN_FOLDER))) {
    throw problem(
      `"${path}" is hidden (a name starting with "."); the tracker never reads hidden files or folders, and Trackdown writes none but its own ${OWN_FOLDER} folder`,
    );
  }
  for (let i = 1; i < parts.length; i++) {
    const folder = parts.slice(0, i).join("/");
    const stats = lstatSync(fullPathOf(tracker, folder), { throwIfNoEntry: false });
    if (stats === undefined) return { path, full: fullPathOf(tracker, path), stats: undefined };
    if (stats.isSymbolicLink()) throw problem(linkReason(tracker, folder, path));
    if (!stats.isDirectory()) {
      throw problem(`${folder} is a file, not a folder, so there can be no ${path}`);
    }
  }
  const full = fullPathOf(tracker, path);
  const stats = lstatSync(full, { throwIfNoEntry: false });
  if (stats?.isSymbolicLink()) throw problem(linkReason(tracker, path, path));
  if (stats !== undefined && !stats.isFile()) {
    throw problem(`${path} is ${stats.isDirectory() ? "a folder" : "not a regular file"}`);
  }
  return { path, full, stats };
}

/** Why a symbolic link at `at` (the file itself or a folder on the way to `path`) is refused. */
function linkReason(tracker: Tracker, at: string, path: string): string {
  const full = fullPathOf(tracker, at);
  let target: string;
  try {
    target = realpathSync(full);
  } catch {
    target = resolve(dirname(full), readlinkSync(full)); // dangling
  }
  const what = at === path ? at : `${at} (on the way to ${path})`;
  const inside = target === tracker.real || target.startsWith(tracker.real + sep);
  if (!inside) {
    return `${what} is a symbolic link to ${target}, outside the tracker; Trackdown never follows links out of the tracker`;
  }
  const to = relative(tracker.real, target).split(sep).join("/");
  return at === path
    ? `${what} is a symbolic link (to ${to}); Trackdown does not write through links, as putting the new file in place would turn the link into a plain copy. Replace the link with the file to edit it`
    : `${what} is a symbolic link (to ${to}); Trackdown neither reads nor writes through linked folders`;
}

/** The file's bytes, read without following a link put there since it was vetted; undefined if gone. */
function readWithoutFollowing(
  file: Vetted,
  problem: (reason: string) => WriteRefused,
): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(file.full, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    if (codeOf(error) === "ENOENT") return undefined;
    if (codeOf(error) === "ELOOP") throw problem(`${file.path} became a symbolic link`);
    throw error;
  }
  try {
    if (!fstatSync(fd).isFile()) throw problem(`${file.path} is not a regular file`);
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

function modeOf(tracker: Tracker, path: string): number | undefined {
  return lstatSync(fullPathOf(tracker, path), { throwIfNoEntry: false })?.mode;
}

/** Creates the missing folders of a path, one at a time, noting each one made so it can be undone. */
function makeFolders(
  tracker: Tracker,
  path: string,
  made: string[],
  problem: (reason: string) => WriteRefused,
): void {
  const parts = path.split("/").slice(0, -1);
  for (let i = 1; i <= parts.length; i++) {
    const full = fullPathOf(tracker, parts.slice(0, i).join("/"));
    try {
      mkdirSync(full);
      made.push(full);
    } catch (error) {
      if (codeOf(error) !== "EEXIST") throw problem(couldNotWrite(path, error));
      if (!lstatSync(full).isDirectory()) {
        throw problem(`${parts.slice(0, i).join("/")} is not a folder, so ${path} cannot be`);
      }
    }
  }
}

/** Writes data to a new hidden temp file in the target's folder, flushed to disk; returns its path. */
function stageBeside(
  target: Vetted,
  data: Buffer,
  mode: number | undefined,
  problem: (reason: string) => WriteRefused,
): string {
  const temp = join(
    dirname(target.full),
    `.${basename(target.full)}.${randomBytes(4).toString("hex")}.tmp`,
  );
  let fd: number;
  try {
    fd = openSync(temp, "wx", 0o666);
  } catch (error) {
    throw problem(couldNotWrite(target.path, error));
  }
  try {
    if (mode !== undefined) fchmodSync(fd, mode & 0o7777);
    writeFileSync(fd, data);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    removeQuietly(temp);
    throw problem(couldNotWrite(target.path, error));
  }
  closeSync(fd);
  return temp;
}

/** Error codes of file systems without hard links. */
const NO_HARD_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS"]);

/**
 * Puts new files in place with a hard link, which fails if the name was taken meanwhile
 * (a rename would replace that file); falls back to a rename where links are not supported.
 * On failure, the files already placed are removed again.
 */
function placeNewFiles(
  tracker: Tracker,
  staged: readonly { put: Put; temp: string }[],
  problem: (path: string) => (reason: string) => WriteRefused,
): void {
  const placed: string[] = [];
  try {
    for (const { put, temp } of staged) {
      const target = fullPathOf(tracker, put.path);
      try {
        try {
          linkSync(temp, target);
          unlinkSync(temp);
        } catch (error) {
          if (!NO_HARD_LINKS.has(codeOf(error) ?? "")) throw error;
          renameSync(temp, target);
        }
      } catch (error) {
        if (codeOf(error) === "EEXIST") throw stale(put.path, "was created");
        throw problem(put.path)(couldNotWrite(put.path, error));
      }
      placed.push(target);
    }
  } catch (error) {
    for (const target of placed) removeQuietly(target);
    throw error;
  }
}

/** Flushes the folders' entries (the renames) to disk, where the system allows it. */
function syncFolders(files: readonly string[]): void {
  for (const folder of new Set(files.map((f) => dirname(f)))) {
    try {
      const fd = openSync(folder, "r");
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch {
      // not every system can fsync a folder (Windows); the files themselves are flushed
    }
  }
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}

function removeFolderQuietly(folder: string): void {
  try {
    rmdirSync(folder);
  } catch {
    // not empty (someone else's file) or already gone: leave it
  }
}

function couldNotWrite(path: string, error: unknown): string {
  return `${path} could not be written (${messageOf(error)})`;
}

function codeOf(error: unknown): string | undefined {
  return error instanceof Error && "code" in error && typeof error.code === "string"
    ? error.code
    : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
