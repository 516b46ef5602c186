// Charts as self-contained SVG: no script, readable in light and dark (CSS with
// prefers-color-scheme), and accessible: role="img" with a title and a description, and
// every data point a list item with an aria-label, so screen readers get the numbers.
// The site reuses these renderers; the same numbers are always available as tables too.

/** One series of a chart. */
export interface ChartSeries {
  readonly name: string;
  readonly values: readonly number[];
  /**
   * How the series is drawn (default line). `area` series stack, in order; `dots` is a
   * scatter (one point per x, e.g. one finished task).
   */
  readonly kind?: "line" | "bar" | "area" | "dots";
  /** What each point is, for assistive technology (default: its x label). */
  readonly labels?: readonly string[];
  /** A dashed line, for reference lines such as scope. */
  readonly dashed?: boolean;
}

/** What to chart. */
export interface Chart {
  readonly title: string;
  /** One or two sentences for people who cannot see the chart. */
  readonly description: string;
  /** Labels of the x axis, one per value (days, weeks). */
  readonly x: readonly string[];
  readonly series: readonly ChartSeries[];
  readonly yLabel?: string;
  /** Horizontal reference lines across the plot, labelled (percentiles, targets). */
  readonly references?: readonly { readonly name: string; readonly value: number }[];
}

const WIDTH = 720;
const HEIGHT = 360;
const PAD = { left: 56, right: 16, top: 40, bottom: 72 };
const PALETTE = [
  "#2563eb",
  "#16a34a",
  "#ea580c",
  "#9333ea",
  "#0891b2",
  "#ca8a04",
  "#dc2626",
  "#4b5563",
];

const escapeXml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const n = (v: number) => (Math.round(v * 10) / 10).toString();

