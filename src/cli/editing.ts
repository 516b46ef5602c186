// What every write command shares: the tracker as read, a plan of file changes built from
// minimal-diff edits (src/core/edit/), a check that the plan adds no error, and then either
// the patch (--dry-run) or safe writes (src/node/write.ts).

import { compareDiagnostics, type Diagnostic } from "../core/diagnostics/diagnostic.js";
import { didYouMean } from "../core/did-you-mean.js";
import { taskIdFromFileStem, taskIdMentions } from "../core/ids.js";
import {
  editFrontMatter,
  editYaml,
  type FieldEdit,
  type YamlScalar,
  type YamlValue,
} from "../core/index.js";
import type { Task, Tracker } from "../core/model.js";
import { openTracker } from "../core/open-tracker.js";
import { classifyPath, type RecordKind } from "../core/parse/layout.js";
import type { ParsedFile } from "../core/parse/read-file.js";
import { SCHEMAS, type SchemaKind } from "../core/schemas.generated.js";
import { overlaySource, type ParseCache, type Source } from "../core/source.js";
import { fsSource } from "../node/fs-source.js";
import { fileParseCache } from "../node/parse-cache.js";
import { VERSION } from "../node/version.js";
import { applyChanges, type PlannedChange, readForEdit, WriteError } from "../node/write.js";
import { todayFor } from "./context.js";
import { formatText } from "./format/text.js";
import { CliError, type CliIO, styles, useColour } from "./io.js";
import { renderPatch } from "./render/patch.js";
import { safeText } from "./render/width.js";
import { displayPathFor, resolveTrackerRoot } from "./tracker-path.js";

/** Options every write command takes. */
export interface WriteOptions {
  readonly tracker?: string;
  /** Print the patch instead of writing. */
  readonly dryRun?: boolean;
  /** Write even when the change adds errors (a forbidden transition, a full column…). */
  readonly force?: boolean;
}

/** The tracker as a write command read it, and a plan of changes to its files. */
export class EditSession {
  readonly io: CliIO;
  readonly root: string;
  readonly tracker: Tracker;
  readonly today: string;
  readonly display: (file: string) => string;
  readonly options: WriteOptions;
  readonly #source: Source;
  readonly #cache: ParseCache;
  /** Each touched file's text when read (undefined: it did not exist). */
  readonly #before = new Map<string, string | undefined>();
  /** Each touched file's planned text (undefined: deleted). */
  readonly #after = new Map<string, string | undefined>();
  readonly #renames: { from: string; to: string }[] = [];
  /** Tasks this plan gives new ids: new id → old id. */
  readonly #renamedIds = new Map<string, string>();

  private constructor(
    io: CliIO,
    root: string,
    tracker: Tracker,
    source: Source,
    cache: ParseCache,
    options: WriteOptions,
  ) {
    this.io = io;
    this.root = root;
    this.tracker = tracker;
    this.#source = source;
    this.#cache = cache;
    this.options = options;
    this.today = todayFor(io, tracker.settings.timezone);
    this.display = displayPathFor(io, root);
  }

  /** Reads the tracker for a write command (with the parse cache: a big tracker opens fast). */
  static async open(io: CliIO, options: WriteOptions): Promise<EditSession> {
    const root = resolveTrackerRoot(io, options.tracker);
    const files = fsSource(root, { stamps: true });
    // listed once: the check of the plan reads the same listing with the changes over it
    const listing = await files.list();
    const source: Source = { ...files, list: async () => listing };
    // Files parsed now are kept in memory, so that the check of the plan parses only the
    // changed ones. The cache on disk is rewritten only when it was cold (a fresh clone):
    // the command changes files right after, and rewriting a warm cache for 10,000 files
    // costs more than the one re-parse the next command does.
    const file = fileParseCache(root, VERSION);
    const parsedNow = new Map<string, { stamp: string; parsed: ParsedFile }>();
    let fresh = 0;
    const cache: ParseCache = {
      ...readOnly(file),
      load: () => file.load(),
      get: (path, stamp) => {
        const kept = parsedNow.get(path);
        return kept !== undefined && kept.stamp === stamp ? kept.parsed : file.get(path, stamp);
      },
      set: (path, stamp, parsed) => {
        parsedNow.set(path, { stamp, parsed });
        const taken = file.set(path, stamp, parsed);
        if (taken) fresh++;
        return taken;
      },
      getDiagnostics: (listing) => file.getDiagnostics(listing),
    };
    const tracker = await openTracker(source, { cache });
    if (fresh > Math.max(50, listing.length / 20)) await file.save();
    return new EditSession(io, root, tracker, source, cache, options);
  }

