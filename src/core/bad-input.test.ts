import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { fsSource } from "../node/fs-source.js";
import { REPO_ROOT, tempDir } from "../test-support/temp.js";
import type { DiagnosticCode, Severity } from "./diagnostics/codes.js";
import type { Diagnostic } from "./diagnostics/diagnostic.js";
import type { Tracker } from "./model.js";
import { openTracker } from "./open-tracker.js";
import { memorySource, type Source } from "./source.js";

// Every kind of bad input a person (or an attacker) can put in a tracker. For each one:
// the right code, file, position and severity; the rest of the tracker still loads; and
// openTracker resolves instead of throwing.

type Files = Record<string, string | Uint8Array>;

const CONFIG = `version: 1
key: demo
name: Demo
workflow:
  statuses:
    - { id: todo, category: todo }
    - { id: doing, category: in-progress, wip_limit: 1, required: [assignees] }
    - { id: review, category: in-progress, required: [estimate] }
    - { id: done, category: done }
labels:
  bug: { color: "#d73a4a" }
  frontend: {}
roles:
  admin: { permissions: ["*"] }
  member: { permissions: [task:create] }
`;

const GOOD_TASK = "projects/web/tasks/WEB-1-good.md";

/** A small clean tracker; each test adds or replaces files in it. */
const BASE: Files = {
  "trackdown.yml": CONFIG,
  "people/ana.yml": "name: Ana\n",
  "teams/web.yml": "name: Web\nmembers: [ana]\n",
  "projects/web/project.md": "---\nkey: WEB\nname: Web\n---\nThe website.\n",
  "projects/web/milestones/beta.md": "---\ntitle: Beta\n---\n",
  [GOOD_TASK]: "---\nid: WEB-1\ntitle: Good\nstatus: todo\n---\nA task with nothing wrong.\n",
};

/** The file most tests break. */
const TASK = "projects/web/tasks/WEB-2.md";

/** Opens a source, failing the test if openTracker rejects instead of resolving. */
async function openOk(source: Source): Promise<Tracker> {
  const opening = openTracker(source);
  await expect(opening).resolves.toBeDefined();
  return opening;
}

/** Opens BASE with `files` added (a file set to `null` is left out). */
function open(files: Record<string, string | Uint8Array | null>): Promise<Tracker> {
  const all: Files = {};
  for (const [path, content] of Object.entries({ ...BASE, ...files })) {
    if (content !== null) all[path] = content;
  }
  return openOk(memorySource(all));
}

/** Writes files into a folder, creating sub-folders. */
function writeTree(root: string, files: Files): void {
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, ...path.split("/"));
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
}

/** A temporary folder holding BASE plus `files`. */
function trackerOnDisk(files: Files = {}): string {
  const dir = tempDir("trackdown-bad-input-");
  writeTree(dir, { ...BASE, ...files });
  return dir;
}

/** 1-based line and column of `needle` in `text` (searching from `after`, if given). */
function where(text: string, needle: string, after?: string): { line: number; column: number } {
  const clean = text.replace(/^\uFEFF/, "");
  const start = after === undefined ? 0 : clean.indexOf(after);
  const index = clean.indexOf(needle, Math.max(start, 0));
  if (start === -1 || index === -1) throw new Error(`"${needle}" is not in the text`);
  const before = clean.slice(0, index);
  return { line: before.split("\n").length, column: index - (before.lastIndexOf("\n") + 1) + 1 };
}

const listed = (tracker: Tracker) =>
  tracker.diagnostics
    .map((d) => `${d.file}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`)
    .join("\n") || "(no diagnostics)";

/** The first diagnostic with this code in this file; fails the test when there is none. */
function problem(tracker: Tracker, code: DiagnosticCode, file: string): Diagnostic {
  const found = tracker.diagnostics.find((d) => d.code === code && d.file === file);
  expect(found, `expected ${code} in ${file}, got:\n${listed(tracker)}`).toBeDefined();
  return found!;
}

/** Asserts a diagnostic's code, file, severity and position, and returns it. */
function expectProblem(
  tracker: Tracker,
  expected: {
    code: DiagnosticCode;
    file: string;
    severity: Severity;
    at: { line: number; column?: number };
  },
): Diagnostic {
  const d = problem(tracker, expected.code, expected.file);
  expect(d.severity).toBe(expected.severity);
  expect(d.line, `line of ${d.code}: ${d.message}`).toBe(expected.at.line);
  if (expected.at.column !== undefined) {
    expect(d.column, `column of ${d.code}: ${d.message}`).toBe(expected.at.column);
  }
  return d;
}

/** The good parts of BASE are still there. */
function expectRestLoaded(tracker: Tracker): void {
  expect(tracker.task("WEB-1")?.title, listed(tracker)).toBe("Good");
  expect(tracker.tasks.map((t) => t.id)).toContain("WEB-1");
  expect(tracker.person("ana")?.name).toBe("Ana");
  expect(tracker.project("WEB")?.name).toBe("Web");
}

/** A task file with the given extra front-matter lines. */
const task = (id: string, extra = "", status = "todo") =>
  `---\nid: ${id}\ntitle: Task ${id}\nstatus: ${status}\n${extra}---\nBody of ${id}.\n`;

describe("a file that is not valid YAML", () => {
  it("reports TD013 at the offending value and still loads the other tasks", async () => {
    const text = "---\nid: WEB-2\ntitle: a: b\nstatus: todo\n---\n";
    const tracker = await open({ [TASK]: text });
    expectProblem(tracker, {
      code: "TD013",
      file: TASK,
      severity: "error",
      at: where(text, "a: b"),
    });
    expectRestLoaded(tracker);
  });

  it("reports TD013 in a plain YAML file (a person) at the stray bracket", async () => {
    const text = "name: Ben\nroles: [admin]]\n";
    const tracker = await open({ "people/ben.yml": text });
    expectProblem(tracker, {
      code: "TD013",
      file: "people/ben.yml",
      severity: "error",
      at: where(text, "]\n"),
    });
    expect(tracker.person("ben")).toBeUndefined();
    expectRestLoaded(tracker);
  });

  it("points an unclosed quote at the line where the quote opens, not at the closing ---", async () => {
    const text = '---\nid: WEB-2\ntitle: "Broken\nstatus: todo\n---\nBody.\n';
    const tracker = await open({ [TASK]: text });
    const d = problem(tracker, "TD013", TASK);
    expect(d.severity).toBe("error");
    expect(d.line, d.message).toBe(where(text, '"Broken').line);
    expectRestLoaded(tracker);
  });
});

