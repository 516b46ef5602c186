import { describe, expect, it } from "vitest";
import { editFrontMatter, editYaml, type FieldEdit } from "./yaml-edit.js";

function applied(text: string, ...edits: FieldEdit[]): string {
  const outcome = editYaml(text, edits);
  if (!outcome.ok) throw new Error(`refused: ${outcome.message}`);
  return outcome.text;
}

describe("editYaml keeps how a value is written", () => {
  it("keeps the comment after a value and its quote style when the new value fits in it", () => {
    expect(
      applied("status: todo # moved weekly\n", { op: "set", path: ["status"], value: "doing" }),
    ).toBe("status: doing # moved weekly\n");
    expect(applied("title: 'Fix it'\n", { op: "set", path: ["title"], value: "Don't" })).toBe(
      "title: 'Don''t'\n",
    );
    expect(applied('title: "Fix it"\n', { op: "set", path: ["title"], value: "plain" })).toBe(
      'title: "plain"\n',
    );
    // single quotes cannot hold a line break: double quotes, on one line
    expect(applied("title: 'Fix it'\n", { op: "set", path: ["title"], value: "two\nlines" })).toBe(
      'title: "two\\nlines"\n',
    );
    expect(applied("estimate: '3'\n", { op: "set", path: ["estimate"], value: 5 })).toBe(
      "estimate: 5\n",
    );
  });

  it("quotes a plain value only when it would read back as something else", () => {
    const cases: [string, string][] = [
      ["yes", "yes"],
      ["no", "no"],
      ["2026-01-01", "2026-01-01"],
      ["null", '"null"'],
      ["~", '"~"'],
      ["123", '"123"'],
      ["1.5", '"1.5"'],
      ["true", '"true"'],
      [" lead", '" lead"'],
      ["trail ", '"trail "'],
      ["a: b", '"a: b"'],
      ["a #b", '"a #b"'],
      ["a#b", "a#b"],
      ["-x", '"-x"'],
      ["[x", '"[x"'],
      ["{x", '"{x"'],
      ["*x", '"*x"'],
      ["&x", '"&x"'],
      ["!x", '"!x"'],
      ["|x", '"|x"'],
      [">x", '">x"'],
      ["'x", '"\'x"'],
      ['"x', "'\"x'"],
      ["%x", '"%x"'],
      ["@x", '"@x"'],
      ["`x", '"`x"'],
      ["", '""'],
      ["tab\there", '"tab\\there"'],
    ];
    for (const [value, written] of cases) {
      expect(applied("note: old\n", { op: "set", path: ["note"], value })).toBe(
        `note: ${written}\n`,
      );
    }
  });

  it("keeps a literal block a literal block while the text has line breaks", () => {
    const text = "description: |\n  one\n  two\nnext: 1\n";
    expect(applied(text, { op: "set", path: ["description"], value: "three\nfour\n" })).toBe(
      "description: |\n  three\n  four\nnext: 1\n",
    );
    expect(applied(text, { op: "set", path: ["description"], value: "three\n\nfour" })).toBe(
      "description: |-\n  three\n\n  four\nnext: 1\n",
    );
    expect(applied(text, { op: "set", path: ["description"], value: "one line" })).toBe(
      "description: one line\nnext: 1\n",
    );
    expect(applied(text, { op: "set", path: ["description"], value: "kept\n\n" })).toBe(
      "description: |+\n  kept\n\nnext: 1\n",
    );
    // a blank line after the block would become part of a `|+` value: double quotes instead
    expect(
      applied("description: |\n  one\n\nnext: 1\n", {
        op: "set",
        path: ["description"],
        value: "kept\n\n",
      }),
    ).toBe('description: "kept\\n\\n"\n\nnext: 1\n');
    expect(
      applied("description: >\n  folded\n  text\nnext: 1\n", {
        op: "set",
        path: ["description"],
        value: "a\nb\n",
      }),
    ).toBe("description: |\n  a\n  b\nnext: 1\n");
  });

  it("replaces only the value's lines when the value changes kind", () => {
    expect(
      applied("labels: bug # one\nnext: 1\n", {
        op: "set",
        path: ["labels"],
        value: ["bug", "ui"],
      }),
    ).toBe("labels: [bug, ui] # one\nnext: 1\n");
    expect(
      applied("labels:\n  - a\n  - b\nnext: 1\n", { op: "set", path: ["labels"], value: "x" }),
    ).toBe("labels: x\nnext: 1\n");
    expect(
      applied("meta: none # later\nnext: 1\n", {
        op: "set",
        path: ["meta"],
        value: { a: 1, b: [{ c: 2 }] },
      }),
    ).toBe("meta: # later\n  a: 1\n  b:\n    - c: 2\nnext: 1\n");
    expect(
      applied("labels:\n    - a\nnext: 1\n", { op: "set", path: ["labels"], value: ["b", "c"] }),
    ).toBe("labels:\n    - b\n    - c\nnext: 1\n");
    expect(applied("meta:\nnext: 1\n", { op: "set", path: ["meta", "a", "b"], value: 1 })).toBe(
      "meta:\n  a:\n    b: 1\nnext: 1\n",
    );
  });

  it("adds to lists in their own style", () => {
    expect(applied("labels: [\n  a,\n  b\n]\n", { op: "add", path: ["labels"], value: "c" })).toBe(
      "labels: [\n  a,\n  b,\n  c\n]\n",
    );
    expect(applied("labels: [ a ]\n", { op: "add", path: ["labels"], value: "b, c" })).toBe(
      'labels: [ a, "b, c" ]\n',
    );
    expect(applied("labels: []\n", { op: "add", path: ["labels"], value: "a" })).toBe(
      "labels: [a]\n",
    );
    expect(applied("labels:\n", { op: "add", path: ["labels"], value: "a" })).toBe("labels: [a]\n");
    expect(
      applied("labels:\n-   a # first\n# b was here\n-   c\nnext: 1\n", {
        op: "add",
        path: ["labels"],
        value: "d",
      }),
    ).toBe("labels:\n-   a # first\n# b was here\n-   c\n-   d\nnext: 1\n");
  });

  it("removes every equal item, with the separators around it", () => {
    expect(applied("l: [a, b, a, c]\n", { op: "remove", path: ["l"], value: "a" })).toBe(
      "l: [b, c]\n",
    );
    expect(applied("l: [a, b, c]\n", { op: "remove", path: ["l"], value: "c" })).toBe(
      "l: [a, b]\n",
    );
    expect(applied("l: [ a ]\n", { op: "remove", path: ["l"], value: "a" })).toBe("l: []\n");
    expect(
      applied("l:\n  - 1\n  # two\n  - 2\n  - 1\nn: 1\n", { op: "remove", path: ["l"], value: 1 }),
    ).toBe("l:\n  # two\n  - 2\nn: 1\n");
    expect(
      applied("l: # all gone\n  - a\n  - a\nn: 1\n", { op: "remove", path: ["l"], value: "a" }),
    ).toBe("l: [] # all gone\nn: 1\n");
  });

  it("unsets exactly the key's lines; a nested mapping or list left empty is written {} or []", () => {
    const text = "# about a\na: 1 # one\nb:\n  c: 2\n  d: [x]\ne: 3\n";
    expect(applied(text, { op: "unset", path: ["a"] })).toBe(
      "# about a\nb:\n  c: 2\n  d: [x]\ne: 3\n",
    );
    expect(applied(text, { op: "unset", path: ["b"] })).toBe("# about a\na: 1 # one\ne: 3\n");
    expect(applied(text, { op: "unset", path: ["b", "d"] })).toBe(
      "# about a\na: 1 # one\nb:\n  c: 2\ne: 3\n",
    );
    expect(
      applied(text, { op: "unset", path: ["b", "d"] }, { op: "unset", path: ["b", "c"] }),
    ).toBe("# about a\na: 1 # one\nb: {}\ne: 3\n");
    expect(applied("s:\n  - id: a\n    name: A\n", { op: "unset", path: ["s", 0, "id"] })).toBe(
      "s:\n  - name: A\n",
    );
    expect(applied("s:\n  - a\n  - b\n", { op: "unset", path: ["s", 0] })).toBe("s:\n  - b\n");
    expect(applied("m: { a: 1, b: 2 }\n", { op: "unset", path: ["m", "a"] })).toBe("m: { b: 2 }\n");
  });

  it("puts a new key after the mapping's last line and the comments indented below it", () => {
    expect(
      applied("a:\n  - x\n    # about x\n# the end\n", { op: "set", path: ["b"], value: 1 }),
    ).toBe("a:\n  - x\n    # about x\nb: 1\n# the end\n");
    expect(applied("m: { a: 1 }\n", { op: "set", path: ["m", "b"], value: [1, 2] })).toBe(
      "m: { a: 1, b: [1, 2] }\n",
    );
    expect(applied("m: {}\n", { op: "set", path: ["m", "b"], value: "x y" })).toBe(
      "m: { b: x y }\n",
    );
    expect(applied("", { op: "set", path: ["id"], value: "WEB-1" })).toBe("id: WEB-1\n");
    expect(applied("# only a comment", { op: "set", path: ["id"], value: "WEB-1" })).toBe(
      "# only a comment\nid: WEB-1",
    );
  });

  it("sets through list positions", () => {
    const text = "statuses:\n  - { id: todo, name: To do }\n  - id: done\n";
    expect(applied(text, { op: "set", path: ["statuses", 0, "name"], value: "Next: up" })).toBe(
      'statuses:\n  - { id: todo, name: "Next: up" }\n  - id: done\n',
    );
    expect(applied(text, { op: "set", path: ["statuses", 1], value: "done" })).toBe(
      "statuses:\n  - { id: todo, name: To do }\n  - done\n",
    );
    expect(applied(text, { op: "set", path: ["statuses", 1, "wip"], value: 2 })).toBe(
      "statuses:\n  - { id: todo, name: To do }\n  - id: done\n    wip: 2\n",
    );
  });
});

