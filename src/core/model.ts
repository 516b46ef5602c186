import type { Diagnostic, Range } from "./diagnostics/diagnostic.js";
import type {
  Milestone as MilestoneFields,
  Person as PersonFields,
  Project as ProjectFields,
  Task as TaskFields,
  Team as TeamFields,
  TimeEntry as TimeEntryFields,
  TrackerConfig,
} from "./schema-types.generated.js";

export type {
  MilestoneFields,
  PersonFields,
  ProjectFields,
  TaskFields,
  TeamFields,
  TimeEntryFields,
  TrackerConfig,
};

/** A status category: whether work has not started, is under way, or is closed. */
export type StatusCategory = "todo" | "in-progress" | "done";

/** A workflow status with its defaults filled in. */
export interface WorkflowStatus {
  readonly id: string;
  /** Column title; the id when the config gives none. */
  readonly name: string;
  readonly category: StatusCategory;
  /** Most tasks allowed in this status at once, if limited. */
  readonly wipLimit?: number;
  /** Task fields that must be set while a task is in this status. */
  readonly required: readonly string[];
  readonly description?: string;
}

/** The tracker's settings with defaults applied. */
export interface Settings {
  readonly key: string;
  readonly name: string;
  /** IANA time zone in which calendar dates are days. */
  readonly timezone: string;
  /** Hours in a working day (what `1d` means in a duration). */
  readonly hoursPerDay: number;
  readonly estimateUnit: "points" | "hours";
  /** Statuses in board order. */
  readonly statuses: readonly WorkflowStatus[];
  /** Status of new tasks. */
  readonly initialStatus: string;
  /** Allowed moves, from → targets; `undefined` when every move is allowed. */
  readonly transitions?: Readonly<Record<string, readonly string[]>>;
  /** Priority ids, highest first. */
  readonly priorities: readonly string[];
  /** The label catalogue, if the tracker keeps one. */
  readonly labels?: Readonly<
    Record<string, { readonly description?: string; readonly color?: string }>
  >;
  /** Role id → permissions. */
  readonly roles: Readonly<
    Record<string, { readonly description?: string; readonly permissions: readonly string[] }>
  >;
  readonly defaultRole?: string;
  /** The file's data as written, including fields this version does not know. */
  readonly fields: Readonly<Record<string, unknown>>;
}

/** Where a record came from. */
export interface RecordOrigin {
  /** Tracker-relative path, forward slashes. */
  readonly file: string;
}

