import { addDays, isDate, startOfMonth, startOfNextMonth, startOfWeek } from "../dates.js";
import { didYouMean } from "../did-you-mean.js";
import type { TrackerIndex } from "../index/tracker-index.js";
import type { Task, Tracker } from "../model.js";
import {
  type Comparison,
  type FieldTerm,
  problemAt,
  type QueryProblem,
  type QueryValue,
} from "./parse.js";

/** What a field term compiles to: a test on tasks, and optionally the candidates it allows. */
export interface Filter {
  readonly test: (task: Task) => boolean;
  /** Tasks the filter can only be true for (from an index), to start from fewer. */
  readonly candidates?: readonly Task[];
}

/** What the fields need to know besides the term. */
export interface FieldContext {
  readonly tracker: Tracker;
  readonly index: TrackerIndex;
  /** Person id for `@me`, if known. */
  readonly me?: string;
  /** Why `@me` is not known, when it is not. */
  readonly meProblem?: string;
}

type Compile = (term: FieldTerm, ctx: FieldContext, problems: QueryProblem[]) => Filter | undefined;

const list = (values: readonly string[]) =>
  values.slice(0, 15).join(", ") + (values.length > 15 ? ", …" : "");

function unknown(
  value: QueryValue,
  what: string,
  known: readonly string[],
  problems: QueryProblem[],
): void {
  const guess = didYouMean(value.text, known);
  problems.push(
    problemAt(value.start, value.end, `Unknown ${what} "${value.text}".`, {
      expected: `one of ${list(known)}`,
      ...(guess !== undefined ? { hint: `Did you mean "${guess}"?` } : {}),
    }),
  );
}

function noComparison(term: FieldTerm, problems: QueryProblem[]): boolean {
  if (term.comparison === undefined || term.comparison === "=") return true;
  problems.push(
    problemAt(
      term.fieldEnd + 1,
      term.fieldEnd + 1 + term.comparison.length,
      `"${term.field}:" does not take ${term.comparison}.`,
      {
        expected: `${term.field}:value`,
      },
    ),
  );
  return false;
}

/** A filter that keeps tasks whose value (one of several) is among the wanted ones. */
function anyOf(
  term: FieldTerm,
  problems: QueryProblem[],
  resolve: (value: QueryValue) => string | undefined,
  valuesOf: (task: Task) => readonly string[],
  index?: ReadonlyMap<string, readonly Task[]>,
): Filter | undefined {
  if (!noComparison(term, problems)) return undefined;
  const wanted = new Set<string>();
  let none = false;
  for (const v of term.values) {
    if (v.text.toLowerCase() === "none") {
      none = true;
      continue;
    }
    const id = resolve(v);
    if (id !== undefined) wanted.add(id);
  }
  if (
    problems.some(
      (p) => p.severity === "error" && p.column > term.start && p.column <= term.end + 1,
    )
  )
    return undefined;
  const test = (task: Task) => {
    const values = valuesOf(task);
    if (none && values.length === 0) return true;
    for (const value of values) if (wanted.has(value)) return true;
    return false;
  };
  if (index !== undefined && !none) {
    const candidates = [...wanted].flatMap((w) => index.get(w) ?? []);
    return { test, candidates: wanted.size === 1 ? candidates : [...new Set(candidates)] };
  }
  return { test };
}

const ciMatch = (text: string, options: Iterable<[string, string]>): string | undefined => {
  const lower = text.toLowerCase();
  for (const [key, id] of options) if (key.toLowerCase() === lower) return id;
  return undefined;
};

/**
 * A name written in a query, matched without regard to case against known ids (or
 * `aliases`: written form → id); an unknown one is a problem with a "did you mean".
 */
function resolveName(
  v: QueryValue,
  what: string,
  known: readonly string[],
  problems: QueryProblem[],
  aliases: Iterable<[string, string]> = known.map((k): [string, string] => [k, k]),
): string | undefined {
  const id = ciMatch(v.text, aliases);
  if (id === undefined) unknown(v, what, known, problems);
  return id;
}

/** A comparison (`>`, `<=`…) takes one value; false, with a problem, when it has more. */
function singleValue(term: FieldTerm, problems: QueryProblem[], example: string): boolean {
  if (term.comparison === undefined || term.comparison === "=" || term.values.length === 1)
    return true;
  problems.push(
    problemAt(term.start, term.end, "A comparison takes a single value.", { expected: example }),
  );
  return false;
}