describe("front matter", () => {
  it("reports a Markdown task without front matter as TD010 on its first line", async () => {
    const text = "# Login page\n\nSome text.\n";
    const tracker = await open({ [TASK]: text });
    expectProblem(tracker, { code: "TD010", file: TASK, severity: "error", at: { line: 1 } });
    expect(tracker.task("WEB-2")).toBeUndefined();
    expectRestLoaded(tracker);
  });

  it("reports front matter that is never closed as TD011 at the opening ---", async () => {
    const text = "---\nid: WEB-2\ntitle: Login\nstatus: todo\n\nBody text.\n";
    const tracker = await open({ [TASK]: text });
    expectProblem(tracker, {
      code: "TD011",
      file: TASK,
      severity: "error",
      at: { line: 1, column: 1 },
    });
    expectRestLoaded(tracker);
  });

  it.each([
    ["js", "{ id: 'WEB-2', title: (globalThis.__pwned = true), status: 'todo' }"],
    ["javascript", "module.exports = (globalThis.__pwned = true)"],
    ["coffee", "globalThis.__pwned = true"],
  ])("refuses ---%s front matter with TD012 and never runs it", async (language, code) => {
    const text = `---${language}\n${code}\n---\nBody.\n`;
    const tracker = await open({ [TASK]: text });
    expectProblem(tracker, {
      code: "TD012",
      file: TASK,
      severity: "error",
      at: { line: 1, column: 4 },
    });
    expect((globalThis as { __pwned?: unknown }).__pwned).toBeUndefined();
    expect(tracker.task("WEB-2")).toBeUndefined();
    expectRestLoaded(tracker);
  });
});

describe("duplicate keys and tabs", () => {
  it("reports a key written twice as TD014 on the second one", async () => {
    const text = "---\nid: WEB-2\ntitle: First\nstatus: todo\ntitle: Second\n---\n";
    const tracker = await open({ [TASK]: text });
    expectProblem(tracker, {
      code: "TD014",
      file: TASK,
      severity: "error",
      at: where(text, "title: Second"),
    });
    expectRestLoaded(tracker);
  });

  it("reports a duplicate key in a person file", async () => {
    const text = "name: Ben\nemail: ben@acme.example\nname: Benjamin\n";
    const tracker = await open({ "people/ben.yml": text });
    expectProblem(tracker, {
      code: "TD014",
      file: "people/ben.yml",
      severity: "error",
      at: where(text, "name: Benjamin"),
    });
    expectRestLoaded(tracker);
  });

  it("reports a tab used for indentation as TD015 on that line", async () => {
    const text = "---\nid: WEB-2\ntitle: Tabs\nstatus: todo\nlabels:\n\t- bug\n---\n";
    const tracker = await open({ [TASK]: text });
    expectProblem(tracker, {
      code: "TD015",
      file: TASK,
      severity: "error",
      at: { line: 6, column: 1 },
    });
    expectRestLoaded(tracker);
  });

  it("reports tabs in a team file", async () => {
    const text = "name: Ops\nmembers:\n\t- ana\n";
    const tracker = await open({ "teams/ops.yml": text });
    expectProblem(tracker, {
      code: "TD015",
      file: "teams/ops.yml",
      severity: "error",
      at: { line: 3, column: 1 },
    });
    expectRestLoaded(tracker);
  });
});

describe("a byte-order mark and CRLF line endings", () => {
  const windows = (text: string) => `\uFEFF${text.replace(/\n/g, "\r\n")}`;

  it("load clean in every kind of file", async () => {
    const files: Files = {};
    for (const [path, content] of Object.entries(BASE)) {
      files[path] = windows(content as string);
    }
    files[TASK] = windows(task("WEB-2", "assignees: [ana]\nlabels: [bug]\n", "doing"));
    files["time/2026-11/2026-11-27-ana-WEB-2-k2x9.yml"] = windows(
      "person: ana\ntask: WEB-2\ndate: 2026-11-27\nduration: 1h30m\n",
    );
    const tracker = await openOk(memorySource(files));
    expect(tracker.diagnostics, listed(tracker)).toEqual([]);
    expect(tracker.task("WEB-2")).toMatchObject({
      title: "Task WEB-2",
      status: "doing",
      assignees: ["ana"],
    });
    expect(tracker.task("WEB-2")?.body.trim()).toBe("Body of WEB-2.");
    expect(tracker.settings.statuses.map((s) => s.id)).toEqual(["todo", "doing", "review", "done"]);
    expect(tracker.timeEntries[0]?.minutes).toBe(90);
    expectRestLoaded(tracker);
  });

  it("keep line and column numbers right for a mistake in a CRLF file", async () => {
    const text = windows(task("WEB-2", "assignees: [anna]\n"));
    const tracker = await open({ [TASK]: text });
    expectProblem(tracker, {
      code: "TD201",
      file: TASK,
      severity: "error",
      at: { line: 5, column: 13 },
    });
    expectRestLoaded(tracker);
  });

  it("keep line numbers right for a YAML error in a CRLF file", async () => {
    const text = windows("name: Ben\nemail: ben@acme.example\nname: Benjamin\n");
    const tracker = await open({ "people/ben.yml": text });
    expectProblem(tracker, {
      code: "TD014",
      file: "people/ben.yml",
      severity: "error",
      at: { line: 3, column: 1 },
    });
    expectRestLoaded(tracker);
  });
});

describe("bytes that are not UTF-8 text", () => {
  const latin1 = (text: string) => Uint8Array.from(Buffer.from(text, "latin1"));

  it("reports TD002 at the first bad byte", async () => {
    const tracker = await open({ "people/jose.yml": latin1("name: José\n") });
    expectProblem(tracker, {
      code: "TD002",
      file: "people/jose.yml",
      severity: "error",
      at: { line: 1, column: 10 },
    });
    expect(tracker.person("jose")).toBeUndefined();
    expectRestLoaded(tracker);
  });

  it("reports TD002 on the right line of a task read from disk", async () => {
    const text = task("WEB-2", "labels: [café]\n");
    const dir = trackerOnDisk({ [TASK]: latin1(text) });
    const tracker = await openOk(fsSource(dir));
    expectProblem(tracker, {
      code: "TD002",
      file: TASK,
      severity: "error",
      at: where(text, "é"),
    });
    expectRestLoaded(tracker);
  });

  it("reports a UTF-16 file (as Windows Notepad may save it) as not UTF-8, not as binary", async () => {
    const utf16 = Uint8Array.from(
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("name: Ben\n", "utf16le")]),
    );
    const tracker = await open({ "people/ben.yml": utf16 });
    expectProblem(tracker, {
      code: "TD002",
      file: "people/ben.yml",
      severity: "error",
      at: { line: 1 },
    });
    expectRestLoaded(tracker);
  });
});

