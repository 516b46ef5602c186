// The content of a task page as one HTML string: 10,000 task pages are most of a big
// site's build, and building them from strings is several times cheaper than from nested
// components. Every text from the tracker is escaped here; the description is the
// sanitised HTML of the Markdown renderer.
import type { Task } from "../../../dist/node/index.js";
import { escapeHtml as e } from "./cards";
import type { SiteData } from "./data";

const hours = (m: number) => `${Math.floor(m / 60)}h${m % 60 === 0 ? "" : ` ${m % 60}m`}`;
const date = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);

const built = new WeakMap<SiteData, Map<string, string>>();

/** A task page's content (built once per task: the build manifest hashes it too). */
export function taskPageHtml(data: SiteData, task: Task): string {
  let pages = built.get(data);
  if (pages === undefined) {
    pages = new Map();
    built.set(data, pages);
  }
  let html = pages.get(task.id);
  if (html === undefined) {
    html = buildTaskPage(data, task);
    pages.set(task.id, html);
  }
  return html;
}

function buildTaskPage(data: SiteData, task: Task): string {
  const { tracker, index, base } = data;
  const facts = index.facts(task);
  const body = data.body(task);
  const person = (id: string) => tracker.person(id)?.name ?? id;
  const link = (href: string, text: string, extra = "") =>
    `<a href="${e(href)}"${extra}>${e(text)}</a>`;
  const taskLink = (t: Task | string) => {
    const id = typeof t === "string" ? t : t.id;
    return link(`${base}tasks/${id}/`, id);
  };
  const status = tracker.settings.statuses.find((s) => s.id === task.status);
  const project = tracker.project(task.project);
  const field = (name: string, value: string) => `<dt>${name}</dt><dd>${value}</dd>`;
  const fields = [
    field("Status", `${e(status?.name ?? task.status)}${task.archived ? " (archived)" : ""}`),
    field(
      "Assignees",
      task.assignees.length === 0
        ? "—"
        : task.assignees.map((a) => link(`${base}people/${a}/`, person(a))).join(", "),
    ),
    task.priority !== undefined ? field("Priority", e(task.priority)) : "",
    task.estimate !== undefined
      ? field("Estimate", `${task.estimate} ${e(tracker.settings.estimateUnit)}`)
      : "",
    task.labels.length > 0
      ? field("Labels", task.labels.map((l) => `<span class="badge">${e(l)}</span>`).join(""))
      : "",
    task.milestone !== undefined
      ? field(
          "Milestone",
          link(
            `${base}milestones/${task.milestone}/`,
            tracker.milestone(task.milestone)?.title ?? task.milestone,
          ),
        )
      : "",
    task.start !== undefined ? field("Start", e(task.start)) : "",
    task.due !== undefined
      ? `<dt>Due</dt><dd${facts.overdue ? ' class="overdue"' : ""}>${e(task.due)}${facts.overdue ? " (overdue)" : ""}</dd>`
      : "",
    task.created !== undefined ? field("Created", e(task.created)) : "",
    task.checklist.total > 0
      ? field(
          "Checklist",
          `<div class="progress" role="img" aria-label="${task.checklist.done} of ${task.checklist.total} items done"><span style="width:${Math.round((task.checklist.done / task.checklist.total) * 100)}%"></span></div>${task.checklist.done} of ${task.checklist.total} done`,
        )
      : "",
    task.parent !== undefined ? field("Parent", taskLink(task.parent)) : "",
  ].join("");
  const children = index.children(task.id);
  const dependsOn = index.dependsOn(task.id);
  const blocks = index.blocks(task.id);
  const entries = index.timeEntries(task.id);
  const minutes = entries.reduce((sum, entry) => sum + entry.minutes, 0);
  const timeline = data.timeline(task.id);
  const commits = [...data.commitsOf(task.id)].reverse().slice(0, 30);
  const editUrl =
    data.repositoryUrl !== undefined
      ? `${data.repositoryUrl}/edit/${data.branch}/${[data.repositoryPath, task.file].filter((p) => p !== "").join("/")}`
      : undefined;
  const sections = [
    `<p class="muted">${link(`${base}projects/${project?.key ?? task.project}/`, project?.name ?? task.project)} › ${e(task.id)}</p>`,
    `<h1>${e(task.title)}</h1>`,
    editUrl !== undefined ? `<p>${link(editUrl, "Edit on GitHub", ' rel="noopener"')}</p>` : "",
    `<dl class="fields">${fields}</dl>`,
    `<section class="markdown" aria-label="Description">${body.html}</section>`,
    children.length > 0
      ? `<section><h2>Sub-tasks</h2><ul>${children.map((c) => `<li>${link(`${base}tasks/${c.id}/`, `${c.id} ${c.title}`)} <span class="muted">${e(c.status)}</span></li>`).join("")}</ul></section>`
      : "",
    dependsOn.length + blocks.length > 0
      ? `<section><h2>Dependencies</h2>${dependsOn.length > 0 ? `<p>Depends on: ${dependsOn.map(taskLink).join(", ")}</p>` : ""}${blocks.length > 0 ? `<p>Blocks: ${blocks.map(taskLink).join(", ")}</p>` : ""}</section>`
      : "",
    timeline.length > 0
      ? `<section><h2>Status history</h2><ol>${timeline
          .map(
            (ev) =>
              `<li><span class="muted">${date(ev.timestamp)}</span> ${ev.from === undefined ? `created in ${e(ev.to)}` : `${e(ev.from)} → ${e(ev.to)}`} by ${e(ev.author)} <code>${ev.commit.slice(0, 7)}</code></li>`,
          )
          .join("")}</ol></section>`
      : "",
    commits.length > 0
      ? `<section><h2>Commits</h2><ul>${commits
          .map((c) => {
            const id = `<code>${c.oid.slice(0, 7)}</code>`;
            const commit =
              data.repositoryUrl !== undefined
                ? `<a href="${e(`${data.repositoryUrl}/commit/${c.oid}`)}" rel="noopener">${id}</a>`
                : id;
            return `<li><span class="muted">${date(c.info.committer.timestamp)}</span> ${commit} ${e(c.info.message.split("\n")[0] ?? "")} <span class="muted">(${e(c.info.author.name)})</span></li>`;
          })
          .join("")}</ul></section>`
      : "",
    entries.length > 0
      ? `<section><h2>Time logged (${hours(minutes)})</h2><div class="table-wrap"><table><thead><tr><th>Date</th><th>Person</th><th>Duration</th><th>Note</th></tr></thead><tbody>${entries
          .map(
            (t) =>
              `<tr><td>${e(t.date)}</td><td>${e(person(t.person))}</td><td>${e(t.duration)}</td><td>${e(t.note ?? "")}</td></tr>`,
          )
          .join("")}</tbody></table></div></section>`
      : "",
    task.attachments.length > 0
      ? `<section><h2>Attachments</h2><ul>${task.attachments.map((a) => `<li>${link(`${base}${a.path}`, a.title ?? a.path)}</li>`).join("")}</ul></section>`
      : "",
  ];
  return sections.join("\n");
}
