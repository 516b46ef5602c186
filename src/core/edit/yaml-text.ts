import { Schema } from "yaml";
import { RESERVED_KEYS } from "../parse/yaml.js";

/** A value a YAML scalar can hold, as the core schema reads it. */
export type YamlScalar = string | number | boolean | null;
/** A value a record file can hold: scalars, sequences and mappings of them. */
export type YamlValue = YamlScalar | readonly YamlValue[] | { readonly [key: string]: YamlValue };
/** A mapping of field names to values. */
type YamlMapping = { readonly [key: string]: YamlValue };

/** Where a scalar is written: in a block (after `key: ` or `- `) or inside `[...]`/`{...}`. */
export type ScalarPlace = "block" | "flow";
/** How a string scalar is written. */
export type QuoteStyle = "plain" | "single" | "double";

const STR_TAG = "tag:yaml.org,2002:str";
/** The tags a plain scalar may resolve to under the YAML 1.2 core schema (null, bool, int, float). */
const NON_STRING_TESTS: readonly RegExp[] = new Schema({ schema: "core" }).tags
  .filter((tag) => tag.default === true && tag.tag !== STR_TAG && tag.test !== undefined)
  .map((tag) => tag.test!);

/** Characters a plain scalar may hold: printable, no tab, no line break of any kind, no BOM. */
const PLAIN_CHARS =
  /^[\x20-\x7E\u00A0-\u2027\u202A-\uD7FF\uE000-\uFEFE\uFF00-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
/** Characters a single-quoted scalar may hold on one line. */
const SINGLE_CHARS =
  /^[\t\x20-\x7E\u00A0-\u2027\u202A-\uD7FF\uE000-\uFEFE\uFF00-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
/** Indicators that cannot start a plain scalar, as the YAML spec and js-yaml read them. */
const INDICATOR_START = /^[-?:,[\]{}#&*!|>'"%@`]/;

/** Whether `text` written bare (plain) reads back as this very string. */
function plainReadsBack(text: string, place: ScalarPlace): boolean {
  if (text === "" || !PLAIN_CHARS.test(text) || INDICATOR_START.test(text)) return false;
  if (text.startsWith("...") || text.trim() !== text) return false;
  if (text.includes(": ") || text.endsWith(":") || text.includes(" #")) return false;
  if (place === "flow" && /[,[\]{}:#]/.test(text)) return false;
  return !NON_STRING_TESTS.some((test) => test.test(text));
}

function singleQuoted(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

const ESCAPES: Readonly<Record<string, string>> = {
  "\0": "\\0",
  "\t": "\\t",
  "\n": "\\n",
  "\r": "\\r",
  '"': '\\"',
  "\\": "\\\\",
};

/** A double-quoted scalar on one line: every non-printable character is escaped. */
function doubleQuoted(text: string): string {
  let out = '"';
  for (const ch of text) {
    const escaped = ESCAPES[ch];
    if (escaped !== undefined) out += escaped;
    else if (PLAIN_CHARS.test(ch)) out += ch;
    else {
      const code = ch.codePointAt(0)!;
      out +=
        code <= 0xff
          ? `\\x${code.toString(16).padStart(2, "0")}`
          : code <= 0xffff
            ? `\\u${code.toString(16).padStart(4, "0")}`
            : `\\U${code.toString(16).padStart(8, "0")}`;
    }
  }
  return `${out}"`;
}

/**
 * A string as one line of YAML that reads back as exactly this string under the core schema
 * (and js-yaml's reading of it): in the `preferred` style when that can hold it, else plain
 * when plain can, else single quotes for text with `"` and no `'`, else double quotes.
 */
export function stringText(text: string, place: ScalarPlace, preferred: QuoteStyle): string {
  const singleOk = SINGLE_CHARS.test(text);
  if (preferred === "double") return doubleQuoted(text);
  if (preferred === "single" && singleOk) return singleQuoted(text);
  if (plainReadsBack(text, place)) return text;
  return singleOk && text.includes('"') && !text.includes("'")
    ? singleQuoted(text)
    : doubleQuoted(text);
}

/** A scalar as one line of YAML; strings as {@link stringText} writes them. */
export function scalarText(
  value: YamlScalar,
  place: ScalarPlace,
  preferred: QuoteStyle = "plain",
): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return ".nan";
    if (!Number.isFinite(value)) return value > 0 ? ".inf" : "-.inf";
    return String(value);
  }
  return stringText(value, place, preferred);
}

/**
 * A multi-line string as a literal block (`|`, `|-` or `|+` by its final line breaks) with
 * its lines at `indent`, or `undefined` when a literal block cannot carry it exactly (a first
 * line that starts with a space, characters that must be escaped).
 */
export function literalBlockLines(text: string, indent: number): string[] | undefined {
  if (!/^[^\s]/.test(text) || !text.includes("\n")) return undefined;
  if (!text.split("\n").every((line) => SINGLE_CHARS.test(line))) return undefined;
  const body = text.replace(/\n+$/, "");
  const trailing = text.length - body.length;
  const header = trailing === 0 ? "|-" : trailing === 1 ? "|" : "|+";
  const pad = " ".repeat(indent);
  const lines = body.split("\n").map((line) => (line === "" ? "" : pad + line));
  for (let i = 1; i < trailing; i++) lines.push("");
  return [header, ...lines];
}

export function isScalarValue(value: YamlValue): value is YamlScalar {
  return value === null || typeof value !== "object";
}

function isMapping(value: YamlValue): value is YamlMapping {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A key as written before `:`. */
export function keyText(key: string, place: ScalarPlace): string {
  return stringText(key, place, "plain");
}

/** Whether a value is written on its key's line: a scalar, `[]`, `{}` or a list of scalars. */
export function fitsOnOneLine(value: YamlValue): boolean {
  if (isScalarValue(value)) return true;
  if (Array.isArray(value)) return value.every(isScalarValue);
  return Object.keys(value).length === 0;
}

/** Flow-collection padding: `{ a: 1 }` has it, `[a, b]` has not. */
export interface FlowPadding {
  readonly seq: boolean;
  readonly map: boolean;
}
const DEFAULT_PADDING: FlowPadding = { seq: false, map: true };

/** A value as one line of YAML: scalars, `[a, b]`, `{ a: 1 }`. */
export function flowText(
  value: YamlValue,
  place: ScalarPlace,
  padding: FlowPadding = DEFAULT_PADDING,
  preferred: QuoteStyle = "plain",
): string {
  if (isScalarValue(value)) return scalarText(value, place, preferred);
  const items = Array.isArray(value)
    ? value.map((item: YamlValue) => flowText(item, "flow", padding))
    : Object.entries(value).map(
        ([k, v]) => `${keyText(k, "flow")}: ${flowText(v, "flow", padding)}`,
      );
  if (items.length === 0) return Array.isArray(value) ? "[]" : "{}";
  const pad = (Array.isArray(value) ? padding.seq : padding.map) ? " " : "";
  return Array.isArray(value)
    ? `[${pad}${items.join(", ")}${pad}]`
    : `{${pad}${items.join(", ")}${pad}}`;
}

/**
 * The lines (without line breaks) of a mapping, or of a sequence with its dashes at `indent`,
 * in block style: one-line values on their key's line (see {@link fitsOnOneLine}), nested
 * mappings and lists of mappings on the lines below, two spaces deeper.
 */
export function blockLines(value: YamlValue, indent: number, dash = "- "): string[] {
  const pad = " ".repeat(indent);
  const lines: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value as readonly YamlValue[]) {
      if (fitsOnOneLine(item)) {
        lines.push(`${pad}${dash}${flowText(item, "block")}`);
        continue;
      }
      // a mapping or list in a list starts on the dash's line: `- id: x` / `  name: y`
      const nested = blockLines(item, indent + dash.length, dash);
      lines.push(`${pad}${dash}${nested[0]!.trimStart()}`, ...nested.slice(1));
    }
    return lines;
  }
  if (!isMapping(value)) return [`${pad}${flowText(value, "block")}`];
  for (const [key, item] of Object.entries(value)) {
    lines.push(...pairLines(key, item, indent));
  }
  return lines;
}

/** The lines of one `key: value` entry at `indent`. */
export function pairLines(key: string, value: YamlValue, indent: number): string[] {
  const head = `${" ".repeat(indent)}${keyText(key, "block")}:`;
  if (fitsOnOneLine(value)) return [`${head} ${flowText(value, "block")}`];
  return [head, ...blockLines(value, indent + 2)];
}

/** The first key named in `value` (at any depth) that is refused, or `undefined`. */
export function reservedKeyIn(value: YamlValue): string | undefined {
  if (isScalarValue(value)) return undefined;
  if (Array.isArray(value)) {
    for (const item of value as readonly YamlValue[]) {
      const found = reservedKeyIn(item);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    if (RESERVED_KEYS.has(key)) return key;
    const found = reservedKeyIn(item);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The text of a new record file: for `"md"`, `---\n<yaml>---\n<body>`; for `"yml"`, the YAML
 * (`{}` when there are no fields, so the file still reads as a mapping). Keys come in the
 * given order; values are written with no line folding, lists of scalars as `[a, b]` (as in
 * the example tracker), mappings and lists of mappings in block style, strings quoted only
 * when they must be (a multi-line string is one double-quoted line). Lines end with `\n`.
 *
 * @throws RangeError when a field name repeats or a key is `__proto__`, `constructor` or
 *   `prototype`: such a file would not read back as the fields given.
 */
export function newRecordText(
  format: "md" | "yml",
  fields: readonly (readonly [string, YamlValue])[],
  body?: string,
): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const [key, value] of fields) {
    const reserved = RESERVED_KEYS.has(key) ? key : reservedKeyIn(value);
    if (reserved !== undefined) throw new RangeError(`The key "${reserved}" is not allowed.`);
    if (seen.has(key)) throw new RangeError(`The field "${key}" is given more than once.`);
    seen.add(key);
    lines.push(...pairLines(key, value, 0));
  }
  const yaml = lines.map((line) => `${line}\n`).join("");
  if (format === "yml") return yaml === "" ? "{}\n" : yaml;
  return `---\n${yaml}---\n${body ?? ""}`;
}
