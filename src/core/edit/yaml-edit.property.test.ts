import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { splitFrontMatter } from "../parse/front-matter.js";
import { readYaml } from "../parse/yaml.js";
import { editFrontMatter, editYaml, type FieldEdit } from "./yaml-edit.js";
import { newRecordText, type YamlScalar, type YamlValue } from "./yaml-text.js";

// Record files written the way people write them, one edit each, and three promises checked:
// the result reads as the old data with exactly that change, only the edited field's lines
// (or the new key's line) differ, and a Markdown body is untouched.

/** A field as written: its lines (key line to last value line) and what kind of value it holds. */
interface Field {
  readonly key: string;
  readonly kind:
    | "scalar"
    | "empty"
    | "flow-list"
    | "block-list"
    | "mapping"
    | "literal"
    | "flow-mapping"
    | "list-of-mappings"
    | "shared";
  readonly lines: readonly string[];
  /** Items of a list (to edit by position). */
  readonly items: number;
}

interface RecordFile {
  readonly format: "md" | "yml";
  readonly eol: "\n" | "\r\n";
  readonly finalNewline: boolean;
  readonly text: string;
  readonly body: string;
  /** Lines (0-based, of the file) of each field: its key line to its value's last line. */
  readonly ranges: ReadonlyMap<string, readonly [number, number]>;
  /** The line after the last field's last line: where a new key goes. */
  readonly end: number;
  readonly fields: readonly Field[];
}

const PLAIN_WORDS = [
  "todo",
  "Fix the login page",
  "WEB-12",
  "yes",
  "no",
  "on",
  "2026-11-02",
  "Ünïcode ✓",
  "x_y-z",
  "a/b",
  "50%",
  "日本語",
];
const TRICKY = [
  "it's",
  'say "hi"',
  "a: b",
  "#hash",
  "a #b",
  "- dash",
  "-x",
  "[x]",
  "{y}",
  "*star",
  "&amp",
  "!bang",
  "|pipe",
  ">gt",
  "%pc",
  "@at",
  "`tick",
  "?q",
  "ends:",
  "  spaced  ",
  "",
  "123",
  "0x1F",
  "1.5",
  "1e3",
  ".inf",
  "true",
  "False",
  "null",
  "~",
  "x, y",
  "---",
  "...",
  "é ü",
];
const MULTI_LINE = ["line\nbreak", "tab\there", "back\\slash", "trailing\n", "\u0085\u2028\ufeff"];

/** A scalar's source text and whether it can sit in a flow list. */
const scalarText = fc.oneof(
  fc.constantFrom(...PLAIN_WORDS),
  fc.constantFrom(...TRICKY).map((s) => `'${s.replaceAll("'", "''")}'`),
  fc.constantFrom(...TRICKY, ...MULTI_LINE).map((s) => JSON.stringify(s)),
  fc.integer({ min: -500, max: 100_000 }).map(String),
  fc.constantFrom("1.5", "-0.25", "1e3", "3.0", "true", "false", "null", "~"),
);
const flowItemText = scalarText;
const comment = fc.option(fc.constantFrom(" # note", "  # why: because", " #"), { nil: "" });