describe("line endings, final line breaks and byte-order marks", () => {
  it("writes the file's line break in the lines it adds, and keeps a missing final one missing", () => {
    expect(applied("a: 1\r\nb: 2", { op: "set", path: ["c"], value: { d: 1 } })).toBe(
      "a: 1\r\nb: 2\r\nc:\r\n  d: 1",
    );
    expect(applied("a: 1\nb: 2", { op: "unset", path: ["b"] })).toBe("a: 1");
    expect(applied("a: 1\r\nb: [x]\r\n", { op: "add", path: ["b"], value: "y" })).toBe(
      "a: 1\r\nb: [x, y]\r\n",
    );
  });

  it("keeps a byte-order mark", () => {
    expect(applied("\uFEFFa: 1\n", { op: "set", path: ["a"], value: 2 })).toBe("\uFEFFa: 2\n");
    const md = editFrontMatter("\uFEFF---\r\nid: 1\r\n---\r\nBody\r\n", [
      { op: "set", path: ["title"], value: "T" },
    ]);
    expect(md).toEqual({
      ok: true,
      text: "\uFEFF---\r\nid: 1\r\ntitle: T\r\n---\r\nBody\r\n",
      changed: true,
    });
  });

  it("fills empty front matter", () => {
    expect(
      editFrontMatter("---\n---\nBody\n", [{ op: "set", path: ["id"], value: "X-1" }]),
    ).toEqual({
      ok: true,
      text: "---\nid: X-1\n---\nBody\n",
      changed: true,
    });
  });
});

