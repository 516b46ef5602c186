// What `trackdown site build` prepares for the site while Astro bundles it: the tracker
// read (warming the parse cache), its history walked (warming the history cache) and every
// task's body rendered, on a worker thread. The site's data module (site/src/lib/data.ts)
// then loads the tracker and the history from the warm caches and takes the rendered bodies
// as they are. Without it (`site dev`, or a worker that failed) the site does the same work
// itself; nothing here changes what a page shows.
import type { Task, Tracker } from "../core/index.js";
import { loadTrackerAt, loadTrackerHistory } from "./git.js";
import { loadTracker } from "./load.js";
import { type RenderedMarkdown, renderMarkdown } from "./markdown.js";

/** A task's body as rendered for a site with this base, with the text it was rendered from. */
export interface PreparedBody {
  readonly source: string;
  readonly rendered: RenderedMarkdown;
}

/** What the worker posts: first that the caches are warm, then every task's rendered body. */
export type PrepareMessage =
  | { readonly kind: "ready" }
  | { readonly kind: "bodies"; readonly bodies: ReadonlyMap<string, PreparedBody> };

/** What the site's data module is handed while (or after) the worker prepares. */
export interface PreparedSite {
  /** The base URL the bodies are rendered for ("/" or "/repo/"). */
  readonly base: string;
  /** Settles once the tracker and its history have been read (or the worker gave up). */
  readonly ready: Promise<void>;
  /** A task's rendered body, if the worker has rendered it from this very text yet. */
  body(id: string, source: string): RenderedMarkdown | undefined;
}

export interface PrepareOptions {
  /** The tracker's folder. */
  readonly root: string;
  /** A revision to build the site of, instead of the working tree. */
  readonly at?: string;
  /** The site's base URL, ending in "/". */
  readonly base: string;
}

/** A task's body as the site shows it: links to tracker files and to tasks under `base`. */
export function renderTaskBody(tracker: Tracker, task: Task, base: string): RenderedMarkdown {
  return renderMarkdown(task.body, {
    base,
    taskUrl: (id) => (tracker.task(id) !== undefined ? `${base}tasks/${id}/` : undefined),
  });
}

/**
 * Reads the tracker and its history the way the site will, so that the caches in
 * `<tracker>/.trackdown/cache/` are warm, says so, then renders every task's body.
 */
export async function prepareSite(
  options: PrepareOptions,
  post: (message: PrepareMessage) => void,
): Promise<void> {
  const { root, at, base } = options;
  const tracker =
    at !== undefined && at !== "" ? await loadTrackerAt(root, at) : await loadTracker(root);
  try {
    await loadTrackerHistory(root, at !== undefined && at !== "" ? { head: at } : {});
  } catch {
    // not in a git repository: the site has no history either
  }
  post({ kind: "ready" });
  const bodies = new Map<string, PreparedBody>();
  for (const task of [...tracker.tasks, ...tracker.archivedTasks]) {
    bodies.set(task.id, { source: task.body, rendered: renderTaskBody(tracker, task, base) });
  }
  post({ kind: "bodies", bodies });
}

const PREPARED = Symbol.for("trackdown.site.prepared");

/** Hands what is being prepared to the site's data module (the same process). */
export function offerPreparedSite(prepared: PreparedSite | undefined): void {
  (globalThis as { [PREPARED]?: PreparedSite })[PREPARED] = prepared;
}

/** What `trackdown site build` is preparing, if anything. */
export function preparedSite(): PreparedSite | undefined {
  return (globalThis as { [PREPARED]?: PreparedSite })[PREPARED];
}
