#!/usr/bin/env node
// Overdue and blocked work per person, and the progress of every milestone: an example of
// using Trackdown as a library from your own tool. See README.md next to this file.
//
//   node examples/library/overdue-report.mjs examples/acme --today 2026-11-27

import { parseArgs } from "node:util";
import {
  daysBetween,
  findTrackerRoot,
  indexTracker,
  isDate,
  loadTracker,
  query,
} from "trackdown/node";

/**
 * How late a task is, or how far away a date is, for people.
 * @param {number} days positive: in the past
 * @returns {string}
 */
function lateness(days) {
  if (days === 0) return "due today";
  const n = Math.abs(days);
  const unit = n === 1 ? "day" : "days";
  return days > 0 ? `${n} ${unit} late` : `in ${n} ${unit}`;
}

/**
 * A progress bar of `width` cells for a share from 0 to 1.
 * @param {number} share
 * @param {number} width
 * @returns {string}
 */
function bar(share, width = 20) {
  const full = Math.round(Math.max(0, Math.min(1, share)) * width);
  return `${"█".repeat(full)}${"░".repeat(width - full)}`;
}

/**
 * Builds the report: overdue and blocked open tasks grouped by assignee (a task with two
 * assignees is listed under both), then every milestone's progress.
 * @param {import("trackdown").Tracker} tracker
 * @param {string | undefined} today YYYY-MM-DD, or undefined for today in the tracker's time zone
 * @returns {string}
 */
function report(tracker, today) {
  // One index per tracker and day: facts (overdue, blockers) and milestone progress.
  const index = indexTracker(tracker, today === undefined ? {} : { today });
  const day = index.today;
  const lines = [`${tracker.settings.name}: overdue and blocked work on ${day}`, ""];

  // The query language does the filtering, sorting and grouping.
  const result = query(tracker, "is:overdue,blocked sort:due,-priority group:assignee", {
    today: day,
  });
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join("; "));
  if (result.tasks.length === 0) lines.push("Nothing is overdue or blocked.");
  for (const group of result.groups ?? []) {
    const who = group.key === "" ? "Unassigned" : `${group.label} (${group.key})`;
    lines.push(`${who}: ${group.tasks.length} ${group.tasks.length === 1 ? "task" : "tasks"}`);
    for (const task of group.tasks) {
      const facts = index.facts(task);
      const why = [];
      if (facts.overdue && task.due !== undefined) {
        why.push(`${lateness(daysBetween(task.due, day))} (due ${task.due})`);
      }
      if (facts.blocked) why.push(`blocked by ${facts.blockers.join(", ")}`);
      lines.push(`  ${task.id.padEnd(8)} ${task.title}: ${why.join("; ")}`);
    }
  }

  lines.push("", "Milestones");
  const names = tracker.milestones.map(
    (m) => `${tracker.project(m.project)?.key ?? m.project} ${m.title}`,
  );
  const width = Math.max(0, ...names.map((n) => n.length));
  for (const [i, milestone] of tracker.milestones.entries()) {
    const m = index.milestoneFacts(milestone);
    const closed = milestone.status === "done" || milestone.status === "cancelled";
    let due = "no due date";
    if (milestone.due !== undefined) {
      due = `due ${milestone.due}`;
      if (!closed) due += ` (${lateness(daysBetween(milestone.due, day))})`;
    }
    const worries = [];
    if (m.overdue > 0) worries.push(`${m.overdue} overdue`);
    if (m.blocked > 0) worries.push(`${m.blocked} blocked`);
    lines.push(
      `  ${names[i].padEnd(width)}  ${bar(m.progress)} ` +
        `${`${Math.round(m.progress * 100)}%`.padStart(4)}  ` +
        `${m.done}/${m.total} tasks done, ${milestone.status}, ${due}` +
        (worries.length > 0 ? `; ${worries.join(", ")}` : ""),
    );
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Command line: overdue-report.mjs [tracker folder] [--today YYYY-MM-DD]
 * @param {string[]} argv
 */
async function main(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { today: { type: "string" }, help: { type: "boolean", short: "h" } },
    allowPositionals: true,
  });
  if (values.help) {
    console.log("usage: node overdue-report.mjs [tracker folder] [--today YYYY-MM-DD]");
    return;
  }
  if (values.today !== undefined && !isDate(values.today)) {
    throw new Error(`--today wants a date like 2026-11-27, not "${values.today}"`);
  }
  // Like git: the given folder or the nearest parent holding trackdown.yml.
  const root = findTrackerRoot(positionals[0] ?? ".");
  if (root === undefined) throw new Error(`no tracker found at ${positionals[0] ?? "."}`);
  const tracker = await loadTracker(root);
  const errors = tracker.diagnostics.filter((d) => d.severity === "error").length;
  if (errors > 0) {
    console.error(`warning: ${errors} errors in the tracker; run \`trackdown check\` to see them`);
  }
  process.stdout.write(report(tracker, values.today));
}

main(process.argv.slice(2)).catch((err) => {
  console.error(`overdue-report: ${err instanceof Error ? err.message : err}`);
  process.exit(2);
});
