import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type FieldTerm,
  MAX_QUERY_LENGTH,
  MAX_TERMS,
  parseQuery,
  type QueryProblem,
  type TextTerm,
} from "./parse.js";

/** The only term of a query that must parse cleanly. */
function only(text: string) {
  const { terms, problems } = parseQuery(text);
  expect(problems).toEqual([]);
  expect(terms).toHaveLength(1);
  return terms[0]!;
}

const field = (text: string) => only(text) as FieldTerm;
const word = (text: string) => only(text) as TextTerm;

/** The single problem of a query, with the text its columns cover. */
function problemOf(text: string): QueryProblem & { covers: string } {
  const { problems } = parseQuery(text);
  expect(problems).toHaveLength(1);
  const p = problems[0]!;
  return { ...p, covers: text.slice(p.column - 1, p.endColumn - 1) };
}

describe("parseQuery: terms", () => {
  it("reads field:value with the offsets of the field and the value", () => {
    expect(field("status:doing")).toEqual({
      kind: "field",
      field: "status",
      negated: false,
      values: [{ text: "doing", start: 7, end: 12, quoted: false }],
      start: 0,
      end: 12,
      fieldEnd: 6,
    });
  });

  it("splits terms on spaces, tabs and newlines and keeps their order", () => {
    const { terms, problems } = parseQuery("  assignee:ana\tis:open\nlogin \r\n sort:due  ");
    expect(problems).toEqual([]);
    expect(terms.map((t) => (t.kind === "field" ? `${t.field}:` : t.text))).toEqual([
      "assignee:",
      "is:",
      "login",
      "sort:",
    ]);
  });

  it("reads field names case-insensitively but keeps values as written", () => {
    const t = field("Status:In-Review");
    expect(t.field).toBe("status");
    expect(t.values[0]!.text).toBe("In-Review");
  });

  it("accepts dashes in field names (blocked-by:)", () => {
    const t = field("blocked-by:WEB-8");
    expect(t.field).toBe("blocked-by");
    expect(t.fieldEnd).toBe(10);
    expect(t.values[0]).toMatchObject({ text: "WEB-8", start: 11, end: 16 });
  });

  it("treats a word with a colon that does not start with a letter as text", () => {
    expect(word("10:30")).toMatchObject({ kind: "text", text: "10:30", phrase: false });
  });

  it("reads bare words as full-text terms", () => {
    expect(word("checkout")).toEqual({
      kind: "text",
      text: "checkout",
      phrase: false,
      negated: false,
      start: 0,
      end: 8,
    });
  });

  it("an empty or blank query has no terms and no problems", () => {
    expect(parseQuery("")).toEqual({ terms: [], problems: [] });
    expect(parseQuery(" \t\n ")).toEqual({ terms: [], problems: [] });
  });
});

describe("parseQuery: negation", () => {
  it("a leading - negates a field term; the term starts at the dash, the field after it", () => {
    const t = field("-label:bug");
    expect(t).toMatchObject({ negated: true, field: "label", start: 0, fieldEnd: 6, end: 10 });
    expect(t.values[0]).toMatchObject({ text: "bug", start: 7 });
  });

  it("a leading - negates a word and a phrase", () => {
    expect(word("-draft")).toMatchObject({ text: "draft", negated: true, start: 0, end: 6 });
    expect(word('-"old design"')).toMatchObject({
      text: "old design",
      phrase: true,
      negated: true,
      start: 0,
      end: 13,
    });
  });

  it("a dash on its own is ignored rather than negating the next term", () => {
    const { terms, problems } = parseQuery("login - page -");
    expect(problems).toEqual([]);
    expect(terms.map((t) => [t.kind === "text" && t.text, t.negated])).toEqual([
      ["login", false],
      ["page", false],
    ]);
  });

  it("only the first dash negates: --x searches for the word -x", () => {
    expect(word("--x")).toMatchObject({ text: "-x", negated: true });
  });

  it("a dash inside a value is part of the value", () => {
    expect(field("milestone:public-beta").values[0]!.text).toBe("public-beta");
    expect(field("sort:-priority").values[0]!.text).toBe("-priority");
  });
});

describe("parseQuery: lists and comparisons", () => {
  it("commas separate values of one field (OR), each with its own offsets", () => {
    const t = field("label:bug,security,a11y");
    expect(t.values).toEqual([
      { text: "bug", start: 6, end: 9, quoted: false },
      { text: "security", start: 10, end: 18, quoted: false },
      { text: "a11y", start: 19, end: 23, quoted: false },
    ]);
    expect(t.end).toBe(23);
  });

  it.each([
    [">=", "priority:>=high", 11],
    ["<=", "priority:<=low", 11],
    [">", "estimate:>3", 10],
    ["<", "due:<2026-12-01", 5],
    ["=", "estimate:=3", 10],
  ] as const)("reads the comparison %s in front of the value", (op, text, valueStart) => {
    const t = field(text);
    expect(t.comparison).toBe(op);
    expect(t.values[0]!.start).toBe(valueStart);
    expect(t.values[0]!.text).toBe(text.slice(valueStart));
  });

  it("a field without a comparison has none", () => {
    expect(field("priority:high").comparison).toBeUndefined();
  });
});

