import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isMap, isScalar, parse, stringify, type ToStringOptions } from "yaml";
import { ACME } from "../../test-support/temp.js";
import {
  MAX_ALIASES,
  quickLocate,
  readYaml,
  readYamlFully,
  scanTopLevel,
  YamlLocator,
} from "./yaml.js";

/** What sends a document past the fast reader (kept in step with NEEDS_FULL_READER in yaml.ts). */
const FULL_READER_ONLY = /[&*!\t%?]|__proto__|constructor|prototype/;

interface Case {
  readonly name: string;
  readonly text: string;
  readonly expected: unknown;
}

/** Documents the fast reader takes; both readers must give exactly `expected`. */
const CORPUS: readonly Case[] = [
  // YAML 1.2 core: null
  { name: "null spelled null", text: "a: null\n", expected: { a: null } },
  {
    name: "null spelled Null, NULL, ~ and nothing",
    text: "a: Null\nb: NULL\nc: ~\nd:\ne: \n",
    expected: { a: null, b: null, c: null, d: null, e: null },
  },
  {
    name: "odd-case nUll stays a string",
    text: "a: nUll\nb: nULL\n",
    expected: { a: "nUll", b: "nULL" },
  },
  // booleans
  {
    name: "booleans in their three spellings",
    text: "a: true\nb: True\nc: TRUE\nd: false\ne: False\nf: FALSE\n",
    expected: { a: true, b: true, c: true, d: false, e: false, f: false },
  },
  {
    name: "odd-case tRUE stays a string",
    text: "a: tRUE\nb: fALSE\n",
    expected: { a: "tRUE", b: "fALSE" },
  },
  {
    name: "YAML 1.1 booleans yes/no/on/off/y/n stay strings",
    text: "a: yes\nb: no\nc: on\nd: off\ne: y\nf: n\ng: Yes\nh: OFF\n",
    expected: { a: "yes", b: "no", c: "on", d: "off", e: "y", f: "n", g: "Yes", h: "OFF" },
  },
  // integers
  {
    name: "decimal integers with signs",
    text: "a: 0\nb: 42\nc: -17\nd: +12\n",
    expected: { a: 0, b: 42, c: -17, d: 12 },
  },
  { name: "-0 is negative zero", text: "a: -0\n", expected: { a: -0 } },
  {
    name: "leading zeros are decimal, not octal",
    text: "a: 010\nb: 0012.5\n",
    expected: { a: 10, b: 12.5 },
  },
  { name: "0o17 is octal", text: "a: 0o17\nb: 0o0\n", expected: { a: 15, b: 0 } },
  { name: "0o8 is not octal", text: "a: 0o8\nb: 0o\n", expected: { a: "0o8", b: "0o" } },
  { name: "0x1F is hexadecimal", text: "a: 0x1F\nb: 0xff\n", expected: { a: 31, b: 255 } },
  {
    name: "0X1F, signed hex and 0b101 stay strings",
    text: "a: 0X1F\nb: -0x1\nc: +0x1\nd: 0b101\n",
    expected: { a: "0X1F", b: "-0x1", c: "+0x1", d: "0b101" },
  },
  {
    name: "1_000 and 1,000 stay strings",
    text: "a: 1_000\nb: 1,000\n",
    expected: { a: "1_000", b: "1,000" },
  },
  {
    name: "integers beyond 2^53 read as the nearest double",
    text: "a: 12345678901234567890\n",
    expected: { a: Number("12345678901234567890") },
  },
  // floats
  {
    name: "floats with and without leading or trailing digits",
    text: "a: 1.5\nb: .5\nc: -.5\nd: 1.\ne: +.5\n",
    expected: { a: 1.5, b: 0.5, c: -0.5, d: 1, e: 0.5 },
  },
  {
    name: "floats with exponents",
    text: "a: 1e3\nb: 1E3\nc: -2.5e-3\nd: 6.02e+23\ne: 12e03\n",
    expected: { a: 1000, b: 1000, c: -0.0025, d: 6.02e23, e: 12000 },
  },
  {
    name: "infinities in every spelling",
    text: "a: .inf\nb: -.inf\nc: +.Inf\nd: .INF\n",
    expected: {
      a: Number.POSITIVE_INFINITY,
      b: Number.NEGATIVE_INFINITY,
      c: Number.POSITIVE_INFINITY,
      d: Number.POSITIVE_INFINITY,
    },
  },
  {
    name: "NaN in every spelling",
    text: "a: .NaN\nb: .nan\nc: .NAN\n",
    expected: { a: Number.NaN, b: Number.NaN, c: Number.NaN },
  },
  {
    name: "number-like text stays a string",
    text: "a: 1.2.3\nb: .\nc: e3\nd: 1e\ne: inf\nf: nan\ng: .Nan\n",
    expected: { a: "1.2.3", b: ".", c: "e3", d: "1e", e: "inf", f: "nan", g: ".Nan" },
  },
  // dates and times
  { name: "a date stays a string", text: "due: 2026-11-20\n", expected: { due: "2026-11-20" } },
  {
    name: "timestamps stay strings",
    text: "a: 2026-11-20T10:30:00Z\nb: 2026-11-20 10:30:00 +01:00\nc: 2026-11-20t10:30:00.5-05:00\n",
    expected: {
      a: "2026-11-20T10:30:00Z",
      b: "2026-11-20 10:30:00 +01:00",
      c: "2026-11-20t10:30:00.5-05:00",
    },
  },
  {
    name: "YAML 1.1 sexagesimal numbers stay strings",
    text: "a: 10:30\nb: 1:30:00\nc: -1:30\n",
    expected: { a: "10:30", b: "1:30:00", c: "-1:30" },
  },
  // quoted strings
  {
    name: "double-quoted escapes",
    text: 'a: "tab\\there\\nline \\"q\\" \\\\ \\u00e9 \\x41 \\U0001F600 \\/ \\0"\n',
    expected: { a: 'tab\there\nline "q" \\ é A 😀 / \0' },
  },
  {
    name: "YAML-only double-quoted escapes",
    text: 'a: "\\N\\_\\L\\P\\e\\a"\n',
    expected: { a: "\u0085\u00a0\u2028\u2029\u001b\u0007" },
  },
  {
    name: "single quotes keep backslashes and double the quote",
    text: "a: 'it''s # not a comment \\n'\n",
    expected: { a: "it's # not a comment \\n" },
  },
  {
    name: "quoted scalars that look like other types stay strings",
    text: "a: \"1.0\"\nb: '0x1F'\nc: \"true\"\nd: 'null'\ne: \"\"\nf: ''\n",
    expected: { a: "1.0", b: "0x1F", c: "true", d: "null", e: "", f: "" },
  },
  {
    name: "multi-line double-quoted strings fold",
    text: 'a: "one\n  two\n\n  three"\n',
    expected: { a: "one two\nthree" },
  },
  {
    name: "an escaped line break joins lines",
    text: 'a: "abc\\\n  def"\n',
    expected: { a: "abcdef" },
  },
  {
    name: "multi-line single-quoted strings fold",
    text: "a: 'x\n\n  y'\n",
    expected: { a: "x\ny" },
  },
  // block scalars
  {
    name: "literal block scalar |",
    text: "a: |\n  line one\n    indented\n  line three\n\nb: 1\n",
    expected: { a: "line one\n  indented\nline three\n", b: 1 },
  },
  {
    name: "literal block scalar |- strips the final newline",
    text: "a: |-\n  one\n  two\n\n\nb: 1\n",
    expected: { a: "one\ntwo", b: 1 },
  },
  {
    name: "literal block scalar |+ keeps trailing newlines",
    text: "a: |+\n  one\n\n\nb: 1\n",
    expected: { a: "one\n\n\n", b: 1 },
  },
  {
    name: "folded block scalar >",
    text: "a: >\n  one\n  two\n\n  three\n    more indented\n  four\nb: 1\n",
    expected: { a: "one two\nthree\n  more indented\nfour\n", b: 1 },
  },
  {
    name: "folded block scalar >- strips the final newline",
    text: "a: >-\n  one\n  two\n",
    expected: { a: "one two" },
  },
  {
    name: "block scalar with an indentation indicator",
    text: "a: |2\n   x\n  y\n",
    expected: { a: " x\ny\n" },
  },
  {
    name: "a block scalar as the whole document",
    text: "--- >\n  folded\n  text\n",
    expected: "folded text\n",
  },
  {
    name: "a whole-document |- block scalar whose text starts in column 1",
    text: "|-\nmulti\nline\n",
    expected: "multi\nline",
  },
  {
    name: "a whole-document >- block scalar whose text starts in column 1",
    text: ">-\nmulti\nline\n",
    expected: "multi line",
  },
  {
    name: "a whole-document | block scalar whose text starts in column 1, with blank lines after",
    text: "|\nx\n\n",
    expected: "x\n",
  },
  // plain scalars
  {
    name: "multi-line plain scalars fold",
    text: "a: first\n  second\n\n  third\nb: x\n",
    expected: { a: "first second\nthird", b: "x" },
  },
  {
    name: "colons and hashes inside plain scalars",
    text: "a: b:c\nurl: http://example.com/x#top\nc: b#c\nd: b #comment\n",
    expected: { a: "b:c", url: "http://example.com/x#top", c: "b#c", d: "b" },
  },
  {
    name: "plain scalars with inner and trailing spaces",
    text: "a: two  spaces   \nb:    padded\n",
    expected: { a: "two  spaces", b: "padded" },
  },
  // flow collections
  {
    name: "flow sequence of mixed values",
    text: 'a: [1, two, "three", [4], {five: 5}, null, true]\n',
    expected: { a: [1, "two", "three", [4], { five: 5 }, null, true] },
  },
  {
    name: "flow mapping with quoted and missing values",
    text: 'a: {x: 1, y: [p, q], "z w": null, v}\n',
    expected: { a: { x: 1, y: ["p", "q"], "z w": null, v: null } },
  },
  {
    name: "flow collections over several lines with trailing commas",
    text: "a: [\n  1,\n  2,\n]\nb: {\n  x: 1,\n  y: 2,\n}\n",
    expected: { a: [1, 2], b: { x: 1, y: 2 } },
  },
  {
    name: "JSON is YAML",
    text: '{"a":1,"b":[true,null,"s"],"c":{"d":-1.5e2}}\n',
    expected: { a: 1, b: [true, null, "s"], c: { d: -150 } },
  },
  { name: "empty flow collections", text: "a: []\nb: {}\n", expected: { a: [], b: {} } },
  // nested structures
  {
    name: "mappings of sequences of mappings",
    text: "tasks:\n  - id: WEB-1\n    labels:\n      - ui\n      - bug\n  - id: WEB-2\n    labels: []\n",
    expected: {
      tasks: [
        { id: "WEB-1", labels: ["ui", "bug"] },
        { id: "WEB-2", labels: [] },
      ],
    },
  },
  {
    name: "sequences not indented under their key",
    text: "a:\n- 1\n- 2\nb:\n  - x\n  -\n  - z\n",
    expected: { a: [1, 2], b: ["x", null, "z"] },
  },
  {
    name: "sequences of sequences",
    text: "- - a\n  - b\n- - c\n",
    expected: [["a", "b"], ["c"]],
  },
  {
    name: "deeply nested mappings",
    text: "a:\n  b:\n    c:\n      d:\n        e: deep\n",
    expected: { a: { b: { c: { d: { e: "deep" } } } } },
  },
  // comments
  {
    name: "comments everywhere",
    text: "# head\na: 1 # after a value\n# between\nb: # after a key\n  - x # in a sequence\n  # inside\n  - y\nc: [1, # in flow\n  2]\n# tail\n",
    expected: { a: 1, b: ["x", "y"], c: [1, 2] },
  },
  // unicode
  {
    name: "unicode keys and values",
    text: "名前: 値\nemoji: 🙂🚀\ncombining: é\nrtl: שלום\nnbsp: a\u00a0b\n",
    expected: { 名前: "値", emoji: "🙂🚀", combining: "é", rtl: "שלום", nbsp: "a\u00a0b" },
  },
  // line endings and byte order mark
  {
    name: "CRLF line endings",
    text: "a: 1\r\nb: |\r\n  x\r\n  y\r\nc: >-\r\n  p\r\n  q\r\nd:\r\n  - z\r\n",
    expected: { a: 1, b: "x\ny\n", c: "p q", d: ["z"] },
  },
  { name: "a byte order mark", text: "\uFEFFa: 1\n", expected: { a: 1 } },
  { name: "no final newline", text: "a: 1\nb: two", expected: { a: 1, b: "two" } },
  // keys
  {
    name: "keys that are numbers become their decimal text",
    text: "1: a\n2.5: b\n0x10: c\n0o7: d\n1e3: e\n-0: f\n",
    expected: { "1": "a", "2.5": "b", "16": "c", "7": "d", "1000": "e", "0": "f" },
  },
  {
    name: "keys that are booleans or infinities become their JavaScript text",
    text: "true: a\nFalse: b\n.inf: c\n",
    expected: { true: "a", false: "b", Infinity: "c" },
  },
  {
    name: "quoted keys",
    text: '"a b": 1\n\'c\': 2\n"": 3\n',
    expected: { "a b": 1, c: 2, "": 3 },
  },
  {
    name: "a merge key is an ordinary key in YAML 1.2",
    text: "<<: {a: 1}\n",
    expected: { "<<": { a: 1 } },
  },
  // whole documents
  { name: "an empty document", text: "", expected: null },
  { name: "a document of blank lines", text: "\n  \n\n", expected: null },
  { name: "a document of one line break", text: "\n", expected: null },
  { name: "a document that is only a comment", text: "# nothing here\n", expected: null },
  { name: "a document that is only a start marker", text: "---\n", expected: null },
  { name: "start and end markers", text: "---\na: 1\n...\n", expected: { a: 1 } },
  { name: "a scalar document", text: "hello world\n", expected: "hello world" },
  { name: "a number document", text: "42\n", expected: 42 },
  { name: "a sequence document", text: "- 1\n- a\n", expected: [1, "a"] },
];

