/**
 * Minimal-diff edits of a record file's YAML: the engine behind `trackdown edit`, `move`,
 * `assign`, `log` and every other command that changes a file people also edit by hand.
 *
 * What is kept: every byte outside the value being changed. Edits are splices of the source
 * text at the ranges the `yaml` package reports for its nodes (and its concrete syntax tree
 * for dashes); the document is never stringified again. So comments (above keys, at line
 * ends, between list items), key order, quoting, blank lines, indentation, the dash style of
 * lists, line endings (a CRLF file gets CRLF in the lines written too), a missing final line
 * break, a byte-order mark and a Markdown body all stay as they were.
 *
 * What is written: a scalar set in place of a scalar keeps its quote style when the new
 * value can be written in it (a plain value stays plain unless it would read back as
 * something else: `yes` stays plain since YAML 1.2 reads it as text, `123`, `null` or
 * `a: b` are quoted); a comment after the value stays. A flow list stays flow (`[a, b, c]`),
 * a block list stays block with the same indentation and dash style. A value that changes
 * kind (a scalar that becomes a mapping, a block list that becomes `[]`) replaces the
 * value's lines only. Lines are never folded.
 *
 * The new-key rule: a new key goes on a new line right after the mapping's last entry (after
 * its value's last line and any comment lines below it indented deeper than the mapping's
 * keys), at the indentation of the mapping's keys. So comments and blank lines that end a
 * document stay at its end. A new list item goes after the last item the same way. When the
 * text's last line has no line break, the new line is joined with the file's line break
 * and the text still ends without one.
 *
 * `unset` removes the key's line through its value's last line, with the comment at the end
 * of it; comments above the key stay. A nested mapping or list left empty is written `{}`
 * or `[]` (so it stays a mapping or a list); the document's own mapping may become empty.
 *
 * Refused (`ok: false`, with the file's 1-based line and column where there is one): YAML
 * with errors (duplicate keys among them) or that is not one mapping; front matter that is
 * missing or never closed; a path through something that is not a mapping or list, or past
 * a list's end; an alias, or an anchored or tagged node on the path (changing it would
 * change, or drop, what refers to it); keys named `__proto__`, `constructor` or `prototype`.
 * Every edit is checked by reading the result again: if it did not give the old data with
 * exactly the change asked for, the edit is refused rather than written.
 */
import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type ParsedNode,
  parseDocument,
} from "yaml";
import { splitFrontMatter } from "../parse/front-matter.js";
import { MAX_ALIASES, RESERVED_KEYS, readYamlFully } from "../parse/yaml.js";
import { isContainer, PARSE_OPTIONS, readsAsEdited, sameData } from "./yaml-edit-check.js";
import { EditRefused, nodeIn, type Slot, YamlLayout } from "./yaml-layout.js";
import { applySplices, type Splice, YamlSplicer } from "./yaml-splice.js";
import { reservedKeyIn, type YamlScalar, type YamlValue } from "./yaml-text.js";

export type { YamlScalar, YamlValue } from "./yaml-text.js";

/** A key path from the document's top-level mapping: `["status"]`, `["workflow", "initial"]`, `["attachments", 0, "title"]`. */
export type YamlPath = readonly (string | number)[];

/**
 * One change to a YAML document.
 * - `set`: writes the value, creating the key (and mappings on the way) when missing.
 * - `unset`: removes the key, or the list item; nothing when absent.
 * - `add`: appends to a list unless an equal item is there; a missing or empty key becomes a one-item list.
 * - `remove`: removes every equal item from a list; an emptied list stays as `key: []`; nothing when absent.
 */
export type FieldEdit =
  | { readonly op: "set"; readonly path: YamlPath; readonly value: YamlValue }
  | { readonly op: "unset"; readonly path: YamlPath }
  | { readonly op: "add"; readonly path: YamlPath; readonly value: YamlScalar }
  | { readonly op: "remove"; readonly path: YamlPath; readonly value: YamlScalar };

/**
 * The result of editing a file's text: the new text (`changed` is false when it is the same),
 * or why the edit was refused, with the file's 1-based line and column when it points somewhere.
 */
