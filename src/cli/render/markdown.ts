import { type MarkedToken, marked, type Token, type Tokens } from "marked";
import { type TableColumn, type TableRow, tableLines } from "./table.js";
import {
  displayWidth,
  hardWrap,
  safeText,
  stripAnsi,
  terminalStyles,
  truncate,
  wrap,
} from "./width.js";

/** How to render Markdown for the terminal. */
export interface MarkdownOptions {
  /** Columns available; no line is wider. */
  readonly width: number;
  /** Bold, italic, dim and so on as ANSI styles; plain text otherwise. */
  readonly colour: boolean;
}

interface Context {
  readonly colour: boolean;
  readonly s: ReturnType<typeof terminalStyles>;
  /** How many lists enclose what is being rendered. */
  readonly listDepth: number;
}

const BULLETS = ["•", "◦", "▪"];
const UNCHECKED = "☐";
const CHECKED = "☑";
const MIN_WIDTH = 1;

/**
 * Markdown (CommonMark + GitHub extensions, parsed by `marked`'s lexer) as text for the
 * terminal, each line at most `width` columns, ending with a newline (empty for a blank input).
 * HTML is shown as written, never interpreted; escape sequences and control characters in the
 * input are removed. Never throws: should rendering fail, the text is shown word-wrapped.
 */
export function renderMarkdown(markdown: string, options: MarkdownOptions): string {
  const width = Math.max(MIN_WIDTH, Math.floor(options.width));
  const source = safeText(markdown);
  let lines: string[];
  try {
    const context: Context = {
      colour: options.colour,
      s: terminalStyles(options.colour),
      listDepth: 0,
    };
    lines = blocks(marked.lexer(source, { gfm: true, breaks: false }), width, context, false);
  } catch {
    lines = source.trim() === "" ? [] : wrap(source.trim(), width);
  }
  const fitted = lines.map((line) => truncate(line.trimEnd(), width));
  return fitted.length === 0 ? "" : `${fitted.join("\n")}\n`;
}

/** Block tokens rendered one after another, a blank line between them unless `tight`. */
function blocks(tokens: readonly Token[], width: number, context: Context, tight: boolean) {
  const lines: string[] = [];
  for (const token of tokens) {
    const rendered = block(token as MarkedToken, width, context);
    if (rendered.length === 0) continue;
    if (lines.length > 0 && !tight) lines.push("");
    lines.push(...rendered);
  }
  return lines;
}

function block(token: MarkedToken, width: number, context: Context): string[] {
  const { s } = context;
  switch (token.type) {
    case "space":
    case "def":
    case "checkbox":
      return [];
    case "heading": {
      const marks = s.dim("#".repeat(token.depth));
      return wrap(`${marks} ${s.bold(inline(token.tokens, context))}`, width);
    }
    case "paragraph":
      return wrap(inline(token.tokens, context), width);
    case "text":
      return wrap(token.tokens ? inline(token.tokens, context) : plain(token.text), width);
    case "code": {
      const code = expandTabs(safeText(token.text));
      return hardWrap(code, Math.max(MIN_WIDTH, width - 4)).map((line) =>
        line === "" ? "" : `    ${s.dim(line)}`,
      );
    }
    case "blockquote": {
      const inner = blocks(token.tokens, Math.max(MIN_WIDTH, width - 2), context, false);
      return inner.map((line) => (line === "" ? s.dim("│") : `${s.dim("│")} ${line}`));
    }
    case "list":
      return list(token, width, context);
    case "table":
      return table(token, width, context);
    case "hr":
      return [s.dim("─".repeat(width))];
    case "html":
      return hardWrap(expandTabs(safeText(token.text)).replace(/\n+$/, ""), width);
    default:
      return wrap(inline([token], context), width);
  }
}

function list(token: Tokens.List, width: number, context: Context): string[] {
  const start = typeof token.start === "number" ? token.start : 1;
  const numberWidth = String(start + token.items.length - 1).length + 1;
  const bullet = BULLETS[context.listDepth % BULLETS.length]!;
  const inner: Context = { ...context, listDepth: context.listDepth + 1 };
  const lines: string[] = [];
  token.items.forEach((item, index) => {
    const box = item.checked ? CHECKED : UNCHECKED;
    const number = `${start + index}.`.padStart(numberWidth);
    const marker = token.ordered
      ? item.task
        ? `${number} ${box}`
        : number
      : item.task
        ? box
        : bullet;
    const indent = displayWidth(marker) + 1;
    const content = blocks(
      item.tokens.filter((t) => t.type !== "checkbox"),
      Math.max(MIN_WIDTH, width - indent),
      inner,
      !item.loose,
    );
    if (index > 0 && token.loose) lines.push("");
    content.forEach((line, i) => {
      if (i === 0) lines.push(`${context.s.dim(marker)} ${line}`);
      else lines.push(line === "" ? "" : `${" ".repeat(indent)}${line}`);
    });
    if (content.length === 0) lines.push(context.s.dim(marker));
  });
  return lines;
}