function fieldArb(key: string): fc.Arbitrary<Field> {
  const scalar = fc.tuple(scalarText, comment, fc.constantFrom(key, `"${key}"`, `'${key}'`)).map(
    ([value, c, written]): Field => ({
      key,
      kind: "scalar",
      lines: [`${written}: ${value}${c}`],
      items: 0,
    }),
  );
  const empty = comment.map(
    (c): Field => ({ key, kind: "empty", lines: [`${key}:${c}`], items: 0 }),
  );
  const flowList = fc
    .tuple(
      fc.array(flowItemText, { maxLength: 4 }),
      fc.boolean(),
      fc.constantFrom(", ", ",", ",\n    "),
      comment,
    )
    .map(([items, padded, sep, c]): Field => {
      const pad = padded && items.length > 0 ? " " : "";
      const text = `${key}: [${pad}${items.join(sep)}${pad}]${c}`;
      return { key, kind: "flow-list", lines: text.split("\n"), items: items.length };
    });
  const flowMapping = fc
    .tuple(
      fc.uniqueArray(fc.constantFrom("a", "b", "name"), { maxLength: 3 }),
      fc.array(flowItemText, { minLength: 3, maxLength: 3 }),
      fc.boolean(),
    )
    .map(([keys, values, padded]): Field => {
      const pad = padded && keys.length > 0 ? " " : "";
      const entries = keys.map((k, i) => `${k}: ${values[i]}`).join(", ");
      return { key, kind: "flow-mapping", lines: [`${key}: {${pad}${entries}${pad}}`], items: 0 };
    });
  const listOfMappings = fc
    .tuple(
      fc.array(fc.tuple(flowItemText, fc.option(flowItemText, { nil: undefined })), {
        minLength: 1,
        maxLength: 3,
      }),
      fc.constantFrom("", "  "),
    )
    .map(([items, indent]): Field => {
      const lines = [`${key}:`];
      for (const [id, name] of items) {
        lines.push(`${indent}- id: ${id}`);
        if (name !== undefined) lines.push(`${indent}  name: ${name}`);
      }
      return { key, kind: "list-of-mappings", lines, items: items.length };
    });
  const shared = fc
    .constantFrom(`&${key}_anchor [a, b]`, `&${key}_anchor x`, "!!str 123", "!!int 7")
    .map((value): Field => ({ key, kind: "shared", lines: [`${key}: ${value}`], items: 0 }));
  const blockList = fc
    .tuple(
      fc.array(fc.tuple(scalarText, comment, fc.boolean()), { minLength: 1, maxLength: 4 }),
      fc.constantFrom("", "  "),
      fc.constantFrom(" ", "   "),
      comment,
    )
    .map(([items, indent, spacing, c]): Field => {
      const lines = [`${key}:${c}`];
      items.forEach(([value, itemComment, noteAbove], i) => {
        if (noteAbove && i > 0) lines.push(`${indent}# between items`);
        lines.push(`${indent}-${spacing}${value}${itemComment}`);
      });
      return { key, kind: "block-list", lines, items: items.length };
    });
  const mapping = fc
    .tuple(
      fc.uniqueArray(fc.constantFrom("a", "b", "name", "color", "due"), {
        minLength: 1,
        maxLength: 3,
      }),
      fc.array(fc.tuple(scalarText, comment, fc.boolean()), { minLength: 3, maxLength: 3 }),
    )
    .map(([subKeys, values]): Field => {
      const lines = [`${key}:`];
      subKeys.forEach((sub, i) => {
        const [value, c, noteAbove] = values[i]!;
        if (noteAbove) lines.push("  # about the next key");
        lines.push(`  ${sub}: ${value}${c}`);
      });
      return { key, kind: "mapping", lines, items: 0 };
    });
  const literal = fc
    .tuple(
      fc.constantFrom("|", "|-", ">", ">-"),
      fc.array(
        fc.constantFrom("First line", "second: with colon", "# not a comment", "  deeper", ""),
        {
          maxLength: 3,
        },
      ),
    )
    .map(([header, more]): Field => {
      const lines = [
        `${key}: ${header}`,
        "  First line",
        ...more.map((l) => (l === "" ? "" : `  ${l}`)),
      ];
      while (lines.at(-1) === "") lines.pop();
      return { key, kind: "literal", lines, items: 0 };
    });
  return fc.oneof(
    { weight: 4, arbitrary: scalar },
    { weight: 1, arbitrary: empty },
    { weight: 2, arbitrary: flowList },
    { weight: 2, arbitrary: blockList },
    { weight: 2, arbitrary: mapping },
    { weight: 1, arbitrary: literal },
    { weight: 1, arbitrary: flowMapping },
    { weight: 1, arbitrary: listOfMappings },
    { weight: 1, arbitrary: shared },
  );
}

const KEYS = [
  "id",
  "title",
  "status",
  "assignees",
  "labels",
  "estimate",
  "due",
  "note",
  "meta",
  "links",
];
const BODIES = [
  "",
  "\nBody text.\n",
  "Line one\n\n- [ ] item\n",
  "no final newline",
  "---\nnot front matter\n",
];

const recordFileArb: fc.Arbitrary<RecordFile> = fc
  .shuffledSubarray(KEYS, { minLength: 1, maxLength: 7 })
  .chain((keys) =>
    fc.record({
      format: fc.constantFrom("md" as const, "yml" as const),
      eol: fc.constantFrom("\n" as const, "\r\n" as const),
      finalNewline: fc.boolean(),
      header: fc.boolean(),
      trailer: fc.constantFrom("", "# end", "\n# end of file"),
      body: fc.constantFrom(...BODIES),
      fields: fc.tuple(
        ...keys.map((key) =>
          fc.record({
            field: fieldArb(key),
            blank: fc.boolean(),
            note: fc.boolean(),
          }),
        ),
      ),
    }),
  )
  .map((spec) => {
    const lines: string[] = spec.format === "md" ? ["---"] : [];
    if (spec.header) lines.push("# yaml-language-server: $schema=../schemas/task.schema.json");
    const ranges = new Map<string, readonly [number, number]>();
    for (const { field, blank, note } of spec.fields) {
      if (blank) lines.push("");
      if (note) lines.push(`# about ${field.key}`);
      ranges.set(field.key, [lines.length, lines.length + field.lines.length - 1]);
      lines.push(...field.lines);
    }
    const end = lines.length;
    if (spec.trailer !== "") lines.push(...spec.trailer.split("\n"));
    let text: string;
    if (spec.format === "md") {
      lines.push("---");
      text = lines.join(spec.eol) + spec.eol + spec.body;
    } else {
      text = lines.join(spec.eol) + (spec.finalNewline ? spec.eol : "");
    }
    return {
      format: spec.format,
      eol: spec.eol,
      finalNewline: spec.finalNewline,
      text,
      body: spec.format === "md" ? spec.body : "",
      ranges,
      end,
      fields: spec.fields.map((f) => f.field),
    };
  });

