import { countChecklist } from "../checklist.js";
import type { DiagnosticCode } from "../diagnostics/codes.js";
import type { Range } from "../diagnostics/diagnostic.js";
import type { Checklist } from "../model.js";
import { splitFrontMatter } from "./front-matter.js";
import { hasFrontMatter, type RecordKind } from "./layout.js";
import { readYaml } from "./yaml.js";

/** Largest record file read, in bytes. Larger content belongs in files/ as an attachment. */
export const MAX_RECORD_BYTES = 1024 * 1024;

/** A problem met while reading one file, before validation. */
export interface FileProblem {
  readonly code: DiagnosticCode;
  readonly message: string;
  readonly range: Range;
}

/**
 * One record file, read: its data, its Markdown body and the YAML text it came from (kept
 * so that later problems can be located). Plain JSON, so it can be cached.
 */
export interface ParsedFile {
  readonly kind: RecordKind;
  /** The fields, when the file could be read as a YAML mapping. */
  readonly data: Record<string, unknown> | undefined;
  /** Markdown below the front matter; empty for YAML files. */
  readonly body: string;
  /** 1-based line on which the body starts. */
  readonly bodyLine: number;
  /** The YAML text the data was read from. */
  readonly yaml: string;
  /** 1-based line of the file on which `yaml` starts. */
  readonly yamlLine: number;
  readonly problems: readonly FileProblem[];
  /** Checklist items in the body (counted once here, so cached files skip it). */
  readonly checklist: Checklist;
  /** False when the data cannot round-trip through JSON (then it is not cached). */
  readonly cacheable: boolean;
}

const NO_CHECKLIST: Checklist = Object.freeze({ done: 0, total: 0 });

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
const lenientDecoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: false });

const at = (line: number, column = 1, endColumn = column): Range => ({
  line,
  column,
  endLine: line,
  endColumn,
});

/** A file that could not be read at all: no data, one problem. */
export function unreadableFile(
  kind: RecordKind,
  problem: FileProblem,
  cacheable = true,
): ParsedFile {
  return {
    kind,
    data: undefined,
    body: "",
    bodyLine: 1,
    yaml: "",
    yamlLine: 1,
    problems: [problem],
    checklist: NO_CHECKLIST,
    cacheable,
  };
}

/** Reads one record file from its bytes. Pure; never throws for bad content. */
export function readRecordFile(kind: RecordKind, bytes: Uint8Array): ParsedFile {
  const failed = (problem: FileProblem) => unreadableFile(kind, problem);
  if (bytes.byteLength > MAX_RECORD_BYTES) {
    return failed({
      code: "TD004",
      message: `The file is ${formatBytes(bytes.byteLength)}; record files may be at most 1 MiB.`,
      range: at(1),
    });
  }
  if (bytes.byteLength === 0) {
    return failed({ code: "TD005", message: "The file is empty.", range: at(1) });
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return failed({
      code: "TD002",
      message:
        "The file is UTF-16 (it starts with a UTF-16 byte-order mark); tracker files are UTF-8.",
      range: at(1),
    });
  }
  const nul = bytes.subarray(0, 8192).indexOf(0);
  if (nul !== -1) {
    return failed({
      code: "TD003",
      message: "The file holds binary data (a NUL byte), not text.",
      range: at(1),
    });
  }
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    const lenient = lenientDecoder.decode(bytes);
    const bad = lenient.indexOf("\uFFFD");
    const before = lenient.slice(0, Math.max(0, bad));
    const line = before.split("\n").length;
    const column = bad - (before.lastIndexOf("\n") + 1) + 1;
    return failed({
      code: "TD002",
      message: "The file is not valid UTF-8 (first bad byte here).",
      range: at(line, column, column + 1),
    });
  }
  if (text.trim() === "") {
    return failed({ code: "TD005", message: "The file holds only white space.", range: at(1) });
  }

  let yaml = text;
  let yamlLine = 1;
  let body = "";
  let bodyLine = 1;
  if (hasFrontMatter(kind)) {
    const split = splitFrontMatter(text);
    if (!split.ok) {
      return failed({
        code: split.code,
        message: split.message,
        range: at(split.line, split.column, split.endColumn),
      });
    }
    yaml = split.yaml;
    yamlLine = split.yamlLine;
    body = split.body;
    bodyLine = split.bodyLine;
  }

  const result = readYaml(yaml, yamlLine);
  const problems: FileProblem[] = [...result.problems];
  let data: Record<string, unknown> | undefined;
  const value = result.value;
  if (value === null || (value === undefined && problems.length === 0)) {
    // empty front matter: an empty record, which the schema then explains
    data = {};
  } else if (value !== undefined) {
    if (typeof value === "object" && !Array.isArray(value)) {
      data = value as Record<string, unknown>;
    } else {
      problems.push({
        code: "TD019",
        message: `The ${hasFrontMatter(kind) ? "front matter" : "file"} holds ${Array.isArray(value) ? "a list" : `the single value ${JSON.stringify(value)}`}, not a set of \`field: value\` lines.`,
        range: at(yamlLine),
      });
    }
  }
  const checklist = body === "" ? NO_CHECKLIST : countChecklist(body);
  return {
    kind,
    data,
    body,
    bodyLine,
    yaml,
    yamlLine,
    problems,
    checklist,
    cacheable: result.jsonSafe,
  };
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(n / 1024)} KiB`;
}