describe("empty files", () => {
  it.each([
    ["an empty task", TASK, ""],
    ["a whitespace-only task", TASK, "  \n\t\n\n"],
    ["an empty person", "people/ben.yml", ""],
    ["a whitespace-only team", "teams/ops.yml", "\n   \n"],
    ["an empty time entry", "time/2026-11/2026-11-27-ana-WEB-1-k2x9.yml", ""],
  ])("reports %s as TD005", async (_what, file, content) => {
    const tracker = await open({ [file]: content });
    expectProblem(tracker, { code: "TD005", file, severity: "error", at: { line: 1 } });
    expect(tracker.diagnostics.filter((d) => d.file === file)).toHaveLength(1);
    expectRestLoaded(tracker);
  });

  it("reports an empty trackdown.yml as TD005 and uses the default workflow", async () => {
    const tracker = await open({ "trackdown.yml": "" });
    expectProblem(tracker, {
      code: "TD005",
      file: "trackdown.yml",
      severity: "error",
      at: { line: 1 },
    });
    expect(tracker.settings.statuses.map((s) => s.id)).toContain("todo");
    expectRestLoaded(tracker);
  });
});

describe("large and binary files", () => {
  it("reports a 10 MB task file as TD004 without parsing it", async () => {
    const huge = `${task("WEB-2")}${"A very long log line.\n".repeat(500_000)}`;
    expect(huge.length).toBeGreaterThan(10 * 1000 * 1000);
    const dir = trackerOnDisk({ [TASK]: huge });
    const started = performance.now();
    const tracker = await openOk(fsSource(dir));
    expect(performance.now() - started).toBeLessThan(5000);
    expectProblem(tracker, { code: "TD004", file: TASK, severity: "error", at: { line: 1 } });
    expect(tracker.task("WEB-2")).toBeUndefined();
    expectRestLoaded(tracker);
  });

  it("reports a .md file holding NUL bytes as TD003, and accepts a PNG under files/", async () => {
    const png = Uint8Array.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
      0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00,
    ]);
    const dir = trackerOnDisk({
      [TASK]: png,
      "files/WEB-1/logo.png": png,
      [GOOD_TASK]: task("WEB-1", "attachments: [files/WEB-1/logo.png]\n").replace(
        "Task WEB-1",
        "Good",
      ),
    });
    const tracker = await openOk(fsSource(dir));
    expectProblem(tracker, { code: "TD003", file: TASK, severity: "error", at: { line: 1 } });
    expect(tracker.diagnostics.map((d) => `${d.code} ${d.file}`)).toEqual([`TD003 ${TASK}`]);
    expect(tracker.attachments).toContain("files/WEB-1/logo.png");
    expect(tracker.task("WEB-1")?.attachments).toEqual([{ path: "files/WEB-1/logo.png" }]);
    expectRestLoaded(tracker);
  });
});

