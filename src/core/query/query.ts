import { didYouMean } from "../did-you-mean.js";
import { indexTracker, type TrackerIndex } from "../index/tracker-index.js";
import type { Task, Tracker } from "../model.js";
import { searchIndexFor } from "../search/search-index.js";
import { FILTER_FIELDS, type Filter } from "./fields.js";
import {
  type FieldTerm,
  parseQuery,
  problemAt,
  type QueryProblem,
  type TextTerm,
} from "./parse.js";

/** Options of {@link query}. */
export interface QueryOptions {
  /** Today as YYYY-MM-DD in the tracker's time zone (for overdue, due:this-week…); the real today by default. */
  readonly today?: string;
  /** The person id `assignee:@me` stands for. */
  readonly me?: string;
  /** Why `me` is unknown, shown when a query uses `@me` without it. */
  readonly meProblem?: string;
  /** Day of the last commit per tracker file, from git history; without it `updated:` matches nothing. */
  readonly updated?: ReadonlyMap<string, string>;
}

/** Keys a result can be sorted by (`sort:-priority,due`). */
export const SORT_KEYS = [
  "id",
  "title",
  "status",
  "priority",
  "due",
  "start",
  "created",
  "updated",
  "estimate",
  "logged",
  "progress",
  "assignee",
  "milestone",
  "project",
] as const;
/** A key of `sort:`. */
export type SortKey = (typeof SORT_KEYS)[number];

/** What a result can be grouped by (`group:assignee`). */
export const GROUP_KEYS = [
  "assignee",
  "status",
  "milestone",
  "priority",
  "project",
  "label",
] as const;
/** A key of `group:`. */
export type GroupKey = (typeof GROUP_KEYS)[number];

/** A group of a grouped result, in a meaningful order (workflow order, priority order…). */
export interface QueryGroup {
  /** The id grouped on (a person id, a status id…); "" for tasks without one. */
  readonly key: string;
  /** For people: the name; "" key: "(none)". */
  readonly label: string;
  readonly tasks: readonly Task[];
}

/** The answer to a query. */
export interface QueryResult {
  /** The query as given. */
  readonly query: string;
  /** False when the query has errors; then `tasks` is empty. */
  readonly ok: boolean;
  readonly problems: readonly QueryProblem[];
  /** Matching tasks in order (by `sort:`, else relevance for words, else id). */
  readonly tasks: readonly Task[];
  /** With `group:`, the same tasks grouped (a task with two assignees is in both groups). */
  readonly groups?: readonly QueryGroup[];
  readonly groupBy?: GroupKey;
  readonly sortBy: readonly { readonly key: SortKey; readonly descending: boolean }[];
  /** For word searches: which fields matched, by task id. */
  readonly matchedFields?: ReadonlyMap<string, readonly string[]>;
}

const ALL_FIELDS = [...Object.keys(FILTER_FIELDS), "sort", "group"];

/**
 * Runs a query in Trackdown's query language (docs/query.md) over a tracker's tasks.
 * Never throws: a malformed query gives `ok: false` and problems with columns.
 *
 * @example
 * query(tracker, "assignee:ana is:open sort:-priority,due")
 * query(tracker, 'label:bug,security -status:done "login page"')
 */
