import ansiRegex from "ansi-regex";
import stringWidth from "string-width";
import { styles } from "../io.js";

/** The one-column mark that shows text was cut short. */
export const ELLIPSIS = "…";

const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
const CONTROL_CHARACTER = /\p{Cc}/u;

/** Whether text may hold escape sequences (all start with ESC or the 8-bit CSI). */
const mayHoldEscapes = (text: string) => text.includes("\u001b") || text.includes("\u009b");

/** One unit of terminal text: an escape sequence (no width) or one grapheme cluster. */
interface Piece {
  readonly text: string;
  readonly width: number;
  readonly escape: boolean;
}

const isPrintableAscii = (code: number) => code >= 0x20 && code <= 0x7e;

/**
 * Pushes the grapheme clusters of text without escapes. A printable ASCII character followed by
 * another (or by nothing) is a cluster on its own; the rest goes through the segmenter.
 */
function pushGraphemes(text: string, into: Piece[]): void {
  let otherStart = 0;
  const pushOthers = (end: number) => {
    if (end <= otherStart) return;
    for (const { segment } of graphemeSegmenter.segment(text.slice(otherStart, end))) {
      into.push({ text: segment, width: graphemeWidth(segment), escape: false });
    }
  };
  for (let i = 0; i < text.length; i++) {
    if (!isPrintableAscii(text.charCodeAt(i))) continue;
    if (i + 1 < text.length && !isPrintableAscii(text.charCodeAt(i + 1))) continue;
    pushOthers(i);
    into.push({ text: text[i]!, width: 1, escape: false });
    otherStart = i + 1;
  }
  pushOthers(text.length);
}

/** Widths of graphemes seen, as measuring one is slow and texts repeat them. */
const graphemeWidths = new Map<string, number>();

function graphemeWidth(grapheme: string): number {
  let width = graphemeWidths.get(grapheme);
  if (width === undefined) {
    width = stringWidth(grapheme);
    if (graphemeWidths.size >= 10_000) graphemeWidths.clear();
    graphemeWidths.set(grapheme, width);
  }
  return width;
}

/** Splits text into escape sequences and grapheme clusters with their widths. */
function pieces(text: string): Piece[] {
  const result: Piece[] = [];
  if (!mayHoldEscapes(text)) {
    pushGraphemes(text, result);
    return result;
  }
  let last = 0;
  for (const match of text.matchAll(ansiRegex())) {
    pushGraphemes(text.slice(last, match.index), result);
    result.push({ text: match[0], width: 0, escape: true });
    last = match.index + match[0].length;
  }
  pushGraphemes(text.slice(last), result);
  return result;
}

/**
 * Columns the text takes in a terminal: ANSI escape sequences take none, wide (CJK) characters
 * and emoji take two, control characters (tabs and newlines included) none. Meant for one line.
 * Each grapheme cluster is measured by `string-width`.
 */
export function displayWidth(text: string): number {
  if (/^[\x20-\x7e]*$/.test(text)) return text.length;
  return pieces(text).reduce((sum, piece) => sum + piece.width, 0);
}

/** The text without ANSI escape sequences. */
export function stripAnsi(text: string): string {
  return mayHoldEscapes(text) ? text.replace(ansiRegex(), "") : text;
}

/**
 * Makes untrusted text (a task title, a Markdown body) safe to print: removes ANSI escape
 * sequences and every control character except newline and tab; CRLF and lone CR become LF.
 */
export function safeText(text: string): string {
  return stripAnsi(text)
    .replace(/\r\n?/g, "\n")
    .replace(/[\p{Cc}]/gu, (c) => (c === "\n" || c === "\t" ? c : ""));
}

/**
 * Puts text on one line, keeping its ANSI styles: newlines and tabs become spaces, other
 * control characters are removed.
 */
export function singleLine(text: string): string {
  if (!CONTROL_CHARACTER.test(text)) return text;
  return pieces(text)
    .map((p) => (p.escape ? p.text : p.text.replace(/[\r\n\t]+/g, " ").replace(/\p{Cc}/gu, "")))
    .join("");
}