describe("parseQuery: quotes", () => {
  it("reads a quoted value, spaces included, with offsets that cover the quotes", () => {
    const t = field('status:"In progress"');
    expect(t.values).toEqual([{ text: "In progress", start: 7, end: 20, quoted: true }]);
    expect(t.end).toBe(20);
  });

  it("mixes quoted and bare values in one list", () => {
    const t = field('label:bug,"good first issue",docs');
    expect(t.values.map((v) => [v.text, v.quoted])).toEqual([
      ["bug", false],
      ["good first issue", true],
      ["docs", false],
    ]);
  });

  it("reads a quoted phrase as one full-text term", () => {
    expect(word('"login page"')).toEqual({
      kind: "text",
      text: "login page",
      phrase: true,
      negated: false,
      start: 0,
      end: 12,
    });
  });

  it('unescapes \\" and \\\\ inside quotes and keeps other backslashes', () => {
    expect(word(String.raw`"say \"hi\" \\ now"`).text).toBe(String.raw`say "hi" \ now`);
    expect(word(String.raw`"C:\path\n"`).text).toBe(String.raw`C:\path\n`);
    expect(field(String.raw`label:"a\"b"`).values[0]!.text).toBe('a"b');
  });

  it("a quote right after a word starts a phrase", () => {
    const { terms, problems } = parseQuery('foo"bar baz"');
    expect(problems).toEqual([]);
    expect(terms.map((t) => [t.kind === "text" && t.text, t.kind === "text" && t.phrase])).toEqual([
      ["foo", false],
      ["bar baz", true],
    ]);
  });

  it("a colon inside quotes is text, not a field", () => {
    expect(word('"fix: login"')).toMatchObject({ text: "fix: login", phrase: true });
  });
});

describe("parseQuery: problems point at the right column", () => {
  it("an unclosed phrase: from the quote to the end, and the phrase is still read", () => {
    const text = 'status:doing "login page';
    const { terms, problems } = parseQuery(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      severity: "error",
      column: 14,
      endColumn: text.length + 1,
      expected: 'a closing "',
    });
    expect(terms[1]).toMatchObject({ kind: "text", text: "login page", phrase: true });
  });

  it("an unclosed quoted value: at its opening quote", () => {
    const p = problemOf('is:open label:"good first');
    expect(p.column).toBe(15);
    expect(p.covers).toBe('"good first');
    expect(p.message).toMatch(/never closed/);
  });

  it("an unclosed negated phrase: at the quote, after the dash", () => {
    expect(problemOf('-"draft').column).toBe(2);
  });

  it("an empty phrase is an error covering the quotes", () => {
    const p = problemOf('is:open ""');
    expect(p).toMatchObject({ severity: "error", column: 9, covers: '""' });
    expect(p.message).toMatch(/empty phrase/);
  });

  it("a field with no value: covers the field, and the other terms are still read", () => {
    const text = "is:open status: due:today";
    const { terms, problems } = parseQuery(text);
    expect(problems).toHaveLength(1);
    const p = problems[0]!;
    expect(p.message).toBe('"status:" needs a value after the colon.');
    expect(text.slice(p.column - 1, p.endColumn - 1)).toBe("status:");
    expect(p.expected).toBe("a value, e.g. status:doing");
    expect(p.hint).toMatch(/quotes/);
    expect(terms.map((t) => (t.kind === "field" ? t.field : t.text))).toEqual(["is", "due"]);
  });

  it("a field with no value at the very end, and after a comparison", () => {
    expect(problemOf("is:open status:")).toMatchObject({ column: 9, covers: "status:" });
    expect(problemOf("priority:>=")).toMatchObject({ column: 1, covers: "priority:>=" });
  });

  it("a negated field with no value: covers the dash too", () => {
    expect(problemOf("-label:")).toMatchObject({ column: 1, covers: "-label:" });
  });

  it("a trailing comma asks for another value, and keeps the values before it", () => {
    const { terms, problems } = parseQuery("label:bug,");
    expect(problems).toHaveLength(1);
    expect(problems[0]!.severity).toBe("error");
    expect(problems[0]!.column).toBe(1);
    expect(problems[0]!.endColumn).toBe(11);
    expect((terms[0] as FieldTerm).values.map((v) => v.text)).toEqual(["bug"]);
  });

  it("a stray comma where a value should be: at the comma", () => {
    const p = problemOf("status:,doing");
    expect(p).toMatchObject({ column: 8, endColumn: 9, covers: "," });
    expect(p.message).toBe('Expected a value here, found ",".');
  });

  it("stray characters after a value: at the first one", () => {
    const a = problemOf('status:doing"x"');
    expect(a).toMatchObject({ column: 13, covers: '"' });
    expect(a.message).toBe('Unexpected """ after the value.');
    expect(a.expected).toMatch(/comma/);
    const b = problemOf('status:"doing"x sort:due');
    expect(b).toMatchObject({ column: 15, covers: "x" });
  });

  it("after stray characters the next term is read normally", () => {
    const { terms } = parseQuery('status:"doing"xyz sort:due');
    expect(terms.map((t) => (t.kind === "field" ? t.field : t.text))).toEqual(["status", "sort"]);
  });

  it(`accepts ${MAX_QUERY_LENGTH} characters and refuses one more, pointing past the limit`, () => {
    const ok = "x".repeat(MAX_QUERY_LENGTH);
    expect(parseQuery(ok).problems).toEqual([]);
    const tooLong = `${"a ".repeat(MAX_QUERY_LENGTH / 2)}b`;
    const { terms, problems } = parseQuery(tooLong);
    expect(terms).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      severity: "error",
      column: MAX_QUERY_LENGTH + 1,
      endColumn: tooLong.length + 1,
    });
    expect(problems[0]!.message).toContain(String(tooLong.length));
  });

  it(`accepts ${MAX_TERMS} terms and points at the first term beyond them`, () => {
    const words = Array.from({ length: MAX_TERMS }, (_, i) => `w${i}`);
    expect(parseQuery(words.join(" ")).problems).toEqual([]);
    expect(parseQuery(words.join(" ")).terms).toHaveLength(MAX_TERMS);
    const text = `${words.join(" ")} extra more`;
    const { terms, problems } = parseQuery(text);
    expect(terms).toHaveLength(MAX_TERMS);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.column).toBe(text.indexOf("extra") + 1);
    expect(problems[0]!.endColumn).toBe(text.length + 1);
    expect(problems[0]!.message).toContain(String(MAX_TERMS));
  });
});

