import type { DiagnosticCode } from "../diagnostics/codes.js";
import { compareDiagnostics, type Diagnostic, diagnostic } from "../diagnostics/diagnostic.js";
import type { Change } from "../diff/diff.js";
import type { Person, Settings, Tracker } from "../model.js";
import { classifyPath } from "../parse/layout.js";

/**
 * The pull-request rules: what a change may do, judged by the base branch. The base
 * tracker supplies the workflow, the roles and who holds them, so a pull request can never
 * grant itself rights; the head supplies what the change does. Pure: the Action (and any
 * bot) calls it with two snapshots and the typed changes between them.
 */

/** Who made a change, as the base branch knows them. */
export interface Actor {
  /** The GitHub login. */
  readonly login: string;
  /** The person whose `github` is the login (active people only). */
  readonly person?: string;
  /** Roles held directly, through teams, or the default role for people not in people/. */
  readonly roles: readonly string[];
  /** Every permission those roles give. */
  readonly permissions: ReadonlySet<string>;
}

/** What {@link reviewChanges} needs. */
export interface ReviewInput {
  /** The base branch's tracker: its rules, roles, people and teams decide. */
  readonly base: Tracker;
  /** The head, read with the base's settings (see `withSettingsOf` in the Action). */
  readonly head: Tracker;
  /** What the pull request changes (typed changes, located in the head). */
  readonly changes: readonly Change[];
  /** Tracker-relative paths of every file the pull request touches, records or not. */
  readonly touched: readonly string[];
  /** The pull request author's GitHub login. */
  readonly author: string;
  /**
   * Task ids the pull request creates that the base branch already has (found by the
   * caller comparing with the base branch's tip), with the base's file for each.
   */
  readonly takenIds?: ReadonlyMap<string, string>;
}

/** The verdict: rule violations, and the head's diagnostics that concern the change. */
export interface ReviewResult {
  readonly actor: Actor;
  /** TD4xx rule violations, sorted by file and line. */
  readonly violations: readonly Diagnostic[];
  /**
   * The head's diagnostics on the files the pull request touches, and its errors anywhere
   * that the base does not have (a person removed while tasks still name them).
   */
  readonly diagnostics: readonly Diagnostic[];
}

/** The actor a GitHub login stands for in a tracker (case-insensitive, as GitHub logins are). */
export function actorFor(tracker: Tracker, login: string): Actor {
  const wanted = login.toLowerCase();
  const person = tracker.people.find((p) => p.active && p.github?.toLowerCase() === wanted);
  const roles =
    person !== undefined
      ? rolesOf(tracker, person)
      : tracker.settings.defaultRole !== undefined
        ? [tracker.settings.defaultRole]
        : [];
  const permissions = new Set<string>();
  for (const role of roles) {
    for (const permission of tracker.settings.roles[role]?.permissions ?? []) {
      permissions.add(permission);
    }
  }
  return {
    login,
    ...(person !== undefined ? { person: person.id } : {}),
    roles,
    permissions,
  };
}

/** A person's roles: their own and their teams'. */
function rolesOf(tracker: Tracker, person: Person): string[] {
  const roles = new Set(person.roles);
  for (const team of tracker.teams) {
    if (team.members.includes(person.id)) for (const role of team.roles) roles.add(role);
  }
  return [...roles].sort();
}

/** Whether an actor holds a permission (`*` holds all; `task:move` covers every `task:move:<status>`). */
export function may(actor: Actor, permission: string): boolean {
  if (actor.permissions.has("*") || actor.permissions.has(permission)) return true;
  return permission.startsWith("task:move:") && actor.permissions.has("task:move");
}

