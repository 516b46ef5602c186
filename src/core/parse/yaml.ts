import jsYaml from "js-yaml";
import {
  type Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
  type Node as YamlNode,
} from "yaml";
import type { DiagnosticCode } from "../diagnostics/codes.js";
import type { Range } from "../diagnostics/diagnostic.js";

/** A problem found while reading YAML, located in the file. */
export interface YamlProblem {
  readonly code: DiagnosticCode;
  readonly message: string;
  readonly range: Range;
}

/** The data of a YAML document and the problems met reading it. */
export interface YamlResult {
  /** Plain JSON-like data; `undefined` when the document could not be read at all. */
  readonly value: unknown;
  readonly problems: readonly YamlProblem[];
  /** False when the data holds values JSON cannot carry (NaN, ±Infinity). */
  readonly jsonSafe: boolean;
}

/** Most aliases a document may use; beyond that it is treated as an alias bomb. */
export const MAX_ALIASES = 50;
/** Keys refused wherever they appear, since they can alter how JavaScript reads objects. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set([
  "__proto__",
  "constructor",
  "prototype",
]);
const ALLOWED_TAGS: ReadonlySet<string> = new Set(
  ["str", "int", "float", "bool", "null", "map", "seq"].map((t) => `tag:yaml.org,2002:${t}`),
);

// The YAML 1.2 core schema's scalar resolution, written for js-yaml with the exact
// patterns the `yaml` package uses (yaml/dist/schema/core), so both readers agree.
const NULL_RE = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL_RE = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const OCT_RE = /^0o[0-7]+$/;
const INT_RE = /^[-+]?[0-9]+$/;
const HEX_RE = /^0x[0-9a-fA-F]+$/;
const NAN_INF_RE = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const EXP_RE = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT_RE = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

const CORE_1_2 = jsYaml.FAILSAFE_SCHEMA.extend({
  implicit: [
    new jsYaml.Type("tag:yaml.org,2002:null", {
      kind: "scalar",
      resolve: (s: string) => NULL_RE.test(s),
      construct: () => null,
    }),
    new jsYaml.Type("tag:yaml.org,2002:bool", {
      kind: "scalar",
      resolve: (s: string) => BOOL_RE.test(s),
      construct: (s: string) => s[0] === "t" || s[0] === "T",
    }),
    new jsYaml.Type("tag:yaml.org,2002:int", {
      kind: "scalar",
      resolve: (s: string) => OCT_RE.test(s) || INT_RE.test(s) || HEX_RE.test(s),
      construct: (s: string) =>
        OCT_RE.test(s)
          ? Number.parseInt(s.slice(2), 8)
          : HEX_RE.test(s)
            ? Number.parseInt(s.slice(2), 16)
            : Number.parseInt(s, 10),
    }),
    new jsYaml.Type("tag:yaml.org,2002:float", {
      kind: "scalar",
      resolve: (s: string) => NAN_INF_RE.test(s) || EXP_RE.test(s) || FLOAT_RE.test(s),
      construct: (s: string) => {
        if (NAN_INF_RE.test(s)) {
          if (s.slice(-3).toLowerCase() === "nan") return Number.NaN;
          return s[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
        }
        return Number.parseFloat(s);
      },
    }),
  ],
});

/**
 * Text the fast reader may take: no anchors, aliases or tags (`&`, `*`, `!`), no tabs,
 * no directives, no complex keys, no reserved key names. Anything else goes to the
 * `yaml` package, which explains problems with positions. Deliberately over-cautious:
 * a false "no" only costs speed.
 */
const NEEDS_FULL_READER = /[&*!\t%?]|[\]}][ ]*:(?:[ \r\n]|$)|__proto__|constructor|prototype/;

/**
 * Reads a YAML document under the YAML 1.2 core schema: dates stay strings, duplicate
 * keys are errors, custom tags are refused, aliases are bounded, reserved keys are dropped.
 *
 * The common case takes a fast reader (js-yaml with a 1.2 core schema); a document it
 * cannot take, or that has any problem, is read again by the `yaml` package, whose
 * positions locate every problem. Tests prove the two agree on the data.
 *
 * @param lineOffset 1-based line of the file on which `text` starts.
 */
