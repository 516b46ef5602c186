import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Pair,
  type ParsedNode,
  Scalar,
  type YAMLMap,
  type YAMLSeq,
} from "yaml";
import type { FlowPadding } from "./yaml-text.js";

/** An edit that cannot be made as asked; `at` is the offset it points at. */
export class EditRefused extends Error {
  readonly at: number | undefined;
  constructor(message: string, at?: number) {
    super(message);
    this.name = "EditRefused";
    this.at = at;
  }
}

/** Where a value sits: the value of a mapping's entry, or an item of a sequence. */
export type Slot =
  | { readonly kind: "entry"; readonly map: YAMLMap.Parsed; readonly index: number }
  | { readonly kind: "item"; readonly seq: YAMLSeq.Parsed; readonly index: number };

/** The value node in a slot; `null` for an entry with no value node (`{ a }`). */
export function nodeIn(slot: Slot): ParsedNode | null {
  if (slot.kind === "item") return slot.seq.items[slot.index] ?? null;
  return (slot.map.items[slot.index]!.value as ParsedNode | null) ?? null;
}

/** What a value hangs from: the `:` after a key, or the `-` of a list item. */
export interface Owner {
  /** The offset after the `:` or `-` (after the key, for a flow entry with no `:`). */
  readonly anchorEnd: number;
  /** Column of the key, or of the dash. */
  readonly column: number;
  /** Inside `[...]` or `{...}`: everything is written on one line. */
  readonly flow: boolean;
  /** A list item: a mapping value starts on the dash's line (`- id: x`). */
  readonly compact: boolean;
  /** A flow entry written as a bare key (`{ a }`): the `: ` has to be written too. */
  readonly colonMissing: boolean;
}

/** Line starts of a text, to go between offsets and lines. */
export class TextLines {
  readonly #starts: number[] = [0];
  readonly #text: string;

  constructor(text: string) {
    this.#text = text;
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) {
      this.#starts.push(i + 1);
    }
  }

  get count(): number {
    return this.#starts.length;
  }

  /** 0-based line of an offset. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.#starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.#starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  start(line: number): number {
    return this.#starts[line]!;
  }

  /** The offset after a line's last character, before its `\n` or `\r\n`. */
  contentEnd(line: number): number {
    const next = this.#starts[line + 1];
    if (next === undefined) return this.#text.length;
    return this.#text[next - 2] === "\r" ? next - 2 : next - 1;
  }

  /** The offset after a line's line break (the text's end on the last line). */
  next(line: number): number {
    return this.#starts[line + 1] ?? this.#text.length;
  }

  column(offset: number): number {
    return offset - this.#starts[this.lineOf(offset)]!;
  }

  text(line: number): string {
    return this.#text.slice(this.start(line), this.contentEnd(line));
  }
}

/** A `|` or `>` block scalar. */
export function isBlockScalar(node: ParsedNode): boolean {
  return (
    isScalar(node) && (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED)
  );
}

/** A null with no text at all (`key:` or `- `). */
export function isEmptyNode(node: ParsedNode | null): boolean {
  return node === null || (isScalar(node) && node.range[0] === node.range[1]);
}

/**
 * Where things are in a parsed YAML text: the offsets of keys, colons, dashes and the ends of
 * values (trailing comments excluded), from the `yaml` package's node ranges and, for list
 * dashes, its concrete syntax tree; and the style a collection is written in.
 */
export class YamlLayout {
  readonly text: string;
  readonly lines: TextLines;