const stringArb = fc.oneof(
  fc.constantFrom(...PLAIN_WORDS, ...TRICKY, ...MULTI_LINE),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "grapheme", maxLength: 6 }),
  fc.string({ unit: "binary-ascii", maxLength: 6 }),
  fc.string({ unit: "binary", maxLength: 4 }),
  fc
    .array(fc.constantFrom(...TRICKY, " ", "\n", ": ", " #"), { maxLength: 4 })
    .map((p) => p.join("")),
);
const scalarArb: fc.Arbitrary<YamlScalar> = fc.oneof(
  { weight: 4, arbitrary: stringArb },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double().map((n) => (Object.is(n, -0) ? 0 : n)) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
);
const mapKeyArb = fc.oneof(
  fc.constantFrom("a", "name", "x y", "*", "#c", "true", "null", "123", "k: v", "", "-", "'q"),
  fc.string({ maxLength: 6 }).filter((k) => !["__proto__", "constructor", "prototype"].includes(k)),
);
const { value: valueArb } = fc.letrec<{
  value: YamlValue;
  list: YamlValue[];
  map: Record<string, YamlValue>;
}>((tie) => ({
  value: fc.oneof({ depthSize: "small" }, scalarArb, tie("list"), tie("map")),
  list: fc.array(tie("value"), { maxLength: 4 }),
  map: fc.dictionary(mapKeyArb, tie("value"), { maxKeys: 3, noNullPrototype: true }),
}));

function editArb(file: RecordFile): fc.Arbitrary<FieldEdit> {
  const keys = file.fields.map((f) => f.key);
  const key = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...keys) },
    { weight: 1, arbitrary: fc.constantFrom("fresh", "new field", "#tag") },
  );
  type Path = readonly (string | number)[];
  const inside = file.fields.flatMap((f): fc.Arbitrary<Path>[] => {
    if (f.kind === "mapping" || f.kind === "flow-mapping") {
      return [fc.tuple(fc.constant(f.key), fc.constantFrom("a", "name", "extra"))];
    }
    if (f.items === 0) return [];
    const index = fc.nat({ max: f.items - 1 });
    if (f.kind !== "list-of-mappings") return [fc.tuple(fc.constant(f.key), index)];
    return [fc.tuple(fc.constant(f.key), index, fc.constantFrom("id", "name", "extra"))];
  });
  const path: fc.Arbitrary<Path> = fc.oneof(
    { weight: 3, arbitrary: key.map((k) => [k]) },
    ...inside.map((arbitrary) => ({ weight: 1, arbitrary })),
  );
  const item = fc.oneof(
    fc.constantFrom(...PLAIN_WORDS, ...TRICKY),
    fc.integer({ min: -5, max: 5 }),
  );
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ op: fc.constant("set" as const), path, value: valueArb }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("unset" as const), path }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("add" as const), path, value: item }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("remove" as const), path, value: item }) },
  );
}

/** The YAML of a record file's text (the front matter of a Markdown one). */
function yamlOf(file: RecordFile, text: string): string {
  if (file.format === "yml") return text;
  const split = splitFrontMatter(text);
  if (!split.ok) throw new Error(split.message);
  return split.yaml;
}

function dataOf(yaml: string): Record<string, unknown> {
  const doc = parseDocument(yaml, { version: "1.2", schema: "core" });
  expect(doc.errors).toEqual([]);
  return (doc.toJS() ?? {}) as Record<string, unknown>;
}

/** What the edit does to the data, worked out on plain objects; `undefined`: it must be refused. */
function expectedData(file: RecordFile, data: Record<string, unknown>, edit: FieldEdit): unknown {
  if (file.fields.some((f) => f.kind === "shared" && f.key === edit.path[0])) return undefined;
  const out = structuredClone(data);
  let holder = out as Record<string | number, unknown>;
  for (const segment of edit.path.slice(0, -1)) {
    holder = holder[segment] as Record<string | number, unknown>;
  }
  const name = edit.path.at(-1)!;
  const current = holder[name];
  const isList = Array.isArray(current) || current === undefined || current === null;
  if (edit.op === "set") holder[name] = edit.value;
  else if (edit.op === "unset") {
    if (Array.isArray(holder)) holder.splice(name as number, 1);
    else delete holder[name];
  } else if (!isList) return undefined;
  else if (edit.op === "add") {
    if (!Array.isArray(current)) holder[name] = [edit.value];
    else if (!current.includes(edit.value)) current.push(edit.value);
  } else if (Array.isArray(current)) {
    holder[name] = current.filter((item) => item !== edit.value);
  }
  return out;
}

