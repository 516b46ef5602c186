// Generated from schemas/*.schema.json by `npm run gen:types`. Do not edit by hand;
// edit the schema and regenerate (a test fails when this file is stale).

// ---- config.schema.json
/**
 * The tracker's settings, `trackdown.yml` at the tracker's root: its name, workflow, priorities, labels, roles and permissions.
 */
export interface TrackerConfig {
  /**
   * Format version of the tracker files. This release reads version 1.
   */
  version: 1;
  /**
   * Short identifier of the tracker (lower case), used in cache folders, site URLs and notification titles.
   */
  key: string;
  /**
   * Display name of the tracker.
   */
  name: string;
  /**
   * IANA time zone in which dates such as due dates are days; overdue is decided in it.
   */
  timezone?: string;
  /**
   * Working hours in a day: a logged duration of 1d means this many hours.
   */
  hours_per_day?: number;
  /**
   * What task estimates count: story points or hours.
   */
  estimate_unit?: "points" | "hours";
  /**
   * The statuses a task can be in and how it may move between them.
   */
  workflow: {
    /**
     * Statuses in board order, left to right.
     *
     * @minItems 1
     */
    statuses: [Status, ...Status[]];
    /**
     * Status of a new task; the first status when omitted.
     */
    initial?: string;
    /**
     * Allowed moves: for each status id, the statuses a task may move to from it. The key "*" applies to statuses not listed. When omitted, every move is allowed.
     */
    transitions?: {
      [k: string]: string[] | undefined;
    };
  };
  /**
   * Priority ids from highest to lowest. Defaults to urgent, high, medium, low.
   *
   * @minItems 1
   */
  priorities?: [string, ...string[]];
  /**
   * Known labels with a description and a colour. When present, labels not listed are reported as warnings.
   */
  labels?: {
    [k: string]:
      | {
          /**
           * What the label means.
           */
          description?: string;
          /**
           * Colour as #rrggbb.
           */
          color?: string;
        }
      | undefined;
  };
  /**
   * Roles and what each may change. People get roles directly (people/*.yml) or through their teams.
   */
  roles?: {
    [k: string]: Role | undefined;
  };
  /**
   * Role of a pull-request author who is not in people/. Omit it to give unknown authors no permissions.
   */
  default_role?: string;
}
export interface Status {
  /**
   * Status id used in task files.
   */
  id: string;
  /**
   * Column title on the board; the id when omitted.
   */
  name?: string;
  /**
   * todo (not started), in-progress (being worked on, counts towards cycle time) or done (finished or dropped; the task is closed).
   */
  category: "todo" | "in-progress" | "done";
  /**
   * Most tasks that may be in this status at once.
   */
  wip_limit?: number;
  /**
   * Task fields that must be set for a task to be in this status.
   */
  required?: ("assignees" | "priority" | "estimate" | "labels" | "milestone" | "start" | "due")[];
  /**
   * What this status means for the team.
   */
  description?: string;
}
export interface Role {
  /**
   * Who holds this role and why.
   */
  description?: string;
  /**
   * What the role may change. `*` is everything; `task:move` is any move and `task:move:<status>` a move into that status only; `time:log-own` logs one's own time and `time:log-any` anyone's.
   */
  permissions: string[];
}

// ---- person.schema.json
/**
 * A person, `people/<id>.yml`. The file name without .yml is the person's id, used in assignees, time entries and teams.
 */
export interface Person {
  /**
   * Full name as shown on boards and reports.
   */
  name: string;
  /**
   * Work e-mail address; `assignee:@me` in queries matches it against `git config user.email`.
   */
  email?: string;
  /**
   * GitHub login, without @. The pull-request check maps the author of a pull request to this person through it.
   */
  github?: string;
  /**
   * Role ids from trackdown.yml granted to this person directly (teams can grant more).
   */
  roles?: string[];
  /**
   * Hours a week this person can give to tracked work, for workload reports.
   */
  capacity?: number;
  /**
   * IANA time zone the person works in.
   */
  timezone?: string;
  /**
   * False for people who have left: they stay in history and reports, but cannot be assigned new work.
   */
  active?: boolean;
}

// ---- team.schema.json
/**
 * A team, `teams/<id>.yml`. The file name without .yml is the team's id.
 */
export interface Team {
  /**
   * Team name as shown on the site.
   */
  name: string;
  /**
   * What the team does, one or two sentences.
   */
  description?: string;
  /**
   * Person id of the team's lead; must also be a member.
   */
  lead?: string;
  /**
   * Person ids of the team's members.
   */
  members: string[];
  /**
   * Role ids from trackdown.yml that every member of the team holds.
   */
  roles?: string[];
}

// ---- project.schema.json
/**
 * Front matter of `projects/<folder>/project.md`. The Markdown body is the project's description. Tasks live in the same folder under tasks/, milestones under milestones/.
 */
