import { EditSession, type WriteOptions } from "../editing.js";
import { CliError, type CliIO } from "../io.js";
import { safeText } from "../render/width.js";

/**
 * `trackdown archive ID` moves a task's file into its project's archive/ folder (off the
 * boards, still a valid reference, its id never reused); `trackdown restore ID` moves it back.
 * The file's text is kept as it is.
 */
export async function runArchive(
  io: CliIO,
  id: string,
  options: WriteOptions & { readonly restore?: boolean },
): Promise<number> {
  const session = await EditSession.open(io, options);
  const task = session.task(id);
  const shown = (file: string) => safeText(session.display(file));
  const restore = options.restore === true;
  if (task.archived !== restore) {
    io.stdout.write(
      `${task.id} is ${restore ? "not archived" : "archived already"}; nothing to change.\n`,
    );
    return 0;
  }
  const parts = task.file.split("/");
  const folder = parts.length - 2;
  if (parts[folder] !== (restore ? "archive" : "tasks")) {
    throw new CliError(`${shown(task.file)} is not where a task file belongs.`);
  }
  parts[folder] = restore ? "tasks" : "archive";
  const to = parts.join("/");
  session.move(task.file, to);
  return session.finish(
    [`${restore ? "Restored" : "Archived"} ${task.id}: ${shown(task.file)} → ${shown(to)}.`],
    `${task.id}: nothing to change.`,
  );
}
