import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { groupInto } from "../group.js";
import type { Milestone, Person, Project, Task, Team, TimeEntry } from "../model.js";
import type { Locations } from "./locations.js";
import {
  duplicateMilestoneIds,
  duplicateProjectKeys,
  duplicateTaskIds,
  findCycles,
  missingProject,
  personReferences,
  projectReferences,
  type ReferenceContext,
  taskReferences,
  teamReferences,
  timeEntryReferences,
} from "./record-checks.js";

/** Everything the reference checks look at. */
export interface RecordSet {
  readonly people: ReadonlyMap<string, Person>;
  readonly teams: ReadonlyMap<string, Team>;
  readonly projects: readonly Project[];
  /** Folders under projects/ that hold tasks or milestones. */
  readonly projectFolders: ReadonlySet<string>;
  readonly milestones: readonly Milestone[];
  /** Active and archived tasks. */
  readonly tasks: readonly Task[];
  readonly timeEntries: readonly TimeEntry[];
  readonly roles: ReadonlySet<string>;
  /** Paths of files under files/. */
  readonly attachments: ReadonlySet<string>;
  /** Paths of links that lead outside the tracker. */
  readonly escapingLinks: ReadonlySet<string>;
  /** Duration problems are decided here since they need hours_per_day. */
  readonly hoursPerDay: number;
  /** Statuses whose category is done (closed work). */
  readonly closedStatuses: ReadonlySet<string>;
}

/**
 * Checks that every reference between records resolves: people, teams, roles,
 * milestones, tasks, attachments; that ids are unique and agree with file names; and
 * that parents and dependencies have no cycles. Runs the per-record and per-group checks
 * of the incremental checker over every record, so both report alike.
 */
export function checkReferences(set: RecordSet, at: Locations): Diagnostic[] {
  const out: Diagnostic[] = [];
  const add = (found: readonly Diagnostic[]) => {
    for (const d of found) out.push(d);
  };
  const projectByFolder = new Map(set.projects.map((p) => [p.folder, p]));
  const milestonesById = new Map<string, Milestone[]>();
  for (const m of set.milestones) groupInto(milestonesById, m.id, m);
  const tasksById = new Map<string, Task[]>();
  for (const t of set.tasks) groupInto(tasksById, t.id, t);
  const ctx = referenceContext(set, projectByFolder, milestonesById, tasksById);

  for (const p of set.people.values()) add(personReferences(p, ctx, at));
  for (const t of set.teams.values()) add(teamReferences(t, ctx, at));
  const projectsByKey = new Map<string, Project[]>();
  for (const p of set.projects) {
    groupInto(projectsByKey, p.key, p);
    add(projectReferences(p, ctx, at));
  }
  for (const [key, group] of projectsByKey) add(duplicateProjectKeys(key, group, at));
  for (const folder of set.projectFolders) {
    if (projectByFolder.has(folder)) continue;
    const first =
      set.tasks.find((t) => t.project === folder) ??
      set.milestones.find((m) => m.project === folder);
    if (first !== undefined) out.push(missingProject(folder, first, at));
  }
  for (const [id, group] of milestonesById) add(duplicateMilestoneIds(id, group, at));
  for (const [id, group] of tasksById) add(duplicateTaskIds(id, group, at));
  for (const t of set.tasks) add(taskReferences(t, ctx, at));
  add(findCycles(set.tasks, tasksById, at));
  for (const e of set.timeEntries) add(timeEntryReferences(e, ctx, at));
  return out;
}

/** What every record is checked against; the "did you mean" lists keep listing order. */
function referenceContext(
  set: RecordSet,
  projectByFolder: ReadonlyMap<string, Project>,
  milestonesById: ReadonlyMap<string, readonly Milestone[]>,
  tasksById: ReadonlyMap<string, readonly Task[]>,
): ReferenceContext {
  let milestoneIds: readonly string[] | undefined;
  let taskIds: readonly string[] | undefined;
  let attachmentList: readonly string[] | undefined;
  return {
    people: set.people,
    personIds: [...set.people.keys()],
    teamIds: new Set(set.teams.keys()),
    teamList: [...set.teams.keys()],
    roles: set.roles,
    roleList: [...set.roles],
    projectOf: (folder) => projectByFolder.get(folder),
    hasMilestone: (id) => milestonesById.has(id),
    milestoneIds: () => {
      milestoneIds ??= [...milestonesById.keys()];
      return milestoneIds;
    },
    hasTask: (id) => tasksById.has(id),
    taskIds: () => {
      taskIds ??= [...tasksById.keys()];
      return taskIds;
    },
    attachments: set.attachments,
    attachmentList: () => {
      attachmentList ??= [...set.attachments];
      return attachmentList;
    },
    escapingLinks: set.escapingLinks,
    hoursPerDay: set.hoursPerDay,
    closedStatuses: set.closedStatuses,
  };
}
