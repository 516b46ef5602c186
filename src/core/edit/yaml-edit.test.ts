import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ACME } from "../../test-support/temp.js";
import { readRecordFile } from "../parse/read-file.js";
import { type EditOutcome, editFrontMatter, editYaml, type FieldEdit } from "./yaml-edit.js";

const WEB_12 = "projects/web/tasks/WEB-12-homepage-hero-with-a-b-copy.md";
const WEB_4 = "projects/web/tasks/WEB-4-homepage-wireframes.md";
const ANA = "people/ana.yml";
const FELIX = "people/felix.yml";
const JONAS = "people/jonas.yml";
const TIME = "time/2026-10/2026-10-07-ana-API-2-n284.yml";
const CONFIG = "trackdown.yml";

function acme(path: string): string {
  return readFileSync(join(ACME, path), "utf8");
}

/**
 * The lines that differ between two texts once their common first and last lines are set
 * aside: `-N text` for a line of the old text, `+N text` for one of the new (1-based).
 */
function changedLines(before: string, after: string): string[] {
  const a = before.split("\n");
  const b = after.split("\n");
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  return [
    ...a.slice(start, endA).map((line, i) => `-${start + i + 1} ${line}`),
    ...b.slice(start, endB).map((line, i) => `+${start + i + 1} ${line}`),
  ];
}

function edited(outcome: EditOutcome): string {
  if (!outcome.ok) throw new Error(`refused: ${outcome.message}`);
  return outcome.text;
}

/** The lines an edit of an example file changes. */
function diffOf(path: string, edits: readonly FieldEdit[]): string[] {
  const before = acme(path);
  const after = edited(
    path.endsWith(".md") ? editFrontMatter(before, edits) : editYaml(before, edits),
  );
  return changedLines(before, after);
}

