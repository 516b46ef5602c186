import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { TASK_ID } from "../../core/ids.js";
import type { FieldEdit } from "../../core/index.js";
import type { SchemaKind } from "../../core/schemas.generated.js";
import {
  assignment,
  checkField,
  EditSession,
  scalarFor,
  valueFor,
  type WriteOptions,
} from "../editing.js";
import { CliError, type CliIO } from "../io.js";
import { safeText } from "../render/width.js";

export interface EditOptions extends WriteOptions {
  readonly set?: readonly string[];
  readonly unset?: readonly string[];
  readonly add?: readonly string[];
  readonly remove?: readonly string[];
  /** A file holding the new Markdown body (`-`: standard input). */
  readonly bodyFile?: string;
}

/**
 * `trackdown edit ID --set field=value --unset field --add field=value --remove field=value`:
 * fields of a task (or of a milestone, person, team or project by its id) changed in place,
 * each edit touching only its own lines. Values are typed by the schema: numbers for
 * numbers, true/false for booleans, comma-separated lists for lists.
 */
export async function runEdit(
  io: CliIO,
  id: string,
  options: EditOptions,
  readStdin: () => string = () => readFileSync(0, "utf8"),
): Promise<number> {
  const session = await EditSession.open(io, options);
  const record = recordFor(session, id);
  const edits: FieldEdit[] = [];
  for (const text of options.set ?? []) {
    const [field, value] = assignment(text, "--set");
    checkField(record.kind, field);
    edits.push({
      op: "set",
      path: [field],
      value: valueFor(record.kind, field, value),
    });
  }
  for (const field of options.unset ?? []) {
    checkField(record.kind, field.trim());
    edits.push({ op: "unset", path: [field.trim()] });
  }
  for (const [option, op] of [
    ["--add", "add"],
    ["--remove", "remove"],
  ] as const) {
    for (const text of (op === "add" ? options.add : options.remove) ?? []) {
      const [field, value] = assignment(text, option);
      checkField(record.kind, field);
      for (const item of value.split(",").map((s) => s.trim())) {
        if (item === "") continue;
        const v = scalarFor(record.kind, field, item);
        edits.push({ op, path: [field], value: v });
      }
    }
  }
  let body: string | undefined;
  if (options.bodyFile !== undefined) {
    if (!record.file.endsWith(".md")) {
      throw new CliError(
        `${record.label} has no Markdown body (${safeText(session.display(record.file))}).`,
      );
    }
    body = bodyFrom(io, options.bodyFile, readStdin);
  }
  if (edits.length === 0 && body === undefined) {
    throw new CliError(
      "Say what to change: --set field=value, --unset field, --add field=value, --remove field=value or --body-file FILE.",
    );
  }
  session.edit(record.file, edits, body !== undefined ? { body } : {});
  return session.finish(
    [safeText(`Edited ${record.label} (${session.display(record.file)}).`)],
    safeText(`${record.label} already reads so; nothing to change.`),
  );
}

/** The text of a `--body-file` (`-`: standard input), or a clear error when it cannot be read. */
export function bodyFrom(io: CliIO, file: string, readStdin: () => string): string {
  try {
    return file === "-" ? readStdin() : readFileSync(resolve(io.cwd, file), "utf8");
  } catch (error) {
    const code = error instanceof Error && "code" in error ? error.code : undefined;
    const why =
      code === "ENOENT"
        ? "there is no such file"
        : code === "EISDIR"
          ? "it is a folder"
          : error instanceof Error
            ? error.message
            : String(error);
    throw new CliError(
      `Cannot read the body from ${file === "-" ? "standard input" : safeText(file)}: ${why}.`,
    );
  }
}

/** What `edit` works on: a task by id, else a milestone, person, team or project. */
export function recordFor(
  session: EditSession,
  id: string,
): { kind: SchemaKind; file: string; label: string } {
  const { tracker } = session;
  if (TASK_ID.test(id.trim().toUpperCase())) {
    const task = session.task(id);
    return { kind: "task", file: task.file, label: task.id };
  }
  const name = id.trim().replace(/^@/, "");
  const found: { kind: SchemaKind; file: string; label: string }[] = [];
  const milestone = tracker.milestone(name);
  if (milestone !== undefined)
    found.push({ kind: "milestone", file: milestone.file, label: `milestone ${name}` });
  const person = tracker.person(name);
  if (person !== undefined) found.push({ kind: "person", file: person.file, label: `@${name}` });
  const team = tracker.team(name);
  if (team !== undefined) found.push({ kind: "team", file: team.file, label: `team ${name}` });
  const project = tracker.project(name);
  if (project !== undefined)
    found.push({ kind: "project", file: project.file, label: `project ${project.key}` });
  if (found.length === 1 && found[0] !== undefined) return found[0];
  if (found.length > 1) {
    throw new CliError(
      `"${safeText(id)}" names ${found.map((f) => f.label).join(" and ")}; give the file's kind by editing it by hand, or rename one.`,
    );
  }
  throw new CliError(`There is no task, milestone, person, team or project "${safeText(id)}".`, 1);
}