describe("readYaml on a corpus of edge cases", () => {
  it("has at least 40 cases, all of which the fast reader may take", () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CORPUS.map((c) => c.name)).size).toBe(CORPUS.length);
    for (const c of CORPUS) expect(c.text, c.name).not.toMatch(FULL_READER_ONLY);
  });

  it.each(CORPUS)("reads $name the same on both paths", ({ text, expected }) => {
    const fast = readYaml(text);
    const full = readYamlFully(text);
    expect(fast.problems).toEqual([]);
    expect(full.problems).toEqual([]);
    expect(full.value).toEqual(expected);
    expect(fast.value).toEqual(full.value);
    expect(fast.jsonSafe).toBe(full.jsonSafe);
  });

  it("gives the same key for a null key on both paths", () => {
    for (const text of ["null: a\n", "~: a\n", "{: a}\n", "NULL: a\nb: 1\n"]) {
      expect(readYaml(text).value, JSON.stringify(text)).toEqual(readYamlFully(text).value);
    }
  });

  it("gives the same key for a flow collection used as a key on both paths", () => {
    for (const text of ["[a, b]: c\n", "{x: 1}: c\n"]) {
      expect(readYaml(text).value, JSON.stringify(text)).toEqual(readYamlFully(text).value);
    }
  });

  it("marks NaN and infinities as not JSON-safe on both paths", () => {
    for (const text of ["a: .nan\n", "a: [1, -.inf]\n", "a: {b: .inf}\n"]) {
      expect(readYaml(text).jsonSafe, text).toBe(false);
      expect(readYamlFully(text).jsonSafe, text).toBe(false);
    }
    expect(readYaml("a: 1.5\n").jsonSafe).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------

const TRICKY_STRINGS = [
  "yes",
  "no",
  "on",
  "off",
  "y",
  "n",
  "null",
  "Null",
  "~",
  "true",
  "False",
  "1.0",
  "1e3",
  ".5",
  "0x1F",
  "0o17",
  "010",
  "-0",
  "+12",
  "1_000",
  ".inf",
  "-.inf",
  ".nan",
  "2026-01-01",
  "2026-01-01T10:00:00Z",
  "12:30",
  "a: b",
  "a:b",
  "- a",
  "-",
  "#x",
  "a #b",
  "a# b",
  " leading space",
  "trailing space ",
  "",
  " ",
  "multi\nline",
  "multi\nline\n",
  "ends with blank lines\n\n\n",
  "\n\nleading newlines",
  "  indented\nfirst line",
  "'single'",
  '"double"',
  "it's",
  "[not, a, list]",
  "{not: a map}",
  "---",
  "...",
  "--- x",
  "back\\slash",
  "é",
  "日本語",
  "🙂 emoji",
  "\u00a0nbsp",
  "tab\there",
  "a: &anchor",
  "*star",
  "!bang",
  "%percent",
  "?question",
  "|",
  ">",
  "@at",
  "`tick",
  ",comma",
  "x, y",
  "[",
  "}",
  ":",
  "::",
  "http://example.com/x?y=1#z",
  "control \u0007\u001b\u007f",
  "nul \u0000",
  "next line \u0085",
  "separators \u2028\u2029",
  "zero width \ufeff",
  "<<",
];

const RESERVED = new Set(["__proto__", "constructor", "prototype"]);
const keyArb = fc.oneof(
  fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/).filter((k) => !RESERVED.has(k)),
  fc.constantFrom("null", "true", "no", "on", "y", "nan", "inf", "id", "title", "status"),
);
const stringArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...TRICKY_STRINGS) },
  { weight: 2, arbitrary: fc.string() },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 12 }) },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.constantFrom(...TRICKY_STRINGS, " ", "\n", "x"), { maxLength: 5 })
      .map((parts) => parts.join("")),
  },
  { weight: 1, arbitrary: fc.lorem({ maxCount: 30 }) },
);
const leafArb = fc.oneof(
  { weight: 4, arbitrary: stringArb },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
);
const { document: documentArb } = fc.letrec<{
  value: unknown;
  array: unknown[];
  object: object;
  document: unknown;
}>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leafArb,
    tie("array"),
    tie("object"),
  ),
  array: fc.array(tie("value"), { maxLength: 5 }),
  object: fc.dictionary(keyArb, tie("value"), { maxKeys: 6, noNullPrototype: true }),
  // Record files are mappings; a sequence at the top exercises the other block form. (A bare
  // string at the top is left out: yaml@2.9 writes "  x\ny" there as "|1-", which it cannot
  // read back itself. The corpus covers whole-document scalars.)
  document: fc.oneof(
    { weight: 4, arbitrary: tie("object") },
    { weight: 1, arbitrary: tie("array") },
  ),
}));

