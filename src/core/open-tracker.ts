import { compareDiagnostics, type Diagnostic, diagnostic } from "./diagnostics/diagnostic.js";
import type { Milestone, Person, Project, Task, Team, TimeEntry, Tracker } from "./model.js";
import { classifyPath, type RecordKind } from "./parse/layout.js";
import { type ParsedFile, readRecordFile, unreadableFile } from "./parse/read-file.js";
import type { ParseCache, Source, SourceEntry } from "./source.js";
import { type LocatableFile, Locations } from "./validate/locations.js";
import {
  buildMilestone,
  buildPerson,
  buildProject,
  buildSettings,
  buildTask,
  buildTeam,
  buildTimeEntry,
} from "./validate/records.js";
import { checkReferences } from "./validate/references.js";
import { checkConfig, checkRules } from "./validate/rules.js";
import { checkSchema } from "./validate/schema.js";

/** Options of {@link openTracker}. */
export interface OpenOptions {
  /** Parsed files from an earlier run, keyed by path and stamp (see `trackdown/node`). */
  readonly cache?: ParseCache;
  /**
   * Build the records without any checks and with no diagnostics. For partial snapshots,
   * such as the files one commit changed, where "unknown person" would only mean "not in
   * this slice"; a file that cannot be read simply has no record.
   */
  readonly recordsOnly?: boolean;
}

interface RecordFile {
  readonly path: string;
  readonly kind: RecordKind;
  readonly stem: string;
  readonly project?: string;
  readonly archived?: boolean;
  readonly parsed: ParsedFile;
}

/**
 * Reads, validates and indexes a whole tracker from a source. Never throws for bad
 * content: every problem becomes a located diagnostic, and everything that can be read
 * is still in the snapshot. Rejects only if the source itself fails to list its files.
 *
 * @example
 * const tracker = await openTracker(memorySource({ "trackdown.yml": "…" }));
 * for (const d of tracker.diagnostics) console.log(`${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`);
 */
