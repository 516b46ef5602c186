import { daysBetween } from "../../core/dates.js";
import { didYouMean } from "../../core/did-you-mean.js";
import { formatDuration } from "../../core/duration.js";
import type { Task } from "../../core/model.js";
import { openForCommand, type TrackerOption } from "../context.js";
import { type CliIO, styles } from "../io.js";
import { renderMarkdown } from "../render/markdown.js";
import { padEnd, safeText, truncate, wrap } from "../render/width.js";
import { taskJson } from "../task-columns.js";

export interface ShowOptions extends TrackerOption {
  readonly format: "text" | "json";
}

/**
 * `trackdown show ID`: a task's fields, its relations both ways, time logged and its body
 * rendered for the terminal. Exit 1 when there is no such task.
 */
export async function runShow(io: CliIO, id: string, options: ShowOptions): Promise<number> {
  const ctx = await openForCommand(io, options);
  const { tracker, index } = ctx;
  const task = index.byId.get(id.toUpperCase());
  if (task === undefined) {
    const guess = didYouMean(id.toUpperCase(), index.byId.keys());
    io.stderr.write(
      `trackdown: there is no task "${id}".${guess !== undefined ? ` Did you mean ${guess}?` : ""}\n`,
    );
    return 1;
  }
  const facts = index.facts(task);
  const entries = index.timeEntries(task.id);
  const byPerson = new Map<string, number>();
  for (const e of entries) byPerson.set(e.person, (byPerson.get(e.person) ?? 0) + e.minutes);
  if (options.format === "json") {
    const rel = (tasks: readonly Task[]) =>
      tasks.map((t) => ({ id: t.id, title: t.title, status: t.status }));
    io.stdout.write(
      `${JSON.stringify(
        {
          task: taskJson(task, facts, tracker),
          body: task.body,
          children: rel(index.children(task.id)),
          dependsOn: rel(index.dependsOn(task.id)),
          blocks: rel(index.blocks(task.id)),
          attachments: task.attachments,
          time: {
            totalMinutes: facts.loggedMinutes,
            byPerson: Object.fromEntries(byPerson),
            entries: entries.map((e) => ({
              date: e.date,
              person: e.person,
              minutes: e.minutes,
              note: e.note ?? null,
              billable: e.billable,
              file: e.file,
            })),
          },
        },
        null,
        2,
      )}\n`,
    );
    return 0;
  }
  const s = styles(ctx.colour);
  const width = ctx.width;
  const lines: string[] = [];
  const field = (name: string, value: string) => {
    if (value !== "") lines.push(truncate(`${s.dim(padEnd(name, 12))}${value}`, width));
  };
  // every string from tracker files goes through `clean`: no escape sequences reach the terminal
  const clean = safeText;
  const ref = (t: Task) => {
    const f = index.facts(t);
    const mark = f.open ? "" : s.green(" ✓");
    return `${s.bold(t.id)} ${clean(t.title)} ${s.dim(`(${clean(t.status)})`)}${mark}`;
  };
  lines.push(...wrap(s.bold(`${task.id}  ${clean(task.title)}`), width));
  lines.push("");
  const status = tracker.settings.statuses.find((st) => st.id === task.status);
  field(
    "Status",
    `${status?.name ?? task.status}${facts.category !== undefined ? s.dim(` · ${facts.category}`) : ""}${task.archived ? s.yellow(" · archived") : ""}`,
  );
  if (facts.blocked) field("Blocked", s.red(`waiting on ${facts.blockers.join(", ")}`));
  field(
    "Assignees",
    task.assignees.map((a) => `${clean(tracker.person(a)?.name ?? a)} (${clean(a)})`).join(", ") ||
      s.dim("nobody"),
  );
  field("Priority", clean(task.priority ?? ""));
  const unit = tracker.settings.estimateUnit === "hours" ? "h" : " points";
  if (facts.rolledEstimate !== undefined) {
    field(
      "Estimate",
      `${facts.rolledEstimate}${unit}${facts.rolledEstimate !== task.estimate ? s.dim(" (rolled up from sub-tasks)") : ""}`,
    );
  }
  const checklist =
    task.checklist.total > 0 ? ` · checklist ${task.checklist.done}/${task.checklist.total}` : "";
  field("Progress", `${Math.round(facts.progress * 100)}%${checklist}`);
  const milestone = task.milestone !== undefined ? tracker.milestone(task.milestone) : undefined;
  if (task.milestone !== undefined) {
    field(
      "Milestone",
      `${clean(task.milestone)}${milestone !== undefined ? ` · ${clean(milestone.title)}${milestone.due !== undefined ? ` (due ${milestone.due})` : ""}` : ""}`,
    );
  }
  const dates: string[] = [];
  if (task.start !== undefined) dates.push(`start ${task.start}`);
  if (task.due !== undefined) {
    const days = daysBetween(ctx.today, task.due);
    const when = !facts.open
      ? ""
      : days < 0
        ? s.red(` (${-days} days late)`)
        : days === 0
          ? " (today)"
          : ` (in ${days} days)`;
    dates.push(`due ${task.due}${when}`);
  }
  if (task.created !== undefined)
    dates.push(
      `created ${task.created}${facts.ageDays !== undefined ? ` (${facts.ageDays} days ago)` : ""}`,
    );
  field("Dates", dates.join(" · "));
  field("Labels", clean(task.labels.join(", ")));
  field("Project", clean(tracker.project(task.project)?.name ?? task.project));
  const parent = task.parent !== undefined ? index.byId.get(task.parent) : undefined;
  if (task.parent !== undefined)
    field("Parent", parent !== undefined ? ref(parent) : clean(task.parent));
  const relation = (name: string, tasks: readonly Task[]) => {
    tasks.forEach((t, i) => {
      field(i === 0 ? name : "", ref(t));
    });
  };
  relation("Sub-tasks", index.children(task.id));
  relation("Depends on", index.dependsOn(task.id));
  relation("Blocks", index.blocks(task.id));
  task.attachments.forEach((a, i) => {
    field(
      i === 0 ? "Attachments" : "",
      `${a.title !== undefined ? `${clean(a.title)} ` : ""}${s.dim(clean(ctx.display(a.path)))}`,
    );
  });
  if (entries.length > 0) {
    const billable = entries.filter((e) => e.billable).reduce((n, e) => n + e.minutes, 0);
    field(
      "Time logged",
      `${formatDuration(facts.loggedMinutes)} in ${entries.length} entries${billable > 0 ? `, ${formatDuration(billable)} billable` : ""} · ${[
        ...byPerson,
      ]
        .map(([p, m]) => `${clean(p)} ${formatDuration(m)}`)
        .join(", ")}`,
    );
    for (const e of entries.slice(-5))
      field(
        "",
        s.dim(
          `${e.date} ${e.person} ${formatDuration(e.minutes)}${e.note !== undefined ? ` ${e.note}` : ""}`,
        ),
      );
  }
  field("File", s.dim(ctx.display(task.file)));
  io.stdout.write(`${lines.join("\n")}\n`);
  if (task.body.trim() !== "") {
    io.stdout.write(`\n${renderMarkdown(task.body, { width, colour: ctx.colour })}`);
  }
  return 0;
}
