import { percentiles } from "./flow.js";
import type { Chart } from "./svg.js";

/** One finished task of a cycle-time chart. */
export interface CyclePoint {
  readonly task: string;
  /** The day it finished. */
  readonly day: string;
  readonly cycleDays: number;
}

/**
 * Cycle time as a scatter: one dot per finished task on the day it finished, with lines at
 * the 50th, 85th and 95th percentiles. The CLI's `report cycle-time -f svg` and the site
 * draw the same chart.
 */
export function cycleTimeChart(points: readonly CyclePoint[]): Chart {
  const levels = percentiles(points.map((p) => p.cycleDays));
  return {
    title: "Cycle time",
    description: `Days from start to done for ${points.length} finished tasks, by the day they finished${levels === undefined ? "" : `; 50% took ${levels.p50} days or less, 85% ${levels.p85}, 95% ${levels.p95}`}.`,
    x: points.map((p) => p.day),
    series: [
      {
        name: "cycle time (days)",
        kind: "dots",
        values: points.map((p) => p.cycleDays),
        labels: points.map((p) => `${p.task}, finished ${p.day}`),
      },
    ],
    yLabel: "days",
    ...(levels === undefined
      ? {}
      : {
          references: [
            { name: "50%", value: levels.p50 },
            { name: "85%", value: levels.p85 },
            { name: "95%", value: levels.p95 },
          ],
        }),
  };
}
