/**
 * Milestones and due dates as an iCalendar feed (RFC 5545) that calendar apps subscribe to.
 * Browser-safe: no Node built-ins.
 */

import { addDays, isDate } from "../dates.js";
import type { Milestone, Task, Tracker } from "../model.js";

/** Options of {@link calendarFeed}. */
export interface CalendarFeedOptions {
  /** The calendar's name in calendar apps (X-WR-CALNAME). */
  readonly name: string;
  /** The site's absolute URL, ending in "/"; relative page URLs are resolved against it. */
  readonly siteUrl: string;
  /** A task page's URL (absolute or relative to `siteUrl`), or `undefined` for none. */
  readonly taskUrl: (id: string) => string | undefined;
  /** A milestone page's URL (absolute or relative to `siteUrl`), or `undefined` for none. */
  readonly milestoneUrl: (id: string) => string | undefined;
  /** The instant the feed is made (every event's DTSTAMP). */
  readonly now: Date;
}

/** The PRODID of calendars Trackdown writes. */
const PRODID = "-//Trackdown//Trackdown calendar feed//EN";

/** One all-day event before it is written. */
interface DayEvent {
  readonly uid: string;
  /** Local date YYYY-MM-DD. */
  readonly date: string;
  readonly summary: string;
  readonly description: string;
  readonly url?: string;
  readonly cancelled: boolean;
}

/**
 * A VCALENDAR of all-day events: each milestone's due date (and its start, when it has
 * one; cancelled milestones are kept with STATUS:CANCELLED so subscribed calendars drop
 * or strike them), and the due date of each open task. Closed tasks (a status in the
 * `done` category) and archived tasks are left out: a finished task's deadline is no
 * longer anyone's concern. Dates that are not valid YYYY-MM-DD dates are skipped.
 *
 * All-day events carry no time zone: a due date is a day in the tracker's zone, which is
 * named in X-WR-TIMEZONE for the apps that show it. UIDs are stable
 * (`task-WEB-12-due@acme`, `milestone-beta-start@acme`), so a moved date updates the event
 * instead of adding one. Events are sorted by date, then UID, so the output only changes
 * when the plan does (and DTSTAMP). A tracker with nothing dated gives a calendar with no
 * events, which apps accept although RFC 5545 asks for at least one component.
 *
 * Lines end in CRLF and are folded at 75 octets without splitting a UTF-8 character.
 */
export function calendarFeed(tracker: Tracker, options: CalendarFeedOptions): string {
  const key = tracker.settings.key;
  const link = (url: string | undefined) =>
    url === undefined ? undefined : absoluteUrl(url, options.siteUrl);
  const events: DayEvent[] = [];
  for (const milestone of tracker.milestones) {
    const url = link(options.milestoneUrl(milestone.id));
    const description = milestoneDescription(tracker, milestone, url);
    const cancelled = milestone.status === "cancelled";
    if (milestone.start !== undefined && isDate(milestone.start)) {
      events.push({
        uid: `milestone-${milestone.id}-start@${key}`,
        date: milestone.start,
        summary: `Milestone starts: ${milestone.title}`,
        description,
        ...(url !== undefined ? { url } : {}),
        cancelled,
      });
    }
    if (milestone.due !== undefined && isDate(milestone.due)) {
      events.push({
        uid: `milestone-${milestone.id}-due@${key}`,
        date: milestone.due,
        summary: `Milestone due: ${milestone.title}`,
        description,
        ...(url !== undefined ? { url } : {}),
        cancelled,
      });
    }
  }
  const closed = new Set(
    tracker.settings.statuses.filter((s) => s.category === "done").map((s) => s.id),
  );
  for (const task of tracker.tasks) {
    if (closed.has(task.status) || task.due === undefined || !isDate(task.due)) continue;
    const url = link(options.taskUrl(task.id));
    events.push({
      uid: `task-${task.id}-due@${key}`,
      date: task.due,
      summary: `Due: ${task.id} ${task.title}`,
      description: taskDescription(tracker, task, url),
      ...(url !== undefined ? { url } : {}),
      cancelled: false,
    });
  }
  events.sort((a, b) => compare(a.date, b.date) || compare(a.uid, b.uid));

  const stamp = icalInstant(options.now);
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    `PRODID:${PRODID}`,
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${icalText(options.name)}`,
    `X-WR-TIMEZONE:${icalText(tracker.settings.timezone)}`,
  ];
  for (const event of events) {
    lines.push(
      "BEGIN:VEVENT",
      `UID:${icalText(event.uid)}`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${icalDate(event.date)}`,
      `DTEND;VALUE=DATE:${icalDate(addDays(event.date, 1))}`,
      `SUMMARY:${icalText(event.summary)}`,
      `DESCRIPTION:${icalText(event.description)}`,
    );
    if (event.url !== undefined) lines.push(`URL:${event.url}`);
    if (event.cancelled) lines.push("STATUS:CANCELLED");
    // a deadline does not make anyone busy
    lines.push("TRANSP:TRANSPARENT", "END:VEVENT");
  }
  lines.push("END:VCALENDAR");
  return lines.map((line) => `${foldLine(line)}\r\n`).join("");
}

