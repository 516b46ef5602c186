import { randomInt } from "node:crypto";
import { isDate, todayIn } from "../../core/dates.js";
import { formatDuration, parseDuration } from "../../core/duration.js";
import { newRecordText, type YamlValue } from "../../core/index.js";
import { whoAmI } from "../../node/who-am-i.js";
import { applyChanges, readForEdit, WriteError } from "../../node/write.js";
import { EditSession, type WriteOptions } from "../editing.js";
import { CliError, type CliIO } from "../io.js";
import { safeText } from "../render/width.js";

export interface LogOptions extends WriteOptions {
  /** The day the work was done (default: today in the tracker's time zone). */
  readonly date?: string;
  readonly note?: string;
  /** Who did the work (default: you, as `@me` resolves). */
  readonly person?: string;
  readonly billable?: boolean;
}

/**
 * `trackdown log ID DURATION`: a new time entry file, `time/<YYYY-MM>/<date>-<person>-<task>-
 * <suffix>.yml`, the suffix random so that two branches logging the same day never write the
 * same file. Durations as people write them: 1h30m, 90m, 1.5h, 2d (days of the tracker's
 * hours_per_day).
 */
export async function runLog(
  io: CliIO,
  id: string,
  duration: string,
  options: LogOptions,
): Promise<number> {
  const session = await EditSession.open(io, options);
  const entry = logEntry(session, id, duration, options);
  session.create(entry.path, entry.text);
  return session.finish(
    [
      `Logged ${entry.duration} on ${entry.task} for @${entry.person} on ${entry.date} (${session.display(entry.path)}).`,
    ],
    "Nothing to log.",
  );
}

interface PlannedEntry {
  readonly path: string;
  readonly text: string;
  readonly task: string;
  readonly person: string;
  readonly date: string;
  readonly duration: string;
}

/** The file of a new time entry, checked: the task, the person, the day and the duration. */
function logEntry(
  session: EditSession,
  id: string,
  duration: string,
  options: LogOptions,
): PlannedEntry {
  const task = session.task(id);
  const { settings } = session.tracker;
  const minutes = parseDuration(duration, settings.hoursPerDay);
  if (minutes === undefined) {
    throw new CliError(
      `"${duration}" is not a duration: write it like 1h30m, 90m, 1.5h or 2d (a day is ${settings.hoursPerDay}h here).`,
    );
  }
  if (minutes < 1 || minutes > 24 * 60) {
    throw new CliError(
      `A time entry is between 1 minute and 24 hours; ${duration} is ${formatDuration(minutes)}. Log longer work as one entry per day.`,
    );
  }
  const date = options.date ?? session.today;
  if (!isDate(date)) throw new CliError(`--date takes a day written YYYY-MM-DD, not "${date}".`);
  const person = personFor(session, options.person);
  const fields: [string, YamlValue][] = [
    ["person", person],
    ["task", task.id],
    ["date", date],
    ["duration", duration.trim()],
  ];
  if (options.note !== undefined && options.note.trim() !== "") {
    fields.push(["note", options.note.replace(/\s+/g, " ").trim()]);
  }
  if (options.billable !== undefined) fields.push(["billable", options.billable]);
  const folder = `time/${date.slice(0, 7)}`;
  let path: string;
  do {
    path = `${folder}/${date}-${person}-${task.id}-${suffix()}.yml`;
  } while (session.text(path) !== undefined);
  const header = session.schemaLine(path);
  return {
    path,
    text: `${header}${newRecordText("yml", fields)}`,
    task: task.id,
    person,
    date,
    duration: duration.trim(),
  };
}

/** Four random letters and digits: one chance in 36^4 that two entries of a day collide. */
function suffix(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  let s = "";
  for (let i = 0; i < 4; i++) s += alphabet[randomInt(alphabet.length)];
  return s;
}

/** The person named (id or GitHub login, @ optional), else who `@me` is. */
export function personFor(session: EditSession, given: string | undefined): string {
  if (given !== undefined) return session.person(given);
  const me = whoAmI(session.tracker, session.io.cwd, session.io.env);
  if ("person" in me) return me.person;
  throw new CliError(`Who did the work? ${me.problem} Or say it with --person.`);
}

// ---------------------------------------------------------------------------
// Timers: `.trackdown/timers.json` in the tracker (git-ignored), one per person

const TIMERS = ".trackdown/timers.json";

interface Timer {
  readonly task: string;
  /** ISO time the timer started. */
  readonly started: string;
}

/**
 * The running timers. A file that is not what Trackdown writes (edited by hand, cut short) is
 * refused rather than read as "no timers": the next write would replace it, and with it the
 * timers it held.
 */
