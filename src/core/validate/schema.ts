import type { ErrorObject } from "ajv";
import type { DiagnosticCode } from "../diagnostics/codes.js";
import { suggestion } from "../did-you-mean.js";
import type { RecordKind } from "../parse/layout.js";
import * as validators from "./validators.generated.js";

/** A schema problem in one file's data, not yet located. */
export interface SchemaProblem {
  readonly code: DiagnosticCode;
  readonly message: string;
  /** Path of the offending value (or, for unknown fields, of the key). */
  readonly path: readonly (string | number)[];
  /** Whether the problem is about the key at `path` rather than its value. */
  readonly target: "key" | "value";
  readonly hint?: string;
}

/** A compiled validator as ajv's standalone code exports it. */
type Validator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

const VALIDATOR_OF: Record<RecordKind, Validator> = {
  config: validators.config,
  person: validators.person,
  team: validators.team,
  project: validators.project,
  milestone: validators.milestone,
  task: validators.task,
  time: validators.timeEntry,
};

/** Checks a record's data against its kind's JSON Schema (schemas/). Pure. */
export function checkSchema(kind: RecordKind, data: unknown): SchemaProblem[] {
  const validate = VALIDATOR_OF[kind];
  if (validate(data)) return [];
  return explain(validate.errors ?? []);
}