/** A chart as an SVG document. Pure; the output depends only on the input. */
export function renderChart(chart: Chart, id = "chart"): string {
  const count = chart.x.length;
  const areas = chart.series.filter((s) => s.kind === "area");
  const stacked = chart.x.map((_, i) => areas.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const max = Math.max(
    1,
    ...stacked,
    ...chart.series.filter((s) => s.kind !== "area").flatMap((s) => s.values),
    ...(chart.references ?? []).map((r) => r.value),
  );
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (count <= 1 ? plotW / 2 : (i / (count - 1)) * plotW);
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const titleId = `${id}-title`;
  const descId = `${id}-desc`;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${titleId} ${descId}" class="trackdown-chart">`,
    `<title id="${titleId}">${escapeXml(chart.title)}</title>`,
    `<desc id="${descId}">${escapeXml(chart.description)}</desc>`,
    "<style>",
    ".trackdown-chart{--fg:#1f2937;--muted:#6b7280;--grid:#e5e7eb;--bg:#ffffff;font-family:system-ui,sans-serif;font-size:12px}",
    "@media (prefers-color-scheme: dark){.trackdown-chart{--fg:#e5e7eb;--muted:#9ca3af;--grid:#374151;--bg:#111827}}",
    ".trackdown-chart .bg{fill:var(--bg)} .trackdown-chart text{fill:var(--fg)} .trackdown-chart .muted{fill:var(--muted)}",
    ".trackdown-chart .grid{stroke:var(--grid);stroke-width:1}",
    "</style>",
    `<rect class="bg" x="0" y="0" width="${WIDTH}" height="${HEIGHT}"/>`,
    `<text x="${PAD.left}" y="24" font-size="15" font-weight="600">${escapeXml(chart.title)}</text>`,
  ];
  // grid and y axis: five steps
  for (let k = 0; k <= 4; k++) {
    const value = (max * k) / 4;
    out.push(
      `<line class="grid" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${n(y(value))}" y2="${n(y(value))}"/>`,
      `<text class="muted" x="${PAD.left - 6}" y="${n(y(value) + 4)}" text-anchor="end">${n(value)}</text>`,
    );
  }
  if (chart.yLabel !== undefined) {
    out.push(
      `<text class="muted" transform="translate(14 ${PAD.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(chart.yLabel)}</text>`,
    );
  }
  // x labels: at most ~12, evenly spaced
  const every = Math.max(1, Math.ceil(count / 12));
  chart.x.forEach((label, i) => {
    if (i % every !== 0 && i !== count - 1) return;
    out.push(
      `<text class="muted" x="${n(x(i))}" y="${HEIGHT - PAD.bottom + 16}" text-anchor="middle">${escapeXml(label)}</text>`,
    );
  });
  // stacked areas first, then bars, then lines on top
  const base = chart.x.map(() => 0);
  chart.series.forEach((s, k) => {
    const colour = PALETTE[k % PALETTE.length]!;
    if (s.kind === "area") {
      const top = s.values.map((v, i) => base[i]! + v);
      const points = [
        ...top.map((v, i) => `${n(x(i))},${n(y(v))}`),
        ...base.map((v, i) => `${n(x(i))},${n(y(v))}`).reverse(),
      ];
      out.push(
        `<polygon points="${points.join(" ")}" fill="${colour}" fill-opacity="0.55" stroke="${colour}"/>`,
      );
      top.forEach((v, i) => {
        base[i] = v;
      });
    }
  });
  const barSeries = chart.series.filter((s) => s.kind === "bar");
  chart.series.forEach((s, k) => {
    const colour = PALETTE[k % PALETTE.length]!;
    if (s.kind === "bar") {
      const slot = plotW / Math.max(1, count);
      const w = Math.max(1, (slot * 0.7) / barSeries.length);
      const offset = barSeries.indexOf(s) * w - (w * barSeries.length) / 2;
      s.values.forEach((v, i) => {
        out.push(
          `<rect x="${n(x(i) + offset)}" y="${n(y(v))}" width="${n(w)}" height="${n(y(0) - y(v))}" fill="${colour}"/>`,
        );
      });
    } else if (s.kind === "dots") {
      s.values.forEach((v, i) => {
        out.push(
          `<circle cx="${n(x(i))}" cy="${n(y(v))}" r="4" fill="${colour}" fill-opacity="0.7"/>`,
        );
      });
    } else if (s.kind !== "area") {
      const points = s.values.map((v, i) => `${n(x(i))},${n(y(v))}`).join(" ");
      out.push(
        `<polyline points="${points}" fill="none" stroke="${colour}" stroke-width="2"${s.dashed === true ? ' stroke-dasharray="6 4"' : ""}/>`,
      );
    }
  });
  // reference lines, labelled at the right end
  for (const r of chart.references ?? []) {
    out.push(
      `<line class="reference" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${n(y(r.value))}" y2="${n(y(r.value))}" stroke="var(--muted)" stroke-width="1.5" stroke-dasharray="4 3"/>`,
      `<text class="muted" x="${WIDTH - PAD.right - 4}" y="${n(y(r.value) - 4)}" text-anchor="end">${escapeXml(`${r.name}: ${n(r.value)}`)}</text>`,
    );
  }
  // legend
  chart.series.forEach((s, k) => {
    const lx = PAD.left + k * 140;
    const ly = HEIGHT - 24;
    out.push(
      `<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${PALETTE[k % PALETTE.length]}"/>`,
      `<text x="${lx + 18}" y="${ly}">${escapeXml(s.name)}</text>`,
    );
  });
  // the numbers, for assistive technology
  for (const s of chart.series) {
    out.push(`<g role="list" aria-label="${escapeXml(s.name)}">`);
    s.values.forEach((v, i) => {
      const label = s.labels?.[i] ?? chart.x[i] ?? String(i);
      out.push(`<g role="listitem" aria-label="${escapeXml(`${label}: ${n(v)}`)}"></g>`);
    });
    out.push("</g>");
  }
  if ((chart.references ?? []).length > 0) {
    out.push(`<g role="list" aria-label="reference lines">`);
    for (const r of chart.references ?? []) {
      out.push(`<g role="listitem" aria-label="${escapeXml(`${r.name}: ${n(r.value)}`)}"></g>`);
    }
    out.push("</g>");
  }
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}
