// Rebuilding after a few tasks changed: each build writes a manifest of what every task
// page shows (a hash of its content) and of what every page shares (the frame: base,
// day, tracker name, statuses, site sources). The next build, given that manifest, renders
// only the task pages whose content changed; the command keeps the others from the
// previous output. Anything shared that changed means a full build.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { SiteData } from "./data";
import { taskPageHtml } from "./task-page";

export const MANIFEST_FILE = "trackdown-site.json";
const FORMAT = 1;

export interface Manifest {
  readonly format: number;
  /** What every page shares. */
  readonly frame: string;
  /** Task id → hash of its page's content. */
  readonly tasks: Readonly<Record<string, string>>;
}

const hash = (text: string) => createHash("sha256").update(text).digest("base64url").slice(0, 22);

let current: Manifest | undefined;

/** This build's manifest (task pages' content is rendered once here and reused by pages). */
export function manifestOf(data: SiteData): Manifest {
  if (current !== undefined) return current;
  const frame = hash(
    JSON.stringify([
      FORMAT,
      process.env.TRACKDOWN_SITE_SOURCES ?? "",
      data.base,
      data.today,
      data.tracker.settings.name,
      data.tracker.projects.map((p) => [p.key, p.name]),
      data.repositoryUrl ?? "",
      data.branch,
    ]),
  );
  const tasks: Record<string, string> = {};
  for (const task of [...data.tracker.tasks, ...data.tracker.archivedTasks]) {
    tasks[task.id] = hash(`${task.title}\u0000${taskPageHtml(data, task)}`);
  }
  current = { format: FORMAT, frame, tasks };
  return current;
}

/**
 * The task ids to render: all of them, or, when the previous build's manifest is given
 * (TRACKDOWN_SITE_PREVIOUS) and shares this build's frame, only those whose page changed.
 */
export function tasksToRender(data: SiteData): ReadonlySet<string> | "all" {
  const path = process.env.TRACKDOWN_SITE_PREVIOUS;
  if (path === undefined || path === "") return "all";
  let previous: Manifest;
  try {
    previous = JSON.parse(readFileSync(path, "utf8")) as Manifest;
  } catch {
    return "all";
  }
  const now = manifestOf(data);
  if (previous.format !== FORMAT || previous.frame !== now.frame) return "all";
  return new Set(Object.keys(now.tasks).filter((id) => previous.tasks[id] !== now.tasks[id]));
}