/**
 * Cuts text to at most `width` columns, ending it with `…` when anything was cut. Escape
 * sequences are all kept, so styles opened and closed in the text stay balanced.
 */
export function truncate(text: string, width: number): string {
  const all = pieces(text);
  const total = all.reduce((sum, p) => sum + p.width, 0);
  if (total <= width) return text;
  const kept: Piece[] = [];
  let used = 0;
  let cut = false;
  for (const piece of all) {
    if (piece.escape) kept.push(piece);
    else if (!cut && width < 1) cut = true;
    else if (!cut && used + piece.width <= width - 1) {
      kept.push(piece);
      used += piece.width;
    } else if (!cut) {
      dropTrailingSpaces(kept);
      kept.push({ text: ELLIPSIS, width: 1, escape: false });
      cut = true;
    }
  }
  return kept.map((p) => p.text).join("");
}

function dropTrailingSpaces(kept: Piece[]): void {
  for (let i = kept.length - 1; i >= 0; i--) {
    const piece = kept[i]!;
    if (piece.escape) continue;
    if (piece.text !== " ") return;
    kept.splice(i, 1);
  }
}

/** Pads text with spaces on the right to `width` columns; wider text is returned as it is. */
export function padEnd(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - displayWidth(text)));
}

/** Pads text with spaces on the left to `width` columns; wider text is returned as it is. */
export function padStart(text: string, width: number): string {
  return " ".repeat(Math.max(0, width - displayWidth(text))) + text;
}

/**
 * Styles beyond those of `styles()` in `../io.ts`, for rendering: identity functions when
 * colour is off.
 */
export function terminalStyles(colour: boolean) {
  const sgr = (open: number, close: number) => (s: string) =>
    colour ? `\u001b[${open}m${s}\u001b[${close}m` : s;
  return {
    ...styles(colour),
    italic: sgr(3, 23),
    underline: sgr(4, 24),
    strikethrough: sgr(9, 29),
    cyan: sgr(36, 39),
  };
}

/** The slot an SGR code sets (codes of one slot replace each other) and the code ending it. */
function sgrSlot(code: number): { slot: string; close: number } | undefined {
  if (code === 1 || code === 2) return { slot: String(code), close: 22 };
  if (code >= 3 && code <= 9) return { slot: String(code), close: code === 6 ? 25 : code + 20 };
  if (code === 53) return { slot: "overline", close: 55 };
  if ((code >= 30 && code <= 38) || (code >= 90 && code <= 97)) return { slot: "fg", close: 39 };
  if ((code >= 40 && code <= 48) || (code >= 100 && code <= 107)) return { slot: "bg", close: 49 };
  if (code === 58) return { slot: "underline colour", close: 59 };
  return undefined;
}

/** The SGR styles open at a point of a text, so a line break can close and reopen them. */
class OpenStyles {
  /** Slot → the sequence that opened it and the code that closes it, in opening order. */
  private readonly open = new Map<string, { sequence: string; close: number }>();

  apply(sequence: string): void {
    const introducer = sequence.startsWith("\u001b[") ? 2 : sequence.startsWith("\u009b") ? 1 : 0;
    const body = sequence.slice(introducer, -1);
    if (introducer === 0 || !sequence.endsWith("m") || !/^[\d;:]*$/.test(body)) return;
    const params = body === "" ? ["0"] : body.split(";");
    for (let i = 0; i < params.length; i++) {
      let param = params[i]!;
      const code = Number.parseInt(param, 10);
      if (Number.isNaN(code) || code === 0) {
        this.open.clear();
        continue;
      }
      if ((code === 38 || code === 48 || code === 58) && !param.includes(":")) {
        // Extended colour, `38;5;n` or `38;2;r;g;b`, its values in the next params.
        const extra = params[i + 1] === "5" ? 2 : params[i + 1] === "2" ? 4 : 0;
        param = params.slice(i, i + 1 + extra).join(";");
        i += extra;
      }
      const slot = sgrSlot(code);
      if (slot !== undefined) {
        this.open.delete(slot.slot);
        this.open.set(slot.slot, { sequence: `\u001b[${param}m`, close: slot.close });
      } else {
        for (const [key, style] of this.open) if (style.close === code) this.open.delete(key);
      }
    }
  }

