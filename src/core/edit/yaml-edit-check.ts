import { isScalar, parseDocument } from "yaml";
import { MAX_ALIASES } from "../parse/yaml.js";
import type { FieldEdit } from "./yaml-edit.js";

// The check every edit passes before it is written: the edited text, read again, must give
// the old data with exactly the change asked for. Splicing text is precise but easy to get
// subtly wrong; this turns any such mistake into a refusal instead of a changed file.

/** How edited documents are read: YAML 1.2 core schema, as the tracker's reader reads them. */
export const PARSE_OPTIONS = {
  schema: "core",
  version: "1.2",
  keepSourceTokens: true,
  prettyErrors: false,
  // keys compare as the object keys they become, as the reader compares them (`1` and "1")
  uniqueKeys: (a: unknown, b: unknown) =>
    a === b || (isScalar(a) && isScalar(b) && String(a.value) === String(b.value)),
} as const;

/** Whether `text` reads (with no errors) as `before` with exactly `edit` applied. */
export function readsAsEdited(before: unknown, text: string, edit: FieldEdit): boolean {
  const doc = parseDocument(text, PARSE_OPTIONS);
  if (doc.errors.length > 0) return false;
  let after: unknown;
  try {
    after = doc.toJS({ maxAliasCount: MAX_ALIASES }) ?? {};
  } catch {
    return false;
  }
  return sameData(after, applyToData(structuredClone(before), edit));
}

type Data = Record<string, unknown> | unknown[];

export function isContainer(value: unknown): value is Data {
  return value !== null && typeof value === "object";
}

/** The same edit, applied to plain data (`root` is changed in place and returned). */
function applyToData(root: unknown, edit: FieldEdit): unknown {
  const path = edit.path;
  let parent = root as Data;
  for (const segment of path.slice(0, -1)) {
    const record = parent as Record<string, unknown>;
    if (!isContainer(record[segment])) {
      if (edit.op === "unset" || edit.op === "remove") return root;
      record[segment] = {};
    }
    parent = record[segment] as Data;
  }
  const last = path.at(-1)!;
  const record = parent as Record<string, unknown>;
  const current = record[last];
  if (edit.op === "set") record[last] = edit.value;
  else if (edit.op === "unset") {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete record[last];
  } else if (edit.op === "add") {
    if (current === undefined || current === null) record[last] = [edit.value];
    else if (!(current as unknown[]).some((item) => sameData(item, edit.value))) {
      (current as unknown[]).push(edit.value);
    }
  } else if (Array.isArray(current)) {
    record[last] = current.filter((item) => !sameData(item, edit.value));
  }
  return root;
}

/** Deep equality of read data; NaN equals NaN, as a value written `.nan` reads back. */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === "number" && typeof b === "number") return Number.isNaN(a) && Number.isNaN(b);
  if (!isContainer(a) || !isContainer(b) || Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every(
    (key) =>
      Object.hasOwn(b, key) &&
      sameData((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
}
