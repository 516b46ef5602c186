import type { Severity } from "../diagnostics/codes.js";
import { compareDiagnostics, type Diagnostic, diagnostic } from "../diagnostics/diagnostic.js";
import type { Milestone, Person, Project, Settings, Task, Team, TimeEntry } from "../model.js";
import { classifyPath, type FileRole, type RecordKind } from "../parse/layout.js";
import { type ParsedFile, readRecordFile, unreadableFile } from "../parse/read-file.js";
import { normalisePath, type ParseCache, type Source, type SourceEntry } from "../source.js";
import { type LocatableFile, Locations } from "../validate/locations.js";
import {
  duplicateMilestoneIds,
  duplicateProjectKeys,
  duplicateTaskIds,
  findCycles,
  missingProject,
  personReferences,
  projectReferences,
  type ReferenceContext,
  taskReferences,
  teamReferences,
  timeEntryReferences,
} from "../validate/record-checks.js";
import {
  buildMilestone,
  buildPerson,
  buildProject,
  buildSettings,
  buildTask,
  buildTeam,
  buildTimeEntry,
} from "../validate/records.js";
import { checkConfig, checkRules } from "../validate/rules.js";
import { checkSchema } from "../validate/schema.js";
import { type RefKind, Stale } from "./stale.js";
import { TaskOrder } from "./task-order.js";

/** One path that changed: what is there now, or nothing. */
export interface FileChange {
  /** Tracker-relative path, forward slashes (as a {@link Source} lists it). */
  readonly path: string;
  /**
   * What the path is now (as {@link SourceEntry.type}); `undefined` when it is gone. A
   * folder is not a change: name the files in it.
   */
  readonly type?: SourceEntry["type"];
  /** The file's bytes when the caller has them; otherwise a record file is read from the source. */
  readonly bytes?: Uint8Array;
}

/** What a batch of changes did to the diagnostics. */
export interface CheckDelta {
  /** Diagnostics there now that were not there before, sorted like a tracker's. */
  readonly added: readonly Diagnostic[];
  /** Diagnostics there before that are gone, sorted. */
  readonly removed: readonly Diagnostic[];
}

/** How much the last update did: what makes it incremental, for tests and benchmarks. */
export interface CheckWork {
  /** Files whose own problems were checked (read, YAML, schema). */
  readonly files: number;
  /** Records whose references and rules were checked. */
  readonly records: number;
  /** Whether every check ran (the first read, or trackdown.yml changed). */
  readonly everything: boolean;
  /** Whether the dependency and parent cycles were searched again. */
  readonly cycles: boolean;
}

/** Options of {@link openIncrementalCheck}. */
export interface IncrementalCheckOptions {
  /** Parsed files from an earlier run, for the first full read (see `trackdown/node`). */
  readonly cache?: ParseCache;
}

interface Entry {
  readonly path: string;
  readonly type: SourceEntry["type"];
  readonly role: FileRole;
  /** Record files only. */
  readonly parsed?: ParsedFile;
}

type AnyRecord = Person | Team | Project | Milestone | Task | TimeEntry;

const NONE: readonly Diagnostic[] = Object.freeze([]);
const CONFIG_FILES = ["trackdown.yml", "trackdown.yaml"];
/** Which kind of reference a "not found" code is about (its hint lists every id of that kind). */
const UNRESOLVED: Readonly<Record<string, RefKind>> = {
  TD201: "person",
  TD202: "team",
  TD203: "milestone",
  TD204: "task",
  TD207: "attachment",
};

/**
 * Reads a whole tracker once, then keeps its diagnostics up to date as files change,
 * re-reading only the changed files and re-running the cross-record checks only for the
 * records a change concerns. After any sequence of updates its diagnostics equal those of
 * a fresh `openTracker` of the same files (records of one kind are taken in path order,
 * as a memory source lists them). A change to trackdown.yml re-checks everything.
 *
 * @example
 * const check = await openIncrementalCheck(memorySource(files));
 * const { added, removed } = await check.update([{ path: "people/ana.yml" }]); // deleted
 */
export function openIncrementalCheck(
  source: Source,
  options: IncrementalCheckOptions = {},
): Promise<IncrementalCheck> {
  return IncrementalCheck.open(source, options);
}

