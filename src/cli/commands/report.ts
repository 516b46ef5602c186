import { formatDuration } from "../../core/duration.js";
import { indexTracker } from "../../core/index/tracker-index.js";
import type { Settings } from "../../core/model.js";
import { cycleTimeChart } from "../../core/reports/charts.js";
import {
  burnChart,
  cumulativeFlow,
  flowTimes,
  percentiles,
  throughput,
} from "../../core/reports/flow.js";
import { type Chart, renderChart } from "../../core/reports/svg.js";
import {
  milestoneForecasts,
  timesheet,
  velocity,
  workItemAge,
  workload,
} from "../../core/reports/work.js";
import { loadTracker } from "../../node/load.js";
import { terminalWidth } from "../context.js";
import { CliError, type CliIO, styles, useColour } from "../io.js";
import {
  renderCsv,
  renderMarkdownTable,
  renderTable,
  type TableColumn,
  type TableRow,
} from "../render/table.js";
import { resolveTrackerRoot } from "../tracker-path.js";

export const REPORT_KINDS = [
  "cycle-time",
  "throughput",
  "cfd",
  "burndown",
  "burnup",
  "age",
  "timesheet",
  "workload",
  "velocity",
  "forecast",
] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export interface ReportOptions {
  readonly tracker?: string;
  readonly milestone?: string;
  readonly format: "table" | "json" | "csv" | "md" | "svg";
  readonly by: "estimate" | "count";
  /** Only this project (its key). */
  readonly project?: string;
  /** Only these local days (YYYY-MM-DD, inclusive). */
  readonly from?: string;
  readonly to?: string;
}

/** `trackdown report KIND`: flow reports computed from the git history of the tracker. */
export async function runReport(io: CliIO, name: string, options: ReportOptions): Promise<number> {
  if (!(REPORT_KINDS as readonly string[]).includes(name)) {
    throw new CliError(`Unknown report "${name}"; reports: ${REPORT_KINDS.join(", ")}.`);
  }
  const kind = name as ReportKind;
  const root = resolveTrackerRoot(io, options.tracker);
  if (kind === "timesheet" || kind === "workload" || kind === "velocity") {
    return snapshotReport(io, root, kind, options);
  }
  const { loadTrackerHistory, workingTreeSettings } = await import("../../node/git.js");
  const settings: Settings = workingTreeSettings(root);
  let history: Awaited<ReturnType<typeof loadTrackerHistory>>;
  try {
    history = await loadTrackerHistory(root);
  } catch (error) {
    if (error instanceof Error && error.name === "GitProblem") throw new CliError(error.message);
    throw error;
  }
  let columns: TableColumn[];
  let rows: TableRow[];
  let json: unknown;
  let footer = "";
  switch (kind) {
    case "cycle-time": {
      const times = flowTimes(history, settings, filterOf(options));
      const cycle = percentiles(
        times.flatMap((t) => (t.cycleDays === undefined ? [] : [t.cycleDays])),
      );
      const lead = percentiles(times.map((t) => t.leadDays));
      json = { tasks: times, cycle: cycle ?? null, lead: lead ?? null };
      columns = [
        { key: "task", header: "TASK" },
        { key: "day", header: "FINISHED" },
        { key: "cycle", header: "CYCLE (DAYS)", align: "right" },
        { key: "lead", header: "LEAD (DAYS)", align: "right" },
      ];
      rows = times.map((t) => ({
        task: t.task,
        day: t.day,
        cycle: t.cycleDays === undefined ? "" : String(t.cycleDays),
        lead: String(t.leadDays),
      }));
      const p = (x: { p50: number; p85: number; p95: number } | undefined) =>
        x === undefined ? "—" : `50% ${x.p50} · 85% ${x.p85} · 95% ${x.p95}`;
      footer = `${times.length} finished tasks. Cycle time (days): ${p(cycle)}. Lead time (days): ${p(lead)}.\n`;
      break;
    }
    case "throughput": {
      const weeks = throughput(history, settings, filterOf(options));
      json = { weeks };
      columns = [
        { key: "week", header: "WEEK OF" },
        { key: "finished", header: "FINISHED", align: "right" },
      ];
      rows = weeks.map((w) => ({ week: w.week, finished: String(w.finished) }));
      break;
    }
    case "cfd": {
      const days = cumulativeFlow(history, settings, filterOf(options));
      json = { statuses: settings.statuses.map((s) => s.id), days };
      columns = [
        { key: "day", header: "DAY" },
        ...settings.statuses.map((s) => ({
          key: s.id,
          header: s.name.toUpperCase(),
          align: "right" as const,
        })),
      ];
      rows = days.map((d) => ({
        day: d.day,
        ...Object.fromEntries(Object.entries(d.counts).map(([k, v]) => [k, String(v)])),
      }));
      break;
    }
    case "age":
    case "forecast": {
      const tracker = await loadTracker(root);
      const index = indexTracker(tracker, todayOption(io));
      if (kind === "age") {
        const ages = workItemAge(tracker, index, history);
        json = { today: index.today, tasks: ages };
        columns = [
          { key: "task", header: "TASK" },
          { key: "status", header: "STATUS" },
          { key: "since", header: "SINCE" },
          { key: "days", header: "AGE (DAYS)", align: "right" },
        ];
        rows = ages.map((a) => ({
          task: a.task,
          status: a.status,
          since: `${a.since}${a.started ? "" : " (created)"}`,
          days: String(a.days),
        }));
      } else {
        const forecasts = milestoneForecasts(tracker, index, history);
        json = { today: index.today, milestones: forecasts };
        columns = [
          { key: "milestone", header: "MILESTONE" },
          { key: "due", header: "DUE" },
          { key: "done", header: "DONE", align: "right" },
          { key: "remaining", header: "LEFT", align: "right" },
          { key: "pace", header: "TASKS/WEEK", align: "right" },
          { key: "forecast", header: "FORECAST" },
        ];
        rows = forecasts.map((f) => ({
          milestone: f.milestone,
          due: f.due ?? "",
          done: `${f.done}/${f.total}`,
          remaining: String(f.remaining),
          pace: String(f.pace),
          forecast:
            f.forecast === undefined ? "—" : `${f.forecast}${f.late === true ? " (late)" : ""}`,
        }));
      }
      break;
    }
    default: {
      if (options.milestone === undefined)
        throw new CliError(`trackdown report ${kind} needs --milestone ID.`);
      const points = burnChart(history, settings, options.milestone, {
        by: options.by,
        ...(options.from !== undefined ? { from: options.from } : {}),
        ...(options.to !== undefined ? { until: options.to } : {}),
      });
      if (points.length === 0)
        throw new CliError(`No task has ever been in the milestone "${options.milestone}".`, 1);
      json = { milestone: options.milestone, by: options.by, points };
      columns =
        kind === "burndown"
          ? [
              { key: "day", header: "DAY" },
              { key: "remaining", header: "REMAINING", align: "right" },
              { key: "scope", header: "SCOPE", align: "right" },
            ]
          : [
              { key: "day", header: "DAY" },
              { key: "done", header: "DONE", align: "right" },
              { key: "scope", header: "SCOPE", align: "right" },
            ];
      rows = points.map((p) => ({
        day: p.day,
        remaining: String(p.remaining),
        done: String(p.done),
        scope: String(p.scope),
      }));
    }
  }
  return writeReport(io, kind, { columns, rows, json, footer, history }, settings, options);
}

