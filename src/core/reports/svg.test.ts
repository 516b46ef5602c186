import { describe, expect, it } from "vitest";
import { renderChart } from "./svg.js";

const chart = {
  title: "Burndown <beta> & co",
  description: "Work remaining each day.",
  x: ["11-02", "11-03", "11-04"],
  series: [
    { name: "remaining", values: [8, 5, 2] },
    { name: "scope", dashed: true, values: [8, 8, 10] },
  ],
};

describe("SVG charts", () => {
  it("are accessible: role img, a title and a description it is labelled by, every number as a list item", () => {
    const svg = renderChart(chart, "c");
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="c-title c-desc"/);
    expect(svg).toContain('<title id="c-title">Burndown &lt;beta&gt; &amp; co</title>');
    expect(svg).toContain('<desc id="c-desc">Work remaining each day.</desc>');
    expect(svg).toContain('aria-label="11-03: 5"');
    expect(svg).toContain('aria-label="11-04: 10"');
    expect(svg.match(/role="listitem"/g)).toHaveLength(6);
  });

  it("carry no script, follow the colour scheme, and balance their tags", () => {
    const svg = renderChart(chart);
    expect(svg).not.toMatch(/<script|on[a-z]+=/i);
    expect(svg).toContain("@media (prefers-color-scheme: dark)");
    for (const tag of ["svg", "g", "style"]) {
      expect((svg.match(new RegExp(`<${tag}[\\s>]`, "g")) ?? []).length, tag).toBe(
        (svg.match(new RegExp(`</${tag}>`, "g")) ?? []).length,
      );
    }
    expect(svg).toContain('stroke-dasharray="6 4"');
  });

  it("stacks areas and draws bars without dividing by zero on a single point", () => {
    const svg = renderChart({
      title: "One day",
      description: "A single day.",
      x: ["11-02"],
      series: [
        { name: "todo", kind: "area", values: [2] },
        { name: "done", kind: "area", values: [1] },
        { name: "finished", kind: "bar", values: [0] },
      ],
    });
    expect(svg).not.toContain("NaN");
    expect(svg).not.toContain("Infinity");
    expect(svg.match(/<polygon/g)).toHaveLength(2);
  });

  it("draws a scatter with labelled percentile lines, each point and line named for screen readers", () => {
    const svg = renderChart({
      title: "Cycle time",
      description: "Days from start to done.",
      x: ["11-02", "11-02", "11-05"],
      series: [{ name: "cycle", kind: "dots", values: [1, 3, 8], labels: ["A-1", "A-2", "A-3"] }],
      references: [
        { name: "50%", value: 3 },
        { name: "95%", value: 8 },
      ],
    });
    expect(svg.match(/<circle /g)).toHaveLength(3);
    expect(svg.match(/class="reference"/g)).toHaveLength(2);
    expect(svg).toContain(">50%: 3</text>");
    expect(svg).toContain('aria-label="A-2: 3"');
    expect(svg).toContain('aria-label="95%: 8"');
  });
});
