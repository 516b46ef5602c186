import { marked, type Tokens } from "marked";
import { describe, expect, it } from "vitest";
import {
  columnWidths,
  renderCsv,
  renderMarkdownTable,
  renderTable,
  type TableColumn,
  type TableRow,
} from "./table.js";
import { displayWidth } from "./width.js";

const COLUMNS: TableColumn[] = [
  { key: "id", header: "ID" },
  { key: "status", header: "Status" },
  { key: "title", header: "Title", flex: true },
  { key: "estimate", header: "Est", align: "right" },
];

const ROWS: TableRow[] = [
  { id: "WEB-1", status: "todo", title: "Login page", estimate: "3" },
  { id: "WEB-12", status: "in-progress", title: "Checkout page with saved cards", estimate: "13" },
  { id: "WEB-3", status: "done", title: "中文标题" },
];

describe("renderTable", () => {
  it("shows natural widths when they fit, with a rule line and no trailing spaces", () => {
    expect(renderTable(ROWS, COLUMNS, { width: 80, colour: false })).toBe(
      [
        "ID      Status       Title                           Est",
        "------  -----------  ------------------------------  ---",
        "WEB-1   todo         Login page                        3",
        "WEB-12  in-progress  Checkout page with saved cards   13",
        "WEB-3   done         中文标题",
        "",
      ].join("\n"),
    );
  });

  it("shrinks flex columns first, cutting cells with an ellipsis", () => {
    expect(renderTable(ROWS, COLUMNS, { width: 44, colour: false })).toBe(
      [
        "ID      Status       Title               Est",
        "------  -----------  ------------------  ---",
        "WEB-1   todo         Login page            3",
        "WEB-12  in-progress  Checkout page wit…   13",
        "WEB-3   done         中文标题",
        "",
      ].join("\n"),
    );
  });

  it("shrinks other columns once flex columns are at their minimum", () => {
    expect(columnWidths(ROWS, COLUMNS, 30)).toEqual([5, 6, 10, 3]);
    expect(renderTable(ROWS, COLUMNS, { width: 30, colour: false })).toBe(
      [
        "ID     Status  Title       Est",
        "-----  ------  ----------  ---",
        "WEB-1  todo    Login page    3",
        "WEB-…  in-pr…  Checkout…    13",
        "WEB-3  done    中文标题",
        "",
      ].join("\n"),
    );
  });

  it("respects min and max", () => {
    const columns: TableColumn[] = [
      { key: "id", header: "ID", min: 6 },
      { key: "title", header: "Title", flex: true, min: 3, max: 12 },
    ];
    expect(columnWidths(ROWS, columns, 80)).toEqual([6, 12]);
    expect(columnWidths(ROWS, columns, 11)).toEqual([6, 3]);
  });

  it("cuts lines at the width when even the minimums do not fit", () => {
    const lines = renderTable(ROWS, COLUMNS, { width: 12, colour: false }).trimEnd().split("\n");
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(12);
    expect(lines[0]).toBe("ID    Sta……");
    expect(lines[3]).toBe("WEB…  in-……");
  });

  it("puts cells on one line", () => {
    const text = renderTable([{ id: "a\nb\tc" }], [{ key: "id", header: "ID" }], {
      width: 20,
      colour: false,
    });
    expect(text).toBe("ID\n-----\na b c\n");
  });

  it("fits any width, long titles and CJK included", () => {
    const rows = Array.from({ length: 20 }, (_, i) => ({
      id: `WEB-${i}`,
      status: i % 2 ? "in-progress" : "todo",
      title: `${"很长的标题".repeat(i)} a title that goes on and on ${"x".repeat(i * 7)}`,
      estimate: String(i * 11),
    }));
    for (const width of [40, 80, 120, 200]) {
      for (const colour of [false, true]) {
        for (const line of renderTable(rows, COLUMNS, { width, colour }).split("\n")) {
          expect(displayWidth(line)).toBeLessThanOrEqual(width);
          expect(line).toBe(line.trimEnd());
        }
      }
    }
  });

  it("underlines and bolds the header with colour, and has no rule line", () => {
    const text = renderTable(ROWS.slice(0, 1), COLUMNS.slice(0, 2), { width: 80, colour: true });
    expect(text).toBe(
      "\u001b[1m\u001b[4mID\u001b[24m\u001b[22m     \u001b[1m\u001b[4mStatus\u001b[24m\u001b[22m\nWEB-1  todo\n",
    );
  });

  it("has no escape sequences without colour", () => {
    expect(renderTable(ROWS, COLUMNS, { width: 40, colour: false })).not.toContain("\u001b");
  });

  it("renders nothing without columns", () => {
    expect(renderTable(ROWS, [], { width: 40, colour: false })).toBe("");
  });
});

describe("renderCsv", () => {
  it("quotes fields with commas, quotes and line breaks", () => {
    const rows = [
      { id: "WEB-1", title: 'Say "hi", then leave', estimate: "3" },
      { id: "WEB-2", title: "two\nlines", estimate: "\u001b[31m5\u001b[39m" },
      { id: "WEB-3", title: "cr\rhere" },
    ];
    const columns = COLUMNS.filter((c) => c.key !== "status");
    expect(renderCsv(rows, columns)).toBe(
      'ID,Title,Est\nWEB-1,"Say ""hi"", then leave",3\nWEB-2,"two\nlines",5\nWEB-3,"cr\rhere",\n',
    );
  });
});

describe("renderMarkdownTable", () => {
  it("escapes pipes and newlines and marks right-aligned columns", () => {
    const rows = [{ id: "a|b", title: "one\ntwo", estimate: "\\|" }];
    const columns = COLUMNS.filter((c) => c.key !== "status");
    expect(renderMarkdownTable(rows, columns)).toBe(
      "| ID | Title | Est |\n| --- | --- | ---: |\n| a\\|b | one<br>two | \\\\\\| |\n",
    );
  });

  it("reads back as the same cells", () => {
    const rows = [{ id: "a|b", title: "x \\| y", estimate: "back\\\\|slash" }];
    const columns = COLUMNS.filter((c) => c.key !== "status");
    const [table] = marked.lexer(renderMarkdownTable(rows, columns)) as Tokens.Table[];
    expect(table?.type).toBe("table");
    const inlineText = (cell: Tokens.TableCell) =>
      cell.tokens.map((t) => ("text" in t ? t.text : "")).join("");
    expect(table!.rows[0]!.map(inlineText)).toEqual(["a|b", "x \\| y", "back\\\\|slash"]);
  });
});
