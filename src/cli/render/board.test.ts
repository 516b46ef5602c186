import { describe, expect, it } from "vitest";
import { type Board, type BoardColumn, renderBoard } from "./board.js";
import { displayWidth } from "./width.js";

const lines = (...text: string[]) => `${text.join("\n")}\n`;

const TODO: BoardColumn = {
  title: "Todo",
  count: 4,
  cards: [
    { id: "WEB-1", title: "Login page with a long title that wraps", tags: ["@ab", "!high"] },
    { id: "WEB-2", title: "中文标题很长很长很长", tags: [] },
  ],
  hidden: 2,
};
const DOING: BoardColumn = {
  title: "In progress",
  count: 3,
  limit: 2,
  cards: [{ id: "WEB-3", title: "Fix", tags: ["⛔", "due 11-30"] }],
  hidden: 0,
};
const DONE: BoardColumn = { title: "Done", count: 0, limit: 0, cards: [], hidden: 0 };
const BOARD: Board = { columns: [TODO, DOING, DONE] };

describe("renderBoard side by side", () => {
  it("shows columns with headers, cards, tags and hidden counts", () => {
    expect(renderBoard(BOARD, { width: 60, colour: false })).toBe(
      lines(
        "Todo 4              In progress 3/2!    Done 0/0",
        "──────────────────  ──────────────────  ──────────────────",
        "WEB-1 Login page    WEB-3 Fix",
        "with a long title   ⛔ due 11-30",
        "that wraps",
        "@ab !high",
        "",
        "WEB-2 中文标题很长",
        "很长很长",
        "",
        "+2 more",
      ),
    );
  });

  it("cuts titles after three lines", () => {
    const column: BoardColumn = {
      title: "Todo",
      count: 1,
      cards: [{ id: "A-1", title: "one two three four five six seven eight nine", tags: [] }],
      hidden: 0,
    };
    expect(renderBoard({ columns: [column] }, { width: 16, colour: false })).toBe(
      lines("Todo 1", "────────────────", "A-1 one two", "three four five", "six seven eight…"),
    );
  });

  it("never splits a tag across lines", () => {
    const column: BoardColumn = {
      title: "Todo",
      count: 1,
      cards: [{ id: "A-1", title: "Fix", tags: ["@kenji", "!high", "due 12-01", "⛔ blocked"] }],
      hidden: 0,
    };
    expect(renderBoard({ columns: [column] }, { width: 16, colour: false })).toBe(
      lines("Todo 1", "────────────────", "A-1 Fix", "@kenji !high", "due 12-01 ⛔ bl…"),
    );
  });

  it("shows a title row and the cards of each lane", () => {
    const board: Board = {
      columns: [TODO, DOING, DONE],
      lanes: [
        {
          title: "ana",
          columns: [{ ...TODO, count: 1, cards: TODO.cards.slice(0, 1), hidden: 0 }, DOING],
        },
        { title: "(nobody)", columns: [{ ...TODO, count: 3, cards: [], hidden: 3 }] },
      ],
    };
    expect(renderBoard(board, { width: 60, colour: false })).toBe(
      lines(
        "Todo 4              In progress 3/2!    Done 0/0",
        "──────────────────  ──────────────────  ──────────────────",
        "",
        "── ana · 4 ─────────────────────────────────────────────────",
        "WEB-1 Login page    WEB-3 Fix",
        "with a long title   ⛔ due 11-30",
        "that wraps",
        "@ab !high",
        "",
        "── (nobody) · 3 ────────────────────────────────────────────",
        "+3 more",
      ),
    );
  });

  it("marks counts over the limit in red with colour, at the limit in yellow", () => {
    const text = renderBoard(BOARD, { width: 60, colour: true });
    expect(text).toContain("\u001b[1mIn progress\u001b[22m \u001b[31m3/2\u001b[39m");
    expect(text).toContain("\u001b[1mDone\u001b[22m \u001b[33m0/0\u001b[39m");
    expect(text).not.toContain("3/2!");
  });

  it("has no escape sequences without colour, even from card text", () => {
    const column = { ...TODO, cards: [{ id: "X-1", title: "\u001b[2Jevil\u0007", tags: [] }] };
    const text = renderBoard({ columns: [column] }, { width: 40, colour: false });
    expect(text).not.toContain("\u001b");
    expect(text).toContain("X-1 evil\n");
  });
});