function milestoneDescription(tracker: Tracker, m: Milestone, url: string | undefined): string {
  const project = tracker.project(m.project);
  return [
    `Milestone ${m.id}: ${m.title}`,
    `Project: ${project?.name ?? m.project}`,
    `Status: ${m.status}`,
    ...(m.start !== undefined ? [`Starts: ${m.start}`] : []),
    ...(m.due !== undefined ? [`Due: ${m.due}`] : []),
    // many apps show the description but not the URL property
    ...(url !== undefined ? [url] : []),
  ].join("\n");
}

function taskDescription(tracker: Tracker, t: Task, url: string | undefined): string {
  const status = tracker.settings.statuses.find((s) => s.id === t.status)?.name ?? t.status;
  const people = t.assignees.map((id) => tracker.person(id)?.name ?? id);
  const milestone = t.milestone !== undefined ? tracker.milestone(t.milestone) : undefined;
  return [
    `${t.id}: ${t.title}`,
    `Project: ${tracker.project(t.project)?.name ?? t.project}`,
    `Status: ${status}`,
    ...(people.length > 0 ? [`Assignees: ${people.join(", ")}`] : []),
    ...(t.priority !== undefined ? [`Priority: ${t.priority}`] : []),
    ...(t.milestone !== undefined ? [`Milestone: ${milestone?.title ?? t.milestone}`] : []),
    ...(url !== undefined ? [url] : []),
  ].join("\n");
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** An absolute http(s) URL, resolved against `base`; `undefined` for other schemes (javascript:, data:…). */
function absoluteUrl(url: string, base: string): string | undefined {
  try {
    const parsed = new URL(url, base);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** YYYY-MM-DD as an iCalendar DATE (YYYYMMDD). */
function icalDate(date: string): string {
  return date.replaceAll("-", "");
}

/** An instant as an iCalendar UTC DATE-TIME (YYYYMMDDTHHMMSSZ). */
function icalInstant(at: Date): string {
  return `${at.toISOString().slice(0, 19).replace(/[-:]/g, "")}Z`;
}

/**
 * A TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma escaped, line breaks
 * written `\n`; control characters (which TEXT may not hold, tab aside), lone surrogates
 * (which UTF-8 cannot encode) and the noncharacters U+FFFE and U+FFFF removed.
 */
function icalText(text: string): string {
  let out = "";
  for (const char of text.replace(/\r\n?/g, "\n")) {
    const c = char.codePointAt(0)!;
    if (char === "\\" || char === ";" || char === ",") out += `\\${char}`;
    else if (char === "\n") out += "\\n";
    else if (
      (c < 0x20 && c !== 0x09) ||
      c === 0x7f ||
      (c >= 0xd800 && c <= 0xdfff) ||
      c === 0xfffe ||
      c === 0xffff
    )
      continue;
    else out += char;
  }
  return out;
}

/** Longest content line, in octets, without its CRLF (RFC 5545 §3.1). */
const MAX_OCTETS = 75;

/**
 * A content line folded into lines of at most 75 UTF-8 octets, joined by CRLF and a space
 * (which counts towards the next line's 75). Breaks fall between characters, never inside
 * one's UTF-8 bytes.
 */
function foldLine(line: string): string {
  const parts: string[] = [];
  let current = "";
  let octets = 0;
  for (const char of line) {
    const size = utf8Length(char.codePointAt(0)!);
    if (octets + size > MAX_OCTETS) {
      parts.push(current);
      current = " ";
      octets = 1;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join("\r\n");
}

function utf8Length(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}