/** A person (`people/<id>.yml`). */
export interface Person extends RecordOrigin {
  readonly id: string;
  readonly name: string;
  readonly email?: string;
  readonly github?: string;
  /** Roles held directly (not through teams). */
  readonly roles: readonly string[];
  /** Hours a week. */
  readonly capacity?: number;
  readonly timezone?: string;
  readonly active: boolean;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** A team (`teams/<id>.yml`). */
export interface Team extends RecordOrigin {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly lead?: string;
  readonly members: readonly string[];
  readonly roles: readonly string[];
  readonly fields: Readonly<Record<string, unknown>>;
}

/** A project (`projects/<folder>/project.md`). */
export interface Project extends RecordOrigin {
  /** The folder name under projects/. */
  readonly folder: string;
  /** Prefix of its task ids. */
  readonly key: string;
  readonly name: string;
  readonly status: "active" | "paused" | "done" | "archived";
  readonly lead?: string;
  readonly team?: string;
  /** Local date YYYY-MM-DD. */
  readonly start?: string;
  /** Local date YYYY-MM-DD. */
  readonly target?: string;
  /** Markdown description. */
  readonly body: string;
  /** 1-based line of the file on which the body starts. */
  readonly bodyLine: number;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** A milestone (`projects/<folder>/milestones/<id>.md`). */
export interface Milestone extends RecordOrigin {
  readonly id: string;
  /** Folder of the project it belongs to. */
  readonly project: string;
  readonly title: string;
  readonly status: "planned" | "active" | "done" | "cancelled";
  /** Local date YYYY-MM-DD. */
  readonly start?: string;
  /** Local date YYYY-MM-DD. */
  readonly due?: string;
  readonly body: string;
  /** 1-based line of the file on which the body starts. */
  readonly bodyLine: number;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** An attachment reference of a task. */
export interface TaskAttachment {
  /** Tracker-relative path. */
  readonly path: string;
  readonly title?: string;
}

/** Checklist items (`- [ ]` / `- [x]`) found in a Markdown body. */
export interface Checklist {
  readonly done: number;
  readonly total: number;
}

/** A task (`projects/<folder>/tasks/<ID>[-slug].md`, or archive/ for archived ones). */
export interface Task extends RecordOrigin {
  readonly id: string;
  /** Folder of the project it lives in. */
  readonly project: string;
  readonly title: string;
  readonly status: string;
  readonly assignees: readonly string[];
  readonly priority?: string;
  /** In the tracker's estimate unit (points or hours). */
  readonly estimate?: number;
  readonly labels: readonly string[];
  readonly milestone?: string;
  readonly parent?: string;
  readonly dependsOn: readonly string[];
  /** Local date YYYY-MM-DD. */
  readonly start?: string;
  /** Local date YYYY-MM-DD. */
  readonly due?: string;
  /** Local date YYYY-MM-DD. */
  readonly created?: string;
  readonly attachments: readonly TaskAttachment[];
  /** Markdown body. */
  readonly body: string;
  /** 1-based line of the file on which the body starts. */
  readonly bodyLine: number;
  readonly checklist: Checklist;
  /** True for tasks kept in the project's archive/ folder. */
  readonly archived: boolean;
  /** The front matter as written, including fields this version does not know. */
  readonly fields: Readonly<Record<string, unknown>>;
}

/** A block of logged time (`time/<YYYY-MM>/….yml`). */
export interface TimeEntry extends RecordOrigin {
  /** The file name without extension. */
  readonly id: string;
  readonly person: string;
  readonly task: string;
  /** Local date YYYY-MM-DD. */
  readonly date: string;
  /** Whole minutes. */
  readonly minutes: number;
  /** The duration as written, e.g. `1h30m`. */
  readonly duration: string;
  readonly note?: string;
  readonly billable: boolean;
  readonly fields: Readonly<Record<string, unknown>>;
}

/**
 * An immutable snapshot of a tracker: every record that could be read, indexes, and every
 * problem found. Records whose files have errors are still present where they could be
 * read (with the broken fields left out), so one bad file never hides the rest.
 */
export interface Tracker {
  /** Where it was read from (a folder, a ref, "memory"). */
  readonly source: string;
  readonly settings: Settings;
  readonly people: readonly Person[];
  readonly teams: readonly Team[];
  readonly projects: readonly Project[];
  readonly milestones: readonly Milestone[];
  /** Tasks in tasks/ folders, in id order (project key, then number). */
  readonly tasks: readonly Task[];
  /** Tasks in archive/ folders. */
  readonly archivedTasks: readonly Task[];
  readonly timeEntries: readonly TimeEntry[];
  /** Paths of files under files/. */
  readonly attachments: readonly string[];
  /** Every problem found, sorted by file and position. */
  readonly diagnostics: readonly Diagnostic[];
  /** A task (active or archived) by id. */
  task(id: string): Task | undefined;
  person(id: string): Person | undefined;
  team(id: string): Team | undefined;
  milestone(id: string): Milestone | undefined;
  /** A project by key (WEB) or folder name (web). */
  project(keyOrFolder: string): Project | undefined;
  /**
   * Where a field of a file is: `locate("projects/web/tasks/WEB-1.md", ["status"])`. A path
   * that does not exist gives its nearest existing parent, then the file's first line.
   */
  locate(file: string, path: readonly (string | number)[], target?: "key" | "value"): Range;
}
