import MiniSearch from "minisearch";
import type { Task, Tracker } from "../model.js";

/** The fields full-text search looks in. */
export type SearchField = "id" | "title" | "labels" | "body";

/** One search result: the task, its score and where the words were found. */
export interface SearchHit {
  readonly task: Task;
  readonly score: number;
  /** Fields that matched, most important first. */
  readonly fields: readonly SearchField[];
  /** Words of the tasks that matched (after prefix and fuzzy matching). */
  readonly terms: readonly string[];
}

/** Options of {@link SearchIndex.search}. */
export interface SearchOptions {
  /** Most hits returned (default 50). */
  readonly limit?: number;
  /** Require every word (default) or any word. */
  readonly combine?: "and" | "or";
  /** Match words one or two typos away (default true; from 5 letters). */
  readonly fuzzy?: boolean;
}

/** A full-text index of a tracker's tasks. */
export interface SearchIndex {
  /** Tasks matching the words of `text`, best first. */
  search(text: string, options?: SearchOptions): SearchHit[];
  /** The index as JSON, for {@link loadSearchIndex} (e.g. in a browser). */
  toJSON(): string;
  readonly documentCount: number;
}

const FIELDS: readonly SearchField[] = ["id", "title", "labels", "body"];
const FIELD_ORDER = new Map(FIELDS.map((f, i) => [f, i]));
const BOOST: Record<SearchField, number> = { id: 4, title: 3, labels: 2, body: 1 };

function options() {
  return {
    idField: "key",
    fields: [...FIELDS],
    extractField: (doc: Record<string, unknown>, field: string) => {
      const value = doc[field];
      return Array.isArray(value) ? value.join(" ") : String(value ?? "");
    },
    searchOptions: {
      boost: BOOST,
      prefix: (term: string) => term.length >= 2,
      fuzzy: (term: string) => (term.length >= 5 ? 0.2 : false),
      // a word as written ranks above one matched by its beginning, and that above a typo
      weights: { fuzzy: 0.1, prefix: 0.375 },
    },
  };
}

/**
 * Full-text search with minisearch over ids, titles, labels and bodies, with prefix and
 * fuzzy matching. An exact task id ranks first, then an exact title, then minisearch's
 * score (BM25 with field boosts: id, title, labels, body).
 */
function makeIndex(mini: MiniSearch, byId: ReadonlyMap<string, Task>): SearchIndex {
  let byTitle: Map<string, Set<Task>> | undefined;
  const titles = () => {
    if (byTitle === undefined) {
      byTitle = new Map();
      for (const task of byId.values()) {
        const key = task.title.toLowerCase();
        const set = byTitle.get(key);
        if (set === undefined) byTitle.set(key, new Set([task]));
        else set.add(task);
      }
    }
    return byTitle;
  };
  return {
    documentCount: mini.documentCount,
    toJSON: () => JSON.stringify(mini),
    search(text, opts = {}) {
      const limit = opts.limit ?? 50;
      const wanted = text.trim();
      if (wanted === "") return [];
      const exactId = byId.get(wanted.toUpperCase());
      const lowered = wanted.toLowerCase();
      const raw = mini.search(wanted, {
        combineWith: opts.combine === "or" ? "OR" : "AND",
        ...(opts.fuzzy === false ? { fuzzy: false } : {}),
      });
      // minisearch returns results best first: only the ones returned are turned into hits.
      // An exact id goes first, then exact titles, then the rest in minisearch's order.
      const toHit = (r: (typeof raw)[number], task: Task, score: number): SearchHit => {
        const fields = new Set<SearchField>();
        for (const list of Object.values(r.match))
          for (const f of list) fields.add(f as SearchField);
        return {
          task,
          score,
          fields: [...fields].sort((a, b) => FIELD_ORDER.get(a)! - FIELD_ORDER.get(b)!),
          terms: r.terms,
        };
      };
      const hits: SearchHit[] = [];
      const taken = new Set<Task>();
      if (exactId !== undefined) {
        const r = raw.find((x) => x.id === exactId.id);
        hits.push(
          r !== undefined
            ? toHit(r, exactId, Number.MAX_SAFE_INTEGER)
            : {
                task: exactId,
                score: Number.MAX_SAFE_INTEGER,
                fields: ["id"],
                terms: [exactId.id.toLowerCase()],
              },
        );
        taken.add(exactId);
      }
      const sameTitle = titles().get(lowered);
      if (sameTitle !== undefined) {
        for (const r of raw) {
          const task = byId.get(String(r.id));
          if (task !== undefined && sameTitle.has(task) && !taken.has(task)) {
            hits.push(toHit(r, task, r.score + 1e6));
            taken.add(task);
          }
        }
      }
      for (const r of raw) {
        if (hits.length >= limit) break;
        const task = byId.get(String(r.id));
        if (task === undefined || taken.has(task)) continue;
        hits.push(toHit(r, task, r.score));
      }
      return hits.slice(0, limit);
    },
  };
}

const built = new WeakMap<Tracker, SearchIndex>();

/** Every task by id, archived ones included. */
function tasksById(tracker: Tracker): Map<string, Task> {
  const byId = new Map<string, Task>();
  for (const t of tracker.archivedTasks) byId.set(t.id, t);
  for (const t of tracker.tasks) byId.set(t.id, t);
  return byId;
}

/**
 * The full-text index of a tracker's tasks (active and archived), built on first use and
 * kept for the life of the snapshot.
 */
export function searchIndexFor(tracker: Tracker): SearchIndex {
  let index = built.get(tracker);
  if (index === undefined) {
    const mini = new MiniSearch(options());
    const byId = tasksById(tracker);
    mini.addAll(
      [...byId.values()].map((t) => ({
        key: t.id,
        id: t.id,
        title: t.title,
        labels: t.labels,
        body: t.body,
      })),
    );
    index = makeIndex(mini, byId);
    built.set(tracker, index);
  }
  return index;
}

/** An index serialised with `toJSON()`, loaded again over the same tracker (e.g. on the site). */
export function loadSearchIndex(json: string, tracker: Tracker): SearchIndex {
  return makeIndex(MiniSearch.loadJSON(json, options()), tasksById(tracker));
}

/** Searches a tracker's tasks for words (see {@link searchIndexFor}). */
export function search(tracker: Tracker, text: string, options?: SearchOptions): SearchHit[] {
  return searchIndexFor(tracker).search(text, options);
}
