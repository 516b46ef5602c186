import { didYouMean } from "../../core/did-you-mean.js";
import type { WorkflowStatus } from "../../core/model.js";
import { transitionAllowed } from "../../core/review/review.js";
import { EditSession, type WriteOptions } from "../editing.js";
import { CliError, type CliIO } from "../io.js";
import { safeText } from "../render/width.js";

/**
 * `trackdown move ID STATUS`: one field changed, after the workflow's say: the transition
 * must be allowed and the target status must have room (its WIP limit); fields the status
 * requires are checked with the rest of the tracker's rules. `--force` overrides the
 * workflow, never a broken file.
 */
export async function runMove(
  io: CliIO,
  id: string,
  status: string,
  options: WriteOptions,
): Promise<number> {
  const session = await EditSession.open(io, options);
  const task = session.task(id);
  const { settings } = session.tracker;
  const target = statusNamed(settings.statuses, status);
  const from = task.status;
  const shown = safeText(from);
  if (from === target.id) {
    io.stdout.write(`${task.id} is already in ${target.id}; nothing to change.\n`);
    return 0;
  }
  const refusals: string[] = [];
  if (!transitionAllowed(settings, from, target.id)) {
    const targets = settings.transitions?.[from] ?? settings.transitions?.["*"] ?? [];
    refusals.push(
      `the workflow does not allow ${shown} → ${target.id}; from ${shown} a task may move to ${targets.length === 0 ? "no other status" : targets.join(", ")}`,
    );
  }
  if (target.wipLimit !== undefined && !task.archived) {
    const count = session.tracker.tasks.filter((t) => t.status === target.id).length;
    if (count >= target.wipLimit) {
      refusals.push(
        `${target.id} is full: ${count} tasks for a WIP limit of ${target.wipLimit}; finish one first`,
      );
    }
  }
  if (refusals.length > 0 && options.force !== true) {
    io.stderr.write(
      `${task.id} cannot move to ${target.id}: ${refusals.join("; and ")}. Nothing was written (--force moves it anyway).\n`,
    );
    return 1;
  }
  session.edit(task.file, [{ op: "set", path: ["status"], value: target.id }]);
  return session.finish(
    [`Moved ${task.id} from ${shown} to ${target.id} (${safeText(session.display(task.file))}).`],
    `${task.id} is already in ${target.id}; nothing to change.`,
  );
}

/** A status by id or by name, any case; a usage error naming the statuses otherwise. */
export function statusNamed(statuses: readonly WorkflowStatus[], given: string): WorkflowStatus {
  const wanted = given.trim().toLowerCase();
  const found =
    statuses.find((s) => s.id.toLowerCase() === wanted) ??
    statuses.find((s) => s.name.toLowerCase() === wanted);
  if (found !== undefined) return found;
  const ids = statuses.map((s) => s.id);
  const guess = didYouMean(wanted, ids);
  throw new CliError(
    `"${given}" is not a status of this tracker.${guess !== undefined ? ` Did you mean "${guess}"?` : ""} Statuses: ${ids.join(", ")}.`,
  );
}
