import { describe, expect, it } from "vitest";
import { newRecordText, scalarText } from "./yaml-text.js";

describe("newRecordText", () => {
  it("writes a task as the example tracker's tasks are written", () => {
    expect(
      newRecordText(
        "md",
        [
          ["id", "WEB-32"],
          ["title", "Checkout: handle declined cards"],
          ["status", "backlog"],
          ["assignees", []],
          ["labels", ["frontend", "bug"]],
          ["estimate", 3],
          ["created", "2026-11-20"],
          ["attachments", [{ path: "files/WEB-32/flow.svg", title: "Flow v1" }]],
        ],
        "\nWhat happens when the card is declined.\n",
      ),
    ).toBe(
      [
        "---",
        "id: WEB-32",
        'title: "Checkout: handle declined cards"',
        "status: backlog",
        "assignees: []",
        "labels: [frontend, bug]",
        "estimate: 3",
        "created: 2026-11-20",
        "attachments:",
        "  - path: files/WEB-32/flow.svg",
        "    title: Flow v1",
        "---",
        "",
        "What happens when the card is declined.",
        "",
      ].join("\n"),
    );
  });

  it("writes a time entry, quoting only what needs it", () => {
    expect(
      newRecordText("yml", [
        ["person", "ana"],
        ["task", "API-2"],
        ["date", "2026-10-07"],
        ["duration", "1h"],
        ["note", "yes: two lines\nof notes"],
        ["billable", true],
        ["rate", null],
        ["meta", { "#": "x", nested: { deep: [1, [2, 3]] } }],
      ]),
    ).toBe(
      [
        "person: ana",
        "task: API-2",
        "date: 2026-10-07",
        "duration: 1h",
        'note: "yes: two lines\\nof notes"',
        "billable: true",
        "rate: null",
        "meta:",
        '  "#": x',
        "  nested:",
        "    deep:",
        "      - 1",
        "      - [2, 3]",
        "",
      ].join("\n"),
    );
    expect(newRecordText("yml", [])).toBe("{}\n");
    expect(newRecordText("md", [])).toBe("---\n---\n");
  });

  it("throws on a repeated field or a reserved key, which could not be read back as given", () => {
    expect(() =>
      newRecordText("yml", [
        ["a", 1],
        ["a", 2],
      ]),
    ).toThrow(RangeError);
    expect(() => newRecordText("yml", [["__proto__", 1]])).toThrow(
      'The key "__proto__" is not allowed.',
    );
    expect(() => newRecordText("yml", [["m", { prototype: 1 }]])).toThrow(RangeError);
  });
});

describe("scalarText", () => {
  it("writes numbers, booleans and null as the core schema reads them", () => {
    expect(
      [Number.NaN, Number.POSITIVE_INFINITY, -Infinity, 1e21, 0.1, -5].map((n) =>
        scalarText(n, "block"),
      ),
    ).toEqual([".nan", ".inf", "-.inf", "1e+21", "0.1", "-5"]);
    expect([true, false, null].map((v) => scalarText(v, "block"))).toEqual([
      "true",
      "false",
      "null",
    ]);
  });

  it("quotes inside [...] what only a flow collection cannot hold", () => {
    expect(["a b", "a,b", "[x]", "a:b", "é"].map((s) => scalarText(s, "flow"))).toEqual([
      "a b",
      '"a,b"',
      '"[x]"',
      '"a:b"',
      "é",
    ]);
    expect(scalarText("a:b", "block")).toBe("a:b");
  });

  it("escapes what no YAML reader may see raw", () => {
    expect(scalarText("nul \u0000 bell \u0007 nel \u0085 ls \u2028 bom \ufeff", "block")).toBe(
      '"nul \\0 bell \\x07 nel \\x85 ls \\u2028 bom \\ufeff"',
    );
  });
});
