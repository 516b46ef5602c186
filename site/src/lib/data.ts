// Everything the pages show, read once per build through the library: the tracker (at the
// working tree or a revision), its index, its history when it is in a git repository, and
// each task's Markdown rendered and sanitised once. Pages only present this.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  type HistoryCommit,
  indexTracker,
  loadTracker,
  loadTrackerAt,
  loadTrackerHistory,
  nextTaskId,
  type PersonLoad,
  type StatusEvent,
  statusTimeline,
  type Task,
  type Tracker,
  type TrackerHistory,
  type TrackerIndex,
  todayIn,
  workload,
} from "../../../dist/node/index.js";
import type { RenderedMarkdown } from "../../../dist/node/markdown.js";
import { preparedSite, renderTaskBody } from "../../../dist/node/site-data.js";

export interface SiteData {
  readonly tracker: Tracker;
  readonly index: TrackerIndex;
  readonly history?: TrackerHistory;
  readonly today: string;
  /** Base URL of the site, ending in "/". */
  readonly base: string;
  /** "https://github.com/owner/repo" when known (for Edit on GitHub). */
  readonly repositoryUrl?: string;
  /** The tracker's folder inside the repository ("tracker"), for links to files. */
  readonly repositoryPath: string;
  readonly branch: string;
  body(task: Task): RenderedMarkdown;
  /** Commits that changed a task (or logged time on it), oldest first; grouped once. */
  commitsOf(taskId: string): readonly HistoryCommit[];
  /** A task's status changes, from the commits that changed it. */
  timeline(taskId: string): readonly StatusEvent[];
  /** Open work, capacity and logged time per person (computed once for every page). */
  workload(): readonly PersonLoad[];
  /** GitHub's web editor with a new task file for a project, prefilled from the template. */
  newTaskUrl(projectKey: string): string | undefined;
}

let loading: Promise<SiteData> | undefined;

/** The site's data; the first call loads it, later ones share it. */
export function siteData(): Promise<SiteData> {
  loading ??= load();
  return loading;
}

async function load(): Promise<SiteData> {
  const root = process.env.TRACKDOWN_SITE_TRACKER;
  if (root === undefined || root === "") {
    throw new Error(
      "TRACKDOWN_SITE_TRACKER is not set: build the site with `trackdown site build`.",
    );
  }
  // `trackdown site build` reads the tracker and renders bodies on a worker while Astro
  // bundles: the loads below then come from warm caches
  const prepared = preparedSite();
  await prepared?.ready;
  const at = process.env.TRACKDOWN_SITE_AT;
  const tracker =
    at !== undefined && at !== "" ? await loadTrackerAt(root, at) : await loadTracker(root);
  const fixed = process.env.TRACKDOWN_TODAY;
  const today =
    fixed !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(fixed)
      ? fixed
      : todayIn(tracker.settings.timezone);
  let history: TrackerHistory | undefined;
  try {
    history = await loadTrackerHistory(root, at !== undefined && at !== "" ? { head: at } : {});
  } catch {
    history = undefined; // not in a git repository: no timelines or activity
  }
  const updated = new Map<string, string>();
  if (history !== undefined) {
    for (const commit of history.commits) {
      const day = todayIn(
        tracker.settings.timezone,
        new Date(commit.info.committer.timestamp * 1000),
      );
      for (const change of commit.changes) updated.set(change.file, day);
    }
  }
  const index = indexTracker(tracker, { today, updated });
  const base = withSlash(import.meta.env.BASE_URL ?? "/");
  const bodies = new Map<string, RenderedMarkdown>();
  let loads: readonly PersonLoad[] | undefined;
  // each task page looks up its own commits: grouped in one pass, not a scan per page
  let byTask: Map<string, HistoryCommit[]> | undefined;
  const commitsOf = (taskId: string): readonly HistoryCommit[] => {
    if (history === undefined) return [];
    if (byTask === undefined) {
      byTask = new Map();
      for (const commit of history.commits) {
        const ids = new Set<string>();
        for (const change of commit.changes) {
          ids.add(change.id);
          if (change.task !== undefined) ids.add(change.task);
        }
        for (const id of ids) {
          const list = byTask.get(id);
          if (list === undefined) byTask.set(id, [commit]);
          else list.push(commit);
        }
      }
    }
    return byTask.get(taskId) ?? [];
  };
  return {
    tracker,
    index,
    ...(history !== undefined ? { history } : {}),
    today,
    base,
    ...(process.env.TRACKDOWN_SITE_REPOSITORY
      ? { repositoryUrl: process.env.TRACKDOWN_SITE_REPOSITORY }
      : {}),
    repositoryPath: process.env.TRACKDOWN_SITE_REPOSITORY_PATH ?? "",
    branch: process.env.TRACKDOWN_SITE_BRANCH ?? "main",
    commitsOf,
    timeline(taskId) {
      if (history === undefined) return [];
      return statusTimeline({ ...history, commits: commitsOf(taskId) }, taskId);
    },
    workload() {
      loads ??= workload(tracker, index);
      return loads;
    },
    newTaskUrl(projectKey) {
      const repository = process.env.TRACKDOWN_SITE_REPOSITORY;
      const project = tracker.project(projectKey);
      if (repository === undefined || repository === "" || project === undefined) return undefined;
      const seen = [...tracker.tasks, ...tracker.archivedTasks].flatMap((t) => [
        t.id,
        ...t.dependsOn,
        ...(t.parent ? [t.parent] : []),
      ]);
      for (const commit of history?.commits ?? [])
        for (const c of commit.changes) if (c.kind.startsWith("task.")) seen.push(c.id);
      const id = nextTaskId(project.key, seen);
      let template = `---\nstatus: ${tracker.settings.initialStatus}\n---\n`;
      try {
        template = readFileSync(join(root, "templates", "task.md"), "utf8");
      } catch {
        // no template: the initial status only
      }
      const text = template.replace(/^---\n/, `---\nid: ${id}\ntitle: \ncreated: ${today}\n`);
      const folder = [
        process.env.TRACKDOWN_SITE_REPOSITORY_PATH ?? "",
        "projects",
        project.folder,
        "tasks",
      ]
        .filter((p) => p !== "")
        .join("/");
      const branch = process.env.TRACKDOWN_SITE_BRANCH ?? "main";
      return `${repository}/new/${encodeURIComponent(branch)}/${folder}?filename=${encodeURIComponent(`${id}.md`)}&value=${encodeURIComponent(text)}`;
    },
    body(task) {
      let rendered = bodies.get(task.id);
      if (rendered === undefined) {
        rendered =
          (prepared?.base === base ? prepared.body(task.id, task.body) : undefined) ??
          renderTaskBody(tracker, task, base);
        bodies.set(task.id, rendered);
      }
      return rendered;
    },
  };
}

function withSlash(base: string): string {
  return base.endsWith("/") ? base : `${base}/`;
}