export async function openTracker(source: Source, options: OpenOptions = {}): Promise<Tracker> {
  const diagnostics: Diagnostic[] = [];
  const entries = await source.list();
  const records: RecordFile[] = [];
  const attachments = new Set<string>();
  const escapingLinks = new Set<string>();
  const projectFolders = new Set<string>();
  const cache = options.cache;
  // When every entry has a stamp and the listing is exactly as in the last run, that
  // run's diagnostics still hold and the checks are skipped.
  await cache?.load();
  // checks skipped entirely behave like diagnostics already known: none
  const known = options.recordsOnly === true ? [] : cache?.getDiagnostics(entries);
  let allCached = true;

  for (const entry of entries) {
    const role = classifyPath(entry.path);
    if (entry.type === "escaping-link") {
      escapingLinks.add(entry.path);
      diagnostics.push(
        diagnostic({
          code: "TD007",
          file: entry.path,
          message: "This symbolic link leads outside the tracker; it was not read.",
        }),
      );
      continue;
    }
    if (role.role === "attachment") {
      if (entry.type === "file") attachments.add(entry.path);
      continue;
    }
    if (role.role === "unexpected") {
      diagnostics.push(
        diagnostic({
          code: "TD006",
          file: entry.path,
          message: `This file is not part of the tracker and was ignored: ${role.reason}.`,
        }),
      );
      continue;
    }
    if (role.role !== "record" || entry.type !== "file") continue;
    if (role.project !== undefined && role.kind !== "project") projectFolders.add(role.project);
    const { parsed, cached } = await readEntry(source, entry, role.kind, cache);
    if (!cached) allCached = false;
    records.push({
      path: entry.path,
      kind: role.kind,
      stem: role.stem,
      project: role.project,
      archived: role.archived,
      parsed,
    });
  }

  // problems are located now, and positions are asked for later (diffs, the site): both
  // need each file's YAML, not its body, so only that is kept (a cached file's loads lazily)
  const yamlOf = new Map<string, LocatableFile>();
  for (const r of records) {
    yamlOf.set(
      r.path,
      Object.hasOwn(r.parsed, "yaml")
        ? { yaml: r.parsed.yaml, yamlLine: r.parsed.yamlLine }
        : r.parsed,
    );
  }
  const at = new Locations(yamlOf);
  for (const r of known === undefined ? records : []) {
    for (const p of r.parsed.problems) {
      diagnostics.push(
        diagnostic({ code: p.code, file: r.path, message: p.message, range: p.range }),
      );
    }
  }
  const withSchema = (r: RecordFile): Readonly<Record<string, unknown>> | undefined => {
    const data = r.parsed.data;
    if (data === undefined || known !== undefined) return data;
    for (const problem of checkSchema(r.kind, data)) {
      diagnostics.push(
        at.at(
          {
            code: problem.code,
            file: r.path,
            message: problem.message,
            ...(problem.hint !== undefined ? { hint: problem.hint } : {}),
          },
          problem.path,
          problem.target,
        ),
      );
    }
    return data;
  };

  const configs = records.filter((r) => r.kind === "config");
  const configRecord = configs.find((r) => r.path === "trackdown.yml") ?? configs[0];
  if (configRecord === undefined && known === undefined) {
    diagnostics.push(
      diagnostic({
        code: "TD020",
        file: "trackdown.yml",
        message: "The tracker has no trackdown.yml, so the default workflow was used to read it.",
      }),
    );
  }
  const settings = buildSettings(configRecord !== undefined ? withSchema(configRecord) : undefined);
  if (configRecord !== undefined && known === undefined) {
    diagnostics.push(...checkConfig(settings, configRecord.path, at));
  }

  const people: Person[] = [];
  const teams: Team[] = [];
  const projects: Project[] = [];
  const milestones: Milestone[] = [];
  const allTasks: Task[] = [];
  const timeEntries: TimeEntry[] = [];
  for (const r of records) {
    if (r.kind === "config") continue;
    const fields = withSchema(r);
    if (fields === undefined) continue;
    // a body held as a plain string is taken as it is; a cached file's body (a getter) is
    // read only if someone asks for it
    const body = Object.hasOwn(r.parsed, "body") ? r.parsed.body : r.parsed;
    switch (r.kind) {
      case "person":
        people.push(buildPerson(r.path, r.stem, fields));
        break;
      case "team":
        teams.push(buildTeam(r.path, r.stem, fields));
        break;
      case "project":
        projects.push(buildProject(r.path, r.project ?? r.stem, fields, body, r.parsed.bodyLine));
        break;
      case "milestone":
        milestones.push(
          buildMilestone(r.path, r.stem, r.project ?? "", fields, body, r.parsed.bodyLine),
        );
        break;
      case "task":
        allTasks.push(
          buildTask(
            r.path,
            r.stem,
            r.project ?? "",
            r.archived === true,
            fields,
            body,
            r.parsed.checklist,
            settings.initialStatus,
            r.parsed.bodyLine,
          ),
        );
        break;
      case "time":
        timeEntries.push(buildTimeEntry(r.path, r.stem, fields, settings.hoursPerDay));
        break;
    }
  }
  sortTasks(allTasks);

  const peopleById = new Map(people.map((p) => [p.id, p]));
  const teamsById = new Map(teams.map((t) => [t.id, t]));
  if (known !== undefined) {
    diagnostics.push(...known);
  } else {
    diagnostics.push(
      ...checkReferences(
        {
          people: peopleById,
          teams: teamsById,
          projects,
          projectFolders,
          milestones,
          tasks: allTasks,
          timeEntries,
          roles: new Set(Object.keys(settings.roles)),
          attachments,
          escapingLinks,
          hoursPerDay: settings.hoursPerDay,
          closedStatuses: new Set(
            settings.statuses.filter((s) => s.category === "done").map((s) => s.id),
          ),
        },
        at,
      ),
    );
    diagnostics.push(
      ...checkRules(settings, configRecord?.path, allTasks, milestones, projects, at),
    );
    diagnostics.sort(compareDiagnostics);
    if (allCached) cache?.setDiagnostics(entries, diagnostics);
  }
  if (cache !== undefined) await cache.save();

  const tasks = allTasks.filter((t) => !t.archived);
  const archivedTasks = allTasks.filter((t) => t.archived);
  const taskById = new Map<string, Task>();
  for (const t of allTasks) if (!taskById.has(t.id)) taskById.set(t.id, t);
  const milestoneById = new Map<string, Milestone>();
  for (const m of milestones) if (!milestoneById.has(m.id)) milestoneById.set(m.id, m);
  const projectByName = new Map<string, Project>();
  for (const p of projects) {
    if (!projectByName.has(p.key)) projectByName.set(p.key, p);
    if (!projectByName.has(p.folder)) projectByName.set(p.folder, p);
  }
  return Object.freeze({
    source: source.description,
    settings,
    people: Object.freeze(people.sort(byId)),
    teams: Object.freeze(teams.sort(byId)),
    projects: Object.freeze(projects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))),
    milestones: Object.freeze(milestones.sort(byDueThenId)),
    tasks: Object.freeze(tasks),
    archivedTasks: Object.freeze(archivedTasks),
    timeEntries: Object.freeze(
      timeEntries.sort((a, b) =>
        a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : 1,
      ),
    ),
    attachments: Object.freeze([...attachments].sort()),
    diagnostics: Object.freeze(diagnostics),
    task: (id: string) => taskById.get(id),
    person: (id: string) => peopleById.get(id),
    team: (id: string) => teamsById.get(id),
    milestone: (id: string) => milestoneById.get(id),
    project: (keyOrFolder: string) => projectByName.get(keyOrFolder),
    locate: (file: string, path: readonly (string | number)[], target: "key" | "value" = "value") =>
      at.range(file, path, target),
  });
}