describe("editFrontMatter on a task of the example tracker", () => {
  it("sets a field on its own line and leaves the body byte for byte", () => {
    const before = acme(WEB_12);
    const after = edited(
      editFrontMatter(before, [{ op: "set", path: ["status"], value: "review" }]),
    );
    expect(changedLines(before, after)).toEqual(["-5 status: done", "+5 status: review"]);
    expect(after.slice(after.indexOf("\n---\n"))).toBe(before.slice(before.indexOf("\n---\n")));
  });

  it("quotes a new value only when it would read back as something else", () => {
    expect(diffOf(WEB_12, [{ op: "set", path: ["title"], value: "Hero: A/B copy" }])).toEqual([
      "-4 title: Homepage hero with A/B copy variants",
      '+4 title: "Hero: A/B copy"',
    ]);
    expect(diffOf(WEB_12, [{ op: "set", path: ["milestone"], value: "yes" }])).toEqual([
      "-10 milestone: public-beta",
      "+10 milestone: yes",
    ]);
    expect(diffOf(WEB_12, [{ op: "set", path: ["milestone"], value: "2026" }])).toEqual([
      "-10 milestone: public-beta",
      '+10 milestone: "2026"',
    ]);
    expect(diffOf(WEB_12, [{ op: "set", path: ["estimate"], value: 5 }])).toEqual([
      "-8 estimate: 3",
      "+8 estimate: 5",
    ]);
  });

  it("adds to and removes from a flow list, which stays a flow list", () => {
    expect(diffOf(WEB_12, [{ op: "add", path: ["labels"], value: "design" }])).toEqual([
      "-9 labels: [frontend]",
      "+9 labels: [frontend, design]",
    ]);
    expect(diffOf(WEB_12, [{ op: "remove", path: ["assignees"], value: "lena" }])).toEqual([
      "-6 assignees: [lena]",
      "+6 assignees: []",
    ]);
    expect(
      diffOf(WEB_12, [
        { op: "add", path: ["depends_on"], value: "WEB-9" },
        { op: "add", path: ["depends_on"], value: "WEB-10" },
        { op: "remove", path: ["depends_on"], value: "WEB-9" },
      ]),
    ).toEqual(["-12 depends_on: [WEB-8]", "+12 depends_on: [WEB-8, WEB-10]"]);
  });

  it("adding an item that is there, removing one that is not, or unsetting a missing key changes nothing", () => {
    const before = acme(WEB_12);
    for (const edit of [
      { op: "add", path: ["labels"], value: "frontend" },
      { op: "remove", path: ["labels"], value: "backend" },
      { op: "remove", path: ["attachments"], value: "x" },
      { op: "unset", path: ["type"] },
      { op: "set", path: ["status"], value: "done" },
    ] satisfies FieldEdit[]) {
      expect(editFrontMatter(before, [edit])).toEqual({ ok: true, text: before, changed: false });
    }
  });

  it("unsets a field by removing its line only", () => {
    expect(diffOf(WEB_12, [{ op: "unset", path: ["parent"] }])).toEqual(["-11 parent: WEB-11"]);
  });

  it("adds a new field after the last one, before the closing ---", () => {
    expect(
      diffOf(WEB_12, [{ op: "add", path: ["attachments"], value: "files/WEB-12/hero.png" }]),
    ).toEqual(["+16 attachments: [files/WEB-12/hero.png]"]);
  });

  it("edits inside a block list of mappings, keeping its indentation", () => {
    expect(
      diffOf(WEB_4, [
        { op: "set", path: ["attachments", 0, "title"], value: "Homepage wireframe v4" },
      ]),
    ).toEqual(["-16     title: Homepage wireframe v3", "+16     title: Homepage wireframe v4"]);
    expect(
      diffOf(WEB_4, [{ op: "set", path: ["attachments", 0, "size"], value: "12 KB" }]),
    ).toEqual(["+17     size: 12 KB"]);
    expect(diffOf(WEB_4, [{ op: "unset", path: ["attachments"] }])).toEqual([
      "-14 attachments:",
      "-15   - path: files/WEB-4/homepage-wireframe.svg",
      "-16     title: Homepage wireframe v3",
    ]);
    expect(
      diffOf(WEB_4, [
        {
          op: "set",
          path: ["attachments"],
          value: [
            { path: "files/WEB-4/homepage-wireframe.svg", title: "Homepage wireframe v3" },
            { path: "files/WEB-4/mobile.svg", title: "Mobile: v1" },
          ],
        },
      ]),
    ).toEqual(["+17   - path: files/WEB-4/mobile.svg", '+18     title: "Mobile: v1"']);
  });

  it("replaces the body only when asked, keeping the front matter's bytes", () => {
    const before = acme(WEB_12);
    const after = edited(editFrontMatter(before, [], { body: "\nNew body.\n" }));
    expect(after).toBe(`${before.slice(0, before.indexOf("\n---\n") + 5)}\nNew body.\n`);
    const noBody = "---\nid: WEB-1\n---";
    expect(edited(editFrontMatter(noBody, [], { body: "Text\n" }))).toBe(
      "---\nid: WEB-1\n---\nText\n",
    );
  });

  it("gives a file the reader reads as the task with the change", () => {
    const after = edited(
      editFrontMatter(acme(WEB_12), [
        { op: "set", path: ["status"], value: "doing" },
        { op: "add", path: ["assignees"], value: "tom" },
        { op: "set", path: ["due"], value: "2026-11-20" },
      ]),
    );
    const read = readRecordFile("task", new TextEncoder().encode(after));
    expect(read.problems).toEqual([]);
    expect(read.data).toMatchObject({
      status: "doing",
      assignees: ["lena", "tom"],
      due: "2026-11-20",
    });
  });
});

describe("editYaml on people and time entries", () => {
  it("sets a number and appends a new key after the last line", () => {
    expect(diffOf(ANA, [{ op: "set", path: ["capacity"], value: 32 }])).toEqual([
      "-5 capacity: 40",
      "+5 capacity: 32",
    ]);
    expect(diffOf(ANA, [{ op: "add", path: ["roles"], value: "lead" }])).toEqual([
      "+7 roles: [lead]",
    ]);
  });

  it("removes the last item of a list as `key: []` and a key with its line", () => {
    expect(diffOf(JONAS, [{ op: "remove", path: ["roles"], value: "lead" }])).toEqual([
      "-5 roles: [lead]",
      "+5 roles: []",
    ]);
    expect(diffOf(FELIX, [{ op: "unset", path: ["active"] }])).toEqual(["-8 active: false"]);
    expect(diffOf(FELIX, [{ op: "set", path: ["active"], value: true }])).toEqual([
      "-8 active: false",
      "+8 active: true",
    ]);
  });

  it("is idempotent: the same set twice changes the file once", () => {
    const once = editYaml(acme(TIME), [{ op: "set", path: ["duration"], value: "1h30m" }]);
    expect(changedLines(acme(TIME), edited(once))).toEqual([
      "-5 duration: 1h",
      "+5 duration: 1h30m",
    ]);
    expect(editYaml(edited(once), [{ op: "set", path: ["duration"], value: "1h30m" }])).toEqual({
      ok: true,
      text: edited(once),
      changed: false,
    });
  });

  it("applies several edits in order", () => {
    expect(
      diffOf(TIME, [
        { op: "set", path: ["note"], value: "first" },
        { op: "set", path: ["note"], value: "Spec linting in CI # and docs" },
        { op: "set", path: ["billable"], value: false },
        { op: "unset", path: ["billable"] },
      ]),
    ).toEqual(["-6 note: Spec linting in CI", '+6 note: "Spec linting in CI # and docs"']);
  });
});