/** The permission a change needs, given who makes it. */
export function permissionFor(change: Change, actor: Actor): string {
  switch (change.kind) {
    case "task.created":
      return "task:create";
    case "task.deleted":
      return "task:delete";
    case "task.status":
      return `task:move:${String(change.to)}`;
    case "task.assignees":
      return "task:assign";
    case "milestone.created":
    case "milestone.deleted":
    case "milestone.changed":
    case "milestone.dates":
      return "milestone:edit";
    case "project.created":
    case "project.deleted":
    case "project.changed":
      return "project:edit";
    case "person.added":
    case "person.removed":
    case "person.changed":
      return "people:edit";
    case "team.added":
    case "team.removed":
    case "team.changed":
      return "teams:edit";
    case "config.changed":
      return "config:edit";
    case "time.logged":
    case "time.edited":
    case "time.removed":
      return change.person !== undefined && change.person === actor.person
        ? "time:log-own"
        : "time:log-any";
    default:
      return "task:edit";
  }
}

/** Whether the workflow allows a move (`"*"` covers statuses the transitions do not list). */
export function transitionAllowed(settings: Settings, from: string, to: string): boolean {
  if (settings.transitions === undefined || from === to) return true;
  const targets = settings.transitions[from] ?? settings.transitions["*"];
  return targets === undefined || targets.includes(to);
}

/** Judges a pull request's changes by the base branch's rules. */
export function reviewChanges(input: ReviewInput): ReviewResult {
  const { base, head, changes } = input;
  const settings = base.settings;
  const actor = actorFor(base, input.author);
  const violations: Diagnostic[] = [];
  const violation = (
    code: DiagnosticCode,
    at: { file: string; line: number; column: number },
    message: string,
  ): void => {
    const range = { line: at.line, column: at.column, endLine: at.line, endColumn: at.column };
    violations.push(diagnostic({ code, file: at.file, message, range }));
  };
  const who = describeActor(actor);

  // 1. permissions, change by change
  for (const change of changes) {
    const permission = permissionFor(change, actor);
    if (!may(actor, permission)) {
      violation(
        "TD401",
        change,
        `${who} may not ${doing(change, permission)} (needs ${permission}).`,
      );
    }
  }
  // rights granted by the change itself (roles of people, teams and their members) are
  // the admins' to give, whoever may edit people and teams otherwise
  if (!may(actor, "config:edit")) {
    for (const grant of roleGrants(base, head)) {
      violation(
        "TD401",
        grant.at,
        `${who} may not change who holds which role (${grant.what}; needs config:edit).`,
      );
    }
  }
  // files that are not records (templates, schemas) shape everyone's work
  for (const path of input.touched) {
    const role = classifyPath(path).role;
    if (role === "record" || role === "attachment" || path.endsWith("README.md")) continue;
    if (!may(actor, "config:edit")) {
      violation(
        "TD401",
        { file: path, line: 1, column: 1 },
        `${who} may not change ${path}, which is part of the tracker's setup (needs config:edit).`,
      );
    }
  }

  // 2. the workflow: moves the base's transitions allow
  for (const change of changes) {
    if (change.kind !== "task.status") continue;
    const from = String(change.from);
    const to = String(change.to);
    if (!transitionAllowed(settings, from, to)) {
      const targets = settings.transitions?.[from] ?? settings.transitions?.["*"] ?? [];
      violation(
        "TD402",
        change,
        `${change.id} may not move from ${from} to ${to}; from ${from} the workflow allows ${targets.length === 0 ? "no move" : targets.join(", ")}.`,
      );
    }
  }

  // 3. WIP limits after the change, where the change added to a status over its limit
  const count = (t: Tracker) => {
    const counts = new Map<string, number>();
    for (const task of t.tasks) counts.set(task.status, (counts.get(task.status) ?? 0) + 1);
    return counts;
  };
  const [before, after] = [count(base), count(head)];
  for (const status of settings.statuses) {
    const limit = status.wipLimit;
    const now = after.get(status.id) ?? 0;
    if (limit === undefined || now <= limit || now <= (before.get(status.id) ?? 0)) continue;
    const into = changes.filter(
      (c) =>
        (c.kind === "task.status" && c.to === status.id) ||
        (c.kind === "task.created" && c.state?.status === status.id),
    );
    for (const change of into) {
      violation(
        "TD403",
        change,
        `${change.id} makes ${now} tasks in ${status.name}, over its WIP limit of ${limit}.`,
      );
    }
  }

  // 4. ids the base branch took meanwhile
  for (const change of changes) {
    if (change.kind !== "task.created") continue;
    const theirs = input.takenIds?.get(change.id);
    if (theirs !== undefined) {
      violation(
        "TD404",
        change,
        `${change.id} is already used on the base branch by ${theirs}; give this task the next free id.`,
      );
    }
  }

  return {
    actor,
    violations: violations.sort(compareDiagnostics),
    diagnostics: relevantDiagnostics(base, head, input.touched),
  };
}