const STYLES: Readonly<Record<string, ToStringOptions>> = {
  "default block": {},
  flow: { collectionStyle: "flow" },
  "double-quoted strings": { defaultStringType: "QUOTE_DOUBLE" },
  "single-quoted strings": { defaultStringType: "QUOTE_SINGLE", defaultKeyType: "PLAIN" },
  "plain strings": { defaultStringType: "PLAIN" },
  "narrow lines": { lineWidth: 30, minContentWidth: 0 },
  "literal blocks": { blockQuote: "literal" },
  // lineWidth 0: no folding of long lines (yaml@2.9 folds lines that start with a space, which
  // changes the text); multi-line strings are still written as `>` blocks.
  "folded blocks": { blockQuote: "folded", lineWidth: 0 },
};

/** Whether the yaml package reads its own text back as the value it wrote. */
function writtenFaithfully(text: string, value: unknown): boolean {
  try {
    return isDeepStrictEqual(parse(text), value);
  } catch {
    return false;
  }
}

describe("readYaml on generated documents", () => {
  it.each(Object.entries(STYLES))(
    "reads what the yaml package writes (%s) as the original value on both paths",
    (_style, options) => {
      let judged = 0;
      fc.assert(
        fc.property(documentArb, (value) => {
          const text = stringify(value, options);
          const fast = readYaml(text);
          const full = readYamlFully(text);
          expect(fast).toEqual(full);
          // yaml@2.9's writer is not faithful for a few rare strings (a line of only spaces
          // before a final newline, a flow string starting with ":", folded lines that start
          // with a space). The readers agree on those too (above); they are judged against the
          // original only where the text says what was meant.
          fc.pre(writtenFaithfully(text, value));
          judged += 1;
          expect(fast.problems).toEqual([]);
          expect(fast.value).toEqual(value);
        }),
        { numRuns: 300 },
      );
      expect(judged).toBeGreaterThan(250);
    },
  );
});