describe("parseQuery: characters that mean something in regular expressions", () => {
  const SPECIAL = ".*+?[](){}^$|\\";

  it("are plain text in a word", () => {
    expect(word(SPECIAL)).toMatchObject({ text: SPECIAL, phrase: false });
  });

  it.each([...SPECIAL])("%s alone is a word", (c) => {
    expect(word(c).text).toBe(c);
  });

  it("are plain text in values and phrases", () => {
    expect(field("label:.*").values[0]!.text).toBe(".*");
    expect(field("id:(WEB-1|WEB-2)").values[0]!.text).toBe("(WEB-1|WEB-2)");
    expect(word('"^(a|b)+$"').text).toBe("^(a|b)+$");
  });
});

describe("parseQuery: never throws, whatever it is given", () => {
  const pieces = [
    ...'"\\-:,<>= \t\n.*+?[](){}^$|',
    "status:",
    "is:",
    "priority:>=",
    "due:<",
    "label:",
    "-",
    "a",
    "Z",
    "9",
    "é",
    "😀",
    "\u0000",
  ];
  const tricky = fc
    .array(fc.constantFrom(...pieces), { maxLength: 40 })
    .map((parts) => parts.join(""));
  const anyText = fc.oneof(
    { weight: 3, arbitrary: tricky },
    { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
    { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 30 }) },
  );

  it("every problem's columns lie within the query (1 … length + 1)", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const { terms, problems } = parseQuery(text);
        for (const p of problems) {
          expect(p.column).toBeGreaterThanOrEqual(1);
          expect(p.column).toBeLessThanOrEqual(text.length + 1);
          expect(p.endColumn).toBeGreaterThan(p.column);
          expect(p.endColumn).toBeLessThanOrEqual(text.length + 1);
          expect(p.message).not.toBe("");
        }
        expect(terms.length).toBeLessThanOrEqual(MAX_TERMS);
      }),
      { numRuns: 2000 },
    );
  });

  it("every term and value lies within the query, and bare values are the text they cover", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        for (const t of parseQuery(text).terms) {
          expect(t.start).toBeGreaterThanOrEqual(0);
          expect(t.end).toBeLessThanOrEqual(text.length);
          expect(t.start).toBeLessThan(t.end);
          if (t.kind === "text" && !t.phrase)
            expect(text.slice(t.start + (t.negated ? 1 : 0), t.end)).toBe(t.text);
          if (t.kind === "field") {
            expect(text.slice(t.start + (t.negated ? 1 : 0), t.fieldEnd).toLowerCase()).toBe(
              t.field,
            );
            for (const v of t.values) {
              expect(v.start).toBeGreaterThan(t.fieldEnd);
              expect(v.end).toBeLessThanOrEqual(t.end);
              if (!v.quoted) expect(text.slice(v.start, v.end)).toBe(v.text);
            }
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("long random queries past the limits still end in problems, not exceptions", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 3990, maxLength: 4100 }), (text) => {
        const { problems } = parseQuery(text);
        for (const p of problems) expect(p.column).toBeLessThanOrEqual(text.length + 1);
        if (text.length > MAX_QUERY_LENGTH) expect(problems).toHaveLength(1);
      }),
      { numRuns: 50 },
    );
  });
});