export function query(tracker: Tracker, text: string, options: QueryOptions = {}): QueryResult {
  const parsed = parseQuery(text);
  const problems: QueryProblem[] = [...parsed.problems];
  const index = indexTracker(tracker, {
    ...(options.today !== undefined ? { today: options.today } : {}),
    ...(options.updated !== undefined ? { updated: options.updated } : {}),
  });
  const ctx = {
    tracker,
    index,
    ...(options.me !== undefined ? { me: options.me } : {}),
    ...(options.meProblem !== undefined ? { meProblem: options.meProblem } : {}),
  };
  const filters: { filter: Filter; negated: boolean }[] = [];
  const words: TextTerm[] = [];
  let sortBy: { key: SortKey; descending: boolean }[] = [];
  let groupBy: GroupKey | undefined;
  let includesArchived = false;
  for (const term of parsed.terms) {
    if (term.kind === "text") {
      words.push(term);
      continue;
    }
    if (term.field === "sort") {
      sortBy = parseSort(term, problems);
      continue;
    }
    if (term.field === "group") {
      groupBy = parseGroup(term, problems);
      continue;
    }
    const compile = FILTER_FIELDS[term.field];
    if (compile === undefined) {
      const guess = didYouMean(term.field, ALL_FIELDS);
      problems.push(
        problemAt(
          term.start + (term.negated ? 1 : 0),
          term.fieldEnd,
          `Unknown field "${term.field}:".`,
          {
            expected: `one of ${ALL_FIELDS.map((f) => `${f}:`).join(" ")}`,
            hint:
              guess !== undefined
                ? `Did you mean "${guess}:"?`
                : 'To search for text with a colon, put it in quotes: "fix: login".',
          },
        ),
      );
      continue;
    }
    if (term.field === "is" && term.values.some((v) => v.text.toLowerCase() === "archived"))
      includesArchived = !term.negated;
    // a task named by id is found even when archived
    if (term.field === "id" && !term.negated) includesArchived = true;
    const filter = compile(term, ctx, problems);
    if (filter !== undefined) filters.push({ filter, negated: term.negated });
  }
  const errors = problems.some((p) => p.severity === "error");
  const base = { query: text, problems, sortBy } as const;
  if (errors) return { ...base, ok: false, tasks: [] };

  // start from the smallest candidate list a positive filter offers
  let pool: readonly Task[] = includesArchived
    ? [...tracker.tasks, ...tracker.archivedTasks]
    : tracker.tasks;
  // (index lists hold active tasks only, so they cannot narrow a search that includes archived ones)
  for (const { filter, negated } of filters) {
    if (
      !includesArchived &&
      !negated &&
      filter.candidates !== undefined &&
      filter.candidates.length < pool.length
    )
      pool = filter.candidates;
  }
  // a plain loop: this runs for every task on every query, so no closures per task
  const tests = filters.map((f) => f.filter.test);
  const negated = filters.map((f) => f.negated);
  let tasks: Task[] = [];
  scan: for (const t of pool) {
    if (!includesArchived && t.archived) continue;
    for (let i = 0; i < tests.length; i++) if (tests[i]!(t) === negated[i]) continue scan;
    tasks.push(t);
  }
  if (pool !== tracker.tasks) tasks = inTrackerOrder(tasks, tracker);

  let matchedFields: Map<string, readonly string[]> | undefined;
  let relevance: Map<Task, number> | undefined;
  if (words.length > 0) {
    const wanted = words.filter((w) => !w.negated);
    const unwanted = words.filter((w) => w.negated);
    const plain = wanted.filter((w) => !w.phrase).map((w) => w.text);
    if (plain.length > 0) {
      const hits = searchIndexFor(tracker).search(plain.join(" "), {
        limit: Number.MAX_SAFE_INTEGER,
      });
      relevance = new Map(hits.map((h) => [h.task, h.score]));
      matchedFields = new Map(hits.map((h) => [h.task.id, h.fields]));
      tasks = tasks.filter((t) => relevance!.has(t));
    }
    for (const w of wanted.filter((w) => w.phrase))
      tasks = tasks.filter((t) => containsPhrase(t, w.text));
    for (const w of unwanted) {
      const hit = w.phrase
        ? (t: Task) => containsPhrase(t, w.text)
        : (
            (ids) => (t: Task) =>
              ids.has(t)
          )(
            new Set(
              searchIndexFor(tracker)
                .search(w.text, { limit: Number.MAX_SAFE_INTEGER, fuzzy: false })
                .map((h) => h.task),
            ),
          );
      tasks = tasks.filter((t) => !hit(t));
    }
  }

  if (sortBy.length > 0) tasks = sortTasks(tasks, sortBy, tracker, index);
  else if (relevance !== undefined)
    tasks = [...tasks].sort((a, b) => relevance!.get(b)! - relevance!.get(a)!);

  return {
    ...base,
    ok: true,
    tasks,
    ...(groupBy !== undefined ? { groupBy, groups: groupTasks(tasks, groupBy, tracker) } : {}),
    ...(matchedFields !== undefined ? { matchedFields } : {}),
  };
}