export function readYaml(text: string, lineOffset = 1): YamlResult {
  if (!NEEDS_FULL_READER.test(text)) {
    try {
      const value = jsYaml.load(text, { schema: CORE_1_2, json: false });
      // Records are mappings. Anything else (an empty document, a scalar, a sequence) is rare
      // and goes to the full reader: js-yaml misreads a top-level block scalar in column 1.
      // Escapes can spell a reserved key ("__pro\u0074o__") that the text test cannot see.
      if (
        value !== null &&
        typeof value === "object" &&
        !Array.isArray(value) &&
        !hasReservedKey(value)
      ) {
        return { value, problems: [], jsonSafe: isJsonSafe(value) };
      }
    } catch {
      // fall through: the full reader will say what is wrong, and where
    }
  }
  return readYamlFully(text, lineOffset);
}

/** The `yaml` package's reading of a document, with located problems. Exported for tests. */
export function readYamlFully(text: string, lineOffset = 1): YamlResult {
  const located = new YamlLocator(text, lineOffset);
  const doc = located.document;
  const problems: YamlProblem[] = [];
  for (const error of doc.errors) {
    const code = yamlErrorCode(error.code);
    let [start, end] = error.pos;
    let duplicate = "";
    if (error.code === "MISSING_CHAR" && /quote/i.test(error.message)) {
      const opening = openingQuoteBefore(text, start);
      if (opening !== undefined) [start, end] = [opening, opening + 1];
    }
    if (code === "TD014") {
      duplicate =
        /^(?:"[^"\n]*"|'[^'\n]*'|[^:\n]+?)(?=\s*:)/.exec(text.slice(start))?.[0] ??
        text.slice(start, end);
      end = start + duplicate.length;
    }
    problems.push({
      code,
      message:
        code === "TD014"
          ? `The key ${JSON.stringify(duplicate.replace(/^["']|["']$/g, ""))} appears more than once in the same mapping.`
          : code === "TD015"
            ? "A tab is used for indentation; YAML indentation must be spaces."
            : friendlyMessage(error.code, error.message),
      range: located.rangeOf(start, end),
    });
  }
  if (doc.directives?.yaml.explicit) {
    problems.push({
      code: "TD013",
      message: "YAML directives (%YAML) are not allowed; files are always read as YAML 1.2.",
      range: located.rangeOf(0, text.indexOf("\n") === -1 ? text.length : text.indexOf("\n")),
    });
  }
  const refuseTag = (node: YamlNode) => {
    const r = [...(node.range ?? [0, 0])] as [number, number];
    // the node's range starts after its tag; the tag is the last `!` before it on that line
    const lineStart = text.lastIndexOf("\n", r[0] - 1) + 1;
    let tag = text.lastIndexOf("!", r[0]);
    if (tag >= lineStart) {
      while (tag > lineStart && !/[\s,[{]/.test(text[tag - 1]!)) tag--;
      r[0] = tag;
    }
    problems.push({
      code: "TD016",
      message: `The tag "${(node.tag ?? "").replace(/^tag:yaml\.org,2002:/, "!!")}" is not allowed; the value was ignored (nothing in it is run).`,
      range: located.rangeOf(r[0], r[1]),
    });
  };
  const refused = (node: unknown): node is YamlNode =>
    node !== null &&
    typeof node === "object" &&
    typeof (node as YamlNode).tag === "string" &&
    !ALLOWED_TAGS.has((node as YamlNode).tag!);
  visit(doc, {
    Pair: (_key, pair) => {
      if (pair.key !== null && !isScalar(pair.key)) {
        const r = (pair.key as YamlNode).range ?? [0, 0];
        problems.push({
          code: "TD013",
          message:
            "A key must be a single word or string, not a list or mapping; the entry was ignored.",
          range: located.rangeOf(r[0], r[1]),
        });
        return visit.REMOVE;
      }
      if (isScalar(pair.key) && pair.key.value === null) pair.key.value = "null";
      if (isScalar(pair.key) && RESERVED_KEYS.has(String(pair.key.value))) {
        const r = pair.key.range ?? [0, 0];
        problems.push({
          code: "TD018",
          message: `The key "${String(pair.key.value)}" is not allowed; its value was ignored.`,
          range: located.rangeOf(r[0], r[1]),
        });
        return visit.REMOVE;
      }
      if (refused(pair.value)) {
        refuseTag(pair.value);
        return visit.REMOVE;
      }
      return undefined;
    },
    Node: (_key, node) => {
      if (refused(node)) {
        refuseTag(node);
        return visit.REMOVE;
      }
      return undefined;
    },
  });
  if (doc.errors.length > 0) return { value: undefined, problems, jsonSafe: true };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const isAliasLimit = /alias/i.test(message);
    // an alias bomb is pointed at its first alias (looked for only when there is one)
    let firstAlias: [number, number] | undefined;
    if (isAliasLimit) {
      visit(doc, {
        Alias: (_key, alias) => {
          firstAlias = [alias.range?.[0] ?? 0, alias.range?.[1] ?? 0];
          return visit.BREAK;
        },
      });
    }
    problems.push({
      code: isAliasLimit ? "TD017" : "TD013",
      message: isAliasLimit
        ? `The document uses more than ${MAX_ALIASES} aliases; it was not read.`
        : `The YAML could not be read: ${cleanMessage(message)}`,
      range:
        isAliasLimit && firstAlias !== undefined
          ? located.rangeOf(...firstAlias)
          : located.rangeOf(0, 0),
    });
    return { value: undefined, problems, jsonSafe: true };
  }
  const clean = withoutReservedKeys(value);
  return { value: clean, problems, jsonSafe: isJsonSafe(clean) };
}

/** Finds where a value or key sits in a YAML document; built only when a problem needs it. */
export class YamlLocator {
  readonly document: Document.Parsed;
  readonly #lines = new LineCounter();
  readonly #lineOffset: number;
  readonly #length: number;

  constructor(text: string, lineOffset = 1) {
    this.#lineOffset = lineOffset;
    this.#length = text.length;
    this.document = parseDocument(text, {
      lineCounter: this.#lines,
      schema: "core",
      version: "1.2",
      // Keys are compared as the object keys they become, so `1` and "1" are duplicates.
      uniqueKeys: (a, b) =>
        a === b || (isScalar(a) && isScalar(b) && String(a.value) === String(b.value)),
      prettyErrors: false,
      keepSourceTokens: false,
    });
  }

  /** The range of text offsets `[start, end)`, as 1-based lines and columns of the file. */
  rangeOf(start: number, end: number): Range {
    const a = this.#lines.linePos(Math.min(start, this.#length));
    const b = this.#lines.linePos(Math.min(Math.max(end, start), this.#length));
    return {
      line: a.line + this.#lineOffset - 1,
      column: a.col,
      endLine: b.line + this.#lineOffset - 1,
      endColumn: b.col,
    };
  }

  /**
   * The range of the value at `path` (or of its key, with `target: "key"`). A path that does
   * not exist falls back to its nearest existing ancestor, then to the document's start.
   */
  locate(path: readonly (string | number)[], target: "key" | "value" = "value"): Range {
    let node: unknown = this.document.contents;
    let keyNode: YamlNode | undefined;
    for (const segment of path) {
      const next = childOf(node, segment);
      if (next === undefined) return this.#rangeOfNode(keyNode ?? node, true);
      keyNode = next.key;
      node = next.value;
    }
    if (target === "key" && keyNode !== undefined) return this.#rangeOfNode(keyNode, false);
    return this.#rangeOfNode(node ?? keyNode, false);
  }

  #rangeOfNode(node: unknown, firstLineOnly: boolean): Range {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    if (range === undefined) return this.rangeOf(0, 0);
    let end = range[1];
    if (firstLineOnly || isMap(node) || isSeq(node)) {
      const lineEnd = this.#lines.lineStarts.find((s) => s > range[0]);
      end = Math.min(range[1], (lineEnd ?? this.#length + 1) - 1);
    }
    return this.rangeOf(range[0], end);
  }
}

function childOf(
  node: unknown,
  segment: string | number,
): { key: YamlNode | undefined; value: unknown } | undefined {
  if (isMap(node)) {
    for (const item of node.items) {
      if (isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment)) {
        return { key: item.key, value: item.value ?? item.key };
      }
    }
    return undefined;
  }
  if (isSeq(node) && typeof segment === "number") {
    const item = node.items[segment];
    return item === undefined ? undefined : { key: undefined, value: item };
  }
  return undefined;
}

/** Offset of the quote that opens the unterminated quoted scalar an error points into. */
function openingQuoteBefore(text: string, errorAt: number): number | undefined {
  let open: { at: number; quote: string } | undefined;
  let inComment = false;
  for (let i = 0; i < Math.min(errorAt, text.length); i++) {
    const ch = text[i]!;
    if (open === undefined) {
      if (ch === "\n") inComment = false;
      else if (inComment) continue;
      else if (ch === "#" && (i === 0 || /\s/.test(text[i - 1]!))) inComment = true;
      else if ((ch === '"' || ch === "'") && (i === 0 || /[\s:[{,-]/.test(text[i - 1]!)))
        open = { at: i, quote: ch };
    } else if (ch === "\\" && open.quote === '"') {
      i++;
    } else if (ch === open.quote) {
      if (open.quote === "'" && text[i + 1] === "'") i++;
      else open = undefined;
    }
  }
  return open?.at;
}

function yamlErrorCode(code: string): DiagnosticCode {
  switch (code) {
    case "DUPLICATE_KEY":
      return "TD014";
    case "TAB_AS_INDENT":
      return "TD015";
    default:
      return "TD013";
  }
}

/** Plain words for the YAML mistakes people make most; the parser's own words otherwise. */
function friendlyMessage(code: string, message: string): string {
  if (code === "MISSING_CHAR" && /quote/i.test(message)) {
    return "This quoted text is never closed; add the closing quote.";
  }
  if (code === "BLOCK_AS_IMPLICIT_KEY") {
    return 'A value that contains ": " must be quoted, e.g. title: "Fix: login fails".';
  }
  if (code === "MULTIPLE_DOCS") {
    return "The file holds more than one YAML document (a line --- inside it); a record is one document.";
  }
  if (code === "BAD_INDENT") return `The indentation is off here: ${cleanMessage(message)}`;
  return cleanMessage(message);
}

function cleanMessage(message: string): string {
  // The yaml package appends " at line L, column C" and a code frame; we give our own position.
  return message.replace(/ at line \d+, column \d+[\s\S]*$/, "").trim();
}

function withoutReservedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutReservedKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      if (RESERVED_KEYS.has(key)) continue;
      out[key] = withoutReservedKeys((value as Record<string, unknown>)[key]);
    }
    return out;
  }
  return value;
}

function hasReservedKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasReservedKey);
  if (value !== null && typeof value === "object") {
    for (const key of Object.keys(value)) {
      if (RESERVED_KEYS.has(key) || hasReservedKey((value as Record<string, unknown>)[key]))
        return true;
    }
  }
  return false;
}

function isJsonSafe(value: unknown): boolean {
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonSafe);
  if (value !== null && typeof value === "object") {
    for (const key in value) if (!isJsonSafe((value as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/** Where one top-level key and its one-line value sit (0-based line, offsets in the line). */
interface TopLevelEntry {
  /** The value's line (the key's, or the next for a nested value). */
  readonly line: number;
  readonly keyLine: number;
  readonly nested: boolean;
  readonly keyEnd: number;
  readonly valueStart: number;
  readonly valueEnd: number;
}

/** Top-level keys found by {@link scanTopLevel}, or `null` when the document is not simple. */
export interface TopLevelKeys {
  readonly lines: readonly string[];
  readonly entries: ReadonlyMap<string, TopLevelEntry>;
}

const PLAIN_KEY = /^([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*:(?=[ \t]|$)/;

/**
 * A line-by-line reading of a block mapping whose top-level values each sit on their key's
 * line as one plain or closed quoted scalar (`status: todo`, `title: "Fix: login"`); for
 * such documents, locating a top-level field needs no parse, which matters when thousands of
 * changes are located during a history walk. Anything else (values on the next lines,
 * flow collections, open quotes, anchors, tags, keys that are not plain words, text at the
 * left margin that is not a key) gives `null`, and {@link YamlLocator} is used instead.
 */
export function scanTopLevel(text: string): TopLevelKeys | null {
  const lines = text.split("\n");
  const entries = new Map<string, TopLevelEntry>();
  let inBlock = false;
  /** A key whose value starts on a later line (a block list or mapping). */
  let pending: string | undefined;
  let nested = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.endsWith("\r") ? lines[i]!.slice(0, -1) : lines[i]!;
    const lead = line.charCodeAt(0);
    if (line === "" || lead === 0x20 || lead === 0x09) {
      const content = line.trimStart();
      if (inBlock || content === "" || content.startsWith("#")) continue;
      if (pending === undefined) {
        if (nested) continue; // later lines of a nested value
        return null; // a plain scalar continued on the next line
      }
      if (lead === 0x09 || /^[[{&!*|>"'%@`?]/.test(content)) return null;
      const start = line.length - content.length;
      const comment = line.search(/[ \t]#/);
      let end = comment >= start ? comment : line.length;
      while (end > start && (line[end - 1] === " " || line[end - 1] === "\t")) end--;
      entries.set(pending, {
        ...entries.get(pending)!,
        line: i,
        valueStart: start,
        valueEnd: end,
        nested: true,
      });
      pending = undefined;
      continue;
    }
    if (pending !== undefined) return null; // an empty value: the locator knows where null is
    inBlock = false;
    if (lead === 0x23 /* # */) continue;
    const key = PLAIN_KEY.exec(line);
    if (key === null || entries.has(key[1]!) || RESERVED_KEYS.has(key[1]!)) return null;
    let at = key[0].length;
    while (line[at] === " " || line[at] === "\t") at++;
    const end = valueEnd(line, at);
    if (end === undefined) return null;
    if (line[at] === "|" || line[at] === ">") inBlock = true;
    entries.set(key[1]!, {
      line: i,
      keyLine: i,
      keyEnd: key[1]!.length,
      valueStart: at,
      valueEnd: end,
      nested: false,
    });
    nested = end === at;
    if (nested) pending = key[1]!;
  }
  if (pending !== undefined) return null;
  return entries.size === 0 ? null : { lines, entries };
}

/** Where a one-line scalar starting at `at` ends (before a comment), or `undefined` if not one. */
function valueEnd(line: string, at: number): number | undefined {
  const ch = line[at];
  if (ch === undefined || ch === "#") return at;
  if ("&!*%@`".includes(ch)) return undefined;
  if (ch === "[" || ch === "{") {
    const close = closingBracket(line, at);
    return close !== undefined && /^[ \t]*(#.*)?$/.test(line.slice(close)) ? close : undefined;
  }
  if (ch === "|" || ch === ">") {
    return /^[|>][1-9+-]{0,2}[ \t]*(#.*)?$/.test(line.slice(at)) ? at + 1 : undefined;
  }
  let end: number;
  if (ch === '"' || ch === "'") {
    let i = at + 1;
    for (; i < line.length; i++) {
      if (ch === '"' && line[i] === "\\") i++;
      else if (line[i] === ch) {
        if (ch === "'" && line[i + 1] === "'") i++;
        else break;
      }
    }
    if (i >= line.length) return undefined; // continues on the next line
    end = i + 1;
    const rest = line.slice(end);
    if (!/^[ \t]*(#.*)?$/.test(rest)) return undefined;
    return end;
  }
  const comment = line.search(/[ \t]#/);
  end = comment >= at ? comment : line.length;
  while (end > at && (line[end - 1] === " " || line[end - 1] === "\t")) end--;
  // ": " inside a plain value is an error the full reader reports, and so is a value ending in ":"
  if (/: |:\t|:$/.test(line.slice(at, end))) return undefined;
  return end;
}

/** The offset after the bracket closing the flow collection at `at`, on the same line. */
function closingBracket(line: string, at: number): number | undefined {
  let depth = 0;
  for (let i = at; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === "[" || ch === "{") depth++;
    else if (ch === "]" || ch === "}") {
      depth--;
      if (depth === 0) return i + 1;
    } else if (ch === '"' || ch === "'") {
      return undefined; // quoted items: the full reader
    } else if (ch === "#" || ch === "&" || ch === "*" || ch === "!") return undefined;
  }
  return undefined;
}

/**
 * The range {@link YamlLocator.locate} gives for a top-level `path` of a simple document
 * (one element, or none for the whole document), or `undefined` to ask the locator.
 */
export function quickLocate(
  keys: TopLevelKeys,
  path: readonly (string | number)[],
  target: "key" | "value",
  lineOffset: number,
): Range | undefined {
  // the whole document ([]) is left to the locator: its end depends on what follows
  if (path.length !== 1) return undefined;
  const entry = keys.entries.get(String(path[0]));
  if (entry === undefined) return undefined;
  if (target === "key") {
    const line = entry.keyLine + lineOffset;
    return { line, column: 1, endLine: line, endColumn: entry.keyEnd + 1 };
  }
  const line = entry.line + lineOffset;
  const lead = keys.lines[entry.line]![entry.valueStart];
  if (!entry.nested && (lead === "|" || lead === ">")) return undefined;
  // a nested list or mapping is shown by its first line, comment and all
  if (entry.nested) {
    return {
      line,
      column: entry.valueStart + 1,
      endLine: line,
      endColumn: keys.lines[entry.line]!.length + 1,
    };
  }
  return { line, column: entry.valueStart + 1, endLine: line, endColumn: entry.valueEnd + 1 };
}
