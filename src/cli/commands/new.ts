import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { isDate } from "../../core/dates.js";
import { didYouMean } from "../../core/did-you-mean.js";
import { nextTaskId, parseTaskId, slugify, taskIdFromFileStem } from "../../core/ids.js";
import { editFrontMatter, newRecordText, type YamlValue } from "../../core/index.js";
import type { Project } from "../../core/model.js";
import { SCHEMAS } from "../../core/schemas.generated.js";
import { checkField, EditSession, valueFor, type WriteOptions } from "../editing.js";
import { CliError, type CliIO } from "../io.js";
import { NEW_KINDS, type NewKind } from "../new-fields.js";
import { bodyFrom } from "./edit.js";
import { statusNamed } from "./move.js";

export interface NewOptions extends WriteOptions {
  /** Field values by field name (from `--title`, `--depends-on`…), as typed. */
  readonly fields: Readonly<Record<string, string>>;
  /** The project a task or milestone belongs to (key or folder). */
  readonly project?: string;
  /** The id of a milestone, person or team (default: from the title or name). */
  readonly id?: string;
  /** A project's folder under projects/ (default: from its name). */
  readonly folder?: string;
  /** A file holding the Markdown body (`-`: standard input). */
  readonly bodyFile?: string;
  /** Asks for a missing value when run in a terminal; absent otherwise. */
  readonly ask?: (question: string) => Promise<string>;
}

/**
 * `trackdown new task|milestone|project|person|team`: a new record file with the fields given
 * (and, in a terminal, asked for the required ones missing). A task takes the next id of its
 * project that no task, archived task, reference, time entry or deleted file in git history
 * has had, and starts from the tracker's templates/task.md when there is one.
 */
export async function runNew(
  io: CliIO,
  kind: string,
  options: NewOptions,
  readStdin: () => string = () => readFileSync(0, "utf8"),
): Promise<number> {
  if (!(NEW_KINDS as readonly string[]).includes(kind)) {
    const guess = didYouMean(kind, NEW_KINDS);
    throw new CliError(
      `trackdown new makes a ${NEW_KINDS.join(", a ")}; not "${kind}".${guess !== undefined ? ` Did you mean "${guess}"?` : ""}`,
    );
  }
  const k = kind as NewKind;
  const session = await EditSession.open(io, options);
  const given = { ...options.fields };
  for (const field of Object.keys(given)) checkField(k, field);
  const required = ((SCHEMAS[k] as { required?: string[] }).required ?? []).filter(
    (f) => f !== "id" && f !== "status" && f !== "members",
  );
  for (const field of required) {
    if (given[field] !== undefined && given[field].trim() !== "") continue;
    const answer = options.ask !== undefined ? (await options.ask(`${field}: `)).trim() : "";
    if (answer === "") {
      throw new CliError(
        `A new ${k} needs --${field.replace(/_/g, "-")} (${required.join(", ")} are required).`,
      );
    }
    given[field] = answer;
  }
  const values = new Map<string, YamlValue>();
  for (const [field, text] of Object.entries(given)) {
    values.set(field, valueFor(k, field, text));
  }
  if (k === "task") {
    // as `move` takes them: a status by id or name, task ids in any case
    const status = values.get("status");
    if (typeof status === "string") {
      values.set("status", statusNamed(session.tracker.settings.statuses, status).id);
    }
    const parent = values.get("parent");
    if (typeof parent === "string") values.set("parent", parent.toUpperCase());
    const dependsOn = values.get("depends_on");
    if (Array.isArray(dependsOn)) {
      values.set(
        "depends_on",
        dependsOn.map((id) => (typeof id === "string" ? id.toUpperCase() : id)),
      );
    }
  }
  for (const field of ["start", "due", "target"]) {
    const v = values.get(field);
    if (typeof v === "string" && !isDate(v)) {
      throw new CliError(`--${field} takes a day written YYYY-MM-DD, not "${v}".`);
    }
  }
  if (options.bodyFile !== undefined && (k === "person" || k === "team")) {
    // said rather than dropped: the text would be lost without a word
    throw new CliError(
      `A ${k} is a YAML file with no Markdown body; --body-file is for tasks, milestones and projects.`,
    );
  }
  const body = options.bodyFile !== undefined ? bodyFrom(io, options.bodyFile, readStdin) : "";
  const planned = plan(session, k, values, body, options);
  const header = session.schemaLine(planned.path);
  const text = planned.path.endsWith(".md")
    ? planned.text.replace(
        /^---(\r?\n)/,
        (open, eol: string) => `${open}${header.replace(/\n$/, eol)}`,
      )
    : `${header}${planned.text}`;
  session.create(planned.path, text);
  return session.finish(
    [`Created ${planned.label}: ${session.display(planned.path)}.`],
    "Nothing to create.",
  );
}