export type EditOutcome =
  | { readonly ok: true; readonly text: string; readonly changed: boolean }
  | {
      readonly ok: false;
      readonly message: string;
      readonly line?: number;
      readonly column?: number;
    };

type Refusal = Extract<EditOutcome, { ok: false }>;

const BOM = "\uFEFF";

/** Edits a YAML document (a `.yml` record file's whole text); see the module comment for what is kept. */
export function editYaml(text: string, edits: readonly FieldEdit[]): EditOutcome {
  const bom = text.startsWith(BOM) ? BOM : "";
  const result = editDocument(text.slice(bom.length), edits, 1, lineBreakOf(text));
  if (typeof result !== "string") return result;
  const edited = bom + result;
  return { ok: true, text: edited, changed: edited !== text };
}

/**
 * Edits a Markdown record's front matter; the body stays byte-for-byte unless `body` is
 * given (then it replaces the body). Line numbers in refusals are the file's.
 */
export function editFrontMatter(
  text: string,
  edits: readonly FieldEdit[],
  options?: { readonly body?: string },
): EditOutcome {
  const bom = text.startsWith(BOM) ? BOM : "";
  const source = text.slice(bom.length);
  const split = splitFrontMatter(source);
  if (!split.ok)
    return { ok: false, message: split.message, line: split.line, column: split.column };
  const eol = lineBreakOf(source);
  const yamlStart = source.indexOf("\n") + 1;
  const opening = source.slice(0, yamlStart);
  const closing = source.slice(yamlStart + split.yaml.length, source.length - split.body.length);
  const yaml = editDocument(split.yaml, edits, split.yamlLine, eol);
  if (typeof yaml !== "string") return yaml;
  let body = split.body;
  let close = closing;
  if (options?.body !== undefined) {
    body = options.body;
    if (body !== "" && !close.endsWith("\n")) close += eol;
  }
  const edited = bom + opening + yaml + close + body;
  return { ok: true, text: edited, changed: edited !== text };
}

/** The line break a text uses: that of its first line (`\n` when it has none). */
function lineBreakOf(text: string): string {
  const nl = text.indexOf("\n");
  return nl > 0 && text[nl - 1] === "\r" ? "\r\n" : "\n";
}

/** Applies the edits in order, reading the text again between them. */
function editDocument(
  text: string,
  edits: readonly FieldEdit[],
  lineOffset: number,
  eol: string,
): string | Refusal {
  let current = text;
  for (const edit of edits) {
    const layout = new YamlLayout(current);
    const splicer = new YamlSplicer(layout, eol);
    const refuse = (message: string, at?: number): Refusal => {
      if (at === undefined) return { ok: false, message };
      const { line, column } = layout.position(at);
      return { ok: false, message, line: line + lineOffset - 1, column };
    };
    const read = readForEdit(current, lineOffset);
    if ("ok" in read) return read;
    const problem = checkEdit(edit);
    if (problem !== undefined) return refuse(problem);
    let splices: Splice[];
    try {
      splices = splicesFor(splicer, read, edit);
    } catch (error) {
      if (error instanceof EditRefused) return refuse(error.message, error.at);
      throw error;
    }
    if (splices.length === 0) continue;
    const next = applySplices(current, splices);
    if (!readsAsEdited(read.data, next, edit)) {
      return refuse(
        `The edit of "${pathText(edit.path)}" could not be written without changing other data; the file was left as it was.`,
      );
    }
    current = next;
  }
  return current;
}

interface Readable {
  readonly text: string;
  readonly doc: Document.Parsed;
  /** The document's data; `{}` for a document with no content. */
  readonly data: unknown;
}