/** What a report prints, whatever the format. */
interface ReportOutput {
  readonly columns: readonly TableColumn[];
  readonly rows: readonly TableRow[];
  /** The report's data for --format json. */
  readonly json: unknown;
  /** A line after the table. */
  readonly footer?: string;
  /** The history it came from, for reports built on one. */
  readonly history?: { readonly complete: boolean; readonly stoppedBecause?: string };
}

/** Prints a report in the chosen format: one place for every report. */
function writeReport(
  io: CliIO,
  kind: ReportKind,
  out: ReportOutput,
  settings: Settings,
  options: ReportOptions,
): number {
  const { columns, rows, history } = out;
  switch (options.format) {
    case "json":
      io.stdout.write(
        `${JSON.stringify({ report: kind, ...(history !== undefined ? { complete: history.complete } : {}), ...(out.json as object) }, null, 2)}\n`,
      );
      return 0;
    case "md":
      io.stdout.write(renderMarkdownTable(rows, columns));
      return 0;
    case "csv":
      io.stdout.write(renderCsv(rows, columns));
      return 0;
    case "svg": {
      const chart = chartOf(kind, rows, settings, options.milestone);
      if (chart === undefined) {
        throw new CliError(`The ${kind} report has no chart; use --format table, csv, md or json.`);
      }
      io.stdout.write(renderChart(chart, `trackdown-${kind}`));
      return 0;
    }
    default: {
      const colour = useColour(io);
      io.stdout.write(renderTable(rows, columns, { width: terminalWidth(io), colour }));
      if (out.footer !== undefined && out.footer !== "") io.stdout.write(out.footer);
      if (history !== undefined && !history.complete) {
        io.stdout.write(
          styles(colour).yellow(`History is incomplete: ${history.stoppedBecause ?? ""}\n`),
        );
      }
      return 0;
    }
  }
}

/** The report filter from the options, dates checked. */
function filterOf(options: ReportOptions): { project?: string; from?: string; to?: string } {
  for (const [name, value] of [
    ["--from", options.from],
    ["--to", options.to],
  ] as const) {
    if (value !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
      throw new CliError(`${name} "${value}" is not a date written YYYY-MM-DD.`);
    }
  }
  return {
    ...(options.project !== undefined ? { project: options.project } : {}),
    ...(options.from !== undefined ? { from: options.from } : {}),
    ...(options.to !== undefined ? { to: options.to } : {}),
  };
}

const todayOption = (io: CliIO) =>
  io.env.TRACKDOWN_TODAY !== undefined && io.env.TRACKDOWN_TODAY !== ""
    ? { today: io.env.TRACKDOWN_TODAY }
    : {};

