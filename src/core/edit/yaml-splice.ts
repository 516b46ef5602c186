import { isMap, isScalar, isSeq, type ParsedNode, Scalar, type YAMLMap, type YAMLSeq } from "yaml";
import {
  EditRefused,
  isBlockScalar,
  isEmptyNode,
  nodeIn,
  type Owner,
  type Slot,
  type YamlLayout,
} from "./yaml-layout.js";
import {
  blockLines,
  fitsOnOneLine,
  flowText,
  keyText,
  literalBlockLines,
  pairLines,
  type QuoteStyle,
  type YamlScalar,
  type YamlValue,
} from "./yaml-text.js";

/** A replacement of `text.slice(from, to)` by `text`. */
export interface Splice {
  readonly from: number;
  readonly to: number;
  readonly text: string;
}

/** Applies splices that do not overlap, whatever their order. */
export function applySplices(text: string, splices: readonly Splice[]): string {
  // from the end, so earlier offsets stay valid; at one offset, the wider splice first
  const sorted = [...splices].sort((a, b) => b.from - a.from || b.to - a.to);
  let out = text;
  for (const splice of sorted) out = out.slice(0, splice.from) + splice.text + out.slice(splice.to);
  return out;
}

function quoteStyleOf(node: ParsedNode | null): QuoteStyle {
  if (node !== null && isScalar(node)) {
    if (node.type === Scalar.QUOTE_SINGLE) return "single";
    if (node.type === Scalar.QUOTE_DOUBLE) return "double";
  }
  return "plain";
}

/**
 * Computes the splices that change one value of a parsed document and nothing else, at the
 * offsets {@link YamlLayout} finds; every text written comes from yaml-text.ts, so what is
 * written reads back as what was asked.
 */
export class YamlSplicer {
  readonly #text: string;
  readonly #eol: string;
  readonly #at: YamlLayout;

  constructor(layout: YamlLayout, eol: string) {
    this.#text = layout.text;
    this.#eol = eol;
    this.#at = layout;
  }