function explain(errors: readonly ErrorObject[]): SchemaProblem[] {
  // For oneOf/anyOf failures, errors of the branches about the value's type are noise
  // (it simply is not that branch): keep only errors found deeper inside the value, and
  // the union's own "none of the accepted forms" when nothing more precise remains.
  // Branch schemas are often $refs, so errors are matched by where they point in the data.
  const unions = errors.filter((e) => e.keyword === "oneOf" || e.keyword === "anyOf");
  const unionPaths = new Set(unions.map((u) => u.instancePath));
  const kept = errors.filter((e) => {
    if (e.keyword === "oneOf" || e.keyword === "anyOf") return false;
    if (!unionPaths.has(e.instancePath)) return true;
    return e.keyword !== "type";
  });
  for (const union of unions) {
    const at = union.instancePath;
    const hasDetail = kept.some(
      (e) => e.instancePath === at || e.instancePath.startsWith(`${at}/`),
    );
    if (!hasDetail) kept.push(union);
  }
  const seen = new Set<string>();
  const out: SchemaProblem[] = [];
  for (const error of kept) {
    const problem = describe(error);
    const key = `${problem.code}${problem.path.join("/")}${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(problem);
  }
  return out;
}

function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function fieldName(path: readonly (string | number)[]): string {
  if (path.length === 0) return "the record";
  return `"${path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("")}"`;
}

function kindOf(value: unknown): string {
  if (value === null) return "nothing (null)";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `the text ${JSON.stringify(value)}`;
  return `${typeof value === "number" ? "the number" : "the value"} ${String(value)}`;
}

const TYPE_WORDS: Record<string, string> = {
  string: "text",
  number: "a number",
  integer: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "a mapping of fields",
  null: "nothing",
};

function example(schema: unknown): string {
  const examples = (schema as { examples?: unknown[] } | undefined)?.examples;
  return examples !== undefined && examples.length > 0
    ? ` such as ${JSON.stringify(examples[0])}`
    : "";
}

function describe(error: ErrorObject): SchemaProblem {
  const path = pointerToPath(error.instancePath);
  const name = fieldName(path);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required": {
      const field = String(params.missingProperty);
      return {
        code: "TD101",
        message: `The required field "${field}" is missing${path.length > 0 ? ` in ${name}` : ""}.`,
        path,
        target: "value",
      };
    }
    case "additionalProperties": {
      const field = String(params.additionalProperty);
      const known = Object.keys(
        (error.parentSchema as { properties?: object } | undefined)?.properties ?? {},
      );
      return {
        code: "TD104",
        message: `Unknown field "${field}"${path.length > 0 ? ` in ${name}` : ""}; it is kept but ignored.`,
        path: [...path, field],
        target: "key",
        hint: `${suggestion(field, known, "fields")}`,
      };
    }
    case "type": {
      const expected = String(params.type)
        .split(",")
        .map((t) => TYPE_WORDS[t] ?? t)
        .join(" or ");
      return {
        code: "TD102",
        message: `${capitalise(name)} must be ${expected}, not ${kindOf(error.data)}.`,
        path,
        target: "value",
        hint:
          error.data !== null && typeof error.data !== "object" && params.type === "array"
            ? `Write it as a list: [${String(error.data)}].`
            : undefined,
      };
    }
    case "uniqueItems":
      return {
        code: "TD105",
        message: `${capitalise(name)} lists the same item twice (items ${Number(params.j) + 1} and ${Number(params.i) + 1}).`,
        path: [...path, Number(params.i)],
        target: "value",
      };
    case "enum":
      return {
        code: "TD103",
        message: `${capitalise(name)} is ${kindOf(error.data)}; allowed: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}.`,
        path,
        target: "value",
        hint:
          typeof error.data === "string"
            ? suggestion(error.data, (params.allowedValues as unknown[]).map(String), "values")
            : undefined,
      };
    case "const":
      return {
        code: "TD103",
        message: `${capitalise(name)} must be ${JSON.stringify(params.allowedValue)}, not ${kindOf(error.data)}.`,
        path,
        target: "value",
      };
    case "format":
      return {
        code: "TD103",
        message:
          params.format === "date"
            ? `${capitalise(name)} is ${kindOf(error.data)}, not a calendar date written YYYY-MM-DD.`
            : `${capitalise(name)} is ${kindOf(error.data)}, not a valid ${String(params.format)}.`,
        path,
        target: "value",
      };
    case "pattern":
      return {
        code: "TD103",
        message: `${capitalise(name)} is ${kindOf(error.data)}, which is not of the expected form${example(error.parentSchema)}.`,
        path,
        target: "value",
        hint: (error.parentSchema as { description?: string } | undefined)?.description,
      };
    case "propertyNames":
      return {
        code: "TD103",
        message: `${capitalise(name)} has the key ${JSON.stringify(params.propertyName)}, which is not a valid name.`,
        path: [...path, String(params.propertyName)],
        target: "key",
      };
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum": {
      const words: Record<string, string> = {
        minimum: "at least",
        maximum: "at most",
        exclusiveMinimum: "more than",
        exclusiveMaximum: "less than",
      };
      return {
        code: "TD103",
        message: `${capitalise(name)} is ${kindOf(error.data)}; it must be ${words[error.keyword]} ${String(params.limit)}.`,
        path,
        target: "value",
      };
    }
    case "minLength":
      if (Number(params.limit) === 1) {
        return {
          code: "TD103",
          message: `${capitalise(name)} must not be empty.`,
          path,
          target: "value",
        };
      }
      return describeLength(error, name, path);
    case "maxLength":
    case "minItems":
    case "maxItems":
      return describeLength(error, name, path);
    case "oneOf":
    case "anyOf":
      return {
        code: "TD102",
        message: `${capitalise(name)} is ${kindOf(error.data)}, which is none of the accepted forms.`,
        path,
        target: "value",
        hint: (error.parentSchema as { description?: string } | undefined)?.description,
      };
    default:
      return {
        code: "TD103",
        message: `${capitalise(name)} ${error.message ?? "is not valid"}.`,
        path,
        target: "value",
      };
  }
}

function describeLength(
  error: ErrorObject,
  name: string,
  path: (string | number)[],
): SchemaProblem {
  const limit = Number((error.params as { limit?: unknown }).limit);
  const unit = error.keyword.endsWith("Items") ? "item" : "character";
  const bound = error.keyword.startsWith("min") ? "at least" : "at most";
  return {
    code: "TD103",
    message: `${capitalise(name)} must have ${bound} ${limit} ${unit}${limit === 1 ? "" : "s"}.`,
    path,
    target: "value",
  };
}

function capitalise(text: string): string {
  return text.startsWith('"') ? `Field ${text}` : text.charAt(0).toUpperCase() + text.slice(1);
}