describe("editYaml and editFrontMatter on generated record files", () => {
  it("change only the edited field, as the reader reads it, and nothing else", () => {
    fc.assert(
      fc.property(
        recordFileArb.chain((file) => fc.tuple(fc.constant(file), editArb(file))),
        ([file, edit]) => {
          const before = dataOf(yamlOf(file, file.text));
          const outcome =
            file.format === "md" ? editFrontMatter(file.text, [edit]) : editYaml(file.text, [edit]);
          const expected = expectedData(file, before, edit);
          if (expected === undefined) {
            expect(outcome.ok).toBe(false);
            return;
          }
          if (!outcome.ok) throw new Error(`refused: ${outcome.message}`);
          const after = outcome.text;
          expect(outcome.changed).toBe(after !== file.text);

          // (1) the text reads, with the yaml package and the tracker's reader, as the old data with the change
          const yaml = yamlOf(file, after);
          expect(dataOf(yaml)).toEqual(expected);
          const read = readYaml(yaml);
          expect(read.problems).toEqual([]);
          expect(read.value ?? {}).toEqual(expected);

          // (2) only lines inside the edited field's old lines differ (or a new key's, after the last field)
          const [first, last] = file.ranges.get(String(edit.path[0])) ?? [file.end, file.end - 1];
          const oldLines = file.text.split(/\r?\n/);
          const newLines = after.split(/\r?\n/);
          expect(newLines.slice(0, first)).toEqual(oldLines.slice(0, first));
          const kept = oldLines.length - last - 1;
          expect(newLines.slice(newLines.length - kept)).toEqual(oldLines.slice(last + 1));
          expect(newLines.length - kept).toBeGreaterThanOrEqual(first);

          // (3) the body is byte for byte the same; line breaks and the final one are kept
          if (file.format === "md")
            expect(after.endsWith(`\n---${file.eol}${file.body}`)).toBe(true);
          const fields = after.slice(0, after.length - file.body.length);
          // (a one-line file with no line break says nothing of its style: it gets \n)
          if (file.eol === "\r\n" && file.text.includes("\n")) {
            expect(fields).not.toMatch(/[^\r]\n/);
          }
          if (file.eol === "\n") expect(fields).not.toContain("\r");
          if (file.format === "yml" && file.finalNewline && after !== "")
            expect(after.endsWith(file.eol)).toBe(true);
          // with no final line break, the text ends with one only where an old blank line is now last
          if (file.format === "yml" && !file.finalNewline && after.endsWith("\n")) {
            expect(oldLines[newLines.length - 1]).toBe("");
          }
        },
      ),
      { numRuns: 400, seed: 20261102 },
    );
  });

  it("setting the same value again changes nothing", () => {
    fc.assert(
      fc.property(
        recordFileArb.chain((file) =>
          fc.tuple(
            fc.constant(file),
            fc.constantFrom(
              "fresh",
              ...file.fields.filter((f) => f.kind !== "shared").map((f) => f.key),
            ),
            valueArb,
          ),
        ),
        ([file, key, value]) => {
          const edit = (text: string) =>
            file.format === "md"
              ? editFrontMatter(text, [{ op: "set", path: [key], value }])
              : editYaml(text, [{ op: "set", path: [key], value }]);
          const once = edit(file.text);
          if (!once.ok) throw new Error(`refused: ${once.message}`);
          expect(edit(once.text)).toEqual({ ok: true, text: once.text, changed: false });
        },
      ),
      { numRuns: 300, seed: 20261103 },
    );
  });

  it("newRecordText writes any fields so that the tracker's reader reads them back exactly", () => {
    fc.assert(
      fc.property(
        fc.dictionary(mapKeyArb, valueArb, { maxKeys: 5, noNullPrototype: true }),
        (fields) => {
          const md = newRecordText("md", Object.entries(fields), "Body");
          const split = splitFrontMatter(md);
          if (!split.ok) throw new Error(split.message);
          expect(split.body).toBe("Body");
          const read = readYaml(split.yaml);
          expect(read.problems).toEqual([]);
          expect(read.value ?? {}).toEqual(fields);
          expect(readYaml(newRecordText("yml", Object.entries(fields))).value).toEqual(fields);
        },
      ),
      { numRuns: 300, seed: 20261120 },
    );
  });
});