const status: Compile = (term, ctx, problems) => {
  const statuses = ctx.tracker.settings.statuses;
  const names: [string, string][] = statuses.flatMap((s) => [
    [s.id, s.id],
    [s.name, s.id],
  ]);
  return anyOf(
    term,
    problems,
    (v) =>
      resolveName(
        v,
        "status",
        statuses.map((s) => s.id),
        problems,
        names,
      ),
    (t) => [t.status],
    ctx.index.byStatus,
  );
};

const IS_VALUES = [
  "open",
  "closed",
  "blocked",
  "overdue",
  "unassigned",
  "assigned",
  "archived",
] as const;

const is: Compile = (term, ctx, problems) => {
  if (!noComparison(term, problems)) return undefined;
  const tests: ((t: Task) => boolean)[] = [];
  for (const v of term.values) {
    const value = v.text.toLowerCase();
    const f = ctx.index.facts;
    switch (value) {
      case "open":
        tests.push((t) => f(t).open);
        break;
      case "closed":
      case "done":
        tests.push((t) => !f(t).open);
        break;
      case "blocked":
        tests.push((t) => f(t).blocked);
        break;
      case "overdue":
        tests.push((t) => f(t).overdue);
        break;
      case "unassigned":
        tests.push((t) => t.assignees.length === 0);
        break;
      case "assigned":
        tests.push((t) => t.assignees.length > 0);
        break;
      case "archived":
        tests.push((t) => t.archived);
        break;
      default:
        unknown(v, "state for is:", [...IS_VALUES], problems);
    }
  }
  if (tests.length !== term.values.length) return undefined;
  return { test: anyTest(tests) };
};

const assignee: Compile = (term, ctx, problems) => {
  const people = ctx.tracker.people.map((p) => p.id);
  return anyOf(
    term,
    problems,
    (v) => {
      const text = v.text.replace(/^@(?!me$)/i, "");
      if (text.toLowerCase() === "@me") {
        if (ctx.me === undefined) {
          problems.push(
            problemAt(v.start, v.end, "Trackdown cannot tell who @me is.", {
              hint: ctx.meProblem ?? "Pass `me` (a person id) in the query options.",
            }),
          );
        }
        return ctx.me;
      }
      const person =
        ctx.tracker.person(text) ??
        ctx.tracker.person(text.toLowerCase()) ??
        ctx.tracker.people.find((p) => p.github?.toLowerCase() === text.toLowerCase());
      if (person === undefined) unknown(v, "person", people, problems);
      return person?.id;
    },
    (t) => t.assignees,
    ctx.index.byAssignee,
  );
};

const team: Compile = (term, ctx, problems) => {
  if (!noComparison(term, problems)) return undefined;
  const teams = ctx.tracker.teams.map((t) => t.id);
  const members = new Set<Task>();
  for (const v of term.values) {
    const id = resolveName(v, "team", teams, problems);
    if (id !== undefined) for (const t of ctx.index.byTeam.get(id) ?? []) members.add(t);
  }
  return { test: (t) => members.has(t), candidates: [...members] };
};

const project: Compile = (term, ctx, problems) => {
  const projects = ctx.tracker.projects;
  const names: [string, string][] = projects.flatMap((p) => [
    [p.key, p.key],
    [p.folder, p.key],
  ]);
  const keyOf = new Map(projects.map((p) => [p.folder, p.key]));
  return anyOf(
    term,
    problems,
    (v) =>
      resolveName(
        v,
        "project",
        projects.map((p) => p.key),
        problems,
        names,
      ),
    (t) => [keyOf.get(t.project) ?? t.project.toUpperCase()],
    ctx.index.byProject,
  );
};

const milestone: Compile = (term, ctx, problems) => {
  const ids = ctx.tracker.milestones.map((m) => m.id);
  return anyOf(
    term,
    problems,
    (v) => resolveName(v, "milestone", ids, problems),
    (t) => (t.milestone === undefined ? [] : [t.milestone]),
    ctx.index.byMilestone,
  );
};

const label: Compile = (term, ctx, problems) => {
  const catalogue = ctx.tracker.settings.labels;
  const known = catalogue !== undefined ? Object.keys(catalogue) : [...ctx.index.byLabel.keys()];
  return anyOf(
    term,
    problems,
    (v) => {
      const id = ciMatch(
        v.text,
        known.map((l) => [l, l]),
      );
      if (id === undefined && catalogue !== undefined) unknown(v, "label", known, problems);
      return id ?? v.text;
    },
    (t) => t.labels,
    ctx.index.byLabel,
  );
};