function readForEdit(text: string, lineOffset: number): Readable | Refusal {
  const doc = parseDocument(text, PARSE_OPTIONS);
  if (doc.errors.length > 0) {
    const problem = readYamlFully(text, lineOffset).problems[0];
    return {
      ok: false,
      message: `The YAML cannot be edited until this is fixed: ${problem?.message ?? doc.errors[0]!.message}`,
      ...(problem && { line: problem.range.line, column: problem.range.column }),
    };
  }
  const contents = doc.contents as ParsedNode | null;
  if (contents !== null && !isMap(contents)) {
    const { line, column } = new YamlLayout(text).position(contents.range[0]);
    return {
      ok: false,
      message:
        "The YAML is not a mapping of fields (`key: value` lines), so no field can be edited.",
      line: line + lineOffset - 1,
      column,
    };
  }
  try {
    return { text, doc, data: doc.toJS({ maxAliasCount: MAX_ALIASES }) ?? {} };
  } catch (error) {
    return { ok: false, message: `The YAML could not be read: ${(error as Error).message}` };
  }
}

/** Why an edit cannot be made whatever the document, or `undefined`. */
function checkEdit(edit: FieldEdit): string | undefined {
  if (edit.path.length === 0) return "An edit needs a field: its path is empty.";
  for (const segment of edit.path) {
    if (typeof segment === "string" && RESERVED_KEYS.has(segment)) {
      return `The key "${segment}" is not allowed.`;
    }
    if (typeof segment === "number" && !(Number.isInteger(segment) && segment >= 0)) {
      return `"${segment}" in "${pathText(edit.path)}" is not a list position.`;
    }
  }
  if (edit.op === "set") {
    const reserved = reservedKeyIn(edit.value);
    if (reserved !== undefined) return `The key "${reserved}" is not allowed.`;
  }
  return undefined;
}

function pathText(path: YamlPath): string {
  return path.map((segment) => (typeof segment === "number" ? `[${segment}]` : segment)).join(".");
}

/** Where a path leads in a document. */
type Target =
  /** The path's value exists (possibly as an empty `key:`). */
  | { readonly kind: "found"; readonly slots: readonly Slot[]; readonly node: ParsedNode | null }
  /** The mapping `map` (`null`: the document is empty) has no key `rest[0]`. */
  | { readonly kind: "missing"; readonly map: ParsedNode | null; readonly rest: YamlPath }
  /** The value at `slot` is null, and the path goes on into it with `rest`. */
  | { readonly kind: "in-null"; readonly slot: Slot; readonly rest: YamlPath };

function isNull(node: ParsedNode | null): boolean {
  return node === null || (isScalar(node) && node.value === null);
}