async function readEntry(
  source: Source,
  entry: SourceEntry,
  kind: RecordKind,
  cache: ParseCache | undefined,
): Promise<{ parsed: ParsedFile; cached: boolean }> {
  if (cache !== undefined && entry.stamp !== undefined) {
    const hit = cache.get(entry.path, entry.stamp);
    if (hit !== undefined && hit.kind === kind) return { parsed: hit, cached: true };
  }
  let bytes: Uint8Array;
  try {
    bytes = await source.read(entry.path);
  } catch (error) {
    // a read failure may pass (a file locked for a moment): never cached
    const failed = unreadableFile(
      kind,
      {
        code: "TD001",
        message: `The file could not be read: ${error instanceof Error ? error.message : String(error)}`,
        range: { line: 1, column: 1, endLine: 1, endColumn: 1 },
      },
      false,
    );
    return { parsed: failed, cached: false };
  }
  const parsed = readRecordFile(kind, bytes);
  const cached =
    cache !== undefined &&
    entry.stamp !== undefined &&
    parsed.cacheable &&
    cache.set(entry.path, entry.stamp, parsed);
  return { parsed, cached };
}

/** Sorts tasks by key, then number, then file, computing each sort key once. */
function sortTasks(tasks: Task[]): void {
  // decorate-sort-undecorate: the id is split once per task, not once per comparison
  const keyed = tasks.map((t) => {
    const dash = t.id.lastIndexOf("-");
    const n = Number(t.id.slice(dash + 1));
    return Number.isInteger(n) && dash > 0
      ? { t, key: t.id.slice(0, dash), n }
      : { t, key: t.id, n: 0 };
  });
  keyed.sort((a, b) => {
    if (a.key !== b.key) return a.key < b.key ? -1 : 1;
    return a.n - b.n || (a.t.file < b.t.file ? -1 : a.t.file > b.t.file ? 1 : 0);
  });
  for (let i = 0; i < keyed.length; i++) tasks[i] = keyed[i]!.t;
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const byDueThenId = (a: Milestone, b: Milestone) =>
  (a.due ?? "9999") < (b.due ?? "9999")
    ? -1
    : (a.due ?? "9999") > (b.due ?? "9999")
      ? 1
      : byId(a, b);