/** Resolves task ids in a term's values; unknown ids are problems with a "did you mean". */
function taskIds(
  term: FieldTerm,
  ctx: FieldContext,
  problems: QueryProblem[],
): Set<string> | undefined {
  if (!noComparison(term, problems)) return undefined;
  const ids = new Set<string>();
  let ok = true;
  for (const v of term.values) {
    const id = v.text.toUpperCase();
    if (ctx.index.byId.has(id)) {
      ids.add(id);
      continue;
    }
    ok = false;
    const guess = didYouMean(id, ctx.index.byId.keys());
    problems.push(
      problemAt(v.start, v.end, `There is no task "${v.text}".`, {
        expected: "a task id such as WEB-12",
        ...(guess !== undefined ? { hint: `Did you mean "${guess}"?` } : {}),
      }),
    );
  }
  return ok ? ids : undefined;
}

/** `parent:X` (sub-tasks of X), `id:X`, `blocked-by:X` (tasks waiting on X), `blocks:X` (what X waits on). */
const taskRelation =
  (test: (t: Task, ids: Set<string>, ctx: FieldContext) => boolean): Compile =>
  (term, ctx, problems) => {
    const ids = taskIds(term, ctx, problems);
    return ids === undefined ? undefined : { test: (t) => test(t, ids, ctx) };
  };

/** One test that passes when any of several does (the common single test is used as it is). */
function anyTest(tests: readonly ((t: Task) => boolean)[]): (t: Task) => boolean {
  if (tests.length === 1) return tests[0]!;
  return (t) => {
    for (const test of tests) if (test(t)) return true;
    return false;
  };
}

/** Compares ordered values; `undefined` (no value) never matches a comparison. */
function compare<T extends string | number>(
  value: T | undefined,
  comparison: Comparison,
  bound: T,
  upper?: T,
): boolean {
  if (value === undefined) return false;
  switch (comparison) {
    case ">":
      return value > (upper ?? bound);
    case ">=":
      return value >= bound;
    case "<":
      return value < bound;
    case "<=":
      return value <= (upper ?? bound);
    default:
      return upper === undefined ? value === bound : value >= bound && value <= upper;
  }
}

const priority: Compile = (term, ctx, problems) => {
  const priorities = ctx.tracker.settings.priorities;
  // higher importance, higher rank: the first priority listed is the most important
  const rank = new Map(priorities.map((p, i) => [p, priorities.length - i]));
  if (term.comparison !== undefined && term.comparison !== "=") {
    if (!singleValue(term, problems, `${term.field}:${term.comparison}high`)) return undefined;
    const v = term.values[0]!;
    const bound = rank.get(v.text.toLowerCase());
    if (bound === undefined) {
      unknown(v, "priority", priorities, problems);
      return undefined;
    }
    return {
      test: (t) =>
        compare(
          t.priority === undefined ? undefined : rank.get(t.priority),
          term.comparison!,
          bound,
        ),
    };
  }
  return anyOf(
    term,
    problems,
    (v) => resolveName(v, "priority", priorities, problems),
    (t) => (t.priority === undefined ? [] : [t.priority]),
    ctx.index.byPriority,
  );
};

/**
 * A date value: YYYY-MM-DD, today/yesterday/tomorrow, this-week/next-week/last-week,
 * this-month/next-month/last-month (ranges), or Nd / Nw: N days or weeks from today, in the
 * past for past-facing fields (created, updated) and in the future for due and start.
 */
function dateRange(text: string, today: string, past: boolean): [string, string] | undefined {
  const t = text.toLowerCase();
  if (isDate(t)) return [t, t];
  const week = startOfWeek(today);
  const month = startOfMonth(today);
  switch (t) {
    case "today":
      return [today, today];
    case "yesterday":
      return [addDays(today, -1), addDays(today, -1)];
    case "tomorrow":
      return [addDays(today, 1), addDays(today, 1)];
    case "this-week":
      return [week, addDays(week, 6)];
    case "next-week":
      return [addDays(week, 7), addDays(week, 13)];
    case "last-week":
      return [addDays(week, -7), addDays(week, -1)];
    case "this-month":
      return [month, addDays(startOfNextMonth(today), -1)];
    case "next-month":
      return [startOfNextMonth(today), addDays(startOfNextMonth(startOfNextMonth(today)), -1)];
    case "last-month": {
      const last = startOfMonth(addDays(month, -1));
      return [last, addDays(month, -1)];
    }
  }
  const relative = /^(\d{1,4})([dw])$/.exec(t);
  if (relative !== null) {
    const days = Number(relative[1]) * (relative[2] === "w" ? 7 : 1);
    const day = addDays(today, past ? -days : days);
    return [day, day];
  }
  return undefined;
}

