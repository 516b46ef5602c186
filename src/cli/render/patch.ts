import { structuredPatch } from "diff";
import type { PlannedChange } from "../../node/write.js";
import { terminalStyles } from "./width.js";

/** Options of {@link renderPatch}. */
export interface PatchOptions {
  /** From a tracker path to the path the user sees, e.g. "tracker/projects/web/tasks/WEB-12-x.md". */
  readonly display: (path: string) => string;
  /** Colour as git does: bold headers, cyan hunk ranges, red removed and green added lines. */
  readonly color?: boolean;
}

type Paint = ReturnType<typeof terminalStyles>;

/** Lines of context around each change, as git's default. */
const CONTEXT = 3;
/**
 * The patch cannot know modes; this is the mode Trackdown's new files get under the usual
 * umask, and the one of nearly every tracker file.
 */
const FILE_MODE = "100644";

/**
 * A git-style unified diff of the planned changes (what `--dry-run` prints), paths shown
 * relative to `display` (a function from tracker path to the path the user sees, e.g.
 * "tracker/projects/web/tasks/WEB-12-x.md"), with `new file`, `deleted file` and `rename
 * from/to` headers like git's, 3 lines of context, no colour unless `color` is true (then
 * git's red/green/cyan). Empty string for no changes.
 *
 * `git apply` takes it from the folder `display` is relative to. Paths are quoted as git
 * quotes them (non-ASCII and control characters as octal escapes). In contents, control
 * characters other than tab and a line's final CR are shown as their Unicode pictures (ESC
 * as ␛) so that a file cannot drive the terminal; a patch of such a file is for reading.
 */
export function renderPatch(changes: readonly PlannedChange[], options: PatchOptions): string {
  const paint = terminalStyles(options.color === true);
  return changes.map((change) => fileDiff(change, options.display, paint)).join("");
}

/** One file's part of the patch: git's extended header, then its hunks. */
function fileDiff(change: PlannedChange, display: (path: string) => string, paint: Paint): string {
  const lines: string[] = [];
  const meta = (line: string) => lines.push(paint.bold(line));
  if (change.kind === "rename") {
    const from = display(change.from);
    const to = display(change.to);
    meta(`diff --git ${quoted(`a/${from}`)} ${quoted(`b/${to}`)}`);
    if (change.before === change.after) meta("similarity index 100%");
    meta(`rename from ${quoted(from)}`);
    meta(`rename to ${quoted(to)}`);
    pushHunks(lines, `a/${from}`, `b/${to}`, change.before, change.after, paint);
    return `${lines.join("\n")}\n`;
  }
  const name = display(change.path);
  if (change.kind === "write" && change.before === change.after) return "";
  meta(`diff --git ${quoted(`a/${name}`)} ${quoted(`b/${name}`)}`);
  if (change.kind === "delete") {
    meta(`deleted file mode ${FILE_MODE}`);
    pushHunks(lines, `a/${name}`, undefined, change.before, "", paint);
  } else if (change.before === undefined) {
    meta(`new file mode ${FILE_MODE}`);
    pushHunks(lines, undefined, `b/${name}`, "", change.after, paint);
  } else {
    pushHunks(lines, `a/${name}`, `b/${name}`, change.before, change.after, paint);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * The `---`/`+++` lines and the hunks between two texts; nothing when they are equal (git
 * shows an empty new or deleted file, or a pure rename, by its header alone). An undefined
 * name is /dev/null.
 */
function pushHunks(
  lines: string[],
  oldName: string | undefined,
  newName: string | undefined,
  before: string,
  after: string,
  paint: Paint,
): void {
  if (before === after) return;
  lines.push(paint.bold(`--- ${fileLabel(oldName)}`), paint.bold(`+++ ${fileLabel(newName)}`));
  const patch = structuredPatch("", "", before, after, undefined, undefined, { context: CONTEXT });
  for (const hunk of patch.hunks) {
    lines.push(
      paint.cyan(
        `@@ -${range(hunk.oldStart, hunk.oldLines)} +${range(hunk.newStart, hunk.newLines)} @@`,
      ),
    );
    for (const line of hunk.lines) {
      const mark = line[0];
      const text = mark === "\\" ? line : `${mark}${visible(line.slice(1))}`;
      lines.push(mark === "+" ? paint.green(text) : mark === "-" ? paint.red(text) : text);
    }
  }
}

/** A hunk's range as git writes it: the count left out when it is 1, the line before for none. */
function range(start: number, count: number): string {
  if (count === 1) return String(start);
  return `${count === 0 ? start - 1 : start},${count}`;
}

/** A `---`/`+++` name; git ends one holding a space with a tab, so patch tools find its end. */
function fileLabel(name: string | undefined): string {
  if (name === undefined) return "/dev/null";
  const label = quoted(name);
  return label.includes(" ") ? `${label}\t` : label;
}

/** Git's C-style escapes of a path's bytes (`core.quotePath`, on by default). */
const ESCAPES: Readonly<Record<number, string>> = {
  7: "\\a",
  8: "\\b",
  9: "\\t",
  10: "\\n",
  11: "\\v",
  12: "\\f",
  13: "\\r",
  34: '\\"',
  92: "\\\\",
};

/** A path as git prints it: as is, or in double quotes with escapes when it holds a byte git quotes. */
function quoted(path: string): string {
  if (!/[\p{Cc}"\\]|[^\p{ASCII}]/u.test(path)) return path;
  let out = '"';
  for (const byte of Buffer.from(path, "utf8")) {
    out +=
      ESCAPES[byte] ??
      (byte < 0x20 || byte >= 0x7f
        ? `\\${byte.toString(8).padStart(3, "0")}`
        : String.fromCharCode(byte));
  }
  return `${out}"`;
}

/**
 * A line of content safe to print: control characters become visible pictures (U+2400 on,
 * ␡ for DEL, � for the C1 range), except tabs and the CR that ends a CRLF line.
 */
function visible(text: string): string {
  return text.replace(/\p{Cc}/gu, (c, at: number) => {
    if (c === "\t" || (c === "\r" && at === text.length - 1)) return c;
    const code = c.charCodeAt(0);
    return code < 0x20 ? String.fromCharCode(0x2400 + code) : code === 0x7f ? "\u2421" : "\ufffd";
  });
}