function table(token: Tokens.Table, width: number, context: Context): string[] {
  const columns: TableColumn[] = token.header.map((cell, i) => ({
    key: String(i),
    header: inline(cell.tokens, context),
    align: token.align[i] === "right" ? "right" : "left",
    flex: true,
  }));
  const rows: TableRow[] = token.rows.map((cells) =>
    Object.fromEntries(cells.map((cell, i) => [String(i), inline(cell.tokens, context)])),
  );
  return tableLines(rows, columns, { width, colour: context.colour });
}

function inline(tokens: readonly Token[], context: Context): string {
  return tokens.map((token) => inlineToken(token as MarkedToken, context)).join("");
}

function inlineToken(token: MarkedToken, context: Context): string {
  const { s, colour } = context;
  switch (token.type) {
    case "text":
      return token.tokens ? inline(token.tokens, context) : plain(token.text);
    case "escape":
      return plain(token.text);
    case "strong":
      return s.bold(inline(token.tokens, context));
    case "em":
      return s.italic(inline(token.tokens, context));
    case "del":
      return colour
        ? s.strikethrough(inline(token.tokens, context))
        : `~~${inline(token.tokens, context)}~~`;
    case "codespan": {
      const code = safeText(token.text).replace(/\s+/g, " ");
      return colour ? s.cyan(code) : `\`${code}\``;
    }
    case "br":
      return "\n";
    case "link": {
      const label = inline(token.tokens, context);
      const href = safeText(token.autolink ? token.href : decodeEntities(token.href));
      const shown = stripAnsi(label);
      if (shown === href || `mailto:${shown}` === href || href === "") return s.underline(label);
      return `${s.underline(label)} ${s.dim(`(${href.replace(/\s+/g, " ")})`)}`;
    }
    case "image": {
      const href = safeText(decodeEntities(token.href)).replace(/\s+/g, " ");
      return s.dim(`[image: ${plain(token.text)}](${href})`);
    }
    case "html":
      return safeText(token.text).replace(/\s+/g, " ");
    case "checkbox":
    case "space":
    case "def":
      return "";
    default:
      return "raw" in token && typeof token.raw === "string" ? plain(token.raw) : "";
  }
}

/** Text from the source: entities decoded, soft line breaks and tabs made spaces. */
function plain(text: string): string {
  return safeText(decodeEntities(text)).replace(/[\t\n]/g, " ");
}

function expandTabs(text: string): string {
  return text
    .split("\n")
    .map((line) => {
      let column = 0;
      return line.replace(/\t|[^\t]+/g, (part) => {
        if (part !== "\t") {
          column += displayWidth(part);
          return part;
        }
        const spaces = 4 - (column % 4);
        column += spaces;
        return " ".repeat(spaces);
      });
    })
    .join("\n");
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
  copy: "©",
  reg: "®",
  trade: "™",
  hellip: "…",
  mdash: "—",
  ndash: "–",
  lsquo: "‘",
  rsquo: "’",
  ldquo: "“",
  rdquo: "”",
  laquo: "«",
  raquo: "»",
  middot: "·",
  bull: "•",
  times: "×",
  divide: "÷",
  deg: "°",
  plusmn: "±",
  euro: "€",
  pound: "£",
  yen: "¥",
  cent: "¢",
  sect: "§",
  para: "¶",
  larr: "←",
  rarr: "→",
  uarr: "↑",
  darr: "↓",
  harr: "↔",
};

/** Decodes character references; ones naming a control character or nothing become U+FFFD. */
function decodeEntities(text: string): string {
  return text.replace(
    /&(?:#(\d{1,7})|#[xX]([\da-fA-F]{1,6})|([a-zA-Z]+));/g,
    (all, dec, hex, name) => {
      if (typeof name === "string") return NAMED_ENTITIES[name] ?? all;
      const code = typeof dec === "string" ? Number.parseInt(dec, 10) : Number.parseInt(hex, 16);
      const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
      const character = valid ? String.fromCodePoint(code) : "\ufffd";
      return /\p{Cc}/u.test(character) ? "\ufffd" : character;
    },
  );
}
