import {
  displayWidth,
  padEnd,
  safeText,
  singleLine,
  terminalStyles,
  truncate,
  wrap,
} from "./width.js";

/** A task on the board. */
export interface BoardCard {
  readonly id: string;
  readonly title: string;
  /** Short badges shown under the title ("@ab", "!high", "⛔", "due 11-30"); may carry styles. */
  readonly tags: readonly string[];
}

/** A status column: its cards, how many tasks it holds and its WIP limit. */
export interface BoardColumn {
  readonly title: string;
  /** Tasks in the column, shown and hidden. */
  readonly count: number;
  /** WIP limit: the count is marked when over it. */
  readonly limit?: number;
  readonly cards: readonly BoardCard[];
  /** Cards left out (shown as `+N more`). */
  readonly hidden: number;
}

/** A horizontal lane (a person, a project…) with its own cards in each status column. */
export interface BoardLane {
  readonly title: string;
  /** In the same order as the board's columns. */
  readonly columns: readonly BoardColumn[];
}

/** What a kanban board shows: the status columns and, optionally, lanes across them. */
export interface Board {
  /** Column headers (title, count, limit); their cards when there are no lanes. */
  readonly columns: readonly BoardColumn[];
  readonly lanes?: readonly BoardLane[];
}

/** How to render a board for the terminal. */
export interface BoardOptions {
  /** Columns available; no line is wider. */
  readonly width: number;
  /** Bold headers, red counts over a WIP limit, dim rules; plain text with `!` otherwise. */
  readonly colour: boolean;
}

/** Narrowest a board column may be; below it, columns are stacked instead of side by side. */
export const MIN_COLUMN_WIDTH = 16;
const GAP = "  ";
const MAX_TITLE_LINES = 3;
const MAX_TAG_LINES = 2;

/** Styles to use and whether they are colours or identity functions. */
interface Look {
  readonly s: ReturnType<typeof terminalStyles>;
  readonly colour: boolean;
}

/** User text on one line with no escape sequences or control characters. */
const clean = (text: string) => singleLine(safeText(text));

/**
 * A kanban board for the terminal, ending with a newline: one column per status side by side,
 * each `floor((width - gaps) / n)` wide, or, when that is under `MIN_COLUMN_WIDTH`, the columns
 * one after another (a line says so). Each column has a header `Title count/limit`, its cards
 * (`id title` wrapped to at most three lines, tags on the next) and `+N more` for hidden cards.
 * With lanes, each lane has a title row and then its own cards. No line is wider than `width`.
 */
export function renderBoard(board: Board, options: BoardOptions): string {
  const width = Math.max(1, Math.floor(options.width));
  const look: Look = { s: terminalStyles(options.colour), colour: options.colour };
  const n = board.columns.length;
  if (n === 0) return `${truncate("No columns to show.", width)}\n`;
  const columnWidth = Math.floor((width - GAP.length * (n - 1)) / n);
  const lines =
    columnWidth >= MIN_COLUMN_WIDTH
      ? sideBySide(board, columnWidth, width, look)
      : stacked(board, width, look);
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return `${lines.map((line) => truncate(line, width)).join("\n")}\n`;
}

function sideBySide(board: Board, columnWidth: number, width: number, look: Look): string[] {
  const { s } = look;
  const headers = board.columns.map((column) => [
    header(column, columnWidth, look),
    s.dim("─".repeat(columnWidth)),
  ]);
  const lines = zip(headers, columnWidth);
  if (board.lanes === undefined) {
    lines.push(
      ...zip(
        board.columns.map((column) => cards(column, columnWidth, look)),
        columnWidth,
      ),
    );
    return lines;
  }
  for (const lane of board.lanes) {
    lines.push("", laneTitle(lane, width, look));
    const laneCards = board.columns.map((_, i) => {
      const column = lane.columns[i];
      return column === undefined ? [] : cards(column, columnWidth, look);
    });
    lines.push(...zip(laneCards, columnWidth));
  }
  return lines;
}

