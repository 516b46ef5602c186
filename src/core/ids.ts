/** A task id such as `WEB-12`: the project key, a dash and a positive number. */
export const TASK_ID = /^([A-Z][A-Z0-9]{1,9})-([1-9][0-9]*)$/;
const TASK_ID_PREFIX = /^([A-Z][A-Z0-9]{1,9}-[1-9][0-9]*)(?:-|$)/;

/** The key and number of a task id, or `undefined` when it is not one. */
export function parseTaskId(id: string): { key: string; number: number } | undefined {
  const match = TASK_ID.exec(id);
  return match === null ? undefined : { key: match[1]!, number: Number(match[2]) };
}

/** The task id a file name starts with (`WEB-12-login-page` → `WEB-12`). */
export function taskIdFromFileStem(stem: string): string | undefined {
  return TASK_ID_PREFIX.exec(stem)?.[1];
}

/** Orders task ids by key, then number (WEB-2 before WEB-10). */
export function compareTaskIds(a: string, b: string): number {
  const pa = parseTaskId(a);
  const pb = parseTaskId(b);
  if (pa === undefined || pb === undefined) return a < b ? -1 : a > b ? 1 : 0;
  if (pa.key !== pb.key) return pa.key < pb.key ? -1 : 1;
  return pa.number - pb.number;
}

/**
 * The next id for a project: one more than the highest number ever seen for its key.
 * `seen` should hold every id the caller knows of: tasks and archived tasks, ids referred
 * to (parents, dependencies, time entries) and, when history is available, every task file
 * that ever existed, so that ids of archived or deleted tasks are never handed out again.
 */
export function nextTaskId(key: string, seen: Iterable<string>): string {
  let max = 0;
  for (const id of seen) {
    const parsed = parseTaskId(id);
    if (parsed !== undefined && parsed.key === key && parsed.number > max) max = parsed.number;
  }
  return `${key}-${max + 1}`;
}

/** A file-name slug from a title: lower-case words joined by dashes, at most six words. */
export function slugify(title: string, maxWords = 6): string {
  return title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== "")
    .slice(0, maxWords)
    .join("-");
}

/**
 * Whole mentions of these task ids in text (global): `WEB-1` alone, not inside `WEB-12`,
 * `XWEB-1`, `WEB-1_x` or a path such as `files/WEB-1/`. Task ids need no escaping.
 */
export function taskIdMentions(ids: Iterable<string>): RegExp {
  return new RegExp(`(?<![A-Za-z0-9-])(${[...ids].join("|")})(?![0-9A-Za-z_/])`, "g");
}