describe("refusals", () => {
  const refusal = (outcome: ReturnType<typeof editYaml>) => {
    if (outcome.ok) throw new Error("was not refused");
    return outcome;
  };

  it("refuses YAML with errors, pointing at the file's line and column", () => {
    expect(
      refusal(editYaml('id: 1\ntitle: "unclosed\n', [{ op: "set", path: ["id"], value: 2 }])),
    ).toEqual({
      ok: false,
      message:
        "The YAML cannot be edited until this is fixed: This quoted text is never closed; add the closing quote.",
      line: 2,
      column: 8,
    });
    expect(
      refusal(
        editFrontMatter("---\nid: 1\nstatus: a\nstatus: b\n---\n", [
          { op: "set", path: ["status"], value: "c" },
        ]),
      ),
    ).toEqual({
      ok: false,
      message:
        'The YAML cannot be edited until this is fixed: The key "status" appears more than once in the same mapping.',
      line: 4,
      column: 1,
    });
  });

  it("refuses a document that is not a mapping, and missing or unclosed front matter", () => {
    expect(refusal(editYaml("# list\n- a\n- b\n", [{ op: "unset", path: ["a"] }]))).toMatchObject({
      message:
        "The YAML is not a mapping of fields (`key: value` lines), so no field can be edited.",
      line: 2,
      column: 1,
    });
    expect(refusal(editFrontMatter("# Title\n", [{ op: "unset", path: ["a"] }]))).toMatchObject({
      message: "The file does not start with front matter (a line `---`, YAML fields, then `---`).",
      line: 1,
      column: 1,
    });
    expect(refusal(editFrontMatter("---\nid: 1\n", [{ op: "unset", path: ["a"] }]))).toMatchObject({
      message: "The front matter opened on line 1 is never closed with a line `---`.",
      line: 1,
    });
  });

  it("refuses to edit aliases, anchored and tagged values", () => {
    const text = "base: &b [x]\ncopy: *b\nn: !!str 5\n";
    expect(refusal(editYaml(text, [{ op: "add", path: ["copy"], value: "y" }]))).toEqual({
      ok: false,
      message: '"copy" is an alias of another value (*b); edit the value it refers to instead.',
      line: 2,
      column: 7,
    });
    expect(refusal(editYaml(text, [{ op: "unset", path: ["base"] }]))).toEqual({
      ok: false,
      message:
        '"base" has an anchor (&b) that other values may refer to; it is not edited automatically.',
      line: 1,
      column: 7,
    });
    expect(refusal(editYaml(text, [{ op: "set", path: ["n"], value: 6 }]))).toEqual({
      ok: false,
      message: '"n" has an explicit tag; it is not edited automatically.',
      line: 3,
      column: 4,
    });
    // the rest of such a file can be edited
    expect(applied(text, { op: "set", path: ["m"], value: 1 })).toBe(`${text}m: 1\n`);
  });

  it("refuses reserved keys, paths that lead nowhere, and lists where there are none", () => {
    const text = "status: todo\nlabels: [a]\n";
    const cases: [FieldEdit, string][] = [
      [{ op: "set", path: ["__proto__"], value: 1 }, 'The key "__proto__" is not allowed.'],
      [
        { op: "set", path: ["meta"], value: { constructor: 1 } },
        'The key "constructor" is not allowed.',
      ],
      [{ op: "unset", path: [] }, "An edit needs a field: its path is empty."],
      [
        { op: "set", path: ["labels", -1] } as unknown as FieldEdit,
        '"-1" in "labels.[-1]" is not a list position.',
      ],
    ];
    for (const [edit, message] of cases)
      expect(refusal(editYaml(text, [edit]))).toEqual({ ok: false, message });
    expect(refusal(editYaml(text, [{ op: "set", path: ["status", "x"], value: 1 }]))).toEqual({
      ok: false,
      message: '"status" is not a mapping or a list, so it has no "x".',
      line: 1,
      column: 9,
    });
    expect(refusal(editYaml(text, [{ op: "set", path: ["labels", 3], value: 1 }]))).toEqual({
      ok: false,
      message: '"labels" is a list of 1 items; it has no item "3".',
      line: 2,
      column: 9,
    });
    expect(refusal(editYaml(text, [{ op: "add", path: ["status"], value: "x" }]))).toEqual({
      ok: false,
      message: '"status" is not a list, so nothing can be added to it.',
      line: 1,
      column: 9,
    });
  });
});