const DATE_FORMS =
  "a date (2026-12-01), today, tomorrow, yesterday, this-week, next-week, last-week, this-month, next-month, last-month, 7d, 2w or none";

function dateField(
  pick: (t: Task, ctx: FieldContext) => string | undefined,
  past: boolean,
): Compile {
  return (term, ctx, problems) => {
    if (term.field === "updated" && !ctx.index.hasHistory) {
      problems.push(
        problemAt(
          term.start,
          term.end,
          "updated: needs git history, and none is available here, so no task matches it.",
          {
            severity: "warning",
            hint: "Run inside the git repository that holds the tracker.",
          },
        ),
      );
    }
    if (!singleValue(term, problems, `${term.field}:${term.comparison ?? ""}2026-12-01`))
      return undefined;
    const tests: ((t: Task) => boolean)[] = [];
    for (const v of term.values) {
      if (v.text.toLowerCase() === "none") {
        tests.push((t) => pick(t, ctx) === undefined);
        continue;
      }
      const range = dateRange(v.text, ctx.index.today, past);
      if (range === undefined) {
        problems.push(
          problemAt(v.start, v.end, `"${v.text}" is not a date.`, { expected: DATE_FORMS }),
        );
        return undefined;
      }
      const [from, to] = range;
      const comparison = term.comparison ?? "=";
      tests.push((t) => compare(pick(t, ctx), comparison, from, to));
    }
    return { test: anyTest(tests) };
  };
}

const estimate: Compile = (term, _ctx, problems) => {
  if (!singleValue(term, problems, "estimate:>3")) return undefined;
  const tests: ((t: Task) => boolean)[] = [];
  for (const v of term.values) {
    if (v.text.toLowerCase() === "none") {
      tests.push((t) => t.estimate === undefined);
      continue;
    }
    const n = Number(v.text);
    if (v.text.trim() === "" || !Number.isFinite(n)) {
      problems.push(
        problemAt(v.start, v.end, `"${v.text}" is not a number.`, {
          expected: "a number, e.g. estimate:>3",
        }),
      );
      return undefined;
    }
    tests.push((t) => compare(t.estimate, term.comparison ?? "=", n));
  }
  return { test: anyTest(tests) };
};

const HAS_FIELDS: Record<string, (t: Task) => boolean> = {
  assignee: (t) => t.assignees.length > 0,
  assignees: (t) => t.assignees.length > 0,
  label: (t) => t.labels.length > 0,
  depends_on: (t) => t.dependsOn.length > 0,
  created: (t) => t.created !== undefined,
  attachment: (t) => t.attachments.length > 0,
  priority: (t) => t.priority !== undefined,
  estimate: (t) => t.estimate !== undefined,
  labels: (t) => t.labels.length > 0,
  milestone: (t) => t.milestone !== undefined,
  parent: (t) => t.parent !== undefined,
  dependencies: (t) => t.dependsOn.length > 0,
  start: (t) => t.start !== undefined,
  due: (t) => t.due !== undefined,
  attachments: (t) => t.attachments.length > 0,
  checklist: (t) => t.checklist.total > 0,
};

const has: Compile = (term, _ctx, problems) => {
  if (!noComparison(term, problems)) return undefined;
  const tests: ((t: Task) => boolean)[] = [];
  for (const v of term.values) {
    const test = HAS_FIELDS[v.text.toLowerCase()];
    if (test === undefined) unknown(v, "field for has:", Object.keys(HAS_FIELDS), problems);
    else tests.push(test);
  }
  return tests.length === term.values.length ? { test: anyTest(tests) } : undefined;
};

/** Every filtering field of the query language, by name. */
export const FILTER_FIELDS: Readonly<Record<string, Compile>> = {
  status: status,
  is: is,
  assignee: assignee,
  team: team,
  project: project,
  milestone: milestone,
  label: label,
  priority: priority,
  due: dateField((t) => t.due, false),
  start: dateField((t) => t.start, false),
  created: dateField((t) => t.created, true),
  updated: dateField((t, ctx) => ctx.index.facts(t).updated, true),
  estimate: estimate,
  parent: taskRelation((t, ids) => t.parent !== undefined && ids.has(t.parent)),
  id: taskRelation((t, ids) => ids.has(t.id)),
  "blocked-by": taskRelation((t, ids) => t.dependsOn.some((d) => ids.has(d))),
  blocks: taskRelation((t, ids, ctx) =>
    [...ids].some((id) => ctx.index.byId.get(id)?.dependsOn.includes(t.id)),
  ),
  has: has,
};