/** Where a node's anchor (`&name`) or tag (`!!str`) is written, before the node's own range. */
function propertyAt(text: string, node: ParsedNode, property: string): number {
  const lineStart = text.lastIndexOf("\n", node.range[0] - 1) + 1;
  let at = text.lastIndexOf(property, node.range[0]);
  if (at < 0) return node.range[0];
  while (at > lineStart && !/[\s,[{]/.test(text[at - 1]!)) at--;
  return at;
}

/** Refuses a node whose change would reach beyond it: an alias, an anchored or tagged node. */
function refuseShared(text: string, node: ParsedNode, path: YamlPath): void {
  const where = pathText(path) || "the document";
  if (isAlias(node)) {
    throw new EditRefused(
      `"${where}" is an alias of another value (*${node.source}); edit the value it refers to instead.`,
      node.range[0],
    );
  }
  if (node.anchor !== undefined) {
    throw new EditRefused(
      `"${where}" has an anchor (&${node.anchor}) that other values may refer to; it is not edited automatically.`,
      propertyAt(text, node, `&${node.anchor}`),
    );
  }
  if (node.tag !== undefined) {
    throw new EditRefused(
      `"${where}" has an explicit tag; it is not edited automatically.`,
      propertyAt(text, node, "!"),
    );
  }
}

function locate(text: string, root: ParsedNode | null, path: YamlPath): Target {
  let node = root;
  const slots: Slot[] = [];
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    if (node !== null) refuseShared(text, node, path.slice(0, i));
    if (isNull(node)) {
      const slot = slots.at(-1);
      if (slot === undefined) return { kind: "missing", map: null, rest: path };
      return { kind: "in-null", slot, rest: path.slice(i) };
    }
    if (isMap(node)) {
      const index = node.items.findIndex(
        (pair) => isScalar(pair.key) && String(pair.key.value) === String(segment),
      );
      if (index === -1) return { kind: "missing", map: node, rest: path.slice(i) };
      slots.push({ kind: "entry", map: node, index });
    } else if (isSeq(node)) {
      if (typeof segment !== "number" || segment >= node.items.length) {
        throw new EditRefused(
          `"${pathText(path.slice(0, i))}" is a list of ${node.items.length} items; it has no item "${segment}".`,
          node!.range[0],
        );
      }
      slots.push({ kind: "item", seq: node, index: segment });
    } else {
      throw new EditRefused(
        `"${pathText(path.slice(0, i))}" is not a mapping or a list, so it has no "${segment}".`,
        node!.range[0],
      );
    }
    node = nodeIn(slots.at(-1)!);
  }
  if (node !== null) refuseShared(text, node, path);
  return { kind: "found", slots, node };
}

/** `value` under the keys `rest` (`["a", "b"]`, 1 → `{ a: { b: 1 } }`). */
function nested(rest: YamlPath, value: YamlValue): YamlValue {
  let out = value;
  for (let i = rest.length - 1; i >= 0; i--) {
    const key = rest[i]!;
    if (typeof key === "number") {
      throw new EditRefused(`There is no list here to hold item ${key}.`);
    }
    out = { [key]: out };
  }
  return out;
}

/** The data at a path (`undefined` where there is none). */
function dataAt(data: unknown, path: YamlPath): unknown {
  let value = data;
  for (const segment of path) {
    if (!isContainer(value)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** Writes `value` at a path, creating what is missing on the way. */
function setSplices(
  splicer: YamlSplicer,
  target: Target,
  value: YamlValue,
  current: unknown,
): Splice[] {
  if (target.kind === "in-null")
    return splicer.replaceValue(target.slot, nested(target.rest, value));
  if (target.kind === "missing") {
    const [key, ...rest] = target.rest;
    const map = target.map !== null && isMap(target.map) ? target.map : null;
    return splicer.insertEntry(map, String(key), nested(rest, value));
  }
  if (sameData(current, value)) return [];
  return splicer.replaceValue(target.slots.at(-1)!, value);
}

function splicesFor(splicer: YamlSplicer, read: Readable, edit: FieldEdit): Splice[] {
  const target = locate(read.text, read.doc.contents as ParsedNode | null, edit.path);
  const current = dataAt(read.data, edit.path) ?? null;
  if (edit.op === "set") return setSplices(splicer, target, edit.value, current);
  if (target.kind !== "found") {
    return edit.op === "add" ? setSplices(splicer, target, [edit.value], current) : [];
  }
  const { slots, node } = target;
  const slot = slots.at(-1)!;
  const parent = slots.at(-2);
  if (edit.op === "unset") {
    if (slot.kind === "item") {
      if (slot.seq.items.length === 1 && !slot.seq.flow && parent !== undefined) {
        return splicer.replaceValue(parent, []);
      }
      return splicer.removeItems(slot.seq, [slot.index]);
    }
    if (slot.map.items.length === 1 && !slot.map.flow && parent !== undefined) {
      return splicer.replaceValue(parent, {});
    }
    return splicer.removeEntry(slot.map, slot.index);
  }
  if (isNull(node)) return edit.op === "add" ? splicer.replaceValue(slot, [edit.value]) : [];
  if (!isSeq(node)) {
    throw new EditRefused(
      `"${pathText(edit.path)}" is not a list, so nothing can be ${edit.op === "add" ? "added to" : "removed from"} it.`,
      node!.range[0],
    );
  }
  const equal = node.items.flatMap((item, index) =>
    isScalar(item) && sameData(item.value as YamlScalar, edit.value) ? [index] : [],
  );
  if (edit.op === "add") return equal.length > 0 ? [] : splicer.appendItem(node, edit.value);
  if (equal.length === 0) return [];
  for (const index of equal) {
    refuseShared(read.text, node.items[index] as ParsedNode, [...edit.path, index]);
  }
  if (equal.length === node.items.length) return splicer.replaceValue(slot, []);
  return splicer.removeItems(node, equal);
}