  /** Writes `value` in place of the value in `slot`, keeping the key, dash and comments. */
  replaceValue(slot: Slot, value: YamlValue): Splice[] {
    const owner = this.#at.owner(slot);
    const node = nodeIn(slot);
    const lines = this.#at.lines;
    const at = owner.anchorEnd;
    const lead = owner.colonMissing ? ": " : " ";
    if (node === null || isEmptyNode(node)) return this.#fillEmpty(owner, value);
    const start = node.range[0];
    const end = this.#at.contentEnd(node);
    const sameLine = lines.lineOf(start) === lines.lineOf(at);
    if (owner.flow) {
      const text = flowText(value, "flow", this.#at.padding(node), quoteStyleOf(node));
      return [{ from: start, to: end, text }];
    }
    if (typeof value === "string" && isBlockScalar(node) && end < this.#text.length) {
      const literal = literalBlockLines(
        value,
        this.#at.blockScalarIndent(node) ?? owner.column + 2,
      );
      // `|+` keeps trailing blank lines: a blank line after the block would join the value
      const next = lines.lineOf(end) + 1;
      const absorbs = literal?.[0] === "|+" && next < lines.count && lines.text(next).trim() === "";
      if (literal !== undefined && !absorbs) {
        return [{ from: start, to: end, text: literal.join(this.#eol) }];
      }
    }
    const inline = this.#inlineText(value, node);
    if (inline !== undefined) {
      if (sameLine || isScalar(node)) return [{ from: start, to: end, text: inline }];
      // a block list or mapping below the key becomes a value on the key's line
      return [{ from: at, to: at, text: lead + inline }, this.#removeLines(start, end)];
    }
    if (owner.compact) {
      const indent = sameLine ? lines.column(start) : owner.column + 2;
      const text = this.#blockText(value, indent, node).slice(indent);
      return [sameLine ? { from: start, to: end, text } : { from: at, to: end, text: ` ${text}` }];
    }
    if (!sameLine) {
      const column = lines.column(start);
      const keep = (Array.isArray(value) && isSeq(node)) || column > owner.column;
      const indent = keep ? column : owner.column + 2;
      const from = lines.start(lines.lineOf(start));
      return [{ from, to: end, text: this.#blockText(value, indent, node) }];
    }
    // a value on the key's line becomes a block below it; a comment after it stays on the key's line
    let from = start;
    while (from > at && (this.#text[from - 1] === " " || this.#text[from - 1] === "\t")) from--;
    const lineEnd = lines.contentEnd(lines.lineOf(end));
    return [
      { from, to: end, text: "" },
      {
        from: lineEnd,
        to: lineEnd,
        text: this.#eol + this.#blockText(value, owner.column + 2, node),
      },
    ];
  }

  /** Adds `key: value` after the last entry of `map` (`null`: a document with no mapping yet). */
  insertEntry(map: YAMLMap.Parsed | null, key: string, value: YamlValue): Splice[] {
    const eol = this.#eol;
    if (map === null || map.items.length === 0) {
      if (map?.flow) {
        const text = flowText({ [key]: value }, "block", this.#at.padding(map));
        return [{ from: map.range[0], to: map.range[1], text }];
      }
      const text = pairLines(key, value, 0).join(eol);
      const end = this.#text.length;
      if (end === 0 || this.#text.endsWith("\n")) return [{ from: end, to: end, text: text + eol }];
      return [{ from: end, to: end, text: eol + text }];
    }
    if (map.flow) {
      const entry = `${keyText(key, "flow")}: ${flowText(value, "flow", this.#at.padding(map))}`;
      const at = this.#at.spanOf(map, map.items.length - 1)[1];
      return [{ from: at, to: at, text: this.#at.flowSeparator(map) + entry }];
    }
    const indent = this.#at.lines.column(this.#at.keyOf(map, 0).range[0]);
    const at = this.#at.afterLastLine(this.#at.contentEnd(map), indent + 1);
    return [{ from: at, to: at, text: eol + pairLines(key, value, indent).join(eol) }];
  }

  /**
   * Removes entry `index` of `map`: its key's line through its value's last line (with the
   * comment at its end). A block mapping's last entry is left to the caller (it becomes `{}`).
   */
  removeEntry(map: YAMLMap.Parsed, index: number): Splice[] {
    if (map.flow) return this.#removeFlowItems(map, [index]);
    const key = this.#at.keyOf(map, index);
    const line = this.#at.lines.lineOf(key.range[0]);
    const before = this.#text.slice(this.#at.lines.start(line), key.range[0]);
    if (/^[ \t]*$/.test(before))
      return [this.#removeLines(key.range[0], this.#at.pairEnd(map, index))];
    // the first entry of a mapping in a list (`- id: x`): the next entry moves up to the dash
    if (index + 1 >= map.items.length) {
      throw new EditRefused("This entry shares its line with a list's dash.", key.range[0]);
    }
    const next = this.#at.keyOf(map, index + 1);
    return [{ from: key.range[0], to: next.range[0], text: "" }];
  }

  /** Appends a scalar to a list, in the list's style. */
  appendItem(seq: YAMLSeq.Parsed, value: YamlScalar): Splice[] {
    if (seq.flow) {
      if (seq.items.length === 0) {
        return [
          {
            from: seq.range[0],
            to: seq.range[1],
            text: flowText([value], "block", this.#at.padding(seq)),
          },
        ];
      }
      const at = this.#at.spanOf(seq, seq.items.length - 1)[1];
      return [{ from: at, to: at, text: this.#at.flowSeparator(seq) + flowText(value, "flow") }];
    }
    const column = this.#at.lines.column(this.#at.dashOf(seq, 0));
    const at = this.#at.afterLastLine(this.#at.contentEnd(seq), column + 1);
    const item = `${" ".repeat(column)}${this.#at.dashStyle(seq)}${flowText(value, "block")}`;
    return [{ from: at, to: at, text: this.#eol + item }];
  }

  /** Removes the items at `indexes` (not all of them: an emptied list is the caller's `[]`). */
  removeItems(seq: YAMLSeq.Parsed, indexes: readonly number[]): Splice[] {
    if (seq.flow) return this.#removeFlowItems(seq, indexes);
    return indexes.map((index) => {
      const dash = this.#at.dashOf(seq, index);
      const line = this.#at.lines.lineOf(dash);
      if (!/^[ \t]*$/.test(this.#text.slice(this.#at.lines.start(line), dash))) {
        throw new EditRefused("This list item shares its line with another item.", dash);
      }
      return this.#removeLines(dash, this.#at.itemEnd(seq, index));
    });
  }

  // --- writing ----------------------------------------------------------------------------

  /** A value where there was none (`key:`, `- `, `{ a }`): on the line, or in a block below. */
  #fillEmpty(owner: Owner, value: YamlValue): Splice[] {
    const at = owner.anchorEnd;
    const lead = owner.colonMissing ? ": " : " ";
    if (owner.flow || fitsOnOneLine(value)) {
      return [{ from: at, to: at, text: lead + flowText(value, owner.flow ? "flow" : "block") }];
    }
    if (owner.compact) {
      const indent = owner.column + 2;
      return [{ from: at, to: at, text: ` ${this.#blockText(value, indent, null).slice(indent)}` }];
    }
    const lineEnd = this.#at.lines.contentEnd(this.#at.lines.lineOf(at));
    const text = this.#eol + this.#blockText(value, owner.column + 2, null);
    return [{ from: lineEnd, to: lineEnd, text }];
  }

  /**
   * The value on one line, or `undefined` when it goes in a block: a flow list or mapping
   * stays flow, a block one stays block, else lists of scalars are written `[a, b]`.
   */
  #inlineText(value: YamlValue, old: ParsedNode): string | undefined {
    if (value === null || typeof value !== "object") {
      return flowText(value, "block", undefined, quoteStyleOf(old));
    }
    const empty = Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
    if (empty) return Array.isArray(value) ? "[]" : "{}";
    if ((isSeq(old) || isMap(old)) && old.flow)
      return flowText(value, "block", this.#at.padding(old));
    if (isSeq(old) && Array.isArray(value)) return undefined;
    return fitsOnOneLine(value) ? flowText(value, "block") : undefined;
  }

  /** Block lines of a value at `indent`, joined; a list keeps the dash style of the one it replaces. */
  #blockText(value: YamlValue, indent: number, old: ParsedNode | null): string {
    const keepDashes = old !== null && isSeq(old) && !old.flow && old.items.length > 0;
    const dash = keepDashes ? this.#at.dashStyle(old) : "- ";
    return blockLines(value, indent, dash).join(this.#eol);
  }

  // --- removing ---------------------------------------------------------------------------

  /** Removes whole lines, from the one holding `from` to the one holding `to`. */
  #removeLines(from: number, to: number): Splice {
    const lines = this.#at.lines;
    const first = lines.lineOf(from);
    const last = lines.lineOf(to);
    if (last + 1 < lines.count) return { from: lines.start(first), to: lines.next(last), text: "" };
    // the text's last line has no line break: the one before it goes instead
    const start = first > 0 ? lines.contentEnd(first - 1) : 0;
    return { from: start, to: this.#text.length, text: "" };
  }

  /**
   * Removes items of a flow collection with the separators between them: a removed item and
   * the `, ` after it when a kept item follows, else the `, ` before it.
   */
  #removeFlowItems(node: YAMLMap.Parsed | YAMLSeq.Parsed, indexes: readonly number[]): Splice[] {
    const removed = new Set(indexes);
    const count = node.items.length;
    const splices: Splice[] = [];
    for (let first = 0; first < count; first++) {
      if (!removed.has(first)) continue;
      let last = first;
      while (removed.has(last + 1)) last++;
      if (last + 1 < count) {
        splices.push({
          from: this.#at.spanOf(node, first)[0],
          to: this.#at.spanOf(node, last + 1)[0],
          text: "",
        });
      } else if (first > 0) {
        splices.push({
          from: this.#at.spanOf(node, first - 1)[1],
          to: this.#at.spanOf(node, last)[1],
          text: "",
        });
      } else {
        const text = isSeq(node) ? "[]" : "{}";
        splices.push({ from: node.range[0], to: node.range[1], text });
      }
      first = last;
    }
    return splices;
  }
}
