import { createHash } from "node:crypto";
import {
  compareTaskIds,
  nextTaskId,
  parseTaskId,
  TASK_ID,
  taskIdMentions,
} from "../../core/ids.js";
import type { FieldEdit } from "../../core/index.js";
import type { Project, Task, Tracker } from "../../core/model.js";
import { EditSession, type WriteOptions } from "../editing.js";
import { CliError, type CliIO } from "../io.js";
import { safeText } from "../render/width.js";
import { idsEverSeen } from "./new.js";

/** A task to give a new id, in the project it goes to (another one for `mv`). */
interface Renaming {
  readonly task: Task;
  readonly newId: string;
  readonly project: Project;
}

interface Counts {
  references: number;
  mentions: number;
  entries: number;
}

/**
 * Giving tasks new ids, the way `rename-id`, `mv` and `fix-ids` do: each file is renamed
 * (the slug kept, into another project's folder for `mv`), its `id` set, and every reference
 * rewritten: `parent` and `depends_on` of other tasks, time entries (their `task` and the id
 * in their file name), and mentions in Markdown bodies (whole ids only: WEB-1 is not WEB-12,
 * nor the folder of `files/WEB-1/`, which does not move). All renamings are planned in one
 * pass over the files, so a file that names several renamed tasks keeps every change.
 * `inScope` limits the rewriting to some files (fix-ids: this branch's). Returns what was
 * updated for each renaming.
 */
function renameTasks(
  session: EditSession,
  renamings: readonly Renaming[],
  inScope: (file: string) => boolean = () => true,
): Counts[] {
  const { tracker } = session;
  if (renamings.length === 0) return [];
  // by old id (the first task of an id wins: references cannot tell two of them apart)
  const renamed = new Map<string, { newId: string; counts: Counts }>();
  for (const { task, newId } of renamings) {
    if (!renamed.has(task.id)) {
      renamed.set(task.id, { newId, counts: { references: 0, mentions: 0, entries: 0 } });
    }
  }
  const own = new Map(renamings.map((r) => [r.task, r]));
  const mention = taskIdMentions(renamed.keys());
  const newIdOf = (id: string, counted: keyof Counts): string | undefined => {
    const found = renamed.get(id);
    if (found !== undefined) found.counts[counted]++;
    return found?.newId;
  };
  const bodyOf = (body: string): string | undefined => {
    const replaced = body.replace(mention, (id: string) => newIdOf(id, "mentions") ?? id);
    return replaced === body ? undefined : replaced;
  };

  // the task files first (edits follow them to where they go)
  for (const { task, newId, project } of renamings) {
    session.renamesTask(task.id, newId);
    const parts = task.file.split("/");
    const name = parts[parts.length - 1] ?? "";
    const slug = name.replace(/\.md$/, "").slice(task.id.length).replace(/^-/, "");
    const to = `projects/${project.folder}/${task.archived ? "archive" : "tasks"}/${[newId, slug].filter((s) => s !== "").join("-")}.md`;
    if (to !== task.file) session.move(task.file, to);
  }
  // tasks: the renamed ones' ids, and references and mentions in every task in scope
  for (const task of [...tracker.tasks, ...tracker.archivedTasks]) {
    const renaming = own.get(task);
    if (renaming === undefined && !inScope(task.file)) continue;
    const edits: FieldEdit[] = [];
    if (renaming !== undefined) edits.push({ op: "set", path: ["id"], value: renaming.newId });
    const parent = task.parent !== undefined ? newIdOf(task.parent, "references") : undefined;
    if (parent !== undefined) edits.push({ op: "set", path: ["parent"], value: parent });
    if (task.dependsOn.some((d) => renamed.has(d))) {
      edits.push({
        op: "set",
        path: ["depends_on"],
        value: task.dependsOn.map((d) => newIdOf(d, "references") ?? d),
      });
    }
    const body = bodyOf(task.body);
    if (edits.length > 0 || body !== undefined) {
      session.edit(task.file, edits, body !== undefined ? { body } : {});
    }
  }
  // milestones and projects
  for (const record of [...tracker.milestones, ...tracker.projects]) {
    if (!inScope(record.file)) continue;
    const body = bodyOf(record.body);
    if (body !== undefined) session.edit(record.file, [], { body });
  }
  // time entries: the task field, and the id in the file name
  for (const entry of tracker.timeEntries) {
    if (!inScope(entry.file)) continue;
    const newId = newIdOf(entry.task, "entries");
    if (newId === undefined) continue;
    session.edit(entry.file, [{ op: "set", path: ["task"], value: newId }]);
    const to = entry.file.replace(
      new RegExp(`-${entry.task}-([a-z0-9]+\\.ya?ml)$`),
      `-${newId}-$1`,
    );
    if (to !== entry.file) session.move(entry.file, to);
  }
  // running timers (outside git) follow too, so that `timer stop` logs on the new id
  const timers = session.text(TIMERS_FILE);
  if (timers !== undefined) {
    try {
      const parsed = JSON.parse(timers) as Record<string, { task?: unknown }>;
      let changed = false;
      for (const timer of Object.values(parsed)) {
        const newId = typeof timer?.task === "string" ? renamed.get(timer.task)?.newId : undefined;
        if (newId !== undefined) {
          timer.task = newId;
          changed = true;
        }
      }
      if (changed) session.write(TIMERS_FILE, `${JSON.stringify(parsed, null, 2)}\n`);
    } catch {
      // an unreadable timers file is left as it is; `timer` says what is wrong with it
    }
  }
  return renamings.map((r) => renamed.get(r.task.id)?.counts ?? NOTHING);
}

