// Task cards as HTML strings, built once per task and reused by every board, swimlane,
// milestone and person page: a 10,000-task site shows each card four or five times, and
// rendering them as components was most of the build. Every text is escaped here.
import type { Task } from "../../../dist/node/index.js";
import type { SiteData } from "./data";

const ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text safe inside HTML content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const cache = new WeakMap<SiteData, Map<string, string>>();

/** The card of a task: the same markup and data- attributes the live filter reads. */
export function cardHtml(data: SiteData, task: Task): string {
  let cards = cache.get(data);
  if (cards === undefined) {
    cards = new Map();
    cache.set(data, cards);
  }
  const known = cards.get(task.id);
  if (known !== undefined) return known;
  const { tracker, index, base } = data;
  const facts = index.facts(task);
  const name = (id: string) => tracker.person(id)?.name ?? id;
  const initials = (id: string) =>
    name(id)
      .split(/\s+/)
      .map((part) => part[0] ?? "")
      .join("")
      .slice(0, 2)
      .toUpperCase();
  const is = [
    facts.open ? "open" : "closed",
    facts.overdue ? "overdue" : "",
    facts.blocked ? "blocked" : "",
    task.assignees.length === 0 ? "unassigned" : "",
  ]
    .filter((s) => s !== "")
    .join(" ");
  const attributes = [
    ["data-id", task.id.toLowerCase()],
    ["data-status", task.status],
    ["data-assignee", task.assignees.join(" ")],
    ["data-label", task.labels.join(" ")],
    ["data-priority", task.priority ?? ""],
    ["data-milestone", task.milestone ?? ""],
    ["data-due", task.due ?? ""],
    ["data-is", is],
  ]
    // empty ones are left out (the filter reads a missing attribute as empty), and the
    // project is the id's prefix: boards of a thousand cards stay well under a megabyte
    .filter(([, v]) => v !== "")
    .map(([k, v]) => `${k}="${escapeHtml(v!)}"`)
    .join(" ");
  const meta = [
    ...task.assignees.map(
      (a) =>
        `<span class="avatar" title="${escapeHtml(name(a))}" aria-label="Assigned to ${escapeHtml(name(a))}">${escapeHtml(initials(a))}</span>`,
    ),
    ...(task.priority !== undefined
      ? [`<span class="badge">${escapeHtml(task.priority)}</span>`]
      : []),
    ...task.labels.map((l) => `<span class="badge">${escapeHtml(l)}</span>`),
    ...(task.due !== undefined
      ? [`<span${facts.overdue ? ' class="overdue"' : ""}>due ${escapeHtml(task.due)}</span>`]
      : []),
    ...(facts.blocked
      ? [
          `<span class="blocked" title="Waiting on ${escapeHtml(facts.blockers.join(", "))}">blocked</span>`,
        ]
      : []),
    ...(task.checklist.total > 0
      ? [`<span>${task.checklist.done}/${task.checklist.total}</span>`]
      : []),
  ].join("");
  const html = `<li class="card" ${attributes}><a class="title" href="${escapeHtml(`${base}tasks/${task.id}/`)}"><span class="muted">${escapeHtml(task.id)}</span> ${escapeHtml(task.title)}</a><div class="meta">${meta}</div></li>`;
  cards.set(task.id, html);
  return html;
}

/** The cards of some tasks, as one string. */
export function cardsHtml(data: SiteData, tasks: readonly Task[]): string {
  return tasks.map((t) => cardHtml(data, t)).join("");
}