  /** Sequences that turn every open style off. */
  close(): string {
    const codes = new Set([...this.open.values()].map((style) => style.close));
    return [...codes].map((code) => `\u001b[${code}m`).join("");
  }

  /** Sequences that turn the open styles back on. */
  reopen(): string {
    return [...this.open.values()].map((style) => style.sequence).join("");
  }
}

/** Builds lines of at most `limit` columns, each closing the styles it leaves open. */
class LineBuilder {
  readonly lines: string[] = [];
  width = 0;
  private text = "";
  private readonly styles = new OpenStyles();

  constructor(private readonly limit: number) {}

  escape(sequence: string): void {
    this.text += sequence;
    this.styles.apply(sequence);
  }

  /** Adds pieces, starting new lines when they do not fit (a word longer than a line breaks). */
  add(all: readonly Piece[]): void {
    for (const piece of all) {
      if (piece.escape) this.escape(piece.text);
      else {
        if (this.width > 0 && this.width + piece.width > this.limit) this.newLine();
        if (piece.width <= this.limit) {
          this.text += piece.text;
          this.width += piece.width;
        } else {
          const fitting = truncate(piece.text, this.limit);
          this.text += fitting;
          this.width += displayWidth(fitting);
        }
      }
    }
  }

  newLine(): void {
    this.lines.push(this.text + this.styles.close());
    this.text = this.styles.reopen();
    this.width = 0;
  }
}

const widthOf = (all: readonly Piece[]) => all.reduce((sum, p) => sum + p.width, 0);
const escapesOf = (all: readonly Piece[]) => all.filter((p) => p.escape);

/** Runs of spaces and runs of other characters, escape sequences going with the run they are in. */
function runs(line: string): { space: boolean; pieces: Piece[] }[] {
  const result: { space: boolean; pieces: Piece[] }[] = [];
  for (const piece of pieces(line.replace(/\t/g, " "))) {
    const space = piece.text === " ";
    const last = result[result.length - 1];
    if (last !== undefined && (piece.escape || last.space === space)) last.pieces.push(piece);
    else result.push({ space: !piece.escape && space, pieces: [piece] });
  }
  return result;
}

/**
 * Word-wraps text to lines of at most `width` columns (at least 1). Newlines in the text start
 * new lines; spaces at a break are dropped; words longer than a line are broken. ANSI styles
 * that span a break are closed at the end of the line and reopened on the next, so every line
 * can be printed on its own (side by side with others, for instance).
 */
export function wrap(text: string, width: number): string[] {
  const limit = Math.max(1, Math.floor(width));
  const builder = new LineBuilder(limit);
  const paragraphs = text.split(/\r?\n/);
  paragraphs.forEach((paragraph, index) => {
    if (index > 0) builder.newLine();
    let gap: Piece[] = [];
    let atStart = true;
    for (const run of runs(paragraph)) {
      if (run.space) {
        gap = [...gap, ...run.pieces];
        continue;
      }
      const used = builder.width + widthOf(gap);
      const wordWidth = widthOf(run.pieces);
      // A word longer than a line is broken anyway, so it starts wherever there is room.
      const fits = used + wordWidth <= limit || (wordWidth > limit && used < limit);
      if (fits && (atStart || builder.width > 0)) builder.add(gap);
      else {
        builder.add(escapesOf(gap));
        if (builder.width > 0) builder.newLine();
      }
      builder.add(run.pieces);
      gap = [];
      atStart = false;
    }
    builder.add(escapesOf(gap));
  });
  builder.newLine();
  return builder.lines;
}

/** Breaks each line of text into pieces of at most `width` columns, wherever they fall. */
export function hardWrap(text: string, width: number): string[] {
  const builder = new LineBuilder(Math.max(1, Math.floor(width)));
  text.split(/\r?\n/).forEach((line, index) => {
    if (index > 0) builder.newLine();
    builder.add(pieces(line));
  });
  builder.newLine();
  return builder.lines;
}