  /** A task by id (any case), archived ones included; a clear error when there is none. */
  task(id: string): Task {
    const wanted = id.trim().toUpperCase();
    const matches = [...this.tracker.tasks, ...this.tracker.archivedTasks].filter(
      (t) => t.id === wanted,
    );
    if (matches.length === 1 && matches[0] !== undefined) return matches[0];
    if (matches.length > 1) {
      throw new CliError(
        `${wanted} is the id of ${matches.length} tasks (${matches.map((t) => this.display(t.file)).join(", ")}); give one of them a new id first with \`trackdown fix-ids\` or \`trackdown rename-id\`.`,
        1,
      );
    }
    // a task file that could not be read: its first error, not "no such task"
    const unread = this.tracker.diagnostics.find((d) => {
      if (d.severity !== "error") return false;
      const role = classifyPath(d.file);
      return (
        role.role === "record" &&
        role.kind === "task" &&
        taskIdFromFileStem(role.stem) === wanted &&
        !this.tracker.tasks.some((t) => t.file === d.file) &&
        !this.tracker.archivedTasks.some((t) => t.file === d.file)
      );
    });
    if (unread !== undefined) {
      const message = /[.!?]$/.test(unread.message) ? unread.message : `${unread.message}.`;
      throw new CliError(
        `${this.display(unread.file)}:${unread.line}:${unread.column}: ${message} ${wanted} could not be read, so nothing was written; fix the file (\`trackdown check\`) and run the command again.`,
        1,
      );
    }
    const ids = [...this.tracker.tasks, ...this.tracker.archivedTasks].map((t) => t.id);
    const guess = didYouMean(wanted, ids);
    throw new CliError(
      `There is no task ${wanted}.${guess !== undefined ? ` Did you mean ${guess}?` : ""}`,
      1,
    );
  }

  /** A person's id from an id or GitHub login (any case, @ optional); a clear error otherwise. */
  person(given: string): string {
    const name = given.trim().replace(/^@/, "").toLowerCase();
    const people = this.tracker.people;
    const person =
      people.find((p) => p.id === name) ?? people.find((p) => p.github?.toLowerCase() === name);
    if (person !== undefined) return person.id;
    const guess = didYouMean(
      name,
      people.map((p) => p.id),
    );
    throw new CliError(
      `There is no person "${given}" in people/.${guess !== undefined ? ` Did you mean @${guess}?` : ""}`,
      1,
    );
  }

  /** A file's planned text (what earlier steps of this plan made of it, else the disk's). */
  text(path: string): string | undefined {
    return this.#after.has(path) ? this.#after.get(path) : this.#read(path);
  }

