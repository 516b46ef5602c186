/** A kind of id whose "not found" hint lists every id of that kind. */
export type RefKind = "person" | "team" | "milestone" | "task" | "attachment";

/**
 * What a batch of changes makes stale: the files, records and groups whose checks must run
 * again, and, for ids the batch touched, whether each existed before it (so that only a
 * change of existence, not an edit, sends the records that name it to be checked again).
 */
export class Stale {
  /** Files whose own problems (reading, schema) are checked again. */
  readonly files = new Set<string>();
  /** Records whose references and rules are checked again. */
  readonly records = new Set<string>();
  /** Project keys (TD214), milestone ids (TD215), task ids (TD211). */
  readonly keys = new Set<string>();
  readonly milestoneIds = new Set<string>();
  readonly taskIds = new Set<string>();
  /** Project folders (TD216) and statuses (TD305). */
  readonly folders = new Set<string>();
  readonly statuses = new Set<string>();
  /** `person:ana`, `task:WEB-1`…: every record that names one of these is checked again. */
  readonly refs = new Set<string>();
  /** Kinds whose list of ids changed: every record with an unknown id of the kind is checked again. */
  readonly unresolved = new Set<RefKind>();
  people = false;
  teams = false;
  cycles = false;
  /** trackdown.yml changed: everything is checked again. */
  config = false;

  readonly milestonesBefore = new Map<string, boolean>();
  readonly tasksBefore = new Map<string, boolean>();
  readonly attachmentsBefore = new Map<string, boolean>();
  /** A project folder's key before the batch (`undefined`: it had no project.md). */
  readonly projectKeysBefore = new Map<string, string | undefined>();

  /** Marks the check behind a unit key of the checker (`record:people/ana.yml`, `cycles`…). */
  unit(key: string): void {
    const colon = key.indexOf(":");
    if (colon < 0) {
      if (key === "config") this.config = true;
      if (key === "cycles") this.cycles = true;
      return;
    }
    const sets: Readonly<Record<string, Set<string>>> = {
      file: this.files,
      record: this.records,
      key: this.keys,
      milestone: this.milestoneIds,
      task: this.taskIds,
      folder: this.folders,
      wip: this.statuses,
    };
    sets[key.slice(0, colon)]?.add(key.slice(colon + 1));
  }

  /** Notes whether a milestone id existed before the batch (the first time it is touched). */
  milestoneTouched(id: string, existed: boolean): void {
    keepFirst(this.milestonesBefore, id, existed);
  }

  taskTouched(id: string, existed: boolean): void {
    keepFirst(this.tasksBefore, id, existed);
  }

  attachmentTouched(path: string, existed: boolean): void {
    keepFirst(this.attachmentsBefore, path, existed);
  }

  projectTouched(folder: string, key: string | undefined): void {
    keepFirst(this.projectKeysBefore, folder, key);
  }
}

/** Sets a key only the first time: what it was before the batch. */
function keepFirst<V>(map: Map<string, V>, key: string, value: V): void {
  if (!map.has(key)) map.set(key, value);
}