/** The head's diagnostics on touched files, and its errors the base does not have. */
function relevantDiagnostics(
  base: Tracker,
  head: Tracker,
  touched: readonly string[],
): Diagnostic[] {
  const files = new Set(touched);
  const key = (d: Diagnostic) => `${d.code}\u0000${d.file}\u0000${d.message}`;
  const known = new Set(base.diagnostics.filter((d) => d.severity === "error").map(key));
  return head.diagnostics.filter(
    (d) => files.has(d.file) || (d.severity === "error" && !known.has(key(d))),
  );
}

/** Effective roles that differ between two trackers, person by person. */
function roleGrants(
  base: Tracker,
  head: Tracker,
): { what: string; at: { file: string; line: number; column: number } }[] {
  const out: { what: string; at: { file: string; line: number; column: number } }[] = [];
  const roles = (t: Tracker, id: string) => {
    const person = t.person(id);
    return person === undefined ? [] : rolesOf(t, person);
  };
  const ids = new Set([...base.people.map((p) => p.id), ...head.people.map((p) => p.id)]);
  for (const id of [...ids].sort()) {
    const was = roles(base, id);
    const now = roles(head, id);
    const gained = now.filter((r) => !was.includes(r));
    const lost = was.filter((r) => !now.includes(r));
    if (gained.length === 0 && lost.length === 0) continue;
    const person = head.person(id) ?? base.person(id);
    const direct = head.person(id)?.roles.some((r) => gained.includes(r)) === true;
    const file = person?.file ?? `people/${id}.yml`;
    const through = head.teams.find(
      (t) => t.members.includes(id) && t.roles.some((r) => gained.includes(r)),
    );
    const at =
      direct || through === undefined
        ? locate(head, file, ["roles"])
        : locate(head, through.file, ["members"]);
    out.push({
      what: `${id} ${[
        ...(gained.length > 0 ? [`gains ${gained.join(", ")}`] : []),
        ...(lost.length > 0 ? [`loses ${lost.join(", ")}`] : []),
      ].join(" and ")}`,
      at,
    });
  }
  return out;
}

function locate(
  tracker: Tracker,
  file: string,
  path: readonly string[],
): { file: string; line: number; column: number } {
  const range = tracker.locate(file, path);
  return { file, line: range.line, column: range.column };
}

function describeActor(actor: Actor): string {
  const roles = actor.roles.length === 0 ? "no role" : `role ${actor.roles.join(", ")}`;
  return actor.person !== undefined
    ? `${actor.login} (${actor.person}, ${roles})`
    : `${actor.login} (not in people/, ${roles})`;
}

/** "move WEB-3 to done", "create WEB-9"… for messages. */
function doing(change: Change, permission: string): string {
  switch (change.kind) {
    case "task.created":
      return `create ${change.id}`;
    case "task.deleted":
      return `delete ${change.id}`;
    case "task.status":
      return `move ${change.id} to ${String(change.to)}`;
    case "task.assignees":
      return `change who is assigned to ${change.id}`;
    default:
      if (permission.startsWith("time:")) {
        return permission === "time:log-own"
          ? `log time (${change.id})`
          : `log time for ${change.person ?? "someone else"} (${change.id})`;
      }
      return `make this change (${change.summary})`;
  }
}