describe("YAML aliases", () => {
  const laughs = (() => {
    const lines = ["lol0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
    for (let i = 1; i <= 9; i++) {
      const alias = `*a${i - 1}`;
      lines.push(`lol${i}: &a${i} [${Array(9).fill(alias).join(", ")}]`);
    }
    return lines.join("\n");
  })();

  it("refuses a billion-laughs document with TD017, quickly", async () => {
    const text = `name: Ben\n${laughs}\n`;
    const started = performance.now();
    const tracker = await open({ "people/ben.yml": text });
    expect(performance.now() - started).toBeLessThan(2000);
    const d = problem(tracker, "TD017", "people/ben.yml");
    expect(d.severity).toBe("error");
    expect(tracker.person("ben")).toBeUndefined();
    expectRestLoaded(tracker);
  });

  it("refuses a billion-laughs front matter quickly, pointing at a line that uses aliases", async () => {
    const text = `---\nid: WEB-2\ntitle: Bomb\nstatus: todo\n${laughs}\n---\n`;
    const started = performance.now();
    const tracker = await open({ [TASK]: text });
    expect(performance.now() - started).toBeLessThan(2000);
    const d = problem(tracker, "TD017", TASK);
    expect(d.severity).toBe("error");
    const line = text.split("\n")[d.line - 1] ?? "";
    expect(line, `TD017 points at line ${d.line}`).toContain("*a");
    expectRestLoaded(tracker);
  });

  it("still reads a document with a few anchors and aliases", async () => {
    const text = "---\nid: WEB-2\ntitle: Shared\nstatus: todo\nlabels: &l [bug]\nx_copy: *l\n---\n";
    const tracker = await open({ [TASK]: text });
    expect(tracker.diagnostics.map((d) => d.code)).toEqual(["TD104"]);
    expect(tracker.task("WEB-2")?.labels).toEqual(["bug"]);
    expect(tracker.task("WEB-2")?.fields.x_copy).toEqual(["bug"]);
  });
});

describe("keys that could change how JavaScript reads the data", () => {
  it("refuses __proto__, constructor and prototype with TD018 and pollutes nothing", async () => {
    const text =
      "name: Ben\n__proto__:\n  polluted: true\nconstructor: { polluted: true }\nprototype:\n  polluted: true\n";
    const taskText = task("WEB-2", "notes:\n  __proto__: { polluted: true }\n");
    const tracker = await open({ "people/ben.yml": text, [TASK]: taskText });
    for (const key of ["__proto__", "constructor", "prototype"]) {
      const d = tracker.diagnostics.find(
        (x) => x.code === "TD018" && x.file === "people/ben.yml" && x.message.includes(key),
      );
      expect(d, `TD018 for ${key}:\n${listed(tracker)}`).toBeDefined();
      expect(d?.severity).toBe("error");
      expect({ line: d?.line, column: d?.column }).toEqual(where(text, `${key}:`));
    }
    expectProblem(tracker, {
      code: "TD018",
      file: TASK,
      severity: "error",
      at: where(taskText, "__proto__"),
    });
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
    const ben = tracker.person("ben");
    expect(ben?.name).toBe("Ben");
    expect(Object.getOwnPropertyNames(ben?.fields)).toEqual(["name"]);
    expect(Object.getPrototypeOf(ben?.fields)).toBe(Object.prototype);
    expect(Object.getOwnPropertyNames(tracker.task("WEB-2")?.fields.notes)).toEqual([]);
    expectRestLoaded(tracker);
  });

  it("refuses a __proto__ key spelt with a YAML escape (\\u0074) too", async () => {
    const text = task("WEB-2", '"__pro\\u0074o__": { polluted: true }\n');
    const tracker = await open({ [TASK]: text });
    expectProblem(tracker, {
      code: "TD018",
      file: TASK,
      severity: "error",
      at: where(text, '"__pro'),
    });
    const fields = tracker.task("WEB-2")?.fields ?? {};
    expect(Object.getOwnPropertyNames(fields)).not.toContain("__proto__");
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expectRestLoaded(tracker);
  });

  it("refuses an escaped __proto__ role in trackdown.yml and leaves the roles' prototype alone", async () => {
    const config = `${CONFIG.replace(/roles:[\s\S]*$/, "")}roles:\n  "__pro\\u0074o__": { permissions: [task:create] }\n  member: { permissions: [task:edit] }\n`;
    const tracker = await open({ "trackdown.yml": config });
    expectProblem(tracker, {
      code: "TD018",
      file: "trackdown.yml",
      severity: "error",
      at: where(config, '"__pro'),
    });
    expect([null, Object.prototype]).toContain(Object.getPrototypeOf(tracker.settings.roles));
    expect("permissions" in tracker.settings.roles).toBe(false);
    expect(Object.keys(tracker.settings.roles)).toEqual(["member"]);
    expectRestLoaded(tracker);
  });
});

describe("custom YAML tags", () => {
  it.each([
    ["!!js/function", "!!js/function 'function () { globalThis.__tagged = true }'"],
    ["!!js/regexp", "!!js/regexp /Europe\\/.*/"],
    ["!foo", "!foo Europe/Berlin"],
    ["!!python/object", "!!python/object:os.system { cmd: 'touch /tmp/pwned' }"],
    ["!!python/object/apply", "!!python/object/apply:os.system ['touch /tmp/pwned']"],
  ])("refuses %s with TD016 on its line and never runs it", async (tag, value) => {
    const text = `name: Ben\ntimezone: ${value}\n`;
    const tracker = await open({ "people/ben.yml": text });
    const d = expectProblem(tracker, {
      code: "TD016",
      file: "people/ben.yml",
      severity: "error",
      at: { line: 2 },
    });
    expect(d.message).toContain(tag);
    expect((globalThis as { __tagged?: unknown }).__tagged).toBeUndefined();
    expect(tracker.person("ben")?.name).toBe("Ben");
    expect(tracker.person("ben")?.timezone).toBeUndefined();
    expectRestLoaded(tracker);
  });
});

describe("symbolic links that leave the tracker", () => {
  it("reports TD007 for links in files/ and people/ and never reads them", async () => {
    const dir = trackerOnDisk({
      [TASK]: task("WEB-2", "attachments: [files/passwd]\n"),
    });
    mkdirSync(join(dir, "files"));
    symlinkSync("/etc/passwd", join(dir, "files", "passwd"), "file");
    symlinkSync("/etc/passwd", join(dir, "people", "root.yml"), "file");
    const source = fsSource(dir);
    const reads: string[] = [];
    const tracker = await openOk({
      description: source.description,
      list: () => source.list(),
      read: (path) => {
        reads.push(path);
        return source.read(path);
      },
    });
    for (const file of ["files/passwd", "people/root.yml"]) {
      expectProblem(tracker, { code: "TD007", file, severity: "error", at: { line: 1 } });
    }
    expect(reads).not.toContain("files/passwd");
    expect(reads).not.toContain("people/root.yml");
    expect(tracker.person("root")).toBeUndefined();
    expect(tracker.attachments).not.toContain("files/passwd");
    expect(tracker.diagnostics.some((d) => /root:/.test(d.message))).toBe(false);
    const text = task("WEB-2", "attachments: [files/passwd]\n");
    expectProblem(tracker, {
      code: "TD208",
      file: TASK,
      severity: "error",
      at: where(text, "files/passwd"),
    });
    expectRestLoaded(tracker);
  });
});

describe("attachment paths that leave the tracker", () => {
  it.each(["../../etc/passwd", "/etc/passwd", "files/../../x", "C:/Windows/win.ini"])(
    "reports %s as TD208 at the path",
    async (path) => {
      const text = task("WEB-2", `attachments:\n  - files/ok.png\n  - ${JSON.stringify(path)}\n`);
      const tracker = await open({ [TASK]: text, "files/ok.png": "png" });
      expectProblem(tracker, {
        code: "TD208",
        file: TASK,
        severity: "error",
        at: where(text, JSON.stringify(path)),
      });
      expect(tracker.diagnostics.filter((d) => d.file === TASK)).toHaveLength(1);
      expect(tracker.task("WEB-2")?.title).toBe("Task WEB-2");
      expectRestLoaded(tracker);
    },
  );

  it("reports TD208 at the path of an attachment written as an object", async () => {
    const text = task("WEB-2", "attachments:\n  - { path: ../secret.txt, title: Secret }\n");
    const tracker = await open({ [TASK]: text });
    expectProblem(tracker, {
      code: "TD208",
      file: TASK,
      severity: "error",
      at: where(text, "../secret.txt"),
    });
    expectRestLoaded(tracker);
  });
});

// ---------------------------------------------------------------------------------------
// Wrong types for every field of every kind, driven by schemas/*.schema.json: adding a
// field to a schema adds a case here.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
type Segment = string | number;

interface Subject {
  /** The record file that gets the wrong value. */
  readonly file: string;
  /** Whether the file is Markdown with front matter. */
  readonly frontMatter: boolean;
  /** A valid record with every field set. */
  readonly valid: JsonObject;
  /** Whether the record is still in the snapshot. */
  readonly loaded: (tracker: Tracker) => unknown;
}

const VALID_CONFIG: JsonObject = {
  version: 1,
  key: "demo",
  name: "Demo",
  timezone: "Europe/Berlin",
  hours_per_day: 8,
  estimate_unit: "points",
  workflow: {
    statuses: [
      {
        id: "doing",
        name: "Doing",
        category: "in-progress",
        wip_limit: 5,
        required: ["assignees"],
        description: "Someone is on it.",
      },
      { id: "todo", name: "To do", category: "todo" },
      { id: "done", name: "Done", category: "done" },
    ],
    initial: "todo",
    transitions: { todo: ["done"], "*": ["todo"] },
  },
  priorities: ["urgent", "high", "medium", "low"],
  labels: { bug: { description: "Something is broken", color: "#d73a4a" } },
  roles: { admin: { description: "Everything", permissions: ["*"] } },
  default_role: "admin",
};

const SUBJECTS: Record<string, Subject> = {
  config: {
    file: "trackdown.yml",
    frontMatter: false,
    valid: VALID_CONFIG,
    loaded: (t) => t.settings,
  },
  person: {
    file: "people/cy.yml",
    frontMatter: false,
    valid: {
      name: "Cy",
      email: "cy@acme.example",
      github: "cy-dev",
      roles: ["admin"],
      capacity: 32,
      timezone: "UTC",
      active: true,
    },
    loaded: (t) => t.person("cy"),
  },
  team: {
    file: "teams/ops.yml",
    frontMatter: false,
    valid: {
      name: "Ops",
      description: "Keeps things running.",
      lead: "ana",
      members: ["ana"],
      roles: ["admin"],
    },
    loaded: (t) => t.team("ops"),
  },
  project: {
    file: "projects/api/project.md",
    frontMatter: true,
    valid: {
      key: "API",
      name: "Api",
      status: "active",
      lead: "ana",
      team: "web",
      start: "2026-09-01",
      target: "2026-12-18",
    },
    loaded: (t) => t.projects.find((p) => p.folder === "api"),
  },
  milestone: {
    file: "projects/web/milestones/gamma.md",
    frontMatter: true,
    valid: { title: "Gamma", status: "planned", start: "2026-10-01", due: "2026-11-15" },
    loaded: (t) => t.milestone("gamma"),
  },
  task: {
    file: TASK,
    frontMatter: true,
    valid: {
      id: "WEB-2",
      title: "Every field",
      status: "todo",
      assignees: ["ana"],
      priority: "high",
      estimate: 3,
      labels: ["bug"],
      milestone: "beta",
      parent: "WEB-1",
      depends_on: ["WEB-1"],
      start: "2026-11-02",
      due: "2026-11-20",
      created: "2026-10-28",
      attachments: ["files/a.png", { path: "files/b.pdf", title: "Spec" }],
    },
    loaded: (t) => t.tasks.find((x) => x.file === TASK),
  },
  "time-entry": {
    file: "time/2026-11/2026-11-27-ana-WEB-1-k2x9.yml",
    frontMatter: false,
    valid: {
      person: "ana",
      task: "WEB-1",
      date: "2026-11-27",
      duration: "1h30m",
      note: "Paired",
      billable: true,
    },
    loaded: (t) => t.timeEntries.find((e) => e.id === "2026-11-27-ana-WEB-1-k2x9"),
  },
};

const pointer = (path: readonly Segment[]) =>
  path.map((p) => `/${String(p).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");

const isObject = (v: unknown): v is JsonObject =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Writes data as block YAML, one field per line (scalars and lists of scalars as JSON, which
 * is YAML flow), and records the line of every field and list item.
 */
function toYaml(data: JsonObject): { text: string; lineOf: Map<string, number> } {
  const lines: string[] = [];
  const lineOf = new Map<string, number>();
  const key = (k: string) => (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? k : JSON.stringify(k));
  const mapping = (obj: JsonObject, indent: number, path: Segment[], firstPrefix?: string) => {
    Object.entries(obj).forEach(([k, v], i) => {
      const prefix = i === 0 && firstPrefix !== undefined ? firstPrefix : " ".repeat(indent);
      const p = [...path, k];
      lineOf.set(pointer(p), lines.length + 1);
      if (isObject(v) && Object.keys(v).length > 0) {
        lines.push(`${prefix}${key(k)}:`);
        mapping(v, indent + 2, p);
      } else if (Array.isArray(v) && v.some(isObject)) {
        lines.push(`${prefix}${key(k)}:`);
        v.forEach((item, j) => {
          lineOf.set(pointer([...p, j]), lines.length + 1);
          const dash = `${" ".repeat(indent + 2)}- `;
          if (isObject(item) && Object.keys(item).length > 0)
            mapping(item, indent + 4, [...p, j], dash);
          else lines.push(`${dash}${JSON.stringify(item)}`);
        });
      } else {
        lines.push(`${prefix}${key(k)}: ${JSON.stringify(v)}`);
        if (Array.isArray(v)) {
          for (let j = 0; j < v.length; j++) lineOf.set(pointer([...p, j]), lines.length);
        }
      }
    });
  };
  mapping(data, 0, []);
  return { text: `${lines.join("\n")}\n`, lineOf };
}

/** A copy of `data` with the value at `path` replaced. */
function withValue(data: JsonObject, path: readonly Segment[], value: Json): JsonObject {
  const copy = structuredClone(data);
  let node: Json = copy;
  path.forEach((segment, i) => {
    const container = node as Record<string, Json> & Json[];
    if (i === path.length - 1) {
      (container as Record<Segment, Json>)[segment] = value;
      return;
    }
    if ((container as Record<Segment, Json>)[segment] === undefined) {
      (container as Record<Segment, Json>)[segment] = typeof path[i + 1] === "number" ? [] : {};
    }
    node = (container as Record<Segment, Json>)[segment] as Json;
  });
  return copy;
}

function valueAt(data: Json, path: readonly Segment[]): Json | undefined {
  let node: Json | undefined = data;
  for (const segment of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<Segment, Json>)[segment];
  }
  return node;
}

interface SchemaNode {
  $ref?: string;
  type?: string | string[];
  const?: Json;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  oneOf?: SchemaNode[];
}

/** A value of a type the schema does not accept. */
function wrongValue(schema: SchemaNode): Json {
  if (schema.const !== undefined) return typeof schema.const === "number" ? "one" : 42;
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "array":
      return "ana";
    case "object":
      return ["x"];
    case "number":
    case "integer":
      return "many";
    case "boolean":
      return "maybe";
    default:
      return 42; // strings, and unions of strings and objects
  }
}

interface FieldCase {
  readonly kind: string;
  /** For the test name, e.g. `task.assignees[0]`. */
  readonly name: string;
  readonly path: readonly Segment[];
  readonly wrong: Json;
}

/** Every property (and list item) of a schema, nested ones included, with a wrong value. */
function fieldCases(kind: string, root: SchemaNode, valid: JsonObject): FieldCase[] {
  const out: FieldCase[] = [];
  const resolve = (s: SchemaNode): SchemaNode => {
    if (s.$ref === undefined) return s;
    const name = s.$ref.replace(/^#\/\$defs\//, "");
    const defs = (root as { $defs?: Record<string, SchemaNode> }).$defs ?? {};
    const target = defs[name];
    if (target === undefined) throw new Error(`${kind}: unresolved ${s.$ref}`);
    return resolve(target);
  };
  const add = (path: Segment[], schema: SchemaNode) => {
    const s = resolve(schema);
    out.push({
      kind,
      name: `${kind}${path.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("")}`,
      path,
      wrong: wrongValue(s),
    });
    walk(path, s);
  };
  const walk = (path: Segment[], schema: SchemaNode) => {
    const s = resolve(schema);
    const here = valueAt(valid, path);
    for (const [name, sub] of Object.entries(s.properties ?? {})) add([...path, name], sub);
    if (isObject(s.additionalProperties)) {
      const sample = isObject(here) ? Object.keys(here)[0] : undefined;
      if (sample === undefined) throw new Error(`${kind}: give ${pointer(path)} a sample entry`);
      add([...path, sample], s.additionalProperties);
    }
    if (s.items !== undefined) {
      if (!Array.isArray(here) || here.length === 0)
        throw new Error(`${kind}: give ${pointer(path)} a sample item`);
      add([...path, 0], s.items);
    }
    for (const branch of s.oneOf ?? []) {
      const b = resolve(branch);
      if (b.properties === undefined || !Array.isArray(valueAt(valid, path.slice(0, -1)))) continue;
      const list = valueAt(valid, path.slice(0, -1)) as Json[];
      const index = list.findIndex(isObject);
      if (index === -1) throw new Error(`${kind}: give ${pointer(path)} an object item`);
      for (const [name, sub] of Object.entries(b.properties))
        add([...path.slice(0, -1), index, name], sub);
    }
  };
  walk([], root);
  return out;
}

const SCHEMA_DIR = join(REPO_ROOT, "schemas");
const SCHEMA_FILES = readdirSync(SCHEMA_DIR).filter((f) => f.endsWith(".schema.json"));
const FIELD_CASES = SCHEMA_FILES.flatMap((file) => {
  const kind = file.replace(/\.schema\.json$/, "");
  const subject = SUBJECTS[kind];
  if (subject === undefined) return [];
  const schema = JSON.parse(readFileSync(join(SCHEMA_DIR, file), "utf8")) as SchemaNode;
  return fieldCases(kind, schema, subject.valid);
});

describe("a field of the wrong type", () => {
  it("has a subject file for every schema in schemas/", () => {
    expect(SCHEMA_FILES.length).toBeGreaterThanOrEqual(7);
    for (const file of SCHEMA_FILES) {
      expect(SUBJECTS[file.replace(/\.schema\.json$/, "")], file).toBeDefined();
    }
  });

  it("starts from records that are valid as written", async () => {
    const files: Files = { "files/a.png": "png", "files/b.pdf": "pdf" };
    for (const subject of Object.values(SUBJECTS)) {
      const { text } = toYaml(subject.valid);
      files[subject.file] = subject.frontMatter ? `---\n${text}---\nBody.\n` : text;
    }
    const tracker = await open(files);
    expect(tracker.diagnostics, listed(tracker)).toEqual([]);
  });

  it.each(FIELD_CASES)(
    "$name = $wrong is reported on its own line",
    async ({ kind, path, wrong }) => {
      const subject = SUBJECTS[kind]!;
      const { text, lineOf } = toYaml(withValue(subject.valid, path, wrong));
      const offset = subject.frontMatter ? 1 : 0;
      const content = subject.frontMatter ? `---\n${text}---\nBody.\n` : text;
      const tracker = await open({
        [subject.file]: content,
        "files/a.png": "png",
        "files/b.pdf": "pdf",
      });
      const ptr = pointer(path);
      const d = tracker.diagnostics.find(
        (x) =>
          x.file === subject.file && (x.code === "TD102" || x.code === "TD103") && x.path === ptr,
      );
      expect(d, `TD102/TD103 at ${ptr} in\n${content}\ngot:\n${listed(tracker)}`).toBeDefined();
      expect(d?.severity).toBe("error");
      expect(d?.line, d?.message).toBe(lineOf.get(ptr)! + offset);
      expect(subject.loaded(tracker), "the broken record still loads").toBeDefined();
      expect(tracker.task("WEB-1"), listed(tracker)).toBeDefined();
    },
  );
});

// ---------------------------------------------------------------------------------------

describe("ids", () => {
  it("reports two files with the same task id as TD211 on both, each naming the other", async () => {
    const other = "projects/web/tasks/WEB-2-other.md";
    const tracker = await open({ [TASK]: task("WEB-2"), [other]: task("WEB-2") });
    for (const [file, theOther] of [
      [TASK, other],
      [other, TASK],
    ] as const) {
      const d = expectProblem(tracker, {
        code: "TD211",
        file,
        severity: "error",
        at: where(task("WEB-2"), "WEB-2"),
      });
      expect(d.message).toContain(theOther);
      expect(d.related?.map((r) => r.file)).toEqual([theOther]);
    }
    expect(tracker.tasks.filter((t) => t.id === "WEB-2")).toHaveLength(2);
    expectRestLoaded(tracker);
  });

  it("reports an id that does not match the file name as TD212 at the id", async () => {
    const text = task("WEB-3");
    const tracker = await open({ [TASK]: text });
    const d = expectProblem(tracker, {
      code: "TD212",
      file: TASK,
      severity: "error",
      at: where(text, "WEB-3"),
    });
    expect(d.message).toContain("WEB-2");
    expectRestLoaded(tracker);
  });

  it("reports a task whose key is not its project's as TD213 at the id", async () => {
    const file = "projects/web/tasks/API-2.md";
    const text = task("API-2");
    const tracker = await open({ [file]: text });
    const d = expectProblem(tracker, {
      code: "TD213",
      file,
      severity: "error",
      at: where(text, "API-2"),
    });
    expect(d.message).toContain("WEB-");
    expectRestLoaded(tracker);
  });
});

describe("references to things that do not exist", () => {
  const TIME = "time/2026-11/2026-11-27-ana-WEB-1-k2x9.yml";
  const cases: {
    what: string;
    code: DiagnosticCode;
    severity: Severity;
    file: string;
    text: string;
    value: string;
    hint: string;
  }[] = [
    {
      what: "an assignee",
      code: "TD201",
      severity: "error",
      file: TASK,
      text: task("WEB-2", "assignees: [anna]\n"),
      value: "anna",
      hint: 'Did you mean "ana"?',
    },
    {
      what: "a project lead",
      code: "TD201",
      severity: "error",
      file: "projects/api/project.md",
      text: "---\nkey: API\nname: Api\nlead: anaa\n---\n",
      value: "anaa",
      hint: 'Did you mean "ana"?',
    },
    {
      what: "a team member",
      code: "TD201",
      severity: "error",
      file: "teams/ops.yml",
      text: "name: Ops\nmembers: [ana, an]\n",
      value: "an]",
      hint: 'Did you mean "ana"?',
    },
    {
      what: "the person of a time entry",
      code: "TD201",
      severity: "error",
      file: TIME,
      text: "person: anna\ntask: WEB-1\ndate: 2026-11-27\nduration: 1h\n",
      value: "anna",
      hint: 'Did you mean "ana"?',
    },
    {
      what: "a project's team",
      code: "TD202",
      severity: "error",
      file: "projects/api/project.md",
      text: "---\nkey: API\nname: Api\nteam: webb\n---\n",
      value: "webb",
      hint: 'Did you mean "web"?',
    },
    {
      what: "a milestone",
      code: "TD203",
      severity: "error",
      file: TASK,
      text: task("WEB-2", "milestone: bta\n"),
      value: "bta",
      hint: 'Did you mean "beta"?',
    },
    {
      what: "a parent task",
      code: "TD204",
      severity: "error",
      file: TASK,
      text: task("WEB-2", "parent: WEB-11\n"),
      value: "WEB-11",
      hint: 'Did you mean "WEB-1"?',
    },
    {
      what: "a dependency",
      code: "TD204",
      severity: "error",
      file: TASK,
      text: task("WEB-2", "depends_on: [WEB-11]\n"),
      value: "WEB-11",
      hint: 'Did you mean "WEB-1"?',
    },
    {
      what: "the task of a time entry",
      code: "TD204",
      severity: "error",
      file: TIME,
      text: "person: ana\ntask: WEB-11\ndate: 2026-11-27\nduration: 1h\n",
      value: "WEB-11",
      hint: 'Did you mean "WEB-1"?',
    },
    {
      what: "a person's role",
      code: "TD205",
      severity: "error",
      file: "people/ben.yml",
      text: "name: Ben\nroles: [admn]\n",
      value: "admn",
      hint: 'Did you mean "admin"?',
    },
    {
      what: "a team's role",
      code: "TD205",
      severity: "error",
      file: "teams/ops.yml",
      text: "name: Ops\nmembers: [ana]\nroles: [membr]\n",
      value: "membr",
      hint: 'Did you mean "member"?',
    },
    {
      what: "a status",
      code: "TD301",
      severity: "error",
      file: TASK,
      text: task("WEB-2", "", "tod"),
      value: "tod",
      hint: 'Did you mean "todo"?',
    },
    {
      what: "a priority",
      code: "TD302",
      severity: "error",
      file: TASK,
      text: task("WEB-2", "priority: hgh\n"),
      value: "hgh",
      hint: 'Did you mean "high"?',
    },
    {
      what: "a label (a warning)",
      code: "TD303",
      severity: "warning",
      file: TASK,
      text: task("WEB-2", "labels: [bugs]\n"),
      value: "bugs",
      hint: 'Did you mean "bug"?',
    },
  ];

  it.each(cases)(
    "reports an unknown $what as $code at the value with a did-you-mean hint",
    async ({ code, severity, file, text, value, hint }) => {
      const tracker = await open({ [file]: text });
      const d = expectProblem(tracker, { code, file, severity, at: where(text, value) });
      expect(d.hint).toBe(hint);
      expectRestLoaded(tracker);
    },
  );

  it.each([
    ["a priority", "TD302", TASK, task("WEB-2", "priority: hihg\n"), "hihg", "high"],
    [
      "a team",
      "TD202",
      "projects/api/project.md",
      "---\nkey: API\nname: Api\nteam: wbe\n---\n",
      "wbe",
      "web",
    ],
  ] as const)(
    "suggests the right name for %s with two letters swapped",
    async (_what, code, file, text, value, meant) => {
      const tracker = await open({ [file]: text });
      const d = expectProblem(tracker, { code, file, severity: "error", at: where(text, value) });
      expect(d.hint).toBe(`Did you mean "${meant}"?`);
    },
  );
});

describe("cycles", () => {
  it("reports a dependency cycle as TD209 on every task in it, at the dependency", async () => {
    const two = task("WEB-2", "depends_on: [WEB-3]\n");
    const three = task("WEB-3", "depends_on: [WEB-2]\n");
    const other = "projects/web/tasks/WEB-3.md";
    const tracker = await open({ [TASK]: two, [other]: three });
    expectProblem(tracker, {
      code: "TD209",
      file: TASK,
      severity: "error",
      at: where(two, "WEB-3"),
    });
    expectProblem(tracker, {
      code: "TD209",
      file: other,
      severity: "error",
      at: where(three, "WEB-2", "depends_on"),
    });
    expectRestLoaded(tracker);
  });

  it("reports a parent cycle as TD210 on every task in it, at the parent", async () => {
    const two = task("WEB-2", "parent: WEB-3\n");
    const three = task("WEB-3", "parent: WEB-2\n");
    const other = "projects/web/tasks/WEB-3.md";
    const tracker = await open({ [TASK]: two, [other]: three });
    expectProblem(tracker, {
      code: "TD210",
      file: TASK,
      severity: "error",
      at: where(two, "WEB-3"),
    });
    expectProblem(tracker, {
      code: "TD210",
      file: other,
      severity: "error",
      at: where(three, "WEB-2", "parent"),
    });
    expectRestLoaded(tracker);
  });

  it("reports a task that depends on itself", async () => {
    const text = task("WEB-2", "depends_on: [WEB-2]\n");
    const tracker = await open({ [TASK]: text });
    expectProblem(tracker, {
      code: "TD209",
      file: TASK,
      severity: "error",
      at: where(text, "WEB-2", "depends_on"),
    });
  });
});

describe("workflow rules", () => {
  it.each([
    ["a task", TASK, task("WEB-2", "start: 2026-11-10\ndue: 2026-11-01\n"), "2026-11-01"],
    [
      "a milestone",
      "projects/web/milestones/gamma.md",
      "---\ntitle: Gamma\nstart: 2026-11-10\ndue: 2026-11-01\n---\n",
      "2026-11-01",
    ],
    [
      "a project",
      "projects/api/project.md",
      "---\nkey: API\nname: Api\nstart: 2026-11-10\ntarget: 2026-11-01\n---\n",
      "2026-11-01",
    ],
  ])("reports %s due before it starts as TD306 at the due date", async (_what, file, text, due) => {
    const tracker = await open({ [file]: text });
    expectProblem(tracker, { code: "TD306", file, severity: "error", at: where(text, due) });
    expectRestLoaded(tracker);
  });

  it("reports a field the status requires as TD304 at the status", async () => {
    const text = task("WEB-2", "", "review");
    const tracker = await open({ [TASK]: text });
    const d = expectProblem(tracker, {
      code: "TD304",
      file: TASK,
      severity: "error",
      at: where(text, "review"),
    });
    expect(d.message).toContain("estimate");
    expectRestLoaded(tracker);
  });

  it("reports a WIP limit exceeded as TD305 at the limit, listing the tasks", async () => {
    const tracker = await open({
      [TASK]: task("WEB-2", "assignees: [ana]\n", "doing"),
      "projects/web/tasks/WEB-3.md": task("WEB-3", "assignees: [ana]\n", "doing"),
    });
    const d = expectProblem(tracker, {
      code: "TD305",
      file: "trackdown.yml",
      severity: "warning",
      at: where(CONFIG, "1", "wip_limit:"),
    });
    expect(d.message).toContain("WEB-2, WEB-3");
    expect(d.related?.map((r) => r.file)).toEqual([TASK, "projects/web/tasks/WEB-3.md"]);
    expectRestLoaded(tracker);
  });
});

describe("a missing trackdown.yml", () => {
  it("is TD020, and the tasks still load with the default workflow", async () => {
    const tracker = await open({ "trackdown.yml": null, [TASK]: task("WEB-2", "", "doing") });
    expectProblem(tracker, {
      code: "TD020",
      file: "trackdown.yml",
      severity: "error",
      at: { line: 1 },
    });
    expect(tracker.settings.statuses.length).toBeGreaterThan(0);
    expect(tracker.task("WEB-2")?.status).toBe("doing");
    expectRestLoaded(tracker);
  });

  it("is TD020 for a folder on disk too", async () => {
    const dir = trackerOnDisk();
    rmSync(join(dir, "trackdown.yml"));
    const tracker = await openOk(fsSource(dir));
    expect(tracker.diagnostics.map((d) => d.code)).toEqual(["TD020"]);
    expectRestLoaded(tracker);
  });
});

describe("fields the format does not know", () => {
  it("are a TD104 warning at the key, with a did-you-mean, and are kept", async () => {
    const text = task("WEB-2", "asignees: [ana]\n");
    const tracker = await open({ [TASK]: text });
    const d = expectProblem(tracker, {
      code: "TD104",
      file: TASK,
      severity: "warning",
      at: where(text, "asignees"),
    });
    expect(d.hint).toBe('Did you mean "assignees"?');
    expect(tracker.task("WEB-2")?.fields.asignees).toEqual(["ana"]);
    expect(tracker.task("WEB-2")?.assignees).toEqual([]);
  });
});

describe("YAML 1.2 values", () => {
  // "R&D" sends the document to the full reader (the `yaml` package), the other to the
  // fast one (js-yaml): both must read values the same way.
  it.each([
    ["the fast reader", "Plain title"],
    ["the full reader", "R&D review"],
  ])("keeps dates and yes/no/on/off as strings with %s", async (_reader, title) => {
    const text = `---\nid: WEB-2\ntitle: ${title}\nstatus: todo\ndue: 2026-11-20\nx_reviewed: 2026-11-21\nx_a: yes\nx_b: no\nx_c: on\nx_d: off\nx_e: y\nx_f: true\n---\n`;
    const tracker = await open({ [TASK]: text });
    const t = tracker.task("WEB-2");
    expect(t?.title).toBe(title);
    expect(t?.fields.due).toBe("2026-11-20");
    expect(t?.due).toBe("2026-11-20");
    expect(t?.fields.x_reviewed).toBe("2026-11-21");
    expect(t?.fields).toMatchObject({
      x_a: "yes",
      x_b: "no",
      x_c: "on",
      x_d: "off",
      x_e: "y",
      x_f: true,
    });
    expect(tracker.diagnostics.filter((d) => d.code !== "TD104")).toEqual([]);
  });
});

describe("time entries", () => {
  const file = (name: string) => `time/2026-11/${name}.yml`;
  const entry = (duration: string, extra = "") =>
    `person: ana\ntask: WEB-1\ndate: 2026-11-27\nduration: ${duration}\n${extra}`;

  it.each(["0m", "25h", "4d"])("reports a duration of %s as TD106 at the duration", async (d) => {
    const text = entry(d);
    const name = file("2026-11-27-ana-WEB-1-k2x9");
    const tracker = await open({ [name]: text });
    expectProblem(tracker, { code: "TD106", file: name, severity: "error", at: where(text, d) });
    expectRestLoaded(tracker);
  });

  it.each(["1.5m", "1h 30m", "ninety"])(
    "reports a duration written %s as TD103 only, not also as 0 minutes",
    async (d) => {
      const text = entry(JSON.stringify(d));
      const name = file("2026-11-27-ana-WEB-1-k2x9");
      const tracker = await open({ [name]: text });
      expectProblem(tracker, {
        code: "TD103",
        file: name,
        severity: "error",
        at: where(text, JSON.stringify(d)),
      });
      expect(tracker.diagnostics.map((x) => x.code)).toEqual(["TD103"]);
    },
  );

  it("reports a file name that does not match the fields as a TD219 warning", async () => {
    const name = file("2026-11-27-ana-WEB-1-k2x9");
    const tracker = await open({
      [name]: "person: ana\ntask: WEB-1\ndate: 2026-11-28\nduration: 1h\n",
    });
    const d = expectProblem(tracker, {
      code: "TD219",
      file: name,
      severity: "warning",
      at: { line: 1 },
    });
    expect(d.message).toContain("2026-11-28-ana-WEB-1-");
    expect(tracker.timeEntries).toHaveLength(1);
  });

  it("reports a time entry filed under another month's folder as a TD219 warning at its date", async () => {
    const name = "time/2026-12/2026-11-27-ana-WEB-1-k2x9.yml";
    const tracker = await open({ [name]: entry("1h") });
    const d = expectProblem(tracker, {
      code: "TD219",
      file: name,
      severity: "warning",
      at: { line: 3 },
    });
    expect(d.message).toContain("time/2026-11/");
  });
});