/** See {@link openIncrementalCheck}. */
export class IncrementalCheck {
  readonly #source: Source;
  readonly #entries = new Map<string, Entry>();
  /** Each record file's YAML, for locating problems. */
  readonly #yaml = new Map<string, LocatableFile>();
  /** Diagnostics by what produced them (a file, a record, a group, a whole-tracker check). */
  readonly #units = new Map<string, readonly Diagnostic[]>();
  readonly #counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  #settings: Settings = buildSettings(undefined);
  #configPath: string | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  readonly #records = new Map<string, AnyRecord>();
  readonly #people = new Map<string, Person>();
  /** The person of each id (the last file of an id, as a map built in listing order keeps). */
  #personById = new Map<string, Person>();
  readonly #teams = new Map<string, Team>();
  #teamById = new Map<string, Team>();
  readonly #projectByFolder = new Map<string, Project>();
  readonly #projectsByKey = new Map<string, Set<string>>();
  readonly #milestonesById = new Map<string, Set<string>>();
  #milestoneIds: readonly string[] | undefined;
  readonly #tasks = new TaskOrder();
  #taskIds: readonly string[] | undefined;
  readonly #tasksByStatus = new Map<string, Set<string>>();
  /** Task and milestone files per project folder, read or not (a folder with any needs a project.md). */
  readonly #folderFiles = new Map<string, Set<string>>();
  readonly #attachments = new Set<string>();
  #attachmentList: readonly string[] | undefined;
  readonly #escaping = new Set<string>();
  /** "who refers to what": `person:ana` → the files that name ana. */
  readonly #referrers = new Map<string, Set<string>>();
  readonly #refsOf = new Map<string, readonly string[]>();
  /** Files with a reference of a kind that does not resolve (their hints list every id of the kind). */
  readonly #unresolved = new Map<RefKind, Set<string>>();
  /** Files that hold a cycle diagnostic. */
  #cycleFiles = new Set<string>();
  #activeTasks = 0;
  #work: CheckWork = { files: 0, records: 0, everything: true, cycles: true };

  private constructor(source: Source) {
    this.#source = source;
  }

