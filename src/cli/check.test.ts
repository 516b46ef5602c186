import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join, resolve } from "node:path";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { describe, expect, it } from "vitest";
import { loadTracker } from "../node/load.js";
import { CACHE_FORMAT } from "../node/parse-cache.js";
import { runCli } from "../test-support/cli.js";
import { ACME, ageFiles, copyOfAcme, REPO_ROOT, tempDir } from "../test-support/temp.js";

/** The task file the tests break, relative to the tracker. */
const TASK = "projects/web/tasks/WEB-12-homepage-hero-with-a-b-copy.md";
const TASK_NAME = "WEB-12-homepage-hero-with-a-b-copy.md";
const CACHE_FILE = join(".trackdown", "cache", `parse-v${CACHE_FORMAT}.json`);
const ESC = "\u001b";
/** `path:line:col severity CODE message`, the compiler-style first line of a problem. */
const PROBLEM_LINE = /^(.+):(\d+):(\d+) (error|warning|info) (TD\d{3}) (.+)$/;

/** Replaces `from` with `to` in a tracker file; fails the test if `from` is not there. */
function edit(tracker: string, file: string, from: string, to: string): void {
  const full = join(tracker, ...file.split("/"));
  const text = readFileSync(full, "utf8");
  expect(text, `${file} should contain ${from}`).toContain(from);
  writeFileSync(full, text.replace(from, to));
}

/** 1-based line and column of the first occurrence of `needle` in a tracker file. */
function positionOf(tracker: string, file: string, needle: string) {
  const lines = readFileSync(join(tracker, ...file.split("/")), "utf8").split("\n");
  const index = lines.findIndex((l) => l.includes(needle));
  expect(index, `${needle} in ${file}`).toBeGreaterThanOrEqual(0);
  return { line: index + 1, column: lines[index]!.indexOf(needle) + 1 };
}

/** A copy of the example with an assignee that is not in people/. */
function acmeWithUnknownAssignee(): string {
  const tracker = copyOfAcme();
  edit(tracker, TASK, "assignees: [lena]", "assignees: [lena, nobody]");
  return tracker;
}

/** A temporary "repository" with the example tracker in its tracker/ folder. */
function repoWithAcme(): { root: string; tracker: string } {
  const root = tempDir("trackdown-repo-");
  const tracker = join(root, "tracker");
  cpSync(ACME, tracker, { recursive: true, filter: (src) => !src.includes(".trackdown") });
  return { root, tracker };
}

/** The problem lines of text output, parsed. */
function problems(stdout: string) {
  return stdout
    .split("\n")
    .map((line) => PROBLEM_LINE.exec(line))
    .filter((m) => m !== null)
    .map(([, file, line, column, severity, code, message]) => ({
      file: file!,
      line: Number(line),
      column: Number(column),
      severity: severity!,
      code: code!,
      message: message!,
    }));
}

interface JsonDiagnostic {
  code: string;
  severity: string;
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  hint: string;
}

/** The parts of `.trackdown/cache/parse-v<format>.json` these tests look at or tamper with. */
interface CacheFile {
  format: number;
  entries: Record<string, unknown>;
  result?: { fingerprint?: string; diagnostics: unknown };
}

interface JsonReport {
  ok: boolean;
  summary: {
    errors: number;
    warnings: number;
    infos: number;
    tasks: number;
    archivedTasks: number;
  };
  diagnostics: JsonDiagnostic[];
}

