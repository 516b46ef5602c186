import type { FieldEdit } from "../../core/index.js";
import { EditSession, type WriteOptions } from "../editing.js";
import { CliError, type CliIO } from "../io.js";
import { safeText } from "../render/width.js";

/**
 * `trackdown assign ID @person…` and `trackdown unassign ID [@person…]` (no one named: every
 * assignee). People are named by id or GitHub login, with or without the @.
 */
export async function runAssign(
  io: CliIO,
  id: string,
  people: readonly string[],
  options: WriteOptions & { readonly unassign?: boolean },
): Promise<number> {
  const session = await EditSession.open(io, options);
  const task = session.task(id);
  const unassign = options.unassign === true;
  if (!unassign && people.length === 0) throw new CliError("Name who to assign: @person…");
  const ids = people.map((p) => session.person(p));
  const edits: FieldEdit[] = [];
  if (unassign && ids.length === 0) {
    // a task with no assignees keeps its file as it is (no `assignees: []` added)
    if (task.assignees.length > 0) edits.push({ op: "set", path: ["assignees"], value: [] });
  } else {
    for (const person of ids) {
      edits.push({ op: unassign ? "remove" : "add", path: ["assignees"], value: person });
    }
  }
  session.edit(task.file, edits);
  const who = ids.length === 0 ? "everyone" : ids.map((p) => `@${p}`).join(", ");
  const file = safeText(session.display(task.file));
  return session.finish(
    [
      unassign
        ? `Unassigned ${who} from ${task.id} (${file}).`
        : `Assigned ${who} to ${task.id} (${file}).`,
    ],
    unassign
      ? `${task.id} has no ${ids.length === 0 ? "assignees" : "such assignee"}; nothing to change.`
      : `${task.id} is already assigned to ${who}; nothing to change.`,
  );
}