// ---------------------------------------------------------------------------------------------

interface ProblemCase {
  readonly name: string;
  readonly text: string;
  /** Codes of the problems, in order. */
  readonly codes: readonly string[];
  /** 1-based line (with lineOffset 1) and column of the first problem. */
  readonly at?: { readonly line: number; readonly column: number };
  /** The data still read, when there is any. */
  readonly value?: unknown;
}

const PROBLEMS: readonly ProblemCase[] = [
  {
    name: "a key written twice",
    text: "title: a\nstatus: todo\ntitle: b\n",
    codes: ["TD014"],
    at: { line: 3, column: 1 },
  },
  {
    name: "a key written twice in a nested mapping",
    text: "a:\n  x: 1\n  y: 2\n  x: 3\n",
    codes: ["TD014"],
    at: { line: 4, column: 3 },
  },
  {
    name: "a key written twice in a flow mapping",
    text: "a: {x: 1, x: 2}\n",
    codes: ["TD014"],
    at: { line: 1, column: 11 },
  },
  {
    name: "a key written twice, once quoted",
    text: '"a": 1\nb: 2\na: 3\n',
    codes: ["TD014"],
    at: { line: 3, column: 1 },
  },
  {
    name: "a key written twice as the number 1 and the string '1'",
    text: '1: a\n"1": b\n',
    codes: ["TD014"],
    at: { line: 2, column: 1 },
  },
  {
    name: "a tab used for indentation",
    text: "a:\n\tb: 1\n",
    codes: ["TD015"],
    at: { line: 2, column: 1 },
  },
  {
    name: "a tab indenting a sequence item",
    text: "labels:\n\t- bug\n",
    codes: ["TD015"],
    at: { line: 2, column: 1 },
  },
  {
    name: "a tab indenting the second key of a nested mapping",
    text: "a:\n  b: 1\n\tc: 2\n",
    codes: ["TD015"],
    at: { line: 3, column: 1 },
  },
  {
    name: "a custom tag",
    text: "a: 1\nb: !foo x\n",
    codes: ["TD016"],
    at: { line: 2, column: 4 },
    value: { a: 1 },
  },
  {
    name: "a js-yaml function tag",
    text: "run: !!js/function 'function () { return 1 }'\nok: true\n",
    codes: ["TD016"],
    at: { line: 1, column: 6 },
    value: { ok: true },
  },
  {
    name: "a tagged item in a sequence",
    text: "a:\n  - 1\n  - !!binary aGVsbG8=\n",
    codes: ["TD016"],
    at: { line: 3, column: 5 },
    value: { a: [1] },
  },
  {
    name: "a __proto__ key",
    text: "__proto__: {admin: true}\nb: 2\n",
    codes: ["TD018"],
    at: { line: 1, column: 1 },
    value: { b: 2 },
  },
  {
    name: "constructor and prototype keys in nested mappings",
    text: "a:\n  constructor: 1\n  keep: 2\nb: [{prototype: x}]\n",
    codes: ["TD018", "TD018"],
    at: { line: 2, column: 3 },
    value: { a: { keep: 2 }, b: [{}] },
  },
  {
    name: "a %YAML 1.1 directive",
    text: "%YAML 1.1\n---\na: yes\nb: 010\n",
    codes: ["TD013"],
    at: { line: 1, column: 1 },
    value: { a: "yes", b: 10 },
  },
  {
    name: "two documents",
    text: "a: 1\n---\nb: 2\n",
    codes: ["TD013"],
    at: { line: 2, column: 1 },
  },
  {
    name: "an unclosed flow sequence",
    text: "a: 1\nb: [1, 2\n",
    codes: ["TD013"],
  },
  {
    name: "an unterminated double-quoted string",
    text: 'a: "open\n',
    codes: ["TD013"],
  },
  {
    name: "a mapping value where none may be",
    text: "a: b: c\n",
    codes: ["TD013"],
    at: { line: 1, column: 4 },
  },
  {
    name: "more aliases than allowed",
    text: `a: &a [x, y]\nb: [${Array.from({ length: MAX_ALIASES + 1 }, () => "*a").join(", ")}]\n`,
    codes: ["TD017"],
  },
];