describe("trackdown check: text output", () => {
  it("reports no problems for the example tracker and exits 0", async () => {
    const expected = await loadTracker(ACME, { cache: false });
    const result = await runCli(["check", "examples/acme"], { cwd: REPO_ROOT });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`✓ ${expected.tasks.length} tasks checked, no problems.\n`);
  });

  it("reports an unknown assignee as path:line:col error TD201 with a hint, and exits 1", async () => {
    const tracker = acmeWithUnknownAssignee();
    const at = positionOf(tracker, TASK, "nobody");
    const result = await runCli(["check"], { cwd: tracker });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("");
    const lines = result.stdout.split("\n");
    const first = lines.findIndex((l) => l.includes("TD201"));
    expect(lines[first]).toBe(
      `${TASK}:${at.line}:${at.column} error TD201 "nobody" is not a person in people/.`,
    );
    expect(lines[first + 1]).toMatch(/^ {2}hint: Known people: ana, felix, .*lena/);
    expect(result.stdout).toMatch(/^✖ 1 error, 0 warnings in \d+ tasks\.$/m);
  });

  it("reports a date that is not a calendar date", async () => {
    const tracker = copyOfAcme();
    edit(tracker, TASK, "due: 2026-11-13", "due: 2026-13-45");
    const at = positionOf(tracker, TASK, "2026-13-45");
    const result = await runCli(["check"], { cwd: tracker });
    expect(result.code).toBe(1);
    expect(problems(result.stdout)).toContainEqual({
      file: TASK,
      line: at.line,
      column: at.column,
      severity: "error",
      code: "TD103",
      message: expect.stringContaining('"2026-13-45"'),
    });
    expect(result.stdout).toMatch(/^ {2}hint: .+$/m);
  });

  it("reports a key written twice in the front matter", async () => {
    const tracker = copyOfAcme();
    edit(tracker, TASK, "priority: high\n", "priority: high\npriority: low\n");
    const at = positionOf(tracker, TASK, "priority: low");
    const result = await runCli(["check"], { cwd: tracker });
    expect(result.code).toBe(1);
    const lines = result.stdout.split("\n");
    const first = lines.findIndex((l) => l.includes("TD014"));
    expect(lines[first]).toBe(
      `${TASK}:${at.line}:${at.column} error TD014 The key "priority" appears more than once in the same mapping.`,
    );
    expect(lines[first + 1]).toBe(
      "  hint: Keep one of the two; YAML does not allow the same key twice.",
    );
  });

  it("reports a task id used twice, with a see: line pointing at the other file", async () => {
    const tracker = copyOfAcme();
    const copy = "projects/web/tasks/WEB-12-copy.md";
    cpSync(join(tracker, TASK), join(tracker, copy));
    const result = await runCli(["check"], { cwd: tracker });
    expect(result.code).toBe(1);
    const found = problems(result.stdout).filter((p) => p.code === "TD211");
    expect(found.map((p) => p.file).sort()).toEqual([copy, TASK]);
    expect(result.stdout).toContain(`  see: ${TASK}:`);
    expect(result.stdout).toContain(`  see: ${copy}:`);
  });

  it("prints every problem in the compiler format followed by an indented hint", async () => {
    const tracker = copyOfAcme();
    edit(tracker, TASK, "assignees: [lena]", "assignees: [lena, nobody]");
    edit(tracker, TASK, "due: 2026-11-13", "due: 2026-13-45");
    const result = await runCli(["check"], { cwd: tracker });
    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split("\n");
    const summary = lines.pop();
    expect(summary).toMatch(/^✖ 2 errors, 0 warnings in \d+ tasks\.$/);
    for (let i = 0; i < lines.length; i += 2) {
      expect(lines[i]).toMatch(PROBLEM_LINE);
      expect(lines[i + 1]).toMatch(/^ {2}hint: \S/);
    }
    for (const p of problems(result.stdout)) {
      expect(existsSync(join(tracker, p.file)), p.file).toBe(true);
    }
  });
});