const TIMERS_FILE = ".trackdown/timers.json";

const NOTHING: Counts = { references: 0, mentions: 0, entries: 0 };

function described(counts: Counts): string {
  const parts = [
    counts.references > 0
      ? `${counts.references} reference${counts.references === 1 ? "" : "s"}`
      : "",
    counts.entries > 0 ? `${counts.entries} time entr${counts.entries === 1 ? "y" : "ies"}` : "",
    counts.mentions > 0
      ? `${counts.mentions} mention${counts.mentions === 1 ? "" : "s"} in Markdown`
      : "",
  ].filter((p) => p !== "");
  return parts.length === 0 ? "nothing refers to it" : `updated ${parts.join(", ")}`;
}

/** Refuses an id some task, reference or time entry already uses (or used). */
function checkFree(session: EditSession, id: string): void {
  const key = parseTaskId(id)?.key ?? "";
  const seen = idsEverSeen(session, key);
  if (seen.includes(id)) {
    throw new CliError(
      `${id} is taken: a task, archived task, reference, time entry or deleted file in git history uses it, and ids are never reused. The next free id is ${nextTaskId(key, seen)}.`,
      1,
    );
  }
}

/** `trackdown rename-id OLD NEW`: NEW's key may name another project (the file moves there). */
export async function runRenameId(
  io: CliIO,
  oldId: string,
  newId: string,
  options: WriteOptions,
): Promise<number> {
  const session = await EditSession.open(io, options);
  const task = session.task(oldId);
  const wanted = newId.trim().toUpperCase();
  if (!TASK_ID.test(wanted)) {
    throw new CliError(`"${newId}" is not a task id: a project key, a dash and a number (WEB-12).`);
  }
  if (wanted === task.id) {
    io.stdout.write(`${task.id} is its id already; nothing to change.\n`);
    return 0;
  }
  const key = parseTaskId(wanted)?.key ?? "";
  const project = session.tracker.project(key);
  if (project === undefined) {
    throw new CliError(
      `No project has the key ${key}; projects: ${session.tracker.projects.map((p) => p.key).join(", ")}.`,
      1,
    );
  }
  checkFree(session, wanted);
  const [counts] = renameTasks(session, [{ task, newId: wanted, project }]);
  return session.finish(
    [`Renamed ${task.id} to ${wanted}; ${described(counts ?? NOTHING)}.`],
    "Nothing to change.",
  );
}

/** `trackdown mv ID --project KEY`: the task takes the next free id of the other project. */
export async function runMv(
  io: CliIO,
  id: string,
  options: WriteOptions & { readonly project: string },
): Promise<number> {
  const session = await EditSession.open(io, options);
  const task = session.task(id);
  const project =
    session.tracker.project(options.project.trim()) ??
    session.tracker.project(options.project.trim().toUpperCase());
  if (project === undefined) {
    throw new CliError(
      `There is no project "${options.project}"; projects: ${session.tracker.projects.map((p) => p.key).join(", ")}.`,
      1,
    );
  }
  if (project.folder === task.project) {
    io.stdout.write(`${task.id} is in ${project.key} already; nothing to change.\n`);
    return 0;
  }
  const newId = nextTaskId(project.key, idsEverSeen(session, project.key));
  const [counts] = renameTasks(session, [{ task, newId, project }]);
  return session.finish(
    [`Moved ${task.id} to project ${project.key} as ${newId}; ${described(counts ?? NOTHING)}.`],
    "Nothing to change.",
  );
}