function stacked(board: Board, width: number, look: Look): string[] {
  const { s } = look;
  const n = board.columns.length;
  const needed = n * MIN_COLUMN_WIDTH + GAP.length * (n - 1);
  const lines = wrap(
    s.dim(`Too narrow for ${n} columns side by side (${needed} needed): shown one under another.`),
    width,
  );
  const section = (column: BoardColumn) => [
    "",
    header(column, width, look),
    s.dim("─".repeat(width)),
    ...cards(column, width, look),
  ];
  if (board.lanes === undefined) {
    for (const column of board.columns) lines.push(...section(column));
    return lines;
  }
  lines.push(
    "",
    ...fill(
      board.columns.map((column) => header(column, width, look)),
      width,
      GAP,
    ),
  );
  for (const lane of board.lanes) {
    lines.push("", laneTitle(lane, width, look));
    for (const column of lane.columns) {
      if (column.cards.length > 0 || column.hidden > 0) lines.push(...section(column));
    }
  }
  return lines;
}

/** Side-by-side cells: line i of each column, padded to the column width, no trailing spaces. */
function zip(columns: readonly (readonly string[])[], columnWidth: number): string[] {
  const height = Math.max(0, ...columns.map((lines) => lines.length));
  const rows: string[] = [];
  for (let row = 0; row < height; row++) {
    const cells = columns.map((lines, i) => {
      const cell = truncate(lines[row] ?? "", columnWidth);
      return i === columns.length - 1 ? cell : padEnd(cell, columnWidth);
    });
    rows.push(cells.join(GAP).trimEnd());
  }
  return rows;
}

/** `Title count/limit`: the count red (or followed by `!`) over the limit, yellow at it. */
function header(column: BoardColumn, width: number, look: Look): string {
  const { s } = look;
  const limit = column.limit;
  let count = limit === undefined ? String(column.count) : `${column.count}/${limit}`;
  const over = limit !== undefined && column.count > limit;
  const atLimit = limit !== undefined && column.count === limit;
  if (over && !look.colour) count += "!";
  const title = truncate(clean(column.title), Math.max(1, width - displayWidth(count) - 1));
  const styledCount = over ? s.red(count) : atLimit ? s.yellow(count) : count;
  return truncate(`${s.bold(title)} ${styledCount}`, width);
}

function laneTitle(lane: BoardLane, width: number, { s }: Look): string {
  const count = lane.columns.reduce((sum, column) => sum + column.count, 0);
  const title = truncate(`${clean(lane.title)} · ${count}`, Math.max(1, width - 4));
  const rule = "─".repeat(Math.max(0, width - displayWidth(title) - 4));
  return `${s.dim("──")} ${s.bold(title)} ${s.dim(rule)}`.trimEnd();
}

/** Lines of a column's cards, a blank line between cards, then `+N more`. */
function cards(column: BoardColumn, width: number, look: Look): string[] {
  const { s } = look;
  const lines: string[] = [];
  for (const card of column.cards) {
    if (lines.length > 0) lines.push("");
    lines.push(
      ...limitLines(
        wrap(`${s.bold(clean(card.id))} ${clean(card.title)}`, width),
        width,
        MAX_TITLE_LINES,
      ),
    );
    lines.push(...limitLines(fill(card.tags.map(singleLine), width, " "), width, MAX_TAG_LINES));
  }
  if (column.hidden > 0) {
    if (lines.length > 0) lines.push("");
    lines.push(s.dim(truncate(`+${column.hidden} more`, width)));
  }
  return lines;
}

/** Items (tags, headers) filled into lines, an item ("due 11-30") never split across two. */
function fill(items: readonly string[], width: number, separator: string): string[] {
  const lines: string[] = [];
  let line = "";
  for (const item of items.map((text) => truncate(text, width))) {
    if (displayWidth(item) === 0) continue;
    if (line === "") line = item;
    else if (displayWidth(line) + separator.length + displayWidth(item) <= width) {
      line += separator + item;
    } else {
      lines.push(line);
      line = item;
    }
  }
  if (line !== "") lines.push(line);
  return lines;
}

/** The first `max` lines, the last of them ending with `…` when lines were left out. */
function limitLines(lines: readonly string[], width: number, max: number): string[] {
  if (lines.length <= max) return [...lines];
  const kept = lines.slice(0, max);
  kept[max - 1] = truncate(`${kept[max - 1]} ${lines[max]}`, width);
  return kept;
}