describe("trackdown check: paths and finding the tracker", () => {
  it("shows paths relative to a cwd at the repository root", async () => {
    const { root, tracker } = repoWithAcme();
    edit(tracker, TASK, "assignees: [lena]", "assignees: [lena, nobody]");
    const at = positionOf(tracker, TASK, "nobody");
    const expected = `tracker/${TASK}:${at.line}:${at.column} error TD201`;
    const explicit = await runCli(["check", "tracker"], { cwd: root });
    expect(explicit.code).toBe(1);
    expect(explicit.stdout).toContain(expected);
    // with no path, the tracker/ folder of the cwd is found
    const found = await runCli(["check"], { cwd: root });
    expect(found.code).toBe(1);
    expect(found.stdout).toBe(explicit.stdout);
  });

  it("shows paths relative to a cwd inside the tracker", async () => {
    const { tracker } = repoWithAcme();
    edit(tracker, TASK, "assignees: [lena]", "assignees: [lena, nobody]");
    const at = positionOf(tracker, TASK, "nobody");
    const result = await runCli(["check", "."], { cwd: tracker });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`^${TASK}:${at.line}:${at.column} error TD201 `, "m"));
    expect(result.stdout).not.toContain("tracker/projects");
  });

  it("finds the tracker by walking up from a subfolder when no path is given", async () => {
    const tracker = acmeWithUnknownAssignee();
    const at = positionOf(tracker, TASK, "nobody");
    const cwd = join(tracker, "projects", "web", "tasks");
    const result = await runCli(["check"], { cwd });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(1);
    const found = problems(result.stdout);
    expect(found).toContainEqual(
      expect.objectContaining({ file: TASK_NAME, line: at.line, column: at.column, code: "TD201" }),
    );
    // every printed path leads to the file when resolved against the cwd
    for (const p of found) expect(resolve(cwd, p.file)).toBe(join(tracker, TASK));
  });

  it("finds a clean tracker from a subfolder and reports no problems", async () => {
    const tracker = copyOfAcme();
    const result = await runCli(["check"], { cwd: join(tracker, "projects", "web", "tasks") });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/no problems\.\n$/);
  });
});