interface Planned {
  readonly path: string;
  readonly text: string;
  readonly label: string;
}

function plan(
  session: EditSession,
  kind: NewKind,
  values: Map<string, YamlValue>,
  body: string,
  options: NewOptions,
): Planned {
  const { tracker } = session;
  const ordered = (first: readonly [string, YamlValue][]): [string, YamlValue][] => {
    const out: [string, YamlValue][] = [...first];
    for (const [field, value] of values)
      if (!out.some(([f]) => f === field)) out.push([field, value]);
    return out;
  };
  switch (kind) {
    case "task": {
      const project = projectFor(session, options.project);
      const id = nextTaskId(project.key, idsEverSeen(session, project.key));
      const title = String(values.get("title") ?? "");
      if (!values.has("status")) values.set("status", tracker.settings.initialStatus);
      const stem = [id, slugify(title)].filter((s) => s !== "").join("-");
      const path = `projects/${project.folder}/tasks/${stem}.md`;
      const first: [string, YamlValue][] = [
        ["id", id],
        ["title", title],
      ];
      const template = session.text("templates/task.md");
      if (template !== undefined && /^---\r?\n/.test(template)) {
        // the template's fields and comments stay; id, title and created go first, but for
        // those the template has already (filled in where they are)
        const eol = template.includes("\r\n") ? "\r\n" : "\n";
        const opening = /^---\r?\n((?:#[^\r\n]*\r?\n)*)/.exec(template)?.[0] ?? "";
        const has = (field: string) => new RegExp(`^${field}[ \t]*:`, "m").test(frontOf(template));
        const top = first.filter(([field]) => !has(field));
        // the template's leading comments are notes about the template, not for the task;
        // spliced, not replaced with a pattern: a title may hold `$&`
        const head = newRecordText("yml", top).replace(/\n/g, eol);
        let text = uncommented(`---${eol}${head}${template.slice(opening.length)}`, [
          ...values.keys(),
        ]);
        const edits = [...new Map([...first, ...values])]
          .filter(([field]) => !top.some(([t]) => t === field))
          .map(([field, value]) => ({ op: "set" as const, path: [field], value }));
        if (!values.has("created"))
          edits.push({ op: "set", path: ["created"], value: session.today });
        const outcome = editFrontMatter(text, edits, body !== "" ? { body } : {});
        if (!outcome.ok) {
          // a line of the template: the head's lines were added, its notes dropped
          const added = top.length - (opening.split("\n").length - 2);
          const line =
            outcome.line === undefined
              ? ""
              : `:${outcome.line > 1 + top.length ? outcome.line - added : outcome.line}:${outcome.column ?? 1}`;
          throw new CliError(
            `${session.display("templates/task.md")}${line}: ${outcome.message}`,
            1,
          );
        }
        text = outcome.text;
        return { path, text, label: `task ${id}` };
      }
      if (!values.has("created")) values.set("created", session.today);
      return {
        path,
        text: newRecordText("md", ordered(first), body !== "" ? body : "\n"),
        label: `task ${id}`,
      };
    }
    case "milestone": {
      const project = projectFor(session, options.project);
      const id = idFor(options.id, String(values.get("title") ?? ""), "milestone");
      if (tracker.milestone(id) !== undefined) {
        throw new CliError(`There is a milestone "${id}" already; choose another --id.`);
      }
      if (!values.has("status")) values.set("status", "planned");
      return {
        path: `projects/${project.folder}/milestones/${id}.md`,
        text: newRecordText(
          "md",
          ordered([["title", values.get("title") ?? ""]]),
          body !== "" ? body : "\n",
        ),
        label: `milestone ${id}`,
      };
    }
    case "project": {
      const key = String(values.get("key") ?? "").toUpperCase();
      if (!/^[A-Z][A-Z0-9]{1,9}$/.test(key)) {
        throw new CliError(
          `--key is 2 to 10 capital letters and digits starting with a letter (like WEB), not "${key}".`,
        );
      }
      values.set("key", key);
      if (tracker.project(key) !== undefined)
        throw new CliError(`There is a project ${key} already.`);
      const folder = options.folder ?? slugify(String(values.get("name") ?? ""), 3);
      if (!/^[a-z0-9][a-z0-9-]*$/.test(folder)) {
        throw new CliError(`--folder is lower-case letters, digits and dashes, not "${folder}".`);
      }
      if (
        tracker.project(folder) !== undefined ||
        session.text(`projects/${folder}/project.md`) !== undefined
      ) {
        throw new CliError(
          `There is a project in projects/${folder}/ already; choose another --folder.`,
        );
      }
      return {
        path: `projects/${folder}/project.md`,
        text: newRecordText(
          "md",
          ordered([
            ["key", key],
            ["name", values.get("name") ?? ""],
          ]),
          body !== "" ? body : `\n# ${String(values.get("name") ?? key)}\n`,
        ),
        label: `project ${key}`,
      };
    }
    case "person":
    case "team": {
      const id = idFor(options.id, String(values.get("name") ?? ""), kind);
      const exists = kind === "person" ? tracker.person(id) : tracker.team(id);
      if (exists !== undefined)
        throw new CliError(`There is a ${kind} "${id}" already; choose another --id.`);
      if (kind === "team" && !values.has("members")) values.set("members", []);
      return {
        path: `${kind === "person" ? "people" : "teams"}/${id}.yml`,
        text: newRecordText("yml", ordered([["name", values.get("name") ?? ""]])),
        label: `${kind} ${id}`,
      };
    }
  }
}

/** The front matter of a Markdown text, without its `---` lines (all of it when unclosed). */
function frontOf(text: string): string {
  const end = /\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  return end === null ? text : text.slice(0, end.index);
}

/**
 * The template with its commented-out lines (`# estimate: 3`) for the fields given turned
 * into fields, in their place, as the template asks people to do; their values are set next.
 */
function uncommented(template: string, fields: readonly string[]): string {
  const end = /\r?\n---[ \t]*(?:\r?\n|$)/.exec(template);
  if (end === null) return template;
  let head = template.slice(0, end.index);
  for (const field of fields) {
    if (new RegExp(`^${field}:`, "m").test(head)) continue;
    head = head.replace(new RegExp(`^#[ \t]*(${field}:)`, "m"), "$1");
  }
  return head + template.slice(end.index);
}

function idFor(given: string | undefined, from: string, kind: string): string {
  const id = given ?? slugify(from, 4);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) {
    throw new CliError(
      `A ${kind} id is lower-case letters, digits and dashes; "${id}" is not (give one with --id).`,
    );
  }
  return id;
}

/** The project a new task or milestone goes to: the one named, or the only one there is. */
function projectFor(session: EditSession, given: string | undefined): Project {
  const projects = session.tracker.projects;
  if (given === undefined) {
    if (projects.length === 1 && projects[0] !== undefined) return projects[0];
    throw new CliError(
      `Say which project with --project (${projects.map((p) => p.key).join(", ") || "there are none yet: trackdown new project"}).`,
    );
  }
  const project =
    session.tracker.project(given.trim()) ?? session.tracker.project(given.trim().toUpperCase());
  if (project !== undefined) return project;
  const guess = didYouMean(
    given.toUpperCase(),
    projects.map((p) => p.key),
  );
  throw new CliError(
    `There is no project "${given}".${guess !== undefined ? ` Did you mean ${guess}?` : ""} Projects: ${projects.map((p) => p.key).join(", ")}.`,
    1,
  );
}

/**
 * Every id of a project's tasks this tracker has ever used: tasks, archived tasks,
 * references to tasks, time entries, and task files deleted in git history (of HEAD, or of
 * the revisions given; when the tracker is in a git repository with the `git` binary at
 * hand), so an id is never reused.
 */
export function idsEverSeen(
  session: EditSession,
  key: string,
  revisions: readonly string[] = [],
): string[] {
  const { tracker } = session;
  const seen: string[] = [];
  for (const t of [...tracker.tasks, ...tracker.archivedTasks]) {
    seen.push(t.id, ...t.dependsOn);
    if (t.parent !== undefined) seen.push(t.parent);
  }
  for (const e of tracker.timeEntries) seen.push(e.task);
  try {
    const deleted = execFileSync(
      "git",
      // without renames, a file moved away (`mv` to another project) counts as deleted
      [
        "log",
        "--no-renames",
        "--diff-filter=D",
        "--name-only",
        "--format=",
        ...revisions,
        "--",
        "projects",
      ],
      {
        cwd: session.root,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
        maxBuffer: 64 << 20,
      },
    );
    for (const line of deleted.split("\n")) {
      const name = line.slice(line.lastIndexOf("/") + 1).replace(/\.md$/, "");
      const id = taskIdFromFileStem(name);
      if (id !== undefined) seen.push(id);
    }
  } catch {
    // not a git repository, or no git: what the files say is all there is
  }
  return seen.filter((id) => parseTaskId(id)?.key === key);
}
