// Charts of the reports, rendered to SVG on the server by the library's renderer; each
// page shows the same numbers as a table too.
import {
  burnChart,
  type Chart,
  cumulativeFlow,
  cycleTimeChart,
  flowTimes,
  renderChart,
  type Settings,
  type TrackerHistory,
  throughput,
} from "../../../dist/node/index.js";

export interface Figure {
  readonly svg: string;
  readonly headers: readonly string[];
  readonly rows: readonly (readonly (string | number)[])[];
}

const figure = (
  chart: Chart,
  id: string,
  headers: string[],
  rows: (string | number)[][],
): Figure => ({
  svg: renderChart(chart, id),
  headers,
  rows,
});

export function cfdFigure(history: TrackerHistory, settings: Settings, project?: string): Figure {
  const points = cumulativeFlow(history, settings, project !== undefined ? { project } : {}).slice(
    -120,
  );
  const statuses = [...settings.statuses].reverse();
  return figure(
    {
      title: "Cumulative flow",
      description: `Tasks in each status at the end of each day, over the last ${points.length} days.`,
      x: points.map((p) => p.day),
      series: statuses.map((s) => ({
        name: s.name,
        kind: "area" as const,
        values: points.map((p) => p.counts[s.id] ?? 0),
      })),
      yLabel: "tasks",
    },
    "cfd",
    ["day", ...statuses.map((s) => s.name)],
    points.map((p) => [p.day, ...statuses.map((s) => p.counts[s.id] ?? 0)]),
  );
}

export function cycleTimeFigure(history: TrackerHistory, settings: Settings): Figure {
  const times = flowTimes(history, settings).filter((t) => t.cycleDays !== undefined);
  return figure(
    cycleTimeChart(times.map((t) => ({ task: t.task, day: t.day, cycleDays: t.cycleDays! }))),
    "cycle",
    ["task", "finished", "cycle days", "lead days"],
    times.map((t) => [t.task, t.day, t.cycleDays ?? "", t.leadDays]),
  );
}

export function throughputFigure(history: TrackerHistory, settings: Settings): Figure {
  const weeks = throughput(history, settings).slice(-26);
  return figure(
    {
      title: "Throughput",
      description: `Tasks finished per week, the last ${weeks.length} weeks.`,
      x: weeks.map((w) => w.week),
      series: [{ name: "finished", kind: "bar", values: weeks.map((w) => w.finished) }],
      yLabel: "tasks",
    },
    "throughput",
    ["week", "finished"],
    weeks.map((w) => [w.week, w.finished]),
  );
}

export function burnFigure(
  history: TrackerHistory,
  settings: Settings,
  milestone: string,
  title: string,
): Figure | undefined {
  const points = burnChart(history, settings, milestone);
  if (points.length === 0) return undefined;
  return figure(
    {
      title: `Burndown: ${title}`,
      description: `Work remaining in ${title} each day, beside its scope, which moves when work joins or leaves.`,
      x: points.map((p) => p.day),
      series: [
        { name: "remaining", values: points.map((p) => p.remaining) },
        { name: "done", values: points.map((p) => p.done) },
        { name: "scope", dashed: true, values: points.map((p) => p.scope) },
      ],
    },
    `burn-${milestone}`,
    ["day", "scope", "done", "remaining"],
    points.map((p) => [p.day, p.scope, p.done, p.remaining]),
  );
}

export function velocityFigure(
  rows: readonly { milestone: string; title: string; finished: number; tasks: number }[],
  unit: string,
): Figure {
  return figure(
    {
      title: "Velocity",
      description: `${unit} of finished tasks per milestone.`,
      x: rows.map((r) => r.title),
      series: [{ name: `${unit} done`, kind: "bar", values: rows.map((r) => r.finished) }],
      yLabel: unit,
    },
    "velocity",
    ["milestone", "tasks done", `${unit} done`],
    rows.map((r) => [r.title, r.tasks, r.finished]),
  );
}