describe("readYaml on documents with problems", () => {
  it.each(PROBLEMS)("reports $name as the full reader does", ({ text, codes, at, value }) => {
    const fast = readYaml(text);
    const full = readYamlFully(text);
    expect(fast.problems.map((p) => p.code)).toEqual(codes);
    expect(fast.problems).toEqual(full.problems);
    expect(fast.value).toEqual(full.value);
    if (at !== undefined) {
      expect(fast.problems[0]!.range).toMatchObject({ line: at.line, column: at.column });
    }
    if (value !== undefined) expect(fast.value).toEqual(value);
    for (const p of fast.problems) {
      expect(p.message).not.toBe("");
      expect(p.range.line).toBeGreaterThanOrEqual(1);
      expect(p.range.column).toBeGreaterThanOrEqual(1);
      expect(p.range.endLine).toBeGreaterThanOrEqual(p.range.line);
    }
  });

  it("reads anchors and aliases, which the fast reader does not take, as plain copies", () => {
    const text = "base: &base [ui, web]\nlabels: *base\nowner: &who ana\nlead: *who\n";
    const fast = readYaml(text);
    expect(fast).toEqual(readYamlFully(text));
    expect(fast.problems).toEqual([]);
    expect(fast.value).toEqual({
      base: ["ui", "web"],
      labels: ["ui", "web"],
      owner: "ana",
      lead: "ana",
    });
  });

  it("accepts a tab that separates rather than indents", () => {
    const text = "labels:\n  - ui\n  -\tbug\nnote: a\tb\n";
    const fast = readYaml(text);
    expect(fast).toEqual(readYamlFully(text));
    expect(fast.problems).toEqual([]);
    expect(fast.value).toEqual({ labels: ["ui", "bug"], note: "a\tb" });
  });

  it("allows the core tags, which change nothing a plain scalar could not say", () => {
    const text = "a: !!str 1\nb: !!int '7'\nc: !!null ''\nd: !!seq [x]\ne: !!map {k: v}\n";
    const fast = readYaml(text);
    expect(fast).toEqual(readYamlFully(text));
    expect(fast.problems).toEqual([]);
    expect(fast.value).toEqual({ a: "1", b: 7, c: null, d: ["x"], e: { k: "v" } });
  });

  it("reads words that only look reserved, such as a title mentioning a constructor", () => {
    const text = "title: Fix the constructor & prototype pages!\n";
    expect(readYaml(text)).toEqual({
      value: { title: "Fix the constructor & prototype pages!" },
      problems: [],
      jsonSafe: true,
    });
  });
});