/**
 * `trackdown fix-ids [--base main]`: this branch's new tasks whose ids the base branch has
 * given to other tasks meanwhile take the next free ids, and this branch's references follow.
 * "This branch's" = files that are not on the base as they are (new here, or changed here);
 * files identical to the base's keep naming the base's task. Works before merging the base
 * and after (when both files are in the working tree).
 */
export async function runFixIds(
  io: CliIO,
  options: WriteOptions & { readonly base?: string },
): Promise<number> {
  const session = await EditSession.open(io, options);
  const baseName = options.base ?? "main";
  const { base, sameOnBase } = await baseOf(session, baseName);
  const baseFiles = new Map<string, string>();
  for (const t of [...base.tasks, ...base.archivedTasks]) {
    if (!baseFiles.has(t.id)) baseFiles.set(t.id, t.file);
  }
  const ours = [...session.tracker.tasks, ...session.tracker.archivedTasks]
    .filter((t) => {
      const theirs = baseFiles.get(t.id);
      return theirs !== undefined && theirs !== t.file && !sameOnBase(t.file);
    })
    .sort((a, b) => compareTaskIds(a.id, b.id));
  if (ours.length === 0) {
    io.stdout.write(`No task of this branch has an id that ${baseName} uses for another task.\n`);
    return 0;
  }
  const taken = new Map<string, string[]>();
  const renamings: Renaming[] = [];
  for (const task of ours) {
    const project = session.tracker.project(task.project);
    if (project === undefined) continue;
    let seen = taken.get(project.key);
    if (seen === undefined) {
      seen = [
        // ids main's history deleted are as taken as ours
        ...idsEverSeen(session, project.key, ["HEAD", baseName]),
        ...[...base.tasks, ...base.archivedTasks].flatMap((t) => [
          t.id,
          ...t.dependsOn,
          ...(t.parent ? [t.parent] : []),
        ]),
        ...base.timeEntries.map((e) => e.task),
      ];
      taken.set(project.key, seen);
    }
    const newId = nextTaskId(project.key, seen);
    seen.push(newId);
    renamings.push({ task, newId, project });
  }
  // told before planning: the plan changes files that were as on the base
  const { tracker } = session;
  const baseFilesHere = new Set(
    [
      ...tracker.tasks,
      ...tracker.archivedTasks,
      ...tracker.milestones,
      ...tracker.projects,
      ...tracker.timeEntries,
    ]
      .map((r) => r.file)
      .filter(sameOnBase),
  );
  const counts = renameTasks(session, renamings, (file) => !baseFilesHere.has(file));
  const lines = renamings.map(
    ({ task, newId }, i) =>
      `${task.id} → ${newId} (${safeText(baseName)} has ${task.id} in ${safeText(session.display(baseFiles.get(task.id) ?? ""))}); ${described(counts[i] ?? NOTHING)}.`,
  );
  return session.finish(lines, "Nothing to change.");
}

/** The base branch's tracker, and whether a file of the working tree is exactly as on it. */
async function baseOf(
  session: EditSession,
  name: string,
): Promise<{ base: Tracker; sameOnBase: (file: string) => boolean }> {
  const { commitAt, repositoryOf } = await import("../../node/git.js");
  const { gitSource } = await import("../../core/git/git-source.js");
  const { openTracker } = await import("../../core/open-tracker.js");
  const { memoryParseCache } = await import("../../core/memory-cache.js");
  let source: Awaited<ReturnType<typeof gitSource>>;
  try {
    const where = await repositoryOf(session.root);
    const commit = await commitAt(where, name);
    source = gitSource(where.repo, { commit, prefix: where.prefix });
  } catch (error) {
    const why = (error instanceof Error ? error.message : String(error)).replace(/\.$/, "");
    throw new CliError(
      safeText(`Cannot read the base branch "${name}": ${why}; give another with --base.`),
    );
  }
  const base = await openTracker(source, { cache: memoryParseCache() });
  // a file is as on the base when its git blob id is the base's (no blob is read for it)
  const blobs = new Map<string, string>();
  for (const entry of await source.list()) {
    if (entry.type === "file" && entry.stamp !== undefined) blobs.set(entry.path, entry.stamp);
  }
  return {
    base,
    sameOnBase: (file) => {
      const theirs = blobs.get(file);
      const text = session.text(file);
      return theirs !== undefined && text !== undefined && blobId(text) === theirs;
    },
  };
}

/** The id git gives a file's content (`git hash-object`). */
function blobId(text: string): string {
  const bytes = Buffer.from(text, "utf8");
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}