  /** Reads every file of the source and runs every check: see {@link openIncrementalCheck}. */
  static async open(
    source: Source,
    options: IncrementalCheckOptions = {},
  ): Promise<IncrementalCheck> {
    const check = new IncrementalCheck(source);
    const cache = options.cache;
    await cache?.load();
    const entries = await source.list();
    const parsed = await Promise.all(
      entries.map(async (entry) => {
        const role = classifyPath(entry.path);
        if (role.role !== "record" || entry.type !== "file") return undefined;
        if (cache !== undefined && entry.stamp !== undefined) {
          const hit = cache.get(entry.path, entry.stamp);
          if (hit !== undefined && hit.kind === role.kind) return hit;
        }
        const file = await readRecord(source, entry.path, role.kind);
        if (cache !== undefined && entry.stamp !== undefined && file.cacheable)
          cache.set(entry.path, entry.stamp, file);
        return file;
      }),
    );
    check.#update(
      entries.map((e, i) => ({ path: e.path, type: e.type, parsed: parsed[i] })),
      true,
    );
    await cache?.save();
    return check;
  }

  /** Every diagnostic, sorted as `openTracker` sorts them. */
  get diagnostics(): readonly Diagnostic[] {
    const all: Diagnostic[] = [];
    for (const list of this.#units.values()) for (const d of list) all.push(d);
    return all.sort(compareDiagnostics);
  }

  /** How many diagnostics there are of each severity. */
  get counts(): Readonly<Record<Severity, number>> {
    return { ...this.#counts };
  }

  /** Tasks in tasks/ folders (not archived), as a tracker's `tasks.length`. */
  get taskCount(): number {
    return this.#activeTasks;
  }

  /** How much the last update (or the first read) did. */
  get lastWork(): CheckWork {
    return this.#work;
  }

  /** The settings file in use, or `undefined` when the tracker has none (TD020). */
  get configFile(): string | undefined {
    return this.#configPath;
  }

  /** Paths of every file the check knows, in no particular order. */
  paths(): IterableIterator<string> {
    return this.#entries.keys();
  }

  /**
   * Applies a batch of changes and returns what they did to the diagnostics. Calls are
   * taken one after the other. Never rejects for bad content; a record file that cannot
   * be read is TD001, as in `openTracker`.
   */
  update(batch: readonly FileChange[]): Promise<CheckDelta> {
    const changes = batch.flatMap((c) => {
      const path = normalisePath(c.path);
      return path === undefined ? [] : [{ ...c, path }];
    });
    const next = this.#queue.then(async () => {
      const read = await Promise.all(
        changes.map(async (c) => {
          const role = classifyPath(c.path);
          if (c.type !== "file" || role.role !== "record") return undefined;
          return c.bytes !== undefined
            ? readRecordFile(role.kind, c.bytes)
            : readRecord(this.#source, c.path, role.kind);
        }),
      );
      return this.#update(changes.map((c, i) => ({ path: c.path, type: c.type, parsed: read[i] })));
    });
    this.#queue = next.catch(() => undefined);
    return next;
  }

  #update(
    changes: readonly { path: string; type?: SourceEntry["type"]; parsed?: ParsedFile }[],
    everything = false,
  ): CheckDelta {
    const stale = new Stale();
    for (const c of changes) {
      const path = c.path;
      const before = this.#entries.get(path);
      const oldRecord = this.#records.get(path);
      if (before !== undefined) this.#unindex(before, stale);
      stale.files.add(path);
      stale.records.add(path);
      if (c.type === undefined) {
        this.#entries.delete(path);
      } else {
        const entry: Entry = { path, type: c.type, role: classifyPath(path), parsed: c.parsed };
        this.#entries.set(path, entry);
        // the first read indexes everything at once below
        if (!everything) this.#index(entry, stale);
      }
      if (this.#cyclesMayChange(path, oldRecord, this.#records.get(path))) stale.cycles = true;
    }
    if (everything || stale.config) return this.#recheckAll(stale);
    this.#propagate(stale);
    return this.#recompute(stale, false);
  }

  /**
   * Settings changed (or the first read): the indexes are built again from every file, every
   * record again with the new settings (a task's default status, what a day is), and every
   * check runs, including those of groups that no longer exist (their results are cleared).
   */
  #recheckAll(stale: Stale): CheckDelta {
    for (const key of this.#units.keys()) stale.unit(key);
    for (const path of this.#entries.keys()) {
      stale.files.add(path);
      stale.records.add(path);
    }
    this.#clearIndexes();
    this.#configPath = CONFIG_FILES.find((f) => this.#entries.get(f)?.parsed !== undefined);
    const config = this.#configPath === undefined ? undefined : this.#entries.get(this.#configPath);
    this.#settings = buildSettings(config?.parsed?.data);
    this.#tasks.begin();
    for (const entry of this.#entries.values()) this.#index(entry, stale);
    this.#tasks.end();
    stale.cycles = true;
    stale.config = true;
    stale.people = true;
    stale.teams = true;
    this.#propagate(stale);
    return this.#recompute(stale, true);
  }

  #clearIndexes(): void {
    this.#yaml.clear();
    this.#records.clear();
    this.#people.clear();
    this.#personById = new Map();
    this.#teams.clear();
    this.#teamById = new Map();
    this.#projectByFolder.clear();
    this.#projectsByKey.clear();
    this.#milestonesById.clear();
    this.#milestoneIds = undefined;
    this.#taskIds = undefined;
    this.#tasksByStatus.clear();
    this.#folderFiles.clear();
    this.#attachments.clear();
    this.#attachmentList = undefined;
    this.#escaping.clear();
    this.#referrers.clear();
    this.#refsOf.clear();
    this.#unresolved.clear();
    this.#cycleFiles = new Set();
    this.#activeTasks = 0;
  }

  #index(entry: Entry, stale: Stale): void {
    const { path, role } = entry;
    if (this.#indexPathOnly(entry, stale, true)) return;
    if (role.role !== "record" || entry.type !== "file" || entry.parsed === undefined) return;
    const parsed = entry.parsed;
    this.#yaml.set(
      path,
      Object.hasOwn(parsed, "yaml") ? { yaml: parsed.yaml, yamlLine: parsed.yamlLine } : parsed,
    );
    if (role.project !== undefined && role.kind !== "project") {
      addTo(this.#folderFiles, role.project, path);
      stale.folders.add(role.project);
    }
    if (role.kind === "config") {
      stale.config = true;
      return;
    }
    const record = this.#build(entry, role.kind, role.stem, role.project, role.archived === true);
    if (record === undefined) return;
    this.#records.set(path, record);
    const refs: string[] = [];
    switch (role.kind) {
      case "person":
        this.#people.set(path, record as Person);
        stale.people = true;
        break;
      case "team": {
        const t = record as Team;
        this.#teams.set(path, t);
        stale.teams = true;
        for (const m of t.members) refs.push(`person:${m}`);
        if (t.lead !== undefined) refs.push(`person:${t.lead}`);
        break;
      }
      case "project": {
        const p = record as Project;
        stale.projectTouched(p.folder, this.#projectByFolder.get(p.folder)?.key);
        this.#projectByFolder.set(p.folder, p);
        addTo(this.#projectsByKey, p.key, path);
        stale.keys.add(p.key);
        stale.folders.add(p.folder);
        if (p.lead !== undefined) refs.push(`person:${p.lead}`);
        if (p.team !== undefined) refs.push(`team:${p.team}`);
        break;
      }
      case "milestone": {
        const m = record as Milestone;
        stale.milestoneTouched(m.id, this.#milestonesById.has(m.id));
        addTo(this.#milestonesById, m.id, path);
        stale.milestoneIds.add(m.id);
        break;
      }
      case "task": {
        const t = record as Task;
        stale.taskTouched(t.id, this.#tasks.has(t.id));
        this.#tasks.add(t);
        if (!t.archived) {
          addTo(this.#tasksByStatus, t.status, path);
          this.#activeTasks++;
        }
        stale.taskIds.add(t.id);
        stale.statuses.add(t.status);
        for (const a of t.assignees) refs.push(`person:${a}`);
        if (t.milestone !== undefined) refs.push(`milestone:${t.milestone}`);
        if (t.parent !== undefined) refs.push(`task:${t.parent}`);
        for (const d of t.dependsOn) refs.push(`task:${d}`);
        for (const a of t.attachments) {
          const clean = normalisePath(a.path);
          if (clean !== undefined) refs.push(`attachment:${clean}`);
        }
        break;
      }
      case "time": {
        const e = record as TimeEntry;
        if (e.person !== "") refs.push(`person:${e.person}`);
        if (e.task !== "") refs.push(`task:${e.task}`);
        break;
      }
    }
    this.#refsOf.set(path, refs);
    for (const ref of refs) addTo(this.#referrers, ref, path);
  }

  #unindex(entry: Entry, stale: Stale): void {
    const { path, role } = entry;
    if (this.#indexPathOnly(entry, stale, false)) return;
    if (role.role !== "record" || entry.type !== "file") return;
    this.#yaml.delete(path);
    if (role.project !== undefined && role.kind !== "project") {
      removeFrom(this.#folderFiles, role.project, path);
      stale.folders.add(role.project);
    }
    if (role.kind === "config") stale.config = true;
    const record = this.#records.get(path);
    if (record === undefined) return;
    this.#records.delete(path);
    for (const ref of this.#refsOf.get(path) ?? []) removeFrom(this.#referrers, ref, path);
    this.#refsOf.delete(path);
    for (const files of this.#unresolved.values()) files.delete(path);
    switch (role.kind) {
      case "person":
        this.#people.delete(path);
        stale.people = true;
        break;
      case "team":
        this.#teams.delete(path);
        stale.teams = true;
        break;
      case "project": {
        const p = record as Project;
        stale.projectTouched(p.folder, p.key);
        this.#projectByFolder.delete(p.folder);
        removeFrom(this.#projectsByKey, p.key, path);
        stale.keys.add(p.key);
        stale.folders.add(p.folder);
        break;
      }
      case "milestone": {
        const m = record as Milestone;
        stale.milestoneTouched(m.id, true);
        removeFrom(this.#milestonesById, m.id, path);
        stale.milestoneIds.add(m.id);
        stale.folders.add(m.project);
        break;
      }
      case "task": {
        const t = record as Task;
        stale.taskTouched(t.id, true);
        this.#tasks.delete(t);
        if (!t.archived) {
          removeFrom(this.#tasksByStatus, t.status, path);
          this.#activeTasks--;
        }
        stale.taskIds.add(t.id);
        stale.statuses.add(t.status);
        break;
      }
    }
  }

  /**
   * Links out of the tracker and attachments are known by their paths alone: adds or
   * removes one. Returns whether the entry was one of those (or another kind of attachment).
   */
  #indexPathOnly(entry: Entry, stale: Stale, add: boolean): boolean {
    const link = entry.type === "escaping-link";
    if (!link && entry.role.role !== "attachment") return false;
    if (!link && entry.type !== "file") return true;
    stale.attachmentTouched(entry.path, this.#hasAttachment(entry.path));
    const paths = link ? this.#escaping : this.#attachments;
    if (add) paths.add(entry.path);
    else paths.delete(entry.path);
    if (!link) this.#attachmentList = undefined;
    return true;
  }

  #build(
    entry: Entry,
    kind: Exclude<RecordKind, "config">,
    stem: string,
    project: string | undefined,
    archived: boolean,
  ): AnyRecord | undefined {
    const parsed = entry.parsed;
    const fields = parsed?.data;
    if (parsed === undefined || fields === undefined) return undefined;
    const path = entry.path;
    // a body held as a plain string is taken as it is; a cached file's body loads lazily
    const body = Object.hasOwn(parsed, "body") ? parsed.body : parsed;
    switch (kind) {
      case "person":
        return buildPerson(path, stem, fields);
      case "team":
        return buildTeam(path, stem, fields);
      case "project":
        return buildProject(path, project ?? stem, fields, body, parsed.bodyLine);
      case "milestone":
        return buildMilestone(path, stem, project ?? "", fields, body, parsed.bodyLine);
      case "task":
        return buildTask(
          path,
          stem,
          project ?? "",
          archived,
          fields,
          body,
          parsed.checklist,
          this.#settings.initialStatus,
          parsed.bodyLine,
        );
      case "time":
        return buildTimeEntry(path, stem, fields, this.#settings.hoursPerDay);
    }
  }

  #hasAttachment(path: string): boolean {
    return this.#attachments.has(path) || this.#escaping.has(path);
  }

  /** Whether replacing a file's record can change what the cycle search finds. */
  #cyclesMayChange(path: string, before?: AnyRecord, after?: AnyRecord): boolean {
    const isTask = (r?: AnyRecord): r is Task => r !== undefined && "dependsOn" in r;
    if (!isTask(before) && !isTask(after)) return false;
    if (!isTask(before) || !isTask(after) || this.#cycleFiles.has(path)) return true;
    return (
      before.id !== after.id ||
      before.parent !== after.parent ||
      before.dependsOn.length !== after.dependsOn.length ||
      before.dependsOn.some((d, i) => after.dependsOn[i] !== d)
    );
  }

  /** From what changed to which records and groups must be checked again. */
  #propagate(stale: Stale): void {
    if (stale.people) this.#personById = winners("person", this.#people, this.#personById, stale);
    if (stale.teams) this.#teamById = winners("team", this.#teams, this.#teamById, stale);
    for (const [id, existed] of stale.milestonesBefore)
      if (existed !== this.#milestonesById.has(id)) stale.refs.add(`milestone:${id}`);
    for (const [id, existed] of stale.tasksBefore)
      if (existed !== this.#tasks.has(id)) stale.refs.add(`task:${id}`);
    // "did you mean" hints list ids in listing order: when the order changes (a milestone
    // copied into an earlier folder, not only one added), every unknown reference is re-hinted.
    // A list nobody asked for since it was last built has no hint depending on it.
    if (stale.milestonesBefore.size > 0 && this.#milestoneIds !== undefined) {
      const before = this.#milestoneIds;
      this.#milestoneIds = undefined;
      if (!sameList(before, this.#milestoneIdList())) stale.unresolved.add("milestone");
    }
    if (stale.tasksBefore.size > 0 && this.#taskIds !== undefined) {
      const before = this.#taskIds;
      this.#taskIds = undefined;
      if (!sameList(before, this.#taskIdList())) stale.unresolved.add("task");
    }
    for (const [path, existed] of stale.attachmentsBefore) {
      if (existed === this.#hasAttachment(path)) continue;
      stale.refs.add(`attachment:${path}`);
      stale.unresolved.add("attachment");
    }
    for (const [folder, key] of stale.projectKeysBefore) {
      if (key === this.#projectByFolder.get(folder)?.key) continue;
      for (const path of this.#folderFiles.get(folder) ?? []) stale.records.add(path);
    }
    for (const ref of stale.refs)
      for (const path of this.#referrers.get(ref) ?? []) stale.records.add(path);
    for (const kind of stale.unresolved)
      for (const path of this.#unresolved.get(kind) ?? []) stale.records.add(path);
  }

  /** Runs the stale checks and returns the difference they make. */
  #recompute(stale: Stale, everything: boolean): CheckDelta {
    this.#work = {
      files: stale.files.size,
      records: stale.records.size,
      everything,
      cycles: stale.cycles,
    };
    const at = new Locations(this.#yaml);
    const ctx = this.#context();
    const before: Diagnostic[] = [];
    const after: Diagnostic[] = [];
    const set = (key: string, next: readonly Diagnostic[]) => {
      const prev = this.#units.get(key) ?? NONE;
      if (prev.length === 0 && next.length === 0) return;
      for (const d of prev) before.push(d);
      for (const d of next) after.push(d);
      if (next.length === 0) this.#units.delete(key);
      else this.#units.set(key, next);
    };
    for (const path of stale.files) set(`file:${path}`, this.#fileChecks(path, at));
    for (const path of stale.records) set(`record:${path}`, this.#recordChecks(path, ctx, at));
    for (const key of stale.keys) {
      const group = this.#sortedRecords<Project>(this.#projectsByKey.get(key));
      set(`key:${key}`, duplicateProjectKeys(key, group, at));
    }
    for (const id of stale.milestoneIds) {
      const group = this.#sortedRecords<Milestone>(this.#milestonesById.get(id));
      set(`milestone:${id}`, duplicateMilestoneIds(id, group, at));
    }
    for (const id of stale.taskIds)
      set(`task:${id}`, duplicateTaskIds(id, this.#tasks.withId(id), at));
    for (const folder of stale.folders) set(`folder:${folder}`, this.#folderCheck(folder, at));
    for (const status of stale.statuses) set(`wip:${status}`, this.#wipCheck(status, at));
    if (stale.config) set("config", this.#configChecks(at));
    if (stale.cycles) {
      const cycles = findCycles(this.#tasks.all, this.#tasks.byId, at);
      this.#cycleFiles = new Set(cycles.map((d) => d.file));
      set("cycles", cycles);
    }
    return this.#difference(before, after);
  }

  /** What changed between the old and new results of the checks that ran (as multisets). */
  #difference(before: readonly Diagnostic[], after: readonly Diagnostic[]): CheckDelta {
    const left = new Map<string, number>();
    for (const d of before) {
      const key = identity(d);
      left.set(key, (left.get(key) ?? 0) + 1);
    }
    const added: Diagnostic[] = [];
    for (const d of after) {
      const key = identity(d);
      const n = left.get(key) ?? 0;
      if (n > 0) left.set(key, n - 1);
      else added.push(d);
    }
    const removed: Diagnostic[] = [];
    for (const d of before) {
      const key = identity(d);
      const n = left.get(key) ?? 0;
      if (n > 0) {
        left.set(key, n - 1);
        removed.push(d);
      }
    }
    for (const d of removed) this.#counts[d.severity]--;
    for (const d of added) this.#counts[d.severity]++;
    return { added: added.sort(compareDiagnostics), removed: removed.sort(compareDiagnostics) };
  }

  #context(): ReferenceContext {
    const settings = this.#settings;
    const roleList = Object.keys(settings.roles);
    return {
      people: this.#personById,
      personIds: [...this.#personById.keys()],
      teamIds: new Set(this.#teamById.keys()),
      teamList: [...this.#teamById.keys()],
      roles: new Set(roleList),
      roleList,
      projectOf: (folder) => this.#projectByFolder.get(folder),
      hasMilestone: (id) => this.#milestonesById.has(id),
      milestoneIds: () => this.#milestoneIdList(),
      hasTask: (id) => this.#tasks.has(id),
      taskIds: () => this.#taskIdList(),
      attachments: this.#attachments,
      attachmentList: () => {
        this.#attachmentList ??= [...this.#attachments].sort();
        return this.#attachmentList;
      },
      escapingLinks: this.#escaping,
      hoursPerDay: settings.hoursPerDay,
      closedStatuses: new Set(
        settings.statuses.filter((s) => s.category === "done").map((s) => s.id),
      ),
    };
  }

  /** Milestone ids in the order of their first file's path. */
  #milestoneIdList(): readonly string[] {
    if (this.#milestoneIds === undefined) {
      const paths = [...this.#milestonesById.values()].flatMap((files) => [...files]).sort();
      this.#milestoneIds = [...new Set(paths.map((p) => (this.#records.get(p) as Milestone).id))];
    }
    return this.#milestoneIds;
  }

  /** Task ids in the order of their first task. */
  #taskIdList(): readonly string[] {
    this.#taskIds ??= [...new Set(this.#tasks.all.map((t) => t.id))];
    return this.#taskIds;
  }

  /** Problems of one file on its own: how it is named, read, and its schema. */
  #fileChecks(path: string, at: Locations): readonly Diagnostic[] {
    const entry = this.#entries.get(path);
    if (entry === undefined) return NONE;
    if (entry.type === "escaping-link") {
      return [
        diagnostic({
          code: "TD007",
          file: path,
          message: "This symbolic link leads outside the tracker; it was not read.",
        }),
      ];
    }
    const role = entry.role;
    if (role.role === "unexpected") {
      return [
        diagnostic({
          code: "TD006",
          file: path,
          message: `This file is not part of the tracker and was ignored: ${role.reason}.`,
        }),
      ];
    }
    const parsed = entry.parsed;
    if (role.role !== "record" || entry.type !== "file" || parsed === undefined) return NONE;
    const out = parsed.problems.map((p) =>
      diagnostic({ code: p.code, file: path, message: p.message, range: p.range }),
    );
    // trackdown.yml's schema is checked with the settings (only for the file in use)
    if (role.kind !== "config" && parsed.data !== undefined)
      out.push(...schemaDiagnostics(path, role.kind, parsed.data, at));
    return out;
  }

  /** References and rules of one record. */
  #recordChecks(path: string, ctx: ReferenceContext, at: Locations): readonly Diagnostic[] {
    const record = this.#records.get(path);
    const kind = this.#entries.get(path)?.role;
    for (const files of this.#unresolved.values()) files.delete(path);
    if (record === undefined || kind?.role !== "record") return NONE;
    let out: Diagnostic[];
    const rules = (tasks: Task[], milestones: Milestone[], projects: Project[]) =>
      checkRules(this.#settings, undefined, tasks, milestones, projects, at).filter(
        (d) => d.code !== "TD305",
      );
    switch (kind.kind) {
      case "person":
        out =
          this.#personById.get((record as Person).id) === record
            ? personReferences(record as Person, ctx, at)
            : [];
        break;
      case "team":
        out =
          this.#teamById.get((record as Team).id) === record
            ? teamReferences(record as Team, ctx, at)
            : [];
        break;
      case "project":
        out = [
          ...projectReferences(record as Project, ctx, at),
          ...rules([], [], [record as Project]),
        ];
        break;
      case "milestone":
        out = rules([], [record as Milestone], []);
        break;
      case "task":
        out = [...taskReferences(record as Task, ctx, at), ...rules([record as Task], [], [])];
        break;
      default:
        out = timeEntryReferences(record as TimeEntry, ctx, at);
    }
    for (const d of out) {
      const unresolved = UNRESOLVED[d.code];
      if (unresolved !== undefined) addTo(this.#unresolved, unresolved, path);
    }
    return out;
  }

  /** TD216 when a project folder holding tasks or milestones has no project.md. */
  #folderCheck(folder: string, at: Locations): readonly Diagnostic[] {
    const files = this.#folderFiles.get(folder);
    if (files === undefined || this.#projectByFolder.has(folder)) return NONE;
    let task: Task | undefined;
    let milestone: string | undefined;
    for (const path of files) {
      const record = this.#records.get(path);
      if (record === undefined) continue;
      if ("dependsOn" in record) {
        if (task === undefined || this.#tasks.compare(record, task) < 0) task = record;
      } else if (milestone === undefined || path < milestone) milestone = path;
    }
    const first = task?.file ?? milestone;
    return first === undefined ? NONE : [missingProject(folder, { file: first }, at)];
  }

  /** TD305 when a status holds more tasks than its WIP limit. */
  #wipCheck(status: string, at: Locations): readonly Diagnostic[] {
    const limit = this.#settings.statuses.find((s) => s.id === status)?.wipLimit;
    const paths = this.#tasksByStatus.get(status);
    if (limit === undefined || paths === undefined || paths.size <= limit) return NONE;
    const tasks = [...paths]
      .map((p) => this.#records.get(p) as Task)
      .sort((a, b) => this.#tasks.compare(a, b));
    return checkRules(this.#settings, this.#configPath, tasks, [], [], at).filter(
      (d) => d.code === "TD305",
    );
  }

  /** trackdown.yml: missing (TD020), its schema, and its own references. */
  #configChecks(at: Locations): readonly Diagnostic[] {
    const path = this.#configPath;
    if (path === undefined) {
      return [
        diagnostic({
          code: "TD020",
          file: "trackdown.yml",
          message: "The tracker has no trackdown.yml, so the default workflow was used to read it.",
        }),
      ];
    }
    const data = this.#entries.get(path)?.parsed?.data;
    return [
      ...(data === undefined ? [] : schemaDiagnostics(path, "config", data, at)),
      ...checkConfig(this.#settings, path, at),
    ];
  }

  #sortedRecords<T extends AnyRecord>(paths: ReadonlySet<string> | undefined): T[] {
    return [...(paths ?? [])].sort().map((p) => this.#records.get(p) as T);
  }
}

/** Reads and parses one record file; a read that fails is TD001 (never cached). */
async function readRecord(source: Source, path: string, kind: RecordKind): Promise<ParsedFile> {
  try {
    return readRecordFile(kind, await source.read(path));
  } catch (error) {
    return unreadableFile(
      kind,
      {
        code: "TD001",
        message: `The file could not be read: ${error instanceof Error ? error.message : String(error)}`,
        range: { line: 1, column: 1, endLine: 1, endColumn: 1 },
      },
      false,
    );
  }
}

function schemaDiagnostics(
  file: string,
  kind: RecordKind,
  data: Readonly<Record<string, unknown>>,
  at: Locations,
): Diagnostic[] {
  return checkSchema(kind, data).map((problem) =>
    at.at(
      {
        code: problem.code,
        file,
        message: problem.message,
        ...(problem.hint !== undefined ? { hint: problem.hint } : {}),
      },
      problem.path,
      problem.target,
    ),
  );
}

/** A diagnostic's every field, as one string: two diagnostics are the same when these are. */
function identity(d: Diagnostic): string {
  return JSON.stringify(d);
}

/**
 * The record that counts for each id (the last file of an id in path order, as a map built
 * in listing order keeps it), with its ids in the order of their first file. Records whose
 * standing changed, and those that name an id whose record changed, become stale.
 */
function winners<T extends Person | Team>(
  kind: "person" | "team",
  records: ReadonlyMap<string, T>,
  before: ReadonlyMap<string, T>,
  stale: Stale,
): Map<string, T> {
  const now = new Map<string, T>();
  for (const path of [...records.keys()].sort()) {
    const record = records.get(path)!;
    now.set(record.id, record);
  }
  for (const id of new Set([...before.keys(), ...now.keys()])) {
    const was = before.get(id);
    const is = now.get(id);
    if (was === is) continue;
    // whether a person is active matters to those who name them (TD217); of a team, only that it exists
    if (kind === "person" || (was === undefined) !== (is === undefined))
      stale.refs.add(`${kind}:${id}`);
    if (was !== undefined) stale.records.add(was.file);
    if (is !== undefined) stale.records.add(is.file);
  }
  if (!sameList([...before.keys()], [...now.keys()])) stale.unresolved.add(kind);
  return now;
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (set === undefined) map.set(key, new Set([value]));
  else set.add(value);
}

function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (set === undefined) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