  constructor(text: string) {
    this.text = text;
    this.lines = new TextLines(text);
  }

  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; column: number } {
    const line = this.lines.lineOf(offset);
    return { line: line + 1, column: offset - this.lines.start(line) + 1 };
  }

  /** How a block list writes its dashes: `- `, or `-   ` with the spaces of its first item. */
  dashStyle(seq: YAMLSeq.Parsed): string {
    const at = this.dashOf(seq, 0);
    const first = seq.items[0] as ParsedNode | null;
    const gap = first === null ? " " : this.text.slice(at + 1, first.range[0]);
    return /^ +$/.test(gap) ? `-${gap}` : "- ";
  }

  /** Whether a flow collection pads its brackets (`[ a ]`); `undefined` when it cannot tell. */
  padding(node: ParsedNode): FlowPadding | undefined {
    // an empty `[]` or `{}` says nothing of its style
    if ((!isSeq(node) && !isMap(node)) || node.items.length === 0) return undefined;
    const padded = this.text[node.range[0] + 1] === " ";
    return isSeq(node) ? { seq: padded, map: true } : { seq: false, map: padded };
  }

  /** The text between a flow collection's first two items (`, ` or `,\n  `), to write another. */
  flowSeparator(node: YAMLMap.Parsed | YAMLSeq.Parsed): string {
    if (node.items.length < 2) return ", ";
    const between = this.text.slice(this.spanOf(node, 0)[1], this.spanOf(node, 1)[0]);
    return /^[ \t]*,[ \t\r\n]*$/.test(between) ? between : ", ";
  }

  /** The content indentation of a block scalar, from its first line that is not blank. */
  blockScalarIndent(node: ParsedNode): number | undefined {
    const lines = this.lines;
    const last = lines.lineOf(node.range[1]);
    for (let line = lines.lineOf(node.range[0]) + 1; line <= last; line++) {
      const text = lines.text(line);
      if (text.trim() !== "") return text.length - text.trimStart().length;
    }
    return undefined;
  }

  /** What the value in `slot` hangs from. */
  owner(slot: Slot): Owner {
    if (slot.kind === "item") {
      if (slot.seq.flow) {
        const node = nodeIn(slot)!;
        return {
          anchorEnd: node.range[0],
          column: 0,
          flow: true,
          compact: true,
          colonMissing: false,
        };
      }
      const dash = this.dashOf(slot.seq, slot.index);
      return {
        anchorEnd: dash + 1,
        column: this.lines.column(dash),
        flow: false,
        compact: true,
        colonMissing: false,
      };
    }
    const key = this.keyOf(slot.map, slot.index);
    const colon = this.colonAfter(key, slot.map.flow === true);
    return {
      anchorEnd: colon ?? key.range[1],
      column: this.lines.column(key.range[0]),
      flow: slot.map.flow === true,
      compact: false,
      colonMissing: colon === undefined,
    };
  }

  /** The key of entry `index`; refused when it is not a scalar. */
  keyOf(map: YAMLMap.Parsed, index: number): Scalar.Parsed {
    const key = (map.items[index] as Pair<ParsedNode, ParsedNode | null>).key;
    if (!isScalar(key)) {
      throw new EditRefused("A key that is a list or a mapping cannot be edited.", key?.range[0]);
    }
    return key;
  }

  /** The offset after the `:` that follows a key; `undefined` for a flow entry with none. */
  colonAfter(key: Scalar.Parsed, flow: boolean): number | undefined {
    let at = key.range[1];
    while (this.text[at] === " " || this.text[at] === "\t") at++;
    if (this.text[at] === ":") return at + 1;
    if (flow) return undefined;
    throw new EditRefused(
      "This key is written in a form (`? key`) that cannot be edited.",
      key.range[0],
    );
  }

  /** The offset of the `-` of item `index` of a block list, from the concrete syntax tree. */
  dashOf(seq: YAMLSeq.Parsed, index: number): number {
    const token = seq.srcToken;
    const item = token?.type === "block-seq" ? token.items[index] : undefined;
    const dash = item?.start.find((t) => t.type === "seq-item-ind");
    if (dash === undefined)
      throw new EditRefused("This list could not be read item by item.", seq.range[0]);
    return dash.offset;
  }

  /** `[start, end)` of item `index` of a flow collection, comments and separators excluded. */
  spanOf(node: YAMLMap.Parsed | YAMLSeq.Parsed, index: number): [number, number] {
    const item = node.items[index];
    if (isPair(item)) {
      const key = item.key as ParsedNode;
      return [key.range[0], this.pairEnd(node as YAMLMap.Parsed, index)];
    }
    const value = item as ParsedNode;
    return [value.range[0], this.contentEnd(value)];
  }

  /** The offset after the last character that belongs to a value, trailing comments excluded. */
  contentEnd(node: ParsedNode): number {
    if (isScalar(node) || isAlias(node)) {
      let end = node.range[1];
      // a block scalar's range takes in the line break that ends its last line
      if (isBlockScalar(node) && this.text[end - 1] === "\n") {
        end -= this.text[end - 2] === "\r" ? 2 : 1;
      }
      return end;
    }
    if (node.flow || node.items.length === 0) return node.range[1];
    const last = node.items.length - 1;
    return isMap(node) ? this.pairEnd(node, last) : this.itemEnd(node as YAMLSeq.Parsed, last);
  }

  /** Where entry `index` ends: its value's end, or its `:` when it has no value. */
  pairEnd(map: YAMLMap.Parsed, index: number): number {
    const key = this.keyOf(map, index);
    const value = (map.items[index]!.value as ParsedNode | null) ?? null;
    if (value !== null && !isEmptyNode(value)) return this.contentEnd(value);
    return this.colonAfter(key, map.flow === true) ?? key.range[1];
  }

  /** Where item `index` ends: its value's end, or its dash when it is empty. */
  itemEnd(seq: YAMLSeq.Parsed, index: number): number {
    const item = (seq.items[index] as ParsedNode | null) ?? null;
    if (item !== null && !isEmptyNode(item)) return this.contentEnd(item);
    return seq.flow ? seq.range[1] : this.dashOf(seq, index) + 1;
  }

  /**
   * Where a new last line of a collection goes: after the line holding `end` and the comment
   * lines right below it that are indented at least `minColumn` (they belong to the last value).
   */
  afterLastLine(end: number, minColumn: number): number {
    const lines = this.lines;
    let line = lines.lineOf(end);
    while (line + 1 < lines.count) {
      const text = lines.text(line + 1);
      const content = text.trimStart();
      if (!content.startsWith("#") || text.length - content.length < minColumn) break;
      line++;
    }
    return lines.contentEnd(line);
  }
}