describe("readYaml problem positions", () => {
  it.each(PROBLEMS.filter((c) => c.at !== undefined))(
    "moves the position of $name down by lineOffset",
    ({ text }) => {
      const first = readYaml(text, 1).problems;
      const later = readYaml(text, 12).problems;
      expect(later).toHaveLength(first.length);
      later.forEach((p, i) => {
        const q = first[i]!;
        expect(p.code).toBe(q.code);
        expect(p.range).toEqual({
          line: q.range.line + 11,
          column: q.range.column,
          endLine: q.range.endLine + 11,
          endColumn: q.range.endColumn,
        });
      });
      expect(later).toEqual(readYamlFully(text, 12).problems);
    },
  );

  it("places a duplicate key of front matter on its line in the file", () => {
    // Front matter starts on line 2, after the opening ---.
    const [problem] = readYaml("id: WEB-1\ntitle: A\nid: WEB-2\n", 2).problems;
    expect(problem).toEqual({
      code: "TD014",
      message: 'The key "id" appears more than once in the same mapping.',
      range: { line: 4, column: 1, endLine: 4, endColumn: 3 },
    });
  });
});

// ---------------------------------------------------------------------------------------------

/** Every place quickLocate answers, it must answer as YamlLocator does. */
function agreesWithLocator(text: string, lineOffset = 1): number {
  const keys = scanTopLevel(text);
  if (keys === null) return 0;
  const locator = new YamlLocator(text, lineOffset);
  const top = locator.document.contents;
  const names = isMap(top)
    ? top.items.map((p) => String(isScalar(p.key) ? p.key.value : p.key))
    : [];
  let answered = 0;
  for (const path of [[], ...names.map((n) => [n]), ["not-a-key"], ["a", 0]]) {
    for (const target of ["key", "value"] as const) {
      const quick = quickLocate(keys, path, target, lineOffset);
      if (quick === undefined) continue;
      answered += 1;
      expect({ text, path, target, range: quick }).toEqual({
        text,
        path,
        target,
        range: locator.locate(path, target),
      });
    }
  }
  return answered;
}