describe("editYaml on trackdown.yml", () => {
  it("sets nested keys and items of a list of mappings", () => {
    expect(diffOf(CONFIG, [{ op: "set", path: ["workflow", "initial"], value: "todo" }])).toEqual([
      "-41   initial: backlog",
      "+41   initial: todo",
    ]);
    expect(
      diffOf(CONFIG, [{ op: "set", path: ["workflow", "statuses", 2, "wip_limit"], value: 5 }]),
    ).toEqual(["-24       wip_limit: 6", "+24       wip_limit: 5"]);
    expect(
      diffOf(CONFIG, [{ op: "set", path: ["workflow", "statuses", 0, "wip_limit"], value: 10 }]),
    ).toEqual(["+17       wip_limit: 10"]);
  });

  it("keeps quoting: a double-quoted colour stays double-quoted, a quoted key stays quoted", () => {
    expect(
      diffOf(CONFIG, [{ op: "set", path: ["labels", "bug", "color"], value: "#ff0000" }]),
    ).toEqual(['-58     color: "#d73a4a"', '+58     color: "#ff0000"']);
    expect(
      diffOf(CONFIG, [{ op: "add", path: ["workflow", "transitions", "*"], value: "todo" }]),
    ).toEqual(['-50     "*": [backlog]', '+50     "*": [backlog, todo]']);
  });

  it("adds to a block list with its indentation and removes an item's line", () => {
    expect(
      diffOf(CONFIG, [{ op: "add", path: ["roles", "guest", "permissions"], value: "task:edit" }]),
    ).toEqual(["+121       - task:edit"]);
    expect(
      diffOf(CONFIG, [
        { op: "remove", path: ["roles", "lead", "permissions"], value: "teams:edit" },
      ]),
    ).toEqual(["-106       - teams:edit"]);
    expect(diffOf(CONFIG, [{ op: "add", path: ["priorities"], value: "none" }])).toEqual([
      "-53 priorities: [urgent, high, medium, low]",
      "+53 priorities: [urgent, high, medium, low, none]",
    ]);
  });

  it("unsets a nested mapping with all its lines, and a new top-level key goes before the closing comment", () => {
    expect(diffOf(CONFIG, [{ op: "unset", path: ["labels", "a11y"] }])).toEqual([
      "-86   a11y:",
      "-87     description: Accessibility",
      '-88     color: "#7057ff"',
    ]);
    const before = acme(CONFIG);
    const after = edited(editYaml(before, [{ op: "set", path: ["week_starts"], value: "monday" }]));
    expect(after).toBe(`${before}week_starts: monday\n`);
  });

  it("writes a new mapping in block style at the mapping's indentation", () => {
    expect(
      diffOf(CONFIG, [
        {
          op: "set",
          path: ["labels", "research"],
          value: { description: "Spikes: questions before answers", color: "#bfd4f2" },
        },
      ]),
    ).toEqual([
      "+89   research:",
      '+90     description: "Spikes: questions before answers"',
      '+91     color: "#bfd4f2"',
    ]);
  });

  it("keeps CRLF line endings, in the lines it writes too", () => {
    const edits: FieldEdit[] = [
      { op: "add", path: ["roles", "guest", "permissions"], value: "task:edit" },
      { op: "set", path: ["labels", "wontfix"], value: { color: "#ffffff" } },
      { op: "set", path: ["workflow", "initial"], value: "todo" },
    ];
    const lf = edited(editYaml(acme(CONFIG), edits));
    const crlf = edited(editYaml(acme(CONFIG).replaceAll("\n", "\r\n"), edits));
    expect(crlf).toBe(lf.replaceAll("\n", "\r\n"));
    expect(lf).toContain("\n  initial: todo\n");
    expect(lf).toContain('\n  wontfix:\n    color: "#ffffff"\n\nroles:\n');
    expect(lf).toContain("\n      - task:create\n      - task:edit\n\n# Role");
  });
});