export interface Project {
  /**
   * Upper-case key that prefixes the ids of the project's tasks (WEB → WEB-1, WEB-2, …). Unique across the tracker; changing it means renaming every task.
   */
  key: string;
  /**
   * The project's name.
   */
  name: string;
  /**
   * Where the project stands: active, paused, done or archived.
   */
  status?: "active" | "paused" | "done" | "archived";
  /**
   * Person id of the project's lead.
   */
  lead?: string;
  /**
   * Team id of the team that owns the project.
   */
  team?: string;
  /**
   * Start date (YYYY-MM-DD, local to the tracker's time zone).
   */
  start?: string;
  /**
   * Target end date (YYYY-MM-DD, local to the tracker's time zone).
   */
  target?: string;
}

// ---- milestone.schema.json
/**
 * Front matter of `projects/<folder>/milestones/<id>.md`. The file name without .md is the milestone's id, unique across the tracker; tasks refer to it in their `milestone` field. The Markdown body is its description.
 */
export interface Milestone {
  /**
   * The milestone's name.
   */
  title: string;
  /**
   * planned, active, done or cancelled.
   */
  status?: "planned" | "active" | "done" | "cancelled";
  /**
   * First day of the milestone (YYYY-MM-DD, local to the tracker's time zone).
   */
  start?: string;
  /**
   * Last day of the milestone (YYYY-MM-DD, local to the tracker's time zone).
   */
  due?: string;
}

// ---- task.schema.json
/**
 * An attachment: a path relative to the tracker's root folder, or an object with the path and a title.
 */
export type Attachment =
  | AttachmentPath
  | {
      path: AttachmentPath;
      /**
       * What the file is, shown instead of its name.
       */
      title?: string;
    };
/**
 * Path of the file relative to the tracker's root folder, with forward slashes. It may not leave the tracker.
 */
export type AttachmentPath = string;

/**
 * Front matter of a task file, `projects/<project>/tasks/<ID>.md` or `<ID>-<slug>.md`. The Markdown body below the front matter is the task's description; `- [ ]` and `- [x]` lines in it are its checklist.
 */
export interface Task {
  /**
   * The task's id: the project's key, a dash and a number. It must match the start of the file name and is never reused, even after the task is archived or deleted.
   */
  id: string;
  /**
   * A one-line summary, shown on boards and in lists.
   */
  title: string;
  /**
   * One of the status ids declared in trackdown.yml under workflow.statuses.
   */
  status: string;
  /**
   * People working on the task: ids of files in people/ (the file name without .yml).
   */
  assignees?: string[];
  /**
   * One of the priorities declared in trackdown.yml (by default urgent, high, medium, low).
   */
  priority?: string;
  /**
   * Size of the work in the tracker's estimate unit (story points by default, or hours when trackdown.yml sets estimate_unit: hours).
   */
  estimate?: number;
  /**
   * Free labels. When trackdown.yml declares labels, others are reported as warnings.
   */
  labels?: string[];
  /**
   * Id of a milestone (the milestone's file name without .md, unique across the tracker).
   */
  milestone?: string;
  /**
   * Id of the parent task, for sub-tasks. Parents roll up their children's estimates and progress.
   */
  parent?: string;
  /**
   * Ids of tasks that must be done before this one can be. An open dependency makes the task blocked.
   */
  depends_on?: string[];
  /**
   * Planned start, a local calendar date (YYYY-MM-DD) in the tracker's time zone.
   */
  start?: string;
  /**
   * Due date, a local calendar date (YYYY-MM-DD) in the tracker's time zone; the task is overdue from the day after.
   */
  due?: string;
  /**
   * The day the task was written down (YYYY-MM-DD). Reports use git history when it is available and this date otherwise.
   */
  created?: string;
  /**
   * Files attached to the task, stored in the tracker (usually under files/).
   */
  attachments?: Attachment[];
}

// ---- time-entry.schema.json
/**
 * One block of logged time, `time/<YYYY-MM>/<date>-<person>-<task>-<suffix>.yml`. Each entry is its own file with a random suffix, so two branches that log time never touch the same file and always merge cleanly.
 */
export interface TimeEntry {
  /**
   * Id of the person who did the work.
   */
  person: string;
  /**
   * Id of the task the time was spent on.
   */
  task: string;
  /**
   * The day the work was done (YYYY-MM-DD, local to the person).
   */
  date: string;
  /**
   * Time spent: hours and minutes such as 1h30m, 90m or 1.5h; d counts the tracker's hours_per_day (2d = 16h by default). Between 1 minute and 24 hours.
   */
  duration: string;
  /**
   * What was done, one line.
   */
  note?: string;
  /**
   * Whether the time can be billed to a client.
   */
  billable?: boolean;
}