/** Reports that need only the current snapshot: timesheet, workload, velocity. */
async function snapshotReport(
  io: CliIO,
  root: string,
  kind: "timesheet" | "workload" | "velocity",
  options: ReportOptions,
): Promise<number> {
  const tracker = await loadTracker(root);
  const index = indexTracker(tracker, todayOption(io));
  let columns: TableColumn[];
  let rows: TableRow[];
  let json: unknown;
  const hours = (m: number) => (m === 0 ? "" : formatDuration(m));
  if (kind === "timesheet") {
    const sheet = timesheet(tracker, filterOf(options));
    json = sheet;
    columns = [
      { key: "person", header: "PERSON" },
      ...sheet.weeks.map((w) => ({ key: w, header: w.slice(5), align: "right" as const })),
      { key: "total", header: "TOTAL", align: "right" },
      { key: "billable", header: "BILLABLE", align: "right" },
    ];
    rows = Object.entries(sheet.byPerson).map(([person, byWeek]) => {
      const all = Object.values(byWeek);
      return {
        person,
        ...Object.fromEntries(sheet.weeks.map((w) => [w, hours(byWeek[w]?.minutes ?? 0)])),
        total: hours(all.reduce((n, l) => n + l.minutes, 0)),
        billable: hours(all.reduce((n, l) => n + l.billable, 0)),
      };
    });
    rows.push({
      person: "total",
      total: hours(sheet.total.minutes),
      billable: hours(sheet.total.billable),
    });
  } else if (kind === "workload") {
    const loads = workload(tracker, index);
    json = { today: index.today, unit: tracker.settings.estimateUnit, people: loads };
    columns = [
      { key: "person", header: "PERSON" },
      { key: "open", header: "OPEN TASKS", align: "right" },
      {
        key: "estimate",
        header: `OPEN ${tracker.settings.estimateUnit.toUpperCase()}`,
        align: "right",
      },
      { key: "capacity", header: "CAPACITY H/WK", align: "right" },
      { key: "recent", header: "LOGGED H/WK (4 WK)", align: "right" },
    ];
    rows = loads.map((l) => ({
      person: l.person,
      open: String(l.openTasks),
      estimate: String(l.openEstimate),
      capacity: l.capacity === undefined ? "" : String(l.capacity),
      recent: String(l.recentHoursPerWeek),
    }));
  } else {
    const v = velocity(tracker, index);
    json = { unit: tracker.settings.estimateUnit, milestones: v };
    columns = [
      { key: "milestone", header: "MILESTONE" },
      { key: "tasks", header: "TASKS DONE", align: "right" },
      {
        key: "finished",
        header: `${tracker.settings.estimateUnit.toUpperCase()} DONE`,
        align: "right",
      },
    ];
    rows = v.map((m) => ({
      milestone: m.milestone,
      tasks: String(m.tasks),
      finished: String(m.finished),
    }));
  }
  return writeReport(io, kind, { columns, rows, json }, tracker.settings, options);
}

/** The chart of a report, from its table rows; undefined for reports that have none. */
function chartOf(
  kind: ReportKind,
  rows: readonly TableRow[],
  settings: Settings,
  milestone: string | undefined,
): Chart | undefined {
  const num = (row: TableRow, key: string) => Number(row[key] ?? 0) || 0;
  const x = (key: string) => rows.map((r) => r[key] ?? "");
  switch (kind) {
    case "throughput":
      return {
        title: "Throughput",
        description: `Tasks finished per week, ${rows.length} weeks from ${rows[0]?.week ?? "—"}.`,
        x: x("week"),
        series: [{ name: "finished", kind: "bar", values: rows.map((r) => num(r, "finished")) }],
        yLabel: "tasks",
      };
    case "cfd":
      return {
        title: "Cumulative flow",
        description: `Tasks in each status at the end of each day, ${rows.length} days from ${rows[0]?.day ?? "—"}.`,
        x: x("day"),
        series: [...settings.statuses].reverse().map((st) => ({
          name: st.name,
          kind: "area" as const,
          values: rows.map((r) => num(r, st.id)),
        })),
        yLabel: "tasks",
      };
    case "burndown":
    case "burnup":
      return {
        title: `${kind === "burndown" ? "Burndown" : "Burnup"}: ${milestone ?? ""}`,
        description: `${kind === "burndown" ? "Work remaining" : "Work done"} in ${milestone ?? "the milestone"} each day, beside its scope, which moves when work joins or leaves.`,
        x: x("day"),
        series: [
          {
            name: kind === "burndown" ? "remaining" : "done",
            values: rows.map((r) => num(r, kind === "burndown" ? "remaining" : "done")),
          },
          { name: "scope", dashed: true, values: rows.map((r) => num(r, "scope")) },
        ],
      };
    case "cycle-time":
      return cycleTimeChart(
        rows
          .filter((r) => (r.cycle ?? "") !== "")
          .map((r) => ({ task: r.task ?? "", day: r.day ?? "", cycleDays: num(r, "cycle") })),
      );
    case "velocity":
      return {
        title: "Velocity",
        description: "Estimate of finished tasks per milestone.",
        x: x("milestone"),
        series: [{ name: "finished", kind: "bar", values: rows.map((r) => num(r, "finished")) }],
      };
    default:
      return undefined;
  }
}
