import type { Task } from "../model.js";

interface SortKey {
  readonly key: string;
  readonly n: number;
}

/**
 * Tasks (active and archived) kept in the order a tracker lists them, by key, then number,
 * then file, and grouped by id in that order, as one file's change moves one task.
 */
export class TaskOrder {
  #all: Task[] = [];
  readonly #byId = new Map<string, Task[]>();
  readonly #keys = new WeakMap<Task, SortKey>();
  /** Between {@link begin} and {@link end}: tasks are collected, then sorted once. */
  #bulk = false;

  /** Every task in order. */
  get all(): readonly Task[] {
    return this.#all;
  }

  /** Tasks by id, each list in order (more than one: a duplicate id). */
  get byId(): ReadonlyMap<string, readonly Task[]> {
    return this.#byId;
  }

  has(id: string): boolean {
    return this.#byId.has(id);
  }

  withId(id: string): readonly Task[] {
    return this.#byId.get(id) ?? [];
  }

  /** Forgets every task and collects the next ones unsorted until {@link end}. */
  begin(): void {
    this.#all = [];
    this.#byId.clear();
    this.#bulk = true;
  }

  /** Sorts what was added since {@link begin}: one sort instead of an insertion per task. */
  end(): void {
    this.#bulk = false;
    this.#all.sort((a, b) => this.compare(a, b));
    for (const t of this.#all) {
      const group = this.#byId.get(t.id);
      if (group === undefined) this.#byId.set(t.id, [t]);
      else group.push(t);
    }
  }

  add(task: Task): void {
    if (this.#bulk) {
      this.#all.push(task);
      return;
    }
    this.#all.splice(this.#position(this.#all, task), 0, task);
    const group = this.#byId.get(task.id);
    if (group === undefined) this.#byId.set(task.id, [task]);
    else group.splice(this.#position(group, task), 0, task);
  }

  delete(task: Task): void {
    const at = this.#position(this.#all, task);
    if (this.#all[at] === task) this.#all.splice(at, 1);
    const group = this.#byId.get(task.id);
    if (group === undefined) return;
    const i = group.indexOf(task);
    if (i >= 0) group.splice(i, 1);
    if (group.length === 0) this.#byId.delete(task.id);
  }

  /** The tracker's order: key, then number, then file (`openTracker`'s sort). */
  compare(a: Task, b: Task): number {
    const ka = this.#keyOf(a);
    const kb = this.#keyOf(b);
    if (ka.key !== kb.key) return ka.key < kb.key ? -1 : 1;
    return ka.n - kb.n || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  }

  /** The first index whose task does not come before `task` (binary search). */
  #position(list: readonly Task[], task: Task): number {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(list[mid]!, task) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #keyOf(t: Task): SortKey {
    let k = this.#keys.get(t);
    if (k === undefined) {
      const dash = t.id.lastIndexOf("-");
      const n = Number(t.id.slice(dash + 1));
      k = Number.isInteger(n) && dash > 0 ? { key: t.id.slice(0, dash), n } : { key: t.id, n: 0 };
      this.#keys.set(t, k);
    }
    return k;
  }
}