describe("trackdown check: colour", () => {
  it("prints no ANSI escapes when stdout is not a terminal", async () => {
    const result = await runCli(["check"], { cwd: acmeWithUnknownAssignee(), tty: false });
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain(ESC);
  });

  it("colours severities on a terminal", async () => {
    const result = await runCli(["check"], { cwd: acmeWithUnknownAssignee(), tty: true });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${ESC}[31merror${ESC}[39m`);
    expect(result.stdout).toContain(`${ESC}[31m✖${ESC}[39m`);
  });

  it("prints no colour on a terminal when NO_COLOR is set", async () => {
    const result = await runCli(["check"], {
      cwd: acmeWithUnknownAssignee(),
      tty: true,
      env: { NO_COLOR: "1" },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain(ESC);
  });

  it("colours output that is not a terminal when FORCE_COLOR is set", async () => {
    const result = await runCli(["check"], {
      cwd: acmeWithUnknownAssignee(),
      tty: false,
      env: { FORCE_COLOR: "1" },
    });
    expect(result.stdout).toContain(`${ESC}[31merror${ESC}[39m`);
  });
});

describe("trackdown check --format json", () => {
  it("prints valid JSON with ok, summary and located diagnostics", async () => {
    const tracker = acmeWithUnknownAssignee();
    const expected = await loadTracker(tracker, { cache: false });
    const at = positionOf(tracker, TASK, "nobody");
    const result = await runCli(["check", "--format", "json"], { cwd: tracker });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.ok).toBe(false);
    expect(report.summary).toEqual({
      errors: 1,
      warnings: 0,
      infos: 0,
      tasks: expected.tasks.length,
      archivedTasks: expected.archivedTasks.length,
    });
    expect(report.diagnostics).toHaveLength(1);
    expect(report.diagnostics[0]).toMatchObject({
      code: "TD201",
      severity: "error",
      message: '"nobody" is not a person in people/.',
      file: TASK,
      line: at.line,
      column: at.column,
      endLine: at.line,
      endColumn: at.column + "nobody".length,
      hint: expect.stringContaining("Known people:"),
    });
  });

  it("gives every diagnostic the full set of located fields", async () => {
    const tracker = copyOfAcme();
    edit(tracker, TASK, "assignees: [lena]", "assignees: [lena, nobody]");
    edit(tracker, TASK, "due: 2026-11-13", "due: 2026-13-45");
    const result = await runCli(["check", "-f", "json"], { cwd: tracker });
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.diagnostics.length).toBeGreaterThanOrEqual(2);
    for (const d of report.diagnostics) {
      expect(d).toEqual(
        expect.objectContaining({
          code: expect.stringMatching(/^TD\d{3}$/),
          severity: expect.stringMatching(/^(error|warning|info)$/),
          message: expect.any(String),
          file: expect.any(String),
          line: expect.any(Number),
          column: expect.any(Number),
          endLine: expect.any(Number),
          endColumn: expect.any(Number),
          hint: expect.any(String),
        }),
      );
    }
  });

  it("reports ok and zero counts for the clean example", async () => {
    const result = await runCli(["check", "examples/acme", "--format", "json"], {
      cwd: REPO_ROOT,
    });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.ok).toBe(true);
    expect(report.summary).toMatchObject({ errors: 0, warnings: 0, infos: 0 });
    expect(report.diagnostics).toEqual([]);
  });
});

/** Undoes the runner's escaping of workflow command properties. */
const unescapeProperty = (s: string) =>
  s
    .replace(/%3A/g, ":")
    .replace(/%2C/g, ",")
    .replace(/%0D/g, "\r")
    .replace(/%0A/g, "\n")
    .replace(/%25/g, "%");
/** Undoes the runner's escaping of workflow command data. */
const unescapeData = (s: string) =>
  s.replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%25/g, "%");

/** Parses `::command key=value,…::data` as the GitHub runner does. */
function parseWorkflowCommand(line: string) {
  const match = /^::(\w+) ([^:]*)::(.*)$/.exec(line);
  expect(match, line).not.toBeNull();
  const [, command, props, data] = match!;
  const properties: Record<string, string> = {};
  for (const pair of props!.split(",")) {
    const eq = pair.indexOf("=");
    properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
  }
  return { command: command!, properties, data: unescapeData(data!) };
}

describe("trackdown check --format github", () => {
  it("prints an ::error workflow command with the location and code as title", async () => {
    const tracker = acmeWithUnknownAssignee();
    const at = positionOf(tracker, TASK, "nobody");
    const result = await runCli(["check", "--format", "github"], { cwd: tracker });
    expect(result.code).toBe(1);
    const line = result.stdout.split("\n").find((l) => l.startsWith("::"));
    expect(line).toBe(
      `::error file=${TASK},line=${at.line},col=${at.column},endLine=${at.line},endColumn=${at.column + 6},title=TD201 unknown-person::"nobody" is not a person in people/.%0AKnown people: ana, felix, jonas, kenji, lena, maria, priya, tom.`,
    );
  });

  it("escapes %, newlines, colons and commas the way the runner reads them back", async () => {
    const tracker = copyOfAcme();
    // an assignee with a percent sign, and a stray file whose name has a comma, colon and percent
    edit(tracker, TASK, "assignees: [lena]", 'assignees: [lena, "50%off"]');
    const stray = "projects/web/tasks/notes, draft: v2%.txt";
    writeFileSync(join(tracker, stray), "not a task\n");
    const json = JSON.parse(
      (await runCli(["check", "--format", "json"], { cwd: tracker })).stdout,
    ) as JsonReport;
    const result = await runCli(["check", "--format", "github"], { cwd: tracker });
    expect(result.code).toBe(1);
    const commands = result.stdout.split("\n").filter((l) => l.startsWith("::"));
    expect(commands).toHaveLength(json.diagnostics.length);

    const unknown = commands.find((c) => c.includes("title=TD201 unknown-person::"))!;
    // data: % and the newline before the hint are escaped; ':' and ',' are left alone
    expect(unknown).toContain(
      '::"50%25off" is not a person in people/.%0AKnown people: ana, felix',
    );
    const strayLine = commands.find((c) => c.startsWith("::warning "))!;
    // properties: ',' and ':' are escaped too, so they cannot end the value early
    expect(strayLine).toContain("file=projects/web/tasks/notes%2C draft%3A v2%25.txt,line=1,");
    expect(strayLine).toContain(",title=TD006 unexpected-file::");

    commands.forEach((command, i) => {
      const d = json.diagnostics[i]!;
      const parsed = parseWorkflowCommand(command);
      expect(parsed.command).toBe(d.severity === "info" ? "notice" : d.severity);
      expect(parsed.properties).toEqual({
        file: d.file,
        line: String(d.line),
        col: String(d.column),
        endLine: String(d.endLine),
        endColumn: String(d.endColumn),
        title: expect.stringMatching(new RegExp(`^${d.code} [a-z0-9-]+$`)),
      });
      expect(parsed.data).toBe(d.hint === "" ? d.message : `${d.message}\n${d.hint}`);
    });
  });

  it("prints nothing but the summary for the clean example", async () => {
    const result = await runCli(["check", "examples/acme", "--format", "github"], {
      cwd: REPO_ROOT,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain("::");
  });
});

// ajv-formats is CommonJS with a default export; under NodeNext it arrives as the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv, formats: string[]) => void;

const region = {
  type: "object",
  required: ["startLine", "startColumn"],
  properties: {
    startLine: { type: "integer", minimum: 1 },
    startColumn: { type: "integer", minimum: 1 },
    endLine: { type: "integer", minimum: 1 },
    endColumn: { type: "integer", minimum: 1 },
  },
};
const physicalLocation = {
  type: "object",
  required: ["artifactLocation", "region"],
  properties: {
    artifactLocation: {
      type: "object",
      required: ["uri"],
      properties: { uri: { type: "string", format: "uri-reference" } },
    },
    region,
  },
};
/** The part of the SARIF 2.1.0 schema (sarif-schema-2.1.0.json) that Trackdown's log uses. */
const SARIF_SUBSET = {
  type: "object",
  required: ["version", "runs"],
  properties: {
    $schema: { type: "string", format: "uri" },
    version: { const: "2.1.0" },
    runs: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        required: ["tool", "results"],
        properties: {
          tool: {
            type: "object",
            required: ["driver"],
            properties: {
              driver: {
                type: "object",
                required: ["name", "rules"],
                properties: {
                  name: { const: "trackdown" },
                  version: { type: "string" },
                  informationUri: { type: "string", format: "uri" },
                  rules: {
                    type: "array",
                    uniqueItems: true,
                    items: {
                      type: "object",
                      required: ["id"],
                      properties: {
                        id: { type: "string", pattern: "^TD\\d{3}$" },
                        name: { type: "string" },
                        shortDescription: {
                          type: "object",
                          required: ["text"],
                          properties: { text: { type: "string" } },
                        },
                        helpUri: { type: "string", format: "uri" },
                        defaultConfiguration: {
                          type: "object",
                          properties: { level: { enum: ["none", "note", "warning", "error"] } },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
          results: {
            type: "array",
            items: {
              type: "object",
              required: ["ruleId", "level", "message", "locations"],
              properties: {
                ruleId: { type: "string" },
                ruleIndex: { type: "integer", minimum: 0 },
                level: { enum: ["none", "note", "warning", "error"] },
                message: {
                  type: "object",
                  required: ["text"],
                  properties: { text: { type: "string", minLength: 1 } },
                },
                locations: {
                  type: "array",
                  minItems: 1,
                  items: {
                    type: "object",
                    required: ["physicalLocation"],
                    properties: { physicalLocation },
                  },
                },
                relatedLocations: {
                  type: "array",
                  items: {
                    type: "object",
                    properties: { id: { type: "integer", minimum: 0 }, physicalLocation },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

interface SarifLog {
  version: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string }[] } };
    results: {
      ruleId: string;
      ruleIndex?: number;
      level: string;
      locations: {
        physicalLocation: {
          artifactLocation: { uri: string };
          region: { startLine: number; startColumn: number };
        };
      }[];
    }[];
  }[];
}

function validateSarif(text: string): SarifLog {
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv, ["uri", "uri-reference"]);
  const validate = ajv.compile(SARIF_SUBSET);
  const log = JSON.parse(text) as unknown;
  expect(validate(log) ? [] : validate.errors).toEqual([]);
  return log as SarifLog;
}

describe("trackdown check --format sarif", () => {
  it("prints a SARIF 2.1.0 log with rules and located results", async () => {
    const tracker = copyOfAcme();
    edit(tracker, TASK, "assignees: [lena]", "assignees: [lena, nobody]");
    edit(tracker, TASK, "due: 2026-11-13", "due: 2026-13-45");
    const at = positionOf(tracker, TASK, "nobody");
    const result = await runCli(["check", "--format", "sarif"], { cwd: tracker });
    expect(result.code).toBe(1);
    const log = validateSarif(result.stdout);
    expect(log.version).toBe("2.1.0");
    const run = log.runs[0]!;
    expect(run.tool.driver.name).toBe("trackdown");
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(["TD103", "TD201"]);
    expect(run.results).toHaveLength(2);
    for (const r of run.results) {
      expect(run.tool.driver.rules[r.ruleIndex!]!.id).toBe(r.ruleId);
      expect(r.level).toBe("error");
    }
    const unknown = run.results.find((r) => r.ruleId === "TD201")!;
    expect(unknown.locations[0]!.physicalLocation).toMatchObject({
      artifactLocation: { uri: TASK },
      region: { startLine: at.line, startColumn: at.column },
    });
  });

  it("prints a valid empty log for the clean example", async () => {
    const result = await runCli(["check", "examples/acme", "--format", "sarif"], {
      cwd: REPO_ROOT,
    });
    expect(result.code).toBe(0);
    const log = validateSarif(result.stdout);
    expect(log.runs[0]!.results).toEqual([]);
  });

  it("maps warnings to level warning", async () => {
    const tracker = copyOfAcme();
    edit(tracker, TASK, "title: ", "size: large\ntitle: ");
    const result = await runCli(["check", "--format", "sarif"], { cwd: tracker });
    expect(result.code).toBe(0);
    const log = validateSarif(result.stdout);
    expect(log.runs[0]!.results.map((r) => [r.ruleId, r.level])).toEqual([["TD104", "warning"]]);
  });

  it("percent-encodes artifact URIs so file names with spaces or % stay valid URI references", async () => {
    const tracker = copyOfAcme();
    const stray = "projects/web/tasks/notes, draft: v2%.txt";
    writeFileSync(join(tracker, stray), "not a task\n");
    const result = await runCli(["check", "--format", "sarif"], { cwd: tracker });
    const log = validateSarif(result.stdout);
    const uri = log.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri;
    expect(decodeURIComponent(uri)).toBe(stray);
  });
});

describe("trackdown check --max-warnings", () => {
  /** A copy of the example whose only problem is one unknown field (a TD104 warning). */
  function acmeWithOneWarning(): string {
    const tracker = copyOfAcme();
    edit(tracker, TASK, "title: ", "size: large\ntitle: ");
    return tracker;
  }

  it("passes a tracker with only warnings by default", async () => {
    const result = await runCli(["check"], { cwd: acmeWithOneWarning() });
    expect(result.code).toBe(0);
    expect(problems(result.stdout).map((p) => [p.severity, p.code])).toEqual([
      ["warning", "TD104"],
    ]);
    expect(result.stdout).toMatch(/^! 0 errors, 1 warning in \d+ tasks\.$/m);
  });

  it("passes when the warnings do not exceed the maximum", async () => {
    const result = await runCli(["check", "--max-warnings", "1"], { cwd: acmeWithOneWarning() });
    expect(result.code).toBe(0);
  });

  it("fails when there are more warnings than the maximum", async () => {
    const tracker = acmeWithOneWarning();
    const result = await runCli(["check", "--max-warnings", "0"], { cwd: tracker });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^✖ 0 errors, 1 warning \(more than --max-warnings 0\)/m);
    const json = await runCli(["check", "--max-warnings", "0", "--format", "json"], {
      cwd: tracker,
    });
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout) as JsonReport).ok).toBe(false);
  });
});

describe("trackdown: usage errors and help", () => {
  it("exits 2 for an unknown format, naming the allowed ones", async () => {
    const result = await runCli(["check", "examples/acme", "--format", "xml"], { cwd: REPO_ROOT });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("'xml' is invalid");
    expect(result.stderr).toContain("text, json, github, sarif");
  });

  it("exits 2 for a --max-warnings that is not a whole number", async () => {
    const result = await runCli(["check", "examples/acme", "--max-warnings", "abc"], {
      cwd: REPO_ROOT,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("expected a whole number");
  });

  it("exits 2 for an unknown command and suggests the right one", async () => {
    const result = await runCli(["chek"], { cwd: REPO_ROOT });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown command 'chek'");
    expect(result.stderr).toContain("check");
  });

  it("exits 2 for a path that does not exist", async () => {
    const result = await runCli(["check", "no/such/folder"], { cwd: REPO_ROOT });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe("trackdown: No such folder: no/such/folder\n");
  });

  it("exits 2 for a folder without a tracker and suggests trackdown init", async () => {
    const empty = tempDir();
    mkdirSync(join(empty, "docs"));
    for (const args of [["check"], ["check", "docs"]]) {
      const result = await runCli(args, { cwd: empty });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("No tracker found");
      expect(result.stderr).toContain("trackdown init");
    }
  });

  it("prints help and exits 0 with --help", async () => {
    const top = await runCli(["--help"], { cwd: REPO_ROOT });
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/Usage: trackdown/);
    for (const command of ["check", "init", "summary"]) expect(top.stdout).toContain(command);
    const check = await runCli(["check", "--help"], { cwd: REPO_ROOT });
    expect(check.code).toBe(0);
    expect(check.stdout).toContain("--max-warnings");
    expect(check.stdout).toContain("Exit codes");
  });
});

describe("trackdown check: parse cache", () => {
  it("writes .trackdown/cache/parse-v<format>.json in the tracker on the first run", async () => {
    const tracker = copyOfAcme();
    ageFiles(tracker);
    expect(existsSync(join(tracker, CACHE_FILE))).toBe(false);
    const result = await runCli(["check"], { cwd: tracker });
    expect(result.code).toBe(0);
    const cache = JSON.parse(readFileSync(join(tracker, CACHE_FILE), "utf8")) as CacheFile;
    expect(cache.format).toBe(CACHE_FORMAT);
    expect(Object.keys(cache.entries)).toContain(TASK);
  });

  it("never trusts a cached parse of a file that changed since", async () => {
    const tracker = copyOfAcme();
    ageFiles(tracker);
    const first = await runCli(["check"], { cwd: tracker });
    expect(first.code).toBe(0);
    expect(existsSync(join(tracker, CACHE_FILE))).toBe(true);
    // same size, new content and a new modification time
    edit(tracker, TASK, "status: done", "status: dune");
    const at = positionOf(tracker, TASK, "dune");
    const second = await runCli(["check"], { cwd: tracker });
    expect(second.code).toBe(1);
    expect(second.stdout).toContain(
      `${TASK}:${at.line}:${at.column} error TD301 "dune" is not a status`,
    );
    // and a fix is picked up as well
    edit(tracker, TASK, "status: dune", "status: done");
    const third = await runCli(["check"], { cwd: tracker });
    expect(third.code).toBe(0);
  });

  it("picks up a file added and a file removed since the last run", async () => {
    const tracker = copyOfAcme();
    ageFiles(tracker);
    expect((await runCli(["check"], { cwd: tracker })).code).toBe(0);
    const copy = "projects/web/tasks/WEB-12-copy.md";
    cpSync(join(tracker, TASK), join(tracker, copy));
    ageFiles(tracker);
    const added = await runCli(["check"], { cwd: tracker });
    expect(added.code).toBe(1);
    expect(added.stdout).toContain(`${copy}:`);
    expect(added.stdout).toContain("TD211");
    rmSync(join(tracker, copy));
    const removed = await runCli(["check"], { cwd: tracker });
    expect(removed.code).toBe(0);
  });

  it("runs correctly after the cache folder is deleted, and writes it again", async () => {
    const tracker = acmeWithUnknownAssignee();
    ageFiles(tracker);
    const first = await runCli(["check"], { cwd: tracker });
    rmSync(join(tracker, ".trackdown"), { recursive: true, force: true });
    const second = await runCli(["check"], { cwd: tracker });
    expect(second).toEqual(first);
    expect(second.code).toBe(1);
    expect(existsSync(join(tracker, CACHE_FILE))).toBe(true);
  });

  /** A corruption of the cache file, made from the good one the first run wrote. */
  type Corrupt = (good: string, cache: CacheFile) => string;
  it.each<[string, Corrupt]>([
    ["garbage", () => "garbage"],
    ["truncated JSON", (good) => good.slice(0, Math.floor(good.length / 2))],
    ["JSON that is not an object", () => "[1,2,3]"],
    ["a cache of another format", (_, cache) => JSON.stringify({ ...cache, format: 999 })],
    ["entries that are null", (_, cache) => JSON.stringify({ ...cache, entries: null })],
    ["entries that are a list", (_, cache) => JSON.stringify({ ...cache, entries: [] })],
    [
      "a cached result whose diagnostics are not a list",
      (_, cache) =>
        JSON.stringify({ ...cache, result: { ...(cache.result ?? {}), diagnostics: null } }),
    ],
  ])("ignores a corrupt cache file (%s) and still reports correctly", async (_name, corrupt) => {
    const tracker = acmeWithUnknownAssignee();
    ageFiles(tracker);
    const first = await runCli(["check"], { cwd: tracker });
    expect(first.code).toBe(1);
    const cachePath = join(tracker, CACHE_FILE);
    const good = readFileSync(cachePath, "utf8");
    writeFileSync(cachePath, corrupt(good, JSON.parse(good) as CacheFile));
    const result = await runCli(["check"], { cwd: tracker });
    expect(result).toEqual(first);
    // that run replaced it with a readable cache
    expect((JSON.parse(readFileSync(cachePath, "utf8")) as CacheFile).format).toBe(CACHE_FORMAT);
  });

  it("neither reads nor writes the cache with --no-cache", async () => {
    const tracker = acmeWithUnknownAssignee();
    ageFiles(tracker);
    const uncached = await runCli(["check", "--no-cache"], { cwd: tracker });
    expect(uncached.code).toBe(1);
    expect(existsSync(join(tracker, ".trackdown"))).toBe(false);

    expect((await runCli(["check"], { cwd: tracker })).code).toBe(1);
    const cachePath = join(tracker, CACHE_FILE);
    // plant a lie under the files' current stamps: the task's parse without the unknown
    // assignee, and (if the cache keeps the last run's result) no diagnostics
    const cache = JSON.parse(readFileSync(cachePath, "utf8")) as CacheFile;
    // entries are tuples: [stamp, kind, data, …]
    const entry = cache.entries[TASK] as [string, string, { assignees: string[] }];
    entry[2].assignees = ["lena"];
    if (cache.result !== undefined) cache.result.diagnostics = [];
    writeFileSync(cachePath, JSON.stringify(cache));
    const planted = readFileSync(cachePath);
    const plantedMtime = statSync(cachePath).mtimeMs;

    // the cache is read when allowed (which shows that the lie would be seen)…
    const cached = await runCli(["check"], { cwd: tracker });
    expect(cached.code).toBe(0);
    // …and not at all with --no-cache, which also leaves the file alone
    const fresh = await runCli(["check", "--no-cache"], { cwd: tracker });
    expect(fresh).toEqual(uncached);
    expect(readFileSync(cachePath)).toEqual(planted);
    expect(statSync(cachePath).mtimeMs).toBe(plantedMtime);
  });
});

const BUILT_CLI = join(REPO_ROOT, "dist", "cli", "main.js");
const haveBuild = existsSync(BUILT_CLI);

describe("the trackdown binary", () => {
  if (!haveBuild) {
    it.skip("runs as a child process (skipped: dist/cli/main.js is missing; run `npm run build`)", () => {});
    return;
  }

  const trackdown = (args: string[], cwd = REPO_ROOT) =>
    spawnSync(process.execPath, [join(REPO_ROOT, "bin", "trackdown.js"), ...args], {
      cwd,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });

  it("exits 0 for the example and 1 for a copy with a mistake", () => {
    const clean = trackdown(["check", "examples/acme"]);
    expect(clean.stderr).toBe("");
    expect(clean.status).toBe(0);
    expect(clean.stdout).toMatch(/no problems\.\n$/);

    const broken = trackdown(["check", acmeWithUnknownAssignee()]);
    expect(broken.status).toBe(1);
    expect(broken.stdout).toContain("error TD201");
  });

  it("exits 2 for a usage error", () => {
    const result = trackdown(["check", "--format", "xml", "examples/acme"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("'xml' is invalid");
  });
});