const positions = new WeakMap<Tracker, Map<Task, number>>();

/** Tasks back in the tracker's order (by id), after they came from an index in another order. */
function inTrackerOrder(tasks: Task[], tracker: Tracker): Task[] {
  const o = positionsOf(tracker);
  return tasks.sort((a, b) => (o.get(a) ?? 0) - (o.get(b) ?? 0));
}

/** Each task's place in the tracker's order, computed once per snapshot. */
function positionsOf(tracker: Tracker): Map<Task, number> {
  let order = positions.get(tracker);
  if (order === undefined) {
    order = new Map([...tracker.tasks, ...tracker.archivedTasks].map((t, i) => [t, i]));
    positions.set(tracker, order);
  }
  return order;
}

const phrasePatterns = new Map<string, RegExp>();

/**
 * Whether a task's title, description or labels hold a phrase as whole words, ignoring case
 * and how words are spaced. The phrase is escaped: nothing in it acts as a pattern.
 */
function containsPhrase(task: Task, phrase: string): boolean {
  let pattern = phrasePatterns.get(phrase);
  if (pattern === undefined) {
    const words = phrase
      .trim()
      .split(/\s+/)
      .map((w) => w.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"));
    const edge = (ch: string | undefined, side: "start" | "end") =>
      ch !== undefined && /[\p{L}\p{N}]/u.test(ch)
        ? side === "start"
          ? "(?<![\\p{L}\\p{N}])"
          : "(?![\\p{L}\\p{N}])"
        : "";
    const trimmed = phrase.trim();
    pattern = new RegExp(
      `${edge(trimmed[0], "start")}${words.join("\\s+")}${edge(trimmed[trimmed.length - 1], "end")}`,
      "iu",
    );
    phrasePatterns.set(phrase, pattern);
  }
  const p = pattern;
  return p.test(task.title) || p.test(task.body) || p.test(task.labels.join(" "));
}

function parseSort(
  term: FieldTerm,
  problems: QueryProblem[],
): { key: SortKey; descending: boolean }[] {
  const out: { key: SortKey; descending: boolean }[] = [];
  for (const v of term.values) {
    const descending = v.text.startsWith("-");
    const key = (descending ? v.text.slice(1) : v.text).toLowerCase();
    if ((SORT_KEYS as readonly string[]).includes(key))
      out.push({ key: key as SortKey, descending });
    else {
      const guess = didYouMean(key, SORT_KEYS);
      problems.push(
        problemAt(v.start, v.end, `Cannot sort by "${key}".`, {
          expected: `one of ${SORT_KEYS.join(", ")} (a leading - sorts descending)`,
          ...(guess !== undefined ? { hint: `Did you mean "${guess}"?` } : {}),
        }),
      );
    }
  }
  return out;
}

function parseGroup(term: FieldTerm, problems: QueryProblem[]): GroupKey | undefined {
  const v = term.values[0]!;
  const key = v.text.toLowerCase();
  if (term.values.length > 1)
    problems.push(
      problemAt(term.values[1]!.start, term.end, "Results can be grouped by one thing only."),
    );
  if ((GROUP_KEYS as readonly string[]).includes(key)) return key as GroupKey;
  const guess = didYouMean(key, GROUP_KEYS);
  problems.push(
    problemAt(v.start, v.end, `Cannot group by "${key}".`, {
      expected: `one of ${GROUP_KEYS.join(", ")}`,
      ...(guess !== undefined ? { hint: `Did you mean "${guess}"?` } : {}),
    }),
  );
  return undefined;
}

/** Sort values: numbers or strings, with "missing" always last whatever the direction. */
function sortValue(
  task: Task,
  key: SortKey,
  tracker: Tracker,
  index: TrackerIndex,
): string | number | undefined {
  switch (key) {
    case "id":
      return undefined; // handled by the final tie-break (task order is id order)
    case "title":
      return task.title.toLowerCase();
    case "status":
      return tracker.settings.statuses.findIndex((s) => s.id === task.status);
    case "priority": {
      const i =
        task.priority === undefined ? -1 : tracker.settings.priorities.indexOf(task.priority);
      return i === -1 ? undefined : tracker.settings.priorities.length - i;
    }
    case "due":
    case "start":
    case "created":
      return task[key];
    case "updated":
      return index.facts(task).updated;
    case "estimate":
      return task.estimate;
    case "logged":
      return index.facts(task).loggedMinutes;
    case "progress":
      return index.facts(task).progress;
    case "assignee":
      return task.assignees[0];
    case "milestone":
      return task.milestone;
    case "project":
      return tracker.project(task.project)?.key ?? task.project;
  }
}

function sortTasks(
  tasks: readonly Task[],
  keys: readonly { key: SortKey; descending: boolean }[],
  tracker: Tracker,
  index: TrackerIndex,
): Task[] {
  const order = positionsOf(tracker);
  const decorated = tasks.map((task) => ({
    task,
    values: keys.map((k) => sortValue(task, k.key, tracker, index)),
  }));
  decorated.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const { key, descending } = keys[i]!;
      if (key === "id") {
        const d = (order.get(a.task) ?? 0) - (order.get(b.task) ?? 0);
        if (d !== 0) return descending ? -d : d;
        continue;
      }
      const x = a.values[i];
      const y = b.values[i];
      if (x === y) continue;
      if (x === undefined) return 1;
      if (y === undefined) return -1;
      const d = x < y ? -1 : 1;
      return descending ? -d : d;
    }
    return (order.get(a.task) ?? 0) - (order.get(b.task) ?? 0);
  });
  return decorated.map((d) => d.task);
}