describe("renderBoard stacked", () => {
  it("stacks the columns when they would be narrower than 16, and says so", () => {
    expect(renderBoard(BOARD, { width: 40, colour: false })).toBe(
      lines(
        "Too narrow for 3 columns side by side",
        "(52 needed): shown one under another.",
        "",
        "Todo 4",
        "────────────────────────────────────────",
        "WEB-1 Login page with a long title that",
        "wraps",
        "@ab !high",
        "",
        "WEB-2 中文标题很长很长很长",
        "",
        "+2 more",
        "",
        "In progress 3/2!",
        "────────────────────────────────────────",
        "WEB-3 Fix",
        "⛔ due 11-30",
        "",
        "Done 0/0",
        "────────────────────────────────────────",
      ),
    );
  });

  it("lists the column headers, then each lane's non-empty columns", () => {
    const board: Board = {
      columns: [TODO, DOING, DONE],
      lanes: [{ title: "ana", columns: [{ ...TODO, cards: [], hidden: 0 }, DOING, DONE] }],
    };
    expect(renderBoard(board, { width: 40, colour: false })).toBe(
      lines(
        "Too narrow for 3 columns side by side",
        "(52 needed): shown one under another.",
        "",
        "Todo 4  In progress 3/2!  Done 0/0",
        "",
        "── ana · 7 ─────────────────────────────",
        "",
        "In progress 3/2!",
        "────────────────────────────────────────",
        "WEB-3 Fix",
        "⛔ due 11-30",
      ),
    );
  });
});

describe("renderBoard widths", () => {
  const longTitle = (i: number) =>
    `${"非常长的任务标题".repeat(i % 4)} A task title that keeps going ${"and going ".repeat(i)}${"Z".repeat(i * 5)}`;
  const column = (title: string, n: number): BoardColumn => ({
    title: `${title} ${"with a long column name ".repeat(n % 3)}`,
    count: n + 3,
    limit: n,
    cards: Array.from({ length: n }, (_, i) => ({
      id: `WEB-${100 + i}`,
      title: longTitle(i),
      tags: ["@ab", "!high", "⛔", "due 11-30", "#label-with-a-long-name".repeat(i % 3)],
    })),
    hidden: n,
  });
  const statuses = ["Backlog", "Todo", "In progress", "Review", "Done", "待办事项"];

  it("never writes a line wider than the terminal", () => {
    for (const count of [1, 2, 3, 6]) {
      const columns = statuses.slice(0, count).map((title, i) => column(title, i + 1));
      const boards: Board[] = [
        { columns },
        {
          columns,
          lanes: [
            { title: "很长的泳道名称 ".repeat(20), columns },
            { title: "b", columns },
          ],
        },
      ];
      for (const board of boards) {
        for (const width of [40, 80, 120, 200]) {
          for (const colour of [false, true]) {
            for (const line of renderBoard(board, { width, colour }).split("\n")) {
              expect(displayWidth(line), line).toBeLessThanOrEqual(width);
              expect(line).toBe(line.trimEnd());
            }
          }
        }
      }
    }
  });

  it("uses floor((width - gaps) / n) columns side by side", () => {
    const columns = statuses.map((title) => ({ title, count: 0, cards: [], hidden: 0 }));
    const text = renderBoard({ columns }, { width: 120, colour: false });
    expect(text.split("\n")[1]).toBe(Array(6).fill("─".repeat(18)).join("  "));
    expect(renderBoard({ columns }, { width: 105, colour: false })).toMatch(/^Too narrow/);
  });
});