describe("quickLocate, the parse-free locator of top-level fields", () => {
  const TRICKY = [
    "id: WEB-1\ntitle: Fix login\nstatus: todo\n",
    'title: "Fix: login"\nstatus: todo # soon\n',
    "title: 'it''s done'\r\nstatus: done\r\n",
    "labels: [a, b]\nassignees:\n  - alice\n  - bob\ndue: 2026-01-01\n",
    "# leading comment\n\nid: X-1\nbody: |\n  line one\n  line two\nstatus: todo\n",
    "notes: >-\n  folded\n  text\n# comment\nstatus: todo\n",
    "a: x\n  continued\nb: y\n",
    'a: "open\nb: y"\n',
    "a: [1,\nb: 2]\n",
    "a: 'x\nb: y'\n",
    "a:\nb: 1\n",
    "parent:\n  child: 1\n  other: [x]\nz: 1\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "'quoted key': 1\n",
    "a: b: c\n",
    "a: 1\na: 2\n",
    "a: x   \t# trailing\n",
    "a:\n\t- x\n",
    "a:    \n  - x # c\n",
    "- a\n- b\n",
    "a: {x: 1, y: [2, 3]}\nb: []\n",
    "a: ''\nb: \"\"\n",
    "a: |\n  text\n# comment\n  more\n",
  ];
  it.each(TRICKY)("agrees with the locator on %j", (text) => {
    agreesWithLocator(text);
    agreesWithLocator(text, 5);
  });

  it("agrees with the locator on the corpus and the documents with problems", () => {
    for (const c of [...CORPUS, ...PROBLEMS]) agreesWithLocator(c.text, 3);
  });

  it.each(Object.entries(STYLES))(
    "agrees with the locator on generated documents (%s)",
    (_s, options) => {
      fc.assert(
        fc.property(documentArb, (value) => {
          agreesWithLocator(stringify(value, options));
        }),
        { numRuns: 300 },
      );
    },
  );

  it("answers for the example tracker's files, which are written in the usual way", () => {
    const files = [
      ...readdirSync(join(ACME, "projects/web/tasks")).map((f) =>
        join(ACME, "projects/web/tasks", f),
      ),
      join(ACME, "trackdown.yml"),
    ];
    let answered = 0;
    let simple = 0;
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      const yaml = text.startsWith("---\n") ? text.slice(4, text.indexOf("\n---", 4) + 1) : text;
      const n = agreesWithLocator(yaml, 2);
      answered += n;
      if (n > 0) simple += 1;
    }
    expect(simple).toBeGreaterThan(files.length / 2);
    expect(answered).toBeGreaterThan(100);
  });
});