  #read(path: string): string | undefined {
    if (!this.#before.has(path)) {
      try {
        this.#before.set(path, readForEdit(this.root, path).text);
      } catch (error) {
        if (error instanceof WriteError) throw this.#refusal(error);
        throw error;
      }
    }
    return this.#before.get(path);
  }

  /** A refused read or write, with the path as the user sees it. */
  #refusal(error: WriteError): CliError {
    return new CliError(error.message.split(error.path).join(this.display(error.path)));
  }

  /**
   * Applies field edits to a record file (front matter for .md, the document for .yml); a
   * file this plan moved is edited where it goes.
   */
  edit(read: string, edits: readonly FieldEdit[], options: { body?: string } = {}): void {
    let path = read;
    for (const { from, to } of this.#renames) if (from === path) path = to;
    const text = this.text(path);
    if (text === undefined) throw new CliError(`${this.display(path)} does not exist.`);
    const outcome = path.endsWith(".md")
      ? editFrontMatter(text, edits, options.body !== undefined ? { body: options.body } : {})
      : editYaml(text, edits);
    if (!outcome.ok) {
      const at = outcome.line !== undefined ? `:${outcome.line}:${outcome.column ?? 1}` : "";
      throw new CliError(
        `${this.display(path)}${at}: ${outcome.message} Nothing was written; fix the file (\`trackdown check\`) and run the command again.`,
        1,
      );
    }
    if (outcome.changed) this.#after.set(path, outcome.text);
  }

  /** Notes that the plan gives a task a new id, so its existing problems are not new ones. */
  renamesTask(oldId: string, newId: string): void {
    this.#renamedIds.set(newId, oldId);
  }

  /** A message with renamed tasks' new ids put back to their old ones. */
  #earlierIds(message: string): string {
    if (this.#renamedIds.size === 0) return message;
    return message.replace(
      taskIdMentions(this.#renamedIds.keys()),
      (id) => this.#renamedIds.get(id) ?? id,
    );
  }

  /** A file's whole new text (for files that are not records, such as the timers). */
  write(path: string, text: string): void {
    if (this.text(path) !== text) this.#after.set(path, text);
  }

  /** A new file; refused when something is there already. */
  create(path: string, text: string): void {
    if (this.text(path) !== undefined) {
      throw new CliError(`${this.display(path)} exists already; nothing was written.`);
    }
    this.#after.set(path, text);
  }

  /** Moves a file (its planned text goes with it). */
  move(from: string, to: string): void {
    const text = this.text(from);
    if (text === undefined) throw new CliError(`${this.display(from)} does not exist.`);
    if (this.text(to) !== undefined) {
      throw new CliError(`${this.display(to)} exists already; nothing was written.`);
    }
    this.#after.set(from, undefined);
    this.#after.set(to, text);
    this.#renames.push({ from, to });
  }

  /**
   * The `# yaml-language-server: $schema=…` line that files of the same kind at the same
   * depth start with (their YAML's first line), so that a new file gets completion too; empty
   * when they have none.
   */
  schemaLine(path: string): string {
    const role = classifyPath(path);
    if (role.role !== "record") return "";
    const depth = path.split("/").length;
    const { tracker } = this;
    const samples: Record<RecordKind, readonly { file: string }[]> = {
      task: tracker.tasks,
      time: tracker.timeEntries,
      person: tracker.people,
      team: tracker.teams,
      milestone: tracker.milestones,
      project: tracker.projects,
      config: [],
    };
    const sample = samples[role.kind].find((s) => s.file.split("/").length === depth);
    if (sample === undefined) return "";
    const lines = (this.text(sample.file) ?? "").split(/\r?\n/, 2);
    const first = (sample.file.endsWith(".md") ? lines[1] : lines[0]) ?? "";
    return /^# yaml-language-server: \$schema=\S+$/.test(first) ? `${first}\n` : "";
  }

  /** The plan as changes to files: renames, writes and deletions. */
  changes(): PlannedChange[] {
    const out: PlannedChange[] = [];
    const done = new Set<string>();
    for (const { from, to } of this.#renames) {
      const before = this.#before.get(from);
      const after = this.#after.get(to);
      if (before === undefined || after === undefined || done.has(from) || done.has(to)) continue;
      out.push({ kind: "rename", from, to, before, after });
      done.add(from).add(to);
    }
    for (const [path, after] of this.#after) {
      if (done.has(path)) continue;
      const before = this.#before.get(path);
      if (after === before) continue;
      if (after === undefined) {
        if (before !== undefined) out.push({ kind: "delete", path, before });
      } else out.push({ kind: "write", path, before, after });
    }
    return out;
  }

  /** The tracker as it will be once the plan is written. */
  async planned(): Promise<Tracker> {
    const encoder = new TextEncoder();
    const files: Record<string, Uint8Array | null> = {};
    for (const [path, text] of this.#after) {
      files[path] = text === undefined ? null : encoder.encode(text);
    }
    return openTracker(overlaySource(this.#source, files), { cache: readOnly(this.#cache) });
  }

  /**
   * Finishes the command: nothing to do, refused (the plan adds errors and there is no
   * --force), printed (--dry-run) or written. Returns the exit code.
   */
  async finish(done: readonly string[], nothing: string): Promise<number> {
    const changes = this.changes();
    const { io } = this;
    if (changes.length === 0) {
      io.stdout.write(`${safeText(nothing)}\n`);
      return 0;
    }
    // a renamed file's problems are the same problems: compared under its old path
    const movedFrom = new Map(this.#renames.map(({ from, to }) => [to, from]));
    const introduced = newProblems(
      this.tracker.diagnostics,
      (await this.planned()).diagnostics,
      (file) => movedFrom.get(file) ?? file,
      // and a message naming a renamed task by its new id is the message that named the old
      (message) => this.#earlierIds(message),
    );
    const added = introduced.filter((d) => d.severity === "error");
    const colour = useColour(io);
    // what the change adds is said, errors and warnings alike; only errors stop it
    if (introduced.length > 0) {
      io.stderr.write(formatText(introduced, this.display, useColour(io, "stderr")));
    }
    if (added.length > 0 && this.options.force !== true) {
      io.stderr.write(
        `Nothing was written: the change would add ${added.length === 1 ? "this error" : `these ${added.length} errors`}. Fix the cause, or write it anyway with --force.\n`,
      );
      return 1;
    }
    if (this.options.dryRun === true) {
      io.stdout.write(renderPatch(changes, { display: this.display, color: colour }));
      io.stdout.write(`${styles(colour).dim("(dry run: nothing was written)")}\n`);
      return 0;
    }
    try {
      applyChanges(this.root, changes);
    } catch (error) {
      if (error instanceof WriteError) throw this.#refusal(error);
      throw error;
    }
    for (const line of done) io.stdout.write(`${safeText(line)}\n`);
    return 0;
  }
}

/** The parse cache, used but never saved: the plan's files are not on disk yet. */
function readOnly(cache: ParseCache): ParseCache {
  return {
    load: async () => {},
    get: (path, stamp) => cache.get(path, stamp),
    set: () => false,
    getDiagnostics: () => undefined,
    setDiagnostics: () => {},
    save: async () => {},
  };
}

/** Errors and warnings in `after` that were not in `before` (same code, file and message). */
export function newProblems(
  before: readonly Diagnostic[],
  after: readonly Diagnostic[],
  earlierPath: (file: string) => string = (file) => file,
  earlierText: (message: string) => string = (message) => message,
): Diagnostic[] {
  const key = (d: Diagnostic, file: string, message: string) =>
    `${d.severity}\u0000${d.code}\u0000${file}\u0000${message}`;
  const known = new Set(before.map((d) => key(d, d.file, d.message)));
  return after
    .filter(
      (d) =>
        d.severity !== "info" && !known.has(key(d, earlierPath(d.file), earlierText(d.message))),
    )
    .sort(compareDiagnostics);
}

// ---------------------------------------------------------------------------
// Values given on the command line

/** Fields a person may not set with `edit` (the id is the file name's; use rename-id). */
const MANAGED: Readonly<Partial<Record<SchemaKind, readonly string[]>>> = {
  task: ["id"],
};

interface PropertySchema {
  readonly type?: string | readonly string[];
  readonly items?: PropertySchema;
}

/** The schema of a record kind's field, or undefined for a field the schema does not know. */
function propertyOf(kind: SchemaKind, field: string): PropertySchema | undefined {
  const properties = (SCHEMAS[kind] as { properties?: Record<string, PropertySchema> }).properties;
  return properties !== undefined && Object.hasOwn(properties, field)
    ? properties[field]
    : undefined;
}

/** Field names of a record kind, for messages. */
export function fieldsOf(kind: SchemaKind): string[] {
  return Object.keys(
    (SCHEMAS[kind] as { properties?: Record<string, unknown> }).properties ?? {},
  ).filter((f) => !(MANAGED[kind] ?? []).includes(f));
}

/** Checks a field name given on the command line: known to the schema and not managed. */
export function checkField(kind: SchemaKind, field: string): void {
  if ((MANAGED[kind] ?? []).includes(field)) {
    throw new CliError(
      `"${field}" is not edited by hand: it is the file name's (use \`trackdown rename-id\`).`,
    );
  }
  if (propertyOf(kind, field) === undefined) {
    const guess = didYouMean(field, fieldsOf(kind));
    throw new CliError(
      `A ${kind} has no field "${field}".${guess !== undefined ? ` Did you mean "${guess}"?` : ""} Fields: ${fieldsOf(kind).join(", ")}.`,
    );
  }
}

/** Fields whose values name people, where people write a leading @. */
const PERSON_FIELDS: Readonly<Partial<Record<SchemaKind, readonly string[]>>> = {
  task: ["assignees"],
  project: ["lead"],
  team: ["lead", "members"],
};

/**
 * A scalar as the schema wants it: a number for number fields, true/false for booleans, a
 * person without the @ people write before them.
 */
export function scalarFor(kind: SchemaKind, field: string, text: string): YamlScalar {
  if ((PERSON_FIELDS[kind] ?? []).includes(field)) text = text.replace(/^\s*@/, "");
  const schema = propertyOf(kind, field);
  const type = schema?.type === "array" ? schema.items?.type : schema?.type;
  const types = Array.isArray(type) ? type : [type];
  if (types.includes("number") || types.includes("integer")) {
    const n = Number(text);
    if (text.trim() === "" || !Number.isFinite(n)) {
      throw new CliError(`${field} is a number; "${text}" is not one.`);
    }
    return n;
  }
  if (types.includes("boolean")) {
    if (/^(true|yes)$/i.test(text)) return true;
    if (/^(false|no)$/i.test(text)) return false;
    throw new CliError(`${field} is true or false; "${text}" is neither.`);
  }
  return text;
}

/** `--set field=value`: lists are comma-separated (each item as {@link scalarFor} reads it). */
export function valueFor(kind: SchemaKind, field: string, text: string): YamlValue {
  const schema = propertyOf(kind, field);
  if (schema?.type === "array") {
    return text
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "")
      .map((s) => scalarFor(kind, field, s));
  }
  return scalarFor(kind, field, text);
}

/** Splits `field=value`; a clear error when there is no `=`. */
export function assignment(text: string, option: string): [string, string] {
  const at = text.indexOf("=");
  if (at <= 0) throw new CliError(`${option} takes field=value, not "${text}".`);
  return [text.slice(0, at).trim(), text.slice(at + 1)];
}
