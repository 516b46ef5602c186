import {
  displayWidth,
  padEnd,
  padStart,
  singleLine,
  stripAnsi,
  terminalStyles,
  truncate,
} from "./width.js";

/** A column of a table: which field of the rows it shows, and how it may be sized. */
export interface TableColumn {
  /** The row field shown in this column. */
  readonly key: string;
  readonly header: string;
  /** Default left. */
  readonly align?: "left" | "right";
  /**
   * Narrowest the column may be made to fit the width (default: its natural width, up to 10 for
   * a flex column and 4 for others).
   */
  readonly min?: number;
  /** Widest the column may be, whatever its cells. */
  readonly max?: number;
  /** Give up width first when the table is too wide (a title, a description). */
  readonly flex?: boolean;
}

/** A row of a table: column key → cell text (may carry ANSI styles); a missing key is empty. */
export type TableRow = Readonly<Record<string, string | undefined>>;

/** How to render a table for the terminal. */
export interface TableOptions {
  /** Columns available; no line is wider. */
  readonly width: number;
  /** Bold, underlined headers instead of a rule line of `-`. */
  readonly colour: boolean;
}

const GAP = "  ";
const DEFAULT_MIN_FLEX = 10;
const DEFAULT_MIN = 4;

const cellText = (row: TableRow, column: TableColumn) => singleLine(row[column.key] ?? "");

/**
 * Widths of the columns of a table that fits `width`: natural widths (widest cell or header,
 * capped by `max`), then flex columns shrunk towards their `min`, widest first, then the others.
 * The total can still exceed `width` when every column is at its minimum.
 */
export function columnWidths(
  rows: readonly TableRow[],
  columns: readonly TableColumn[],
  width: number,
): number[] {
  const widths = columns.map((column) => {
    const natural = rows.reduce(
      (widest, row) => Math.max(widest, displayWidth(cellText(row, column))),
      displayWidth(singleLine(column.header)),
    );
    return Math.min(natural, Math.max(1, column.max ?? natural));
  });
  const minimums = columns.map((column, i) =>
    Math.min(widths[i]!, Math.max(1, column.min ?? (column.flex ? DEFAULT_MIN_FLEX : DEFAULT_MIN))),
  );
  const available = width - GAP.length * Math.max(0, columns.length - 1);
  let excess = widths.reduce((sum, w) => sum + w, 0) - available;
  const shrink = (flex: boolean) => {
    while (excess > 0) {
      let widest = -1;
      columns.forEach((column, i) => {
        if (Boolean(column.flex) !== flex || widths[i]! <= minimums[i]!) return;
        if (widest === -1 || widths[i]! > widths[widest]!) widest = i;
      });
      if (widest === -1) return;
      widths[widest]!--;
      excess--;
    }
  };
  shrink(true);
  shrink(false);
  return widths;
}

/**
 * The lines of a table fitted to `options.width` (see `columnWidths`), cells cut with `…`, two
 * spaces between columns, no trailing spaces. A table that cannot fit even with every column at
 * its minimum has its lines cut at the width.
 */
export function tableLines(
  rows: readonly TableRow[],
  columns: readonly TableColumn[],
  options: TableOptions,
): string[] {
  if (columns.length === 0) return [];
  const s = terminalStyles(options.colour);
  const widths = columnWidths(rows, columns, options.width);
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => {
        const column = columns[i]!;
        const fitted = truncate(cell, widths[i]!);
        if (column.align === "right") return padStart(fitted, widths[i]!);
        return i === columns.length - 1 ? fitted : padEnd(fitted, widths[i]!);
      })
      .join(GAP)
      .trimEnd();
  const header = columns.map((column, i) =>
    s.bold(s.underline(truncate(singleLine(column.header), widths[i]!))),
  );
  const lines = [line(header)];
  if (!options.colour) lines.push(widths.map((w) => "-".repeat(w)).join(GAP));
  for (const row of rows) lines.push(line(columns.map((column) => cellText(row, column))));
  return lines.map((text) => truncate(text, Math.max(0, options.width)));
}

/** A table for the terminal (see `tableLines`), ending with a newline. */
export function renderTable(
  rows: readonly TableRow[],
  columns: readonly TableColumn[],
  options: TableOptions,
): string {
  const lines = tableLines(rows, columns, options);
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

function csvField(text: string): string {
  const plain = stripAnsi(text);
  return /[",\r\n]/.test(plain) ? `"${plain.replace(/"/g, '""')}"` : plain;
}

/**
 * The table as CSV (RFC 4180 quoting, `\n` line ends, a header row of the column headers),
 * ANSI styles removed, ending with a newline.
 */
export function renderCsv(rows: readonly TableRow[], columns: readonly TableColumn[]): string {
  const lines = [columns.map((column) => csvField(column.header)).join(",")];
  for (const row of rows) {
    lines.push(columns.map((column) => csvField(row[column.key] ?? "")).join(","));
  }
  return `${lines.join("\n")}\n`;
}

function markdownCell(text: string): string {
  return stripAnsi(text)
    .replace(/(\\*)\|/g, "$1$1\\|")
    .replace(/\r\n?|\n/g, "<br>")
    .trim();
}

/**
 * The table as a GitHub-flavoured Markdown table, ANSI styles removed, `|` escaped and newlines
 * in cells written `<br>`, ending with a newline.
 */
export function renderMarkdownTable(
  rows: readonly TableRow[],
  columns: readonly TableColumn[],
): string {
  if (columns.length === 0) return "";
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  const lines = [
    line(columns.map((column) => markdownCell(column.header))),
    line(columns.map((column) => (column.align === "right" ? "---:" : "---"))),
    ...rows.map((row) => line(columns.map((column) => markdownCell(row[column.key] ?? "")))),
  ];
  return `${lines.join("\n")}\n`;
}
