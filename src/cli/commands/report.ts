import type { Settings } from "../../core/model.js";
import {
  burnChart,
  cumulativeFlow,
  flowTimes,
  percentiles,
  throughput,
} from "../../core/reports/flow.js";
import { terminalWidth } from "../context.js";
import { CliError, type CliIO, styles, useColour } from "../io.js";
import { renderCsv, renderTable, type TableColumn, type TableRow } from "../render/table.js";
import { resolveTrackerRoot } from "../tracker-path.js";

export const REPORT_KINDS = ["cycle-time", "throughput", "cfd", "burndown", "burnup"] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export interface ReportOptions {
  readonly tracker?: string;
  readonly milestone?: string;
  readonly format: "table" | "json" | "csv";
  readonly by: "estimate" | "count";
}

/** `trackdown report KIND`: flow reports computed from the git history of the tracker. */
export async function runReport(
  io: CliIO,
  kind: ReportKind,
  options: ReportOptions,
): Promise<number> {
  const root = resolveTrackerRoot(io, options.tracker);
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
      const times = flowTimes(history, settings);
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
      const weeks = throughput(history, settings);
      json = { weeks };
      columns = [
        { key: "week", header: "WEEK OF" },
        { key: "finished", header: "FINISHED", align: "right" },
      ];
      rows = weeks.map((w) => ({ week: w.week, finished: String(w.finished) }));
      break;
    }
    case "cfd": {
      const days = cumulativeFlow(history, settings);
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
    default: {
      if (options.milestone === undefined)
        throw new CliError(`trackdown report ${kind} needs --milestone ID.`);
      const points = burnChart(history, settings, options.milestone, { by: options.by });
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
  if (options.format === "json") {
    io.stdout.write(
      `${JSON.stringify({ report: kind, complete: history.complete, ...(json as object) }, null, 2)}\n`,
    );
    return 0;
  }
  if (options.format === "csv") {
    io.stdout.write(renderCsv(rows, columns));
    return 0;
  }
  const colour = useColour(io);
  io.stdout.write(renderTable(rows, columns, { width: terminalWidth(io), colour }));
  if (footer !== "") io.stdout.write(footer);
  if (!history.complete)
    io.stdout.write(
      styles(colour).yellow(`History is incomplete: ${history.stoppedBecause ?? ""}\n`),
    );
  return 0;
}