function readTimers(session: EditSession): {
  text: string | undefined;
  timers: Record<string, Timer>;
} {
  const { text } = guarded(() => readForEdit(session.root, TIMERS));
  if (text === undefined) return { text, timers: {} };
  const refuse = (why: string) =>
    new CliError(
      safeText(
        `${session.display(TIMERS)} ${why}, so the running timers cannot be told; nothing was changed. Fix the file, or remove it to forget every running timer.`,
      ),
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw refuse("is not valid JSON");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw refuse("is not a JSON object of timers by person");
  }
  const timers: Record<string, Timer> = {};
  for (const [person, t] of Object.entries(parsed as Record<string, unknown>)) {
    const timer = t as Partial<Timer> | null;
    if (
      timer === null ||
      typeof timer !== "object" ||
      typeof timer.task !== "string" ||
      typeof timer.started !== "string" ||
      Number.isNaN(Date.parse(timer.started))
    ) {
      throw refuse(`holds a timer for "${person}" without a task and a start time`);
    }
    timers[person] = { task: timer.task, started: timer.started };
  }
  return { text, timers };
}

function writeTimers(
  session: EditSession,
  before: string | undefined,
  timers: Record<string, Timer>,
): void {
  guarded(() =>
    applyChanges(session.root, [
      { kind: "write", path: TIMERS, before, after: `${JSON.stringify(timers, null, 2)}\n` },
    ]),
  );
}

/** A refused read or write of the timers file, as the CLI says it. */
function guarded<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof WriteError) throw new CliError(error.message);
    throw error;
  }
}

export interface TimerOptions extends WriteOptions {
  readonly person?: string;
  readonly note?: string;
  readonly billable?: boolean;
  /** The clock, for tests. */
  readonly now?: () => Date;
}

/**
 * `trackdown timer start ID | stop | status | cancel`: a running timer per person, kept in
 * `.trackdown/timers.json` (outside git); `stop` logs the time as `trackdown log` would, on
 * the day the timer started.
 */
export async function runTimer(
  io: CliIO,
  action: string,
  id: string | undefined,
  options: TimerOptions,
): Promise<number> {
  const session = await EditSession.open(io, options);
  const now = (options.now ?? (() => new Date()))();
  const person = personFor(session, options.person);
  const { text, timers } = readTimers(session);
  const running = timers[person];
  const since = (t: Timer) =>
    `${t.task} since ${t.started.slice(0, 16).replace("T", " ")} UTC (${formatDuration(elapsed(t, now))})`;
  switch (action) {
    case "start": {
      if (id === undefined) throw new CliError("Say which task: trackdown timer start ID.");
      const task = session.task(id);
      if (running !== undefined) {
        throw new CliError(
          `@${person} has a timer running on ${since(running)}; stop it first (trackdown timer stop) or cancel it (trackdown timer cancel).`,
          1,
        );
      }
      if (options.dryRun === true) {
        io.stdout.write(
          `Would start a timer on ${task.id} for @${person} (dry run: nothing was written).\n`,
        );
        return 0;
      }
      writeTimers(session, text, {
        ...timers,
        [person]: { task: task.id, started: now.toISOString() },
      });
      io.stdout.write(
        `Started a timer on ${task.id} for @${person}; \`trackdown timer stop\` logs the time.\n`,
      );
      return 0;
    }
    case "status": {
      io.stdout.write(
        running === undefined
          ? `@${person} has no timer running.\n`
          : `@${person}: ${since(running)}.\n`,
      );
      return 0;
    }
    case "stop":
    case "cancel": {
      if (running === undefined) {
        throw new CliError(`@${person} has no timer running.`, 1);
      }
      if (id !== undefined)
        throw new CliError(`timer ${action} takes no task id (the timer knows it).`);
      const rest = { ...timers };
      delete rest[person];
      if (action === "cancel") {
        if (options.dryRun !== true) writeTimers(session, text, rest);
        io.stdout.write(
          `${options.dryRun === true ? "Would cancel" : "Cancelled"} the timer on ${since(running)}; nothing logged.\n`,
        );
        return 0;
      }
      const minutes = Math.max(1, Math.round(elapsed(running, now)));
      if (minutes > 24 * 60) {
        throw new CliError(
          `The timer on ${since(running)} ran over 24 hours: log the time by hand (trackdown log ${running.task} DURATION --date …) and cancel it (trackdown timer cancel).`,
          1,
        );
      }
      const date = todayIn(session.tracker.settings.timezone, new Date(running.started));
      const entry = logEntry(session, running.task, formatDuration(minutes), {
        ...options,
        person,
        date,
      });
      session.create(entry.path, entry.text);
      const code = await session.finish(
        [
          `Stopped the timer: logged ${entry.duration} on ${entry.task} for @${person} on ${date} (${session.display(entry.path)}).`,
        ],
        "Nothing to log.",
      );
      if (code === 0 && options.dryRun !== true) writeTimers(session, text, rest);
      return code;
    }
    default:
      throw new CliError(`timer takes start ID, stop, status or cancel; not "${action}".`);
  }
}

function elapsed(timer: Timer, now: Date): number {
  return (now.getTime() - Date.parse(timer.started)) / 60_000;
}