function groupTasks(tasks: readonly Task[], by: GroupKey, tracker: Tracker): QueryGroup[] {
  const groups = new Map<string, Task[]>();
  const add = (key: string, task: Task) => {
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [task]);
    else list.push(task);
  };
  for (const t of tasks) {
    const keys =
      by === "assignee"
        ? t.assignees
        : by === "label"
          ? t.labels
          : by === "status"
            ? [t.status]
            : by === "milestone"
              ? [t.milestone ?? ""]
              : by === "priority"
                ? [t.priority ?? ""]
                : [tracker.project(t.project)?.key ?? t.project];
    if (keys.length === 0) add("", t);
    for (const k of keys) add(k, t);
  }
  const order: string[] =
    by === "status"
      ? tracker.settings.statuses.map((s) => s.id)
      : by === "priority"
        ? [...tracker.settings.priorities]
        : by === "milestone"
          ? tracker.milestones.map((m) => m.id)
          : by === "assignee"
            ? tracker.people.map((p) => p.id)
            : by === "project"
              ? tracker.projects.map((p) => p.key)
              : [...groups.keys()].sort();
  const rank = new Map(order.map((k, i) => [k, i]));
  const labelOf = (key: string): string => {
    if (key === "") return "(none)";
    if (by === "assignee") return tracker.person(key)?.name ?? key;
    if (by === "status") return tracker.settings.statuses.find((s) => s.id === key)?.name ?? key;
    if (by === "milestone") return tracker.milestone(key)?.title ?? key;
    if (by === "project") return tracker.project(key)?.name ?? key;
    return key;
  };
  return [...groups.entries()]
    .sort(([a], [b]) =>
      a === ""
        ? 1
        : b === ""
          ? -1
          : (rank.get(a) ?? 1e9) - (rank.get(b) ?? 1e9) || (a < b ? -1 : 1),
    )
    .map(([key, list]) => ({ key, label: labelOf(key), tasks: list }));
}
